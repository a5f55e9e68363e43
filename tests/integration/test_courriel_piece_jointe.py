"""The e-mail task with an attachment: JSON arguments in, one e-mail with its file out."""

import pytest
from django.core import mail

from integration.models import OutboxTask
from integration.outbox import enqueue
from integration.tasks import send_email_with_attachment


@pytest.mark.django_db
def test_an_attachment_travels_as_text_through_the_outbox(apres_commit):
    with apres_commit():
        row = enqueue(
            send_email_with_attachment,
            "Convocation",
            "Bonjour",
            ["a@example.fr"],
            "invitation.ics",
            "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
            "text/calendar; method=REQUEST",
        )
    (message,) = mail.outbox
    assert message.to == ["a@example.fr"] and message.body == "Bonjour"
    assert message.attachments == [
        ("invitation.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar; method=REQUEST")
    ]
    row.refresh_from_db()
    assert row.status == OutboxTask.Status.DONE
