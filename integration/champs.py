"""Form fields that know no domain."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from integration.text import has_control_characters, une_ligne


class UneLigneField(forms.CharField):
    """A one-line text: line breaks and runs of spaces become one space.

    A name ends up in e-mail subjects, where a line break is forbidden; no invisible
    control character gets through either.
    """

    default_error_messages = {
        "controle": "Ce texte contient un caractère invisible (caractère de contrôle) : retirez-le."
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Our own check below covers NUL, with a message that names the field.
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def to_python(self, value):
        return une_ligne(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if has_control_characters(value):
            raise forms.ValidationError(self.error_messages["controle"], code="controle")


class _OptionsParColonnes(forms.models.ModelChoiceIterator):
    """The options as (pk, label), read in one plain query of the label's columns."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, *valeurs in self.queryset.values_list("pk", *self.field.colonnes):
            yield pk, self.field.libelle(*valeurs)


class ChoixParColonnes(forms.ModelChoiceField):
    """A model choice whose options are read as columns, never as model instances.

    A filter offering a few hundred porteurs or communes spent more building their objects
    (through a server-side cursor, in several round trips) than writing its options. Each
    option's label is LIBELLE applied to the COLONNES' values, as the model's __str__ would
    say it; the value chosen is still cleaned to the model instance.
    """

    iterator = _OptionsParColonnes

    def __init__(self, *args, colonnes: tuple[str, ...], libelle, **kwargs):
        self.colonnes, self.libelle = colonnes, libelle
        super().__init__(*args, **kwargs)


def choix_par_colonnes(champ, colonnes: tuple[str, ...], libelle=str) -> None:
    """The same for a field a ModelForm made (a porteur, a seat's structure, a decision's
    actions, single or multiple): its options read as COLONNES, labelled by LIBELLE; its
    queryset, set before, still says what is valid."""
    champ.colonnes, champ.libelle, champ.iterator = colonnes, libelle, _OptionsParColonnes
    champ.widget.choices = champ.choices
