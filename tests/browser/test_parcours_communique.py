"""The press service's journey in Chromium: after a held séance, the préfet's cabinet goes
from the home page to the communiqué by clicks, sets its date line and the préfet's quotation,
saves a version, exports it in PDF, follows its production and downloads it; the file is the
press release, with its title, its date line, the quotation and the press contacts."""

import io
import re

import pypdf
import pytest
from playwright.sync_api import expect

from comites.models import Seance
from integration.models import DocumentRequest
from tests.acteurs.factories import DepartementFactory, HabilitationFactory
from tests.browser.conftest import page_qui_telecharge
from tests.comites.factories import InstanceFactory, SeanceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITRE = "Le comité de pilotage trace les axes de l'intégration"


@pytest.fixture(autouse=True)
def _fichiers(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_cabinet_exports_a_communique_and_downloads_its_pdf(live_server, browser):
    departement = DepartementFactory(
        contact_presse_service="Cabinet du préfet\nService de la communication",
        contact_presse_telephone="02 32 76 50 14",
        contact_presse_courriel="pref-communication@seine-maritime.gouv.fr",
    )
    cabinet = HabilitationFactory(departement=departement, role="cabinet").user
    copil = InstanceFactory(departement=departement, nom="COPIL de l'intégration")
    seance = SeanceFactory(instance=copil, passee=True, statut=Seance.Statut.TENUE)
    page = page_qui_telecharge(browser, live_server, cabinet, delai_ms=15_000)

    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Comités"
    ).click()
    page.get_by_role("link", name="COPIL de l'intégration").click()
    page.get_by_role("link", name=re.compile(r"\d{4} à \d")).click()
    page.get_by_role("link", name="Communiqué de presse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Communiqué de presse")
    page.get_by_label("Titre *", exact=True).fill(TITRE)
    lieu_date = page.get_by_label("Lieu et date")
    expect(lieu_date).to_have_value(re.compile(r"^Rouen, le "))  # the séance's day
    lieu_date.fill("Rouen, le 1er juillet 2019")
    texte = page.locator("#id_texte")
    expect(texte).to_have_value(re.compile("Le gouvernement entend mener"))  # the draft
    texte.fill("Les partenaires étaient réunis : merci à tous !")
    page.get_by_label("Personne citée").fill("Claire Martin, préfète de la Seine-Maritime")
    page.locator("#id_citation").fill("Chacun a sa place dans ce réseau.")
    page.get_by_role("button", name="Enregistrer une nouvelle version").click()
    expect(page.get_by_role("status")).to_contain_text("Version 1 du communiqué enregistrée")
    expect(page.locator("figure.fr-quote")).to_contain_text("Chacun a sa place dans ce réseau.")

    page.get_by_role("button", name="Exporter en PDF la version 1").click()
    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Communiqué de presse")
    # The page follows the production by itself (htmx), then offers the file.
    lien = page.get_by_role("link", name=re.compile("^Télécharger communique-"))
    expect(lien).to_be_visible()
    with page.expect_download() as attente:
        lien.click()
    telechargement = attente.value
    assert telechargement.suggested_filename == f"communique-{seance.pk}-v1.pdf"
    pdf = open(telechargement.path(), "rb").read()  # noqa: SIM115 - Playwright's own file
    assert pdf.startswith(b"%PDF")
    lu = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    plat = " ".join(lu.split())
    assert "COMMUNIQUÉ DE PRESSE" in lu and TITRE.replace("'", "’") in plat
    assert "Les partenaires étaient réunis" in plat
    assert "Rouen, le 1er juillet 2019" in plat  # the date line as typed, not the day saved
    assert "« Chacun a sa place dans ce réseau. »" in plat
    assert "Claire Martin, préfète de la Seine-Maritime" in plat
    assert "Mél\u00a0: pref-communication@seine-maritime.gouv.fr" in lu
    assert DocumentRequest.objects.get().status == DocumentRequest.Status.DONE

    # Back to the communiqué from the document's page.
    page.get_by_role("link", name="Retour").click()
    expect(page).to_have_url(re.compile(rf"/comites/seances/{seance.pk}/communique/$"))
    page.context.close()
