"""Operations on instances and séances: each checks, writes, records history and notifies.

A refusal is a French ValidationError, which the views show as a message.
"""

from datetime import timedelta

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from acteurs.models import Departement
from comites import calendrier, communique
from comites.journal import Nature
from comites.models import (
    Communique,
    Convocation,
    Decision,
    Instance,
    JetonCalendrier,
    Personne,
    Point,
    Seance,
    Siege,
)
from integration import journal
from integration.jetons import empreinte, nouveau_jeton
from integration.locks import lock_row, reload_locked
from integration.models import OutboxTask
from integration.outbox import enqueue
from integration.tasks import send_email, send_email_with_attachment
from integration.text import date_et_heure, de, heure

S = Seance.Statut
R = Convocation.Reponse
# Calendar programs read the method from the part's type as well as from the file.
ICS_MIMETYPE = "text/calendar; method={}"

# --- Secret links (integration.jetons) -----------------------------------------------------


def convocation_par_jeton(jeton: str) -> Convocation | None:
    return (
        Convocation.objects.select_related("seance__instance__departement", "personne")
        .filter(jeton_hash=empreinte(jeton))
        .first()
    )


@transaction.atomic
def creer_adresse_agenda(user) -> str:
    """A new secret address for USER's calendar feed; the previous one stops working.
    Returns the token, shown once: only its hash is kept."""
    JetonCalendrier.objects.filter(user=user).delete()
    jeton, jeton_hash = nouveau_jeton()
    JetonCalendrier.objects.create(user=user, jeton_hash=jeton_hash)
    return jeton


def revoquer_adresse_agenda(user) -> None:
    JetonCalendrier.objects.filter(user=user).delete()


def adresse_agenda_de(user) -> JetonCalendrier | None:
    return JetonCalendrier.objects.filter(user=user).first()


def abonne_par_jeton(jeton: str):
    """The active user whose calendar feed JETON opens, or None (unknown or revoked)."""
    trouve = (
        JetonCalendrier.objects.select_related("user")
        .filter(jeton_hash=empreinte(jeton), user__is_active=True)
        .first()
    )
    return trouve.user if trouve else None


# --- Instances and composition ----------------------------------------------------------


@transaction.atomic
def creer_instance(instance: Instance, *, by) -> Instance:
    """INSTANCE saved, journalled. The département's row is locked first: the same form
    sent twice at once waits here, then finds the first one's name taken (without the
    lock, it met the unique constraint: a 500)."""
    lock_row(Departement, instance.departement_id)
    if instance.nom_pris():
        raise ValidationError({"nom": Instance.NOM_PRIS})
    instance.full_clean()
    instance.save()
    journal.record(Nature.INSTANCE_CREATION, instance, par=by)
    return instance


def personne_pour(
    departement, *, nom: str, courriel: str, user=None, civilite="", fonction=""
) -> Personne:
    """The département's person with this e-mail address, created on first use; an existing
    one keeps its civility and function (changed on its own page, journalled)."""
    courriel = courriel.strip().lower()
    personne, cree = Personne.objects.get_or_create(
        departement=departement,
        courriel=courriel,
        defaults={
            "nom": nom.strip(),
            "user": user,
            "civilite": civilite,
            "fonction": " ".join(fonction.split()),
        },
    )
    if not cree and user is not None and personne.user_id is None:
        personne.user = user
        personne.save(update_fields=["user"])
    return personne


# What a person's page changes, and the journal follows.
CHAMPS_PERSONNE = ["civilite", "nom", "fonction"]


