"""Asking the cabinet's visa tells each member of the département's cabinet by e-mail,
once, and the page says what became of those e-mails."""

import html

import pytest
from django.core import mail
from django.urls import reverse

from actions.models import FeuilleDeRoute
from tests.acteurs.factories import HabilitationFactory
from tests.actions.factories import FeuilleDeRouteFactory

# Real commits: the e-mails leave when the step commits, before the message is written.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def feuille(seine_maritime):
    return FeuilleDeRouteFactory(departement=seine_maritime, titre="Feuille de route 2026")


def _demander_visa(client, feuille):
    response = client.post(
        reverse("actions:feuille_etape", args=[feuille.pk]), {"vers": "visa"}, follow=True
    )
    return [html.unescape(str(m)) for m in response.context["messages"]]


def test_each_cabinet_member_gets_one_e_mail_even_when_the_visa_is_asked_twice(
    client, pilotage, cabinet, seine_maritime, hautes_alpes, feuille
):
    sous_prefet = HabilitationFactory(departement=seine_maritime, role="cabinet").user
    HabilitationFactory(departement=hautes_alpes, role="cabinet")  # another département's
    HabilitationFactory(departement=seine_maritime, role="cabinet", actif=False)
    client.force_login(pilotage)

    assert _demander_visa(client, feuille) == [
        "La feuille de route est maintenant à l'étape « Soumise au visa du cabinet ». "
        "Le cabinet en est averti par courriel."
    ]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cabinet.email, sous_prefet.email])
    assert all(len(m.to) == 1 for m in mail.outbox)
    message = mail.outbox[0]
    assert message.subject == "Visa demandé : Feuille de route 2026 (version 1)"
    assert f"/plan-d-actions/feuilles/{feuille.pk}/" in message.body

    assert _demander_visa(client, feuille) == [
        "La feuille de route est déjà à l'étape « Soumise au visa du cabinet »."
    ]
    assert len(mail.outbox) == 2


def test_without_a_cabinet_account_pilotage_is_told_to_warn_it(client, pilotage, feuille):
    client.force_login(pilotage)
    assert _demander_visa(client, feuille) == [
        "La feuille de route est maintenant à l'étape « Soumise au visa du cabinet ». "
        "Aucun membre du cabinet n'a de compte : prévenez-le vous-même."
    ]
    assert mail.outbox == []
    feuille.refresh_from_db()
    assert feuille.statut == FeuilleDeRoute.Statut.VISA


def test_a_mail_server_down_says_the_e_mail_will_leave(
    client, pilotage, cabinet, feuille, serveur_courriel
):
    serveur_courriel.pannes = 1
    client.force_login(pilotage)
    assert _demander_visa(client, feuille) == [
        "La feuille de route est maintenant à l'étape « Soumise au visa du cabinet ». "
        "Le courriel au cabinet partira dès que possible."
    ]
    assert mail.outbox == []
