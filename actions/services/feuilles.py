"""Feuilles de route: creation, editing, axes, steps, new versions, signature, consultation.

Each operation checks what the state allows, writes, journals on the feuille's history and
sends its e-mails after the commit (the outbox). Access (who) is the views' business, through
`actions.access`; what the state allows (when) is checked here, so no path skips it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone

from acteurs.models import Departement, Habilitation, User
from actions.access import verbe_etape
from actions.journal import Nature
from actions.models import (
    AXES_PAR_DEFAUT,
    Axe,
    CommentaireConsultation,
    FeuilleDeRoute,
)
from actions.services.versions import (
    CHAMPS_FEUILLE,
    Report,
    en_attente,
    nouvelle_version,  # noqa: F401 - the views reach it through this module
    reporter_en_attente,
)
from actions.verrou import exiger_modifiable
from integration import journal
from integration.locks import MEME_ENVOI, lock_row, reload_locked
from integration.outbox import enqueue
from integration.tasks import send_email

F = FeuilleDeRoute.Statut
# States in which the axes and the feuille's own fields may change.
EDITABLES = (F.BROUILLON, F.CONSULTATION)


def _exiger_editable(feuille: FeuilleDeRoute) -> None:
    exiger_modifiable(feuille)
    if feuille.statut not in EDITABLES:
        raise ValidationError(
            "Cette feuille de route est soumise au visa du cabinet : elle ne change plus. "
            "Créez-en une nouvelle version pour la modifier."
        )


def _verifier_periode(data: dict) -> None:
    debut, fin = data["annee_debut"], data["annee_fin"]
    if fin < debut:
        raise ValidationError("La dernière année ne peut précéder la première.")
    ouvert, clos = data.get("depot_ouvert_le"), data.get("depot_clos_le")
    if ouvert and clos and clos < ouvert:
        raise ValidationError("La clôture des dépôts ne peut précéder leur ouverture.")


# --- Creation and editing ---------------------------------------------------------------


@transaction.atomic
def creer_feuille(departement, *, by, **champs) -> FeuilleDeRoute:
    """A new feuille de route (version 1 of its period) with the default axes. The
    département's row is locked first: the same form sent twice at once waits here, then
    finds the first one's feuille (without the lock, it met the unique constraint: a 500)."""
    _verifier_periode(champs)
    lock_row(Departement, departement.pk)
    periode = {k: champs[k] for k in ("annee_debut", "annee_fin")}
    if FeuilleDeRoute.objects.filter(departement=departement, **periode).exists():
        raise ValidationError(
            "Une feuille de route existe déjà pour cette période : "
            "créez-en une nouvelle version depuis sa page."
        )
    feuille = FeuilleDeRoute.objects.create(departement=departement, cree_par=by, **champs)
    Axe.objects.bulk_create(
        Axe(feuille=feuille, ordre=i, code=code, libelle=libelle)
        for i, (code, libelle) in enumerate(AXES_PAR_DEFAUT, start=1)
    )
    journal.record(Nature.FEUILLE_CREATION, feuille, par=by)
    return feuille


@transaction.atomic
def modifier_feuille(feuille: FeuilleDeRoute, *, by, **champs) -> None:
    _exiger_editable(feuille)
    _verifier_periode(champs)
    autres = FeuilleDeRoute.objects.filter(
        departement=feuille.departement_id,
        annee_debut=champs["annee_debut"],
        annee_fin=champs["annee_fin"],
        version=feuille.version,
    ).exclude(pk=feuille.pk)
    if autres.exists():
        raise ValidationError("Une autre feuille de route porte déjà cette période.")
    avant = journal.photo(feuille, CHAMPS_FEUILLE)
    for champ, valeur in champs.items():
        setattr(feuille, champ, valeur)
    feuille.save()
    if diff := journal.changements(feuille, avant):
        journal.record(Nature.FEUILLE_MODIFICATION, feuille, par=by, changements=diff)


# --- Axes -------------------------------------------------------------------------------


def _verifier_libelle(feuille, libelle: str, sauf=None) -> None:
    doublons = feuille.axes.filter(libelle__iexact=libelle)
    if sauf is not None:
        doublons = doublons.exclude(pk=sauf.pk)
    if doublons.exists():
        raise ValidationError(f"Un axe s'appelle déjà « {libelle} ».")