@transaction.atomic
def modifier_personne(personne: Personne, instance: Instance, *, by, **champs) -> None:
    """Change a person's civility, name or function; journalled on the instance shown."""
    reload_locked(personne)
    avant = journal.photo(personne, CHAMPS_PERSONNE)
    for champ in CHAMPS_PERSONNE:
        setattr(personne, champ, " ".join(champs[champ].split()))
    if not personne.nom:
        raise ValidationError("Indiquez le prénom et le nom.")
    personne.full_clean(exclude=["departement", "user"])
    personne.save(update_fields=CHAMPS_PERSONNE)
    if changements := journal.changements(personne, avant):
        journal.record(
            Nature.PERSONNE_MODIFICATION, instance, par=by, changements=changements,
            detail=personne.nom,
        )  # fmt: skip


@transaction.atomic
def attribuer_siege(instance, *, role, personne, acteur, debut, by) -> Siege:
    if acteur.departement_id != instance.departement_id:
        raise ValidationError("La structure n'est pas du département de l'instance.")
    if instance.sieges.filter(personne=personne, acteur=acteur, fin__isnull=True).exists():
        raise ValidationError("Cette personne siège déjà pour cette structure.")
    siege = Siege.objects.create(
        instance=instance, role=role, personne=personne, acteur=acteur, debut=debut
    )
    journal.record(Nature.SIEGE_DEBUT, instance, par=by, detail=str(siege))
    return siege


@transaction.atomic
def terminer_mandat(siege: Siege, *, fin, by) -> None:
    """The seat's history stays: the mandate gets an end date, the row remains."""
    if siege.fin is not None:
        raise ValidationError("Ce mandat est déjà terminé.")
    if fin < siege.debut:
        raise ValidationError("La fin du mandat ne peut précéder son début.")
    siege.fin = fin
    siege.save(update_fields=["fin"])
    journal.record(Nature.SIEGE_FIN, siege.instance, par=by, detail=str(siege))


@transaction.atomic
def remplacer(siege: Siege, *, personne, date, by) -> Siege:
    """A new holder of the same seat: the old mandate ends the day before the new one."""
    terminer_mandat(siege, fin=max(date - timedelta(days=1), siege.debut), by=by)
    return attribuer_siege(
        siege.instance, role=siege.role, personne=personne, acteur=siege.acteur, debut=date, by=by
    )


# --- Séances ----------------------------------------------------------------------------


def _verifier_horaires(debut, fin) -> None:
    if fin <= debut:
        raise ValidationError("La fin de la séance doit suivre son début.")


@transaction.atomic
def planifier(instance, *, debut, fin, lieu="", lien_visio="", preside_par=None, by) -> Seance:
    _verifier_horaires(debut, fin)
    if not (lieu or lien_visio):
        raise ValidationError("Indiquez un lieu ou un lien de visioconférence.")
    seance = Seance.objects.create(
        instance=instance,
        debut=debut,
        fin=fin,
        lieu=lieu,
        lien_visio=lien_visio,
        preside_par=preside_par,
        organisateur=by,
    )
    journal.record(Nature.SEANCE_CREATION, seance, par=by)
    return seance


@transaction.atomic
def enregistrer_seance_passee(
    instance, *, debut, fin, lieu="", lien_visio="", preside_par=None, by
) -> Seance:
    """A meeting already held, entered to keep its history or write its release: it is
    « tenue » at once, its composition of that day listed for the attendance, and nobody
    is e-mailed (a convocation for a day long past would only mislead)."""
    if fin > timezone.now():
        raise ValidationError(
            "Cette séance n'a pas encore eu lieu : planifiez-la, puis convoquez ses membres."
        )
    reload_locked(instance)  # the same form sent twice records one séance
    if instance.seances.filter(debut=debut).exists():
        raise ValidationError("Une séance de cette instance commence déjà à cette heure.")
    seance = planifier(
        instance, debut=debut, fin=fin, lieu=lieu, lien_visio=lien_visio,
        preside_par=preside_par, by=by,
    )  # fmt: skip
    jour = timezone.localdate(debut)
    membres = {}
    for siege in instance.sieges.filter(debut__lte=jour).exclude(fin__lt=jour).order_by("pk"):
        membres.setdefault(siege.personne_id, siege.acteur_id)
    Convocation.objects.bulk_create(
        Convocation(seance=seance, personne_id=personne, acteur_id=acteur,
                    invite=False, jeton_hash=nouveau_jeton()[1])
        for personne, acteur in membres.items()
    )  # fmt: skip
    seance.statut = S.TENUE
    seance.save(update_fields=["statut"])
    journal.record(Nature.SEANCE_TENUE, seance, par=by, detail="saisie après la séance")
    return seance


