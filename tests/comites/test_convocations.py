"""Convocations end to end through the real pages: e-mails with a calendar invitation,
answers through the personal link, updates and cancellation."""

import re
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from comites import calendrier, services
from comites.models import Convocation, Seance
from tests.comites.factories import SeanceFactory

pytestmark = pytest.mark.django_db

LIEN = re.compile(r"http://testserver(/comites/convocation/[^/\s]+/)")


def _ics(message) -> Calendar:
    ((nom, contenu, type_mime),) = message.attachments
    assert nom == "invitation.ics" and type_mime.startswith("text/calendar; method=")
    cal = Calendar.from_ical(contenu)
    assert type_mime == f"text/calendar; method={cal['METHOD']}"
    return cal


def _evenement(cal):
    (ev,) = cal.walk("VEVENT")
    return ev


def _lien(message) -> str:
    return LIEN.search(message.body).group(1)


@pytest.fixture
def seance(copil, douze_sieges, pilotage):
    debut = timezone.now().replace(microsecond=0, second=0) + timedelta(days=20)
    return SeanceFactory(
        instance=copil, debut=debut, fin=debut + timedelta(hours=2), organisateur=pilotage
    )


@pytest.fixture
def convoquee(client, seance, pilotage, apres_commit):
    client.force_login(pilotage)
    with apres_commit():
        response = client.post(reverse("comites:convoquer", args=[seance.pk]))
    assert response.status_code == 302
    client.logout()
    seance.refresh_from_db()
    return seance


def test_twelve_invitees_get_a_valid_calendar_invitation(convoquee, douze_sieges):
    assert convoquee.statut == Seance.Statut.CONVOQUEE
    assert len(mail.outbox) == 12
    destinataires = {m.to[0] for m in mail.outbox}
    assert destinataires == {s.personne.courriel for s in douze_sieges}
    for message in mail.outbox:
        cal = _ics(message)
        assert cal["METHOD"] == "REQUEST"
        ev = _evenement(cal)
        assert str(ev["UID"]) == f"seance-{convoquee.pk}@comites.integration"
        assert ev["SEQUENCE"] == 0
        assert ev["DTSTART"].dt == convoquee.debut
        assert str(ev["DTSTART"].dt.tzinfo) == "Europe/Paris"
        assert ev["DTEND"].dt - ev["DTSTART"].dt == timedelta(hours=2)
        assert "TZID=Europe/Paris" in ev.to_ical().decode()
        assert str(ev["LOCATION"]) == convoquee.lieu
        assert str(ev["ORGANIZER"]).startswith("mailto:")
        assert str(ev["ATTENDEE"]) == f"mailto:{message.to[0]}"
        assert _lien(message)


