"""New versions of a feuille de route, and the carry-over at signing: the actions still
pending when the cabinet signs leave the frozen version for the next one's draft.

Both copy or move rows in a fixed number of queries, however many actions.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.template.loader import render_to_string

from actions import agregats
from actions.journal import Nature
from actions.models import (
    Action,
    Axe,
    FeuilleDeRoute,
    Financement,
    Indicateur,
    Jalon,
    Partenariat,
)
from actions.services.circuit import cote_porteur_de
from integration import journal
from integration.outbox import enqueue
from integration.tasks import send_email

F = FeuilleDeRoute.Statut
CHAMPS_FEUILLE = ["titre", "annee_debut", "annee_fin", "depot_ouvert_le", "depot_clos_le"]


@transaction.atomic
def nouvelle_version(feuille: FeuilleDeRoute, *, by) -> FeuilleDeRoute:
    """Copy FEUILLE, its axes and its actions with everything they carry, into a draft of
    the next version; each copied action points back (`copiee_de`). A fixed number of
    queries, however many actions."""
    return _creer_version(feuille, by=by, actions=feuille.actions.all())


def _creer_version(feuille: FeuilleDeRoute, *, by, actions) -> FeuilleDeRoute:
    """The next version of FEUILLE, a draft with its axes and a copy of ACTIONS (a
    queryset of FEUILLE's actions)."""
    lignee = FeuilleDeRoute.objects.select_for_update().filter(
        departement=feuille.departement_id,
        annee_debut=feuille.annee_debut,
        annee_fin=feuille.annee_fin,
    )
    derniere = lignee.aggregate(m=Max("version"))["m"]
    if derniere != feuille.version:
        raise ValidationError(
            f"La version {derniere} existe déjà : c'est d'elle qu'on part pour une nouvelle."
        )
    copie = FeuilleDeRoute.objects.create(
        departement_id=feuille.departement_id,
        precedente=feuille,
        version=feuille.version + 1,
        cree_par=by,
        **{champ: getattr(feuille, champ) for champ in CHAMPS_FEUILLE},
    )
    axes = _copier_axes(feuille, copie)
    _copier_actions(actions, copie, axes)
    agregats.renouveler([feuille.departement_id])  # bulk copies send no signal
    journal.record(
        Nature.FEUILLE_NOUVELLE_VERSION,
        copie,
        par=by,
        detail=f"Copie de la version {feuille.version}",
    )
    return copie


def _copier_axes(feuille, copie) -> dict[int, Axe]:
    anciens = list(feuille.axes.all())
    nouveaux = Axe.objects.bulk_create(
        Axe(feuille=copie, ordre=a.ordre, code=a.code, libelle=a.libelle, description=a.description)
        for a in anciens
    )
    return {ancien.pk: nouveau for ancien, nouveau in zip(anciens, nouveaux, strict=True)}


ACTION_COPIEE = ["titre", "description", "objectifs", "porteur_id", "date_debut", "date_fin",
                 "statut", "soumise_le", "avancement", "cree_par_id"]  # fmt: skip


def _copier_actions(actions, copie, axes: dict[int, Axe]) -> None:
    """Copy ACTIONS (a queryset) into COPIE, on the axes AXES maps them to."""
    anciennes = list(
        actions.prefetch_related(
            "partenariats", "financements", "indicateurs", "jalons", "publics", "territoires"
        )
    )
    nouvelles = Action.objects.bulk_create(
        Action(
            feuille=copie,
            axe=axes[a.axe_id],
            copiee_de=a,
            **{champ: getattr(a, champ) for champ in ACTION_COPIEE},
        )
        for a in anciennes
    )
    paires = list(zip(anciennes, nouvelles, strict=True))
    _copier_lignes(paires, Partenariat, "partenariats", ["acteur_id", "role"])
    _copier_lignes(
        paires,
        Financement,
        "financements",
        ["source", "annee", "montant_demande", "montant_accorde", "montant_verse"],
    )
    _copier_lignes(paires, Indicateur, "indicateurs", ["libelle", "unite", "cible"])
    _copier_lignes(paires, Jalon, "jalons", ["libelle", "date_prevue", "atteint_le"])
    for relation, cle in (("publics", "publiccible_id"), ("territoires", "territoire_id")):
        through = getattr(Action, relation).through
        through.objects.bulk_create(
            through(action_id=nouvelle.pk, **{cle: objet.pk})
            for ancienne, nouvelle in paires
            for objet in getattr(ancienne, relation).all()
        )


def _copier_lignes(paires, modele, relation: str, champs: list[str]) -> None:
    modele.objects.bulk_create(
        modele(action=nouvelle, **{champ: getattr(ligne, champ) for champ in champs})
        for ancienne, nouvelle in paires
        for ligne in getattr(ancienne, relation).all()
    )


# --- Carry-over at signing --------------------------------------------------------------


@dataclass
class Report:
    """What signing did with the actions still pending: the version they continue in,
    the actions moved there, and the e-mails telling their porteurs (outbox rows)."""

    suivante: FeuilleDeRoute | None = None
    actions: list[Action] = field(default_factory=list)
    courriels: list = field(default_factory=list)


def en_attente(feuille: FeuilleDeRoute):
    """FEUILLE's actions not decided yet (draft, submitted, in review, to complete): the
    ones signing carries on into the next version."""
    return feuille.actions.filter(statut__in=Action.EN_ATTENTE)


def suivante_de(feuille: FeuilleDeRoute) -> FeuilleDeRoute | None:
    """The version after FEUILLE in its lineage, if one exists."""
    return FeuilleDeRoute.objects.filter(
        departement=feuille.departement_id,
        annee_debut=feuille.annee_debut,
        annee_fin=feuille.annee_fin,
        version=feuille.version + 1,
    ).first()


def exiger_suivante_ouverte(feuille: FeuilleDeRoute, suivante: FeuilleDeRoute | None) -> None:
    """Pending actions can only continue in a next version still being drafted."""
    if suivante is not None and suivante.statut not in (F.BROUILLON, F.CONSULTATION):
        raise ValidationError(
            f"La version {suivante.version} de cette feuille de route est déjà "
            f"« {suivante.get_statut_display().lower()} » : les actions en attente de la "
            f"version {feuille.version} ne peuvent plus y continuer. Signez d'abord la "
            "version la plus récente, ou décidez ces actions avant de signer."
        )


def reporter_en_attente(feuille: FeuilleDeRoute, *, by) -> Report:
    """Move FEUILLE's pending actions, before it is signed, into the draft of the next
    version (created with the adopted actions if there is none). Same rows: history,
    partners, funding and comments follow them. Call it inside the signing transaction,
    with FEUILLE's row locked, before its status changes (the freeze refuses after)."""
    actions = list(en_attente(feuille).select_related("axe", "porteur", "cree_par"))
    if not actions:
        return Report()
    suivante = suivante_de(feuille)
    exiger_suivante_ouverte(feuille, suivante)
    if suivante is None:
        suivante = _creer_version(feuille, by=by, actions=feuille.actions.adoptees())
    else:
        _retirer_copies(suivante, actions)
    axes = _axes_dans(suivante, {a.axe for a in actions})
    for action in actions:
        action.feuille, action.axe = suivante, axes[action.axe_id]
    Action.objects.bulk_update(actions, ["feuille", "axe"])
    agregats.renouveler([feuille.departement_id])  # nor does a bulk update
    _journaliser_report(feuille, suivante, actions, by)
    adresses = cote_porteur_de(actions)
    courriels = [_notifier_porteur(a, feuille, adresses[a.pk]) for a in actions]
    return Report(suivante, actions, courriels)


def _retirer_copies(suivante: FeuilleDeRoute, actions: list[Action]) -> None:
    """A next version made before signing already copied the pending actions: the
    originals, with their history, take their place. A copy someone has worked on
    (history, comments) is not thrown away: signing is refused, with its title."""
    for copie in suivante.actions.filter(copiee_de__in=actions):
        try:
            copie.delete()
        except ProtectedError as exc:
            raise ValidationError(
                f"La version {suivante.version} contient déjà une copie modifiée de "
                f"l'action « {copie.titre} » : l'action en attente ne peut y continuer. "
                "Décidez-la avant de signer."
            ) from exc


def _axes_dans(suivante: FeuilleDeRoute, axes: set[Axe]) -> dict[int, Axe]:
    """Each of AXES mapped to SUIVANTE's axe of the same code (else the same label),
    created at the end of its list when it has none."""
    existants = list(suivante.axes.all())
    par_code = {a.code: a for a in existants if a.code}
    par_libelle = {a.libelle.casefold(): a for a in existants}
    ordre = max((a.ordre for a in existants), default=0)
    resultat = {}
    for axe in sorted(axes, key=lambda a: a.ordre):
        cible = (axe.code and par_code.get(axe.code)) or par_libelle.get(axe.libelle.casefold())
        if cible is None:
            ordre += 1
            cible = Axe.objects.create(
                feuille=suivante, ordre=ordre, code=axe.code, libelle=axe.libelle,
                description=axe.description,
            )  # fmt: skip
        resultat[axe.pk] = cible
    return resultat


def _journaliser_report(feuille, suivante, actions, by) -> None:
    detail = f"Reportée à la version {suivante.version}"
    titres = ", ".join(f"« {a.titre} »" for a in actions)
    n = len(actions)
    s = "s" if n > 1 else ""
    journal.record_many(
        [
            journal.evenement(
                Nature.FEUILLE_REPORT, feuille, par=by,
                detail=f"{n} action{s} en attente reportée{s} "
                f"à la version {suivante.version} : {titres}",
            ),
            journal.evenement(
                Nature.FEUILLE_REPORT, suivante, par=by,
                detail=f"Reprend {n} action{s} en attente de la version "
                f"{feuille.version} : {titres}",
            ),
            *(journal.evenement(Nature.ACTION_REPORT, a, par=by, detail=detail) for a in actions),
        ]
    )  # fmt: skip


def _notifier_porteur(action: Action, signee: FeuilleDeRoute, adresses: list[str]):
    """Tell ACTION's porteur side (ADRESSES, those its review e-mails go to) that it
    carries on: one e-mail, one outbox row."""
    destinataires = sorted(set(adresses) - {""})
    if not destinataires:
        return None
    corps = render_to_string(
        "actions/emails/report.txt",
        {
            "action": action,
            "signee": signee,
            "lien": settings.SITE_URL.rstrip("/") + action.get_absolute_url(),
        },
    )
    sujet = f"Votre action « {action.titre} » continue dans la version {action.feuille.version}"
    return enqueue(send_email, sujet, corps, destinataires)
