"""The upload form of a spreadsheet to preview before importing it."""

from crispy_forms.helper import FormHelper
from django import forms


class TeleversementForm(forms.Form):
    """One .csv or .xlsx file. Subclasses name it (LIBELLE) and say what it holds (AIDE).

    The page's template writes the multipart <form> and its CSRF token itself."""

    LIBELLE = "Fichier"
    AIDE = "Format .csv ou .xlsx."

    fichier = forms.FileField(
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={
            "required": "Choisissez le fichier à importer.",
            "empty": "Le fichier déposé est vide.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fichier"].label = self.LIBELLE
        self.fields["fichier"].help_text = self.AIDE
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
