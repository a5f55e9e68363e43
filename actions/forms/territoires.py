"""Where a fiche-action runs: the département, its EPCI, or communes found by a search.

A département has hundreds of communes: drawing one box for each made the fiche's page
weigh seconds on the server and hundreds of Tab stops. The field still accepts any
territory of the département (its queryset), but its widget draws only the département,
its EPCI, the communes already chosen and those matching the search box. The search works
without JavaScript (« Chercher » posts the form, which comes back as typed, nothing
saved) and, with htmx, as one types (`actions.views.fiches.communes`).
"""

from django import forms
from django.db.models import Case, IntegerField, Q, Value, When

from acteurs.models import Territoire
from acteurs.territoires import libelle, rechercher
from integration.text import identifiant, une_ligne

RECHERCHE = "commune_recherche"  # the search box: no field of the action, never saved
CHERCHER = "chercher_communes"  # its button: the form comes back with the communes found
LIMITE = 12  # communes proposed at once; a longer list asks for a closer search
GROUPE_COMMUNES = "communes"
_RANGS = {Territoire.Type.DEPARTEMENT: 0, Territoire.Type.EPCI: 1}


def territoires_du_departement(departement):
    """Every territory of the département: what the field accepts, whatever is drawn."""
    rang = Case(
        When(type=Territoire.Type.DEPARTEMENT, then=Value(0)),
        When(type=Territoire.Type.EPCI, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return Territoire.objects.filter(departements=departement).order_by(
        rang, "nom_recherche", "code"
    )


def etiquette(territoire) -> str:
    if territoire.type == Territoire.Type.COMMUNE:
        return libelle(territoire)
    return f"{territoire.get_type_display()} : {libelle(territoire)}"


class TerritoireChoix(forms.ModelMultipleChoiceField):
    def label_from_instance(self, territoire):
        return etiquette(territoire)


def _cle(territoire):
    # nom_recherche is the folded name: « Écully » sorts with the E, not after « Y ».
    return (_RANGS.get(territoire.type, 2), territoire.nom_recherche, territoire.code)


def _identifiants(valeurs) -> set[int]:
    """The ids among what was posted; anything else is left to the field's validation."""
    if isinstance(valeurs, str | int):
        valeurs = [valeurs]
    return {i for i in (identifiant(v) for v in valeurs or []) if i is not None}


def communes_trouvees(departement, texte, exclues=()) -> tuple[list[Territoire], bool]:
    """The communes of DEPARTEMENT matching TEXTE, alphabetically, but those in EXCLUES
    (already drawn as chosen); and whether more matched than are shown."""
    if not une_ligne(texte):
        return [], False
    trouvees = rechercher(texte, departement, limite=LIMITE + 1 + len(exclues))
    trouvees = [t for t in trouvees if t.pk not in exclues]
    return sorted(trouvees[:LIMITE], key=_cle), len(trouvees) > LIMITE


class ChoixDeTerritoires(forms.CheckboxSelectMultiple):
    """Boxes for the few territories worth drawing (see the module's docstring); the
    form calls `preparer()` with what is chosen and searched. Each box's id carries its
    territory's id, so a box keeps its id whichever list it arrives in."""

    champ_recherche, bouton_chercher = RECHERCHE, CHERCHER

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.recherche, self.trouvees, self.davantage, self.feuille = "", 0, False, None

    def preparer(self, departement, feuille, valeur, recherche) -> None:
        choisis = _identifiants(valeur)
        dessines = Territoire.objects.filter(departements=departement).filter(
            Q(type__in=list(_RANGS)) | Q(pk__in=choisis)
        )
        fixes, communes = [], []
        for territoire in sorted(dessines.only("type", "code", "nom", "nom_recherche"), key=_cle):
            (communes if territoire.type == Territoire.Type.COMMUNE else fixes).append(territoire)
        self.recherche = une_ligne(recherche if isinstance(recherche, str) else "")[:100]
        trouvees, self.davantage = communes_trouvees(departement, self.recherche, choisis)
        self.trouvees, self.feuille = len(trouvees), feuille
        self.choices = [
            ("territoires", [(t.pk, etiquette(t)) for t in fixes]),
            (GROUPE_COMMUNES, [(t.pk, etiquette(t)) for t in [*communes, *trouvees]]),
        ]

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if attrs and attrs.get("id"):
            option["attrs"]["id"] = f"{attrs['id']}_{value}"
        return option

    def communes(self, valeur, attrs) -> list[dict]:
        """The communes' boxes alone (what the search fragment redraws)."""
        for groupe, options, _index in self.optgroups("territoires", valeur, attrs):
            if groupe == GROUPE_COMMUNES:
                return options
        return []
