"""Writing rows of text as files a spreadsheet opens safely.

CSV is UTF-8 with a BOM (so that Excel reads the accents right) and `;` as separator, the
French Excel's own. In XLSX every text is a text cell: no formula can run when the file
opens, and the leading zeros of a SIRET or a postal code survive.

Large exports are streamed: `csv_flux` and `xlsx_flux` yield the file in pieces as the
rows come, so its first bytes leave at once and memory stays flat whatever the number of
rows. The XLSX is written by hand, a sheet of inline strings zipped as its rows come (a
few parts fixed, the sheet, then the workbook that names its filter's range): openpyxl
built an object per cell, most of an export's time. There, amounts (`Decimal`) and dates
are typed cells with a French display, so a spreadsheet sums and sorts them; every other
value is a text cell as above.
"""

import csv
import functools
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

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


def xlsx_flux(
    titre: str, colonnes: Sequence[tuple[str, int]], lignes: Iterable[Sequence]
) -> Iterator[bytes]:
    """One sheet, in pieces as LIGNES produces its rows: COLONNES are (header, width)
    pairs; a bold, frozen header with a filter. Decimals are amounts, dates are dates,
    integers numbers; anything else is text."""
    sortie = _Sortie()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for nom, contenu in _PARTIES_FIXES.items():
            archive.writestr(nom, contenu)
        with archive.open("xl/worksheets/sheet1.xml", "w") as feuille:
            feuille.write(_debut_de_feuille(colonnes).encode())
            yield sortie.vider()  # the first bytes leave before the first row is read
            nombre = 0
            for nombre, cellules in enumerate(lignes, 2):
                feuille.write(_ligne(nombre, cellules).encode())
                if nombre % LIGNES_PAR_MORCEAU == 0:
                    yield sortie.vider()
            derniere, nombre = _lettre(len(colonnes)), max(nombre, 1)
            filtre = f'<autoFilter ref="A1:{derniere}{nombre}"/>'
            feuille.write(f"</sheetData>{filtre}</worksheet>".encode())
        # 31 characters: Excel's limit for a sheet's name.
        archive.writestr("xl/workbook.xml", _classeur(titre[:31], derniere, nombre))
    yield sortie.vider()


def xlsx_bytes(
    titre: str, colonnes: Sequence[tuple[str, int]], lignes: Iterable[Sequence]
) -> bytes:
    """The sheet of `xlsx_flux`, whole, for small exports; every cell is text."""
    texte = ([str(v) for v in cellules] for cellules in lignes)
    return b"".join(xlsx_flux(titre, colonnes, texte))


class _Sortie:
    """Where the archive writes: what it wrote since the last `vider`. It cannot seek, so
    zipfile writes each part's sizes after its data and never goes back."""

    def __init__(self) -> None:
        self.morceaux: list[bytes] = []

    def write(self, donnees) -> int:
        self.morceaux.append(bytes(donnees))
        return len(donnees)

    def flush(self) -> None:
        pass

    def vider(self) -> bytes:
        morceau = b"".join(self.morceaux)
        self.morceaux.clear()
        return morceau


# The cells' styles, by their index in styles.xml's cellXfs.
STYLE_ENTETE, STYLE_TEXTE, STYLE_TEXTE_CITE, STYLE_MONTANT, STYLE_DATE = 1, 2, 3, 4, 5
EPOQUE = date(1899, 12, 30)  # day 0 of a spreadsheet's dates
# What XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): dropped from the text.
ILLEGAUX = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# "&" first, so that the entities written after it stay as they are.
ECHAPPEMENTS = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))


def _echapper(texte: str) -> str:
    """TEXTE as XML character data. `str.replace` runs in C; `str.translate` with a table
    looked each character up in Python, a quarter of a national XLSX export's time."""
    for caractere, entite in ECHAPPEMENTS:
        if caractere in texte:
            texte = texte.replace(caractere, entite)
    return texte


@functools.cache  # the same few columns on every row
def _lettre(numero: int) -> str:
    lettres = ""
    while numero:
        numero, reste = divmod(numero - 1, 26)
        lettres = chr(65 + reste) + lettres
    return lettres


def _ligne(numero: int, cellules: Sequence) -> str:
    return (
        f'<row r="{numero}">'
        + "".join(_cellule(f"{_lettre(i)}{numero}", v) for i, v in enumerate(cellules, 1))
        + "</row>"
    )


