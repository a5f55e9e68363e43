"""Chromium for browser journeys: the system's /usr/bin/chromium, driven by Playwright.

Playwright's sync API runs an event loop in the test thread, so Django would refuse ORM
calls there as "async unsafe": the journeys are plain synchronous tests, allow them.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import skip_or_fail

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def fichiers_statiques_en_cache():
    """The live server's static files may be kept by the browser for an hour, as production
    keeps its fingerprinted files for a year. Without it, Chromium asked the test server
    again for every CSS, script and icon of every page (sixteen requests a page, answered
    by the test's own process). The axe-core script is served there too, for the pages
    under test to load it as a cached file (`accessibility.run_axe`)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandlerMixin
    from django.http import FileResponse

    from tests.browser.accessibility import ADRESSE_D_AXE, FICHIER_D_AXE

    servir = StaticFilesHandlerMixin.serve

    def servir_en_cache(self, request):
        if request.path == ADRESSE_D_AXE:
            reponse = FileResponse(FICHIER_D_AXE.open("rb"), content_type="text/javascript")
        else:
            reponse = servir(self, request)
        if reponse.status_code == 200:
            reponse["Cache-Control"] = "max-age=3600"
        return reponse

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(StaticFilesHandlerMixin, "serve", servir_en_cache)
        yield


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        skip_or_fail(f"Chromium est introuvable à {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def results_dir() -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    return RESULTS_DIR


def se_connecter(context, live_server, user) -> None:
    """Sign in by the session cookie: the login form has its own journey."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def page_qui_telecharge(browser, live_server, user, *, delai_ms: int):
    """A page signed in as USER in a French-speaking browser that accepts downloads (the
    document journeys); close it with `page.context.close()`."""
    contexte = browser.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    se_connecter(contexte, live_server, user)
    page = contexte.new_page()
    page.set_default_timeout(delai_ms)
    return page
