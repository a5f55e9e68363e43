"""Model choice fields refuse, as an unknown choice, an integer id no database column holds.

Django hands a posted id to the database as it is: one above 2^63 overflows SQLite's
integer (OverflowError) or PostgreSQL's bigint (DataError), a server error for a typo or a
forged form. Every ModelChoiceField and ModelMultipleChoiceField, ours and the
administration's, checks it first (`installer()`, once, from IntegrationConfig.ready):
the form then says "choix non valide", as for any other unknown id.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

ENTIER_MIN, ENTIER_MAX = -(2**63), 2**63 - 1


def hors_plage(champ: forms.ModelChoiceField, valeur) -> bool:
    """Is VALEUR a whole number the column behind CHAMP's choices cannot hold?"""
    meta = champ.queryset.model._meta
    cle = meta.get_field(champ.to_field_name) if champ.to_field_name else meta.pk
    if not isinstance(cle, models.IntegerField) or isinstance(valeur, models.Model):
        return False  # an AutoField is an IntegerField; other keys are not numbers
    try:
        nombre = int(str(valeur).strip())
    except ValueError:
        return False  # not a number at all: Django refuses it itself
    return not ENTIER_MIN <= nombre <= ENTIER_MAX


def _refuser(champ, valeur):
    raise ValidationError(
        champ.error_messages["invalid_choice"], code="invalid_choice", params={"value": valeur}
    )


def installer() -> None:
    un_choix = forms.ModelChoiceField.to_python
    plusieurs = forms.ModelMultipleChoiceField._check_values

    def to_python(self, value):
        if value not in self.empty_values and hors_plage(self, value):
            _refuser(self, value)
        return un_choix(self, value)

    def _check_values(self, value):
        if isinstance(value, list | tuple):
            for element in value:
                if hors_plage(self, element):
                    _refuser(self, element)
        return plusieurs(self, value)

    forms.ModelChoiceField.to_python = to_python
    forms.ModelMultipleChoiceField._check_values = _check_values
