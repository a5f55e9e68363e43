"""Calendar invitations (iCalendar, RFC 5545): one event per séance, a stable UID, and a
SEQUENCE raised on each change so calendar programs replace the event they hold."""

from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

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


def invitation(seance, personne) -> str:
    """The METHOD:REQUEST invitation sent to PERSONNE (or its update)."""
    cal = _calendrier("REQUEST")
    cal.add_component(_evenement(seance, [personne]))
    return cal.to_ical().decode()


def annulation(seance, personne) -> str:
    """The METHOD:CANCEL message that removes the event from PERSONNE's calendar."""
    cal = _calendrier("CANCEL")
    cal.add_component(_evenement(seance, [personne], annulee=True))
    return cal.to_ical().decode()


def flux(seances) -> str:
    """A personal subscription feed: no METHOD, one event per séance."""
    cal = _calendrier(None)
    cal.add("x-wr-calname", "Mes séances de comités")
    for seance in seances:
        cal.add_component(_evenement(seance, annulee=seance.statut == seance.Statut.ANNULEE))
    return cal.to_ical().decode()
