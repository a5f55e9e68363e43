"""Writing rows of text as files a spreadsheet opens safely.

CSV is UTF-8 with a BOM (so that Excel reads the accents right) and `;` as separator, the
French Excel's own. In XLSX every text is a text cell: no formula can run when the file
opens, and the leading zeros of a SIRET or a postal code survive.

Large exports are streamed: `csv_flux` yields the file in pieces as the rows come, and
`xlsx_fichier` writes the workbook row by row (openpyxl's write-only mode) into a
temporary file that the response then sends; memory stays flat whatever the number of
rows. There, amounts (`Decimal`) and dates are typed cells with a French display, so a
spreadsheet sums and sorts them; every other value is a text cell as above.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal

from integration.fichiers.formules import est_formule, neutraliser

LIGNES_PAR_MORCEAU = 200  # rows per piece of a streamed CSV: few writes, little memory
FORMAT_MONTANT = '#,##0.00\\ "€"'  # shown "12 500,00 €" by a French spreadsheet
FORMAT_DATE = "dd/mm/yyyy"


def csv_bytes(entete: Sequence[str], lignes: Iterable[Sequence]) -> bytes:
    return b"".join(csv_flux(entete, lignes))


def csv_flux(entete: Sequence[str], lignes: Iterable[Sequence]) -> Iterator[bytes]:
    """The CSV file in pieces of a few hundred rows, as LIGNES produces them."""
    sortie = io.StringIO(newline="")
    writer = csv.writer(sortie, delimiter=";", lineterminator="\r\n")
    sortie.write("\ufeff")
    writer.writerow(entete)
    for numero, cellules in enumerate(lignes, 1):
        writer.writerow([neutraliser(str(c)) for c in cellules])
        if numero % LIGNES_PAR_MORCEAU == 0:
            yield _vider(sortie)
    yield _vider(sortie)


def _vider(sortie: io.StringIO) -> bytes:
    morceau = sortie.getvalue().encode("utf-8")
    sortie.seek(0)
    sortie.truncate()
    return morceau


def xlsx_fichier(titre: str, colonnes: Sequence[tuple[str, int]], lignes: Iterable[Sequence]):
    """One sheet as `xlsx_bytes`, written row by row into a temporary file, returned open
    at its start (the caller streams it, and closing it deletes it). Decimals are amounts,
    dates are dates; anything else is text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet(titre[:31])  # Excel's limit for a sheet name
    for index, (_entete, largeur) in enumerate(colonnes, 1):
        feuille.column_dimensions[get_column_letter(index)].width = largeur
    feuille.freeze_panes = "A2"
    gras = Font(bold=True)
    entetes = []
    for entete, _largeur in colonnes:
        cellule = WriteOnlyCell(feuille)
        _cellule_texte(cellule, entete)
        cellule.font = gras
        entetes.append(cellule)
    feuille.append(entetes)
    nombre = 1
    for cellules in lignes:
        feuille.append([_cellule_typee(feuille, valeur) for valeur in cellules])
        nombre += 1
    feuille.auto_filter.ref = f"A1:{get_column_letter(len(colonnes))}{nombre}"
    fichier = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it once sent
    classeur.save(fichier)
    fichier.seek(0)
    return fichier


def _cellule_typee(feuille, valeur):
    from openpyxl.cell import WriteOnlyCell

    cellule = WriteOnlyCell(feuille)
    if isinstance(valeur, Decimal):
        cellule.value = valeur
        cellule.number_format = FORMAT_MONTANT
    elif isinstance(valeur, date):
        cellule.value = valeur
        cellule.number_format = FORMAT_DATE
    elif isinstance(valeur, int) and not isinstance(valeur, bool):
        cellule.value = valeur
    else:
        _cellule_texte(cellule, "" if valeur is None else str(valeur))
    return cellule


def xlsx_bytes(
    titre: str, colonnes: Sequence[tuple[str, int]], lignes: Iterable[Sequence]
) -> bytes:
    """One sheet: COLONNES are (header, width) pairs; a bold, frozen header with a filter.
    Every cell is text: the sheet `xlsx_fichier` writes, whole, for small exports."""
    texte = ([str(v) for v in cellules] for cellules in lignes)
    with xlsx_fichier(titre, colonnes, texte) as fichier:
        return fichier.read()


def _cellule_texte(cellule, valeur: str) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    valeur = ILLEGAL_CHARACTERS_RE.sub("", valeur)  # judged as written, control chars gone
    cellule.value = valeur
    # A string typed as text: never a formula, leading zeros kept.
    cellule.data_type = "s"
    cellule.number_format = "@"
    if est_formule(valeur):
        # Excel's own hidden apostrophe: the cell stays text even once edited.
        cellule.quotePrefix = True
