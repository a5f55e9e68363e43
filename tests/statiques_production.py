"""Static files as production serves them: collected once per test run into a temporary
STATIC_ROOT through the production storage (hashed names, rewritten stylesheets), and
served by WhiteNoise, as gunicorn does with PRODUCTION=true."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

STOCKAGE = "tests.statiques_production.StockageDeProduction"
WHITENOISE = "whitenoise.middleware.WhiteNoiseMiddleware"


class StockageDeProduction(CompressedManifestStaticFilesStorage):
    """The production storage without its gzip and brotli copies: they take half a minute
    and change neither the names nor the bytes a browser or a document reads."""

    def compress_files(self, paths):
        return iter(())


def _stockages(settings_storages: dict) -> dict:
    return {**settings_storages, "staticfiles": {"BACKEND": STOCKAGE}}


@pytest.fixture(scope="session")
def statiques_collectees(tmp_path_factory, django_test_environment):
    """The STATIC_ROOT that `collectstatic` filled, once for the whole run."""
    from django.conf import settings

    racine = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=racine, STORAGES=_stockages(settings.STORAGES)):
        call_command("collectstatic", interactive=False, verbosity=0)
    return racine


@pytest.fixture
def statiques_de_production(settings, statiques_collectees):
    """This test reads and serves the static files as production does."""
    settings.DEBUG = False  # in DEBUG, the manifest storage would give the usual names
    settings.STATIC_ROOT = statiques_collectees
    settings.STORAGES = _stockages(settings.STORAGES)
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(middleware.index("csp.middleware.CSPMiddleware") + 1, WHITENOISE)
    settings.MIDDLEWARE = middleware
    return statiques_collectees
