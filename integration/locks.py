"""Idempotent writes: the same click sent twice at once (a double click, two tabs) must act
once. A service that changes an object's state locks its row first and reads it again:

    @transaction.atomic
    def revoquer(invitation, by):
        reload_locked(invitation)       # a second tab's request waits here for the first
        if invitation.revoquee_le:       # ... then sees what the first one did
            raise ValidationError("Cette invitation est déjà révoquée.")

The lock lasts until the transaction ends, so call it inside one (`transaction.atomic`).
A creation locks the row it is created under, then looks for what the first request
made: content that may legitimately repeat later (a comment, a fiche) counts as the same
only when it came from the same user within `MEME_ENVOI`.
"""

from datetime import timedelta

from django.db import models, transaction

# The same content sent again by the same user within this delay is the same submission.
MEME_ENVOI = timedelta(minutes=10)


def lock_row(model: type[models.Model], pk) -> None:
    """Lock MODEL's row PK until the commit, without reading it: the row a creation is made
    under (a département, a feuille), so the same form sent twice at once waits here for
    the first one's commit, then finds what it made."""
    model._default_manager.select_for_update().filter(pk=pk).exists()


def reload_locked(instance: models.Model) -> None:
    """Lock INSTANCE's row until the commit (SELECT … FOR UPDATE) and reload its fields."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reload_locked() ne verrouille que dans une transaction")
    instance.refresh_from_db(from_queryset=type(instance)._default_manager.select_for_update())
