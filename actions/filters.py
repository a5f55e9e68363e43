"""The actions list's filters and sort, shared by the list page, its exports and the plan's
dashboard (which counts what the unfiltered list shows).

The list spans the current perimeter: one département, or for a wide reader a région or
all of France (then with a filter by département, and without the territory filter: EPCI
and communes make sense within one département).

The form costs the same whatever the perimeter holds: the axes are offered by label (the
default axes share theirs across feuilles and départements, so one choice spans them all);
porteurs and feuilles are offered as choices within one département only, where they are a
few hundred and a few; across a région or France the porteur is a text search and the
département stands for the feuille (thousands of options would be unusable and heavy).
"""

from datetime import date

from django import forms
from django.db.models import (
    DecimalField,
    Exists,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from acteurs.access import dans_les_departements, profil
from acteurs.models import Acteur, Departement, Territoire
from actions.access import actions_visible_to
from actions.models import Action, Axe, FeuilleDeRoute, Financement, PublicCible
from integration.champs import ChoixParColonnes
from integration.text import search_key
from integration.widgets import ListeDeChoix

TRIS = {
    "titre": (("titre", "pk"), "Titre (A → Z)"),
    "-titre": (("-titre", "-pk"), "Titre (Z → A)"),
    "axe": (("axe__ordre", "titre", "pk"), "Axe"),
    "statut": (("statut", "titre", "pk"), "Statut"),
    "porteur": (("porteur__nom", "titre", "pk"), "Porteur"),
    "date_debut": (("date_debut", "titre", "pk"), "Début (le plus proche d'abord)"),
    "-demande": (("-total_demande", "titre", "pk"), "Montant demandé (le plus élevé d'abord)"),
    "-modifie_le": (("-modifie_le", "pk"), "Mises à jour récemment"),
}
MONTANT = DecimalField(max_digits=14, decimal_places=2)


class ActionFiltreForm(forms.Form):
    marquer_obligatoires = False  # a filter: nothing in it is ever required

    # The choices are read as columns (integration.champs.ChoixParColonnes): a few hundred
    # porteurs and communes as model instances cost more than the rest of the form.
    departement = ChoixParColonnes(
        colonnes=("nom", "code"),
        libelle=Departement.libelle,
        widget=ListeDeChoix,
        label="Département",
        required=False,
        queryset=Departement.objects.none(),
        empty_label="Tous les départements",
    )
    q = forms.CharField(label="Rechercher", required=False, max_length=100, help_text="Titre")
    mes_structures = forms.BooleanField(
        label="Seulement les actions de mes structures", required=False
    )
    feuille = ChoixParColonnes(
        colonnes=("titre", "version"),
        libelle="{} (version {})".format,
        widget=ListeDeChoix,
        label="Feuille de route",
        required=False,
        queryset=FeuilleDeRoute.objects.none(),
        empty_label="Toutes les feuilles de route",
    )
    axe = forms.ChoiceField(label="Axe", required=False, widget=ListeDeChoix)
    statut = forms.ChoiceField(
        widget=ListeDeChoix,
        label="Statut",
        required=False,
        choices=[("", "Tous les statuts"), *Action.Statut.choices],
    )
    porteur = ChoixParColonnes(
        colonnes=("nom", "sigle"),
        libelle=Acteur.libelle,
        widget=ListeDeChoix,
        label="Porteur",
        required=False,
        queryset=Acteur.objects.none(),
        empty_label="Tous les porteurs",
    )
    territoire = ChoixParColonnes(
        colonnes=("type", "nom", "code"),
        libelle=Territoire.libelle,
        widget=ListeDeChoix,
        label="Territoire",
        required=False,
        queryset=Territoire.objects.none(),
        empty_label="Tous les territoires",
        help_text="Les actions menées sur ce territoire, dont celles sur tout le département",
    )
    public = ChoixParColonnes(
        colonnes=("libelle",),
        libelle=str,
        widget=ListeDeChoix,
        label="Public",
        required=False,
        queryset=PublicCible.objects.all(),
        empty_label="Tous les publics",
    )
    source = forms.ChoiceField(
        widget=ListeDeChoix,
        label="Source de financement",
        required=False,
        choices=[("", "Toutes les sources"), *Financement.Source.choices],
    )
    annee = forms.TypedChoiceField(
        widget=ListeDeChoix,
        label="Année",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Les actions menées ou financées cette année-là",
    )
    tri = forms.ChoiceField(
        widget=ListeDeChoix,
        label="Trier par",
        required=False,
        choices=[(k, v[1]) for k, v in TRIS.items()],
    )

    def __init__(self, *args, perimetre, visibles: QuerySet[Action], **kwargs):
        super().__init__(*args, **kwargs)
        ids = perimetre.departement_ids
        self.fields["axe"].choices = [("", "Tous les axes")] + [
            (libelle, libelle) for libelle in libelles_des_axes(perimetre)
        ]
        annee = date.today().year
        self.fields["annee"].choices = [("", "Toutes les années")] + [
            (a, str(a)) for a in range(annee + 3, annee - 8, -1)
        ]
        if perimetre.est_departement:
            del self.fields["departement"]
            self.fields["feuille"].queryset = FeuilleDeRoute.objects.filter(
                departement__in=ids
            ).order_by("-annee_debut", "-version")
            # Only the porteurs of actions the user reads: a name never leaks from a draft.
            self.fields["porteur"].queryset = Acteur.objects.filter(
                pk__in=visibles.values("porteur")
            ).order_by("nom")
            self.fields["territoire"].queryset = _territoires_du_filtre(
                perimetre.departement, visibles
            )
        else:
            del self.fields["territoire"], self.fields["feuille"]
            self.fields["porteur"] = forms.CharField(
                label="Porteur", required=False, max_length=100, help_text="Nom ou sigle"
            )
            self.fields["departement"].queryset = Departement.objects.filter(pk__in=ids)

    def sans_filtre(self) -> bool:
        """Whether no filter applies (the sort aside): the list is the whole perimeter's."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return not any(valeur for champ, valeur in data.items() if champ != "tri")

    def filtrer(self, qs: QuerySet[Action], user) -> QuerySet[Action]:
        self.is_valid()  # an invalid filter is ignored; the valid ones still apply
        data = getattr(self, "cleaned_data", {})
        if data.get("departement"):
            qs = qs.filter(feuille__departement=data["departement"])
        if texte := (data.get("q") or "").strip():
            qs = qs.filter(titre__icontains=texte)
        if data.get("mes_structures"):
            qs = qs.filter(porteur__in=list(profil(user).adhesions))
        if data.get("axe"):
            qs = qs.filter(axe__libelle=data["axe"])
        porteur = data.get("porteur")
        if isinstance(porteur, str):  # a wide perimeter's text search, folded like the key
            if cle := search_key(porteur.strip()):
                qs = qs.filter(porteur__recherche__contains=cle)
        elif porteur:
            qs = qs.filter(porteur=porteur)
        for champ in ("feuille", "statut"):
            if data.get(champ):
                qs = qs.filter(**{champ: data[champ]})
        if data.get("territoire"):
            qs = qs.filter(pk__in=_actions_sur(data["territoire"]))
        if data.get("public"):
            publics = Action.publics.through.objects.filter(publiccible=data["public"])
            qs = qs.filter(pk__in=publics.values("action"))
        if data.get("source"):
            lignes = Financement.objects.filter(source=data["source"])
            qs = qs.filter(pk__in=lignes.values("action"))
        if data.get("annee"):
            qs = qs.filter(_menee_ou_financee(data["annee"]))
        tri = TRIS.get(data.get("tri") or "axe", TRIS["axe"])[0]
        if "-total_demande" in tri:
            qs = qs.annotate(total_demande=_total("montant_demande"))
        return qs.order_by(*tri)


def libelles_des_axes(perimetre) -> list[str]:
    """The axes' distinct labels in PERIMETRE, in the plans' order: ten or so, however
    many feuilles repeat them."""
    axes = _dans_le_perimetre(Axe.objects.all(), perimetre)
    lignes = axes.values("libelle").annotate(ordre=Min("ordre")).order_by("ordre", "libelle")
    return [ligne["libelle"] for ligne in lignes]


def _territoires_du_filtre(departement, visibles: QuerySet[Action]) -> QuerySet[Territoire]:
    """The département's EPCI, and the communes that actions the user reads name (a
    département has hundreds of communes: a list of all of them would be unusable). A
    commune only another structure's draft names never shows.

    Whether a commune is named is asked of each of the département's few hundred
    territories (EXISTS): as « id IN (the named ones) » beside the EPCI test, PostgreSQL
    read every territory of France (36,000) to keep a few hundred."""
    nommees = Action.territoires.through.objects.filter(action__in=visibles)
    nommee = Exists(nommees.filter(territoire=OuterRef("pk")))
    return (
        Territoire.objects.filter(departements=departement)
        .filter(Q(type=Territoire.Type.EPCI) | Q(nommee, type=Territoire.Type.COMMUNE))
        .order_by("-type", "nom")
    )


def _actions_sur(territoire: Territoire):
    """Action ids on TERRITOIRE: itself, what contains it (its EPCI, its département) and,
    for an EPCI, its communes."""
    T = Territoire.Type
    condition = Q(territoire=territoire) | Q(
        territoire__type=T.DEPARTEMENT, territoire__code__in=_codes_departements(territoire)
    )
    if territoire.type == T.EPCI:
        condition |= Q(territoire__epci=territoire)
    elif territoire.epci_id:
        condition |= Q(territoire=territoire.epci_id)
    return Action.territoires.through.objects.filter(condition).values("action")


def _codes_departements(territoire: Territoire):
    return Departement.objects.filter(territoires=territoire).values("code")


def _menee_ou_financee(annee: int) -> Q:
    debut, fin = date(annee, 1, 1), date(annee, 12, 31)
    menee = (Q(date_debut__isnull=True) | Q(date_debut__lte=fin)) & (
        Q(date_fin__isnull=True) | Q(date_fin__gte=debut)
    )
    datee = Q(date_debut__isnull=False) | Q(date_fin__isnull=False)
    financee = Q(pk__in=Financement.objects.filter(annee=annee).values("action"))
    return (menee & datee) | financee


def _total(champ: str) -> Coalesce:
    lignes = (
        Financement.objects.filter(action=OuterRef("pk"))
        .order_by()
        .values("action")
        .annotate(total=Sum(champ))
        .values("total")
    )
    return Coalesce(Subquery(lignes, output_field=MONTANT), Value(0, output_field=MONTANT))


def avec_totaux(qs: QuerySet[Action]) -> QuerySet[Action]:
    """Each action's requested and granted totals, as a row of the list shows them, in the
    same query (subqueries: no row multiplied)."""
    return qs.annotate(
        total_demande=_total("montant_demande"), total_accorde=_total("montant_accorde")
    )


def base(user, perimetre) -> QuerySet[Action]:
    """The actions the user reads in the perimeter: the visibility rule is a flat filter,
    one row per action, so every aggregate and sort can build on it."""
    return _dans_le_perimetre(actions_visible_to(user), perimetre)


def _dans_le_perimetre(qs: QuerySet, perimetre) -> QuerySet:
    """QS (actions or axes, each in a feuille of a département) within PERIMETRE. Over
    France the filter narrows nothing, and its list of 101 ids doubled PostgreSQL's time
    to sort the national list's page and to group the axes' labels (2.5 ms, 1.1 without):
    `dans_les_departements` leaves it out."""
    return qs.filter(dans_les_departements("feuille__departement", perimetre.departement_ids))


def actions_filtrees(request) -> tuple[ActionFiltreForm, QuerySet[Action]]:
    """The list's actions with the GET filters and sort applied. Without their totals,
    but for the sort by amount: the list annotates its page's fifty rows
    (`avec_totaux`), the exports read theirs by lot. Three subqueries annotated on every
    query built from this one cost the list more to compose than PostgreSQL to run."""
    qs = base(request.user, request.perimetre)
    form = ActionFiltreForm(request.GET or None, perimetre=request.perimetre, visibles=qs)
    return form, form.filtrer(qs, request.user)
