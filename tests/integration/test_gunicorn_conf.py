"""The web processes' gunicorn settings: read from the environment by the typed readers,
and the collector's pauses kept off requests by freezing what the loaded app holds."""

import gc
import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured

from integration import gunicorn_conf


@pytest.fixture
def conf(monkeypatch):
    def lire(**env):
        for nom in ("WEB_CONCURRENCY", "WEB_THREADS", "WEB_TIMEOUT", "WEB_MAX_REQUESTS"):
            monkeypatch.delenv(nom, raising=False)
        for nom, valeur in env.items():
            monkeypatch.setenv(nom, valeur)
        return importlib.reload(gunicorn_conf)

    yield lire
    monkeypatch.undo()
    importlib.reload(gunicorn_conf)


def test_reglages_par_defaut_et_depuis_l_environnement(conf):
    defaut = conf()
    assert (defaut.workers, defaut.timeout, defaut.max_requests) == (2, 30, 2000)
    assert (defaut.worker_class, defaut.threads) == ("gthread", 4)
    assert defaut.max_requests_jitter == 200
    reglee = conf(WEB_CONCURRENCY="4", WEB_TIMEOUT="45")
    assert (reglee.workers, reglee.timeout, reglee.graceful_timeout) == (4, 45, 45)


def test_un_seul_fil_rend_des_workers_synchrones(conf):
    reglee = conf(WEB_THREADS="1")
    assert (reglee.worker_class, reglee.threads) == ("sync", 1)


@pytest.mark.parametrize(
    "env", [{"WEB_TIMEOUT": "trente"}, {"WEB_CONCURRENCY": "0"}, {"WEB_THREADS": "0"}]
)
def test_une_valeur_fausse_arrete_le_demarrage(conf, env):
    with pytest.raises(ImproperlyConfigured, match=next(iter(env))):
        conf(**env)


def test_le_worker_charge_fige_ses_objets():
    gc.unfreeze()
    try:
        gunicorn_conf.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
