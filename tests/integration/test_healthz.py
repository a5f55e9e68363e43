"""/healthz: what a load balancer and the supervision read, and nothing more."""

import copy
import logging.config
import os

import pytest
import redis
from django.core import mail
from django.db import OperationalError, connection
from django.urls import reverse

from integration import views
from tests.conftest import skip_or_fail

EXPECTED_KEYS = {"database", "broker", "status"}


def _assert_not_cacheable(response):
    cache_control = response.get("Cache-Control", "")
    for directive in ("no-cache", "no-store", "must-revalidate", "max-age=0"):
        assert directive in cache_control, cache_control
    assert "public" not in cache_control


@pytest.mark.django_db
def test_healthy_in_embedded_mode(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok", "broker": "intégré", "status": "ok"}
    _assert_not_cacheable(response)


@pytest.mark.django_db
def test_no_login_needed(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")  # the address the load balancer is configured with
    assert response.status_code == 200
    assert "Location" not in response


@pytest.mark.django_db
def test_database_down_answers_503_without_details(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = ""

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection to server at 10.0.0.5 failed: secret détail")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert set(body) == EXPECTED_KEYS
    assert body["database"] == "erreur"
    assert body["status"] == "erreur"
    assert b"10.0.0.5" not in response.content
    assert b"secret" not in response.content
    _assert_not_cacheable(response)


@pytest.mark.django_db
def test_broker_unreachable_keeps_the_node_in_service_and_says_so(client, settings):
    """Pages work without Redis (tasks wait in the outbox): a load balancer must not take
    every web node out of service; the supervision reads the broker's state."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "erreur", "status": "dégradé"}
    assert b"127.0.0.1" not in response.content
    _assert_not_cacheable(response)


@pytest.fixture
def admins_alertes(settings):
    """Logging as production configures it when ADMINS is set: server errors by e-mail."""
    settings.ADMINS = [("Exploitation", "exploitation@example.gouv.fr")]
    settings.DEBUG = False
    config = copy.deepcopy(settings.LOGGING)
    config["loggers"]["django"]["handlers"] = ["mail_admins"]
    logging.config.dictConfig(config)
    yield
    logging.config.dictConfig(settings.LOGGING)


def _database_down(monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)


@pytest.mark.django_db
@pytest.mark.usefixtures("admins_alertes")
def test_failing_probes_email_no_admin(client, settings, monkeypatch):
    """The compose healthcheck probes every 15 s: an outage must not mean 240 e-mails an
    hour. The supervision reads the 503 itself."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    _database_down(monkeypatch)

    for _ in range(3):
        assert client.get(reverse("healthz")).status_code == 503

    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.usefixtures("admins_alertes")
def test_other_server_errors_still_email_the_admins(client, monkeypatch):
    def broken_render(*args, **kwargs):
        raise RuntimeError("gabarit cassé")

    monkeypatch.setattr(views, "render", broken_render)
    client.raise_request_exception = False

    assert client.get(reverse("mentions_legales")).status_code == 500

    assert len(mail.outbox) == 1
    assert "Internal Server Error: /mentions-legales/" in mail.outbox[0].subject


@pytest.mark.services
@pytest.mark.django_db
def test_healthy_with_a_real_redis(client, settings):
    url = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as exc:
        skip_or_fail(f"Redis ne répond pas à {url} : {exc}")
    settings.CELERY_BROKER_URL = url

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "status": "ok"}


@pytest.mark.django_db
def test_only_the_three_states_are_told(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get(reverse("healthz"))

    assert set(response.json()) == EXPECTED_KEYS
    lowered = response.content.lower()
    for leak in (b"version", b"django", b"sqlite", b"postgres", b"python"):
        assert leak not in lowered


@pytest.mark.django_db
def test_only_get_is_allowed(client):
    assert client.post(reverse("healthz")).status_code == 405
