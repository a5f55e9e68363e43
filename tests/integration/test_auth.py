"""Signing in and out, the lock-out after repeated failures, and the password journeys.

Logins go through the real form (django-axes needs the request), as a person would.
"""

import html
import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from integration.models import OutboxTask
from tests.acteurs.factories import (
    PASSWORD,
    ActeurFactory,
    HabilitationFactory,
    MembreFactory,
    UserFactory,
)
from tests.courriel import balayer_pendant

NEW_PASSWORD = "Une-phrase-de-passe-toute-neuve-2025"
WRONG_PASSWORD = "pas-le-bon-mot-de-passe"


pytestmark = pytest.mark.usefixtures("axes_reset")


@pytest.fixture
def camille(seine_maritime):
    return HabilitationFactory(
        departement=seine_maritime,
        role="pilotage",
        user__first_name="Camille",
        user__last_name="Durand",
        user__email="camille.durand@seine-maritime.gouv.fr",
    ).user


def log_in(client, email, password, **extra):
    return client.post(reverse("login"), {"username": email, "password": password, **extra})


# --- Login and logout -------------------------------------------------------------------


def test_login_page_is_french_and_offers_password_reset(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert "Connexion à Stratégie d'intégration" in content
    assert reverse("password_reset") in content
    assert "Mot de passe oublié ?" in content
    assert "Se connecter" in content
    assert 'name="username"' in content and 'type="email"' in content


def test_login_with_email_and_password_lands_on_the_dashboard(client, camille):
    response = log_in(client, "camille.durand@seine-maritime.gouv.fr", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("tableau_de_bord")
    assert client.session[SESSION_KEY] == str(camille.pk)

    dashboard = client.get(reverse("tableau_de_bord"))
    assert dashboard.status_code == 200
    assert "Camille Durand" in dashboard.content.decode()


def test_login_ignores_the_case_of_the_email(client, camille):
    response = log_in(client, "Camille.Durand@Seine-Maritime.gouv.fr", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(camille.pk)


def test_login_follows_next_but_not_to_another_site(client, camille):
    response = log_in(client, camille.email, PASSWORD, next=reverse("compte"))
    assert response["Location"] == reverse("compte")

    client.logout()
    response = log_in(client, camille.email, PASSWORD, next="https://hameconnage.example/")
    assert response["Location"] == reverse("tableau_de_bord")


def test_wrong_password_shows_the_french_error(client, camille):
    response = log_in(client, camille.email, WRONG_PASSWORD)

    assert response.status_code == 200
    content = response.content.decode()
    assert "mot de passe incorrect" in content
    assert "fr-alert--error" in content
    assert SESSION_KEY not in client.session


def test_logout_by_post_ends_the_session(client, camille):
    log_in(client, camille.email, PASSWORD)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session
    after = client.get(reverse("tableau_de_bord"))
    assert after.status_code == 302
    assert after["Location"].startswith(reverse("login"))


def test_logout_by_get_is_refused(client, camille):
    client.force_login(camille)
    response = client.get(reverse("logout"))
    assert response.status_code == 405
    assert client.session[SESSION_KEY] == str(camille.pk)


# --- Lock-out ---------------------------------------------------------------------------


def test_repeated_failures_lock_the_account_from_this_computer(client, camille, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert log_in(client, camille.email, WRONG_PASSWORD).status_code == 200

    locked = log_in(client, camille.email, WRONG_PASSWORD)

    assert locked.status_code == 429
    content = locked.content.decode()
    assert "Trop de tentatives de connexion" in content
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"bloquée pendant {minutes} minutes" in content
    assert reverse("password_reset") in content

    # Even the right password is refused while the lock lasts.
    right = log_in(client, camille.email, PASSWORD)
    assert right.status_code == 429
    assert SESSION_KEY not in client.session


def test_changing_the_case_of_the_email_does_not_dodge_the_lock(client, camille, settings):
    variants = [camille.email, camille.email.upper(), camille.email.title()]
    responses = [
        log_in(client, variants[i % len(variants)], WRONG_PASSWORD)
        for i in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert responses[-1].status_code == 429
    assert log_in(client, camille.email.upper(), PASSWORD).status_code == 429
    assert SESSION_KEY not in client.session


def test_lock_out_does_not_block_another_account(client, camille, settings):
    other = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, camille.email, WRONG_PASSWORD)

    response = log_in(client, other.email, PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(other.pk)


def test_success_resets_the_failure_count(client, camille, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, camille.email, WRONG_PASSWORD)
    assert log_in(client, camille.email, PASSWORD).status_code == 302
    client.logout()

    assert log_in(client, camille.email, WRONG_PASSWORD).status_code == 200


# --- Password reset ---------------------------------------------------------------------


def test_password_reset_by_email(client, camille, apres_commit):
    with apres_commit():
        response = client.post(reverse("password_reset"), {"email": camille.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert client.get(response["Location"]).status_code == 200

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [camille.email]
    assert "mot de passe" in message.subject
    assert "Bonjour Camille Durand" in message.body
    assert "valable un jour" in message.body
    assert "ignorez ce message" in message.body
    link = re.search(r"http://testserver(/\S+)", message.body)
    assert link, message.body

    form_page = client.get(link[1], follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")
    assert client.get(done["Location"]).status_code == 200

    assert log_in(client, camille.email, PASSWORD).status_code == 200  # the old one is gone
    response = log_in(client, camille.email, NEW_PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(camille.pk)

    # The link works once.
    client.logout()
    reused = client.get(link[1], follow=True)
    assert reused.context["validlink"] is False
    assert "Lien invalide" in reused.content.decode()


def test_password_reset_e_mail_goes_through_the_outbox_and_outlasts_a_mail_server_down(
    client, camille, serveur_courriel, horloge, apres_commit
):
    serveur_courriel.pannes = 3
    with apres_commit():
        response = client.post(reverse("password_reset"), {"email": camille.email})
    assert response.status_code == 302
    assert "part vers elle" in client.get(response["Location"]).content.decode()

    (envoi,) = OutboxTask.objects.all()
    assert envoi.task_name == "integration.tasks.send_email"
    assert (
        envoi.status == OutboxTask.Status.PENDING and "SMTPServerDisconnected" in envoi.last_error
    )
    assert mail.outbox == []

    balayer_pendant(horloge, timedelta(minutes=15))
    envoi.refresh_from_db()
    assert envoi.status == OutboxTask.Status.DONE and envoi.attempts == 4
    assert [m.to for m in mail.outbox] == [[camille.email]]
    assert "mot de passe" in mail.outbox[0].subject
    assert envoi.args == []  # the reset link does not outlive its sending


def test_password_reset_for_an_unknown_address_tells_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "inconnu@example.fr"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_with_a_forged_link_is_refused(client, camille):
    response = client.get(
        reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "faux-jeton"})
    )
    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert "Demander un nouveau lien" in response.content.decode()


# --- Password change --------------------------------------------------------------------


def test_password_change(client, camille):
    client.force_login(camille)
    assert client.get(reverse("password_change")).status_code == 200

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert client.get(response["Location"]).status_code == 200
    camille.refresh_from_db()
    assert camille.check_password(NEW_PASSWORD)
    # The session that changed the password stays open.
    assert client.get(reverse("tableau_de_bord")).status_code == 200


def test_password_change_refuses_a_wrong_old_password(client, camille):
    client.force_login(camille)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": WRONG_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    camille.refresh_from_db()
    assert camille.check_password(PASSWORD)


# --- The account page -------------------------------------------------------------------


def test_account_page_shows_identity_roles_and_switch(client, camille, hautes_alpes):
    HabilitationFactory(user=camille, departement=hautes_alpes, role="lecteur")
    MembreFactory(user=camille, acteur=ActeurFactory(nom="France Travail Rouen"), role="lecteur")
    client.force_login(camille)

    response = client.get(reverse("compte"))

    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert "Camille Durand" in content and camille.email in content
    assert reverse("password_change") in content
    assert "Pilotage (préfecture, DDETS)" in content
    assert "Lecteur (services régionaux ou nationaux)" in content
    assert "France Travail Rouen" in content
    assert f'action="{reverse("changer_departement")}"' in content
    assert f'value="{hautes_alpes.code}"' in content

    switched = client.post(
        reverse("changer_departement"), {"perimetre": hautes_alpes.code, "next": reverse("compte")}
    )
    assert switched["Location"] == reverse("compte")
    page = html.unescape(client.get(reverse("compte")).content.decode())
    assert f'<option value="{hautes_alpes.code}" selected>' in page


def test_account_page_without_a_second_departement_has_no_switch(client, camille):
    client.force_login(camille)
    content = client.get(reverse("compte")).content.decode()
    assert reverse("changer_departement") not in content
