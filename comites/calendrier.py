"""Calendar invitations (iCalendar, RFC 5545): one event per séance, a stable UID, and a
SEQUENCE raised on each change so calendar programs replace the event they hold. Times are
Paris local times whose TZID the file defines itself (a VTIMEZONE), as RFC 5545 requires:
a program that does not know the name would otherwise guess, or read them as UTC."""

from datetime import datetime, timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vText,
)

PARIS = ZoneInfo("Europe/Paris")
PRODID = "-//Préfecture//Comités de la stratégie d'intégration//FR"


def _calendrier(methode: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if methode:
        cal.add("method", methode)
    return cal


def _lieu(seance) -> str:
    return " – ".join(filter(None, [seance.lieu, seance.lien_visio]))


def _evenement(seance, invites=(), annulee: bool = False) -> Event:
    ev = Event()
    ev.add("uid", seance.uid)
    ev.add("sequence", seance.sequence)
    ev.add("dtstamp", timezone.now())
    ev.add("dtstart", seance.debut.astimezone(PARIS))
    ev.add("dtend", seance.fin.astimezone(PARIS))
    ev.add("summary", f"{seance.instance.get_type_display()} : {seance.instance.nom}")
    if lieu := _lieu(seance):
        ev.add("location", lieu)
    if seance.lien_visio:
        ev.add("url", seance.lien_visio)
    ev.add("status", "CANCELLED" if annulee else "CONFIRMED")
    organisateur = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organisateur.params["cn"] = vText(seance.instance.departement.titre_prefet)
    ev.add("organizer", organisateur)
    for personne in invites:
        participant = vCalAddress(f"mailto:{personne.courriel}")
        participant.params["cn"] = vText(personne.nom)
        participant.params["role"] = vText("REQ-PARTICIPANT")
        participant.params["partstat"] = vText("NEEDS-ACTION")
        participant.params["rsvp"] = vText("FALSE")
        ev.add("attendee", participant, encode=0)
    return ev


def _fuseau() -> Timezone:
    """Europe/Paris by its rule (the European one since 1996: summer time from the last
    Sunday of March at 2:00 to the last Sunday of October at 3:00), a few lines that hold
    for every year, where a table of dates would end some day."""
    tz = Timezone()
    tz.add("tzid", "Europe/Paris")
    for partie, nom, debut, de, vers, mois in (
        (TimezoneDaylight(), "CEST", datetime(1970, 3, 29, 2), 1, 2, 3),
        (TimezoneStandard(), "CET", datetime(1970, 10, 25, 3), 2, 1, 10),
    ):
        partie.add("tzname", nom)
        partie.add("dtstart", debut)
        partie.add("tzoffsetfrom", timedelta(hours=de))
        partie.add("tzoffsetto", timedelta(hours=vers))
        partie.add("rrule", {"freq": "yearly", "bymonth": mois, "byday": "-1su"})
        tz.add_component(partie)
    return tz


def _texte(cal: Calendar) -> str:
    """The file, with the VTIMEZONE its events' TZID names, before them (RFC 5545)."""
    if cal.walk("VEVENT"):
        cal.subcomponents.insert(0, _fuseau())
    return cal.to_ical().decode()


def invitation(seance, personne) -> str:
    """The METHOD:REQUEST invitation sent to PERSONNE (or its update)."""
    cal = _calendrier("REQUEST")
    cal.add_component(_evenement(seance, [personne]))
    return _texte(cal)


def annulation(seance, personne) -> str:
    """The METHOD:CANCEL message that removes the event from PERSONNE's calendar."""
    cal = _calendrier("CANCEL")
    cal.add_component(_evenement(seance, [personne], annulee=True))
    return _texte(cal)


def flux(seances) -> str:
    """A personal subscription feed: no METHOD, one event per séance."""
    cal = _calendrier(None)
    cal.add("x-wr-calname", "Mes séances de comités")
    for seance in seances:
        cal.add_component(_evenement(seance, annulee=seance.statut == seance.Statut.ANNULEE))
    return _texte(cal)
