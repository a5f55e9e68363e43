"""The server `make demo` starts: French error pages, no debug page, static files served."""

import os
import shlex
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _port_libre() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _commande_demo(adresse: str) -> str:
    """The server line of `make demo`, as make would run it (nothing is executed here)."""
    sortie = subprocess.run(  # noqa: S603 - make, with our own arguments
        ["make", "-s", "-n", "demo", f"DEMO_ADDR={adresse}"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lignes = [ligne for ligne in sortie.splitlines() if "runserver" in ligne]
    assert len(lignes) == 1, sortie
    return lignes[0]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture
def serveur_demo(tmp_path):
    adresse = f"127.0.0.1:{_port_libre()}"
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    env.pop("CELERY_BROKER_URL", None)
    commande = _commande_demo(adresse) + " --noreload --skip-checks"
    process = subprocess.Popen(  # noqa: S602 - the command is the Makefile's own line
        commande,
        shell=True,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(tuple(adresse.split(":")), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"le serveur de démonstration s'est arrêté : {commande}")
                time.sleep(0.2)
        yield f"http://{adresse}"
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=10)


def test_la_commande_de_demo_coupe_le_mode_debug():
    commande = shlex.split(_commande_demo("127.0.0.1:8000"))
    assert "DEBUG=false" in commande
    assert "--insecure" in commande


def test_demo_sert_la_page_404_francaise_et_les_fichiers_statiques(serveur_demo):
    statut, page = _get(f"{serveur_demo}/adresse-inexistante/")
    assert statut == 404
    assert "Page introuvable" in page
    assert "URLconf" not in page and "DEBUG = True" not in page
    statut, css = _get(f"{serveur_demo}/static/css/integration.css")
    assert statut == 200 and "suggestions" in css
    statut, _ = _get(f"{serveur_demo}/static/dsfr/dist/dsfr/dsfr.min.css")
    assert statut == 200