@transaction.atomic
def ajouter_axe(feuille: FeuilleDeRoute, *, by, libelle: str, description: str = "") -> Axe:
    # The feuille's row locked: the same axe sent twice at once finds its label taken
    # (without the lock, the second met the unique constraint: a 500).
    reload_locked(feuille)
    _exiger_editable(feuille)
    _verifier_libelle(feuille, libelle)
    dernier = feuille.axes.aggregate(m=Max("ordre"))["m"] or 0
    axe = Axe.objects.create(
        feuille=feuille, ordre=dernier + 1, libelle=libelle, description=description
    )
    journal.record(Nature.FEUILLE_AXES, feuille, par=by, detail=f"Axe ajouté : {libelle}")
    return axe


@transaction.atomic
def modifier_axe(axe: Axe, *, by, libelle: str, description: str = "") -> None:
    _exiger_editable(axe.feuille)
    _verifier_libelle(axe.feuille, libelle, sauf=axe)
    diff = {}
    if axe.libelle != libelle:
        diff |= journal.changement("Libellé", axe.libelle, libelle, "libelle")
    if axe.description != description:
        diff |= journal.changement("Description", axe.description, description, "description")
    if not diff:
        return
    axe.libelle, axe.description = libelle, description
    axe.save(update_fields=["libelle", "description"])
    journal.record(
        Nature.FEUILLE_AXES, axe.feuille, par=by, changements=diff, detail=f"Axe {axe.ordre}"
    )


@transaction.atomic
def deplacer_axe(axe: Axe, *, by, sens: int) -> None:
    """Swap AXE with its neighbour above (sens=-1) or below (sens=+1)."""
    feuille = axe.feuille
    _exiger_editable(feuille)
    axes = list(feuille.axes.select_for_update().order_by("ordre"))
    i = next(i for i, a in enumerate(axes) if a.pk == axe.pk)
    j = i + sens
    if not 0 <= j < len(axes):
        raise ValidationError("Cet axe est déjà à cette extrémité de la liste.")
    axes[i], axes[j] = axes[j], axes[i]
    for ordre, a in enumerate(axes, start=1):
        a.ordre = ordre
    Axe.objects.bulk_update(axes, ["ordre"])
    journal.record(Nature.FEUILLE_AXES, feuille, par=by, detail=f"Axe déplacé : {axe.libelle}")


@transaction.atomic
def supprimer_axe(axe: Axe, *, by) -> None:
    feuille = axe.feuille
    _exiger_editable(feuille)
    if axe.actions.exists() or axe.commentaires.exists() or axe.bilans.exists():
        raise ValidationError(
            f"L'axe « {axe.libelle} » porte des actions ou des commentaires : "
            "il ne peut être retiré."
        )
    libelle = axe.libelle
    axe.delete()
    restants = list(feuille.axes.order_by("ordre"))
    for ordre, a in enumerate(restants, start=1):
        a.ordre = ordre
    Axe.objects.bulk_update(restants, ["ordre"])
    journal.record(Nature.FEUILLE_AXES, feuille, par=by, detail=f"Axe retiré : {libelle}")


# --- Steps and signature ----------------------------------------------------------------


# A second tab's signature finds the first one's done: told so, and sent to its document.
DEJA_SIGNEE = "deja_signee"


def _verrouiller(feuille: FeuilleDeRoute) -> None:
    """Lock FEUILLE's row until the commit and read its step again: the same click from a
    second tab waits here, then sees what the first one did instead of doing it twice."""
    feuille.statut = (
        FeuilleDeRoute.objects.select_for_update()
        .values_list("statut", flat=True)
        .get(pk=feuille.pk)
    )


@transaction.atomic
def changer_etape(feuille: FeuilleDeRoute, vers: str, *, by) -> list:
    """Take FEUILLE to step VERS. Asking the visa tells the cabinet by e-mail: returns
    those e-mails' outbox rows (none for the other steps). The row lock makes a second
    click wait and be refused, so the cabinet is told once."""
    _verrouiller(feuille)
    exiger_modifiable(feuille)
    if feuille.statut == vers:
        raise ValidationError(f"La feuille de route est déjà à l'étape « {F(vers).label} ».")
    if verbe_etape(feuille.statut, vers) is None:
        raise ValidationError("Cette étape n'est pas possible depuis l'étape actuelle.")
    _passer(feuille, vers, by=by)
    return _notifier_cabinet(feuille, by) if vers == F.VISA else []


