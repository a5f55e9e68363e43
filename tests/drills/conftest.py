"""Fault drills: the project's real programs (celery worker and beat, gunicorn, or the live
server of pytest), configured by their environment as in production, while a service of
the drill's own (tests/throwaway.py) stops, dies or restarts under them.

They run apart from the main suite (marker `drills`, deselected unless asked for):

    pytest -m drills tests/drills

Every wait is bounded, every process is stopped (killed if need be) however the drill
ends, and each program's output is printed when a drill fails.
"""

import os
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.conftest import PHRASE, skip_or_fail
from tests.integration.horodatage import service_horodatage  # noqa: F401 - a fixture
from tests.throwaway import (
    Process,
    SmtpSink,
    ThrowawayPostgres,
    throwaway_redis,  # noqa: F401 - a fixture of the drills
)

BIN = Path(sys.executable).parent
ROOT = Path(django_settings.BASE_DIR)

# What a program inherits from the test run: where to find things, nothing of its settings.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")

# Short delays, so that each drill takes seconds to a minute instead of production's hours.
SWEEP_SECONDS = 5
DRILL_SETTINGS = {
    "OUTBOX_SWEEP_SECONDS": str(SWEEP_SECONDS),
    # Hard time limits: a claimed row whose worker died is free again a minute after the
    # task's limit (the claim's lease), and Redis redelivers an unacknowledged message
    # after twice CELERY_TASK_TIME_LIMIT. A document's soft limit is 10 s before its hard one.
    "CELERY_TASK_TIME_LIMIT": "10",
    "DOCUMENTS_TIME_LIMIT": "20",
    "EMAIL_TIMEOUT": "5",
    # An e-mail the mail server refused is tried again after 5 s, 10, 20, 40…
    "OUTBOX_RETRY_FIRST_SECONDS": "5",
}


def environment(**variables: str) -> dict[str, str]:
    """A program's environment: development mode, the drill's settings, then VARIABLES."""
    env = {name: os.environ[name] for name in INHERITED if name in os.environ}
    env.update(
        PRODUCTION="false",
        DEBUG="false",  # a failure is the 500 users would get, not a debug page
        DJANGO_SETTINGS_MODULE="integration.settings",
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="INFO",
    )
    env.update(DRILL_SETTINGS)
    env.update(variables)
    return env


def celery_worker(name: str = "worker") -> list[str]:
    """A worker as production runs it (prefork pool, late acknowledgement), one process."""
    return [
        str(BIN / "celery"), "-A", "integration", "worker", "-l", "INFO", "-n",
        f"{name}@exercice", "--concurrency", "1", "--without-gossip", "--without-mingle",
    ]  # fmt: skip


def celery_beat(folder: Path) -> list[str]:
    return [
        str(BIN / "celery"), "-A", "integration", "beat", "-l", "INFO",
        "--schedule", str(folder / "celerybeat-schedule"),
    ]  # fmt: skip


WORKER_READY = "ready."
BEAT_READY = "beat: Starting"


@pytest.fixture
def programs(request, tmp_path):
    """start(NAME, ARGV, ENV, ready=TEXT): a program of the drill, stopped at the end."""
    started: list[Process] = []

    def start(name: str, argv: list[str], env: dict, ready: str | None = None) -> Process:
        process = Process(name, argv, env, tmp_path / f"{name}.log", ROOT)
        started.append(process)
        return process.start(ready)

    yield start
    for process in reversed(started):
        process.stop()
    for process in started:  # shown only when the drill fails
        print(f"\n----- {process.name} -----\n{process.output()}")


@pytest.fixture
def smtp_sink():
    sink = SmtpSink()
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture
def throwaway_postgres():
    server = ThrowawayPostgres()
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def shared_database(transactional_db) -> str:
    """The URL of this test's database, which workers of their own process will share."""
    if connection.vendor != "postgresql":
        skip_or_fail(
            "cet exercice partage la base de test avec des processus à part : "
            "il lui faut PostgreSQL (DATABASE_URL)"
        )
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def app_env(shared_database, throwaway_redis, smtp_sink, settings, certificat):  # noqa: F811
    """The environment of workers that share this test's database, broker, storage, mail
    server and signing certificate: what the test writes, they read, and the other way."""
    return environment(
        DATABASE_URL=shared_database,
        CELERY_BROKER_URL=throwaway_redis.url,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_sink.port),
        EMAIL_USE_TLS="false",
        SIGNATURE_PKCS12_FILE=str(certificat),
        SIGNATURE_PKCS12_PASSPHRASE=PHRASE,
    )


def stored_files(settings) -> list[Path]:
    """Every file the document pipeline left in storage."""
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
