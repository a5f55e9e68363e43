"""An imported row obeys the actor's form, a binary file is no table, a large file goes in
by bulk, and what we export we can import again."""

import html
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from acteurs import access, exports, imports, services
from acteurs.forms import ActeurForm
from acteurs.journal import Nature
from acteurs.models import Acteur, Reseau
from integration.models import Evenement
from tests.acteurs.factories import ActeurFactory, TerritoireFactory, siret_valide
from tests.acteurs.test_imports import fichier, xlsx

SIRET_ZERO = siret_valide("0123456780001")  # 13 digits once a number cell drops the zero


@pytest.fixture
def rouen(seine_maritime):
    commune = TerritoireFactory(code="76540", nom="Rouen", codes_postaux="76000 76100")
    commune.departements.add(seine_maritime)
    return commune


def texte(response) -> str:
    return html.unescape(response.content.decode())


# --- The form's rules, the form's messages ----------------------------------------------

REFUS = [
    ("nom", "A" * 201, "Nom trop long : 201 caractères pour 200 au plus."),
    ("nom", "Accueil\x07Rouen", "Le nom contient un caractère invisible (caractère de "
     "contrôle) : retirez-le."),
    ("sigle", "AR\x1b", "Le sigle contient un caractère invisible (caractère de contrôle) : "
     "retirez-le."),
    ("sigle", "S" * 31, "Sigle trop long : 31 caractères pour 30 au plus."),
    ("adresse", "x" * 251, "Adresse trop longue : 251 caractères pour 250 au plus."),
    ("code_postal", "7600", "Le code postal « 7600 » doit compter 5 chiffres."),
    ("telephone", "0" * 31, "Téléphone trop long : 31 caractères pour 30 au plus."),
    ("courriel", "accueil@@exemple", "Le courriel « accueil@@exemple » n'est pas une adresse "
     "valide."),
    ("site_web", "https://exa mple.fr", "Le site web « https://exa mple.fr » n'est pas une "
     "adresse valide."),
    ("siret", "1234", "Le SIRET doit compter 14 chiffres."),
]  # fmt: skip
COLONNE = {champ: libelle for champ, (libelle, _) in imports.COLONNES.items()}


@pytest.mark.parametrize(("champ", "valeur", "message"), REFUS)
def test_what_the_form_refuses_the_import_refuses_with_the_same_message(
    seine_maritime, pilotage, champ, valeur, message
):
    data = {"type": "association", "nom": "Association Relais", champ: valeur}
    form = ActeurForm(data, departement=seine_maritime, user=pilotage)
    assert not form.is_valid()
    assert form.errors[champ] == [message]

    contenu = f"Nom;Type;{COLONNE[champ]}\nAssociation Relais;Association;{valeur}\n"
    if champ == "nom":
        contenu = f"Nom;Type\n{valeur};Association\n"
    (ligne,) = imports.analyser_contenu("a.csv", contenu.encode(), seine_maritime).lignes
    attendu = f"SIRET « {valeur} » : {message}" if champ == "siret" else message
    assert ligne.erreurs == [attendu]


def test_a_name_on_two_lines_becomes_one_line_on_screen_and_by_import(
    client, seine_maritime, pilotage, apres_commit
):
    client.force_login(pilotage)
    with apres_commit():
        client.post(
            reverse("acteurs:creer"),
            {"type": "association", "nom": "Foyer\r\n  Rouen", "code_postal": "76 000"},
        )
    assert Acteur.objects.get(nom="Foyer Rouen").code_postal == "76000"

    contenu = (
        b'Nom;Type;Sigle\n"Association\nAccueil\tR\xc3\xa9fugi\xc3\xa9s";Association;"A\nAR"\n'
    )
    resultat = imports.analyser_contenu("a.csv", contenu, seine_maritime)
    assert resultat.est_propre
    (acteur,) = imports.enregistrer(seine_maritime, resultat.lignes, by=pilotage)
    acteur.refresh_from_db()
    assert (acteur.nom, acteur.sigle) == ("Association Accueil Réfugiés", "A AR")

    # The e-mails about that actor carry its name in their subject: they go out.
    with apres_commit():
        services.inviter(
            seine_maritime, "benevole@exemple.fr", by=pilotage, base_url="https://x.fr",
            acteur=acteur, role_membre="contributeur",
        )  # fmt: skip
    (courriel,) = mail.outbox
    assert "Association Accueil Réfugiés (A AR)" in courriel.subject