def _habilites(departement, role) -> list[str]:
    """The e-mail addresses of the active accounts holding ROLE in DEPARTEMENT: through a
    habilitation of the département, or of its whole région (the préfet de région's
    cabinet)."""
    portee = Q(habilitations__departement=departement.pk)
    if departement.region:
        portee |= Q(
            habilitations__perimetre=Habilitation.Perimetre.REGION,
            habilitations__region=departement.region,
        )
    return list(
        User.objects.filter(
            portee,
            is_active=True,
            habilitations__role=role,
            habilitations__actif=True,
        )
        .exclude(email="")
        .distinct()
        .order_by("email")
        .values_list("email", flat=True)
    )


def _notifier_cabinet(feuille: FeuilleDeRoute, demandeur) -> list:
    """One e-mail to each member of the département's cabinet: the feuille awaits their
    visa and signature."""
    corps = render_to_string(
        "actions/emails/visa_demande.txt",
        {
            "feuille": feuille,
            "demandeur": demandeur,
            "lien": settings.SITE_URL.rstrip("/") + feuille.get_absolute_url(),
            "en_attente": en_attente(feuille).count(),
        },
    )
    sujet = f"Visa demandé : {feuille}"
    return [
        enqueue(send_email, sujet, corps, [email])
        for email in _habilites(feuille.departement, Habilitation.Role.CABINET)
    ]


def _passer(feuille: FeuilleDeRoute, vers: str, *, by, champs=()) -> None:
    avant = feuille.get_statut_display()
    feuille.statut = vers
    feuille.save(update_fields=["statut", "modifie_le", *champs])
    journal.record(
        Nature.FEUILLE_STATUT,
        feuille,
        par=by,
        changements=journal.changement("Étape", avant, feuille.get_statut_display(), "statut"),
    )


@transaction.atomic
def signer(feuille: FeuilleDeRoute, by, *, qualite: str) -> Report:
    """The cabinet's signature, with the signer's QUALITE as printed under it: from then on
    the version is frozen (actions.verrou). The actions still pending first leave it for
    the next version's draft (`reporter_en_attente`: the freeze would refuse it after),
    then status, who, when and qualité are written in one update, the last one the freeze
    lets through. Returns what was carried over."""
    _verrouiller(feuille)
    if feuille.est_signee:
        raise ValidationError("Cette feuille de route est déjà signée.", code=DEJA_SIGNEE)
    if feuille.statut != F.VISA:
        raise ValidationError("Seule une feuille de route soumise au visa peut être signée.")
    qualite = " ".join((qualite or "").split())
    if not qualite:
        raise ValidationError("Indiquez la qualité du signataire : elle figure sous la signature.")
    report = reporter_en_attente(feuille, by=by)
    feuille.signee_le, feuille.signee_par, feuille.signee_qualite = timezone.now(), by, qualite
    feuille.statut = F.SIGNEE
    feuille.save(
        update_fields=["statut", "signee_le", "signee_par", "signee_qualite", "modifie_le"]
    )
    journal.record(Nature.FEUILLE_SIGNATURE, feuille, par=by)
    return report


@transaction.atomic
def signer_et_sceller(feuille: FeuilleDeRoute, by, *, qualite: str):
    """Sign FEUILLE and, in the same transaction, ask for its signed PDF (the workers
    render and seal it after the commit). Returns that document's request and what was
    carried over to the next version."""
    from actions.documents import FEUILLE_SIGNEE
    from integration.documents.services import demander

    report = signer(feuille, by, qualite=qualite)
    return demander(FEUILLE_SIGNEE, feuille, by), report


# --- Consultation -----------------------------------------------------------------------


