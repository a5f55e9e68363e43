"""The XLSX written by hand reads back, through openpyxl, cell for cell as the workbook
openpyxl itself writes from the same rows; and it leaves in pieces as the rows come."""

import io
from datetime import date
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from integration.fichiers.ecriture import FORMAT_DATE, FORMAT_MONTANT, xlsx_bytes, xlsx_flux
from integration.fichiers.formules import est_formule

COLONNES = [("Titre", 40), ("Montant", 16), ("Début", 12), ("Avancement", 8), ("Code", 10)]
LIGNES = [
    ["=1+1", Decimal("12500.50"), date(2026, 3, 1), 7, ""],
    [" a\tb\r\nc <&> ' \" ]]>", Decimal("0"), None, 0, None],
    ["Bell\x07e", Decimal("800.00"), date(1999, 12, 31), 100, "00123"],
    ["Église « Saint-Jean »", Decimal("-3.10"), date(2026, 12, 31), 55, "+33 1"],
    # Entities typed as text stay text: "&" is escaped before the others.
    ["R&amp;D &lt;b&gt;", Decimal("1.00"), None, 1, "&#13;"],
]


def _reference(titre: str) -> bytes:
    """The same sheet through openpyxl's write-only workbook."""
    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet(titre)
    for lettre, (_entete, largeur) in zip("ABCDE", COLONNES, strict=True):
        feuille.column_dimensions[lettre].width = largeur
    feuille.freeze_panes = "A2"
    entetes = [_texte(feuille, entete) for entete, _largeur in COLONNES]
    for cellule in entetes:
        cellule.font = Font(bold=True)
    feuille.append(entetes)
    for ligne in LIGNES:
        feuille.append([_typee(feuille, valeur) for valeur in ligne])
    feuille.auto_filter.ref = f"A1:E{len(LIGNES) + 1}"
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


def _typee(feuille, valeur):
    formats = {Decimal: FORMAT_MONTANT, date: FORMAT_DATE, int: "General"}
    if type(valeur) not in formats:
        return _texte(feuille, "" if valeur is None else str(valeur))
    cellule = WriteOnlyCell(feuille, valeur)
    cellule.number_format = formats[type(valeur)]
    return cellule


def _texte(feuille, valeur: str):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cellule = WriteOnlyCell(feuille, ILLEGAL_CHARACTERS_RE.sub("", valeur))
    cellule.data_type, cellule.number_format = "s", "@"
    cellule.quotePrefix = est_formule(cellule.value or "")
    return cellule


def _cellules(contenu: bytes) -> list:
    feuille = load_workbook(io.BytesIO(contenu)).active
    largeurs = [feuille.column_dimensions[lettre].width for lettre in "ABCDE"]
    lues = [(feuille.title, feuille.freeze_panes, feuille.auto_filter.ref, largeurs)]
    for ligne in feuille.iter_rows():
        lues += [
            (c.coordinate, c.value, c.data_type, c.number_format, c.font.b, c.quotePrefix)
            for c in ligne
        ]
    return lues


def test_les_cellules_sont_celles_d_openpyxl():
    titre = "L'export d'un « essai »"
    ecrit = b"".join(xlsx_flux(titre, COLONNES, LIGNES))
    cellules = _cellules(ecrit)
    assert cellules == _cellules(_reference(titre))
    assert ("B2", 12500.5, "n", FORMAT_MONTANT, False, False) in cellules
    assert ("A2", "=1+1", "s", "@", False, True) in cellules  # text, never a formula
    assert ("A3", " a\tb\r\nc <&> ' \" ]]>", "s", "@", False, False) in cellules
    assert ("A6", "R&amp;D &lt;b&gt;", "s", "@", False, False) in cellules
    assert ("E6", "&#13;", "s", "@", False, False) in cellules


def test_le_fichier_part_par_morceaux_avant_la_derniere_ligne():
    lues = []

    def lignes():
        for numero in range(1000):
            lues.append(numero)
            yield [f"Ligne {numero}", Decimal(numero), date(2026, 1, 1), numero, ""]

    flux = xlsx_flux("Feuille", COLONNES, lignes())
    premier = next(flux)
    assert premier.startswith(b"PK") and lues == []  # the fixed parts leave first
    morceaux = [premier, *flux]
    assert len(morceaux) > 3
    feuille = load_workbook(io.BytesIO(b"".join(morceaux))).active
    assert feuille.max_row == 1001 and feuille["A1001"].value == "Ligne 999"


def test_une_feuille_sans_ligne_garde_son_entete():
    feuille = load_workbook(io.BytesIO(xlsx_bytes("Vide", COLONNES, []))).active
    assert [c.value for c in feuille[1]] == [e for e, _ in COLONNES]
    assert feuille.auto_filter.ref == "A1:E1"
