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
