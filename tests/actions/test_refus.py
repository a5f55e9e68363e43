"""« Refuser l'action » has its own page, apart from « Renvoyer pour compléments »: it says
what follows, asks the reason, and only its POST refuses."""

import html

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actions.models import Transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def soumise(brouillon):
    brouillon.statut, brouillon.soumise_le = "soumise", timezone.now()
    brouillon.save()
    return brouillon


def url(action):
    return reverse("actions:refuser", args=[action.pk])


def test_anonymous_and_wrong_roles_first(client, soumise, partenaire, cabinet):
    assert client.get(url(soumise)).url.startswith(reverse("login"))
    for user in (partenaire, cabinet):  # the porteur and the cabinet read it, never refuse
        client.force_login(user)
        assert client.get(url(soumise)).status_code == 403
        assert client.post(url(soumise), {"commentaire": "Non."}).status_code == 403
    soumise.refresh_from_db()
    assert soumise.statut == "soumise"


def test_the_review_box_no_longer_holds_refusal(client, pilotage, soumise):
    client.force_login(pilotage)
    page = html.unescape(client.get(soumise.get_absolute_url()).content.decode())
    assert 'value="refusee"' not in page  # not a button beside « Renvoyer »
    assert 'value="a_completer"' in page
    assert f'href="{url(soumise)}">Refuser l\'action</a>' in page


def test_the_page_says_what_follows_and_refuses_only_on_confirmation(
    client, pilotage, soumise, apres_commit
):
    client.force_login(pilotage)
    page = html.unescape(client.get(url(soumise)).content.decode())
    assert "en sera averti par courriel" in page and "Le refus est définitif" in page
    assert "Confirmer" in page and f'href="{soumise.get_absolute_url()}">Retour</a>' in page
    soumise.refresh_from_db()
    assert soumise.statut == "soumise"  # the GET changed nothing
    with apres_commit():
        response = client.post(url(soumise), {"commentaire": "Hors du champ de la stratégie."})
    assert response.status_code == 302 and response.url == soumise.get_absolute_url()
    soumise.refresh_from_db()
    assert soumise.statut == "refusee"
    (transition,) = Transition.objects.filter(action=soumise)
    assert transition.commentaire == "Hors du champ de la stratégie."
    assert len(mail.outbox) == 1
    # Sent again from a second tab: the action is refused already, nothing more happens.
    with apres_commit():
        assert client.post(url(soumise), {"commentaire": "Encore."}).status_code == 403
    assert Transition.objects.filter(action=soumise).count() == 1 and len(mail.outbox) == 1


def test_without_a_reason_the_page_comes_back_with_the_error(client, pilotage, soumise):
    client.force_login(pilotage)
    response = client.post(url(soumise), {"commentaire": "   "})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "Indiquez le motif du refus" in page and 'aria-invalid="true"' in page
    soumise.refresh_from_db()
    assert soumise.statut == "soumise" and not Transition.objects.exists()
