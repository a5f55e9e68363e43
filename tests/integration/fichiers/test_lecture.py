"""Reading uploaded CSV and XLSX files into rows, within limits, with one French message
when the file cannot be used."""

import io
import random
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from integration.fichiers.ecriture import csv_bytes, xlsx_bytes
from integration.fichiers.formules import retablir
from integration.fichiers.lecture import (
    FichierRefuse,
    Limites,
    empreinte,
    lire_tableau,
    lire_televersement,
    taille_lisible,
)

PETIT = Limites(octets=10 * 1024, lignes=3)
PAS_UN_TABLEAU = "Ce fichier n'est pas un tableau CSV lisible"


def xlsx(rows) -> bytes:
    classeur = Workbook()
    for row in rows:
        classeur.active.append(row)
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


def refus(nom: str, contenu: bytes, limites: Limites = PETIT) -> str:
    with pytest.raises(FichierRefuse) as exc:
        lire_tableau(nom, contenu, limites)
    return str(exc.value)


# --- CSV --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encodage",
    ["utf-8", "utf-8-sig", "cp1252", "utf-16"],
)
def test_csv_encodings_keep_the_accents(encodage):
    contenu = "Nom;Ville\r\nÉducation œcuménique;Évreux\r\n".encode(encodage)
    assert lire_tableau("a.csv", contenu) == [
        (1, ["Nom", "Ville"]), (2, ["Éducation œcuménique", "Évreux"]),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("Nom;Ville\nA;B\n", ["A", "B"]),
        ("Nom,Ville\nA,B\n", ["A", "B"]),
        ("Nom\tVille\nA\tB\n", ["A", "B"]),
        # The commas inside quotes do not make it a comma file.
        ('"Nom, prénom, qualité";Ville\nA, b, c;B\n', ["A, b, c", "B"]),
    ],
)
def test_the_separator_is_the_first_lines_own(texte, attendu):
    assert lire_tableau("a.csv", texte.encode())[1][1] == attendu


def test_empty_rows_are_skipped_and_line_numbers_kept():
    contenu = b"Nom;Type\n;\n\n A\xc2\xa0 ;B\n  ;  \nC;D\n"
    assert lire_tableau("a.csv", contenu) == [
        (1, ["Nom", "Type"]),
        (4, ["A", "B"]),
        (6, ["C", "D"]),
    ]


@pytest.mark.parametrize(
    ("contenu", "nature"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20, "une image PNG"),
        (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
            "un document PDF",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "un document Word ou Excel"),
    ],
)
def test_a_binary_file_renamed_csv_gets_one_short_message(contenu, nature):
    message = refus("acteurs.csv", contenu)
    assert message.startswith(f"{PAS_UN_TABLEAU} : c'est {nature}")
    assert len(message) < 200


def test_unknown_binary_data_is_no_table_either():
    bruit = random.Random(76).randbytes(5000)
    assert refus("export.csv", bruit.replace(b"\x00", b"\x01")).startswith(
        f"{PAS_UN_TABLEAU} : il contient des données binaires"
    )
    assert refus("export.csv", b"Nom;Type\x00\x00\x01").startswith(PAS_UN_TABLEAU)


def test_a_stray_control_character_in_a_real_table_is_tolerated():
    contenu = b"Nom;Description\nA;ligne\x0bsuivante\nB;sonnerie\x07\n"
    assert len(lire_tableau("a.csv", contenu)) == 3


# --- Limits -----------------------------------------------------------------------------


def test_size_limit_before_and_after_the_upload_is_read():
    assert refus("a.csv", b"Nom\n" + b"x" * 12 * 1024) == (
        "Le fichier pèse 12 ko : la limite est de 10 ko. Découpez-le en plusieurs fichiers."
    )
    gros = SimpleUploadedFile("a.csv", b"x" * (3 * 1024 * 1024))
    with pytest.raises(FichierRefuse, match="pèse 3 Mo : la limite est de 2 Mo"):
        lire_televersement(gros, Limites())
    assert lire_televersement(SimpleUploadedFile("dossier/b.csv", b"a"), PETIT) == ("b.csv", b"a")
    assert taille_lisible(2 * 1024 * 1024 + 1) == "2,0 Mo"