# --- SIRET in number cells --------------------------------------------------------------


def test_siret_number_cells(seine_maritime):
    sirets = [1234, float(SIRET_ZERO), int(SIRET_ZERO), 12345678901234.0, "12345678901234,0"]
    rows = [["Nom", "Type", "SIRET"]] + [
        [f"Acteur {i}", "Association", s] for i, s in enumerate(sirets)
    ]
    lignes = imports.analyser_contenu("a.xlsx", xlsx(rows), seine_maritime).lignes

    assert lignes[0].erreurs == ["SIRET « 1234 » : Le SIRET doit compter 14 chiffres."]
    assert [ligne.donnees["siret"] for ligne in lignes[1:]] == [
        SIRET_ZERO, SIRET_ZERO, "12345678901234", "12345678901234",
    ]  # fmt: skip
    assert lignes[1].erreurs == lignes[2].erreurs == []
    assert lignes[3].erreurs[0].startswith("SIRET « 12345678901234 » : Ce SIRET n'existe pas")


def test_the_preview_shows_the_siret_as_it_will_be_stored(client, pilotage):
    client.force_login(pilotage)
    rows = [["Nom", "Type", "SIRET"], ["A", "Association", int(SIRET_ZERO)],
            ["B", "Association", "130 025 265 00013"]]  # fmt: skip
    response = client.post(reverse("acteurs:importer"), {"fichier": fichier("a.xlsx", xlsx(rows))})

    page = texte(response)
    assert f"<td>{SIRET_ZERO}</td>" in page
    assert "<td>13002526500013</td>" in page
    assert "2 acteurs seront créés." in page


# --- Not a table ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "contenu",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 40,
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"stream\n\x78\x9c\xed\x9d;;\x81\x8d\n" * 200,
    ],
)
def test_a_picture_or_a_pdf_renamed_csv_gets_one_message(client, pilotage, contenu):
    client.force_login(pilotage)
    response = client.post(
        reverse("acteurs:importer"), {"fichier": fichier("acteurs.csv", contenu)}
    )

    page = texte(response)
    assert page.count("Ce fichier n'est pas un tableau CSV lisible") == 1
    assert "Colonnes non reconnues" not in page
    assert "Confirmer l'import" not in page


def test_a_wide_unknown_header_lists_ten_columns_then_counts(seine_maritime):
    contenu = ";".join(f"col{i}" for i in range(300)).encode() + b"\nx\n"
    (erreur,) = imports.analyser_contenu("a.csv", contenu, seine_maritime).erreurs
    assert erreur.endswith("« col8 », « col9 » et 290 autres.")


# --- Large files ------------------------------------------------------------------------


def csv_de(n: int, debut: int = 0) -> bytes:
    lignes = "".join(
        f"Acteur {i};Association;{siret_valide(f'{800000000 + i:09d}0001')};Rouen;"
        "Croix-Rouge, Emmaüs\n"
        for i in range(debut, debut + n)
    )
    return f"Nom;Type;SIRET;Commune;Réseaux\n{lignes}".encode()


def test_writing_queries_do_not_grow_with_the_rows(seine_maritime, pilotage, rouen):
    access.is_pilotage(pilotage, seine_maritime)  # the user's rights, read once and kept
    comptes = {}
    for n, debut in ((5, 0), (500, 100)):
        with CaptureQueriesContext(connection) as lecture:
            resultat = imports.analyser_contenu("a.csv", csv_de(n, debut), seine_maritime)
        assert resultat.est_propre
        with CaptureQueriesContext(connection) as ecriture:
            crees = imports.enregistrer(seine_maritime, resultat.lignes, by=pilotage)
        assert len(crees) == n
        comptes[n] = (len(lecture), len(ecriture))

    assert comptes[500][0] == comptes[5][0]
    if connection.features.max_query_params is None:  # PostgreSQL: one INSERT per table
        assert comptes[500][1] == comptes[5][1]
    else:  # SQLite caps a query's parameters: a few batches, never a query per row
        assert comptes[500][1] < comptes[5][1] + 500 // 20

    assert Acteur.objects.filter(departement=seine_maritime).count() == 505
    creations = Evenement.objects.filter(nature=Nature.ACTEUR_CREATION, par=pilotage)
    assert creations.count() == 505
    dernier = Acteur.objects.get(nom="Acteur 599")
    assert creations.get(objet_id=dernier.pk).changements["reseaux"] == {
        "libelle": "réseaux", "avant": "", "apres": "Croix-Rouge, Emmaüs",
    }  # fmt: skip
    assert creations.get(objet_id=dernier.pk).changements["commune"]["apres"] == "Rouen (76540)"
    assert Acteur.reseaux.through.objects.count() == 1010
    assert sorted(dernier.reseaux.values_list("slug", flat=True)) == ["croix-rouge", "emmaus"]