@transaction.atomic
def ajouter_point(seance, *, titre, description="", actions=(), feuille=None) -> Point:
    # The séance row locked: two points sent at once take the next two places in turn,
    # and the same point sent twice (a double click, two tabs) is found the second time.
    seance = _verrouiller(seance)
    if seance.points.filter(titre=titre, description=description).exists():
        raise ValidationError("Ce point figure déjà à l'ordre du jour.")
    departement = seance.instance.departement_id
    if feuille is not None and feuille.departement_id != departement:
        raise ValidationError("La feuille de route est d'un autre département.")
    if any(a.feuille.departement_id != departement for a in actions):
        raise ValidationError("Une action liée est d'un autre département.")
    ordre = (seance.points.aggregate(m=Max("ordre"))["m"] or 0) + 1
    point = Point.objects.create(
        seance=seance, ordre=ordre, titre=titre, description=description, feuille=feuille
    )
    point.actions.set(actions)
    return point


def _composition_en_cours(instance):
    aujourd_hui = timezone.localdate()
    return instance.sieges.filter(debut__lte=aujourd_hui).exclude(fin__lt=aujourd_hui)


@transaction.atomic
def inviter(seance, personne, *, acteur=None, invite=True) -> Convocation:
    # The séance row locked: the same guest sent twice at once is told, not a 500.
    seance = _verrouiller(seance)
    if not seance.repondable:
        raise ValidationError("On ne convoque plus à une séance tenue, close ou annulée.")
    if seance.convocations.filter(personne=personne).exists():
        raise ValidationError(f"{personne} est déjà convoqué à cette séance.")
    return Convocation.objects.create(
        seance=seance,
        personne=personne,
        acteur=acteur,
        invite=invite,
        jeton_hash=nouveau_jeton()[1],
    )


@transaction.atomic
def convoquer(seance: Seance, *, by, base_url: str) -> list[OutboxTask]:
    """Convene the current composition (and the guests already added): every invitee not yet
    convened gets an e-mail with a calendar invitation. Returns the e-mails queued.

    The séance row is locked first: the same request sent twice at once convenes once, and
    the second finds nobody left (a French refusal), instead of a duplicate or a dead link."""
    seance = _verrouiller(seance)
    if not seance.repondable:
        raise ValidationError("Cette séance ne peut plus être convoquée.")
    deja = set(seance.convocations.values_list("personne_id", flat=True))
    for siege in _composition_en_cours(seance.instance).select_related("personne"):
        if siege.personne_id not in deja:
            deja.add(siege.personne_id)
            Convocation.objects.create(
                seance=seance,
                personne=siege.personne,
                acteur=siege.acteur,
                jeton_hash=nouveau_jeton()[1],
            )
    a_envoyer = list(seance.convocations.filter(envoyee_le__isnull=True).select_related("personne"))
    if not a_envoyer and deja:
        raise ValidationError(
            "Les convocations sont déjà enregistrées : personne de plus à convoquer. "
            "Un courriel en échec se renvoie depuis la liste des convocations."
        )
    if not a_envoyer:
        raise ValidationError("Personne à convoquer : la composition est vide.")
    if seance.statut == S.PLANIFIEE:
        seance.statut = S.CONVOQUEE
        seance.save(update_fields=["statut"])
    points = _ordre_du_jour(seance)
    envois = [_envoyer(c, base_url, "convocation", points) for c in a_envoyer]
    journal.record(Nature.SEANCE_CONVOCATION, seance, par=by, detail=f"{len(a_envoyer)} envois")
    return envois


