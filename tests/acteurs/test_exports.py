"""Exporting what the actors' list shows: CSV and XLSX for people, JSON for data·inclusion."""

import csv
import io
import json
from datetime import date

import pytest
from data_inclusion.schema.v1 import Structure
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from acteurs import exports
from acteurs.models import Acteur, Reseau
from tests.acteurs.factories import (
    ActeurFactory,
    MembreFactory,
    TerritoireFactory,
    UserFactory,
    siret_valide,
)

URL = reverse("acteurs:exporter")
AUJOURDHUI = timezone.localdate().isoformat()


SIRET_ZERO = siret_valide("0012345670001")  # a leading zero a spreadsheet must not eat


@pytest.fixture
def rouen(seine_maritime):
    commune = TerritoireFactory(code="76540", nom="Rouen", codes_postaux="76000 76100")
    commune.departements.add(seine_maritime)
    return commune


@pytest.fixture
def aefu(seine_maritime, rouen):
    acteur = ActeurFactory(
        departement=seine_maritime,
        nom="Association d'Entraide Franco-Ukrainienne",
        sigle="AEFU",
        siret=SIRET_ZERO,
        adresse="12, rue de l'Église",
        code_postal="76000",
        commune=rouen,
        telephone="02 35 00 00 00",
        courriel="contact@aefu.fr",
        site_web="https://aefu.fr",
        description="Cours de français, aide aux démarches et accompagnement vers l'emploi.",
    )
    acteur.reseaux.set(Reseau.objects.filter(slug__in=["croix-rouge", "communes"]))
    return acteur


def lire_csv(reponse_ou_contenu) -> list[list[str]]:
    contenu = reponse_ou_contenu
    if not isinstance(contenu, bytes):
        contenu = contenu.getvalue()  # a streamed download: read it once
    return list(csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))


def noms(response) -> list[str]:
    return [row[0] for row in lire_csv(response)[1:]]