@transaction.atomic
def commenter(
    feuille: FeuilleDeRoute, *, by, au_nom_de, texte: str, axe=None, action=None
) -> CommentaireConsultation:
    """A partner's comment on an axe or an action of FEUILLE, in its consultation. The
    feuille's row is locked and read again: the consultation closed meanwhile refuses it,
    and the same comment sent twice at once (a double click, two tabs) is kept once, one
    e-mail to pilotage, the second told it is already sent."""
    reload_locked(feuille)
    if feuille.statut != F.CONSULTATION:
        raise ValidationError("La consultation de cette feuille de route est close.")
    cible = axe or action
    if cible is None or (axe and action) or cible.feuille_id != feuille.pk:
        raise ValidationError("Choisissez un axe ou une action de cette feuille de route.")
    if au_nom_de is not None and au_nom_de.departement_id != feuille.departement_id:
        raise ValidationError("Commentez au nom d'une structure de ce département.")
    texte = texte.strip()
    if not texte:
        raise ValidationError("Écrivez votre commentaire.")
    memes = CommentaireConsultation.objects.filter(
        feuille=feuille, axe=axe, action=action, auteur=by, au_nom_de=au_nom_de, texte=texte
    )
    if memes.filter(cree_le__gte=timezone.now() - MEME_ENVOI).exists():
        raise ValidationError("Ce commentaire est déjà transmis au service pilote.")
    commentaire = CommentaireConsultation.objects.create(
        feuille=feuille, axe=axe, action=action, auteur=by, au_nom_de=au_nom_de, texte=texte
    )
    journal.record(
        Nature.CONSULTATION_COMMENTAIRE, commentaire, par=by, racine=feuille, detail=texte
    )
    _notifier_pilotage(commentaire)
    return commentaire


@transaction.atomic
def repondre(commentaire: CommentaireConsultation, *, by, reponse: str, pris_en_compte: bool):
    """Pilotage answers a comment and says whether it is taken into account. Returns the
    outbox row of the e-mail telling its author, if one was sent. The comment's row is
    locked and read again, so the same answer sent from two tabs tells its author once."""
    reload_locked(commentaire)
    exiger_modifiable(commentaire.feuille)
    reponse = reponse.strip()
    if not reponse and not pris_en_compte:
        raise ValidationError(
            "Écrivez une réponse ou indiquez que le commentaire est pris en compte."
        )
    if (reponse or commentaire.reponse) == commentaire.reponse and (
        pris_en_compte == commentaire.pris_en_compte
    ):
        raise ValidationError("Cette réponse est déjà enregistrée.")
    deja = bool(commentaire.reponse)
    commentaire.pris_en_compte = pris_en_compte
    if reponse:
        commentaire.reponse, commentaire.repondu_par = reponse, by
        commentaire.repondu_le = timezone.now()
    commentaire.save()
    journal.record(
        Nature.CONSULTATION_REPONSE,
        commentaire,
        par=by,
        racine=commentaire.feuille,
        detail=reponse or "Pris en compte",
    )
    if reponse and not deja:
        return _notifier_auteur(commentaire)
    return None


def commentaires_de(action):
    """An action's consultation comments, for `actions/consultation/_commentaires.html`."""
    return action.commentaires.select_related("auteur", "au_nom_de", "repondu_par", "feuille")


def _cible(commentaire) -> str:
    if commentaire.action_id:
        return f"l'action « {commentaire.action.titre} »"
    return f"l'axe « {commentaire.axe.libelle} »"


def _notifier_pilotage(commentaire) -> None:
    feuille = commentaire.feuille
    destinataires = _habilites(feuille.departement, Habilitation.Role.PILOTAGE)
    if destinataires:
        corps = render_to_string(
            "actions/emails/commentaire_recu.txt",
            {"commentaire": commentaire, "cible": _cible(commentaire)},
        )
        sujet = f"Consultation : nouveau commentaire sur {feuille.titre}"
        enqueue(send_email, sujet, corps, destinataires)


def _notifier_auteur(commentaire):
    auteur = commentaire.auteur
    if not (auteur.is_active and auteur.email):
        return None
    corps = render_to_string(
        "actions/emails/commentaire_repondu.txt",
        {"commentaire": commentaire, "cible": _cible(commentaire)},
    )
    sujet = f"Consultation : réponse à votre commentaire sur {commentaire.feuille.titre}"
    return enqueue(send_email, sujet, corps, [auteur.email])
