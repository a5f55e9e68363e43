"""The press office's journey in Chromium, on a desktop and on a phone: the département's
communication officer finds on the home page the held séance still without a release,
opens that séance by clicks, prepares its communiqué, saves a version and exports it as a
PDF, downloads it and reads it back; the home page then has nothing left waiting."""

import re

import pytest
from playwright.sync_api import expect

from comites.models import Seance
from integration.models import DocumentRequest
from tests.acteurs.factories import DepartementFactory, HabilitationFactory
from tests.browser.parcours import LARGEURS, accueil
from tests.comites.factories import InstanceFactory, SeanceFactory
from tests.poppler import poppler

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITRE = "Le groupe emploi lance ses ateliers"


@pytest.fixture(autouse=True)
def _fichiers(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("largeur", LARGEURS)
def test_the_press_office_prepares_and_exports_the_communique_of_a_held_seance(
    live_server, browser, largeur
):
    departement = DepartementFactory(
        contact_presse_service="Service de la communication interministérielle",
        contact_presse_telephone="02 32 76 50 14",
        contact_presse_courriel="pref-communication@seine-maritime.gouv.fr",
    )
    communication = HabilitationFactory(departement=departement, role="communication").user
    groupe = InstanceFactory(departement=departement, nom="Groupe emploi")
    seance = SeanceFactory(instance=groupe, passee=True, statut=Seance.Statut.TENUE)
    visiteur = accueil(browser, live_server, communication, largeur)
    page = visiteur.page

    # The home page says what waits: this séance's release, not yet prepared.
    a_preparer = page.get_by_role("heading", name="Communiqués de presse à préparer")
    expect(a_preparer).to_be_visible()
    expect(page.locator("main")).to_contain_text("Groupe emploi, séance du")

    # The séance, by the comités' pages.
    visiteur.menu("Comités")
    visiteur.lien("Groupe emploi")
    visiteur.lien(re.compile(r"\d{4} à \d"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Groupe emploi")
    # Nothing there writes for the press office but the release.
    expect(page.get_by_role("link", name="Clore la séance")).to_have_count(0)
    visiteur.lien("Communiqué de presse")
    expect(page.get_by_role("heading", level=1)).to_have_text("Communiqué de presse")

    visiteur.saisir(page.get_by_label("Titre *", exact=True), TITRE)
    lieu_date = page.get_by_label("Lieu et date")
    expect(lieu_date).to_have_value(re.compile(r"^Rouen, le "))  # the séance's day
    visiteur.saisir(lieu_date, "Rouen, le 3 mars 2026")
    visiteur.saisir(page.locator("#id_texte"), "Les ateliers de recherche d'emploi ouvrent.")
    visiteur.bouton("Enregistrer une nouvelle version")
    expect(page.get_by_role("status")).to_contain_text("Version 1 du communiqué enregistrée")

    visiteur.bouton("Exporter en PDF la version 1")
    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    lien = page.get_by_role("link", name=re.compile("^Télécharger communique-"))
    expect(lien).to_be_visible()
    with page.expect_download() as attente:
        lien.click()
    telechargement = attente.value
    assert telechargement.suggested_filename == f"communique-{seance.pk}-v1.pdf"
    with open(telechargement.path(), "rb") as fichier:
        texte = poppler("pdftotext", fichier.read())
    plat = " ".join(texte.split())
    assert "COMMUNIQUÉ DE PRESSE" in texte
    assert TITRE in plat.replace("’", "'")
    assert "Rouen, le 3 mars 2026" in plat  # the date line as typed
    assert "Les ateliers de recherche d’emploi ouvrent." in plat.replace("'", "’")
    assert "pref-communication@seine-maritime.gouv.fr" in plat
    document = DocumentRequest.objects.get()
    assert document.status == DocumentRequest.Status.DONE
    assert document.requested_by == communication

    # Back home by the header's link: the release was prepared and exported.
    visiteur.suivre(page.locator(".fr-header__brand a[href='/']").first)
    expect(page.get_by_role("heading", name=re.compile("Communiqués de presse"))).to_have_count(0)
    page.context.close()