@transaction.atomic
def renvoyer_convocation(
    convocation: Convocation, *, envoi_vu: int | None, by, base_url: str
) -> OutboxTask:
    """Send again the convocation whose last e-mail failed, with a fresh answer link.

    ENVOI_VU is the e-mail the organiser saw failed: once it has been replaced (the same
    click sent twice, another organiser), nothing is sent again."""
    seance = _verrouiller(convocation.seance)
    convocation = seance.convocations.select_related("personne", "envoi").get(pk=convocation.pk)
    if not seance.repondable:
        raise ValidationError(
            "On ne renvoie plus de convocation pour une séance tenue, close ou annulée."
        )
    if convocation.envoi_id != envoi_vu or convocation.envoyee_le is None:
        raise ValidationError(
            f"La convocation {de(convocation.personne)} vient déjà d'être renvoyée : "
            "consultez l'état de son courriel ci-dessous."
        )
    if convocation.envoi is not None and convocation.envoi.status != OutboxTask.Status.FAILED:
        raise ValidationError(
            f"Le courriel à {convocation.personne} n'est pas en échec : rien à renvoyer."
        )
    convocation.seance = seance
    envoi = _envoyer(convocation, base_url, "convocation")
    journal.record(
        Nature.SEANCE_CONVOCATION, seance, par=by, detail=f"Renvoi à {convocation.personne}"
    )
    return envoi


def _verrouiller(seance: Seance) -> Seance:
    """The séance row, locked until the transaction ends: its convocations change alone."""
    return Seance.objects.select_for_update().select_related("instance").get(pk=seance.pk)


def _verrouiller_complete(seance: Seance) -> Seance:
    """As _verrouiller, with what the e-mails print (the département's préfet)."""
    return (
        Seance.objects.select_for_update(of=("self",))
        .select_related("instance__departement")
        .get(pk=seance.pk)
    )


def avertissements_date(debut) -> list[str]:
    """What to point out, without refusing it, about a séance starting at DEBUT: a date
    already past, or a weekend day (a slip of the date picker, most of the time)."""
    debut = timezone.localtime(debut)
    avertissements = []
    if debut < timezone.now():
        avertissements.append(
            f"Attention : la séance est fixée au {jour_et_heure(debut)}, une date déjà "
            "passée. Vérifiez la date."
        )
    if debut.weekday() >= 5:
        avertissements.append(
            f"Attention : la séance tombe un {date_format(debut, 'l')}. Vérifiez la date."
        )
    return avertissements


def _lien(convocation, base_url: str) -> str:
    jeton, convocation.jeton_hash = nouveau_jeton()  # a fresh link; the previous one dies
    return base_url.rstrip("/") + reverse("comites:repondre_lien", args=[jeton])


# The date is in the subject: an inbox shows which meeting it is without opening it.
SUJETS = {
    "convocation": "Convocation : {} — {}",
    "modification": "Séance modifiée : {} — {}",
    "annulation": "Séance annulée : {} — {}",
    "rappel": "Rappel : {} — {}",
}


def jour_et_heure(valeur) -> str:
    """ "mardi 12 janvier 2027 à 9 h 30"; the first of the month is "1er"."""
    return date_et_heure(valeur, jour_de_la_semaine=True)


def _ordre_du_jour(seance) -> list[Point]:
    return list(seance.points.order_by("ordre"))


def _agenda_texte(points: list[Point]) -> str:
    """The agenda as plain text: numbered points, their details indented below."""
    if not points:
        return "L'ordre du jour vous sera communiqué."
    lignes = []
    for numero, point in enumerate(points, 1):
        lignes.append(f"{numero}. {point.titre}")
        lignes += [f"   {ligne}" for ligne in point.description.splitlines() if ligne.strip()]
    return "\n".join(lignes)


