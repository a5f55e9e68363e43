"""Forms of an action's follow-up and of the yearly bilans.

Each form of the follow-up page says which one it is (`FORMULAIRE`), so that one page
holds several small forms and a POST reaches the right one.
"""

from django import forms

from actions import workflow
from actions.models import Action, BilanAnnuel
from integration.montants import MontantField, NombreField
from integration.widgets import SaisieDate

S = Action.Statut


def _montant(label: str, **kwargs) -> MontantField:
    return MontantField(label=label, required=False, **kwargs)


class StatutForm(forms.Form):
    FORMULAIRE = "statut"
    vers = forms.ChoiceField(label="Nouveau statut", widget=forms.RadioSelect)
    commentaire = forms.CharField(
        label="Commentaire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour un abandon : le motif sera lu par le porteur et le comité.",
    )

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vers"].choices = [
            (vers, S(vers).label)
            for vers in workflow.suivants(action.statut)
            if workflow.verbe_pour(action.statut, vers) == "suivre"
        ]
        self.fields["vers"].error_messages["required"] = "Choisissez le nouveau statut."

    def clean(self):
        donnees = super().clean()
        if donnees.get("vers") in workflow.MOTIVEES and not donnees.get("commentaire", "").strip():
            self.add_error("commentaire", "Indiquez le motif de l'abandon.")
        return donnees


class AvancementForm(forms.Form):
    FORMULAIRE = "avancement"
    avancement = forms.IntegerField(
        label="Avancement (en %)",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Indiquez l'avancement, de 0 à 100.",
            "invalid": "L'avancement est un nombre entier, de 0 à 100.",
            "min_value": "L'avancement ne peut être inférieur à 0 %%.",
            "max_value": "L'avancement ne peut dépasser 100 %%.",
        },
    )


class JalonsForm(forms.Form):
    FORMULAIRE = "jalons"

    def __init__(self, *args, jalons, **kwargs):
        super().__init__(*args, **kwargs)
        self.jalons = list(jalons)
        for jalon in self.jalons:
            self.fields[f"jalon_{jalon.pk}"] = forms.DateField(
                label=f"{jalon.libelle} : atteint le",
                required=False,
                initial=jalon.atteint_le,
                help_text=f"Prévu le {jalon.date_prevue:%d/%m/%Y}. Laissez vide s'il n'est pas "
                "atteint.",
                error_messages={"invalid": "Saisissez une date valide."},
                widget=SaisieDate(),
            )

    def dates(self):
        return [(j, self.cleaned_data[f"jalon_{j.pk}"]) for j in self.jalons]


class MesuresForm(forms.Form):
    """One field per indicator and year of the feuille's period."""

    FORMULAIRE = "mesures"

    def __init__(self, *args, action: Action, indicateurs, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = []
        feuille = action.feuille
        for indicateur in indicateurs:
            valeurs = {m.annee: m.valeur for m in indicateur.mesures.all()}
            for annee in range(feuille.annee_debut, feuille.annee_fin + 1):
                nom = f"mesure_{indicateur.pk}_{annee}"
                self.fields[nom] = NombreField(
                    label=f"{indicateur.libelle} en {annee} ({indicateur.unite})",
                    required=False,
                    initial=valeurs.get(annee),
                )
                self.cases.append((nom, indicateur, annee))

    def valeurs(self):
        return [(ind, annee, self.cleaned_data[nom]) for nom, ind, annee in self.cases]


class VersementsForm(forms.Form):
    FORMULAIRE = "versements"

    def __init__(self, *args, financements, **kwargs):
        super().__init__(*args, **kwargs)
        self.financements = list(financements)
        for f in self.financements:
            self.fields[f"verse_{f.pk}"] = _montant(
                f"Montant versé – {f} (en euros)", initial=f.montant_verse
            )

    def clean(self):
        donnees = super().clean()
        for f in self.financements:
            verse = donnees.get(f"verse_{f.pk}")
            if verse is None:
                continue
            if f.montant_accorde is None:
                self.add_error(f"verse_{f.pk}", "Rien n'a été accordé : rien ne peut être versé.")
            elif verse > f.montant_accorde:
                self.add_error(f"verse_{f.pk}", "Le montant versé dépasse le montant accordé.")
        return donnees

    def montants(self):
        return [(f, self.cleaned_data[f"verse_{f.pk}"]) for f in self.financements]


class BilanForm(forms.ModelForm):
    class Meta:
        model = BilanAnnuel
        fields = ["realisations", "difficultes", "perspectives"]
        widgets = {champ: forms.Textarea(attrs={"rows": 5}) for champ in fields}
        error_messages = {"realisations": {"required": "Décrivez les réalisations de l'année."}}
