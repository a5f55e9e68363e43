"""A signed feuille de route is frozen: what it says can no longer change, by any path.

Services call `exiger_modifiable()` before writing a feuille's content (its axes, its
actions' content, partners, planned funding, indicator targets); the database refuses such
writes too (triggers). The follow-up of a signed plan (execution status, progress, amounts
paid, indicator values, milestones reached, bilans) is not content: it goes on.
"""

from django.core.exceptions import ValidationError

MESSAGE = (
    "Cette feuille de route est signée : son contenu ne peut plus changer. "
    "Créez-en une nouvelle version pour la modifier."
)


def exiger_modifiable(feuille) -> None:
    """Refuse, with a French message, any change to the content of a signed feuille."""
    if feuille.est_signee:
        raise ValidationError(MESSAGE, code="feuille_signee")
