"""Forms of the context figures and of the territorial contracts."""

from datetime import date

from django import forms

from acteurs.models import Acteur
from actions.models import Avenant, Contrat, StatistiqueContexte
from actions.services.contexte import actions_du_departement
from integration.montants import MontantField
from integration.widgets import SaisieDate

MONTANT_INVALIDE = {
    "required": "Indiquez le montant (0 s'il n'y en a pas).",
    "min_value": "Un engagement ne peut être négatif.",
}


class StatistiquesForm(forms.Form):
    annee = forms.IntegerField(
        label="Année",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "Indiquez l'année des chiffres.",
            "invalid": "L'année s'écrit en 4 chiffres.",
            "min_value": "L'année doit être postérieure à 2000.",
            "max_value": "L'année doit être antérieure à 2100.",
        },
    )
    source = forms.CharField(
        label="Source",
        max_length=200,
        help_text="Par exemple « OFII, DGEF ».",
        error_messages={"required": "Indiquez la source des chiffres."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, libelle in StatistiqueContexte.Indicateur.choices:
            self.fields[code] = forms.IntegerField(
                label=libelle[0].upper() + libelle[1:],
                required=False,
                min_value=0,
                error_messages={
                    "invalid": "Saisissez un nombre entier.",
                    "min_value": "Un effectif ne peut être négatif.",
                },
            )

    def clean(self):
        donnees = super().clean()
        codes = StatistiqueContexte.Indicateur.values
        if not self.errors and all(donnees.get(c) is None for c in codes):
            raise forms.ValidationError("Saisissez au moins un chiffre.")
        for partie, tout in StatistiqueContexte.PARTIES.items():
            valeur, total = donnees.get(partie), donnees.get(tout)
            if valeur is not None and total is not None and valeur > total:
                libelle = StatistiqueContexte.Indicateur(tout).label.lower()
                self.add_error(
                    partie, f"Ce nombre compte une partie des « {libelle} » ({total}) : il ne "
                    "peut le dépasser.",
                )  # fmt: skip
        return donnees

    def valeurs(self) -> dict:
        return {c: self.cleaned_data.get(c) for c in StatistiqueContexte.Indicateur.values}


def _montant(label: str, **kwargs) -> MontantField:
    return MontantField(label=label, error_messages=MONTANT_INVALIDE, **kwargs)


class ContratForm(forms.ModelForm):
    montant_etat = _montant("Engagement de l'État (en euros)", min_value=0)
    montant_local = _montant("Engagement de la collectivité (en euros)", min_value=0)

    class Meta:
        model = Contrat
        fields = [
            "type", "intitule", "signataire", "date_debut", "date_fin", "signe_le",
            "montant_etat", "montant_local", "actions",
        ]  # fmt: skip
        widgets = {
            "date_debut": SaisieDate(), "date_fin": SaisieDate(), "signe_le": SaisieDate(),
            "actions": forms.CheckboxSelectMultiple,
        }  # fmt: skip
        labels = {
            "actions": "Actions couvertes par le contrat",
        }
        error_messages = {
            "intitule": {"required": "Indiquez l'intitulé du contrat."},
            "signataire": {"required": "Choisissez la commune ou l'EPCI signataire."},
            "date_debut": {"required": "Indiquez la date de début."},
            "date_fin": {"required": "Indiquez la date de fin."},
        }

    def __init__(self, *args, departement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.departement = departement
        self.fields["signataire"].queryset = (
            Acteur.objects.actifs()
            .valides()
            .filter(departement=departement, type__in=[Acteur.Type.COLLECTIVITE, Acteur.Type.EPCI])
        )
        self.fields["actions"].queryset = actions_du_departement(departement)
        self.fields["actions"].required = False
        self.fields["actions"].error_messages["invalid_choice"] = (
            "L'action n° %(value)s n'est pas une action retenue du département."
        )

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("date_debut"), donnees.get("date_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La fin du contrat doit suivre son début.")
        return donnees


class AvenantForm(forms.ModelForm):
    variation_etat = _montant(
        "Variation de l'engagement de l'État (en euros)",
        min_value=None,
        help_text="Une baisse s'écrit avec un signe moins : -5000.",
    )
    variation_locale = _montant(
        "Variation de l'engagement de la collectivité (en euros)",
        min_value=None,
        help_text="Une baisse s'écrit avec un signe moins : -5000.",
    )

    class Meta:
        model = Avenant
        fields = ["signe_le", "objet", "variation_etat", "variation_locale"]
        widgets = {"signe_le": SaisieDate(), "objet": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "signe_le": {"required": "Indiquez la date de signature de l'avenant."},
            "objet": {"required": "Dites ce que l'avenant change."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signe_le"].initial = date.today
