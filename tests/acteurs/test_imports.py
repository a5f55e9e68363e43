"""Importing actors from the spreadsheets prefectures already keep.

The files here look like the real ones: odd headers, accents, cp1252 from Excel on
Windows, numbers Excel stored as numbers, empty lines, typos and duplicates.
"""

import html
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from acteurs import imports
from acteurs.journal import Nature
from acteurs.models import Acteur, Reseau, Territoire
from integration import journal
from integration.models import Evenement
from tests.acteurs.conftest import SIRET_ETAT
from tests.acteurs.factories import (
    ActeurFactory,
    HabilitationFactory,
    TerritoireFactory,
    siret_valide,
)

CLE_FAUSSE = (
    "SIRET « {} » : Ce SIRET n'existe pas : sa clé de contrôle est fausse. "
    "Vérifiez les 14 chiffres."
)
TYPES = (
    "Service de l'État, Opérateur de l'État, Collectivité territoriale, EPCI, Association, "
    "Entreprise, Autre"
)


SIRET_AEFU = siret_valide("8012345670001")
SIRET_MAIRIE = siret_valide("2176057500001")


def faux(siret_valide: str) -> str:
    return siret_valide[:-1] + str((int(siret_valide[-1]) + 1) % 10)


@pytest.fixture
def communes(seine_maritime):
    found = {}
    for code, nom, cp in [
        ("76540", "Rouen", "76000 76100"),
        ("76351", "Le Havre", "76600 76610 76620"),
        ("76575", "Saint-Étienne-du-Rouvray", "76800"),
    ]:
        commune = TerritoireFactory(code=code, nom=nom, codes_postaux=cp)
        commune.departements.add(seine_maritime)
        found[nom] = commune
    return found


def xlsx(rows) -> bytes:
    classeur = Workbook()
    feuille = classeur.active
    for row in rows:
        feuille.append(row)
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


