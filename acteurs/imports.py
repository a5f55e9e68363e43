"""Checking a file of actors (CSV or XLSX) before anything is written, then writing it.

`integration.fichiers` reads the upload into rows; `analyser_fichier()` matches the
columns, checks every row by the rules of the actor's form (`ActeurChampsForm`), looks for
duplicates, and returns a `ResultatImport` the preview shows; it writes nothing. The view
keeps the clean rows (`LigneImport.en_session()`) and, once the user confirms,
`enregistrer()` checks them again against the database and creates them all, or none.
"""

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from acteurs import services
from acteurs.forms import ActeurChampsForm
from acteurs.models import Acteur, Departement, Reseau, Territoire
from acteurs.validators import validate_siret
from integration.fichiers.entete import Colonnes, cle, lire_entete
from integration.fichiers.formules import retablir
from integration.fichiers.lecture import (
    FichierRefuse,
    Limites,
    empreinte,
    lire_tableau,
    lire_televersement,
)
from integration.locks import lock_row
from integration.text import fold

LIMITES = Limites(octets=2 * 1024 * 1024, lignes=2000)


# --- Columns ----------------------------------------------------------------------------

# field -> (label shown to the user, headers accepted for it)
COLONNES: Colonnes = {
    "nom": ("Nom", (
        "nom", "raison sociale", "structure", "nom de la structure", "nom structure",
        "denomination", "nom de l'acteur", "acteur", "organisme", "nom de l'organisme",
    )),
    "sigle": ("Sigle", ("sigle", "acronyme", "abreviation")),
    "type": ("Type", (
        "type", "categorie", "type d'acteur", "type de structure", "categorie d'acteur",
        "nature", "statut juridique",
    )),
    "siret": ("SIRET", (
        "siret", "n° siret", "no siret", "numero siret", "numero de siret", "n siret",
    )),
    "adresse": ("Adresse", ("adresse", "adresse postale", "rue", "voie")),
    "code_postal": ("Code postal", ("code postal", "cp")),
    "commune": ("Commune", ("commune", "ville", "localite", "nom de la commune")),
    "code_insee": ("Code INSEE", ("code insee", "insee", "code commune", "code insee commune")),
    "telephone": ("Téléphone", (
        "telephone", "tel", "tel.", "numero de telephone", "n° de telephone", "telephone fixe",
    )),
    "courriel": ("Courriel", (
        "courriel", "email", "e-mail", "mel", "mail", "adresse electronique", "adresse mail",
        "adresse e-mail", "adresse email",
    )),
    "site_web": ("Site web", ("site web", "site internet", "site", "url", "web")),
    "reseaux": ("Réseaux", ("reseaux", "reseau", "reseaux porteurs", "reseau porteur")),
    "description": ("Description", ("description", "presentation", "activites")),
}  # fmt: skip
OBLIGATOIRES = ("nom", "type")


# --- Types ------------------------------------------------------------------------------

_VARIANTES_TYPE = {
    Acteur.Type.SERVICE_ETAT: (
        "etat", "service etat", "services de l'etat", "service de l etat", "administration",
        "prefecture", "service deconcentre", "services deconcentres", "ddets", "sgar",
    ),
    Acteur.Type.OPERATEUR_ETAT: (
        "operateur", "operateur etat", "operateurs de l'etat", "ofii", "france travail",
        "etablissement public",
    ),
    Acteur.Type.COLLECTIVITE: (
        "collectivite", "collectivites", "collectivite locale", "collectivites territoriales",
        "commune", "mairie", "ville", "conseil departemental", "departement",
        "conseil regional", "region",
    ),
    Acteur.Type.EPCI: (
        "intercommunalite", "communaute de communes", "communaute d'agglomeration",
        "communaute urbaine", "metropole", "agglomeration", "agglo",
    ),
    Acteur.Type.ASSOCIATION: ("asso", "associations", "association loi 1901", "associatif"),
    Acteur.Type.ENTREPRISE: ("entreprises", "societe", "sas", "sarl", "sa", "eurl"),
    Acteur.Type.AUTRE: ("autres", "divers"),
}  # fmt: skip
_TYPES = {
    **{cle(variante): t for t, variantes in _VARIANTES_TYPE.items() for variante in variantes},
    **{cle(t.value): t for t in Acteur.Type},
    **{cle(t.label): t for t in Acteur.Type},
}
TYPES_ACCEPTES = ", ".join(str(label) for label in Acteur.Type.labels)


# --- Result -----------------------------------------------------------------------------


