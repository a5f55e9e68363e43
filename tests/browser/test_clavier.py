"""Keyboard only: pilotage creates an actor without touching the mouse.

From the dashboard to the new actor's page with Tab, Shift+Tab, typing, the arrow keys
and Enter in the commune suggestions, Space on a network's checkbox and Enter on the
button. Every stop of the focus must be visible, and the first one is the skip link.
"""

import re

import pytest
from playwright.sync_api import expect

from acteurs.models import Acteur, Territoire
from tests.acteurs.factories import DepartementFactory, HabilitationFactory, TerritoireFactory
from tests.browser.conftest import se_connecter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where the focus is, and whether one can see it. DSFR draws it as an outline: on the
# element itself, on its ::before when the link is enlarged to a whole block, or on the
# box it draws for a checkbox (its label's ::before).
FOCUS = """() => {
  const el = document.activeElement;
  const traced = s => s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 1;
  const box = el.getBoundingClientRect();
  const shown = box.width > 0 && box.height > 0 && getComputedStyle(el).opacity !== "0";
  const visible = (el.type === "checkbox" || el.type === "radio")
    ? el.labels.length > 0 && traced(getComputedStyle(el.labels[0], "::before"))
    : (shown && traced(getComputedStyle(el))) || traced(getComputedStyle(el, "::before"));
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  return {id: el.id, tag: el.tagName.toLowerCase(), label: label.split("\\n")[0].trim(),
          text: (el.innerText || "").trim(), visible: visible,
          focusVisible: el.matches(":focus-visible")};
}"""


def focus(page) -> dict:
    return page.evaluate(FOCUS)


def press(page, key: str) -> dict:
    """Press KEY; the focus it lands on must show (DSFR's :focus-visible outline)."""
    page.keyboard.press(key)
    return verifier_focus(page, key)


def verifier_focus(page, key: str = "Tab") -> dict:
    return exiger_focus_visible(focus(page), key)


def exiger_focus_visible(now: dict, key: str = "Tab") -> dict:
    """NOW, the focus as FOCUS describes it, if it is on something and shows."""
    assert now["tag"] != "body", f"{key} a perdu le focus"
    assert now["focusVisible"] and now["visible"], f"focus invisible après {key} : {now}"
    return now


def tab_until(page, wanted, *, limit: int) -> dict:
    """Tab until WANTED(focus) holds, within LIMIT presses; every stop is checked."""
    for _ in range(limit):
        now = press(page, "Tab")
        if wanted(now):
            return now
    raise AssertionError(f"introuvable en {limit} tabulations ; focus sur {now}")


@pytest.fixture
def departement(transactional_db):
    departement = DepartementFactory()
    for code, nom, cp in [
        ("76451", "Mont-Saint-Aignan", "76130"),
        ("76901", "Mont-Saint-Aubin", "76190"),
    ]:
        TerritoireFactory(
            type=Territoire.Type.COMMUNE, code=code, nom=nom, codes_postaux=cp
        ).departements.add(departement)
    return departement


