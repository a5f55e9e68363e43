"""A prefecture agent opens the service, signs in with the keyboard, lands on the dashboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.acteurs.factories import PASSWORD, DepartementFactory, HabilitationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "agent.pilotage@seine-maritime.gouv.fr"


@pytest.fixture
def agent_pilotage(transactional_db):
    departement = DepartementFactory()  # Seine-Maritime
    return HabilitationFactory(
        departement=departement,
        role="pilotage",
        user__email=EMAIL,
        user__first_name="Claire",
        user__last_name="Lefebvre",
    ).user


def sign_in(page, live_server):
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/connexion/\?next=/$"))
    expect(page.locator("h1")).to_have_text("Connexion à Stratégie d'intégration")

    email = page.get_by_label("Adresse électronique")
    expect(email).to_be_focused()  # autofocus: the agent can type at once
    email.fill(EMAIL)
    password = page.locator("input[name=password]")
    password.fill(PASSWORD)
    password.press("Enter")
    expect(page).to_have_url(live_server.url + "/")


def test_sign_in_with_the_keyboard_lands_on_the_dashboard(
    live_server, page, agent_pilotage, results_dir
):
    sign_in(page, live_server)

    expect(page.locator("main h1")).to_have_text("Tableau de bord")
    expect(page.locator("header")).to_contain_text("Claire Lefebvre")
    # The State bloc-marque of the département, line by line as it prints.
    lines = page.locator("header .fr-logo").evaluate(
        "el => el.innerHTML.split(/<br\\s*\\/?>/i).map(l => l.trim()).filter(Boolean)"
    )
    assert lines[0] == "Préfet"
    assert any(line.endswith("Seine-") for line in lines[1:-1]), lines
    assert lines[-1] == "Maritime"

    page.screenshot(path=str(results_dir / "tableau-de-bord.png"), full_page=True)


def test_skip_link_is_the_first_stop_of_the_keyboard(live_server, page, agent_pilotage):
    sign_in(page, live_server)

    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Contenu"
    page.keyboard.press("Enter")
    expect(page.locator("#contenu")).to_be_focused()


def test_wrong_password_keeps_the_agent_on_the_login_page(live_server, page, agent_pilotage):
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.locator("input[name=password]").fill("pas-le-bon-mot-de-passe")
    page.get_by_role("button", name="Se connecter").click()

    expect(page.locator(".fr-alert--error")).to_contain_text("mot de passe incorrect")
    expect(page).to_have_url(re.compile(r"/connexion/"))