@dataclass
class LigneImport:
    """One data row of the file."""

    numero: int  # the line number the spreadsheet shows; the header is line 1
    valeurs: dict[str, str]  # what the file says, as text, by field
    donnees: dict = field(default_factory=dict)  # parsed, JSON-serialisable (ids, not objects)
    erreurs: list[str] = field(default_factory=list)
    doublon: str = ""  # "Doublon de « X » (SIRET identique)", "Doublon de la ligne 4 du fichier…"
    libelles: dict[str, str] = field(default_factory=dict)  # type and commune as read back

    @property
    def est_valide(self) -> bool:
        return not self.erreurs and not self.doublon

    @property
    def messages(self) -> list[str]:
        return [*self.erreurs, *([self.doublon] if self.doublon else [])]

    @property
    def nom(self) -> str:
        return self.donnees.get("nom") or self.valeurs.get("nom", "")

    def en_session(self) -> dict:
        return {
            "numero": self.numero, "valeurs": self.valeurs, "donnees": self.donnees,
            "libelles": self.libelles,
        }  # fmt: skip

    @classmethod
    def depuis_session(cls, data: dict) -> "LigneImport":
        return cls(
            numero=data["numero"], valeurs=data["valeurs"], donnees=data["donnees"],
            libelles=data.get("libelles", {}),
        )  # fmt: skip


@dataclass
class ResultatImport:
    nom_fichier: str = ""
    empreinte: str = ""  # sha256 of the file as uploaded
    lignes: list[LigneImport] = field(default_factory=list)
    erreurs: list[str] = field(default_factory=list)  # about the whole file
    colonnes_reconnues: list[tuple[str, str]] = field(default_factory=list)  # (header, label)
    colonnes_ignorees: list[str] = field(default_factory=list)

    @property
    def nb_lignes(self) -> int:
        return len(self.lignes)

    @property
    def nb_pretes(self) -> int:
        return sum(1 for ligne in self.lignes if ligne.est_valide)

    @property
    def nb_en_erreur(self) -> int:
        return self.nb_lignes - self.nb_pretes

    @property
    def est_propre(self) -> bool:
        """Nothing to fix: no error about the file, no row in error, no duplicate."""
        return not self.erreurs and bool(self.lignes) and self.nb_en_erreur == 0

    @property
    def resume(self) -> str:
        """ "12 lignes, 10 prêtes, 2 en erreur"."""
        n, p = self.nb_lignes, self.nb_pretes
        return f"{n} ligne{_s(n)}, {p} prête{_s(p)}, {self.nb_en_erreur} en erreur"


def _s(n: int) -> str:
    return "s" if n > 1 else ""


# --- Checking ---------------------------------------------------------------------------


def analyser_fichier(fichier, departement) -> ResultatImport:
    """Read an uploaded file (a Django UploadedFile) and check it for DEPARTEMENT."""
    try:
        nom_fichier, contenu = lire_televersement(fichier, LIMITES)
    except FichierRefuse as exc:
        nom_fichier = PurePath(getattr(fichier, "name", "") or "").name
        return ResultatImport(nom_fichier=nom_fichier, erreurs=[str(exc)])
    return analyser_contenu(nom_fichier, contenu, departement)


def analyser_contenu(nom_fichier: str, contenu: bytes, departement) -> ResultatImport:
    resultat = ResultatImport(nom_fichier=nom_fichier, empreinte=empreinte(contenu))
    try:
        lignes = lire_tableau(nom_fichier, contenu, LIMITES)
    except FichierRefuse as exc:
        resultat.erreurs.append(str(exc))
        return resultat

    _numero_entete, entete = lignes[0]
    colonnes = _lire_entete(entete, resultat)
    if resultat.erreurs:
        return resultat
    if len(lignes) == 1:
        resultat.erreurs.append(
            "Le fichier ne contient que la ligne d'en-tête : aucun acteur à importer."
        )
        return resultat

    referentiel = _Referentiel(departement)
    for numero, cellules in lignes[1:]:
        valeurs = {
            champ: cellules[index] if index < len(cellules) else ""
            for index, champ in colonnes.items()
        }
        resultat.lignes.append(_verifier_ligne(numero, valeurs, referentiel))
    verifier_doublons(resultat.lignes, departement, dans_le_fichier=True)
    return resultat


