"""Writing rows as CSV and XLSX files that a spreadsheet opens safely."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from integration.fichiers.ecriture import csv_bytes, xlsx_bytes
from integration.fichiers.formules import DEBUTS_DE_FORMULE, est_formule, neutraliser, retablir


@pytest.mark.parametrize(
    ("valeur", "ecrite"),
    [
        ("=SOMME(A1:A9)", "'=SOMME(A1:A9)"),
        ("+33 2 35 00 00 00", "'+33 2 35 00 00 00"),
        ("-2+3", "'-2+3"),
        ("@SOMME(A1)", "'@SOMME(A1)"),
        ("\t=1", "'\t=1"),
        ("\x01=1+1", "'\x01=1+1"),  # a control character a spreadsheet may drop first
        (" =1", "' =1"),
        ("Association = entraide", "Association = entraide"),
        ("", ""),
    ],
)
def test_a_formula_gets_a_quote_that_reading_removes(valeur, ecrite):
    assert neutraliser(valeur) == ecrite
    assert retablir(ecrite) == valeur


def test_the_quick_answer_for_ordinary_cells_is_the_rule_s_answer():
    """est_formule answers most cells from their first character: the same answer as the
    rule itself (skip control characters and spaces, then look for a formula's start),
    whatever the first character."""

    def regle(valeur: str) -> bool:
        return re.sub(r"^[\x00-\x1f\x7f ]*", "", valeur).startswith(DEBUTS_DE_FORMULE) or (
            valeur.startswith(DEBUTS_DE_FORMULE)
        )

    for code in range(0x250):
        for suite in ("", "=1", " +1", "a", "\t-2"):
            valeur = chr(code) + suite
            assert est_formule(valeur) == regle(valeur), repr(valeur)


@pytest.mark.parametrize("tapee", ["'Nuit debout'", "'", "''=1", "l'Église"])
def test_a_quote_someone_typed_is_kept(tapee):
    assert retablir(tapee) == tapee


def test_csv_is_utf8_with_bom_semicolons_crlf_and_neutralised():
    contenu = csv_bytes(["Nom", "Téléphone"], [["Église; « Saint-Jean »", "+33 1"], [1, "x\ny"]])

    assert contenu.startswith(b"\xef\xbb\xbfNom;T\xc3\xa9l\xc3\xa9phone\r\n")
    lignes = list(csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))
    assert lignes == [
        ["Nom", "Téléphone"],
        ["Église; « Saint-Jean »", "'+33 1"],
        ["1", "x\ny"],
    ]


def test_xlsx_has_text_cells_bold_frozen_header_widths_and_filter():
    contenu = xlsx_bytes(
        "Un titre de feuille bien trop long pour Excel",
        [("Nom", 40), ("SIRET", 17)],
        [['=HYPERLINK("https://exemple.fr")', "00123456789012"], ["Bell\x07e", "7"]],
    )

    feuille = load_workbook(io.BytesIO(contenu)).active
    assert feuille.title == "Un titre de feuille bien trop l"  # 31 characters at most
    assert [c.value for c in feuille[1]] == ["Nom", "SIRET"]
    assert all(c.font.bold for c in feuille[1])
    assert feuille.freeze_panes == "A2"
    assert feuille.column_dimensions["A"].width == 40
    assert feuille.auto_filter.ref == "A1:B3"
    formule, siret = feuille[2]
    assert (formule.value, formule.data_type, formule.quotePrefix) == (
        '=HYPERLINK("https://exemple.fr")', "s", True,
    )  # fmt: skip
    assert (siret.value, siret.data_type, siret.number_format) == ("00123456789012", "s", "@")
    assert not siret.quotePrefix
    assert feuille["A3"].value == "Belle"  # a control character XML cannot hold is dropped
    assert feuille["B3"].value == "7"  # text, not the number 7


def test_xlsx_keeps_a_formula_behind_a_control_character_as_text():
    contenu = xlsx_bytes("Feuille", [("Nom", 10)], [['\x01=HYPERLINK("https://exemple.fr")']])

    (cellule,) = load_workbook(io.BytesIO(contenu)).active[2]
    assert (cellule.value, cellule.data_type, cellule.quotePrefix) == (
        '=HYPERLINK("https://exemple.fr")', "s", True,
    )  # fmt: skip
