"""Operations on the actors' registry that touch several models or notify someone.

Views parse the request and call one of these; each records who did what in the journal
(integration.journal), inside the same transaction, and sends its e-mails only once the
transaction has committed.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from acteurs import access
from acteurs.journal import Nature
from acteurs.models import Acteur, Departement, Habilitation, Invitation, Membre, User
from integration import journal
from integration.jetons import empreinte, nouveau_jeton
from integration.locks import lock_row, reload_locked
from integration.models import OutboxTask
from integration.outbox import enqueue
from integration.tasks import send_email

# --- Actors -----------------------------------------------------------------------------

# The fields of an actor's record that people edit, and that its history follows.
CHAMPS_ACTEUR = [
    "type",
    "nom",
    "sigle",
    "siret",
    "adresse",
    "code_postal",
    "commune",
    "telephone",
    "courriel",
    "site_web",
    "reseaux",
    "description",
]


@transaction.atomic
def creer_acteur(departement, data: dict, *, by: User) -> Acteur:
    """Pilotage creates a validated actor; a partner's creation is a proposal to moderate.
    The département's row is locked first: the same form sent twice at once (a double
    click, two tabs) waits here, then meets the first one's actor and is refused as the
    form refuses a duplicate (its checks ran before either was saved)."""
    lock_row(Departement, departement.pk)
    _refuser_un_doublon(departement, data, by)
    data = dict(data)
    reseaux = data.pop("reseaux", [])
    acteur = Acteur(departement=departement, **data)
    if not access.peut(by, "creer_acteur", departement):
        acteur.statut = Acteur.Statut.EN_ATTENTE
        acteur.propose_par = by
    acteur.save()
    acteur.reseaux.set(reseaux)
    journal.record(_nature_de_creation(acteur), acteur, par=by, changements=_tout_neuf(acteur))
    if acteur.statut == Acteur.Statut.EN_ATTENTE:
        _notifier_pilotage_proposition(acteur)
    return acteur


def _refuser_un_doublon(departement, data: dict, by: User) -> None:
    """The form's duplicate rules (acteurs.forms.ActeurForm), told without naming what BY
    may not see: the same SIRET in the département, the same name among what BY reads."""
    memes = Acteur.objects.filter(departement=departement)
    if data.get("siret") and memes.filter(siret=data["siret"]).exists():
        raise ValidationError("Un acteur de ce département porte déjà ce SIRET.")
    homonymes = memes.filter(nom__iexact=data["nom"]).exclude(statut=Acteur.Statut.REJETE)
    if access.acteurs_visible_to(by).filter(pk__in=homonymes.values("pk")).exists():
        raise ValidationError("Un acteur de ce nom existe déjà dans le département.")


def _nature_de_creation(acteur: Acteur) -> str:
    if acteur.statut == Acteur.Statut.VALIDE:
        return Nature.ACTEUR_CREATION
    return Nature.ACTEUR_PROPOSITION


def _tout_neuf(acteur: Acteur) -> dict:
    """A new actor's history entry: every field, from nothing to its value."""
    return journal.changements(acteur, dict.fromkeys(CHAMPS_ACTEUR, ""))


@transaction.atomic
def importer_acteurs(departement, fiches: list[dict], *, by: User) -> list[Acteur]:
    """Create the validated actors of FICHES (cleaned data, `reseaux` as Reseau objects).

    An import is pilotage's: nothing to moderate, nobody to notify. Actors, their networks
    and their history go in by bulk, so 2,000 rows cost a handful of queries, not thousands.
    """
    access.exiger(by, "importer_acteurs", departement)
    paires = []
    for fiche in fiches:
        data = dict(fiche)
        reseaux = data.pop("reseaux", [])
        paires.append((Acteur(departement=departement, **data), reseaux))
    acteurs = Acteur.objects.bulk_create([acteur for acteur, _ in paires])
    Lien = Acteur.reseaux.through
    Lien.objects.bulk_create(
        Lien(acteur_id=acteur.pk, reseau_id=reseau.pk)
        for acteur, reseaux in paires
        for reseau in reseaux
    )
    prefetch_related_objects(acteurs, "reseaux")  # one query, whatever their number
    journal.record_many(
        journal.evenement(Nature.ACTEUR_CREATION, acteur, par=by, changements=_tout_neuf(acteur))
        for acteur in acteurs
    )
    return acteurs