def test_the_calendar_defines_the_time_zone_its_times_name(convoquee):
    """RFC 5545: a TZID parameter names a VTIMEZONE of the same file. Read with the time
    zone the file itself defines (not the system's), the start is the séance's instant,
    winter and summer alike."""
    for debut in (datetime(2027, 1, 12, 9, 30), datetime(2027, 7, 6, 14, 0)):
        convoquee.debut = timezone.make_aware(debut)
        convoquee.fin = convoquee.debut + timedelta(hours=2)
        cal = Calendar.from_ical(
            calendrier.invitation(convoquee, convoquee.convocations.first().personne)
        )
        (fuseau,) = cal.walk("VTIMEZONE")
        ev = _evenement(cal)
        assert ev["DTSTART"].params["TZID"] == str(fuseau["TZID"]) == "Europe/Paris"
        assert cal.subcomponents.index(fuseau) < cal.subcomponents.index(ev)
        lu = ev["DTSTART"].dt.replace(tzinfo=fuseau.to_tz())
        assert lu == convoquee.debut
        assert lu.utcoffset() == timedelta(hours=1 if debut.month == 1 else 2)
    flux = Calendar.from_ical(calendrier.flux([convoquee]))
    assert [str(f["TZID"]) for f in flux.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_the_email_carries_the_date_in_its_subject_and_the_agenda(
    client, seance, pilotage, apres_commit
):
    seance.debut = timezone.make_aware(datetime(2027, 1, 12, 9, 30))
    seance.fin = timezone.make_aware(datetime(2027, 1, 12, 12, 0))
    seance.save()
    services.ajouter_point(seance, titre="Bilan des actions 2026")
    services.ajouter_point(seance, titre="Axe santé", description="Avec l'ARS.\nEt le CMP.")
    client.force_login(pilotage)
    with apres_commit():
        client.post(reverse("comites:convoquer", args=[seance.pk]))
    message = mail.outbox[0]
    assert message.subject == ("Convocation : COPIL intégration — mardi 12 janvier 2027 à 9 h 30")
    assert "Le mardi 12 janvier 2027 à 9 h 30 (fin à 12 h)" in message.body
    assert (
        "Ordre du jour :\n1. Bilan des actions 2026\n2. Axe santé\n   Avec l'ARS.\n"
        "   Et le CMP.\n" in message.body
    )


def test_the_first_of_the_month_is_1er():
    assert services.jour_et_heure(timezone.make_aware(datetime(2027, 6, 1, 14, 0))) == (
        "mardi 1er juin 2027 à 14 h"
    )


def test_three_answer_through_their_link_one_represented(client, convoquee):
    messages = mail.outbox[:3]
    reponses = [
        {"reponse": "present"},
        {"reponse": "excuse"},
        {"reponse": "represente", "represente_par_nom": "Anne Durand",
         "represente_par_structure": "France Travail"},
    ]  # fmt: skip
    for message, data in zip(messages, reponses, strict=True):
        lien = _lien(message)
        assert client.get(lien).status_code == 200
        assert client.post(lien, data).status_code == 302
    par_courriel = {c.personne.courriel: c for c in convoquee.convocations.all()}
    obtenu = [par_courriel[m.to[0]] for m in messages]
    assert [c.reponse for c in obtenu] == ["present", "excuse", "represente"]
    assert obtenu[2].represente_par_nom == "Anne Durand"
    assert obtenu[2].represente_par_structure == "France Travail"
    assert convoquee.convocations.filter(reponse=Convocation.Reponse.ATTENTE).count() == 9


def test_represented_without_a_name_is_refused(client, convoquee):
    lien = _lien(mail.outbox[0])
    response = client.post(lien, {"reponse": "represente", "represente_par_structure": "CCAS"})
    # The form again, as typed, the error beside its field, which has the focus.
    assert response.status_code == 400
    page = response.content.decode()
    assert "Indiquez qui vous représentera" in page
    assert re.search(r'<input type="radio" name="reponse" value="represente"[^>]* checked', page)
    assert 'value="CCAS"' in page
    assert re.search(r'<input[^>]*name="represente_par_nom"[^>]* autofocus', page)
    assert not convoquee.convocations.exclude(reponse="attente").exists()


def test_a_link_answers_for_its_own_invitee_only(client, convoquee):
    lien = _lien(mail.outbox[0])
    autre = convoquee.convocations.exclude(personne__courriel=mail.outbox[0].to[0]).first()
    # Whatever the request says, the link's convocation is the only one it touches.
    client.post(lien, {"reponse": "excuse", "convocation": autre.pk, "personne": autre.personne_id})
    autre.refresh_from_db()
    assert autre.reponse == "attente"
    assert convoquee.convocations.get(personne__courriel=mail.outbox[0].to[0]).reponse == "excuse"
    assert client.get("/comites/convocation/un-jeton-invente/").status_code == 404


def test_a_link_stops_working_once_the_seance_is_held(client, convoquee):
    lien = _lien(mail.outbox[0])
    Seance.objects.filter(pk=convoquee.pk).update(statut=Seance.Statut.TENUE)
    response = client.post(lien, {"reponse": "present"})
    assert response.status_code == 410
    assert not convoquee.convocations.exclude(reponse="attente").exists()


def test_a_link_stops_working_once_the_seance_has_started(client, convoquee):
    lien = _lien(mail.outbox[0])
    maintenant = timezone.now()
    Seance.objects.filter(pk=convoquee.pk).update(
        debut=maintenant - timedelta(minutes=5), fin=maintenant + timedelta(hours=1)
    )
    assert client.post(lien, {"reponse": "present"}).status_code == 410
    assert not convoquee.convocations.exclude(reponse="attente").exists()


def test_moving_the_seance_resends_an_updated_invitation(client, convoquee, pilotage, apres_commit):
    ancien_lien = _lien(mail.outbox[0])
    mail.outbox.clear()
    nouveau = timezone.localtime(convoquee.debut + timedelta(days=1))
    client.force_login(pilotage)
    with apres_commit():
        client.post(
            reverse("comites:seance_modifier", args=[convoquee.pk]),
            {
                "horaires-debut": nouveau.strftime("%Y-%m-%dT%H:%M"),
                "horaires-fin": (nouveau + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
                "horaires-lieu": "Salle des fêtes",
            },
        )
    assert len(mail.outbox) == 12
    ev = _evenement(_ics(mail.outbox[0]))
    assert _ics(mail.outbox[0])["METHOD"] == "REQUEST"
    assert str(ev["UID"]) == f"seance-{convoquee.pk}@comites.integration"
    assert ev["SEQUENCE"] == 1
    assert ev["DTSTART"].dt == nouveau
    assert str(ev["LOCATION"]) == "Salle des fêtes"
    assert "modifiée" in mail.outbox[0].subject
    # The previous link was replaced by the new one.
    client.logout()
    assert client.get(ancien_lien).status_code == 404
    assert client.get(_lien(mail.outbox[0])).status_code == 200


def test_cancelling_sends_a_cancel(client, convoquee, pilotage, apres_commit):
    mail.outbox.clear()
    client.force_login(pilotage)
    with apres_commit():
        client.post(reverse("comites:seance_annuler", args=[convoquee.pk]))
    assert len(mail.outbox) == 12
    cal = _ics(mail.outbox[0])
    assert cal["METHOD"] == "CANCEL"
    ev = _evenement(cal)
    assert ev["SEQUENCE"] == 1 and str(ev["STATUS"]) == "CANCELLED"


def test_bad_dates_change_nothing(client, convoquee, pilotage):
    mail.outbox.clear()
    client.force_login(pilotage)
    debut = timezone.localtime(convoquee.debut)
    response = client.post(
        reverse("comites:seance_modifier", args=[convoquee.pk]),
        {
            "horaires-debut": debut.strftime("%Y-%m-%dT%H:%M"),
            "horaires-fin": "pas une date",
            "horaires-lieu": "Ailleurs",
        },
    )
    # The page again, the section open with what was typed and the error beside its field.
    assert response.status_code == 400
    page = response.content.decode()
    assert '<details class="fr-mb-3w" id="section-horaires" open>' in page
    assert 'value="Ailleurs"' in page and "Saisissez une date et une heure valides" in page
    convoquee.refresh_from_db()
    assert convoquee.lieu != "Ailleurs" and convoquee.sequence == 0
    assert not mail.outbox


def test_an_invitee_with_an_account_answers_in_the_application(client, convoquee, douze_sieges):
    from tests.acteurs.factories import UserFactory

    personne = douze_sieges[0].personne
    personne.user = UserFactory(email=personne.courriel)
    personne.save()
    client.force_login(personne.user)
    page = client.get(convoquee.get_absolute_url())
    assert page.status_code == 200 and "Ma réponse" in page.content.decode()
    client.post(reverse("comites:repondre", args=[convoquee.pk]), {"reponse-reponse": "present"})
    assert convoquee.convocations.get(personne=personne).reponse == "present"


def test_the_organiser_sees_the_answers_with_and_without_htmx(client, convoquee, pilotage):
    convoquee.convocations.filter(pk=convoquee.convocations.first().pk).update(reponse="excuse")
    client.force_login(pilotage)
    url = reverse("comites:reponses", args=[convoquee.pk])
    page = client.get(url).content.decode()
    assert "<html" in page and 'hx-trigger="every 15s"' in page and "Excusé : 1" in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "Excusé : 1" in fragment


def test_reminder_is_sent_once_to_those_who_have_not_answered(convoquee, settings, apres_commit):
    from comites.tasks import envoyer_rappels

    Seance.objects.filter(pk=convoquee.pk).update(
        debut=timezone.now() + timedelta(days=2), fin=timezone.now() + timedelta(days=2, hours=2)
    )
    convoquee.convocations.filter(pk=convoquee.convocations.first().pk).update(reponse="present")
    mail.outbox.clear()
    with apres_commit():
        assert envoyer_rappels()["convocations"] == 11
    with apres_commit():
        assert envoyer_rappels()["convocations"] == 0
    assert len(mail.outbox) == 11 and mail.outbox[0].subject.startswith("Rappel")
    assert "comites.tasks.envoyer_rappels" in {
        e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()
    }
