"""A mail server that fails on demand, and a clock the tests move: a day of outage, swept
as beat would sweep it, passes in a second.

    serveur_courriel.pannes = 3        # the next three messages are refused
    balayer_pendant(horloge, timedelta(hours=25))
"""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core.mail.backends import locmem
from django.utils import timezone

from integration import outbox


class ServeurEnPanne(locmem.EmailBackend):
    """Refuses the next `pannes` messages as an SMTP server that hangs up, then delivers
    to `django.core.mail.outbox`. `essais` keeps the time of every try."""

    pannes = 0
    essais: list = []

    def send_messages(self, messages):
        ServeurEnPanne.essais.append(timezone.now())
        if ServeurEnPanne.pannes > 0:
            ServeurEnPanne.pannes -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class Horloge:
    def __init__(self):
        self.maintenant = timezone.now()

    def __call__(self):
        return self.maintenant


@pytest.fixture
def serveur_courriel(settings):
    settings.EMAIL_BACKEND = f"{__name__}.ServeurEnPanne"
    ServeurEnPanne.essais = []
    ServeurEnPanne.pannes = 0
    return ServeurEnPanne


@pytest.fixture
def horloge():
    """Every timezone.now() (the claim, the retry, auto_now_add) reads this clock."""
    fausse = Horloge()
    with mock.patch("django.utils.timezone.now", fausse):
        yield fausse


def balayer_pendant(horloge: Horloge, duree: timedelta) -> None:
    """What beat does: a sweep every OUTBOX_SWEEP_SECONDS, for DUREE.

    A sweep that finds no row due changes nothing, so the clock goes straight to the next
    tick at which a row is due, and sweeps there: the same sweeps at the same times as
    beat's, without the thousands of empty ones of a day (a query each)."""
    fin = horloge.maintenant + duree
    pas = timedelta(seconds=settings.OUTBOX_SWEEP_SECONDS)
    while horloge.maintenant < fin:
        restants = -(-(fin - horloge.maintenant) // pas)  # ticks until DUREE is over
        rang = _premier_tick_du(horloge.maintenant, pas, restants)
        horloge.maintenant += (rang or restants) * pas
        if rang:
            outbox.sweep()


def _premier_tick_du(depuis, pas: timedelta, ticks: int) -> int | None:
    """The first of the next TICKS ticks at which the sweep finds a row, by bisection.
    Every condition of `outbox.rows_to_sweep` is a time at or before `now`: a row due at
    one tick is due at every later one while nothing is swept."""

    def du(rang: int) -> bool:
        return outbox.rows_to_sweep(depuis + rang * pas).exists()

    if not du(ticks):
        return None
    bas, haut = 1, ticks  # the first due tick is in [bas, haut]
    while bas < haut:
        milieu = (bas + haut) // 2
        if du(milieu):
            haut = milieu
        else:
            bas = milieu + 1
    return bas