@transaction.atomic
def modifier_acteur(acteur: Acteur, data: dict, *, by: User) -> dict:
    """Apply DATA (cleaned form data) and record the changed fields; returns them."""
    # Read the stored values: a ModelForm has already copied its data onto ACTEUR.
    avant = journal.photo(Acteur.objects.get(pk=acteur.pk), CHAMPS_ACTEUR)
    reseaux = data.pop("reseaux", None)
    for champ, valeur in data.items():
        setattr(acteur, champ, valeur)
    acteur.save()
    if reseaux is not None:
        acteur.reseaux.set(reseaux)
    changements = journal.changements(acteur, avant)
    if changements:
        journal.record(Nature.ACTEUR_MODIFICATION, acteur, par=by, changements=changements)
    return changements


@transaction.atomic
def archiver_acteur(acteur: Acteur, *, by: User) -> None:
    reload_locked(acteur)
    if acteur.est_archive:
        raise ValidationError("Cet acteur est déjà archivé.")
    if acteur.statut != Acteur.Statut.VALIDE:
        raise ValidationError("Seul un acteur validé peut être archivé.")
    acteur.archive_le, acteur.archive_par = timezone.now(), by
    acteur.save(update_fields=["archive_le", "archive_par", "modifie_le"])
    journal.record(Nature.ACTEUR_ARCHIVAGE, acteur, par=by)


@transaction.atomic
def restaurer_acteur(acteur: Acteur, *, by: User) -> None:
    reload_locked(acteur)
    if not acteur.est_archive:
        raise ValidationError("Cet acteur n'est pas archivé.")
    acteur.archive_le, acteur.archive_par = None, None
    acteur.save(update_fields=["archive_le", "archive_par", "modifie_le"])
    journal.record(Nature.ACTEUR_RESTAURATION, acteur, par=by)


@transaction.atomic
def valider_proposition(acteur: Acteur, *, by: User) -> None:
    reload_locked(acteur)
    _verifier_en_attente(acteur)
    acteur.statut, acteur.modere_par, acteur.modere_le = Acteur.Statut.VALIDE, by, timezone.now()
    acteur.save(update_fields=["statut", "modere_par", "modere_le", "modifie_le"])
    journal.record(Nature.ACTEUR_VALIDATION, acteur, par=by)
    _notifier_proposant(acteur, "acteurs/emails/proposition_validee.txt")


@transaction.atomic
def rejeter_proposition(acteur: Acteur, *, by: User, motif: str) -> None:
    reload_locked(acteur)
    _verifier_en_attente(acteur)
    motif = (motif or "").strip()
    if not motif:
        raise ValidationError("Indiquez le motif du rejet : il sera communiqué au proposant.")
    acteur.statut, acteur.modere_par, acteur.modere_le = Acteur.Statut.REJETE, by, timezone.now()
    acteur.motif_rejet = motif
    acteur.save(update_fields=["statut", "modere_par", "modere_le", "motif_rejet", "modifie_le"])
    journal.record(Nature.ACTEUR_REJET, acteur, par=by, detail=motif)
    _notifier_proposant(acteur, "acteurs/emails/proposition_rejetee.txt")


def _verifier_en_attente(acteur: Acteur) -> None:
    if acteur.statut != Acteur.Statut.EN_ATTENTE:
        raise ValidationError("Cette proposition a déjà été traitée.")


def _notifier_pilotage_proposition(acteur: Acteur) -> None:
    destinataires = list(
        User.objects.filter(
            is_active=True,
            habilitations__departement=acteur.departement,
            habilitations__role=Habilitation.Role.PILOTAGE,
            habilitations__actif=True,
        ).values_list("email", flat=True)
    )
    if destinataires:
        corps = render_to_string("acteurs/emails/proposition_recue.txt", {"acteur": acteur})
        sujet = f"Nouvel acteur proposé : {acteur.nom}"
        enqueue(send_email, sujet, corps, destinataires)


def _notifier_proposant(acteur: Acteur, template: str) -> None:
    if acteur.propose_par and acteur.propose_par.is_active:
        corps = render_to_string(template, {"acteur": acteur})
        decision = "validée" if acteur.statut == Acteur.Statut.VALIDE else "rejetée"
        sujet = f"Votre proposition « {acteur.nom} » a été {decision}"
        enqueue(send_email, sujet, corps, [acteur.propose_par.email])


# --- Département-wide roles and tenants ----------------------------------------------------

# The fields of a département that onboarding sets, and that its history follows.
CHAMPS_DEPARTEMENT = [
    "code",
    "nom",
    "titre_prefet",
    "chef_lieu",
    "adresse",
    "contact_presse_service",
    "contact_presse_telephone",
    "contact_presse_courriel",
    "site_web",
]

# What the département's own pilotage keeps up to date for its press releases.
CHAMPS_CONTACTS_PRESSE = [
    "contact_presse_service",
    "contact_presse_telephone",
    "contact_presse_courriel",
    "adresse",
    "site_web",
]


