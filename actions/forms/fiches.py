"""The fiche-action form: the action itself in sections, and its inline rows (partners,
funding, indicators, milestones) as formsets that work without JavaScript.

Every choice is limited to the action's feuille and département: an axe of another
feuille, a porteur one may not draft for, a partner or a territory of another département
is refused as an invalid choice, whatever the page was made to send.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.db.models import Case, IntegerField, Value, When

from acteurs.models import Acteur, Territoire
from acteurs.territoires import libelle
from actions import access
from actions.models import Action, Financement, Indicateur, Jalon, Partenariat
from actions.services.fiches import CHAMPS
from integration.montants import MontantField, NombreField
from integration.widgets import CheckboxFiltrables, SaisieDate

LIGNES_VIDES = 2  # empty rows offered under the filled ones
LIGNES_AJOUTEES = 3  # what "Ajouter des lignes" adds to each table


class TerritoireChoix(forms.ModelMultipleChoiceField):
    def label_from_instance(self, territoire):
        if territoire.type == Territoire.Type.COMMUNE:
            return libelle(territoire)
        return f"{territoire.get_type_display()} : {libelle(territoire)}"


def territoires_du_departement(departement):
    """The département itself, then its EPCI, then its communes."""
    rang = Case(
        When(type=Territoire.Type.DEPARTEMENT, then=Value(0)),
        When(type=Territoire.Type.EPCI, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return Territoire.objects.filter(departements=departement).order_by(rang, "nom", "code")


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = CHAMPS  # the fiche's content, which its history follows field by field
        labels = {"titre": "Intitulé de l'action", "date_debut": "Début", "date_fin": "Fin"}
        help_texts = {
            "objectifs": "Ce que l'action doit permettre d'atteindre (facultatif).",
            "porteur": "La structure qui conduit l'action et en rend compte.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "objectifs": forms.Textarea(attrs={"rows": 3}),
            "publics": forms.CheckboxSelectMultiple,
            "territoires": CheckboxFiltrables(libelle_filtre="territoires"),
            "date_debut": SaisieDate(),
            "date_fin": SaisieDate(),
        }
        field_classes = {"territoires": TerritoireChoix}

    def __init__(self, *args, feuille, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.feuille = feuille
        departement = feuille.departement
        self.fields["axe"].queryset = feuille.axes.all()
        porteurs = access.structures_porteuses(user, departement)
        if self.instance.pk:  # an action keeps its porteur even if one cannot choose it
            porteurs = porteurs | Acteur.objects.filter(pk=self.instance.porteur_id)
        self.fields["porteur"].queryset = porteurs.order_by("nom").distinct()
        self.fields["territoires"].queryset = territoires_du_departement(departement)
        self.fields[
            "territoires"
        ].help_text = "Le département entier, un ou plusieurs EPCI, ou des communes."
        self.fields["publics"].required = False
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("L'action", "axe", "titre", "description", "objectifs", "porteur"),
            Fieldset("Pour qui, où, quand", "publics", "territoires",
                     Row(Column("date_debut"), Column("date_fin"))),
        )  # fmt: skip

    def clean(self):
        data = super().clean()
        debut, fin = data.get("date_debut"), data.get("date_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La fin de l'action ne peut précéder son début.")
        return data


# --- Inline rows ------------------------------------------------------------------------


class PartenariatForm(forms.ModelForm):
    class Meta:
        model = Partenariat
        fields = ["acteur", "role"]
        labels = {"acteur": "Partenaire", "role": "Rôle dans l'action"}

    def __init__(self, *args, departement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acteur"].queryset = (
            Acteur.objects.actifs().valides().filter(departement=departement).order_by("nom")
        )


class FinancementForm(forms.ModelForm):
    annee = forms.IntegerField(label="Année", min_value=2000, max_value=2100)

    class Meta:
        model = Financement
        fields = ["source", "annee", "montant_demande", "montant_accorde", "montant_verse"]
        labels = {
            "annee": "Année",
            "montant_demande": "Demandé (€)",
            "montant_accorde": "Accordé (€)",
            "montant_verse": "Versé (€)",
        }
        field_classes = {
            "montant_demande": MontantField,
            "montant_accorde": MontantField,
            "montant_verse": MontantField,
        }

    # What only the State's services record (`accorder`): a porteur asks, they grant and pay.
    MONTANTS_DE_L_ETAT = ("montant_accorde", "montant_verse")

    def __init__(self, *args, departement=None, montants_etat=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not montants_etat:  # not in the form: a posted value is never read
            for champ in self.MONTANTS_DE_L_ETAT:
                del self.fields[champ]

    def clean(self):
        data = super().clean()
        demande = data.get("montant_demande")
        accorde = data.get("montant_accorde", self.instance.montant_accorde)
        verse = data.get("montant_verse", self.instance.montant_verse)
        if "montant_accorde" not in self.fields:
            if accorde is not None and demande is not None and demande < accorde:
                self.add_error(
                    "montant_demande",
                    "Le montant demandé ne peut être inférieur au montant déjà accordé.",
                )
            return data
        if accorde is not None and demande is not None and accorde > demande:
            self.add_error(
                "montant_accorde", "Le montant accordé ne peut dépasser le montant demandé."
            )
        elif verse is not None and accorde is None and "montant_accorde" not in self.errors:
            self.add_error("montant_verse", "Rien ne peut être versé sans montant accordé.")
        elif verse is not None and accorde is not None and verse > accorde:
            self.add_error("montant_verse", "Le montant versé ne peut dépasser le montant accordé.")
        return data


class IndicateurForm(forms.ModelForm):
    class Meta:
        model = Indicateur
        fields = ["libelle", "unite", "cible"]
        labels = {"libelle": "Indicateur", "unite": "Unité", "cible": "Cible"}
        help_texts = {"unite": ""}
        field_classes = {"cible": NombreField}

    def __init__(self, *args, departement=None, **kwargs):
        super().__init__(*args, **kwargs)


class JalonForm(forms.ModelForm):
    class Meta:
        model = Jalon
        fields = ["libelle", "date_prevue"]
        labels = {"libelle": "Jalon"}
        widgets = {"date_prevue": SaisieDate()}

    def __init__(self, *args, departement=None, **kwargs):
        super().__init__(*args, **kwargs)


class LignesFormSet(forms.BaseInlineFormSet):
    """Rows of one table of the fiche; the title names the table on the page."""

    titre = ""

    def __init__(self, *args, departement=None, **kwargs):
        self.departement = departement
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.template = "dsfr_crispy/table_inline_formset.html"
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "departement": self.departement}


class PartenariatsFormSet(LignesFormSet):
    titre = "Partenaires"

    def clean(self):
        super().clean()
        vus = set()
        for form in self.forms:
            acteur = form.cleaned_data.get("acteur") if form.cleaned_data else None
            if acteur is None or form.cleaned_data.get("DELETE"):
                continue
            if acteur in vus:
                raise forms.ValidationError(f"« {acteur} » figure deux fois parmi les partenaires.")
            vus.add(acteur)


class FinancementsFormSet(LignesFormSet):
    titre = "Financements"


class IndicateursFormSet(LignesFormSet):
    titre = "Indicateurs"


class JalonsFormSet(LignesFormSet):
    titre = "Jalons"


def _formset(modele, form, base):
    return forms.inlineformset_factory(
        Action, modele, form=form, formset=base, extra=LIGNES_VIDES, can_delete=True
    )


FORMSETS = {
    "partenaires": _formset(Partenariat, PartenariatForm, PartenariatsFormSet),
    "financements": _formset(Financement, FinancementForm, FinancementsFormSet),
    "indicateurs": _formset(Indicateur, IndicateurForm, IndicateursFormSet),
    "jalons": _formset(Jalon, JalonForm, JalonsFormSet),
}


def avec_lignes_en_plus(data, prefixes, nombre: int = LIGNES_AJOUTEES):
    """A copy of posted DATA asking each formset for NOMBRE more empty rows: what was typed
    stays, the new rows come empty."""
    data = data.copy()
    for prefixe in prefixes:
        cle = f"{prefixe}-TOTAL_FORMS"
        try:
            total = int(data.get(cle, 0))
        except ValueError:
            total = 0
        data[cle] = str(min(total, 200) + nombre)
    return data


def formulaires(data, *, feuille, user, action=None):
    """The main form and its formsets, bound to DATA (None: unbound)."""
    action = action or Action(feuille=feuille)
    form = ActionForm(data, instance=action, feuille=feuille, user=user)
    montants_etat = access.peut(user, "accorder", feuille.departement)
    formsets = {
        prefixe: classe(
            data,
            instance=action,
            prefix=prefixe,
            departement=feuille.departement,
            form_kwargs={"montants_etat": montants_etat} if prefixe == "financements" else {},
        )
        for prefixe, classe in FORMSETS.items()
    }
    return form, formsets
