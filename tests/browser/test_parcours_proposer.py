"""A partner association proposes a fiche-action without being given any address: from
the home page, by clicks only, to the fiche saved, on a desktop and on a phone."""

import pytest
from playwright.sync_api import expect

from actions.models import Action, FeuilleDeRoute, PublicCible
from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    MembreFactory,
    TerritoireFactory,
)
from tests.actions.factories import AxeFactory, FeuilleDeRouteFactory
from tests.browser.conftest import se_connecter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    """As the demo: a feuille in consultation, an association whose contributor proposes."""
    departement = DepartementFactory()
    departement.territoires.add(TerritoireFactory(code="76540", nom="Rouen"))
    feuille = FeuilleDeRouteFactory(
        departement=departement,
        titre="Feuille de route 2026–2028",
        statut=FeuilleDeRoute.Statut.CONSULTATION,
    )
    AxeFactory(feuille=feuille, ordre=1, libelle="Apprentissage de la langue française")
    AxeFactory(feuille=feuille, ordre=2, libelle="Emploi et formation")
    association = ActeurFactory(departement=departement, nom="Association Accueil Rouen")
    ActeurFactory(departement=departement, nom="Centre social du Plateau")
    # The reference list a data migration fills (flushed between transactional tests).
    PublicCible.objects.get_or_create(
        code="primo-arrivants", defaults={"libelle": "Primo-arrivants"}
    )
    return MembreFactory(acteur=association, role="contributeur").user


def bouton(page, nom):
    with page.expect_navigation():
        page.get_by_role("button", name=nom, exact=True).click()


def cocher(page, libelle):
    """A DSFR checkbox is drawn by its label, which takes the click as a user's would."""
    page.locator("label.fr-label", has_text=libelle).click()
    expect(page.get_by_label(libelle)).to_be_checked()


@pytest.mark.parametrize("largeur", [1280, 390])
def test_from_the_home_page_to_a_saved_fiche_by_clicks_only(live_server, browser, demo, largeur):
    context = browser.new_context(locale="fr-FR", viewport={"width": largeur, "height": 900})
    se_connecter(context, live_server, demo)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/")  # the one address typed: the application's own

    page.get_by_role("link", name="Proposer une fiche-action").click()
    expect(page.locator("main h1")).to_contain_text("fiche-action")
    page.get_by_label("Axe").select_option(label="1. Apprentissage de la langue française")
    page.get_by_label("Intitulé de l'action").fill("Ateliers sociolinguistiques")
    page.get_by_label("Description").fill("Deux ateliers par semaine, au centre social.")
    page.get_by_label("Objectifs").fill("Atteindre le niveau A1 en six mois.")
    page.get_by_label("Porteur").select_option(label="Association Accueil Rouen")
    cocher(page, "Primo-arrivants")
    # The communes are found by a search (htmx), not drawn all at once.
    page.get_by_label("Chercher une commune").fill("rou")
    cocher(page, "Rouen (76540)")
    page.get_by_label("Début").fill("2026-02-02")
    page.get_by_label("Fin").fill("2026-06-30")
    page.locator("#id_partenaires-0-acteur").select_option(label="Centre social du Plateau")
    page.locator("#id_partenaires-0-role").fill("Met ses salles à disposition")
    page.locator("#id_financements-0-source").select_option(label="BOP 104 action 12")
    page.locator("#id_financements-0-annee").fill("2026")
    page.locator("#id_financements-0-montant_demande").fill("12 500")
    page.locator("#id_indicateurs-0-libelle").fill("Participants")
    page.locator("#id_indicateurs-0-unite").fill("personnes")
    page.locator("#id_indicateurs-0-cible").fill("40")
    page.locator("#id_jalons-0-libelle").fill("Premier atelier")
    page.locator("#id_jalons-0-date_prevue").fill("2026-02-02")
    bouton(page, "Enregistrer la fiche")

    expect(page.locator("main h1")).to_have_text("Ateliers sociolinguistiques")
    expect(page.locator("#statut-action")).to_have_text("Brouillon")
    action = Action.objects.get()
    assert action.porteur.nom == "Association Accueil Rouen"
    assert [p.acteur.nom for p in action.partenariats.all()] == ["Centre social du Plateau"]
    assert action.financements.get().montant_demande == 12500
    assert action.indicateurs.count() == 1 and action.jalons.count() == 1
    assert list(action.publics.values_list("libelle", flat=True)) == ["Primo-arrivants"]
    assert list(action.territoires.values_list("nom", flat=True)) == ["Rouen"]
    # Back home by the header's link, the draft waits there to be submitted.
    with page.expect_navigation():
        page.locator("header a[href='/']").first.click()
    expect(page.get_by_role("link", name="Ateliers sociolinguistiques")).to_be_visible()
    context.close()