@transaction.atomic
def enregistrer_contacts_presse(departement: Departement, donnees: dict, *, by: User) -> dict:
    """Change the press contacts, the address and the website; journalled like onboarding.

    The row is locked and read again first, so two tabs saving at once both journal
    against what the other left."""
    # Read again under lock (the request's département may be a lazy object).
    departement = Departement.objects.select_for_update().get(pk=departement.pk)
    for champ in CHAMPS_CONTACTS_PRESSE:
        setattr(departement, champ, donnees[champ])
    departement.full_clean()
    return enregistrer_departement(departement, by=by)


@transaction.atomic
def enregistrer_departement(departement: Departement, *, by: User) -> dict:
    """Save DEPARTEMENT as a form left it and journal its creation or its changed fields."""
    stocke = Departement.objects.filter(pk=departement.pk).first() if departement.pk else None
    avant = journal.photo(stocke, CHAMPS_DEPARTEMENT) if stocke else None
    departement.save()
    if avant is None:
        vide = dict.fromkeys(CHAMPS_DEPARTEMENT, "")
        changements = journal.changements(departement, vide)
        journal.record(Nature.DEPARTEMENT_CREATION, departement, par=by, changements=changements)
        return changements
    changements = journal.changements(departement, avant)
    if changements:
        journal.record(
            Nature.DEPARTEMENT_MODIFICATION, departement, par=by, changements=changements
        )
    return changements


# What the technical administration may change on an account beyond its identity: who may
# log in, reach the administration, and bypass every rule. Each change is journalled.
DROITS_TECHNIQUES = ["is_active", "is_staff", "is_superuser"]


@transaction.atomic
def enregistrer_compte(user: User, *, by: User) -> dict:
    """Save USER as the administration's form left it; journal any change of its rights.

    A new account is compared with a default one, so granting staff or superuser at
    creation is journalled as well.
    """
    stocke = User.objects.filter(pk=user.pk).first() if user.pk else None
    avant = journal.photo(stocke or User(), DROITS_TECHNIQUES)
    user.save()
    changements = journal.changements(user, avant)
    if changements:
        journal.record(Nature.COMPTE_DROITS, user, par=by, changements=changements)
    return changements


def refus_de_portee(perimetre: str, role: str) -> str:
    """Why ROLE cannot cover PERIMETRE, in French; empty when it can. The database's
    constraint (`habilitation_perimetre_coherent`) says the same."""
    if perimetre == Habilitation.Perimetre.REGION and role not in Habilitation.ROLES_REGIONAUX:
        return "Une région : lecteurs et cabinet du préfet de région seulement."
    if perimetre == Habilitation.Perimetre.FRANCE and role not in Habilitation.ROLES_NATIONAUX:
        return "Toute la France : lecteurs seulement."
    return ""


@transaction.atomic
def habiliter(
    user: User,
    departement: Departement | None,
    role: str,
    *,
    by: User | None,
    perimetre: str = Habilitation.Perimetre.DEPARTEMENT,
    region: str = "",
) -> Habilitation:
    """Give USER the ROLE over a département (for a reader or a cabinet, a région; for a
    reader, all of France): a new habilitation, a reactivation or a new role."""
    if role not in Habilitation.Role.values:
        raise ValidationError(f"Rôle départemental inconnu : {role}.")
    refus = refus_de_portee(perimetre, role)
    if refus:
        raise ValidationError(refus)
    portee = {"perimetre": perimetre, "departement": departement, "region": region}
    habilitation = Habilitation.objects.select_for_update().filter(user=user, **portee).first()
    if habilitation is None:
        habilitation = Habilitation.objects.create(user=user, role=role, **portee)
        nature, avant = Nature.HABILITATION_OCTROI, ""
    elif not habilitation.actif:
        nature, avant = Nature.HABILITATION_REACTIVATION, "retirée"
    elif habilitation.role != role:
        nature, avant = Nature.HABILITATION_ROLE, habilitation.get_role_display()
    else:
        return habilitation
    habilitation.role, habilitation.actif = role, True
    habilitation.save()
    changements = journal.changement("rôle", avant, habilitation.get_role_display(), champ="role")
    journal.record(nature, habilitation, par=by, changements=changements, racine=user)
    access.forget_profil(user)
    return habilitation


