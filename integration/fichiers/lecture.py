"""Reading an uploaded CSV or XLSX file into rows of cells, within limits.

`lire_tableau()` returns the non-empty rows with the line number a spreadsheet shows
(the header is line 1). Cells are text, except the whole numbers of an XLSX number cell,
which stay ints so that the caller may put back the leading zeros Excel dropped. Anything
that makes the file unusable raises `FichierRefuse` with one French sentence for the user.
"""

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

from integration.text import date_courte

Cellule = str | int
Ligne = tuple[int, list[Cellule]]

EXTENSIONS = (".csv", ".xlsx")
_REENREGISTRER = "Enregistrez votre tableau au format .csv ou .xlsx depuis votre tableur."


class FichierRefuse(Exception):
    """The upload cannot be read at all; the message says why, in French."""


@dataclass(frozen=True)
class Limites:
    octets: int = 2 * 1024 * 1024
    lignes: int = 2000  # data rows, header excluded, empty rows ignored
    # A 2 MB workbook may unzip to far more; beyond this it is no table a person typed.
    octets_decompresses: int = 60 * 1024 * 1024
    membres_archive: int = 1000  # parts of an XLSX (sheets, styles…): a few dozen at most

    @property
    def lignes_lues(self) -> int:
        """Rows read, empty ones included, before giving up on a sheet of blank lines."""
        return 20 * self.lignes

    def taille_depassee(self, octets: int) -> str:
        return (
            f"Le fichier pèse {taille_lisible(octets)} : la limite est de "
            f"{taille_lisible(self.octets)}. Découpez-le en plusieurs fichiers."
        )

    def trop_de_lignes(self) -> str:
        nombre = f"{self.lignes:,}".replace(",", "\u00a0")
        return f"Le fichier compte plus de {nombre} lignes : découpez-le en plusieurs fichiers."


def taille_lisible(octets: int) -> str:
    """ "2,0 Mo"; a round limit reads "2 Mo"; under a megabyte, "12 ko"."""
    if octets < 1024 * 1024:
        return f"{round(octets / 1024)} ko"
    mo = octets / (1024 * 1024)
    return f"{mo:.0f} Mo" if octets % (1024 * 1024) == 0 else f"{mo:.1f} Mo".replace(".", ",")


def empreinte(contenu: bytes) -> str:
    return hashlib.sha256(contenu).hexdigest()


def lire_televersement(fichier, limites: Limites) -> tuple[str, bytes]:
    """The name and content of an uploaded file, never reading more than the limit allows."""
    nom = PurePath(getattr(fichier, "name", "") or "").name
    taille = getattr(fichier, "size", None)
    if taille is not None and taille > limites.octets:
        raise FichierRefuse(limites.taille_depassee(taille))
    return nom, fichier.read(limites.octets + 1)


LIMITES = Limites()


def lire_tableau(nom_fichier: str, contenu: bytes, limites: Limites = LIMITES) -> list[Ligne]:
    """The file's non-empty rows; FichierRefuse when there is none (the header included)."""
    lignes = _lire(nom_fichier, contenu, limites)
    if not lignes:
        raise FichierRefuse("Le fichier ne contient aucune ligne.")
    return lignes


def _lire(nom_fichier: str, contenu: bytes, limites: Limites) -> list[Ligne]:
    extension = PurePath(nom_fichier or "").suffix.lower()
    if len(contenu) > limites.octets:
        raise FichierRefuse(limites.taille_depassee(len(contenu)))
    _verifier_extension(extension)
    if not contenu.strip():
        raise FichierRefuse("Le fichier est vide.")
    if extension == ".xlsx" or contenu.startswith(b"PK\x03\x04"):
        return _lire_xlsx(contenu, limites)
    return _lire_csv(contenu, limites)


def _verifier_extension(extension: str) -> None:
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


# --- XLSX -------------------------------------------------------------------------------

_ABIME = (
    "Ce fichier .xlsx ne peut pas être lu : il est abîmé, protégé par un mot de passe, "
    "ou ce n'est pas un classeur Excel. Ouvrez-le dans Excel ou LibreOffice et "
    "enregistrez-le à nouveau au format .xlsx, ou au format .csv."
)


