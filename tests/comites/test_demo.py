"""The comités' demo: built on the registry's, idempotent, and each role sees its part."""

import io
from datetime import date, time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from acteurs.models import User
from comites import access
from comites.demo import jour_ouvre
from comites.models import Convocation, Decision, Instance, Seance


def _compter():
    return [m.objects.count() for m in (Instance, Seance, Convocation, Decision)]


def test_demo_builds_committees_and_is_idempotent(demo):
    avant = _compter()
    call_command("load_demo", stdout=io.StringIO())
    assert _compter() == avant
    for code in ("76", "05"):
        copil = Instance.objects.get(departement__code=code, type="copil")
        assert copil.sieges.count() >= 5
        assert copil.enfants.filter(type="groupe_travail").count() == 4
        passee = copil.seances.get(statut=Seance.Statut.CLOSE)
        assert passee.compte_rendu and passee.decisions.count() == 2
        assert passee.convocations.filter(presence="represente").exists()
        a_venir = copil.seances.get(statut=Seance.Statut.CONVOQUEE)
        assert a_venir.convocations.exclude(reponse="attente").count() == 3


def test_demo_seances_meet_on_working_days_at_office_hours(demo):
    for seance in Seance.objects.all():
        debut = timezone.localtime(seance.debut)
        assert debut.date() == jour_ouvre(debut.date()), debut
        assert debut.time() in {time(9, 30), time(14, 0)}, debut  # in Paris, not UTC


@pytest.mark.parametrize(
    ("jour", "ouvre"),
    [
        (date(2026, 12, 4), date(2026, 12, 4)),  # a Friday
        (date(2026, 9, 5), date(2026, 9, 7)),  # a Saturday: the Monday
        (date(2026, 12, 25), date(2026, 12, 28)),  # Christmas, a Friday: the Monday
        (date(2027, 5, 8), date(2027, 5, 10)),  # 8 May on a Saturday
    ],
)
def test_working_day_skips_weekends_and_fixed_holidays(jour, ouvre):
    assert jour_ouvre(jour) == ouvre


def test_demo_partner_sees_their_seats_and_pilotage_the_dashboard(client, demo):
    partenaire = User.objects.get(email="partenaire@demo.gouv.fr")
    assert access.instances_visible_to(partenaire).exists()
    client.force_login(partenaire)
    assert client.get(reverse("comites:index")).status_code == 200
    client.force_login(User.objects.get(email="pilotage@demo.gouv.fr"))
    page = client.get(reverse("tableau_de_bord")).content.decode()
    assert "Décisions des comités en retard" in page
