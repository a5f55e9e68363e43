"""Configuration from the environment: bad values stop the start, naming the variable.

The start-up checks run in subprocesses with a controlled environment, since settings are
read once per process; the typed helpers of `integration.env` are also tested directly.
"""

import email
import os
import secrets
import subprocess
import sys
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from integration.env import (
    env_addresses,
    env_bool,
    env_int,
    env_is_set,
    env_list,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parents[2]
GOOD_SECRET_KEY = secrets.token_urlsafe(48)  # 64 characters
PRODUCTION_ENV = {
    "PRODUCTION": "true",
    "SECRET_KEY": GOOD_SECRET_KEY,
    "ALLOWED_HOSTS": "integration.example.gouv.fr",
}


def run_python(args: list[str], **variables: str) -> subprocess.CompletedProcess:
    """Run python ARGS in the project with only VARIABLES set (plus what a process needs)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(Path.home()),
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "DJANGO_SETTINGS_MODULE": "integration.settings",
        **variables,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def start(**variables: str) -> subprocess.CompletedProcess:
    return run_python(["-c", "import django; django.setup()"], **variables)


def setting(name: str, **variables: str) -> str:
    """The value of setting NAME once the project has started with VARIABLES."""
    result = run_python(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            f"print(repr(getattr(settings, {name!r}, None)))",
        ],
        **variables,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def assert_refused(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode != 0, "le démarrage aurait dû échouer"
    assert "ImproperlyConfigured" in result.stderr, result.stderr
    last_line = result.stderr.strip().splitlines()[-1]
    for word in words:
        assert word in last_line, result.stderr


# --- Start-up in subprocesses -----------------------------------------------------------


def test_embedded_default_starts_with_nothing_set():
    result = start()
    assert result.returncode == 0, result.stderr


def test_production_starts_when_complete():
    result = start(**PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variables", "words"),
    [
        pytest.param({"DEBUG": "peut-être"}, ["DEBUG", "true ou false"], id="debug-pas-booleen"),
        pytest.param(
            {"PRODUCTION": "true", "ALLOWED_HOSTS": "integration.example.gouv.fr"},
            ["SECRET_KEY", "obligatoire"],
            id="production-sans-secret-key",
        ),
        pytest.param(
            {**PRODUCTION_ENV, "SECRET_KEY": "trop-courte"},
            ["SECRET_KEY", "50"],
            id="production-secret-key-courte",
        ),
        pytest.param(
            {"PRODUCTION": "true", "SECRET_KEY": GOOD_SECRET_KEY},
            ["ALLOWED_HOSTS"],
            id="production-sans-allowed-hosts",
        ),
        pytest.param(
            {**PRODUCTION_ENV, "DEBUG": "true"}, ["DEBUG", "PRODUCTION"], id="production-et-debug"
        ),
        pytest.param(
            {"DATABASE_URL": "postgres://integration@db/integration"},
            ["PRODUCTION", "DATABASE_URL", "true", "false"],
            id="base-sans-production",
        ),
        pytest.param(
            {"CELERY_BROKER_URL": "redis://redis:6379/0"},
            ["PRODUCTION", "CELERY_BROKER_URL", "true", "false"],
            id="courtier-sans-production",
        ),
        pytest.param(
            {
                "DATABASE_URL": "postgres://integration@db/integration",
                "CELERY_BROKER_URL": "redis://redis:6379/0",
                "DEBUG": "false",
                "SECRET_KEY": GOOD_SECRET_KEY,
            },
            ["PRODUCTION", "DATABASE_URL et CELERY_BROKER_URL"],
            id="base-et-courtier-sans-production",
        ),
        pytest.param(
            {"PRODUCTION": "false", "DATABASE_URL": "mysql://integration:secret@db/integration"},
            ["DATABASE_URL", "mysql"],
            id="database-url-mysql",
        ),
        pytest.param(
            {"PRODUCTION": "false", "CELERY_BROKER_URL": "amqp://guest:guest@localhost:5672//"},
            ["CELERY_BROKER_URL", "amqp"],
            id="broker-amqp",
        ),
        pytest.param(
            {"CELERY_TASK_TIME_LIMIT": "abc"},
            ["CELERY_TASK_TIME_LIMIT", "entier"],
            id="time-limit-pas-entier",
        ),
        pytest.param(
            {"CELERY_TASK_TIME_LIMIT": "0"},
            ["CELERY_TASK_TIME_LIMIT", "au moins 1"],
            id="time-limit-nulle",
        ),
        pytest.param({"PROXY_COUNT": "-1"}, ["PROXY_COUNT", "au moins 0"], id="proxy-negatif"),
        pytest.param({"PROXY_COUNT": "un"}, ["PROXY_COUNT", "entier"], id="proxy-pas-entier"),
        pytest.param(
            {"EMAIL_HOST": "smtp.example.gouv.fr", "EMAIL_TIMEOUT": "0"},
            ["EMAIL_TIMEOUT", "au moins 1"],
            id="email-timeout-nul",
        ),
        pytest.param(
            {"ADMINS": "Exploitation <exploitation@example.gouv.fr>, pas-une-adresse"},
            ["ADMINS", "pas-une-adresse"],
            id="admins-invalide",
        ),
        pytest.param(
            {"OUTBOX_SWEEP_SECONDS": "1"},
            ["OUTBOX_SWEEP_SECONDS", "au moins 5"],
            id="balayage-trop-frequent",
        ),
        pytest.param(
            {"OUTBOX_REPUBLISH_SECONDS": "dix minutes"},
            ["OUTBOX_REPUBLISH_SECONDS", "entier"],
            id="republication-pas-entier",
        ),
        pytest.param(
            {"OUTBOX_RETRY_HOURS": "0"},
            ["OUTBOX_RETRY_HOURS", "au moins 1"],
            id="essais-courriel-sans-duree",
        ),
        pytest.param(
            {"OUTBOX_RETRY_FIRST_SECONDS": "0"},
            ["OUTBOX_RETRY_FIRST_SECONDS", "au moins 1"],
            id="essais-courriel-sans-delai",
        ),
        pytest.param(
            {"SECRET_KEY_FILE": "/nonexistent/secret_key"},
            ["SECRET_KEY_FILE", "/nonexistent/secret_key"],
            id="secret-key-file-absent",
        ),
    ],
)
def test_bad_configuration_stops_the_start(variables, words):
    assert_refused(start(**variables), *words)


@pytest.mark.parametrize("production", ["true", "false"])
def test_services_start_once_production_is_said(production):
    services = {
        "DATABASE_URL": "postgres://integration@db/integration",
        "CELERY_BROKER_URL": "redis://redis:6379/0",
    }
    variables = PRODUCTION_ENV if production == "true" else {"PRODUCTION": "false"}

    result = start(**services, **variables)

    assert result.returncode == 0, result.stderr


def test_e_mails_are_retried_for_a_day_unless_configured():
    assert setting("OUTBOX_RETRY_WINDOW") == str(24 * 3600)
    assert setting("OUTBOX_RETRY_WINDOW", OUTBOX_RETRY_HOURS="72") == str(72 * 3600)
    assert setting("OUTBOX_RETRY_FIRST_DELAY") == "60"
    assert setting("OUTBOX_RETRY_FIRST_DELAY", OUTBOX_RETRY_FIRST_SECONDS="5") == "5"


def test_email_timeout_defaults_to_ten_seconds_and_can_be_set():
    smtp = {"EMAIL_HOST": "smtp.example.gouv.fr"}
    assert setting("EMAIL_TIMEOUT", **smtp) == "10"
    assert setting("EMAIL_TIMEOUT", **smtp, EMAIL_TIMEOUT="25") == "25"


def test_admins_are_read_from_the_environment():
    assert setting("ADMINS") == "[]"
    admins = setting(
        "ADMINS", ADMINS='Exploitation <exploitation@example.gouv.fr>,"Durand, C" <c@d.fr>'
    )
    assert admins == ("[('Exploitation', 'exploitation@example.gouv.fr'), ('Durand, C', 'c@d.fr')]")


SERVER_ERROR = (
    "import logging, django; django.setup(); from django.test import RequestFactory; "
    "logging.getLogger('django.request').error('Internal Server Error: /acteurs/', "
    "extra={'status_code': 500, 'request': RequestFactory().get('/acteurs/')})"
)


def test_server_errors_are_mailed_to_the_admins():
    # Without EMAIL_HOST, e-mails are printed on the console: the standard output.
    result = run_python(
        ["-c", SERVER_ERROR], DEBUG="false", ADMINS="Exploitation <exploitation@example.gouv.fr>"
    )

    assert result.returncode == 0, result.stderr
    message = email.message_from_string(result.stdout.split("\n" + "-" * 79)[0])
    assert message["To"] == "exploitation@example.gouv.fr", result.stdout
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject.startswith("[Stratégie d'intégration] ERROR"), subject
    assert "Internal Server Error: /acteurs/" in subject


@pytest.mark.parametrize(
    "variables",
    [
        pytest.param({"DEBUG": "false"}, id="sans-admins"),
        pytest.param({"ADMINS": "exploitation@example.gouv.fr"}, id="en-debogage"),
    ],
)
def test_server_errors_are_not_mailed_without_admins_or_in_debug(variables):
    result = run_python(["-c", SERVER_ERROR], **variables)

    assert result.returncode == 0, result.stderr
    assert "Subject:" not in result.stdout, result.stdout
    assert "Internal Server Error: /acteurs/" in result.stderr  # still logged


def test_secret_key_file_is_read(tmp_path):
    secret_file = tmp_path / "secret_key"
    secret_file.write_text(GOOD_SECRET_KEY + "\n", encoding="utf-8")
    variables = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}

    result = run_python(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(len(settings.SECRET_KEY))",
        ],
        SECRET_KEY_FILE=str(secret_file),
        **variables,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(len(GOOD_SECRET_KEY))


def test_check_deploy_passes_in_production_mode():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        CACHE_URL="redis://127.0.0.1:6379/1",  # only named: the checks do not connect
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_production_without_a_shared_cache_warns_at_start():
    """The web service runs migrate, and so these checks, at each start: it says that the
    /verifier/ limit would be counted per process."""
    result = run_python(["manage.py", "check"], **PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "integration.W001" in result.stderr, result.stderr
    assert "Aucun cache partagé" in result.stderr
    assert "CACHE_URL" in result.stderr


@pytest.mark.parametrize(
    "variables",
    [
        pytest.param({**PRODUCTION_ENV, "CACHE_URL": "redis://redis:6379/1"}, id="cache-redis"),
        pytest.param({}, id="developpement"),
    ],
)
def test_no_cache_warning_with_a_shared_cache_or_in_development(variables):
    result = run_python(["manage.py", "check"], **variables)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "integration.W001" not in result.stderr


# --- The helpers themselves -------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("EXEMPLE", "EXEMPLE_FILE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", " yes ", "on", "oui"])
def test_env_bool_true_words(clean_env, raw):
    clean_env.setenv("EXEMPLE", raw)
    assert env_bool("EXEMPLE", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off", "non"])
def test_env_bool_false_words(clean_env, raw):
    clean_env.setenv("EXEMPLE", raw)
    assert env_bool("EXEMPLE", True) is False


@pytest.mark.parametrize("raw", ["", "   "])
def test_env_bool_default_when_empty(clean_env, raw):
    clean_env.setenv("EXEMPLE", raw)
    assert env_bool("EXEMPLE", True) is True
    assert env_bool("ABSENTE_DU_TOUT", False) is False


@pytest.mark.parametrize("raw", ["peut-être", "2", "vrai"])
def test_env_bool_refuses_anything_else(clean_env, raw):
    clean_env.setenv("EXEMPLE", raw)
    with pytest.raises(ImproperlyConfigured, match="EXEMPLE"):
        env_bool("EXEMPLE", False)


def test_env_int(clean_env):
    assert env_int("EXEMPLE", 7) == 7
    clean_env.setenv("EXEMPLE", " 42 ")
    assert env_int("EXEMPLE", 7, minimum=1) == 42
    clean_env.setenv("EXEMPLE", "0")
    assert env_int("EXEMPLE", 7, minimum=0) == 0


@pytest.mark.parametrize(
    ("raw", "message"), [("abc", "nombre entier"), ("4.5", "nombre entier"), ("0", "au moins 1")]
)
def test_env_int_refuses(clean_env, raw, message):
    clean_env.setenv("EXEMPLE", raw)
    with pytest.raises(ImproperlyConfigured, match=f"EXEMPLE.*{message}"):
        env_int("EXEMPLE", 7, minimum=1)


def test_env_list(clean_env):
    assert env_list("EXEMPLE") == []
    assert env_list("EXEMPLE", ["localhost"]) == ["localhost"]
    clean_env.setenv("EXEMPLE", " a.gouv.fr, ,b.gouv.fr ,")
    assert env_list("EXEMPLE", ["localhost"]) == ["a.gouv.fr", "b.gouv.fr"]


def test_env_str(clean_env):
    assert env_str("EXEMPLE", "défaut") == "défaut"
    clean_env.setenv("EXEMPLE", "  valeur  ")
    assert env_str("EXEMPLE") == "valeur"


def test_env_url(clean_env):
    assert env_url("EXEMPLE", {"redis"}) == ""
    clean_env.setenv("EXEMPLE", "REDIS://127.0.0.1:6379/1")
    assert env_url("EXEMPLE", {"redis", "rediss"}) == "REDIS://127.0.0.1:6379/1"


@pytest.mark.parametrize("raw", ["amqp://localhost//", "127.0.0.1:6379", "redis:/oops"])
def test_env_url_refuses_other_schemes(clean_env, raw):
    clean_env.setenv("EXEMPLE", raw)
    with pytest.raises(ImproperlyConfigured, match="EXEMPLE"):
        env_url("EXEMPLE", {"redis", "rediss"})


def test_env_is_set(clean_env):
    assert env_is_set("EXEMPLE") is False
    clean_env.setenv("EXEMPLE", "false")
    assert env_is_set("EXEMPLE") is True


def test_env_addresses(clean_env):
    assert env_addresses("EXEMPLE") == []
    clean_env.setenv("EXEMPLE", "Nom <a@b.fr>, c@d.fr")
    assert env_addresses("EXEMPLE") == [("Nom", "a@b.fr"), ("c@d.fr", "c@d.fr")]


@pytest.mark.parametrize("raw", ["pas une adresse", "a@b.fr; c@d.fr", "Nom <>", "a@b.fr, c@"])
def test_env_addresses_refuses(clean_env, raw):
    clean_env.setenv("EXEMPLE", raw)
    with pytest.raises(ImproperlyConfigured, match="EXEMPLE contient une adresse"):
        env_addresses("EXEMPLE")


def test_file_variant_wins_and_is_stripped(clean_env, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("depuis-le-fichier\n", encoding="utf-8")
    clean_env.setenv("EXEMPLE", "depuis-la-variable")
    clean_env.setenv("EXEMPLE_FILE", str(secret))
    assert env_str("EXEMPLE") == "depuis-le-fichier"


def test_file_variant_missing_file_names_the_variable(clean_env, tmp_path):
    clean_env.setenv("EXEMPLE_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured, match="EXEMPLE_FILE"):
        env_str("EXEMPLE")


def test_documents_go_to_the_local_disk_by_default():
    assert "FileSystemStorage" in setting("STORAGES")
    assert setting("CELERY_WORKER_MAX_TASKS_PER_CHILD") == "20"


def test_documents_go_to_object_storage_when_a_bucket_is_named():
    storages = setting(
        "STORAGES",
        STORAGE_S3_BUCKET="documents-integration",
        STORAGE_S3_ENDPOINT_URL="https://s3.example.gouv.fr",
        STORAGE_S3_SECRET_KEY_FILE="/dev/null",
    )
    assert "storages.backends.s3.S3Storage" in storages
    assert "'bucket_name': 'documents-integration'" in storages
    assert "'endpoint_url': 'https://s3.example.gouv.fr'" in storages