def _cellule(reference: str, valeur) -> str:
    if isinstance(valeur, Decimal):
        return f'<c r="{reference}" s="{STYLE_MONTANT}"><v>{valeur}</v></c>'
    if isinstance(valeur, date):
        return f'<c r="{reference}" s="{STYLE_DATE}"><v>{(valeur - EPOQUE).days}</v></c>'
    if isinstance(valeur, int) and not isinstance(valeur, bool):
        return f'<c r="{reference}"><v>{valeur}</v></c>'
    return _cellule_texte(reference, "" if valeur is None else str(valeur), STYLE_TEXTE)


def _cellule_texte(reference: str, valeur: str, style: int) -> str:
    """A string typed as text: never a formula, leading zeros kept. One that a
    spreadsheet would take for a formula gets Excel's own hidden apostrophe, so that it
    stays text even once edited."""
    valeur = ILLEGAUX.sub("", valeur)  # judged as written, control characters gone
    if style == STYLE_TEXTE and est_formule(valeur):
        style = STYLE_TEXTE_CITE
    if not valeur:
        return f'<c r="{reference}" s="{style}" t="inlineStr"/>'  # as openpyxl writes it
    texte = f'<is><t xml:space="preserve">{_echapper(valeur)}</t></is>'
    return f'<c r="{reference}" s="{style}" t="inlineStr">{texte}</c>'


def _debut_de_feuille(colonnes: Sequence[tuple[str, int]]) -> str:
    largeurs = "".join(
        f'<col min="{i}" max="{i}" width="{largeur}" customWidth="1"/>'
        for i, (_entete, largeur) in enumerate(colonnes, 1)
    )
    entetes = "".join(
        _cellule_texte(f"{_lettre(i)}1", entete, STYLE_ENTETE)
        for i, (entete, _largeur) in enumerate(colonnes, 1)
    )
    return (
        f'{_XML}<worksheet xmlns="{_NS}" xmlns:r="{_NS_R}"><sheetViews>'
        '<sheetView workbookViewId="0"><pane ySplit="1" '
        'topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection '
        'pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{largeurs}</cols><sheetData>'
        f'<row r="1">{entetes}</row>'
    )


def _classeur(titre: str, derniere: str, nombre: int) -> str:
    """The workbook: its one sheet, and the filter's range as Excel names it."""
    nom = escape(titre, {'"': "&quot;"})
    zone = escape(f"'{titre.replace(chr(39), chr(39) * 2)}'!$A$1:${derniere}${nombre}")
    return (
        f'{_XML}<workbook xmlns="{_NS}" xmlns:r="{_NS_R}"><bookViews><workbookView/>'
        f'</bookViews><sheets><sheet name="{nom}" sheetId="1" r:id="rId1"/></sheets>'
        '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" '
        f'hidden="1">{zone}</definedName></definedNames></workbook>'
    )


_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PAQUET = "http://schemas.openxmlformats.org/package/2006"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# The parts that do not depend on the rows, written first so that bytes leave at once.
_PARTIES_FIXES = {
    "[Content_Types].xml": (
        f'{_XML}<Types xmlns="{_PAQUET}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{_TYPE}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'{_XML}<Relationships xmlns="{_PAQUET}/relationships"><Relationship Id="rId1" '
        f'Type="{_NS_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'{_XML}<Relationships xmlns="{_PAQUET}/relationships">'
        f'<Relationship Id="rId1" Type="{_NS_R}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_NS_R}/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    # cellXfs, in the order of the STYLE_ constants: general, bold text header, text,
    # text behind Excel's apostrophe, amount, date.
    "xl/styles.xml": (
        f'{_XML}<styleSheet xmlns="{_NS}"><numFmts count="2">'
        f'<numFmt numFmtId="164" formatCode="{escape(FORMAT_MONTANT, {chr(34): "&quot;"})}"/>'
        f'<numFmt numFmtId="165" formatCode="{FORMAT_DATE}"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b val="1"/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/>'
        '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
        '</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
        'borderId="0"/></cellStyleXfs><cellXfs count="6">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" '
        'applyFont="1"/>'
        '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" '
        'quotePrefix="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        "</cellStyles></styleSheet>"
    ),
}