@transaction.atomic
def retirer_habilitation(habilitation: Habilitation, *, by: User | None) -> None:
    """Deactivate a département-wide role; the row stays, as the journal points to it."""
    if not habilitation.actif:
        raise ValidationError("Cette habilitation est déjà retirée.")
    habilitation.actif = False
    habilitation.save(update_fields=["actif"])
    changements = journal.changement("statut", "active", "retirée", champ="actif")
    journal.record(
        Nature.HABILITATION_RETRAIT,
        habilitation,
        par=by,
        changements=changements,
        racine=habilitation.user,
    )
    access.forget_profil(habilitation.user)


# --- Members ----------------------------------------------------------------------------


@transaction.atomic
def ajouter_membre(acteur: Acteur, user: User, role: str, *, by: User | None) -> Membre:
    """Add USER to ACTEUR, or reactivate their old membership with the new role."""
    membre = Membre.objects.filter(user=user, acteur=acteur).first()
    if membre is None:
        membre = Membre.objects.create(user=user, acteur=acteur, role=role)
        journal.record(
            Nature.MEMBRE_AJOUT, membre, par=by, changements=_role_change("", membre), racine=acteur
        )
    elif not membre.actif or membre.role != role:
        avant = membre.get_role_display() if membre.actif else "inactif"
        membre.actif, membre.desactive_le, membre.desactive_par = True, None, None
        membre.role = role
        membre.save()
        changements = _role_change(avant, membre)
        journal.record(
            Nature.MEMBRE_REACTIVATION, membre, par=by, changements=changements, racine=acteur
        )
    access.forget_profil(user)
    return membre


def _role_change(avant: str, membre: Membre) -> dict:
    return journal.changement("rôle", avant, membre.get_role_display(), champ="role")


@transaction.atomic
def changer_role_membre(membre: Membre, role: str, *, by: User) -> None:
    _verrouiller_structure(membre)
    if not membre.actif:
        raise ValidationError("Ce membre est désactivé : réactivez-le d'abord.")
    avant = membre.get_role_display()
    if membre.role == role:
        return
    _verifier_reste_un_administrateur(membre, nouveau_role=role)
    membre.role = role
    membre.save(update_fields=["role"])
    changements = _role_change(avant, membre)
    journal.record(
        Nature.MEMBRE_ROLE, membre, par=by, changements=changements, racine=membre.acteur
    )


@transaction.atomic
def desactiver_membre(membre: Membre, *, by: User) -> None:
    _verrouiller_structure(membre)
    if not membre.actif:
        raise ValidationError("Ce membre est déjà désactivé.")
    _verifier_reste_un_administrateur(membre, nouveau_role=None)
    membre.actif, membre.desactive_le, membre.desactive_par = False, timezone.now(), by
    membre.save(update_fields=["actif", "desactive_le", "desactive_par"])
    changement = journal.changement("statut", "actif", "désactivé", champ="actif")
    journal.record(
        Nature.MEMBRE_DESACTIVATION, membre, par=by, changements=changement, racine=membre.acteur
    )


def _verrouiller_structure(membre: Membre) -> None:
    """Lock MEMBRE's structure, then read MEMBRE again: changes to one structure's members
    pass one at a time, so two administrators removing each other at once cannot leave it
    without any, and a second tab's same click sees the first one's result."""
    lock_row(Acteur, membre.acteur_id)
    reload_locked(membre)


def _verifier_reste_un_administrateur(membre: Membre, nouveau_role) -> None:
    """A structure keeps at least one administrator once it has had one."""
    if membre.role != Membre.Role.ADMINISTRATEUR or nouveau_role == Membre.Role.ADMINISTRATEUR:
        return
    autres = membre.acteur.membres.filter(actif=True, role=Membre.Role.ADMINISTRATEUR).exclude(
        pk=membre.pk
    )
    if not autres.exists():
        raise ValidationError(
            "C'est le dernier administrateur de la structure : nommez-en un autre d'abord."
        )


# --- Invitations ------------------------------------------------------------------------


@transaction.atomic
def inviter(
    departement,
    email: str,
    *,
    by: User,
    base_url: str,
    acteur=None,
    role_membre="",
    role_departemental="",
) -> Invitation:
    """Invite EMAIL to join ACTEUR with ROLE_MEMBRE, or the département with a staff role.

    The structure's row (the département's for its staff) is locked first: the same
    invitation sent from two tabs at once is created once, and the second tab is told."""
    email = email.strip().lower()
    if acteur:
        lock_row(Acteur, acteur.pk)
    else:
        lock_row(Departement, departement.pk)
    deja = Invitation.objects.en_cours().filter(email=email, departement=departement, acteur=acteur)
    if deja.exists():
        raise ValidationError(
            "Une invitation est déjà en cours pour cette adresse : renvoyez-la plutôt."
        )
    if acteur and Membre.objects.filter(acteur=acteur, user__email__iexact=email, actif=True):
        raise ValidationError("Cette personne est déjà membre active de la structure.")
    jeton, jeton_hash = nouveau_jeton()
    now = timezone.now()
    invitation = Invitation.objects.create(
        departement=departement,
        email=email,
        acteur=acteur,
        role_membre=role_membre,
        role_departemental=role_departemental,
        jeton_hash=jeton_hash,
        invite_par=by,
        envoyee_le=now,
        expire_le=now + Invitation.DUREE,
    )
    journal.record(Nature.INVITATION_ENVOI, invitation, par=by, racine=acteur or departement)
    invitation.envoi = _envoyer_invitation(invitation, jeton, base_url)
    invitation.save(update_fields=["envoi"])
    return invitation