def _envoyer(
    convocation: Convocation, base_url: str, motif: str, points: list[Point] | None = None
) -> OutboxTask:
    """Queue one e-mail with its calendar attachment, after commit (the outbox's rule); the
    convocation keeps its outbox row, which tells whether it left. POINTS, the séance's
    agenda, is read once by a caller writing to many."""
    seance = convocation.seance
    annulee = motif == "annulation"
    lien = "" if annulee else _lien(convocation, base_url)
    corps = render_to_string(
        "comites/emails/convocation.txt",
        {
            "seance": seance,
            "convocation": convocation,
            "lien": lien,
            "motif": motif,
            "ordre_du_jour": _agenda_texte(_ordre_du_jour(seance) if points is None else points),
            "quand": jour_et_heure(seance.debut),
            "fin": heure(seance.fin),
        },
    )
    ics = (calendrier.annulation if annulee else calendrier.invitation)(
        seance, convocation.personne
    )
    sujet = SUJETS[motif].format(seance.instance.nom, jour_et_heure(seance.debut))
    convocation.envoi = enqueue(
        send_email_with_attachment,
        sujet,
        corps,
        [convocation.personne.courriel],
        "invitation.ics",
        ics,
        ICS_MIMETYPE.format("CANCEL" if annulee else "REQUEST"),
    )
    now = timezone.now()
    if motif == "rappel":
        convocation.rappel_le = now
    else:
        convocation.envoyee_le = now
    convocation.save(update_fields=["jeton_hash", "envoyee_le", "rappel_le", "envoi"])
    return convocation.envoi


@transaction.atomic
def deplacer(
    seance: Seance, *, debut, fin, lieu, lien_visio, by, base_url: str
) -> list[OutboxTask]:
    """Change date or place; the convened get an updated invitation (SEQUENCE + 1). The
    séance row is locked first: the same change sent twice finds nothing left to change,
    and sends nothing more."""
    seance = _verrouiller_complete(seance)
    if not seance.repondable:
        raise ValidationError("Une séance tenue, close ou annulée ne se déplace plus.")
    _verifier_horaires(debut, fin)
    if not (lieu or lien_visio):
        raise ValidationError("Indiquez un lieu ou un lien de visioconférence.")
    avant = journal.photo(seance, ["debut", "fin", "lieu", "lien_visio"])
    seance.debut, seance.fin, seance.lieu, seance.lien_visio = debut, fin, lieu, lien_visio
    changes = journal.changements(seance, avant)
    if not changes:
        return []
    seance.sequence += 1
    seance.save()
    journal.record(Nature.SEANCE_DEPLACEMENT, seance, par=by, changements=changes)
    return _prevenir_convoques(seance, base_url, "modification")


@transaction.atomic
def annuler(seance: Seance, *, by, base_url: str) -> list[OutboxTask]:
    """Cancel; the séance row is locked first, so the same click twice cancels once and
    the second is told, instead of a second round of e-mails."""
    seance = _verrouiller_complete(seance)
    if seance.statut == S.ANNULEE:
        raise ValidationError("Cette séance est déjà annulée.")
    if not seance.repondable:
        raise ValidationError("Seule une séance à venir peut être annulée.")
    seance.statut = S.ANNULEE
    seance.sequence += 1
    seance.save(update_fields=["statut", "sequence"])
    journal.record(Nature.SEANCE_ANNULATION, seance, par=by)
    return _prevenir_convoques(seance, base_url, "annulation")


def _prevenir_convoques(seance: Seance, base_url: str, motif: str) -> list[OutboxTask]:
    convoques = seance.convocations.filter(envoyee_le__isnull=False).select_related("personne")
    points = _ordre_du_jour(seance)
    return [_envoyer(convocation, base_url, motif, points) for convocation in convoques]


# --- Answers ----------------------------------------------------------------------------


