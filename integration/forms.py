"""The style guide's form: one field of every kind the DSFR template pack renders."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Reset, Row, Submit
from django import forms

from integration.widgets import SaisieDate

PUBLICS = [
    ("", "Sélectionner une option"),
    ("primo_arrivants", "Étrangers primo-arrivants"),
    ("refugies", "Bénéficiaires de la protection internationale"),
    ("jeunes", "Jeunes de 16 à 25 ans"),
    ("femmes", "Femmes isolées"),
]

THEMATIQUES = [
    ("langue", "Apprentissage du français"),
    ("emploi", "Accès à l'emploi"),
    ("logement", "Accès au logement"),
    ("sante", "Accès aux soins"),
    ("citoyennete", "Citoyenneté et valeurs de la République"),
]

AXES = [
    ("accueil", "Premier accueil"),
    ("parcours", "Parcours d'intégration"),
    ("participation", "Participation à la vie locale"),
]

PRIORITES = [
    ("haute", "Haute"),
    ("moyenne", "Moyenne"),
    ("basse", "Basse"),
]


class GuideDeStyleForm(forms.Form):
    """Every widget we use, with hints, required and optional fields and fieldsets.

    It saves nothing: the style guide shows it empty and filled with wrong data.
    """

    nom = forms.CharField(
        label="Nom du porteur de l'action",
        max_length=150,
        help_text="Tel qu'il figure dans le répertoire des acteurs.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    courriel = forms.EmailField(
        label="Adresse électronique",
        help_text="Format attendu : nom@domaine.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    nombre_participants = forms.IntegerField(
        label="Nombre de participants attendus",
        min_value=1,
        help_text="Un nombre entier, au moins 1.",
    )
    date_debut = forms.DateField(
        label="Date de début",
        help_text="Format attendu : JJ/MM/AAAA",
        widget=SaisieDate(),
    )
    public = forms.ChoiceField(label="Public visé", choices=PUBLICS)
    thematiques = forms.MultipleChoiceField(
        label="Thématiques secondaires (facultatif)",
        choices=THEMATIQUES,
        required=False,
        help_text="Maintenez la touche Ctrl (ou Cmd) enfoncée pour en choisir plusieurs.",
    )
    description = forms.CharField(
        label="Description (facultatif)",
        max_length=500,
        required=False,
        help_text="500 caractères au plus.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    axes = forms.MultipleChoiceField(
        label="Axes de la feuille de route",
        choices=AXES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Cochez un axe au moins.",
    )
    priorite = forms.ChoiceField(
        label="Priorité",
        choices=PRIORITES,
        widget=forms.RadioSelect,
        help_text="La priorité décidée en comité de pilotage.",
    )
    piece_jointe = forms.FileField(
        label="Fiche action",
        help_text="Taille maximale : 5 Mo. Formats acceptés : pdf, odt, docx.",
    )
    attestation = forms.BooleanField(
        label="J'atteste l'exactitude des informations saisies",
        help_text="Obligatoire pour transmettre la fiche.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        prefixe = self.prefix or "guide"
        self.helper = FormHelper(self)
        self.helper.form_id = f"formulaire-{prefixe}"
        # The guide only shows the form: sending it just reloads the page.
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Fieldset(
                "Porteur",
                "nom",
                "courriel",
            ),
            Fieldset(
                "L'action",
                Row(Column("nombre_participants"), Column("date_debut")),
                "public",
                "thematiques",
                "description",
                "axes",
                "priorite",
                "piece_jointe",
            ),
            "attestation",
        )
        self.helper.add_input(Submit("enregistrer", "Enregistrer", css_id=f"{prefixe}-enregistrer"))
        self.helper.add_input(Reset("effacer", "Effacer", css_id=f"{prefixe}-effacer"))

    @classmethod
    def en_erreur(cls, prefix: str = "erreur") -> "GuideDeStyleForm":
        """The form bound to data that leaves every field, and the form itself, in error."""
        donnees = {
            "nom": "",
            "courriel": "pas-une-adresse",
            "nombre_participants": "0",
            "date_debut": "31/02/2025",
            "public": "inconnu",
            "thematiques": ["inconnue"],
            "description": "Texte trop long. " * 40,
            # axes, priorite, piece_jointe and attestation are left out: required.
        }
        form = cls(
            data={f"{prefix}-{nom}": valeur for nom, valeur in donnees.items()},
            files={},
            prefix=prefix,
        )
        form.is_valid()
        form.add_error(
            None, "Exemple d'erreur d'ensemble : la fiche ne peut pas être transmise en l'état."
        )
        return form