def test_row_limit_counts_data_rows_only():
    entete = "Nom\n"
    assert len(lire_tableau("a.csv", (entete + "a\nb\nc\n").encode(), PETIT)) == 4
    assert refus("a.csv", (entete + "a\nb\nc\nd\n").encode()) == (
        "Le fichier compte plus de 3 lignes : découpez-le en plusieurs fichiers."
    )


def test_a_sheet_of_blank_lines_is_given_up_on():
    rows = [["Nom"], *[[None]] * 70, ["a"]]
    assert refus("a.xlsx", xlsx(rows)).startswith("Le fichier compte plus de 3 lignes")


def test_a_zip_bomb_is_refused_before_it_is_opened():
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (2 * 1024 * 1024))
    limites = Limites(octets=100_000, octets_decompresses=1024 * 1024)
    assert len(sortie.getvalue()) < 100_000
    assert refus("a.xlsx", sortie.getvalue(), limites) == (
        "Ce classeur est trop volumineux une fois décompressé."
    )


def test_an_archive_of_many_parts_is_refused():
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w") as archive:
        for i in range(11):
            archive.writestr(f"part{i}.xml", b"<a/>")
    limites = Limites(octets=100_000, membres_archive=10)
    assert refus("a.xlsx", sortie.getvalue(), limites).startswith("Ce classeur est trop volumineux")


@pytest.mark.parametrize(
    ("nom", "debut"),
    [
        ("a.xls", "Les fichiers .xls (Excel 97-2003) ne sont pas acceptés"),
        ("a.ods", "Les fichiers .ods ne sont pas acceptés"),
        ("a.txt", "Format de fichier non accepté (« .txt »)"),
        ("a", "Format de fichier non accepté (sans extension)"),
    ],
)
def test_other_formats_are_named(nom, debut):
    assert refus(nom, b"Nom;Type\n").startswith(debut)


def test_a_broken_workbook_is_refused():
    assert refus("a.xlsx", b"PK\x03\x04 tronque").startswith("Ce fichier .xlsx ne peut pas être lu")
    assert refus("a.csv", b"  \r\n") == "Le fichier est vide."


# --- XLSX -------------------------------------------------------------------------------


def test_xlsx_cells_as_text_whole_numbers_as_ints():
    contenu = xlsx(
        [
            ["Nom", "SIRET", "Montant", "Date", "Actif", "Vide"],
            [" Accueil\xa0Rouen ", 12345678901234.0, 12.5, date(2026, 6, 20), True, None, "x"],
            [None, None],
            ["B", 123],
        ]
    )
    assert lire_tableau("a.xlsx", contenu) == [
        (1, ["Nom", "SIRET", "Montant", "Date", "Actif", "Vide"]),
        (2, ["Accueil Rouen", 12345678901234, "12,5", "20/06/2026", "oui", "", "x"]),
        (4, ["B", 123]),
    ]


def test_a_csv_that_is_really_a_workbook_is_read_as_one():
    assert lire_tableau("a.csv", xlsx([["Nom"], ["A"]])) == [(1, ["Nom"]), (2, ["A"])]


@pytest.mark.parametrize("format_", ["csv", "xlsx"])
def test_what_we_write_we_read_back(format_):
    lignes = [["=SOMME(A1)", "00123", 'deux\nlignes; « guillemets » "doubles"']]
    if format_ == "csv":
        contenu = csv_bytes(["A", "B", "C"], lignes)
    else:
        contenu = xlsx_bytes("Feuille", [("A", 10), ("B", 10), ("C", 10)], lignes)
    (_, entete), (numero, relue) = lire_tableau(f"a.{format_}", contenu)
    assert entete == ["A", "B", "C"]
    assert (numero, [retablir(c) for c in relue]) == (2, lignes[0])


def test_the_fingerprint_is_the_sha256():
    assert empreinte(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_un_tableau_sans_aucune_ligne_remplie_est_refuse():
    with pytest.raises(FichierRefuse, match="aucune ligne"):
        lire_tableau("a.csv", b";;\r\n ; ;\r\n")