def _lire_xlsx(contenu: bytes, limites: Limites) -> list[Ligne]:
    from openpyxl import load_workbook

    _verifier_archive(contenu, limites)
    try:
        classeur = load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        raise FichierRefuse(_ABIME) from exc
    try:
        if not classeur.worksheets:
            raise FichierRefuse("Ce classeur ne contient aucune feuille.")
        feuille = classeur.worksheets[0]
        feuille.reset_dimensions()  # some tools write a wrong size: read every row there is
        return _lignes_non_vides(
            (
                [texte_cellule(v) for v in cellules]
                for cellules in feuille.iter_rows(values_only=True)
            ),
            limites,
        )
    except FichierRefuse:
        raise
    except Exception as exc:
        raise FichierRefuse(_ABIME) from exc
    finally:
        classeur.close()


def _verifier_archive(contenu: bytes, limites: Limites) -> None:
    """A zip bomb stops here: the sizes are the declared ones, which zipfile enforces."""
    try:
        with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
            membres = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise FichierRefuse(_ABIME) from exc
    if (
        len(membres) > limites.membres_archive
        or sum(info.file_size for info in membres) > limites.octets_decompresses
    ):
        raise FichierRefuse("Ce classeur est trop volumineux une fois décompressé.")


def texte_cellule(valeur) -> Cellule:
    """A cell as text; whole numbers stay ints (12345678901234.0 too)."""
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, int):
        return valeur
    if isinstance(valeur, float):
        return int(valeur) if valeur.is_integer() else str(valeur).replace(".", ",")
    if isinstance(valeur, datetime | date):
        return date_courte(valeur)
    return str(valeur).replace("\u00a0", " ").strip()


def _lignes_non_vides(lignes, limites: Limites) -> list[Ligne]:
    """The non-empty rows with their line numbers; the header counts as one more."""
    gardees: list[Ligne] = []
    for numero, cellules in enumerate(lignes, 1):
        if numero > limites.lignes_lues:
            raise FichierRefuse(limites.trop_de_lignes())
        if any(cellule != "" for cellule in cellules):
            gardees.append((numero, cellules))
            if len(gardees) > limites.lignes + 1:
                raise FichierRefuse(limites.trop_de_lignes())
    return gardees


# --- CSV --------------------------------------------------------------------------------

# What people rename to .csv by mistake, by the bytes it starts with.
_SIGNATURES = {
    b"%PDF": "un document PDF",
    b"\x89PNG": "une image PNG",
    b"\xff\xd8\xff": "une image JPEG",
    b"GIF8": "une image GIF",
    b"\xd0\xcf\x11\xe0": "un document Word ou Excel 97-2003",
    b"\x1f\x8b": "une archive compressée",
    b"Rar!": "une archive compressée",
    b"7z\xbc\xaf": "une archive compressée",
    b"MZ": "un programme",
}
# A table typed by people holds no control characters but tabs and line breaks.
# (FileMaker writes a line break inside a cell as a vertical tab.)
_CONTROLES_TOLERES = {"\t", "\n", "\r", "\x0b", "\x0c"}


def _lire_csv(contenu: bytes, limites: Limites) -> list[Ligne]:
    _refuser_binaire(contenu)
    texte = _decoder(contenu)
    _refuser_texte_binaire(texte)
    separateur = _separateur(texte)
    try:
        lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
        return _lignes_non_vides(
            ([c.replace("\u00a0", " ").strip() for c in cellules] for cellules in lecteur), limites
        )
    except csv.Error as exc:
        raise FichierRefuse(f"Ce fichier CSV ne peut pas être lu ({exc}).") from exc


def _pas_un_tableau(nature: str) -> FichierRefuse:
    return FichierRefuse(
        f"Ce fichier n'est pas un tableau CSV lisible : {nature}. {_REENREGISTRER}"
    )


def _refuser_binaire(contenu: bytes) -> None:
    for signature, nature in _SIGNATURES.items():
        if contenu.startswith(signature):
            raise _pas_un_tableau(f"c'est {nature} renommé en .csv")


def _refuser_texte_binaire(texte: str) -> None:
    controles = sum(
        1 for ch in texte if unicodedata.category(ch) == "Cc" and ch not in _CONTROLES_TOLERES
    )
    if "\x00" in texte or controles > 2 + len(texte) // 200:
        raise _pas_un_tableau("il contient des données binaires")


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


def _separateur(texte: str) -> str:
    """The most frequent of ; , and tab on the first non-empty line, quoted text aside."""
    premiere = next((ligne for ligne in texte.splitlines() if ligne.strip()), "")
    premiere = re.sub(r'"[^"]*"', "", premiere)
    return max(";,\t", key=premiere.count)
