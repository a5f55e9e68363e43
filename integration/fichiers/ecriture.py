"""Writing rows of text as files a spreadsheet opens safely.

CSV is UTF-8 with a BOM (so that Excel reads the accents right) and `;` as separator, the
French Excel's own. In XLSX every cell is a text cell: no formula can run when the file
opens, and the leading zeros of a SIRET or a postal code survive.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from integration.fichiers.formules import est_formule, neutraliser


def csv_bytes(entete: Sequence[str], lignes: Iterable[Sequence]) -> bytes:
    sortie = io.StringIO(newline="")
    writer = csv.writer(sortie, delimiter=";", lineterminator="\r\n")
    writer.writerow(entete)
    for cellules in lignes:
        writer.writerow([neutraliser(str(c)) for c in cellules])
    return ("\ufeff" + sortie.getvalue()).encode("utf-8")


def xlsx_bytes(
    titre: str, colonnes: Sequence[tuple[str, int]], lignes: Iterable[Sequence]
) -> bytes:
    """One sheet: COLONNES are (header, width) pairs; a bold, frozen header with a filter."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    classeur = Workbook()
    feuille = classeur.active
    feuille.title = titre[:31]  # Excel's limit for a sheet name
    gras = Font(bold=True)
    for index, (entete, largeur) in enumerate(colonnes, 1):
        cellule = feuille.cell(row=1, column=index, value=entete)
        cellule.font = gras
        feuille.column_dimensions[get_column_letter(index)].width = largeur
    feuille.freeze_panes = "A2"
    for numero, cellules in enumerate(lignes, 2):
        for index, valeur in enumerate(cellules, 1):
            _cellule_texte(feuille.cell(row=numero, column=index), str(valeur))
    feuille.auto_filter.ref = feuille.dimensions
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


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
