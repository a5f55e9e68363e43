"""Reading and checking a file of actors (CSV or XLSX) before anything is written.

`analyser_fichier()` reads the upload, matches its columns, checks every row and looks
for duplicates, and returns a `ResultatImport` the preview shows; it writes nothing. The
view keeps the clean rows (`LigneImport.en_session()`) and, once the user confirms,
`enregistrer()` checks them again against the database and creates them all, or none.
"""

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction

from acteurs import services
from acteurs.models import Acteur, Departement, Reseau, Territoire
from acteurs.validators import normalise_siret, validate_siret
from integration.text import fold

TAILLE_MAX = 2 * 1024 * 1024  # bytes
LIGNES_MAX = 2000  # data rows, header excluded, empty rows ignored
# A 2 MB workbook may unzip to far more; beyond this it is not a list of actors.
TAILLE_DECOMPRESSEE_MAX = 60 * 1024 * 1024
# Rows read (empty ones included) before giving up on a sheet full of blank lines.
LIGNES_LUES_MAX = 20 * LIGNES_MAX

EXTENSIONS = (".csv", ".xlsx")


class FichierRefuse(Exception):
    """The upload cannot be read at all; the message says why, in French."""


# --- Columns ----------------------------------------------------------------------------

# field -> (label shown to the user, headers accepted for it)
COLONNES: dict[str, tuple[str, tuple[str, ...]]] = {
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


def _cle(texte: str) -> str:
    """Only letters and digits, folded: "N° Siret" and "n siret" give the same key."""
    return re.sub(r"[^a-z0-9]", "", fold(texte))


_SYNONYMES = {
    _cle(synonyme): champ for champ, (_, synonymes) in COLONNES.items() for synonyme in synonymes
}


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
    **{_cle(variante): t for t, variantes in _VARIANTES_TYPE.items() for variante in variantes},
    **{_cle(t.value): t for t in Acteur.Type},
    **{_cle(t.label): t for t in Acteur.Type},
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


# --- Reading ----------------------------------------------------------------------------


def lire_tableau(nom_fichier: str, contenu: bytes) -> list[tuple[int, list[str]]]:
    """The non-empty rows of the file as text cells, with their line numbers.

    Raises FichierRefuse with a French message when the file cannot be used.
    """
    extension = PurePath(nom_fichier or "").suffix.lower()
    if len(contenu) > TAILLE_MAX:
        raise FichierRefuse(
            f"Le fichier pèse {_taille(len(contenu))} : la limite est de 2 Mo. "
            "Découpez-le en plusieurs fichiers."
        )
    if extension == ".xls":
        raise FichierRefuse(
            "Les fichiers .xls (Excel 97-2003) ne sont pas acceptés : dans Excel, choisissez "
            "« Enregistrer sous » puis le format .xlsx ou .csv."
        )
    if extension == ".ods":
        raise FichierRefuse(
            "Les fichiers .ods ne sont pas acceptés : dans LibreOffice, choisissez "
            "« Enregistrer sous » puis le format .xlsx ou .csv."
        )
    if extension not in EXTENSIONS:
        nom = f"« {extension} »" if extension else "sans extension"
        raise FichierRefuse(
            f"Format de fichier non accepté ({nom}). Déposez un fichier .csv ou .xlsx."
        )
    if not contenu.strip():
        raise FichierRefuse("Le fichier est vide.")
    if extension == ".xlsx" or contenu.startswith(b"PK\x03\x04"):
        return _lire_xlsx(contenu)
    return _lire_csv(contenu)


def _taille(octets: int) -> str:
    return f"{octets / (1024 * 1024):.1f} Mo".replace(".", ",")


def _lire_xlsx(contenu: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    abime = (
        "Ce fichier .xlsx ne peut pas être lu : il est abîmé, protégé par un mot de passe, "
        "ou ce n'est pas un classeur Excel. Ouvrez-le dans Excel ou LibreOffice et "
        "enregistrez-le à nouveau au format .xlsx, ou au format .csv."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
            if sum(info.file_size for info in archive.infolist()) > TAILLE_DECOMPRESSEE_MAX:
                raise FichierRefuse("Ce classeur est trop volumineux une fois décompressé.")
    except zipfile.BadZipFile as exc:
        raise FichierRefuse(abime) from exc
    try:
        classeur = load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        raise FichierRefuse(abime) from exc
    try:
        if not classeur.worksheets:
            raise FichierRefuse("Ce classeur ne contient aucune feuille.")
        feuille = classeur.worksheets[0]
        feuille.reset_dimensions()  # some tools write a wrong size: read every row there is
        lignes = []
        for numero, cellules in enumerate(feuille.iter_rows(values_only=True), 1):
            if numero > LIGNES_LUES_MAX:
                raise FichierRefuse(_trop_de_lignes())
            textes = [_texte_cellule(valeur) for valeur in cellules]
            if any(texte != "" for texte in textes):
                lignes.append((numero, textes))
                if len(lignes) > LIGNES_MAX + 1:
                    raise FichierRefuse(_trop_de_lignes())
    except FichierRefuse:
        raise
    except Exception as exc:
        raise FichierRefuse(abime) from exc
    finally:
        classeur.close()
    return lignes


def _texte_cellule(valeur) -> str | int:
    """A cell as text; whole numbers stay ints so that leading zeros can be put back."""
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, int):
        return valeur
    if isinstance(valeur, float):
        return int(valeur) if valeur.is_integer() else str(valeur).replace(".", ",")
    if isinstance(valeur, datetime | date):
        return valeur.strftime("%d/%m/%Y")
    return str(valeur).replace("\u00a0", " ").strip()


def _lire_csv(contenu: bytes) -> list[tuple[int, list[str]]]:
    texte = _decoder(contenu)
    if "\x00" in texte:
        raise FichierRefuse(
            "Ce fichier n'est pas un fichier texte CSV. Déposez un fichier .csv ou .xlsx."
        )
    premiere = next((ligne for ligne in texte.splitlines() if ligne.strip()), "")
    separateur = max(";,\t", key=premiere.count)
    lignes = []
    try:
        lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
        for numero, cellules in enumerate(lecteur, 1):
            textes = [c.replace("\u00a0", " ").strip() for c in cellules]
            if any(textes):
                lignes.append((numero, textes))
                if len(lignes) > LIGNES_MAX + 1:
                    raise FichierRefuse(_trop_de_lignes())
    except csv.Error as exc:
        raise FichierRefuse(f"Ce fichier CSV ne peut pas être lu ({exc}).") from exc
    return lignes


def _decoder(contenu: bytes) -> str:
    """UTF-8 with or without BOM; UTF-16 with BOM; else what Excel on Windows writes."""
    if contenu.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return contenu.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return contenu.decode("cp1252")
    except UnicodeDecodeError:
        return contenu.decode("latin-1")


def _trop_de_lignes() -> str:
    nombre = f"{LIGNES_MAX:,}".replace(",", "\u00a0")
    return f"Le fichier compte plus de {nombre} lignes : découpez-le en plusieurs fichiers."


# --- Checking ---------------------------------------------------------------------------


def analyser_fichier(fichier, departement) -> ResultatImport:
    """Read an uploaded file (a Django UploadedFile) and check it for DEPARTEMENT."""
    nom_fichier = PurePath(getattr(fichier, "name", "") or "").name
    taille = getattr(fichier, "size", None)
    if taille is not None and taille > TAILLE_MAX:
        return ResultatImport(
            nom_fichier=nom_fichier,
            erreurs=[
                f"Le fichier pèse {_taille(taille)} : la limite est de 2 Mo. "
                "Découpez-le en plusieurs fichiers."
            ],
        )
    contenu = fichier.read(TAILLE_MAX + 1)
    return analyser_contenu(nom_fichier, contenu, departement)


def analyser_contenu(nom_fichier: str, contenu: bytes, departement) -> ResultatImport:
    resultat = ResultatImport(
        nom_fichier=nom_fichier, empreinte=hashlib.sha256(contenu).hexdigest()
    )
    try:
        lignes = lire_tableau(nom_fichier, contenu)
    except FichierRefuse as exc:
        resultat.erreurs.append(str(exc))
        return resultat
    if not lignes:
        resultat.erreurs.append("Le fichier ne contient aucune ligne.")
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
    if len(lignes) - 1 > LIGNES_MAX:
        resultat.erreurs.append(_trop_de_lignes())
        return resultat

    referentiel = _Referentiel(departement)
    for numero, cellules in lignes[1:]:
        valeurs = {}
        for index, champ in colonnes.items():
            valeur = cellules[index] if index < len(cellules) else ""
            valeurs[champ] = valeur
        resultat.lignes.append(_verifier_ligne(numero, valeurs, referentiel))
    verifier_doublons(resultat.lignes, departement, dans_le_fichier=True)
    return resultat


def _lire_entete(entete: list, resultat: ResultatImport) -> dict[int, str]:
    """Column index -> field; records recognised, ignored and missing columns."""
    colonnes: dict[int, str] = {}
    for index, titre in enumerate(entete):
        titre = str(titre).strip()
        if not titre:
            continue
        champ = _SYNONYMES.get(_cle(titre))
        if champ and champ not in colonnes.values():
            colonnes[index] = champ
            resultat.colonnes_reconnues.append((titre, COLONNES[champ][0]))
        else:
            resultat.colonnes_ignorees.append(titre)
    manquantes = [COLONNES[champ][0] for champ in OBLIGATOIRES if champ not in colonnes.values()]
    if manquantes:
        liste = " et ".join(f"« {m} »" for m in manquantes)
        pluriel = len(manquantes) > 1
        message = (
            f"Colonne{'s' if pluriel else ''} obligatoire{'s' if pluriel else ''} "
            f"introuvable{'s' if pluriel else ''} sur la première ligne : {liste}. "
        )
        if resultat.colonnes_reconnues:
            message += (
                "Colonnes reconnues : "
                + ", ".join(
                    f"« {titre} » ({libelle})" for titre, libelle in resultat.colonnes_reconnues
                )
                + ". "
            )
        else:
            message += "Aucune colonne reconnue. "
        if resultat.colonnes_ignorees:
            message += (
                "Colonnes non reconnues : "
                + ", ".join(f"« {titre} »" for titre in resultat.colonnes_ignorees)
                + "."
            )
        resultat.erreurs.append(message.strip())
    return colonnes


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
            self.reseaux[_cle(slug)] = (pk, libelle)
            self.reseaux[_cle(libelle)] = (pk, libelle)


def _cle_commune(nom: str) -> str:
    """ "St-Étienne-du-Rouvray" and "saint etienne du rouvray" give the same key."""
    mots = re.split(r"[^a-z0-9]+", fold(nom))
    abreviations = {"st": "saint", "ste": "sainte"}
    return "".join(abreviations.get(mot, mot) for mot in mots)


_URL = URLValidator(schemes=["http", "https"])
_CODE_INSEE = re.compile(r"^(\d[\dab]\d{3})$", re.IGNORECASE)
_COMMUNE_ET_CODE = re.compile(r"^(.*?)\s*\((\d[\dab]\d{3})\)$", re.IGNORECASE)


def _longueur(champ: str) -> int | None:
    return Acteur._meta.get_field(champ).max_length


def _verifier_ligne(numero: int, brutes: dict, ref: _Referentiel) -> LigneImport:
    # Numbers as Excel stores them lose their leading zeros: put them back.
    valeurs = {champ: _texte_numerique(champ, valeur) for champ, valeur in brutes.items()}
    ligne = LigneImport(numero=numero, valeurs=valeurs)
    d, erreurs = ligne.donnees, ligne.erreurs

    nom = valeurs.get("nom", "")
    if not nom:
        erreurs.append("Le nom est obligatoire.")
    d["nom"] = nom

    brut = valeurs.get("type", "")
    type_ = _TYPES.get(_cle(brut)) if brut else None
    if not brut:
        erreurs.append(f"Le type est obligatoire. Valeurs acceptées : {TYPES_ACCEPTES}.")
    elif type_ is None:
        erreurs.append(f"Type « {brut} » inconnu. Valeurs acceptées : {TYPES_ACCEPTES}.")
    d["type"] = type_.value if type_ else ""
    ligne.libelles["type"] = str(type_.label) if type_ else brut

    d["sigle"] = valeurs.get("sigle", "")

    siret = normalise_siret(valeurs.get("siret", ""))
    if siret:
        try:
            validate_siret(siret)
        except ValidationError as exc:
            erreurs.append(f"SIRET « {valeurs['siret']} » : {exc.messages[0]}")
    d["siret"] = siret

    d["adresse"] = valeurs.get("adresse", "")

    code_postal = valeurs.get("code_postal", "").replace(" ", "")
    if code_postal and not (len(code_postal) == 5 and code_postal.isdigit()):
        erreurs.append(f"Le code postal « {valeurs['code_postal']} » doit compter 5 chiffres.")
    d["code_postal"] = code_postal

    d["commune"], ligne.libelles["commune"] = _trouver_commune(
        valeurs.get("commune", ""), valeurs.get("code_insee", ""), code_postal, ref, erreurs
    )

    d["telephone"] = valeurs.get("telephone", "")

    courriel = valeurs.get("courriel", "")
    if courriel:
        try:
            validate_email(courriel)
        except ValidationError:
            erreurs.append(f"Le courriel « {courriel} » n'est pas une adresse valide.")
    d["courriel"] = courriel

    site = valeurs.get("site_web", "")
    if site:
        if not re.match(r"^https?://", site, re.IGNORECASE):
            erreurs.append(f"Le site web « {site} » doit commencer par https:// (ou http://).")
        else:
            try:
                _URL(site)
            except ValidationError:
                erreurs.append(f"Le site web « {site} » n'est pas une adresse valide.")
    d["site_web"] = site

    d["reseaux"] = _trouver_reseaux(valeurs.get("reseaux", ""), ref, erreurs)
    d["description"] = valeurs.get("description", "")

    for champ in ("nom", "sigle", "adresse", "telephone", "courriel", "site_web"):
        maximum = _longueur(champ)
        if maximum and len(d[champ]) > maximum:
            libelle = COLONNES[champ][0]
            erreurs.append(
                f"{libelle} trop long : {len(d[champ])} caractères pour {maximum} au plus."
            )
    return ligne


_A_COMPLETER_DE_ZEROS = {"code_postal": 5, "code_insee": 5, "siret": 14}


def _texte_numerique(champ: str, valeur) -> str:
    if isinstance(valeur, int):
        if champ in _A_COMPLETER_DE_ZEROS:
            return str(valeur).zfill(_A_COMPLETER_DE_ZEROS[champ])
        if champ == "telephone" and len(str(valeur)) == 9:
            return "0" + str(valeur)  # 0235123456 typed in a number cell
        return str(valeur)
    return valeur


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
            f"Aucune commune de code INSEE « {code} » dans le département {ref.departement.nom}."
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
        erreurs.append(f"Commune « {nom} » introuvable dans le département {ref.departement.nom}.")
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
                reseau = ref.reseaux.get(_cle(",".join(morceaux[i:j])))
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
        cle = _cle_nom(nom)
        if siret and siret in existants_siret:
            ligne.doublon = f"Doublon de « {existants_siret[siret]} » (SIRET identique)"
        elif cle and (
            meme := next((n for n, s in existants_nom.get(cle, []) if not (siret and s)), None)
        ):
            ligne.doublon = f"Doublon de « {meme} » (même nom)"
        elif dans_le_fichier and siret and siret in vus_siret:
            ligne.doublon = f"Doublon de la ligne {vus_siret[siret]} du fichier (SIRET identique)"
        elif (
            dans_le_fichier
            and cle
            and (autre := next((n for n, s in vus_nom.get(cle, []) if not (siret and s)), None))
        ):
            ligne.doublon = f"Doublon de la ligne {autre} du fichier (même nom)"
        if siret:
            vus_siret.setdefault(siret, ligne.numero)
        if cle:
            vus_nom.setdefault(cle, []).append((ligne.numero, siret))


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
            Departement.objects.select_for_update().filter(pk=departement.pk).exists()
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
    donnees = []
    for ligne in lignes:
        d = ligne.donnees
        data = {champ: d.get(champ, "") for champ in CHAMPS_TEXTE}
        data["commune"] = communes.get(d["commune"]) if d.get("commune") else None
        data["reseaux"] = [reseaux[pk] for pk in d.get("reseaux", [])]
        donnees.append(data)
    # The service journals every creation, in one query for the whole file.
    return services.creer_acteurs(departement, donnees, by=by)