def fichier(nom: str, contenu: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(nom, contenu)


def texte(response) -> str:
    """The page as the user reads it (entities decoded)."""
    return html.unescape(response.content.decode())


# The spreadsheet a prefecture service sends: its own headers, an empty line after the
# first actor, numbers typed in number cells, and every usual mistake once.
TABLEUR_EN_DESORDRE = [
    ["RAISON SOCIALE", "Sigle ", "Catégorie", "N° Siret", "Adresse", "CP", "Ville", "Mél",
     "Site internet", "Réseaux", "Commentaire interne"],
    ["Association d'Entraide Franco-Ukrainienne", "AEFU", "asso", int(SIRET_AEFU),
     "12, rue de l'Église", 76000, "rouen", "contact@aefu.fr", "https://aefu.fr",
     "Croix-Rouge", "vu en réunion"],
    [None, None, None, None, None, None, None, None, None, None, None],
    ["Éducation Sans Frontières Normandie", None, "Association", faux(SIRET_AEFU), None, None,
     "Le Havre", None, None, None, None],
    ["Fondation Solidarité Exilés", None, "Fondation", None, None, None, None, None, None,
     None, None],
    [None, "CPT", "Association", None, None, None, "Rouen", None, None, None, None],
    ["DDETS 76", "DDETS", "Service de l'État", "130 025 265 00013", None, None, None, None,
     None, None, None],
    ["Cours de Français pour Tous", None, "Association", None, None, None, None, None, None,
     None, None],
    ["COURS DE FRANCAIS POUR TOUS", None, "association", None, None, None, None, None, None,
     None, None],
    ["Accueil Réfugiés Havrais", "ARH", "Association", None, None, None, "Le Havre",
     "accueil@@exemple", None, None, None],
    [],
    ["   ", "", None],
    ["Mairie de Saint-Étienne-du-Rouvray", None, "collectivité", int(SIRET_MAIRIE),
     "Place de l'Hôtel de Ville", 76800, "St Etienne du Rouvray", None, None,
     "Communes, mairies, communautés de communes, etc.", None],
]  # fmt: skip


def messages_par_ligne(resultat) -> dict[int, list[str]]:
    return {ligne.numero: ligne.messages for ligne in resultat.lignes}


# --- Reading and checking (no view) -----------------------------------------------------


def test_messy_xlsx_reports_every_row_with_its_spreadsheet_line(seine_maritime, communes, ddets):
    resultat = imports.analyser_contenu(
        "Acteurs 2026.xlsx", xlsx(TABLEUR_EN_DESORDRE), seine_maritime
    )

    assert resultat.erreurs == []
    assert [(t, lib) for t, lib in resultat.colonnes_reconnues] == [
        ("RAISON SOCIALE", "Nom"), ("Sigle", "Sigle"), ("Catégorie", "Type"),
        ("N° Siret", "SIRET"), ("Adresse", "Adresse"), ("CP", "Code postal"),
        ("Ville", "Commune"), ("Mél", "Courriel"), ("Site internet", "Site web"),
        ("Réseaux", "Réseaux"),
    ]  # fmt: skip
    assert resultat.colonnes_ignorees == ["Commentaire interne"]
    assert messages_par_ligne(resultat) == {
        2: [],
        4: [CLE_FAUSSE.format(faux(SIRET_AEFU))],
        5: [f"Type « Fondation » inconnu. Valeurs acceptées : {TYPES}."],
        6: ["Le nom est obligatoire."],
        7: [
            "Doublon de « Direction départementale de l'emploi, du travail et des "
            "solidarités » (SIRET identique)"
        ],
        8: [],
        9: ["Doublon de la ligne 8 du fichier (même nom)"],
        10: ["Le courriel « accueil@@exemple » n'est pas une adresse valide."],
        13: [],
    }
    assert resultat.resume == "9 lignes, 3 prêtes, 6 en erreur"
    assert not resultat.est_propre

    aefu = resultat.lignes[0]
    assert aefu.donnees["siret"] == SIRET_AEFU  # a number cell, read back as 14 digits
    assert aefu.donnees["code_postal"] == "76000"
    assert aefu.donnees["type"] == "association"
    assert aefu.donnees["commune"] == communes["Rouen"].pk
    assert aefu.donnees["reseaux"] == [Reseau.objects.get(slug="croix-rouge").pk]
    mairie = resultat.lignes[-1]
    assert mairie.donnees["type"] == "collectivite"
    assert mairie.donnees["commune"] == communes["Saint-Étienne-du-Rouvray"].pk
    # A network whose label holds commas is still one network.
    assert mairie.donnees["reseaux"] == [Reseau.objects.get(slug="communes").pk]
    assert Acteur.objects.count() == 1  # reading writes nothing


def cp1252_csv(texte: str) -> bytes:
    return texte.replace("\n", "\r\n").encode("cp1252")


CSV_EXCEL_WINDOWS = cp1252_csv(
    "Structure;Type d'acteur;N° SIRET;Code Postal;Commune;E-mail;Tél.;Site web;Description\n"
    "Éducation et Intégration Rouennaise;Association;;76000;76540;eir@exemple.fr;"
    '02 35 00 00 00;https://www.eir.fr;"Cours de français; ateliers d\'écriture"\n'
    ";;;;;;;;\n"
    "Maison de l'Emploi du Havre;Autre;;7600;Le Havre;;;www.mde-lehavre.fr;\n"
    "Collège Évariste Galois;Établissement scolaire;;;Dieppe;;;;\n"
)


def test_cp1252_semicolon_csv_keeps_accents_and_reports_french_errors(seine_maritime, communes):
    resultat = imports.analyser_contenu("export.csv", CSV_EXCEL_WINDOWS, seine_maritime)

    assert resultat.erreurs == []
    assert messages_par_ligne(resultat) == {
        2: [],
        4: [
            "Le code postal « 7600 » doit compter 5 chiffres.",
            "Le site web « www.mde-lehavre.fr » doit commencer par https:// (ou http://).",
        ],
        5: [
            f"Type « Établissement scolaire » inconnu. Valeurs acceptées : {TYPES}.",
            "Commune « Dieppe » introuvable dans le département de la Seine-Maritime.",
        ],
    }
    premiere = resultat.lignes[0]
    assert premiere.donnees["nom"] == "Éducation et Intégration Rouennaise"
    assert premiere.donnees["description"] == "Cours de français; ateliers d'écriture"
    assert premiere.donnees["commune"] == communes["Rouen"].pk  # by INSEE code
    assert premiere.libelles["commune"] == "Rouen (76540)"


def test_utf8_bom_comma_csv(seine_maritime, communes):
    contenu = (
        "\ufeffNom,Type,Commune,Réseaux\n"
        "Secours Populaire Français – Rouen,Association,ROUEN,"
        "croix-rouge | Emmaüs\n"
    ).encode()
    resultat = imports.analyser_contenu("acteurs.csv", contenu, seine_maritime)

    assert resultat.est_propre
    ligne = resultat.lignes[0]
    assert ligne.donnees["nom"] == "Secours Populaire Français – Rouen"
    reseaux = Reseau.objects.filter(pk__in=ligne.donnees["reseaux"])
    assert sorted(reseaux.values_list("slug", flat=True)) == ["croix-rouge", "emmaus"]


def test_unknown_network_is_named(seine_maritime):
    contenu = (
        b"Nom;Type;Reseaux\nAssociation Trait d'Union;Association;Croix-Rouge, Reseau imaginaire\n"
    )
    resultat = imports.analyser_contenu("a.csv", contenu, seine_maritime)

    assert resultat.lignes[0].erreurs == [
        "Réseau « Reseau imaginaire » inconnu : utilisez le libellé ou l'identifiant d'un "
        "réseau de la liste data·inclusion."
    ]


def test_header_without_required_columns_lists_recognised_and_unknown_ones(seine_maritime):
    contenu = "Raison sociale;Ville;Observations\nAssociation Relais;Rouen;\n".encode("cp1252")
    resultat = imports.analyser_contenu("a.csv", contenu, seine_maritime)

    assert resultat.erreurs == [
        "Colonne obligatoire introuvable sur la première ligne : « Type ». "
        "Colonnes reconnues : « Raison sociale » (Nom), « Ville » (Commune). "
        "Colonnes non reconnues : « Observations »."
    ]
    assert resultat.lignes == []
    assert not resultat.est_propre


def test_header_with_nothing_recognised(seine_maritime):
    resultat = imports.analyser_contenu("a.csv", b"a;b\n1;2\n", seine_maritime)
    assert resultat.erreurs == [
        "Colonnes obligatoires introuvables sur la première ligne : « Nom » et « Type ». "
        "Aucune colonne reconnue. Colonnes non reconnues : « a », « b »."
    ]


def test_duplicate_by_name_of_an_existing_actor_without_siret(seine_maritime, association):
    contenu = b"Nom;Type\nASSOCIATION ACCUEIL ROUEN;Association\n"
    resultat = imports.analyser_contenu("a.csv", contenu, seine_maritime)

    assert resultat.lignes[0].doublon == "Doublon de « Association Accueil Rouen » (même nom)"


def test_two_establishments_with_the_same_name_but_their_own_siret_are_not_duplicates(
    seine_maritime,
):
    contenu = (
        f"Nom;Type;SIRET\nSecours Catholique;Association;{siret_valide('7750000000001')}\n"
        f"Secours Catholique;Association;{siret_valide('7750000000002')}\n"
        f"Secours Catholique;Association;{siret_valide('7750000000002')}\n"
    ).encode()
    resultat = imports.analyser_contenu("a.csv", contenu, seine_maritime)

    assert messages_par_ligne(resultat) == {
        2: [], 3: [], 4: ["Doublon de la ligne 3 du fichier (SIRET identique)"],
    }  # fmt: skip


def test_an_actor_of_another_departement_is_no_duplicate(seine_maritime, hautes_alpes):
    ActeurFactory(departement=hautes_alpes, nom="Accueil Gap", siret=SIRET_ETAT)
    contenu = f"Nom;Type;SIRET\nAccueil Gap;Association;{SIRET_ETAT}\n".encode()
    assert imports.analyser_contenu("a.csv", contenu, seine_maritime).est_propre


def test_lengths_and_siret_format(seine_maritime):
    contenu = ("Nom;Type;Sigle;SIRET\n" + "A" * 201 + ";EPCI;" + "S" * 31 + ";1234\n").encode()
    resultat = imports.analyser_contenu("a.csv", contenu, seine_maritime)

    # In the order of the columns, as the preview lists them.
    assert resultat.lignes[0].erreurs == [
        "Nom trop long : 201 caractères pour 200 au plus.",
        "Sigle trop long : 31 caractères pour 30 au plus.",
        "SIRET « 1234 » : Le SIRET doit compter 14 chiffres.",
    ]


DEPOSEZ = "Déposez un fichier .csv ou .xlsx."
TROP_GROS = b"Nom;Type\n" + b"x" * 2**21


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        ("setup.exe", b"MZ\x90\x00", f"Format de fichier non accepté (« .exe »). {DEPOSEZ}"),
        ("rapport.pdf", b"%PDF-1.7", f"Format de fichier non accepté (« .pdf »). {DEPOSEZ}"),
        ("acteurs", b"Nom;Type", f"Format de fichier non accepté (sans extension). {DEPOSEZ}"),
        ("vieux.xls", b"\xd0\xcf\x11\xe0", "Les fichiers .xls (Excel 97-2003) ne sont pas"),
        ("casse.xlsx", b"ceci n'est pas un classeur", "Ce fichier .xlsx ne peut pas être lu"),
        ("vide.csv", b"  \r\n", "Le fichier est vide."),
        ("binaire.csv", b"Nom;Type\x00\x00\x01", "Ce fichier n'est pas un tableau CSV lisible"),
        ("entete.csv", b"Nom;Type\n", "Le fichier ne contient que la ligne d'en-tête"),
        ("gros.csv", TROP_GROS, "Le fichier pèse 2,0 Mo : la limite est de 2 Mo."),
    ],
)  # fmt: skip
def test_unusable_files_are_refused_with_a_french_message(seine_maritime, nom, contenu, message):
    resultat = imports.analyser_contenu(nom, contenu, seine_maritime)
    assert len(resultat.erreurs) == 1
    assert resultat.erreurs[0].startswith(message)
    assert not resultat.est_propre