@pytest.fixture
def page_pilote(live_server, browser, departement):
    pilote = HabilitationFactory(departement=departement, role="pilotage").user
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    se_connecter(context, live_server, pilote)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_pilotage_creates_an_actor_with_the_keyboard_only(live_server, page_pilote, results_dir):
    page = page_pilote
    page.goto(live_server.url + "/")

    # The skip link comes first, shows when focused, and leads into the content.
    lien = press(page, "Tab")
    assert (lien["tag"], lien["text"]) == ("a", "Contenu")
    assert page.locator(".fr-skiplinks").is_visible()
    tab_until(page, lambda f: f["text"] == "Acteurs", limit=15)
    page.keyboard.press("Enter")
    expect(page.locator("main h1")).to_have_text("Acteurs")
    tab_until(page, lambda f: f["text"] == "Nouvel acteur", limit=40)
    page.keyboard.press("Enter")
    expect(page.locator("main h1")).to_have_text("Nouvel acteur")

    assert press(page, "Tab")["text"] == "Contenu"
    page.keyboard.press("Enter")  # to the content: the form's first field is next
    # The browser moves the focus to <main> once it has followed the link: wait for it, or
    # a loaded machine sends the next Tab first.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'contenu'")
    assert press(page, "Tab")["id"] == "id_type"
    page.keyboard.type("Association")  # a closed list picks the option typed
    expect(page.locator("#id_type")).to_have_value("association")

    assert press(page, "Tab")["id"] == "id_nom"
    page.keyboard.type("Maison des solidarités")
    assert press(page, "Tab")["id"] == "id_sigle"
    assert press(page, "Shift+Tab")["id"] == "id_nom"  # back, and forth again
    assert press(page, "Tab")["id"] == "id_sigle"
    page.keyboard.type("MDS")
    assert [press(page, "Tab")["id"] for _ in range(4)] == [
        "id_siret",
        "id_adresse",
        "id_code_postal",
        "id_commune",
    ]

    # The commune: type, go down the suggestions and back up, Enter picks one.
    with page.expect_response(lambda r: "/acteurs/territoires/recherche/" in r.url):
        page.keyboard.type("mont-sai", delay=30)
    options = page.locator("#id_commune-suggestions [role=option]")
    expect(options).to_have_count(2)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(options.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")  # picks the suggestion, does not send the form
    expect(page.locator("#id_commune")).to_have_value("Mont-Saint-Aignan (76451)")
    expect(options).to_have_count(0)
    assert focus(page)["id"] == "id_commune"

    assert press(page, "Tab")["id"] == "id_telephone"
    page.keyboard.type("02 35 00 00 00")
    assert [press(page, "Tab")["id"] for _ in range(2)] == ["id_courriel", "id_site_web"]

    # The networks: Space ticks the one wanted, Tab goes past the others.
    reseau = tab_until(page, lambda f: f["label"] == "Association SINGA", limit=30)
    page.keyboard.press("Space")
    expect(page.locator(f"#{reseau['id']}")).to_be_checked()
    nb_reseaux = page.locator("input[name=reseaux]").count()
    tab_until(page, lambda f: f["id"] == "id_description", limit=nb_reseaux)
    page.keyboard.type("Cours de français et permanences d'accès aux droits.")

    bouton = press(page, "Tab")
    assert (bouton["tag"], bouton["text"]) == ("button", "Créer l'acteur")
    page.keyboard.press("Enter")

    expect(page.locator("main h1")).to_have_text("Maison des solidarités (MDS)")
    acteur = Acteur.objects.get(nom="Maison des solidarités")
    # The skip link's #contenu stays in the address: the browser keeps it across redirects.
    expect(page).to_have_url(re.compile(rf"^{live_server.url}/acteurs/{acteur.pk}/(#contenu)?$"))
    assert (acteur.type, acteur.sigle, acteur.commune.code) == ("association", "MDS", "76451")
    assert acteur.telephone == "02 35 00 00 00"
    assert list(acteur.reseaux.values_list("libelle", flat=True)) == ["Association SINGA"]
    page.screenshot(path=str(results_dir / "acteur-cree-au-clavier.png"), full_page=True)


def test_a_focus_without_outline_fails_the_journey(page):
    """The visibility check can fail: a stylesheet that hides the focus is caught."""
    page.set_content(
        '<!DOCTYPE html><html lang="fr"><head><title>Essai</title>'
        "<style>a:focus-visible { outline: none; }</style></head>"
        '<body><a href="#suite">Premier lien</a><button>Bouton</button></body></html>'
    )
    with pytest.raises(AssertionError, match="focus invisible après Tab"):
        press(page, "Tab")
    assert press(page, "Tab")["text"] == "Bouton"  # the browser's own outline shows


def test_the_journeys_tabbing_checks_each_stop_and_stops_on_its_target(page):
    """Visiteur.atteindre (the keyboard journeys) fails on a stop without outline, and
    otherwise tabs until its target holds the focus."""
    from tests.browser.parcours import Visiteur

    liens = (
        '<a href="#a">Premier lien</a><a href="#b">Deuxième</a>'
        '<button id="cible">Cible</button><a href="#c">Après</a></body></html>'
    )
    debut = '<!DOCTYPE html><html lang="fr"><head><title>Essai</title>'
    visiteur = Visiteur(page, clavier=True)
    page.set_content(
        f"{debut}<style>a:focus-visible {{ outline: none; }}</style></head><body>{liens}"
    )
    with pytest.raises(AssertionError, match="focus invisible après Tab"):
        visiteur.atteindre(page.locator("#cible"))
    page.set_content(f"{debut}</head><body>{liens}")
    visiteur.atteindre(page.locator("#cible"))
    assert focus(page)["id"] == "cible"
