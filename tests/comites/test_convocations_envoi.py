"""Convocations whose e-mail meets a mail server or a broker down: the organiser is told
the truth, sees each e-mail's state on the séance page, and sends a failed one again."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from comites.models import Convocation
from integration.celery import app
from integration.models import OutboxTask
from integration.tasks import send_email_with_attachment
from tests.comites.factories import SeanceFactory
from tests.concurrency import Onglets
from tests.courriel import balayer_pendant

# Real commits: the e-mails leave when the service's transaction commits, before the page
# chooses its message, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

LIEN = re.compile(r"http://testserver(/comites/convocation/[^/\s]+/)")


@pytest.fixture
def seance(copil, douze_sieges, pilotage):
    debut = timezone.now().replace(microsecond=0, second=0) + timedelta(days=20)
    return SeanceFactory(
        instance=copil, debut=debut, fin=debut + timedelta(hours=2), organisateur=pilotage
    )


def _convoquer(client, seance, apres_commit):
    with apres_commit():
        response = client.post(reverse("comites:convoquer", args=[seance.pk]), follow=True)
    return response


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_convocations_that_left_are_said_sent_and_shown_sent(
    client, seance, pilotage, apres_commit
):
    client.force_login(pilotage)
    response = _convoquer(client, seance, apres_commit)

    assert _messages(response) == ["Convocations envoyées : 12."]
    assert response.content.decode().count("Courriel envoyé le") == 12
    assert len(mail.outbox) == 12


def test_a_broker_down_gives_a_true_message_and_pending_states(
    client, seance, pilotage, apres_commit
):
    client.force_login(pilotage)
    app.conf.task_always_eager = False
    panne = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    try:
        with mock.patch.object(send_email_with_attachment, "apply_async", side_effect=panne):
            response = _convoquer(client, seance, apres_commit)
    finally:
        app.conf.task_always_eager = True

    assert _messages(response) == ["Convocations enregistrées : 12 ; envoi en cours."]
    assert response.content.decode().count("En attente d'envoi") == 12
    assert mail.outbox == []


def test_a_day_of_smtp_outage_shows_the_failure_and_renvoyer_sends_it_once(
    client, seance, pilotage, apres_commit, serveur_courriel, horloge
):
    client.force_login(pilotage)
    serveur_courriel.pannes = 10_000
    response = _convoquer(client, seance, apres_commit)
    assert _messages(response) == ["Convocations enregistrées : 12 ; envoi en cours."]
    assert "nouvel essai le" in response.content.decode()

    balayer_pendant(horloge, timedelta(hours=25))
    client.force_login(pilotage)  # a day later: a new session
    page = client.get(seance.get_absolute_url()).content.decode()
    assert page.count("Échec de l'envoi") == 12
    assert page.count('>Renvoyer<span class="fr-sr-only"> la convocation de') == 12
    # Convening again does not hide the failure: it says where to resend.
    refus = _convoquer(client, seance, apres_commit)
    assert "déjà enregistrées" in _messages(refus)[0]

    serveur_courriel.pannes = 0
    convocation = Convocation.objects.select_related("personne").order_by("personne__nom")[0]
    url = reverse("comites:convocation_renvoyer", args=[seance.pk, convocation.pk])
    with apres_commit():
        response = client.post(url, {"envoi": convocation.envoi_id}, follow=True)

    assert _messages(response) == [f"Convocation renvoyée à {convocation.personne}."]
    assert [m.to for m in mail.outbox] == [[convocation.personne.courriel]]
    assert response.content.decode().count("Échec de l'envoi") == 11
    # The link of the e-mail that left opens the answer page.
    lien = LIEN.search(mail.outbox[0].body).group(1)
    client.logout()
    assert client.get(lien).status_code == 200

    # The same click again (a second tab, a double click) sends nothing more.
    client.force_login(pilotage)
    with apres_commit():
        encore = client.post(url, {"envoi": convocation.envoi_id}, follow=True)
    assert "vient déjà d'être renvoyée" in _messages(encore)[0]
    assert len(mail.outbox) == 1


def test_renvoyer_refuses_an_e_mail_that_did_not_fail(client, seance, pilotage, apres_commit):
    client.force_login(pilotage)
    _convoquer(client, seance, apres_commit)
    convocation = Convocation.objects.first()
    url = reverse("comites:convocation_renvoyer", args=[seance.pk, convocation.pk])
    for donnees in ({"envoi": convocation.envoi_id}, {"envoi": "n'importe quoi"}, {}):
        with apres_commit():
            response = client.post(url, donnees, follow=True)
        assert response.status_code == 200
        assert len(_messages(response)) == 1 and "renvoy" in _messages(response)[0]
    assert len(mail.outbox) == 12
    assert OutboxTask.objects.count() == 12


def test_renvoyer_is_for_organisers_only(client, seance, partenaire, apres_commit, pilotage):
    client.force_login(pilotage)
    _convoquer(client, seance, apres_commit)
    convocation = Convocation.objects.first()
    client.force_login(partenaire)
    url = reverse("comites:convocation_renvoyer", args=[seance.pk, convocation.pk])
    assert client.post(url, {"envoi": convocation.envoi_id}).status_code in (403, 404)
    assert client.get(url).status_code == 405


# --- The same POST twice at once (two tabs, a double click), on PostgreSQL --------------


@pytest.mark.services
def test_convening_twice_at_once_convenes_each_person_once_with_a_live_link(
    live_server, client, seance, pilotage, douze_sieges
):
    onglets = Onglets(live_server, pilotage)
    reponses = onglets.poster(reverse("comites:convoquer", args=[seance.pk]))

    assert [r.status_code for r in reponses] == [302, 302]
    pages = "".join(onglets.suivre(r) for r in reponses)
    assert pages.count("Convocations envoyées : 12.") == 1
    assert pages.count("Les convocations sont déjà enregistrées") == 1
    assert Convocation.objects.count() == 12
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.personne.courriel for s in douze_sieges)
    for message in mail.outbox:  # no e-mail carries a link that a second sending killed
        lien = re.search(r"https?://[^/\s]+(/comites/convocation/[^/\s]+/)", message.body)
        assert client.get(lien.group(1)).status_code == 200


@pytest.mark.services
def test_renvoyer_twice_at_once_sends_one_e_mail(live_server, client, seance, pilotage):
    client.force_login(pilotage)
    client.post(reverse("comites:convoquer", args=[seance.pk]))
    convocation = Convocation.objects.select_related("personne").first()
    OutboxTask.objects.filter(pk=convocation.envoi_id).update(status=OutboxTask.Status.FAILED)
    mail.outbox.clear()

    onglets = Onglets(live_server, pilotage)
    url = reverse("comites:convocation_renvoyer", args=[seance.pk, convocation.pk])
    reponses = onglets.poster(url, {"envoi": convocation.envoi_id})

    assert [r.status_code for r in reponses] == [302, 302]
    pages = "".join(onglets.suivre(r) for r in reponses)
    assert pages.count(f"Convocation renvoyée à {convocation.personne}.") == 1
    assert pages.count("vient déjà d&#x27;être renvoyée") == 1
    assert [m.to for m in mail.outbox] == [[convocation.personne.courriel]]


@pytest.mark.services
def test_cancelling_twice_at_once_tells_the_convened_once(live_server, client, seance, pilotage):
    client.force_login(pilotage)
    client.post(reverse("comites:convoquer", args=[seance.pk]))
    mail.outbox.clear()

    onglets = Onglets(live_server, pilotage)
    reponses = onglets.poster(reverse("comites:seance_annuler", args=[seance.pk]))

    onglets.pages(reponses)  # neither a server error
    seance.refresh_from_db()
    assert seance.statut == "annulee" and seance.sequence == 1
    assert len(mail.outbox) == 12  # one cancellation each


@pytest.mark.services
def test_the_same_guest_or_point_sent_twice_at_once_never_breaks(live_server, seance, pilotage):
    onglets = Onglets(live_server, pilotage)
    invite = {"invite-nom": "Inès Moreau", "invite-courriel": "ines.moreau@example.fr"}
    reponses = onglets.poster(reverse("comites:invite_ajouter", args=[seance.pk]), invite)
    assert sorted(r.status_code for r in reponses) == [302, 400]
    assert "est déjà convoqué à cette séance" in onglets.pages(reponses)[1 - _premier(reponses)]
    assert seance.convocations.filter(personne__courriel="ines.moreau@example.fr").count() == 1

    point = {"point-titre": "Bilan"}
    reponses = onglets.poster(reverse("comites:point_ajouter", args=[seance.pk]), point)
    assert sorted(r.status_code for r in reponses) == [302, 400]
    assert (
        "Ce point figure déjà à l&#x27;ordre du jour."
        in onglets.pages(reponses)[1 - _premier(reponses)]
    )
    assert list(seance.points.values_list("titre", "ordre")) == [("Bilan", 1)]
    # Two different points sent at once take the next two places in turn.
    points = [{"point-titre": "Emploi"}, {"point-titre": "Santé"}]
    reponses = onglets.poster(reverse("comites:point_ajouter", args=[seance.pk]), points)
    assert [r.status_code for r in reponses] == [302, 302]
    assert sorted(seance.points.values_list("ordre", flat=True)) == [1, 2, 3]


def _premier(reponses) -> int:
    return [r.status_code for r in reponses].index(302)
