"""What the role journeys share: a user opens the application at `/` and goes on by
clicks only, on a desktop (1280 px) or a phone (390 px), or by the keyboard alone.

No address is typed after `/`: a journey that cannot go on by a link or a button has
found a missing link, and the application is what gets fixed.
"""

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import se_connecter
from tests.browser.test_clavier import FOCUS, exiger_focus_visible

LARGEURS = [1280, 390]
# DSFR folds the header's navigation behind « Menu » below its lg breakpoint (62em).
PLIAGE_DU_MENU = 992
DANS_UNE_DATE = "['date', 'datetime-local', 'time'].includes(document.activeElement.type)"
# After each Tab, in one call to the page (three, each a round trip to Chromium, made the
# keyboard journeys' tabbing their longest part): whether the focus is inside a date
# field, where it is (FOCUS), and whether it reached the target.
APRES_TAB = f"""cible => ({{
  dansUneDate: {DANS_UNE_DATE},
  focus: ({FOCUS})(),
  atteinte: cible === document.activeElement,
}})"""


class Visiteur:
    """A signed-in user's page, with the ways they move on from it.

    With CLAVIER, every step goes by Tab (the focus must reach the control, visibly) and
    Enter; otherwise by a mouse or finger click."""

    def __init__(self, page: Page, *, clavier: bool = False):
        self.page = page
        self.clavier = clavier

    @property
    def telephone(self) -> bool:
        return self.page.viewport_size["width"] < PLIAGE_DU_MENU

    def suivre(self, cible: Locator) -> None:
        """Activate the link or button CIBLE, which leads to another page."""
        with self.page.expect_navigation():
            if self.clavier:
                self.atteindre(cible)
                self.page.keyboard.press("Enter")
            else:
                cible.click()

    def lien(self, nom, **options) -> None:
        self.suivre(self.page.get_by_role("link", name=nom, **options).first)

    def bouton(self, nom, **options) -> None:
        self.suivre(self.page.get_by_role("button", name=nom, exact=True, **options))

    def menu(self, nom: str) -> None:
        """Follow the header's navigation link NOM; on a phone it waits behind « Menu »."""
        lien = self.page.locator("#navigation-principale").get_by_role("link", name=nom, exact=True)
        if self.telephone:
            expect(lien).to_be_hidden()
            self.page.get_by_role("button", name="Menu", exact=True).click()
        self.suivre(lien)

    def ariane(self, nom) -> None:
        """Follow the breadcrumb's link NOM; on a phone it waits behind its button."""
        lien = self.page.locator(".fr-breadcrumb").get_by_role("link", name=nom)
        if self.telephone:
            expect(lien).to_be_hidden()
            self.page.get_by_role("button", name="Voir le fil d'Ariane").click()
        self.suivre(lien)

    def atteindre(self, cible: Locator, *, limite: int = 120) -> None:
        """Tab (each stop's focus visible) until CIBLE holds the focus."""
        expect(cible).to_be_visible()
        element = cible.element_handle()
        for _ in range(limite):
            self.page.keyboard.press("Tab")
            etat = self.page.evaluate(APRES_TAB, element)
            assert etat["focus"]["tag"] != "body", "Tab a perdu le focus"
            # Chromium's date field has inner stops (day, month, year, the calendar
            # button) that it outlines itself, out of reach of the page's styles.
            if not etat["dansUneDate"]:
                exiger_focus_visible(etat["focus"])
            if etat["atteinte"]:
                return
        raise AssertionError(f"{cible} hors d'atteinte en {limite} tabulations")

    def saisir(self, champ: Locator, texte: str) -> None:
        """Replace the field's value, as a user would type it."""
        if self.clavier:
            self.atteindre(champ)
            self.page.keyboard.press("ControlOrMeta+a")
            self.page.keyboard.type(texte)
        else:
            champ.fill(texte)


def accueil(browser, live_server, user, largeur: int, *, clavier=False, delai_ms=15_000):
    """USER's home page, at LARGEUR px: the one address a journey types."""
    contexte = browser.new_context(
        locale="fr-FR", viewport={"width": largeur, "height": 900}, accept_downloads=True
    )
    se_connecter(contexte, live_server, user)
    page = contexte.new_page()
    page.set_default_timeout(delai_ms)
    page.goto(live_server.url + "/")
    return Visiteur(page, clavier=clavier)