@transaction.atomic
def repondre(convocation: Convocation, *, reponse, represente_par_nom="", structure="") -> None:
    """An invitee's answer, through the link or in the application; until the séance."""
    seance = Seance.objects.select_for_update().get(pk=convocation.seance_id)
    if not seance.repondable or seance.debut <= timezone.now():
        raise ValidationError("La séance a eu lieu ou est annulée : on n'y répond plus.")
    if reponse not in (R.PRESENT, R.EXCUSE, R.REPRESENTE):
        raise ValidationError("Choisissez présent, excusé ou représenté.")
    represente_par_nom = represente_par_nom.strip()
    if reponse == R.REPRESENTE and not represente_par_nom:
        raise ValidationError("Indiquez le nom de la personne qui vous représentera.")
    convocation.reponse = reponse
    convocation.represente_par_nom = represente_par_nom if reponse == R.REPRESENTE else ""
    convocation.represente_par_structure = structure.strip() if reponse == R.REPRESENTE else ""
    convocation.repondu_le = timezone.now()
    convocation.save(
        update_fields=["reponse", "represente_par_nom", "represente_par_structure", "repondu_le"]
    )


# --- During and after the séance --------------------------------------------------------


@transaction.atomic
def emarger(seance: Seance, presences: dict[int, tuple[str, str]], *, by) -> None:
    """Record attendance: {convocation id: (presence, represented by)}."""
    if seance.est_close or seance.statut == S.ANNULEE:
        raise ValidationError("La séance est close : son émargement ne peut plus être modifié.")
    if seance.debut > timezone.now():
        raise ValidationError("L'émargement s'ouvre au début de la séance.")
    convocations = {c.pk: c for c in seance.convocations.all()}
    for pk, (presence, par) in presences.items():
        convocation = convocations.get(pk)
        if convocation is None:
            raise ValidationError("Une ligne d'émargement n'est pas de cette séance.")
        if presence and presence not in Convocation.Presence.values:
            raise ValidationError("Présence inconnue.")
        if presence == Convocation.Presence.REPRESENTE and not par.strip():
            raise ValidationError(f"Indiquez qui a représenté {convocation.personne}.")
        convocation.presence = presence
        convocation.presence_represente_par = par.strip() if presence == "represente" else ""
        convocation.save(update_fields=["presence", "presence_represente_par"])
    if seance.statut in (S.PLANIFIEE, S.CONVOQUEE):
        seance.statut = S.TENUE
        seance.save(update_fields=["statut"])
        journal.record(Nature.SEANCE_TENUE, seance, par=by)


@transaction.atomic
def cloturer(seance: Seance, *, by) -> None:
    """Close; the séance row is locked first, so a repeat finds it closed and is told."""
    seance = _verrouiller_complete(seance)
    if seance.statut == S.CLOSE:
        raise ValidationError("Cette séance est déjà close.")
    if seance.statut != S.TENUE:
        raise ValidationError("Seule une séance tenue peut être close.")
    if not seance.convocations.exclude(presence="").exists():
        raise ValidationError("Enregistrez l'émargement avant de clore la séance.")
    seance.statut = S.CLOSE
    seance.close_le = timezone.now()
    seance.close_par = by
    seance.save(update_fields=["statut", "close_le", "close_par"])
    journal.record(Nature.SEANCE_CLOTURE, seance, par=by)


BALISES = {"p", "br", "strong", "em", "ul", "ol", "li", "h3", "h4", "a"}