def _lire_entete(titres: list, resultat: ResultatImport) -> dict[int, str]:
    """Column index -> field; records recognised, ignored and missing columns."""
    entete = lire_entete(titres, COLONNES, OBLIGATOIRES)
    resultat.colonnes_reconnues, resultat.colonnes_ignorees = entete.reconnues, entete.ignorees
    if entete.erreur:
        resultat.erreurs.append(entete.erreur)
    return entete.champs


class _Referentiel:
    """The communes of the département and the networks, loaded once per file."""

    def __init__(self, departement):
        self.departement = departement
        self.communes_par_code: dict[str, tuple[int, str]] = {}
        self.communes_par_nom: dict[str, list[tuple[int, str, str]]] = {}
        communes = Territoire.objects.filter(
            type=Territoire.Type.COMMUNE, departements=departement
        ).values_list("pk", "code", "nom", "codes_postaux")
        for pk, code, nom, codes_postaux in communes:
            self.communes_par_code[code.upper()] = (pk, nom)
            self.communes_par_nom.setdefault(_cle_commune(nom), []).append((pk, nom, codes_postaux))
        self.reseaux: dict[str, tuple[int, str]] = {}
        for pk, slug, libelle in Reseau.objects.values_list("pk", "slug", "libelle"):
            self.reseaux[cle(slug)] = (pk, libelle)
            self.reseaux[cle(libelle)] = (pk, libelle)


def _cle_commune(nom: str) -> str:
    """ "St-Étienne-du-Rouvray" and "saint etienne du rouvray" give the same key."""
    mots = re.split(r"[^a-z0-9]+", fold(nom))
    abreviations = {"st": "saint", "ste": "sainte"}
    return "".join(abreviations.get(mot, mot) for mot in mots)


_CODE_INSEE = re.compile(r"^(\d[\dab]\d{3})$", re.IGNORECASE)
_COMMUNE_ET_CODE = re.compile(r"^(.*?)\s*\((\d[\dab]\d{3})\)$", re.IGNORECASE)
# The fields the actor's form checks; the type, the commune and the networks are read here.
_CHAMPS_DU_FORMULAIRE = [c for c in ActeurChampsForm.Meta.fields if c != "type"]


def _verifier_ligne(numero: int, brutes: dict, ref: _Referentiel) -> LigneImport:
    valeurs = {champ: _texte(champ, valeur) for champ, valeur in brutes.items()}
    ligne = LigneImport(numero=numero, valeurs=valeurs)
    erreurs: dict[str, list[str]] = {}  # by field, to list them in the columns' order
    d = ligne.donnees

    type_ = _lire_type(valeurs.get("type", ""), erreurs)
    d["type"] = type_.value if type_ else ""
    ligne.libelles["type"] = str(type_.label) if type_ else valeurs.get("type", "")

    site = valeurs.get("site_web", "")
    if site and not re.match(r"^https?://", site, re.IGNORECASE):
        # On screen the form completes "www…" under the person's eyes; in a file nobody
        # would see the guess, so the address must be written whole.
        erreurs["site_web"] = [f"Le site web « {site} » doit commencer par https:// (ou http://)."]

    _appliquer_formulaire(valeurs, d, erreurs)

    d["commune"], ligne.libelles["commune"] = _trouver_commune(
        valeurs.get("commune", ""), valeurs.get("code_insee", ""), d["code_postal"], ref,
        erreurs.setdefault("commune", []),
    )  # fmt: skip
    d["reseaux"] = _trouver_reseaux(
        valeurs.get("reseaux", ""), ref, erreurs.setdefault("reseaux", [])
    )
    ligne.erreurs = [message for champ in COLONNES for message in erreurs.get(champ, [])]
    return ligne


def _lire_type(brut: str, erreurs: dict) -> Acteur.Type | None:
    type_ = _TYPES.get(cle(brut)) if brut else None
    if not brut:
        erreurs["type"] = [f"Le type est obligatoire. Valeurs acceptées : {TYPES_ACCEPTES}."]
    elif type_ is None:
        erreurs["type"] = [f"Type « {brut} » inconnu. Valeurs acceptées : {TYPES_ACCEPTES}."]
    return type_


def _appliquer_formulaire(valeurs: dict, d: dict, erreurs: dict) -> None:
    """Check the row by the form's rules, with its messages; D gets the cleaned values.

    A value the form refuses is kept as written, so that the preview shows it.
    """
    form = ActeurChampsForm(
        data={"type": d["type"], **{c: valeurs.get(c, "") for c in _CHAMPS_DU_FORMULAIRE}}
    )
    form.is_valid()
    for champ in _CHAMPS_DU_FORMULAIRE:
        if champ in form.errors and champ not in erreurs:
            messages = form.errors[champ]
            if champ == "siret":  # the digits as read: a number cell may have lost some
                messages = [f"SIRET « {valeurs['siret']} » : {m}" for m in messages]
            erreurs[champ] = list(messages)
        d[champ] = form.cleaned_data.get(champ, valeurs.get(champ, ""))


