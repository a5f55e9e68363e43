"""The message after a decision on an action says what happened to the porteur's e-mail."""

import html

import pytest
from django.core import mail
from django.urls import reverse

from actions.services import circuit

# Real commits: the e-mail leaves (or not) when the decision commits, before the message.
pytestmark = pytest.mark.django_db(transaction=True)


def _valider(client, action):
    response = client.post(
        reverse("actions:transition", args=[action.pk]),
        {"vers": "validee", "commentaire": "Bonne action."},
        follow=True,
    )
    return [html.unescape(str(m)) for m in response.context["messages"]]


@pytest.fixture
def soumise(brouillon, partenaire):
    circuit.changer_statut(brouillon, "soumise", by=partenaire)
    mail.outbox.clear()
    return brouillon


def test_the_porteur_is_said_told_once_the_e_mail_has_left(client, pilotage, soumise):
    client.force_login(pilotage)
    assert _valider(client, soumise) == [
        "L'action est validée : le porteur en est averti par courriel."
    ]
    assert len(mail.outbox) == 1


def test_a_mail_server_down_gives_en_cours_d_envoi(client, pilotage, soumise, serveur_courriel):
    serveur_courriel.pannes = 1
    client.force_login(pilotage)
    assert _valider(client, soumise) == [
        "L'action est validée ; le courriel qui en avertit le porteur est en cours d'envoi."
    ]
    assert mail.outbox == []
