"""Forms of the plan d'actions: feuilles de route, axes, consultation."""

from django import forms

from integration.champs import UneLigneField
from integration.widgets import SaisieDate


def _annee(label: str, exemple: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=2000,
        max_value=2100,
        help_text=f"Par exemple {exemple}.",
        error_messages={
            "min_value": "Indiquez une année entre 2000 et 2100.",
            "max_value": "Indiquez une année entre 2000 et 2100.",
        },
    )


class FeuilleForm(forms.Form):
    """A feuille's own fields; the service checks what spans them (period, window)."""

    titre = UneLigneField(label="Titre", max_length=200)
    annee_debut = _annee("Première année", 2026)
    annee_fin = _annee("Dernière année", 2028)
    depot_ouvert_le = forms.DateField(
        label="Ouverture des dépôts", required=False, widget=SaisieDate()
    )
    depot_clos_le = forms.DateField(
        label="Clôture des dépôts",
        required=False,
        widget=SaisieDate(),
        help_text="Les partenaires déposent leurs fiches-actions entre ces deux dates.",
    )

    def clean(self):
        data = super().clean()
        debut, fin = data.get("annee_debut"), data.get("annee_fin")
        if debut and fin and fin < debut:
            self.add_error("annee_fin", "La dernière année ne peut précéder la première.")
        ouvert, clos = data.get("depot_ouvert_le"), data.get("depot_clos_le")
        if ouvert and clos and clos < ouvert:
            self.add_error(
                "depot_clos_le", "La clôture des dépôts ne peut précéder leur ouverture."
            )
        return data


class AxeForm(forms.Form):
    libelle = UneLigneField(label="Libellé", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentaireForm(forms.Form):
    texte = forms.CharField(
        label="Votre commentaire", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    au_nom_de = forms.ModelChoiceField(
        label="Au nom de", queryset=None, empty_label=None,
        error_messages={"invalid_choice": "Choisissez une de vos structures."},
    )  # fmt: skip
    axe = forms.IntegerField(required=False, widget=forms.HiddenInput)
    action = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["au_nom_de"].queryset = structures


class ReponseForm(forms.Form):
    reponse = forms.CharField(
        label="Réponse", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    pris_en_compte = forms.BooleanField(label="Commentaire pris en compte", required=False)


class SignatureForm(forms.Form):
    """The cabinet's signature of a feuille de route: who signs is the user; in what
    capacity is printed under the signature, as French administrative law requires."""

    qualite = UneLigneField(
        label="Qualité du signataire",
        max_length=200,
        help_text=(
            "Telle qu'elle s'imprime sous la signature, par exemple « Préfet de la "
            "Seine-Maritime » ou « Pour le préfet et par délégation, le secrétaire général »."
        ),
    )
