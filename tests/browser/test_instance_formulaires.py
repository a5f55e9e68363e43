"""The instance page in Chromium, from the home page by clicks only: a seat refused comes
back in place (« Ajouter un siège » open, what was typed kept, the wrong field focused and
its error beside it), and so does a mandate's end refused in its own row."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.acteurs.factories import ActeurFactory, DepartementFactory, HabilitationFactory
from tests.browser.parcours import LARGEURS, accueil
from tests.comites.factories import InstanceFactory, SiegeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COPIL = "COPIL de l'intégration"


@pytest.mark.parametrize("largeur", LARGEURS)
def test_the_instance_forms_show_their_errors_in_place(live_server, browser, largeur):
    departement = DepartementFactory()
    pilotage = HabilitationFactory(departement=departement, role="pilotage").user
    copil = InstanceFactory(departement=departement, nom=COPIL)
    ActeurFactory(departement=departement, nom="Association Accueil Rouen")
    siege = SiegeFactory(instance=copil, debut=date(2026, 1, 15), personne__nom="Paul Roy")
    visiteur = accueil(browser, live_server, pilotage, largeur)
    page = visiteur.page

    visiteur.menu("Comités")
    visiteur.lien(COPIL, exact=True)
    page.get_by_text("Ajouter un siège", exact=True).click()
    page.get_by_label("Prénom et nom").fill("Claire Martin")
    page.get_by_label("Adresse électronique").fill("claire.martin@")
    page.get_by_label("Structure représentée").select_option(label="Association Accueil Rouen")
    page.get_by_label("Début du mandat").fill("2026-02-01")
    visiteur.bouton("Ajouter le siège")

    section = page.locator("details#section-siege")
    expect(section).to_have_attribute("open", "")
    courriel = page.get_by_label("Adresse électronique")
    expect(courriel).to_be_focused()
    expect(courriel).to_have_attribute("aria-invalid", "true")
    expect(section.locator("#id_siege-courriel_error")).to_contain_text("courriel valide")
    expect(page.get_by_label("Prénom et nom")).to_have_value("Claire Martin")
    expect(page.get_by_role("status")).to_have_count(0)  # no message at the top
    assert not copil.sieges.filter(personne__nom="Claire Martin").exists()

    courriel.fill("claire.martin@example.fr")
    visiteur.bouton("Ajouter le siège")
    expect(page.get_by_role("status")).to_contain_text("Claire Martin siège désormais")
    assert page.url.endswith("#section-siege")
    expect(page.locator("main table")).to_contain_text("Claire Martin")

    # A mandate's end sent empty: the error in that row, the date field focused.
    ligne = page.locator("main tr", has_text="Paul Roy")
    visiteur.suivre(ligne.get_by_role("button", name="Terminer"))
    fin = page.locator(f"#fin-{siege.pk}")
    expect(fin).to_be_focused()
    expect(fin).to_have_attribute("aria-invalid", "true")
    erreur = page.locator("main tr", has=fin).locator(".fr-error-text")
    expect(erreur).to_have_text(re.compile("obligatoire"))
    siege.refresh_from_db()
    assert siege.fin is None
    page.context.close()