def nettoyer(html: str) -> str:
    """Minutes keep a few tags; everything else (scripts, attributes, styles) is dropped."""
    return nh3.clean(
        html,
        tags=BALISES,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@transaction.atomic
def enregistrer_compte_rendu(seance: Seance, html: str, *, by, lieu_date: str = "") -> None:
    """Save the minutes and their date line (left empty: the chef-lieu and the séance's
    day). The séance row is locked: the same text sent twice is recorded, and journalled,
    once."""
    texte = nettoyer(html)
    if not texte.strip():
        raise ValidationError("Le compte rendu est vide.")
    lieu_date = " ".join(lieu_date.split()) or communique.ligne_de_lieu(seance)
    reload_locked(seance)
    if (seance.compte_rendu, seance.compte_rendu_lieu_date) == (texte, lieu_date):
        return
    seance.compte_rendu = texte
    seance.compte_rendu_lieu_date = lieu_date
    seance.compte_rendu_le = timezone.now()
    seance.save(update_fields=["compte_rendu", "compte_rendu_lieu_date", "compte_rendu_le"])
    journal.record(Nature.SEANCE_COMPTE_RENDU, seance, par=by)


@transaction.atomic
def relever_decision(
    seance, *, texte, responsable, echeance=None, statut=Decision.Statut.A_FAIRE, actions=(), by
) -> Decision:
    """Add a decision to the relevé. STATUT « faite » records one already carried out (a
    séance entered after the fact): it is never flagged late. The séance row is locked, so
    the same decision sent twice at once is recorded once and the second is told."""
    departement = seance.instance.departement_id
    if any(a.feuille.departement_id != departement for a in actions):
        raise ValidationError("Une action liée est d'un autre département.")
    if statut not in Decision.Statut.values:
        raise ValidationError("Statut de décision inconnu.")
    _verrouiller(seance)
    if seance.decisions.filter(texte=texte, responsable=responsable, echeance=echeance).exists():
        raise ValidationError("Cette décision figure déjà au relevé.")
    decision = Decision.objects.create(
        seance=seance, texte=texte, responsable=responsable, echeance=echeance, statut=statut
    )
    decision.actions.set(actions)
    journal.record(Nature.DECISION_CREATION, seance, par=by, detail=texte[:200])
    return decision


@transaction.atomic
def changer_statut_decision(decision: Decision, statut: str, *, by) -> None:
    if statut not in Decision.Statut.values:
        raise ValidationError("Statut de décision inconnu.")
    avant = journal.photo(decision, ["statut"])
    decision.statut = statut
    decision.save(update_fields=["statut"])
    if changes := journal.changements(decision, avant):
        journal.record(
            Nature.DECISION_STATUT, decision.seance, par=by, changements=changes,
            detail=decision.texte[:200],
        )  # fmt: skip


# --- Press release ----------------------------------------------------------------------


@transaction.atomic
def enregistrer_communique(
    seance, *, titre, texte, by, lieu_date="", chiffres="", citation_auteur="", citation=""
) -> Communique:
    """Each save is a new version; the previous ones stay. The same content sent again (a
    double click, a second tab) is the latest version, not a new one."""
    contenu = {
        "titre": titre.strip(),
        "lieu_date": " ".join(lieu_date.split()),
        "texte": texte.strip(),
        "chiffres": chiffres.strip(),
        "citation_auteur": " ".join(citation_auteur.split()),
        # The quotation marks are the document's: typed ones would be printed twice.
        "citation": citation.strip().strip('«»"“” \u00a0\u202f'),
    }
    if not contenu["texte"] or not contenu["titre"]:
        raise ValidationError("Le communiqué a un titre et un texte.")
    if contenu["citation"] and not contenu["citation_auteur"]:
        raise ValidationError("Indiquez qui est cité, avec sa fonction.")
    # A caller that names no date line (the demo, older scripts) gets the proposed one.
    contenu["lieu_date"] = contenu["lieu_date"] or communique.ligne_de_lieu(seance)
    return _nouvelle_version(seance, Communique.Genre.COMMUNIQUE, contenu, by=by)


@transaction.atomic
def enregistrer_avis_medias(seance, *, titre, lieu_date, texte, acces_presse, by) -> Communique:
    """A version of the avis aux médias announcing SEANCE, still to come: no attendance,
    no decisions, but how the press attends. The same content sent again is the latest
    version, not a new one."""
    contenu = {
        "titre": titre.strip(),
        "lieu_date": " ".join(lieu_date.split()),
        "texte": texte.strip(),
        "chiffres": "",
        "citation_auteur": "",
        "citation": "",
        "acces_presse": acces_presse.strip(),
    }
    if not (contenu["titre"] and contenu["texte"] and contenu["lieu_date"]):
        raise ValidationError("L'avis aux médias a un titre, un lieu et une date, un texte.")
    if not contenu["acces_presse"]:
        raise ValidationError(
            "Indiquez comment la presse accède à la séance : accréditation, contact, heure "
            "d'arrivée."
        )
    return _nouvelle_version(seance, Communique.Genre.AVIS_MEDIAS, contenu, by=by)


def _nouvelle_version(seance, genre, contenu: dict, *, by) -> Communique:
    """The next version of SEANCE's release of kind GENRE, or its latest when CONTENU is
    the same. The séance row is locked first: two tabs sending at once take turns, and the
    second finds the first's version."""
    seance = Seance.objects.select_for_update().get(pk=seance.pk)
    if genre == Communique.Genre.AVIS_MEDIAS and not seance.repondable:
        raise ValidationError(
            "Un avis aux médias annonce une séance à venir : celle-ci est tenue, close ou annulée."
        )
    contenu = {"acces_presse": "", **contenu}
    derniere = seance.communiques.filter(genre=genre).order_by("-version").first()
    if derniere and all(getattr(derniere, champ) == contenu[champ] for champ in Communique.CONTENU):
        return derniere
    version = (derniere.version if derniere else 0) + 1
    nouvelle = Communique.objects.create(
        seance=seance, genre=genre, version=version, cree_par=by, **contenu
    )
    if genre == Communique.Genre.AVIS_MEDIAS:
        journal.record(
            Nature.AVIS_MEDIAS_VERSION, seance, par=by, detail=f"avis aux médias, version {version}"
        )
    else:
        journal.record(Nature.COMMUNIQUE_VERSION, seance, par=by, detail=f"version {version}")
    return nouvelle


# --- Periodic reminders -----------------------------------------------------------------


def rappeler_convocations(base_url: str | None = None) -> int:
    """Remind invitees who have not answered, a few days before; once each (idempotent)."""
    base_url = base_url or settings.SITE_URL
    now = timezone.now()
    horizon = now + timedelta(days=settings.COMITES_RAPPEL_JOURS)
    envoyes = 0
    a_rappeler = Convocation.objects.filter(
        seance__statut=S.CONVOQUEE,
        seance__debut__gt=now,
        seance__debut__lte=horizon,
        reponse=R.ATTENTE,
        envoyee_le__isnull=False,
        rappel_le__isnull=True,
    ).select_related("seance__instance__departement", "personne")
    for convocation in a_rappeler:
        with transaction.atomic():
            _envoyer(convocation, base_url, "rappel")
        envoyes += 1
    return envoyes


def relancer_comptes_rendus(base_url: str | None = None) -> int:
    """Remind the organiser of a séance held some days ago and still without minutes."""
    base_url = base_url or settings.SITE_URL
    limite = timezone.now() - timedelta(days=settings.COMITES_COMPTE_RENDU_JOURS)
    seances = Seance.objects.filter(
        statut__in=(S.TENUE, S.CLOSE),
        fin__lte=limite,
        compte_rendu="",
        relance_compte_rendu_le__isnull=True,
    ).select_related("instance", "organisateur")
    n = 0
    for seance in seances:
        with transaction.atomic():
            lien = base_url.rstrip("/") + seance.get_absolute_url()
            corps = render_to_string(
                "comites/emails/relance_compte_rendu.txt", {"seance": seance, "lien": lien}
            )
            enqueue(
                send_email, f"Compte rendu attendu : {seance}", corps, [seance.organisateur.email]
            )
            seance.relance_compte_rendu_le = timezone.now()
            seance.save(update_fields=["relance_compte_rendu_le"])
        n += 1
    return n
