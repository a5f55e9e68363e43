"""The follow-up of an adopted action: its progress, milestones, indicator values,
amounts paid and yearly bilans. Its execution status moves through the one door of every
status move, `circuit.changer_statut()`.

None of this is a feuille's content: it goes on after the feuille is signed, so nothing
here calls `exiger_modifiable()`. Each operation checks the user's right itself (the
views check it first; a service may be called from elsewhere), refuses with a French
`ValidationError`, and journals what changed on the action's history.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actions import access
from actions.journal import Nature
from actions.models import Action, Axe, BilanAnnuel, Financement, Indicateur, Jalon, Mesure
from integration import journal
from integration.text import date_courte


def _exiger(user, verbe: str, action: Action) -> None:
    if not access.can(user, verbe, action):
        raise PermissionDenied


def exiger_annee_de_la_periode(action_ou_axe, annee: int) -> None:
    feuille = action_ou_axe.feuille
    if not feuille.annee_debut <= annee <= feuille.annee_fin:
        raise ValidationError(
            f"L'année {annee} est hors de la période de la feuille de route ({feuille.periode})."
        )


@transaction.atomic
def enregistrer_avancement(action: Action, avancement: int, *, by) -> None:
    _exiger(by, "suivre", action)
    if not 0 <= avancement <= 100:
        raise ValidationError("L'avancement est un pourcentage, de 0 à 100.")
    avant = action.avancement
    if avant == avancement:
        return
    action.avancement = avancement
    action.save(update_fields=["avancement", "modifie_le"])
    journal.record(
        Nature.SUIVI_AVANCEMENT,
        action,
        par=by,
        changements=journal.changement("Avancement", f"{avant} %", f"{avancement} %", "avancement"),
    )


@transaction.atomic
def marquer_jalon(jalon: Jalon, atteint_le: date | None, *, by) -> None:
    """Record that JALON was reached on ATTEINT_LE (None: not reached after all)."""
    _exiger(by, "suivre", jalon.action)
    if atteint_le and atteint_le > timezone.localdate():
        raise ValidationError(f"Le jalon « {jalon.libelle} » ne peut pas être atteint demain.")
    avant = jalon.atteint_le
    if avant == atteint_le:
        return
    jalon.atteint_le = atteint_le
    jalon.save(update_fields=["atteint_le"])
    journal.record(
        Nature.SUIVI_JALON,
        jalon.action,
        par=by,
        changements=journal.changement(
            jalon.libelle, _date(avant), _date(atteint_le), f"jalon_{jalon.pk}"
        ),
    )


def _date(jour: date | None) -> str:
    return date_courte(jour) if jour else "non atteint"


def saisir_mesure(indicateur: Indicateur, annee: int, valeur: Decimal | None, *, by) -> bool:
    """Set INDICATEUR's value for ANNEE (None: no change). Whether anything changed."""
    with transaction.atomic():
        _exiger(by, "suivre", indicateur.action)
        return _saisir_mesure(indicateur, annee, valeur, by=by)


def _saisir_mesure(indicateur: Indicateur, annee: int, valeur, *, by) -> bool:
    if valeur is None:
        return False
    exiger_annee_de_la_periode(indicateur.action, annee)
    if valeur < 0:
        raise ValidationError(f"La valeur de « {indicateur.libelle} » ne peut pas être négative.")
    mesure = Mesure.objects.filter(indicateur=indicateur, annee=annee).first()
    avant = mesure.valeur if mesure else None
    if avant == valeur:
        return False
    Mesure.objects.update_or_create(
        indicateur=indicateur,
        annee=annee,
        defaults={"valeur": valeur, "saisie_par": by, "saisie_le": timezone.now()},
    )
    journal.record(
        Nature.SUIVI_MESURE,
        indicateur.action,
        par=by,
        changements=journal.changement(
            f"{indicateur.libelle} ({annee})",
            "" if avant is None else str(avant),
            str(valeur),
            f"indicateur_{indicateur.pk}_{annee}",
        ),
    )
    return True


@transaction.atomic
def saisir_mesures(valeurs, *, by) -> int:
    """(indicator, year, value) triples of one screen: all written, or none."""
    return sum(
        saisir_mesure(indicateur, annee, valeur, by=by) for indicateur, annee, valeur in valeurs
    )


@transaction.atomic
def marquer_jalons(dates, *, by) -> None:
    for jalon, atteint_le in dates:
        marquer_jalon(jalon, atteint_le, by=by)


@transaction.atomic
def enregistrer_versements(montants, *, by) -> None:
    for financement, montant_verse in montants:
        enregistrer_versement(financement, montant_verse, by=by)


@transaction.atomic
def importer_mesures(valeurs: list[tuple[int, int, Decimal]], *, by) -> int:
    """Write (indicator id, year, value) triples checked by a preview: all or none.

    Rights are checked again here, against the database as it is now: someone may have
    lost their membership between the preview and the confirmation."""
    permises = access.actions_suivies_par(by)
    indicateurs = Indicateur.objects.filter(
        pk__in={pk for pk, _annee, _valeur in valeurs}, action__in=permises
    ).select_related("action__feuille")
    par_pk = {indicateur.pk: indicateur for indicateur in indicateurs}
    changees = 0
    for pk, annee, valeur in valeurs:
        if pk not in par_pk:
            raise ValidationError(
                f"L'indicateur n° {pk} n'est plus de ceux que vous suivez : rien n'a été importé."
            )
        changees += _saisir_mesure(par_pk[pk], annee, valeur, by=by)
    return changees


@transaction.atomic
def enregistrer_versement(financement: Financement, montant_verse: Decimal | None, *, by) -> None:
    _exiger(by, "verser", financement.action)
    if montant_verse is not None:
        if montant_verse < 0:
            raise ValidationError("Le montant versé ne peut pas être négatif.")
        if financement.montant_accorde is None:
            raise ValidationError(
                f"Aucun montant n'a été accordé pour « {financement} » : rien ne peut être versé."
            )
        if montant_verse > financement.montant_accorde:
            raise ValidationError(
                f"Le montant versé pour « {financement} » dépasse le montant accordé."
            )
    avant = financement.montant_verse
    if avant == montant_verse:
        return
    financement.montant_verse = montant_verse
    financement.save(update_fields=["montant_verse"])
    journal.record(
        Nature.SUIVI_VERSEMENT,
        financement.action,
        par=by,
        changements=journal.changement(
            f"Versé – {financement}",
            "" if avant is None else str(avant),
            "" if montant_verse is None else str(montant_verse),
            f"financement_{financement.pk}",
        ),
    )


@transaction.atomic
def enregistrer_bilan(
    *, action: Action | None = None, axe: Axe | None = None, annee: int, by, **textes
) -> BilanAnnuel:
    """Write the bilan of ACTION (its followers) or of AXE (pilotage) for ANNEE."""
    if action is not None:
        _exiger(by, "suivre", action)
        cible, racine = {"action": action}, action
    else:
        access.exiger(by, "rediger_bilan_axe", axe.feuille.departement_id)
        cible, racine = {"axe": axe}, axe
    exiger_annee_de_la_periode(racine, annee)
    if not textes.get("realisations", "").strip():
        raise ValidationError("Décrivez les réalisations de l'année.")
    bilan, cree = BilanAnnuel.objects.update_or_create(
        **cible, annee=annee, defaults={**textes, "redige_par": by}
    )
    journal.record(
        Nature.SUIVI_BILAN,
        racine,
        par=by,
        detail=f"Bilan {annee} {'rédigé' if cree else 'mis à jour'}.",
    )
    return bilan