def _texte(champ: str, valeur) -> str:
    """A cell as the text a person would have typed in the form."""
    if isinstance(valeur, int):  # a number cell: put back the zeros Excel dropped
        chiffres = str(valeur)
        if champ == "siret" and len(chiffres) in (12, 13):
            return chiffres.zfill(14)
        if champ in ("code_postal", "code_insee") and len(chiffres) == 4:
            return chiffres.zfill(5)
        if champ == "telephone" and len(chiffres) == 9:
            return "0" + chiffres  # 0235123456 typed in a number cell
        return chiffres
    valeur = retablir(valeur)  # the quote our own export puts before a formula
    if champ == "siret" and (entier := _SIRET_EN_NOMBRE.match(valeur)):
        return entier.group(1).zfill(14)  # "12345678901234.0", as some tools write it
    return valeur


_SIRET_EN_NOMBRE = re.compile(r"^(\d{12,14})[.,]0+$")


def _trouver_commune(
    nom: str, code: str, code_postal: str, ref: _Referentiel, erreurs: list[str]
) -> tuple[int | None, str]:
    """(territoire id, label) of the commune named NOM or coded CODE in the département."""
    code = code.strip()
    if not code:
        if _CODE_INSEE.match(nom):
            nom, code = "", nom
        elif match := _COMMUNE_ET_CODE.match(nom):  # "Rouen (76540)", as we print it
            nom, code = match.group(1), match.group(2)
    if code:
        trouvee = ref.communes_par_code.get(code.upper())
        if trouvee:
            return trouvee[0], f"{trouvee[1]} ({code.upper()})"
        erreurs.append(
            f"Aucune commune de code INSEE « {code} » dans le département {ref.departement.du_nom}."
        )
        return None, nom or code
    if not nom:
        return None, ""
    candidates = ref.communes_par_nom.get(_cle_commune(nom), [])
    if len(candidates) > 1 and code_postal:
        candidates = [c for c in candidates if code_postal in c[2]] or candidates
    if len(candidates) == 1:
        pk, nom_officiel, _ = candidates[0]
        return pk, nom_officiel
    if candidates:
        erreurs.append(
            f"Plusieurs communes s'appellent « {nom} » dans le département : indiquez "
            "leur code INSEE dans une colonne « Code INSEE »."
        )
    else:
        erreurs.append(
            f"Commune « {nom} » introuvable dans le département {ref.departement.du_nom}."
        )
    return None, nom


def _trouver_reseaux(texte: str, ref: _Referentiel, erreurs: list[str]) -> list[int]:
    """Networks separated by , ; or | — some labels hold a comma, so the longest match wins."""
    trouves: list[int] = []
    for partie in re.split(r"[;|\n]", texte):
        morceaux = [m.strip() for m in partie.split(",")]
        i = 0
        while i < len(morceaux):
            if not morceaux[i]:
                i += 1
                continue
            for j in range(len(morceaux), i, -1):
                reseau = ref.reseaux.get(cle(",".join(morceaux[i:j])))
                if reseau:
                    if reseau[0] not in trouves:
                        trouves.append(reseau[0])
                    i = j
                    break
            else:
                erreurs.append(
                    f"Réseau « {morceaux[i]} » inconnu : utilisez le libellé ou "
                    "l'identifiant d'un réseau de la liste data·inclusion."
                )
                i += 1
    return trouves


# --- Duplicates -------------------------------------------------------------------------


def _cle_nom(nom: str) -> str:
    return " ".join(re.split(r"[^a-z0-9]+", fold(nom))).strip()


