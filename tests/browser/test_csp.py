"""The registry's main pages run in Chromium without any Content-Security-Policy violation.

The policy refuses inline code without the response's nonce: a forgotten nonce, an inline
style injected by a library or an event handler attribute would show up here, as a
`securitypolicyviolation` event or as the console error Chromium prints for it.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from acteurs.models import Territoire
from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    HabilitationFactory,
    TerritoireFactory,
)
from tests.browser.test_acteurs import EMAIL_PILOTAGE, se_connecter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def departement(transactional_db):
    return DepartementFactory()


@pytest.fixture
def agent_pilotage(departement):
    return HabilitationFactory(
        departement=departement, role="pilotage", user__email=EMAIL_PILOTAGE
    ).user


@pytest.fixture
def violations(page):
    """Violations seen by the page, across navigations, from events and console alike."""
    seen = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    def collect():
        seen.extend(page.evaluate("window.__violations"))
        page.evaluate("window.__violations = []")
        return seen

    return collect


def test_main_pages_run_without_csp_violation(
    live_server, page, departement, agent_pilotage, violations
):
    commune = TerritoireFactory(
        type=Territoire.Type.COMMUNE, code="76540", nom="Rouen", codes_postaux="76000"
    )
    commune.departements.add(departement)
    ActeurFactory(departement=departement, nom="Association Accueil Rouen")

    page.goto(live_server.url + "/connexion/")
    assert violations() == []
    se_connecter(page, live_server, EMAIL_PILOTAGE)  # lands on the dashboard
    assert violations() == []

    page.goto(live_server.url + "/acteurs/")
    expect(page.get_by_role("link", name="Association Accueil Rouen")).to_be_visible()
    assert violations() == []

    page.goto(live_server.url + "/acteurs/nouveau/")
    champ = page.get_by_label("Commune", exact=True)
    with page.expect_response(lambda r: parse_qs(urlsplit(r.url).query).get("commune") == ["roue"]):
        champ.press_sequentially("roue")
    suggestion = page.locator("#id_commune-suggestions [data-valeur]")
    expect(suggestion).to_have_text(["Rouen (76540 – 76000)"])
    suggestion.click()
    expect(champ).to_have_value("Rouen (76540)")
    assert violations() == []
