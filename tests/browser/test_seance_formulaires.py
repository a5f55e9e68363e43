"""The séance page in Chromium, from the home page by clicks only: a side form refused
comes back in place (its section open, what was typed kept, the wrong field focused), and
closing a séance goes through a page that says what follows before « Confirmer »."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comites.models import Seance
from tests.acteurs.factories import DepartementFactory, HabilitationFactory
from tests.browser.conftest import se_connecter
from tests.comites.factories import ConvocationFactory, InstanceFactory, SeanceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COPIL = "COPIL de l'intégration"


@pytest.fixture
def pilotage():
    departement = DepartementFactory()
    return HabilitationFactory(departement=departement, role="pilotage").user


def _accueil(browser, live_server, user):
    contexte = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    se_connecter(contexte, live_server, user)
    page = contexte.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/")
    return page


def _lien_de_seance(page):
    return page.locator("main").get_by_role("link", name=re.compile(f"{COPIL}, séance du"))


def test_a_refused_agenda_point_comes_back_open_with_what_was_typed(live_server, browser, pilotage):
    departement = pilotage.habilitations.get().departement
    copil = InstanceFactory(departement=departement, nom=COPIL)
    seance = SeanceFactory(instance=copil, organisateur=pilotage)  # planned: « à convoquer »
    page = _accueil(browser, live_server, pilotage)

    _lien_de_seance(page).click()
    page.get_by_text("Ajouter un point", exact=True).click()
    page.get_by_label("Précisions").fill("Avec l'ARS et le centre médico-psychologique.")
    page.get_by_role("button", name="Ajouter le point").click()

    section = page.locator("details#section-point")
    expect(section).to_have_attribute("open", "")
    expect(page.locator("details#section-horaires")).not_to_have_attribute("open", "")
    titre = page.get_by_label("Intitulé du point")
    expect(titre).to_be_focused()
    expect(titre).to_have_attribute("aria-invalid", "true")
    expect(section.locator(".fr-error-text")).to_contain_text("obligatoire")
    expect(page.get_by_label("Précisions")).to_have_value(
        "Avec l'ARS et le centre médico-psychologique."
    )
    assert not seance.points.exists()

    titre.fill("Santé et soutien psychologique")
    page.get_by_role("button", name="Ajouter le point").click()
    expect(page.get_by_role("status")).to_contain_text("Le point est ajouté")
    assert page.url.endswith("#section-point")  # back at the section it was sent from
    expect(page.locator("main ol")).to_contain_text("Santé et soutien psychologique")
    assert seance.points.get().description.startswith("Avec l'ARS")
    page.context.close()


def test_closing_a_seance_asks_for_confirmation(live_server, browser, pilotage):
    departement = pilotage.habilitations.get().departement
    copil = InstanceFactory(departement=departement, nom=COPIL)
    debut = timezone.now() - timedelta(days=2)
    seance = SeanceFactory(
        instance=copil,
        debut=debut,
        fin=debut + timedelta(hours=2),
        statut=Seance.Statut.TENUE,
        organisateur=pilotage,
    )  # held: « à clore » on the home page
    ConvocationFactory.create_batch(2, seance=seance, presence="present")
    page = _accueil(browser, live_server, pilotage)

    _lien_de_seance(page).click()
    page.get_by_role("link", name="Clore la séance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clore la séance ?")
    expect(page.locator("main")).to_contain_text("2 présences enregistrées")
    page.get_by_role("link", name="Retour").click()  # changed one's mind: nothing happened
    expect(page.locator("main .fr-badge").first).to_have_text("Tenue")

    page.get_by_role("link", name="Clore la séance").click()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("status")).to_contain_text("La séance est close")
    expect(page.locator("main .fr-badge").first).to_have_text("Close")
    seance.refresh_from_db()
    assert seance.statut == Seance.Statut.CLOSE
    page.context.close()
