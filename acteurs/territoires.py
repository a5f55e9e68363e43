"""Reference territories: loading them, searching them, choosing one in a form.

The communes, EPCI and départements come from `acteurs/data/territoires.csv.gz` (see the
README there). `charger_territoires()` loads them in bulk; `rechercher()` serves the
search-as-you-type; `TerritoireField` lets a form pick one, with live suggestions when
JavaScript runs and a server-side resolution of what was typed when it does not.
"""

import csv
import gzip
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django import forms
from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Replace
from django.urls import reverse

from acteurs.models import Departement, Territoire
from integration.text import fold

FICHIER = Path(__file__).resolve().parent / "data" / "territoires.csv.gz"
SEPARATEUR = "|"
CHAMPS_MODIFIABLES = ["siren", "nom", "codes_postaux", "population", "epci", "nom_recherche"]


# --- Loading ----------------------------------------------------------------------------


def lire_referentiel(fichier: Path = FICHIER) -> list[dict[str, str]]:
    with gzip.open(fichier, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def normaliser_code_departement(code: str) -> str:
    """ "5" -> "05", "2a" -> "2A": what people type on a command line."""
    code = code.strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) == 1 else code


@dataclass
class Bilan:
    """What a load did, for the command's summary."""

    # département code -> {"commune": n, "epci": n} in the reference file
    par_departement: dict[str, Counter] = field(default_factory=dict)
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0
    liens_ajoutes: int = 0
    liens_retires: int = 0
    # "Nom (code)" of territories in the database, linked to a loaded département, that the
    # reference no longer lists (merged communes, dissolved EPCI): kept, never deleted.
    absents: list[str] = field(default_factory=list)
    # loaded département codes without a Departement row: territories left unlinked
    sans_departement: list[str] = field(default_factory=list)


def charger_territoires(codes: set[str] | None = None, fichier: Path = FICHIER) -> Bilan:
    """Create or update the territories of départements CODES (all of France if None).

    A département's territories are its communes, the EPCI with at least one member
    commune in it, and the département itself. Idempotent: a second run changes nothing.
    Each territory is linked to the Departement rows that exist with a matching code;
    no Departement row is created here.
    """
    lignes = lire_referentiel(fichier)
    connus = {ligne["code"] for ligne in lignes if ligne["type"] == "departement"}
    if codes is not None:
        inconnus = set(codes) - connus
        if inconnus:
            raise ValueError(
                "Département inconnu du référentiel : " + ", ".join(sorted(inconnus)) + "."
            )
        codes = set(codes)
    else:
        codes = connus
    selection = [
        ligne for ligne in lignes if codes.intersection(ligne["departements"].split(SEPARATEUR))
    ]

    bilan = Bilan()
    for code in sorted(codes):
        bilan.par_departement[code] = Counter()
    for ligne in selection:
        for code in ligne["departements"].split(SEPARATEUR):
            if code in codes:
                bilan.par_departement[code][ligne["type"]] += 1

    departement_pk = dict(Departement.objects.values_list("code", "pk"))
    bilan.sans_departement = sorted(codes - set(departement_pk))

    with transaction.atomic():
        existants = {
            (type_, code): (pk, siren, nom, codes_postaux, population, epci_id, nom_recherche)
            for pk, type_, code, siren, nom, codes_postaux, population, epci_id, nom_recherche in (
                Territoire.objects.values_list(
                    "pk",
                    "type",
                    "code",
                    "siren",
                    "nom",
                    "codes_postaux",
                    "population",
                    "epci_id",
                    "nom_recherche",
                )
            )
        }
        # EPCI (and départements) first: communes point to their EPCI.
        epci_pk: dict[str, int] = {}
        for groupe in (("departement", "epci"), ("commune",)):
            if groupe == ("commune",):
                epci_pk = dict(
                    Territoire.objects.filter(type=Territoire.Type.EPCI).values_list("code", "pk")
                )
            a_creer, a_modifier = [], defaultdict(list)
            for ligne in selection:
                if ligne["type"] not in groupe:
                    continue
                valeurs = (
                    ligne["siren"],
                    ligne["nom"],
                    ligne["codes_postaux"],
                    int(ligne["population"]) if ligne["population"] else None,
                    epci_pk.get(ligne["epci"]) if ligne["epci"] else None,
                    fold(ligne["nom"]),
                )
                territoire = Territoire(
                    type=ligne["type"],
                    code=ligne["code"],
                    siren=valeurs[0],
                    nom=valeurs[1],
                    codes_postaux=valeurs[2],
                    population=valeurs[3],
                    epci_id=valeurs[4],
                    nom_recherche=valeurs[5],
                )
                ancien = existants.get((ligne["type"], ligne["code"]))
                if ancien is None:
                    a_creer.append(territoire)
                elif ancien[1:] != valeurs:
                    territoire.pk = ancien[0]
                    # Grouped by changed fields: a yearly update mostly touches "population".
                    champs = tuple(
                        nom
                        for nom, avant, apres in zip(
                            CHAMPS_MODIFIABLES, ancien[1:], valeurs, strict=True
                        )
                        if avant != apres
                    )
                    a_modifier[champs].append(territoire)
                else:
                    bilan.inchanges += 1
            Territoire.objects.bulk_create(a_creer, batch_size=1000)
            for champs, territoires in a_modifier.items():
                _mettre_a_jour(territoires, champs)
                bilan.modifies += len(territoires)
            bilan.crees += len(a_creer)

        bilan.liens_ajoutes, bilan.liens_retires = _lier_departements(selection, departement_pk)
        bilan.absents = _absents(lignes, codes, departement_pk)
    return bilan


