"""The fiche's communes are found by a search: as one types with JavaScript, by the
« Chercher » button without it; the communes ticked stay ticked whichever way, and the
error summary takes the focus and leads to each field."""

import pytest
from playwright.sync_api import expect

from actions.models import Action, FeuilleDeRoute
from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    MembreFactory,
    TerritoireFactory,
)
from tests.actions.factories import AxeFactory, FeuilleDeRouteFactory
from tests.browser.conftest import se_connecter
from tests.browser.test_csp import RECORD_VIOLATIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redactrice(transactional_db):
    departement = DepartementFactory()
    departement.territoires.add(
        TerritoireFactory(type="epci", code="200023414", nom="Métropole Rouen Normandie"),
        *(
            TerritoireFactory(code=code, nom=nom, codes_postaux=postal)
            for code, nom, postal in [
                ("76540", "Rouen", "76000"),
                ("76212", "Darnétal", "76160"),
                ("76758", "Yvetot", "76190"),
                ("76217", "Dieppe", "76200"),
            ]
        ),
    )
    feuille = FeuilleDeRouteFactory(
        departement=departement, statut=FeuilleDeRoute.Statut.CONSULTATION
    )
    AxeFactory(feuille=feuille, ordre=1, libelle="Apprentissage de la langue française")
    association = ActeurFactory(departement=departement, nom="Association Accueil Rouen")
    user = MembreFactory(acteur=association, role="contributeur").user
    return user, feuille


def _ouvrir(browser, live_server, redactrice, *, javascript: bool):
    user, feuille = redactrice
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
    )
    se_connecter(context, live_server, user)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.add_init_script(RECORD_VIOLATIONS)  # the scripts run within the CSP
    page.goto(f"{live_server.url}/plan-d-actions/actions/nouvelle/?feuille={feuille.pk}")
    return page


def _remplir(page):
    page.get_by_label("Axe").select_option(label="1. Apprentissage de la langue française")
    page.get_by_label("Intitulé de l'action").fill("Ateliers sociolinguistiques")
    page.get_by_label("Description").fill("Deux ateliers par semaine.")
    page.get_by_label("Porteur").select_option(label="Association Accueil Rouen")


def _cocher(page, libelle):
    """A DSFR checkbox is drawn by its label, which takes the click as a user's would."""
    page.locator("label.fr-label", has_text=libelle).click()
    expect(page.get_by_label(libelle)).to_be_checked()


def _cases(page):
    return page.locator("#communes-territoires label")


def test_with_javascript_typing_proposes_the_communes_in_place(live_server, browser, redactrice):
    page = _ouvrir(browser, live_server, redactrice, javascript=True)
    _remplir(page)
    expect(page.locator("label", has_text="Rouen (76540)")).to_have_count(0)  # none drawn
    page.evaluate("window.pageInchangee = true")  # lost if the page were reloaded
    recherche = page.get_by_label("Chercher une commune")
    recherche.fill("darnetal")  # neither accents nor case count
    expect(_cases(page)).to_have_text(["Darnétal (76212)"])
    expect(page.locator("#communes-statut")).to_contain_text("Une commune correspond")
    _cocher(page, "Darnétal (76212)")
    expect(recherche).to_have_value("darnetal")
    recherche.fill("76190")  # a postal code finds Yvetot; Darnétal, ticked, stays
    expect(_cases(page)).to_have_text(["Darnétal (76212)", "Yvetot (76758)"])
    expect(page.get_by_label("Darnétal (76212)")).to_be_checked()
    assert page.evaluate("window.pageInchangee") is True
    assert page.evaluate("window.__violations") == []
    _cocher(page, "Yvetot (76758)")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.locator("main h1")).to_have_text("Ateliers sociolinguistiques")
    noms = Action.objects.get().territoires.order_by("nom").values_list("nom", flat=True)
    assert list(noms) == ["Darnétal", "Yvetot"]
    page.context.close()


def test_without_javascript_chercher_brings_the_form_back_with_the_communes(
    live_server, browser, redactrice
):
    page = _ouvrir(browser, live_server, redactrice, javascript=False)
    _remplir(page)
    _cocher(page, "Métropole Rouen Normandie")
    page.get_by_label("Chercher une commune").fill("rou")
    with page.expect_navigation():
        page.get_by_role("button", name="Chercher", exact=True).click()
    assert not Action.objects.exists()  # a search saves nothing
    expect(page.get_by_label("Intitulé de l'action")).to_have_value("Ateliers sociolinguistiques")
    expect(page.get_by_label("Métropole Rouen Normandie")).to_be_checked()
    expect(page.get_by_label("Chercher une commune")).to_have_value("rou")
    expect(page.get_by_label("Chercher une commune")).to_be_focused()  # where one was
    expect(_cases(page)).to_have_text(["Rouen (76540)"])
    expect(page.locator("main [aria-invalid=true]")).to_have_count(0)  # no error yet
    _cocher(page, "Rouen (76540)")
    page.get_by_label("Chercher une commune").fill("dieppe")
    with page.expect_navigation():
        page.get_by_role("button", name="Chercher", exact=True).click()
    expect(_cases(page)).to_have_text(["Rouen (76540)", "Dieppe (76217)"])
    expect(page.get_by_label("Rouen (76540)")).to_be_checked()
    _cocher(page, "Dieppe (76217)")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.locator("main h1")).to_have_text("Ateliers sociolinguistiques")
    noms = Action.objects.get().territoires.order_by("nom").values_list("nom", flat=True)
    assert list(noms) == ["Dieppe", "Métropole Rouen Normandie", "Rouen"]
    page.context.close()


def test_the_error_summary_takes_the_focus_and_leads_to_each_field(
    live_server, browser, redactrice
):
    page = _ouvrir(browser, live_server, redactrice, javascript=True)
    page.get_by_label("Chercher une commune").fill("yvetot")
    _cocher(page, "Yvetot (76758)")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la fiche").click()
    resume = page.locator("#resume-erreurs")
    expect(resume).to_be_focused()
    expect(resume.get_by_role("heading")).to_contain_text("erreurs sont à corriger")
    expect(page.get_by_label("Yvetot (76758)")).to_be_checked()  # the choice is kept
    resume.get_by_role("link", name="Intitulé de l'action : Ce champ est obligatoire.").click()
    expect(page.get_by_label("Intitulé de l'action")).to_be_focused()
    assert page.evaluate("window.__violations") == []
    page.context.close()