def verifier_doublons(lignes: list[LigneImport], departement, *, dans_le_fichier: bool) -> None:
    """Flag the rows that duplicate an actor of DEPARTEMENT or, optionally, an earlier row.

    Same SIRET is a duplicate; so is the same name (accents, case and punctuation aside)
    when one of the two has no SIRET — two establishments may share a name.
    """
    existants_siret: dict[str, str] = {}
    existants_nom: dict[str, list[tuple[str, str]]] = {}
    for nom, siret, statut in Acteur.objects.filter(departement=departement).values_list(
        "nom", "siret", "statut"
    ):
        if siret:
            existants_siret.setdefault(siret, nom)
        if statut != Acteur.Statut.REJETE:
            existants_nom.setdefault(_cle_nom(nom), []).append((nom, siret))

    vus_siret: dict[str, int] = {}
    vus_nom: dict[str, list[tuple[int, str]]] = {}
    for ligne in lignes:
        ligne.doublon = ""
        nom, siret = ligne.donnees.get("nom", ""), ligne.donnees.get("siret", "")
        if siret and not _siret_valide(siret):
            siret = ""  # already reported; comparing it would say nothing more
        nom_cle = _cle_nom(nom)
        if siret and siret in existants_siret:
            ligne.doublon = f"Doublon de « {existants_siret[siret]} » (SIRET identique)"
        elif nom_cle and (
            meme := next((n for n, s in existants_nom.get(nom_cle, []) if not (siret and s)), None)
        ):
            ligne.doublon = f"Doublon de « {meme} » (même nom)"
        elif dans_le_fichier and siret and siret in vus_siret:
            ligne.doublon = f"Doublon de la ligne {vus_siret[siret]} du fichier (SIRET identique)"
        elif (
            dans_le_fichier
            and nom_cle
            and (autre := next((n for n, s in vus_nom.get(nom_cle, []) if not (siret and s)), None))
        ):
            ligne.doublon = f"Doublon de la ligne {autre} du fichier (même nom)"
        if siret:
            vus_siret.setdefault(siret, ligne.numero)
        if nom_cle:
            vus_nom.setdefault(nom_cle, []).append((ligne.numero, siret))


def _siret_valide(siret: str) -> bool:
    try:
        validate_siret(siret)
    except ValidationError:
        return False
    return True


# --- Writing, once confirmed ------------------------------------------------------------


class ImportBloque(Exception):
    """Rows that were clean at the preview are not any more; their errors say why."""


CHAMPS_TEXTE = (
    "type", "nom", "sigle", "siret", "adresse", "code_postal", "telephone", "courriel",
    "site_web", "description",
)  # fmt: skip


def enregistrer(departement, lignes: list[LigneImport], *, by) -> list[Acteur]:
    """Create the actors of LIGNES (checked at the preview) in one transaction, or none.

    Duplicates are looked for again: someone may have created one of these actors since
    the preview. On any, nothing is written, the rows carry the new errors and
    ImportBloque is raised.
    """
    try:
        with transaction.atomic():
            # One import at a time per département: a second confirmation (double click,
            # two colleagues) waits, then sees the actors the first one created.
            lock_row(Departement, departement.pk)
            verifier_doublons(lignes, departement, dans_le_fichier=False)
            _verifier_references(lignes, departement)
            if any(not ligne.est_valide for ligne in lignes):
                raise ImportBloque
            return _creer(departement, lignes, by)
    except IntegrityError as exc:  # a constraint saw a duplicate our check could not
        verifier_doublons(lignes, departement, dans_le_fichier=False)
        raise ImportBloque from exc


def _verifier_references(lignes: list[LigneImport], departement) -> None:
    """A commune or a network kept by id may have gone since the preview."""
    communes = set(
        Territoire.objects.filter(
            type=Territoire.Type.COMMUNE, departements=departement
        ).values_list("pk", flat=True)
    )
    reseaux = set(Reseau.objects.values_list("pk", flat=True))
    for ligne in lignes:
        commune = ligne.donnees.get("commune")
        if commune and commune not in communes:
            ligne.erreurs.append(f"La commune « {ligne.libelles.get('commune')} » n'existe plus.")
        if set(ligne.donnees.get("reseaux", [])) - reseaux:
            ligne.erreurs.append("Un des réseaux indiqués n'existe plus.")


def _creer(departement, lignes: list[LigneImport], by) -> list[Acteur]:
    communes = Territoire.objects.in_bulk(
        {ligne.donnees["commune"] for ligne in lignes if ligne.donnees.get("commune")}
    )
    reseaux = Reseau.objects.in_bulk(
        {pk for ligne in lignes for pk in ligne.donnees.get("reseaux", [])}
    )
    fiches = []
    for ligne in lignes:
        d = ligne.donnees
        fiche = {champ: d.get(champ, "") for champ in CHAMPS_TEXTE}
        fiche["commune"] = communes.get(d["commune"]) if d.get("commune") else None
        fiche["reseaux"] = [reseaux[pk] for pk in d.get("reseaux", [])]
        fiches.append(fiche)
    return services.importer_acteurs(departement, fiches, by=by)