def test_only_pilotage_imports_by_bulk(seine_maritime, partenaire):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.importer_acteurs(seine_maritime, [{"nom": "X", "type": "autre"}], by=partenaire)
    assert not Acteur.objects.filter(nom="X").exists()


# --- Round trip -------------------------------------------------------------------------


def valeurs(departement) -> list[tuple]:
    return sorted(
        (
            a.nom, a.sigle, a.type, a.siret, a.adresse, a.code_postal, a.commune_id,
            a.telephone, a.courriel, a.site_web, a.description,
            tuple(sorted(r.slug for r in a.reseaux.all())),
        )
        for a in Acteur.objects.filter(departement=departement).prefetch_related("reseaux")
    )  # fmt: skip


@pytest.fixture
def registre(seine_maritime, rouen):
    ActeurFactory(
        departement=seine_maritime,
        type=Acteur.Type.OPERATEUR_ETAT,
        nom="=SOMME(A1)",
        sigle="@OFII",
        siret=SIRET_ZERO,
        adresse="-12, rue de l'Église",
        code_postal="76000",
        commune=rouen,
        telephone="+33 2 35 00 00 00",
        courriel="contact@ofii.fr",
        site_web="https://www.ofii.fr",
        description='Cours de français ; « ateliers »\n"Permanences" le mardi.',
    ).reseaux.set(Reseau.objects.filter(slug__in=["croix-rouge", "communes"]))
    ActeurFactory(
        departement=seine_maritime, type=Acteur.Type.EPCI, nom="Métropole Rouen Normandie"
    )
    ActeurFactory(
        departement=seine_maritime, type=Acteur.Type.COLLECTIVITE, nom="Mairie d'Elbeuf",
        sigle="", siret="", description="",
    )  # fmt: skip


@pytest.mark.parametrize("format_", ["csv", "xlsx"])
def test_what_we_export_we_import_again(seine_maritime, pilotage, registre, format_):
    avant = valeurs(seine_maritime)
    qs = Acteur.objects.filter(departement=seine_maritime)
    contenu = exports.export_csv(qs) if format_ == "csv" else exports.export_xlsx(qs)
    Acteur.objects.filter(departement=seine_maritime).delete()

    resultat = imports.analyser_contenu(f"export.{format_}", contenu, seine_maritime)
    assert resultat.colonnes_ignorees == ["Statut", "Archivé", "Mis à jour le", "Département"]
    assert resultat.est_propre, [ligne.messages for ligne in resultat.lignes]
    imports.enregistrer(seine_maritime, resultat.lignes, by=pilotage)

    assert valeurs(seine_maritime) == avant
    assert avant[0][0] == "=SOMME(A1)"  # the quote that kept it from running is gone


def test_every_wrong_row_names_its_line_in_the_preview(client, pilotage, ddets, rouen):
    from tests.acteurs.test_imports import TABLEUR_EN_DESORDRE

    client.force_login(pilotage)
    contenu = xlsx(TABLEUR_EN_DESORDRE)
    response = client.post(reverse("acteurs:importer"), {"fichier": fichier("a.xlsx", contenu)})

    page = texte(response)
    resultat = imports.analyser_contenu("a.xlsx", contenu, ddets.departement)
    en_erreur = [ligne for ligne in resultat.lignes if not ligne.est_valide]
    # Rouen only: Le Havre (line 4) and Saint-Étienne-du-Rouvray (line 13) are not found.
    assert [ligne.numero for ligne in en_erreur] == [4, 5, 6, 7, 9, 10, 13]
    for ligne in en_erreur:
        rangee = re.search(rf'<tr id="ligne-{ligne.numero}".*?</tr>', page, re.DOTALL).group()
        assert f'<th scope="row">{ligne.numero}</th>' in rangee
        assert all(message in rangee for message in ligne.messages)
