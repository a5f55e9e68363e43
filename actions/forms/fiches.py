"""The fiche-action form: the action itself in sections, and its inline rows (partners,
funding, indicators, milestones) as formsets that work without JavaScript.

Every choice is limited to the action's feuille and département: an axe of another
feuille, a porteur one may not draft for, a partner or a territory of another département
is refused as an invalid choice, whatever the page was made to send.

The territories are checked against every territory of the département, but only a few
are drawn: the département and its EPCI, the communes already chosen and those a search
proposes (`actions/forms/territoires.py`). Drawing the 700 communes of a département made
the page weigh seconds and hundreds of Tab stops. The partners likewise: each row offers the
partners already chosen and the structures a search above the table found, not the
département's hundreds of structures in every row.
"""

from django import forms
from django.forms.utils import ErrorDict
from django.utils.functional import cached_property

from acteurs.models import Acteur
from actions import access
from actions.forms.territoires import (
    LIMITE,
    RECHERCHE,
    ChoixDeTerritoires,
    TerritoireChoix,
    territoires_du_departement,
)
from actions.models import Action, Axe, Financement, Indicateur, Jalon, Partenariat
from actions.services.fiches import CHAMPS
from integration.champs import choix_par_colonnes
from integration.montants import MontantField, NombreField
from integration.text import identifiant, search_key, une_ligne
from integration.widgets import ListeDeChoix, SaisieDate

LIGNES_VIDES = 2  # empty rows offered under the filled ones
LIGNES_AJOUTEES = 3  # what "Ajouter des lignes" adds to each table
LIGNES_MAX = 100  # rows a table of the fiche may hold (partners, funding, indicators, milestones)
RECHERCHE_PARTENAIRES = "partenaire_recherche"  # the partners' search box, never saved
CHERCHER_PARTENAIRES = "chercher_partenaires"  # its button: the form comes back as typed


class SaisieEnCours:
    """A form that can be shown again as typed, without judging it: « Ajouter des lignes »
    and « Chercher » re-render a half-typed fiche, which is no error yet. Its errors are
    not computed at all, so no control claims aria-invalid towards a message not shown."""

    erreurs_tues = False

    def taire_erreurs(self):
        self.erreurs_tues = True

    def full_clean(self):
        if self.erreurs_tues:
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()


def _par_nom(acteurs):
    # The folded search key sorts « Écully » with the E, not after « Y ».
    return acteurs.order_by("recherche", "nom")


