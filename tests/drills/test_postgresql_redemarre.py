"""Drill: PostgreSQL restarts under gunicorn; the next request succeeds.

A cluster of the drill's own (initdb, a free port) is the app's DATABASE_URL. gunicorn
keeps its connection between requests (CONN_MAX_AGE): the restart cuts it, and only the
health check Django makes before reusing it (CONN_HEALTH_CHECKS) turns the user's next
request into a fresh connection instead of a server error.
"""

import re
import subprocess
import sys

import pytest
import requests

from tests.drills.conftest import BIN, ROOT, environment
from tests.throwaway import free_port, wait_until

pytestmark = [pytest.mark.drills, pytest.mark.services]

EMAIL, PASSWORD = "pilotage@exercice.fr", "mot de passe d'exercice 2026"
TIMEOUT = 30


def _manage(env: dict, *argv: str) -> None:
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [sys.executable, "manage.py", *argv],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {argv[0]} :\n{result.stdout}\n{result.stderr}"


def _log_in(session: requests.Session, base: str) -> None:
    page = session.get(f"{base}/connexion/", timeout=TIMEOUT)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        page.url,
        data={"username": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": page.url},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200 and "Se déconnecter" in response.text, response.text[:500]


def test_the_next_request_after_a_postgresql_restart_succeeds(throwaway_postgres, programs):
    env = environment(
        DATABASE_URL=throwaway_postgres.create_database("integration"),
        CONN_MAX_AGE="600",  # the connection outlives the restart
        DJANGO_SUPERUSER_EMAIL=EMAIL,
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    _manage(env, "migrate", "--noinput")
    _manage(env, "createsuperuser", "--noinput")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = [
        str(BIN / "gunicorn"), "integration.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", "1", "--timeout", str(TIMEOUT), "--no-control-socket",
    ]  # fmt: skip
    programs("gunicorn", gunicorn, env, ready="Booting worker")
    session = requests.Session()
    wait_until(lambda: _answers(base), TIMEOUT, "gunicorn répond")
    _log_in(session, base)
    assert session.get(f"{base}/", timeout=TIMEOUT).status_code == 200

    throwaway_postgres.restart()

    page = session.get(f"{base}/", timeout=TIMEOUT)
    assert page.status_code == 200, "la première requête après le redémarrage a échoué"
    assert "Se déconnecter" in page.text  # the session, read from the database, still holds
    health = requests.get(f"{base}/healthz", timeout=TIMEOUT)
    assert health.status_code == 200 and health.json()["database"] == "ok"


def _answers(base: str) -> bool:
    try:
        return requests.get(f"{base}/healthz", timeout=5).status_code == 200
    except requests.ConnectionError:
        return False
