"""An actor's history on a 390 px wide phone: stacked, nothing clipped or scrolled sideways."""

import pytest
from playwright.sync_api import expect

from acteurs import services
from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    HabilitationFactory,
    UserFactory,
)
from tests.browser.test_acteurs import EMAIL_PILOTAGE, se_connecter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NOM_LONG = (
    "Association départementale d'accompagnement des bénéficiaires de la protection internationale"
)

DEBORDEMENT = """() => {
    const largeur = document.documentElement.clientWidth;
    const dehors = [...document.querySelectorAll('.historique td, .historique tr')]
        .filter(el => el.getBoundingClientRect().right > largeur + 1);
    return {page: document.documentElement.scrollWidth - largeur, cellules: dehors.length};
}"""


def test_l_historique_s_empile_sur_un_telephone(live_server, browser, results_dir):
    departement = DepartementFactory()
    agent_pilotage = HabilitationFactory(
        departement=departement, role="pilotage", user__email=EMAIL_PILOTAGE
    ).user
    acteur = ActeurFactory(departement=departement, nom=NOM_LONG)
    services.modifier_acteur(
        acteur,
        {
            "site_web": "https://www.association-accompagnement-protection-internationale.example.fr/"
        },
        by=agent_pilotage,
    )
    for rang in range(3):
        membre = UserFactory(email=f"une.adresse.tres.longue.de.benevole.{rang}@example.fr")
        services.ajouter_membre(acteur, membre, "contributeur", by=agent_pilotage)

    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        se_connecter(page, live_server, EMAIL_PILOTAGE)
        page.goto(f"{live_server.url}{acteur.get_absolute_url()}")
        lignes = page.locator(".historique tbody tr")
        expect(lignes).to_have_count(4)
        expect(lignes.first.locator("td").nth(2)).to_have_text("Ajout d'un membre")
        assert page.locator(".historique thead").bounding_box()["height"] <= 1
        assert page.evaluate(DEBORDEMENT) == {"page": 0, "cellules": 0}
        # Stacked: a row's cells sit one under the other.
        date, par = lignes.first.locator("td").nth(0), lignes.first.locator("td").nth(1)
        assert (
            par.bounding_box()["y"] >= date.bounding_box()["y"] + date.bounding_box()["height"] - 1
        )
        page.screenshot(path=str(results_dir / "historique-390px.png"), full_page=True)
    finally:
        context.close()