def test_a_zip_that_is_not_a_workbook_is_refused(seine_maritime):
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w") as archive:
        archive.writestr("bonjour.txt", "pas un classeur")
    resultat = imports.analyser_contenu("faux.xlsx", sortie.getvalue(), seine_maritime)
    assert resultat.erreurs[0].startswith("Ce fichier .xlsx ne peut pas être lu")


def test_more_than_2000_rows_is_refused(seine_maritime):
    contenu = ("Nom;Type\n" + "".join(f"Acteur {i};Association\n" for i in range(2001))).encode()
    resultat = imports.analyser_contenu("a.csv", contenu, seine_maritime)
    assert resultat.erreurs == [
        "Le fichier compte plus de 2\u00a0000 lignes : découpez-le en plusieurs fichiers."
    ]
    contenu = ("Nom;Type\n" + "".join(f"Acteur {i};Association\n" for i in range(2000))).encode()
    assert imports.analyser_contenu("a.csv", contenu, seine_maritime).est_propre


def test_reimporting_an_export_finds_every_actor_already_there(seine_maritime, communes, ddets):
    from acteurs.exports import export_csv, export_xlsx

    ActeurFactory(departement=seine_maritime, nom="Entraide Normande", commune=communes["Rouen"])
    qs = Acteur.objects.filter(departement=seine_maritime)
    for nom, contenu in [("a.csv", export_csv(qs)), ("a.xlsx", export_xlsx(qs))]:
        resultat = imports.analyser_contenu(nom, contenu, seine_maritime)
        assert resultat.erreurs == []
        assert [ligne.erreurs for ligne in resultat.lignes] == [[], []]
        assert [ligne.doublon for ligne in resultat.lignes] == [
            "Doublon de « Direction départementale de l'emploi, du travail et des "
            "solidarités » (SIRET identique)",
            "Doublon de « Entraide Normande » (même nom)",
        ]