def _mettre_a_jour(territoires: list[Territoire], champs: tuple[str, ...]) -> None:
    """UPDATE these rows, one parameterised statement run with executemany.

    bulk_update() builds one CASE WHEN per field over the whole batch: refreshing the
    population of 35 000 communes took over 15 s on SQLite. executemany of a plain UPDATE
    (pipelined by psycopg 3 on PostgreSQL) takes about one.
    """
    colonnes = [Territoire._meta.get_field(champ) for champ in champs]
    qn = connection.ops.quote_name
    # Only quoted names from the model's own metadata go into the text; values are parameters.
    sql = "UPDATE {table} SET {affectations} WHERE {pk} = %s".format(  # noqa: S608
        table=qn(Territoire._meta.db_table),
        affectations=", ".join(f"{qn(colonne.column)} = %s" for colonne in colonnes),
        pk=qn(Territoire._meta.pk.column),
    )
    parametres = [
        [getattr(t, colonne.attname) for colonne in colonnes] + [t.pk] for t in territoires
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, parametres)


def _lier_departements(selection, departement_pk) -> tuple[int, int]:
    """Make the M2M `departements` of the selected territories match the reference."""
    Lien = Territoire.departements.through
    territoire_pk = {
        (type_, code): pk
        for pk, type_, code in Territoire.objects.values_list("pk", "type", "code")
    }
    voulus = set()
    selectionnes = set()
    for ligne in selection:
        pk = territoire_pk[(ligne["type"], ligne["code"])]
        selectionnes.add(pk)
        for code in ligne["departements"].split(SEPARATEUR):
            if code in departement_pk:
                voulus.add((pk, departement_pk[code]))
    presents = {}
    for lien_pk, t_pk, d_pk in Lien.objects.values_list("pk", "territoire_id", "departement_id"):
        if t_pk in selectionnes:
            presents[(t_pk, d_pk)] = lien_pk
    a_ajouter = [
        Lien(territoire_id=t_pk, departement_id=d_pk)
        for t_pk, d_pk in sorted(voulus - presents.keys())
    ]
    a_retirer = [lien_pk for paire, lien_pk in presents.items() if paire not in voulus]
    Lien.objects.bulk_create(a_ajouter, batch_size=1000)
    for debut in range(0, len(a_retirer), 500):
        Lien.objects.filter(pk__in=a_retirer[debut : debut + 500]).delete()
    return len(a_ajouter), len(a_retirer)


def _absents(lignes, codes, departement_pk) -> list[str]:
    references = {(ligne["type"], ligne["code"]) for ligne in lignes}
    pks = [departement_pk[code] for code in codes if code in departement_pk]
    qs = (
        Territoire.objects.filter(departements__in=pks)
        .distinct()
        .values_list("type", "code", "nom")
        .order_by("type", "code")
    )
    return [f"{nom} ({code})" for type_, code, nom in qs if (type_, code) not in references]


# --- Search -----------------------------------------------------------------------------

# What the search treats as equal, beyond case and accents: hyphens, apostrophes and
# spaces ("saint andre d embrun" finds "Saint-André-d'Embrun"), and the ligatures.
_EQUIVALENCES = (("-", " "), ("'", " "), ("’", " "), ("œ", "oe"), ("æ", "ae"))


def normaliser(texte: str) -> str:
    texte = fold(texte)
    for avant, apres in _EQUIVALENCES:
        texte = texte.replace(avant, apres)
    return " ".join(texte.split())


def _nom_normalise():
    """The database side of `normaliser()`, applied to the stored folded name."""
    expression = F("nom_recherche")
    for avant, apres in _EQUIVALENCES:
        expression = Replace(expression, Value(avant), Value(apres))
    # "CC Faucigny - Glières" gives three spaces in a row: bring them back to one.
    for _ in range(2):
        expression = Replace(expression, Value("  "), Value(" "))
    return expression


def _pk(departement):
    return getattr(departement, "pk", departement)


