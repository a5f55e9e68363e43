"""Idempotent writes: the same click sent twice at once (a double click, two tabs) must act
once. A service that changes an object's state locks its row first and reads it again:

    @transaction.atomic
    def revoquer(invitation, by):
        reload_locked(invitation)       # a second tab's request waits here for the first
        if invitation.revoquee_le:       # ... then sees what the first one did
            raise ValidationError("Cette invitation est déjà révoquée.")

The lock lasts until the transaction ends, so call it inside one (`transaction.atomic`).
"""

from django.db import models, transaction


def reload_locked(instance: models.Model) -> None:
    """Lock INSTANCE's row until the commit (SELECT … FOR UPDATE) and reload its fields."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reload_locked() ne verrouille que dans une transaction")
    instance.refresh_from_db(from_queryset=type(instance)._default_manager.select_for_update())