# --- Views: who may --------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, seine_maritime):
    for url in (reverse("acteurs:importer"), reverse("acteurs:confirmer_import")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = client.post(reverse("acteurs:confirmer_import"))
    assert response.status_code == 302


@pytest.mark.parametrize("qui", ["partenaire", "cabinet", "lecteur", "admin_structure"])
def test_only_pilotage_imports(client, request, qui):
    client.force_login(request.getfixturevalue(qui))
    avant = Acteur.objects.count()
    assert client.get(reverse("acteurs:importer")).status_code == 403
    assert client.get(reverse("acteurs:importer") + "?modele=1").status_code == 403
    upload = fichier("a.csv", b"Nom;Type\nAssociation Relais;Association\n")
    assert client.post(reverse("acteurs:importer"), {"fichier": upload}).status_code == 403
    assert client.post(reverse("acteurs:confirmer_import"), {"empreinte": "x"}).status_code == 403
    assert Acteur.objects.count() == avant


def test_pilotage_of_another_departement_cannot_import_here(client, seine_maritime, hautes_alpes):
    user = HabilitationFactory(departement=hautes_alpes, role="pilotage").user
    HabilitationFactory(user=user, departement=seine_maritime, role="lecteur")
    client.force_login(user)
    session = client.session
    session["perimetre"] = seine_maritime.code
    session.save()
    assert client.get(reverse("acteurs:importer")).status_code == 403


def test_get_on_confirmation_is_not_allowed(client, pilotage):
    client.force_login(pilotage)
    assert client.get(reverse("acteurs:confirmer_import")).status_code == 405


# --- Views: the journey ----------------------------------------------------------------


def test_upload_page_explains_the_columns_and_offers_a_template(client, pilotage):
    client.force_login(pilotage)
    response = client.get(reverse("acteurs:importer"))

    assert response.status_code == 200
    page = texte(response)
    assert 'enctype="multipart/form-data"' in page
    assert 'accept=".csv,.xlsx"' in page
    assert 'href="?modele=1"' in page
    assert "Raison sociale" in page


def test_the_template_is_itself_a_clean_file(client, pilotage, seine_maritime, communes):
    client.force_login(pilotage)
    response = client.get(reverse("acteurs:importer"), {"modele": "1"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "modele-import-acteurs-76.csv" in response["Content-Disposition"]
    contenu = response.getvalue()
    assert contenu.startswith("\ufeffNom;Sigle;Type;SIRET;".encode())
    resultat = imports.analyser_contenu("modele.csv", contenu, seine_maritime)
    assert resultat.est_propre, resultat.lignes[0].messages


def test_a_file_with_errors_shows_them_and_writes_nothing(client, pilotage, communes, ddets):
    client.force_login(pilotage)
    avant = Acteur.objects.count()
    response = client.post(
        reverse("acteurs:importer"), {"fichier": fichier("Acteurs.xlsx", xlsx(TABLEUR_EN_DESORDRE))}
    )

    assert response.status_code == 200
    page = texte(response)
    assert "9 lignes, 3 prêtes, 6 en erreur" in page
    assert "fr-badge--error" in page
    assert "Doublon de la ligne 8 du fichier (même nom)" in page
    assert "Le nom est obligatoire." in page
    assert "Aucun acteur n'a été enregistré" in page
    assert "Confirmer l'import" not in page
    assert Acteur.objects.count() == avant
    assert imports_en_session(client) is None


def imports_en_session(client):
    return client.session.get("import_acteurs")


CSV_PROPRE = (
    "Nom;Sigle;Type;SIRET;Commune;Courriel;Réseaux\n"
    f"Association d'Entraide Franco-Ukrainienne;AEFU;Association;{SIRET_AEFU};Rouen;"
    "contact@aefu.fr;Croix-Rouge\n"
    "Cours de Français pour Tous;;asso;;Le Havre;;\n"
    f"Mairie de Saint-Étienne-du-Rouvray;;Collectivité territoriale;{SIRET_MAIRIE};76575;;\n"
).encode("cp1252")


def test_a_clean_file_is_written_only_after_confirmation(client, pilotage, communes):
    client.force_login(pilotage)
    avant = Acteur.objects.count()
    response = client.post(
        reverse("acteurs:importer"), {"fichier": fichier("propre.csv", CSV_PROPRE)}
    )

    assert response.status_code == 200
    page = texte(response)
    assert "3 lignes, 3 prêtes, 0 en erreur" in page
    assert "Confirmer l'import de 3 acteurs" in page
    assert Acteur.objects.count() == avant  # nothing yet
    en_attente = imports_en_session(client)
    assert [ligne["numero"] for ligne in en_attente["lignes"]] == [2, 3, 4]

    response = client.post(
        reverse("acteurs:confirmer_import"), {"empreinte": en_attente["empreinte"]}, follow=True
    )

    assert response.redirect_chain[0] == (reverse("acteurs:liste"), 302)
    assert "3 acteurs importés." in texte(response)
    assert Acteur.objects.count() == avant + 3
    aefu = Acteur.objects.get(siret=SIRET_AEFU)
    assert aefu.nom == "Association d'Entraide Franco-Ukrainienne"
    assert aefu.statut == Acteur.Statut.VALIDE
    assert aefu.commune == communes["Rouen"]
    assert list(aefu.reseaux.values_list("slug", flat=True)) == ["croix-rouge"]
    mairie = Acteur.objects.get(siret=SIRET_MAIRIE)
    assert mairie.type == Acteur.Type.COLLECTIVITE
    assert mairie.commune == communes["Saint-Étienne-du-Rouvray"]
    creations = Evenement.objects.filter(nature=Nature.ACTEUR_CREATION, par=pilotage)
    assert creations.count() == 3
    assert journal.historique(aefu).get().changements["nom"]["apres"] == aefu.nom
    assert imports_en_session(client) is None

    # Confirming twice imports nothing more.
    response = client.post(
        reverse("acteurs:confirmer_import"), {"empreinte": en_attente["empreinte"]}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("acteurs:importer")
    assert Acteur.objects.count() == avant + 3


def test_an_actor_created_meanwhile_blocks_the_confirmation(
    client, pilotage, seine_maritime, communes
):
    client.force_login(pilotage)
    client.post(reverse("acteurs:importer"), {"fichier": fichier("propre.csv", CSV_PROPRE)})
    empreinte = imports_en_session(client)["empreinte"]
    # Meanwhile, a colleague creates two of them by hand.
    ActeurFactory(departement=seine_maritime, nom="Mairie de SER", siret=SIRET_MAIRIE)
    ActeurFactory(departement=seine_maritime, nom="Cours de français pour tous")
    avant = Acteur.objects.count()

    response = client.post(reverse("acteurs:confirmer_import"), {"empreinte": empreinte})

    assert response.status_code == 200
    page = texte(response)
    assert "Doublon de « Mairie de SER » (SIRET identique)" in page
    assert "Doublon de « Cours de français pour tous » (même nom)" in page
    assert "aucun acteur n'a été importé" in page
    assert Acteur.objects.count() == avant
    assert not Acteur.objects.filter(siret=SIRET_AEFU).exists()
    assert imports_en_session(client) is None


def test_confirming_another_file_than_the_last_preview_writes_nothing(client, pilotage, communes):
    client.force_login(pilotage)
    client.post(reverse("acteurs:importer"), {"fichier": fichier("propre.csv", CSV_PROPRE)})
    avant = Acteur.objects.count()

    response = client.post(reverse("acteurs:confirmer_import"), {"empreinte": "0" * 64})

    assert response.status_code == 302
    assert Acteur.objects.count() == avant


def test_a_later_file_with_errors_cancels_the_pending_one(client, pilotage, communes):
    client.force_login(pilotage)
    client.post(reverse("acteurs:importer"), {"fichier": fichier("propre.csv", CSV_PROPRE)})
    empreinte = imports_en_session(client)["empreinte"]
    client.post(reverse("acteurs:importer"), {"fichier": fichier("x.pdf", b"%PDF")})

    client.post(reverse("acteurs:confirmer_import"), {"empreinte": empreinte})
    assert not Acteur.objects.filter(siret=SIRET_AEFU).exists()


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        ("virus.exe", b"MZ\x90\x00\x03", "Format de fichier non accepté (« .exe »)"),
        ("acteurs.pdf", b"%PDF-1.4\n%\xe2\xe3", "Format de fichier non accepté (« .pdf »)"),
        ("acteurs.xlsx", b"PK\x03\x04 tronqu\xe9", "Ce fichier .xlsx ne peut pas être lu"),
    ],
)
def test_a_bad_upload_gets_a_clear_message_not_a_500(client, pilotage, nom, contenu, message):
    client.force_login(pilotage)
    avant = Acteur.objects.count()
    response = client.post(reverse("acteurs:importer"), {"fichier": fichier(nom, contenu)})

    assert response.status_code == 200
    assert message in texte(response)
    assert Acteur.objects.count() == avant


def test_no_file_chosen(client, pilotage):
    client.force_login(pilotage)
    response = client.post(reverse("acteurs:importer"), {})
    assert response.status_code == 200
    assert "Choisissez le fichier à importer." in texte(response)


def test_communes_of_another_departement_are_not_found(seine_maritime, hautes_alpes):
    gap = TerritoireFactory(code="05061", nom="Gap")
    gap.departements.add(hautes_alpes)
    resultat = imports.analyser_contenu(
        "a.csv", b"Nom;Type;Commune\nAsso;Association;Gap\n", seine_maritime
    )
    assert resultat.lignes[0].erreurs == [
        "Commune « Gap » introuvable dans le département de la Seine-Maritime."
    ]
    assert Territoire.objects.filter(nom="Gap").exists()


def test_a_duplicate_only_the_database_sees_still_writes_nothing(
    seine_maritime, pilotage, communes, monkeypatch
):
    """Two confirmations at the same instant: the SIRET constraint has the last word."""
    resultat = imports.analyser_contenu("propre.csv", CSV_PROPRE, seine_maritime)
    assert resultat.est_propre
    ActeurFactory(departement=seine_maritime, nom="Mairie de SER", siret=SIRET_MAIRIE)
    verifier = imports.verifier_doublons
    appels = []

    def aveugle_la_premiere_fois(*args, **kwargs):
        appels.append(1)
        if len(appels) > 1:
            verifier(*args, **kwargs)

    monkeypatch.setattr(imports, "verifier_doublons", aveugle_la_premiere_fois)
    avant = Acteur.objects.count()

    with pytest.raises(imports.ImportBloque):
        imports.enregistrer(seine_maritime, resultat.lignes, by=pilotage)

    assert Acteur.objects.count() == avant
    assert not Evenement.objects.exists()
    assert resultat.lignes[2].doublon == "Doublon de « Mairie de SER » (SIRET identique)"