def rechercher(texte: str, departement, types=("commune",), limite: int = 10) -> list[Territoire]:
    """Territories of DEPARTEMENT matching TEXTE: by name (accents and case ignored),
    INSEE/SIREN code or postal code. Starts-with first, then the most populated."""
    q = normaliser(texte)
    brut = (texte or "").strip().upper()
    if not q or departement is None:
        return []
    debut = Q(nom_norme__startswith=q)
    if re.fullmatch(r"[0-9][0-9AB][0-9]*", brut):
        debut |= Q(code__startswith=brut)
        if brut.isdigit():
            debut |= Q(codes_postaux__startswith=brut) | Q(
                codes_postaux__contains=SEPARATEUR + brut
            )
    qs = (
        Territoire.objects.filter(departements=_pk(departement), type__in=list(types))
        .annotate(nom_norme=_nom_normalise())
        .filter(debut | Q(nom_norme__contains=q))
        .annotate(
            rang=Case(When(debut, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("rang", F("population").desc(nulls_last=True), "nom", "code")
        .only("type", "code", "nom", "codes_postaux", "population")
    )
    return list(qs[:limite])


def libelle(territoire: Territoire) -> str:
    """ "Gap (05061)": what a suggestion fills in and what the field reads back."""
    return f"{territoire.nom} ({territoire.code})"


# --- Form field -------------------------------------------------------------------------

_NOMS = {
    # type -> (singular, plural, "Aucun"/"Aucune", code name)
    "commune": ("commune", "communes", "Aucune", "le code INSEE"),
    "epci": ("EPCI", "EPCI", "Aucun", "le SIREN"),
    "departement": ("département", "départements", "Aucun", "le code"),
}
_CHARNIERES = r"(de la |de l'|de l’|du |des |d'|d’|de )"


def du_departement(departement) -> str:
    """ "de la Seine-Maritime", "des Hautes-Alpes": read from the préfet's title."""
    if departement is None:
        return ""
    trouve = re.search(
        _CHARNIERES + re.escape(departement.nom) + r"\s*$", departement.titre_prefet or ""
    )
    return (trouve.group(1) if trouve else "de ") + departement.nom


class TerritoireWidget(forms.TextInput):
    """A text input that asks the server for suggestions as one types (htmx).

    The suggestions land in a list right below the input (see the template);
    `static/js/territoires.js` lets one pick them with the mouse or the keyboard.
    """

    template_name = "acteurs/widgets/territoire.html"

    class Media:
        js = [forms.Script("js/territoires.js", defer=True)]

    def __init__(self, attrs=None, types=("commune",)):
        super().__init__(attrs)
        self.types = tuple(types)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        liste = f"{attrs.get('id') or 'id_' + name}-suggestions"
        attrs.update(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-controls": liste,
                "aria-expanded": "false",
                "data-territoire": "",
                "hx-get": reverse("acteurs:territoires_recherche"),
                "hx-trigger": "input changed delay:250ms, search",
                "hx-target": f"#{liste}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
                # The input's own value travels under its name; "champ" tells the view
                # which parameter holds the query.
                "hx-vals": json.dumps({"types": ",".join(self.types), "champ": name}),
            }
        )
        context["widget"]["suggestions_id"] = liste
        return context


class TerritoireField(forms.Field):
    """Choose a territory by typing its code, its label "Nom (code)" or its name.

    The form sets `field.departement` (the scope) in its __init__, and `types` if
    it wants EPCI or départements too. Works without JavaScript: whatever was typed is
    resolved here, with a clear message when it is ambiguous or unknown.
    """

    widget = TerritoireWidget

    def __init__(
        self,
        *,
        departement=None,
        types=("commune",),
        queryset=None,
        limit_choices_to=None,
        to_field_name=None,
        blank=None,
        **kwargs,
    ):
        # queryset, limit_choices_to, to_field_name and blank: what a ModelForm passes for
        # a ForeignKey when `field_classes = {"commune": TerritoireField}`.
        super().__init__(**kwargs)
        self.departement = departement
        self.types = types
        self.queryset = queryset if queryset is not None else Territoire.objects.all()
        if limit_choices_to and not callable(limit_choices_to):
            self.queryset = self.queryset.complex_filter(limit_choices_to)

    @property
    def types(self):
        return self._types

    @types.setter
    def types(self, valeur):
        self._types = tuple(valeur)
        self.widget.types = self._types

    def _portee(self):
        qs = self.queryset.filter(type__in=self.types)
        if self.departement is not None:
            qs = qs.filter(departements=_pk(self.departement))
        return qs

    def _departement_objet(self):
        if self.departement is None or isinstance(self.departement, Departement):
            return self.departement
        return Departement.objects.filter(pk=self.departement).first()

    def _mots(self):
        if len(self.types) == 1:
            return _NOMS[self.types[0]]
        return ("territoire", "territoires", "Aucun", "le code")

    def _liste(self, territoires, maximum=8) -> str:
        texte = ", ".join(libelle(t) for t in territoires[:maximum])
        return texte + ("…" if len(territoires) > maximum else "")

    def prepare_value(self, value):
        if isinstance(value, Territoire):
            return libelle(value)
        if isinstance(value, int):
            territoire = Territoire.objects.filter(pk=value).only("nom", "code").first()
            return libelle(territoire) if territoire else ""
        return value

    def to_python(self, value):
        if isinstance(value, Territoire):
            return value
        texte = " ".join(str(value or "").split())
        if not texte:
            return None
        portee = self._portee()
        singulier, pluriel, aucun, nom_du_code = self._mots()

        # "Gap (05061)"; an EPCI name may end in brackets too: "CA Loire Forez (LFA)".
        etiquette = re.fullmatch(r"(?P<nom>.*?)\s*\((?P<code>[0-9][0-9ABab][0-9]{0,7})\)", texte)
        territoire = portee.filter(code=etiquette["code"].upper()).first() if etiquette else None
        if territoire is not None:
            code, nom = etiquette["code"].upper(), etiquette["nom"]
            if nom and normaliser(nom) != normaliser(territoire.nom):
                raise forms.ValidationError(
                    "Le code %(code)s est celui de %(vrai)s, pas de « %(nom)s ». "
                    "Choisissez dans la liste ou corrigez le nom.",
                    code="incoherent",
                    params={"code": code, "vrai": territoire.nom, "nom": nom},
                )
            return territoire

        code = texte.upper().replace(" ", "")
        if re.fullmatch(r"[0-9][0-9AB][0-9]{0,7}", code):
            territoire = portee.filter(code=code).first()
            if territoire is not None:
                return territoire
            if len(code) == 5 and code.isdigit():
                par_code_postal = list(
                    portee.filter(
                        Q(codes_postaux__startswith=code) | Q(codes_postaux__contains="|" + code)
                    ).order_by("nom")
                )
                par_code_postal = [
                    t for t in par_code_postal if code in t.codes_postaux.split(SEPARATEUR)
                ]
                if len(par_code_postal) == 1:
                    return par_code_postal[0]
                if par_code_postal:
                    raise forms.ValidationError(
                        "Plusieurs %(pluriel)s ont le code postal %(code)s : %(liste)s. "
                        "Précisez %(nom_du_code)s.",
                        code="ambigu",
                        params={
                            "pluriel": pluriel,
                            "code": code,
                            "liste": self._liste(par_code_postal),
                            "nom_du_code": nom_du_code,
                        },
                    )
            raise self._inconnu(texte)

        q = normaliser(texte)
        exacts = list(
            portee.annotate(nom_norme=_nom_normalise()).filter(nom_norme=q).order_by("code")
        )
        if len(exacts) == 1:
            return exacts[0]
        if exacts:
            raise forms.ValidationError(
                "Plusieurs %(pluriel)s portent ce nom : %(liste)s. Précisez %(nom_du_code)s.",
                code="ambigu",
                params={
                    "pluriel": pluriel,
                    "liste": self._liste(exacts),
                    "nom_du_code": nom_du_code,
                },
            )
        if self.departement is None:
            raise self._inconnu(texte)
        proches = rechercher(texte, self.departement, self.types, limite=9)
        if len(proches) > 1:
            raise forms.ValidationError(
                "Plusieurs %(pluriel)s correspondent à « %(texte)s » : %(liste)s. "
                "Précisez %(nom_du_code)s.",
                code="ambigu",
                params={
                    "pluriel": pluriel,
                    "texte": texte,
                    "liste": self._liste(proches),
                    "nom_du_code": nom_du_code,
                },
            )
        if proches:
            raise forms.ValidationError(
                "%(aucun)s %(singulier)s %(du)s ne s'appelle « %(texte)s ». "
                "Vouliez-vous dire %(proche)s ?",
                code="inconnu",
                params={
                    "aucun": aucun,
                    "singulier": singulier,
                    "du": du_departement(self._departement_objet()),
                    "texte": texte,
                    "proche": libelle(proches[0]),
                },
            )
        raise self._inconnu(texte)

    def _inconnu(self, texte):
        singulier, _, aucun, _ = self._mots()
        du = du_departement(self._departement_objet())
        return forms.ValidationError(
            "%(aucun)s %(singulier)s%(du)s ne correspond à « %(texte)s ».",
            code="inconnu",
            params={
                "aucun": aucun,
                "singulier": singulier,
                "du": f" {du}" if du else "",
                "texte": texte,
            },
        )

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            nouveau = self.to_python(data)
        except forms.ValidationError:
            return True
        return _pk(initial) != _pk(nouveau)