class ActionForm(SaisieEnCours, forms.ModelForm):
    # Its « * » are explained by the page, in a sentence that covers the tables too.
    mention_obligatoires = False

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
            "axe": ListeDeChoix,
            "porteur": ListeDeChoix,
            "publics": forms.CheckboxSelectMultiple,
            "territoires": ChoixDeTerritoires,
            "date_debut": SaisieDate(),
            "date_fin": SaisieDate(),
        }
        field_classes = {"territoires": TerritoireChoix}

    def __init__(self, *args, feuille, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.feuille = feuille
        departement = feuille.departement
        self.fields["axe"].queryset = feuille.axes.all()
        # Choices read as columns: as instances, Django opened a server-side cursor on
        # PostgreSQL for each list (three round trips for ten rows).
        choix_par_colonnes(self.fields["axe"], ("ordre", "libelle"), Axe.intitule)
        porteurs = access.structures_porteuses(user, departement)
        if self.instance.pk:  # an action keeps its porteur even if one cannot choose it
            porteurs = porteurs | Acteur.objects.filter(pk=self.instance.porteur_id)
        self.fields["porteur"].queryset = _par_nom(porteurs).distinct()
        choix_par_colonnes(self.fields["porteur"], ("nom", "sigle"), Acteur.libelle)
        territoires = self.fields["territoires"]
        territoires.queryset = territoires_du_departement(departement)  # what is valid
        territoires.help_text = "Le département entier, un ou plusieurs EPCI, ou des communes."
        # What is drawn: the few territories worth a box, not the département's communes.
        territoires.widget.preparer(
            departement, feuille, self["territoires"].value(), (self.data or {}).get(RECHERCHE)
        )
        self.fields["publics"].required = False
        choix_par_colonnes(self.fields["publics"], ("libelle",))

    def clean(self):
        data = super().clean()
        debut, fin = data.get("date_debut"), data.get("date_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La fin de l'action ne peut précéder son début.")
        return data


# --- Inline rows ------------------------------------------------------------------------


def partenaires_possibles(departement):
    return _par_nom(Acteur.objects.actifs().valides().filter(departement=departement))


def partenaire_possible(acteur, departement) -> bool:
    """The test of partenaires_possibles(), on an actor already read."""
    valide = acteur.statut == Acteur.Statut.VALIDE
    return valide and not acteur.est_archive and acteur.departement_id == departement.pk


class PartenariatForm(SaisieEnCours, forms.ModelForm):
    class Meta:
        model = Partenariat
        fields = ["acteur", "role"]
        labels = {"acteur": "Partenaire", "role": "Rôle dans l'action"}
        widgets = {"acteur": ListeDeChoix}

    def __init__(self, *args, departement, partenaires, choix_acteurs=None, **kwargs):
        super().__init__(*args, **kwargs)
        # PARTENAIRES: the formset's partenaires_possibles(), built once for all its rows.
        self.fields["acteur"].queryset = partenaires
        if choix_acteurs is not None:  # read once for every row, not once per row
            self.fields["acteur"].widget.choices = choix_acteurs


class FinancementForm(SaisieEnCours, forms.ModelForm):
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
        widgets = {"source": ListeDeChoix}  # its options written in Python, on every row
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


class IndicateurForm(SaisieEnCours, forms.ModelForm):
    class Meta:
        model = Indicateur
        fields = ["libelle", "unite", "cible"]
        labels = {"libelle": "Indicateur", "unite": "Unité", "cible": "Cible"}
        help_texts = {"unite": ""}
        field_classes = {"cible": NombreField}

    def __init__(self, *args, departement=None, **kwargs):
        super().__init__(*args, **kwargs)


class JalonForm(SaisieEnCours, forms.ModelForm):
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
    default_error_messages = {
        "too_many_forms": f"Une fiche compte au plus {LIGNES_MAX} lignes par tableau."
    }
    erreurs_tues = False

    def __init__(self, *args, departement=None, **kwargs):
        self.departement = departement
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "departement": self.departement}

    def taire_erreurs(self):
        """Shown again as typed, unjudged (see SaisieEnCours)."""
        self.erreurs_tues = True
        for form in self.forms:
            form.taire_erreurs()

    def full_clean(self):
        if self.erreurs_tues:
            self._errors, self._non_form_errors = [], self.error_class()
            return
        super().full_clean()