@transaction.atomic
def renvoyer_invitation(
    invitation: Invitation, *, by: User, base_url: str, envoi: int | None = None
) -> OutboxTask:
    """A new link, valid for another 14 days; the old link stops working.

    ENVOI is the number of sendings the user saw when clicking (the form carries it): the
    same click from a second tab finds it already passed, and is told so instead of
    sending a second e-mail that would kill the link the first one just sent."""
    reload_locked(invitation)
    if envoi is not None and envoi != invitation.nb_envois:
        raise ValidationError(
            "Cette invitation vient d'être renvoyée : le dernier courriel envoyé "
            "contient le lien valable."
        )
    if invitation.acceptee_le or invitation.revoquee_le:
        raise ValidationError(
            f"Cette invitation est {invitation.statut} : elle ne peut être renvoyée."
        )
    jeton, invitation.jeton_hash = nouveau_jeton()
    invitation.envoyee_le = timezone.now()
    invitation.expire_le = invitation.envoyee_le + Invitation.DUREE
    invitation.nb_envois += 1
    invitation.envoi = _envoyer_invitation(invitation, jeton, base_url)
    invitation.save(update_fields=["jeton_hash", "envoyee_le", "expire_le", "nb_envois", "envoi"])
    return invitation.envoi


@transaction.atomic
def revoquer_invitation(invitation: Invitation, *, by: User) -> None:
    reload_locked(invitation)
    if not invitation.est_utilisable:
        raise ValidationError(f"Cette invitation est {invitation.statut} : rien à révoquer.")
    invitation.revoquee_le = timezone.now()
    invitation.save(update_fields=["revoquee_le"])
    racine = invitation.acteur or invitation.departement
    journal.record(Nature.INVITATION_REVOCATION, invitation, par=by, racine=racine)


def _envoyer_invitation(invitation: Invitation, jeton: str, base_url: str) -> OutboxTask:
    """Queue the e-mail carrying the link; the returned row tells whether it really left."""
    lien = base_url.rstrip("/") + reverse("acteurs:invitation_accepter", args=[jeton])
    corps = render_to_string(
        "acteurs/emails/invitation.txt", {"invitation": invitation, "lien": lien}
    )
    cible = invitation.acteur or invitation.departement
    sujet = f"Invitation à rejoindre {cible} sur la plateforme Stratégie d'intégration"
    return enqueue(send_email, sujet, corps, [invitation.email])


def invitation_par_jeton(jeton: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("acteur", "departement")
        .filter(jeton_hash=empreinte(jeton))
        .first()
    )


def compte_invite(invitation: Invitation) -> User | None:
    """The account already opened with the invited address, if any."""
    return User.objects.filter(email__iexact=invitation.email).first()


@transaction.atomic
def accepter_invitation_avec_nouveau_compte(
    invitation: Invitation, *, mot_de_passe: str, prenom: str, nom: str
) -> User:
    """Open the invited person's account and accept INVITATION with it, both or neither:
    a refused invitation (revoked, expired, accepted in another tab) leaves no account."""
    user = User.objects.create_user(
        invitation.email, mot_de_passe, first_name=prenom, last_name=nom
    )
    return accepter_invitation(invitation, user)


@transaction.atomic
def accepter_invitation(invitation: Invitation, user: User) -> User:
    """Turn the invitation into a membership or a habilitation for USER, who joined."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.est_utilisable:
        raise ValidationError(f"Cette invitation est {invitation.statut}.")
    if user.email.lower() != invitation.email.lower():
        raise ValidationError("Cette invitation a été adressée à une autre adresse électronique.")
    if invitation.acteur:
        ajouter_membre(invitation.acteur, user, invitation.role_membre, by=user)
    else:
        habiliter(user, invitation.departement, invitation.role_departemental, by=user)
    invitation.acceptee_le = timezone.now()
    invitation.save(update_fields=["acceptee_le"])
    return user
