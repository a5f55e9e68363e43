"""The avis aux médias in Chromium, on a desktop and on a phone: pilotage starts at its home
page and goes on by clicks only; it plans a séance that the préfète will preside, opens it,
prepares the avis aux médias from the proposed text, validates a version, exports it and
downloads the PDF, which announces the date, the place, the presidency and how the press
attends."""

import io
import re
from datetime import timedelta

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from integration.models import DocumentRequest
from integration.text import date_longue
from tests.acteurs.factories import DepartementFactory, HabilitationFactory
from tests.browser.parcours import LARGEURS, accueil
from tests.comites.factories import InstanceFactory, PersonneFactory, SiegeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fichiers(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("largeur", LARGEURS)
def test_pilotage_announces_a_coming_seance_to_the_press(live_server, browser, largeur):
    departement = DepartementFactory(
        contact_presse_service="Cabinet du préfet\nService de la communication",
        contact_presse_telephone="02 32 76 50 14",
    )
    pilotage = HabilitationFactory(departement=departement, role="pilotage").user
    copil = InstanceFactory(departement=departement, nom="COPIL de l'intégration")
    prefete = PersonneFactory(
        departement=departement, nom="Claire Martin", civilite="mme",
        fonction="préfète de la Seine-Maritime",
    )  # fmt: skip
    SiegeFactory(instance=copil, role="presidence", personne=prefete)
    visiteur = accueil(browser, live_server, pilotage, largeur)
    page = visiteur.page

    visiteur.menu("Comités")
    visiteur.lien("COPIL de l'intégration", exact=True)
    visiteur.lien("Planifier une séance")
    jour = timezone.localtime() + timedelta(days=14)
    page.get_by_label("Début").fill(jour.strftime("%Y-%m-%dT09:30"))
    page.get_by_label("Fin").fill(jour.strftime("%Y-%m-%dT12:00"))
    page.get_by_label("Lieu").fill("Préfecture, grand salon")
    visiteur.bouton("Enregistrer")
    expect(page.get_by_role("status")).to_contain_text("séance est planifiée")

    visiteur.lien("Préparer un avis aux médias")
    expect(page.get_by_role("heading", level=1)).to_have_text("Avis aux médias")
    texte = page.locator("#id_texte")
    expect(texte).to_have_value(re.compile(r"^Claire Martin, préfète de la Seine-Maritime"))
    expect(texte).to_have_value(re.compile(r"Lieu : Préfecture, grand salon"))
    acces = page.get_by_label("Accès de la presse")
    expect(acces).to_have_value(re.compile(r"^Accréditation"))
    visiteur.saisir(page.get_by_label("Lieu et date"), "Rouen, le 2 février 2026")
    visiteur.saisir(acces, "Accréditation auprès du service de la communication.\n"
                           "Accueil de la presse à 9 h 15.")  # fmt: skip
    visiteur.bouton("Enregistrer une nouvelle version")
    expect(page.get_by_role("status")).to_contain_text("Version 1 de l'avis aux médias")

    visiteur.bouton("Exporter en PDF la version 1 de l'avis")
    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Avis aux médias")
    lien = page.get_by_role("link", name=re.compile("^Télécharger avis-aux-medias-"))
    expect(lien).to_be_visible()
    with page.expect_download() as attente:
        lien.click()
    pdf = open(attente.value.path(), "rb").read()  # noqa: SIM115 - Playwright's own file
    lu = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    plat = " ".join(lu.split())
    assert "AVIS AUX MÉDIAS" in plat
    assert "Rouen, le 2 février 2026" in plat  # the date line as validated
    assert f"Date : {date_longue(jour, jour_de_la_semaine=True)} à 9 h 30" in plat
    assert "Lieu : Préfecture, grand salon" in plat
    assert "Présidence : Claire Martin, préfète de la Seine-Maritime" in plat
    assert "Accueil de la presse à 9 h 15." in plat
    assert "Service de la communication" in plat
    assert DocumentRequest.objects.get().status == DocumentRequest.Status.DONE
    page.context.close()
