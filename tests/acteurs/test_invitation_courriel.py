"""An invitation's message says the e-mail left only once it has."""

from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from integration.celery import app
from integration.tasks import send_email

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_e_mail_handed_to_the_broker_is_not_said_sent(client, pilotage, association):
    client.force_login(pilotage)
    app.conf.task_always_eager = False
    try:
        with mock.patch.object(send_email, "apply_async"):  # the broker takes it; no worker yet
            response = client.post(
                reverse("acteurs:invitation_creer"),
                {"email": "confie@example.fr", "acteur": association.pk, "role_membre": "lecteur"},
                follow=True,
            )
    finally:
        app.conf.task_always_eager = True
    assert [str(m) for m in response.context["messages"]] == [
        "Invitation enregistrée pour confie@example.fr, mais le courriel n'a pas encore pu "
        "partir : il partira automatiquement dès que possible."
    ]
    assert mail.outbox == []