class PartenariatsFormSet(LignesFormSet):
    titre = "Partenaires"
    champ_recherche, bouton_chercher = RECHERCHE_PARTENAIRES, CHERCHER_PARTENAIRES

    def get_queryset(self):
        # The rows read with the action (its access check needed them) are not read again.
        lignes = getattr(self.instance, "_prefetched_objects_cache", {}).get("partenariats")
        if lignes is None:
            return super().get_queryset().select_related("acteur")
        return list(lignes)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        return {**kwargs, "partenaires": self.partenaires, "choix_acteurs": self.choix_acteurs}

    @cached_property
    def partenaires(self):
        """partenaires_possibles(), for every row and every search of the formset: a row
        assigning it to its field takes a copy (`ModelChoiceField.queryset`)."""
        return partenaires_possibles(self.departement)

    @cached_property
    def recherche(self) -> str:
        texte = self.data.get(RECHERCHE_PARTENAIRES) if self.is_bound else ""
        return une_ligne(texte if isinstance(texte, str) else "")[:100]

    @cached_property
    def proposes(self) -> tuple[list[Acteur], list[Acteur], bool]:
        """The partners chosen in the rows; the other structures the search found (LIMITE
        at most); whether more matched than are proposed."""
        choisis = self._choisis()
        exclus = {a.pk for a in choisis}
        trouves = [a for a in self._chercher(LIMITE + 1 + len(exclus)) if a.pk not in exclus]
        return choisis, trouves[:LIMITE], len(trouves) > LIMITE

    @property
    def trouves(self) -> int:
        return len(self.proposes[1])

    @property
    def davantage(self) -> bool:
        return self.proposes[2]

    @cached_property
    def choix_acteurs(self):
        """What every row offers (read once for all rows): those chosen and those found."""
        choisis, trouves, _ = self.proposes
        acteurs = sorted([*choisis, *trouves], key=lambda a: (a.recherche, a.nom))
        return [("", "---------"), *((a.pk, str(a)) for a in acteurs)]

    def _choisis(self) -> list[Acteur]:
        if not self.is_bound:  # the saved rows, read with their actors: no query
            acteurs = [ligne.acteur for ligne in self.get_queryset()]
            return [a for a in acteurs if partenaire_possible(a, self.departement)]
        champs = (f"{self.prefix}-{rang}-acteur" for rang in range(self.total_form_count()))
        ids = {identifiant(self.data.get(champ)) for champ in champs} - {None}
        return list(self.partenaires.filter(pk__in=ids)) if ids else []

    def _chercher(self, limite) -> list[Acteur]:
        # Folded like the stored key: accents, case and punctuation do not count.
        cle = search_key(self.recherche)
        if not cle:
            return []
        trouves = self.partenaires.filter(recherche__contains=cle)
        return list(trouves[:limite])

    def clean(self):
        # Ours first: Django's own check of the unique pair would say « Corrigez les
        # données en double dans acteur » on the table and again on the row.
        vus = set()
        for form in self.forms:
            acteur = form.cleaned_data.get("acteur") if form.cleaned_data else None
            if acteur is None or form.cleaned_data.get("DELETE"):
                continue
            if acteur in vus:
                raise forms.ValidationError(f"« {acteur} » figure deux fois parmi les partenaires.")
            vus.add(acteur)
        super().clean()


class FinancementsFormSet(LignesFormSet):
    titre = "Financements"


class IndicateursFormSet(LignesFormSet):
    titre = "Indicateurs"


class JalonsFormSet(LignesFormSet):
    titre = "Jalons"


def _formset(modele, form, base):
    # A posted row count is capped at LIGNES_MAX: a page asking for billions of rows gets a
    # message, never thousands of rows built and drawn.
    return forms.inlineformset_factory(
        Action,
        modele,
        form=form,
        formset=base,
        extra=LIGNES_VIDES,
        can_delete=True,
        max_num=LIGNES_MAX,
        absolute_max=LIGNES_MAX,
        validate_max=True,
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
        data[cle] = str(max(0, min(total + nombre, LIGNES_MAX)))
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


def resume_des_erreurs(form, formsets) -> list[tuple[str, str]]:
    """Each error of the fiche, in the page's order, as (the id of its control, the text
    the summary at the top shows), so each line of the summary leads to its field."""
    erreurs = [("lignes-principales", str(message)) for message in form.non_field_errors()]
    erreurs += [
        (champ.auto_id, f"{champ.label} : {message}")
        for champ in form.visible_fields()
        for message in champ.errors
    ]
    for formset in formsets:
        ancre = f"lignes-{formset.prefix}"
        erreurs += [(ancre, f"{formset.titre} : {m}") for m in formset.non_form_errors()]
        for rang, ligne in enumerate(formset.forms, 1):
            erreurs += _erreurs_de_ligne(ligne, f"{formset.titre}, ligne {rang}")
    return erreurs


def _erreurs_de_ligne(ligne, nom) -> list[tuple[str, str]]:
    visibles = ligne.visible_fields()
    premier = visibles[0].auto_id if visibles else ""
    # A row's own errors, and those of its hidden id, lead to its first control.
    erreurs = [(premier, f"{nom} : {m}") for m in ligne.non_field_errors()]
    erreurs += [(premier, f"{nom} : {m}") for c in ligne.hidden_fields() for m in c.errors]
    return erreurs + [
        (champ.auto_id, f"{nom}, {champ.label} : {message}")
        for champ in visibles
        for message in champ.errors
    ]