# --- Who may ----------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, seine_maritime):
    response = client.get(URL, {"format": "csv"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("format_", ["pdf", "", "CSV", "xls"])
def test_unknown_format_is_a_400_in_french(client, pilotage, format_):
    client.force_login(pilotage)
    response = client.get(URL, {"format": format_})
    assert response.status_code == 400
    assert response.content.decode().startswith("Format d'export inconnu")
    assert "csv, xlsx, json" in response.content.decode()


def test_partner_export_keeps_to_what_the_partner_may_see(
    client, partenaire, seine_maritime, hautes_alpes, aefu
):
    autre_partenaire = MembreFactory(acteur=ActeurFactory(departement=seine_maritime)).user
    ActeurFactory(
        departement=seine_maritime,
        en_attente=True,
        propose_par=autre_partenaire,
        nom="Proposition d'un autre",
    )
    ActeurFactory(departement=seine_maritime, nom="Rejet d'un autre", rejete=True)
    ActeurFactory(
        departement=seine_maritime, en_attente=True, propose_par=partenaire, nom="Ma proposition"
    )
    ActeurFactory(departement=hautes_alpes, nom="Accueil des Hautes-Alpes")
    client.force_login(partenaire)

    for format_ in ("csv", "xlsx", "json"):
        response = client.get(URL, {"format": format_})
        assert response.status_code == 200
        contenu = response.getvalue()
        if format_ == "xlsx":
            feuille = load_workbook(io.BytesIO(contenu)).active
            contenu = "\n".join(str(c.value) for row in feuille.iter_rows() for c in row)
        else:
            contenu = contenu.decode("utf-8-sig")
        assert "Association d'Entraide Franco-Ukrainienne" in contenu
        assert "Ma proposition" in contenu
        assert "Proposition d'un autre" not in contenu
        assert "Rejet d'un autre" not in contenu
        assert "Hautes-Alpes" not in contenu


def test_pilotage_export_includes_pending_proposals(client, pilotage, seine_maritime):
    ActeurFactory(departement=seine_maritime, en_attente=True, nom="Proposition à modérer")
    client.force_login(pilotage)
    rows = lire_csv(client.get(URL, {"format": "csv"}))
    assert rows[1][0] == "Proposition à modérer"
    assert rows[1][12] == "En attente de validation"


# --- CSV --------------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_semicolons_and_french_headers(client, lecteur, aefu, ddets):
    client.force_login(lecteur)
    response = client.get(URL, {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="acteurs-76-{AUJOURDHUI}.csv"'
    contenu = response.getvalue()
    assert contenu.startswith(b"\xef\xbb\xbf")
    assert contenu.decode("utf-8").startswith("\ufeffNom;Sigle;Type;SIRET;")
    rows = lire_csv(contenu)
    assert rows[0] == [
        "Nom", "Sigle", "Type", "SIRET", "Adresse", "Code postal", "Commune", "Code INSEE",
        "Téléphone", "Courriel", "Site web", "Réseaux", "Statut", "Archivé", "Mis à jour le",
        "Description", "Département",
    ]  # fmt: skip
    assert rows[1] == [
        "Association d'Entraide Franco-Ukrainienne", "AEFU", "Association", SIRET_ZERO,
        "12, rue de l'Église", "76000", "Rouen", "76540", "02 35 00 00 00", "contact@aefu.fr",
        "https://aefu.fr", "Communes, mairies, communautés de communes, etc., Croix-Rouge",
        "Validé", "non", timezone.localdate().strftime("%d/%m/%Y"), aefu.description,
        "Seine-Maritime (76)",
    ]  # fmt: skip
    assert rows[2][:4] == [
        "Direction départementale de l'emploi, du travail et des solidarités", "DDETS",
        "Service de l'État", "13002526500013",
    ]  # fmt: skip


def test_export_applies_the_list_filters_over_all_pages(
    client, pilotage, seine_maritime, aefu, ddets
):
    ActeurFactory.create_batch(60, departement=seine_maritime)
    ActeurFactory(departement=seine_maritime, nom="Ancienne association", archive=True)
    client.force_login(pilotage)

    assert len(noms(client.get(URL, {"format": "csv"}))) == 62  # the list pages by 50
    par_type = noms(client.get(URL, {"format": "csv", "type": "service_etat"}))
    assert par_type == [ddets.nom]
    assert ddets.nom not in noms(client.get(URL, {"format": "csv", "type": "association"}))
    assert noms(client.get(URL, {"format": "csv", "q": "entraide"})) == [aefu.nom]
    assert noms(client.get(URL, {"format": "csv", "q": "1300 2526"})) == [ddets.nom]
    assert "Ancienne association" not in noms(client.get(URL, {"format": "csv"}))
    archives = lire_csv(client.get(URL, {"format": "csv", "archives": "on", "q": "ancienne"}))
    assert archives[1][0] == "Ancienne association"
    assert archives[1][13] == "oui"
    reseau = Reseau.objects.get(slug="croix-rouge")
    par_reseau = json.loads(client.get(URL, {"format": "json", "reseau": reseau.pk}).getvalue())
    assert [s["nom"] for s in par_reseau] == [aefu.nom]
    tri = noms(client.get(URL, {"format": "csv", "tri": "-nom", "q": "d"}))
    assert tri == sorted(tri, reverse=True)


def test_export_queries_do_not_grow_with_the_number_of_actors(
    client, pilotage, seine_maritime, rouen
):
    client.force_login(pilotage)
    reseaux = list(Reseau.objects.all()[:3])

    def creer(n):
        for acteur in ActeurFactory.create_batch(n, departement=seine_maritime, commune=rouen):
            acteur.reseaux.set(reseaux)

    creer(3)
    comptes = {}
    for format_ in ("csv", "xlsx", "json"):
        with CaptureQueriesContext(connection) as avant:
            client.get(URL, {"format": format_})
        comptes[format_] = len(avant)
    creer(40)
    for format_ in ("csv", "xlsx", "json"):
        with CaptureQueriesContext(connection) as apres:
            client.get(URL, {"format": format_})
        assert len(apres) == comptes[format_], format_


def test_formulas_are_neutralised(client, pilotage, seine_maritime):
    ActeurFactory(
        departement=seine_maritime,
        nom='=HYPERLINK("https://example.com/x";"Cliquez ici")',
        sigle="@SOMME(A1)",
        adresse="-2+3",
        telephone="+33 2 35 00 00 00",
    )
    client.force_login(pilotage)

    row = lire_csv(client.get(URL, {"format": "csv"}))[1]
    assert row[0] == '\'=HYPERLINK("https://example.com/x";"Cliquez ici")'
    assert row[1] == "'@SOMME(A1)"
    assert row[4] == "'-2+3"
    assert row[8] == "'+33 2 35 00 00 00"

    feuille = load_workbook(io.BytesIO(client.get(URL, {"format": "xlsx"}).getvalue())).active
    cellules = {c.column_letter: c for c in feuille[2]}
    for lettre in "ABEI":
        assert cellules[lettre].data_type == "s"  # text, never a formula
    assert cellules["A"].value == '=HYPERLINK("https://example.com/x";"Cliquez ici")'
    assert cellules["I"].value == "+33 2 35 00 00 00"


# --- XLSX -------------------------------------------------------------------------------


def test_xlsx_reads_back_with_text_cells_bold_frozen_header(client, cabinet, aefu, ddets):
    client.force_login(cabinet)
    response = client.get(URL, {"format": "xlsx"})

    assert response.status_code == 200
    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert f'filename="acteurs-76-{AUJOURDHUI}.xlsx"' in response["Content-Disposition"]
    feuille = load_workbook(io.BytesIO(response.getvalue())).active
    assert [c.value for c in feuille[1]] == exports.ENTETE
    assert all(c.font.bold for c in feuille[1])
    assert feuille.freeze_panes == "A2"
    assert feuille.column_dimensions["A"].width >= 30
    ligne = [c.value for c in feuille[2]]
    assert ligne[:4] == [
        "Association d'Entraide Franco-Ukrainienne",
        "AEFU",
        "Association",
        SIRET_ZERO,
    ]
    assert ligne[5] == "76000"
    assert ligne[11] == "Communes, mairies, communautés de communes, etc., Croix-Rouge"
    assert feuille.max_row == 3


# --- data·inclusion ---------------------------------------------------------------------


def test_json_is_valid_data_inclusion(client, pilotage, seine_maritime, aefu, ddets):
    ActeurFactory(
        departement=seine_maritime, nom="Lien", description="Aide", site_web="https://lien.fr"
    )
    mauvais = ActeurFactory(departement=seine_maritime, nom="Ancien registre.")
    # Written before the checks existed: the schema refuses these, the export leaves them out.
    Acteur.objects.filter(pk=mauvais.pk).update(courriel="pas-une-adresse", code_postal="7600")
    client.force_login(pilotage)
    response = client.get(URL, {"format": "json"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert f'filename="acteurs-76-{AUJOURDHUI}.json"' in response["Content-Disposition"]
    contenu = response.getvalue()
    assert "Église".encode() in contenu  # UTF-8, not \\u escapes
    assert b'\n  {\n    "source"' in contenu  # pretty-printed
    structures = json.loads(contenu)
    assert len(structures) == 4
    for structure in structures:
        Structure.model_validate(structure)

    par_nom = {s["nom"]: s for s in structures}
    s = par_nom["Association d'Entraide Franco-Ukrainienne"]
    assert s == {
        "source": "strategie-integration-76",
        "id": f"strategie-integration-76--{aefu.pk}",
        "nom": "Association d'Entraide Franco-Ukrainienne",
        "date_maj": AUJOURDHUI,
        "siret": SIRET_ZERO,
        "commune": "Rouen",
        "code_postal": "76000",
        "code_insee": "76540",
        "adresse": "12, rue de l'Église",
        "telephone": "02 35 00 00 00",
        "courriel": "contact@aefu.fr",
        "site_web": "https://aefu.fr",
        "description": aefu.description,
        "reseaux_porteurs": ["communes", "croix-rouge"],
    }
    assert "description" not in par_nom["Lien"]  # "Aide": under 5 characters
    assert par_nom["Lien"]["site_web"] == "https://lien.fr"
    assert "courriel" not in par_nom["Ancien registre."]
    assert "code_postal" not in par_nom["Ancien registre."]
    assert par_nom["Direction départementale de l'emploi, du travail et des solidarités"][
        "siret"
    ] == ("13002526500013")


def test_data_inclusion_names_fit_the_schema(seine_maritime):
    ActeurFactory(departement=seine_maritime, nom="AB", sigle="Accueil Bienvenue")
    ActeurFactory(departement=seine_maritime, nom="X")
    ActeurFactory(departement=seine_maritime, nom="Association " * 16)
    structures = exports.export_data_inclusion(Acteur.objects.order_by("pk"))

    assert [len(s["nom"]) for s in structures][2] == 150
    assert structures[0]["nom"] == "AB (Accueil Bienvenue)"
    for structure in structures:
        Structure.model_validate(structure)


def test_data_inclusion_date_is_never_in_the_future(seine_maritime):
    ActeurFactory(departement=seine_maritime)
    (structure,) = exports.export_data_inclusion(Acteur.objects.all())
    assert date.fromisoformat(structure["date_maj"]) <= date.today()


def test_export_of_an_account_without_departement(client, db):
    client.force_login(UserFactory())
    assert client.get(URL, {"format": "csv"}).status_code == 403
