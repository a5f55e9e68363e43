"""Context figures and territorial contracts: written by pilotage, journalled.

Neither is part of a feuille de route's content, so a signed feuille does not freeze them.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum

from acteurs.models import Departement
from actions import access
from actions.journal import Nature
from actions.models import Action, Avenant, Contrat, StatistiqueContexte
from integration import journal
from integration.locks import lock_row

CHAMPS_CONTRAT = [
    "type", "intitule", "signataire", "date_debut", "date_fin", "signe_le", "montant_etat",
    "montant_local", "actions",
]  # fmt: skip


def _nombre(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _exiger_les_parties_dans_leur_tout(departement, annee: int, valeurs: dict) -> None:
    """A part never exceeds its whole, whether both are typed now or one was stored before
    (« dont réfugiés » larger than the first permits would make every ratio absurd)."""
    connues = dict(
        StatistiqueContexte.objects.filter(departement=departement, annee=annee).values_list(
            "indicateur", "valeur"
        )
    )
    apres = {**connues, **{c: v for c, v in valeurs.items() if v is not None}}
    Indicateur = StatistiqueContexte.Indicateur
    for partie, tout in StatistiqueContexte.PARTIES.items():
        if partie in apres and tout in apres and apres[partie] > apres[tout]:
            raise ValidationError(
                f"« {Indicateur(partie).label} » ({_nombre(apres[partie])}) ne peut dépasser "
                f"« {Indicateur(tout).label.lower()} » ({_nombre(apres[tout])}) en {annee} : "
                "c'en est une partie. Corrigez l'un ou l'autre."
            )


@transaction.atomic
def saisir_statistiques(departement, annee: int, valeurs: dict, source: str, *, by) -> int:
    """Set the figures of VALEURS (indicator code -> int, None: left as is) for ANNEE."""
    access.exiger(by, "saisir_statistiques", departement)
    _exiger_les_parties_dans_leur_tout(departement, annee, valeurs)
    changees = []
    for code, valeur in valeurs.items():
        if valeur is None:
            continue
        if valeur < 0:
            raise ValidationError("Une statistique est un effectif : elle ne peut être négative.")
        stat = StatistiqueContexte.objects.filter(
            departement=departement, annee=annee, indicateur=code
        ).first()
        if stat and (stat.valeur, stat.source) == (valeur, source):
            continue
        avant = str(stat.valeur) if stat else ""
        StatistiqueContexte.objects.update_or_create(
            departement=departement,
            annee=annee,
            indicateur=code,
            defaults={"valeur": valeur, "source": source, "saisie_par": by},
        )
        libelle = f"{StatistiqueContexte.Indicateur(code).label} ({annee})"
        changees.append(journal.changement(libelle, avant, str(valeur), f"{code}_{annee}"))
    if changees:
        stat = StatistiqueContexte.objects.filter(departement=departement, annee=annee).first()
        journal.record(
            Nature.STATISTIQUE_SAISIE,
            stat,
            par=by,
            changements={k: v for c in changees for k, v in c.items()},
            detail=f"Source : {source}",
        )
    return len(changees)


def _verifier_contrat(contrat: Contrat, actions) -> None:
    departement = contrat.departement_id
    if contrat.signataire.departement_id != departement:
        raise ValidationError("Le signataire doit être une collectivité du département.")
    etrangeres = [a for a in actions if a.feuille.departement_id != departement]
    if etrangeres:
        raise ValidationError(
            f"L'action « {etrangeres[0].titre} » n'est pas du département : un contrat ne "
            "couvre que des actions de son département."
        )


@transaction.atomic
def creer_contrat(contrat: Contrat, actions, *, by) -> Contrat:
    """CONTRAT saved with its ACTIONS, journalled. The département's row is locked first:
    the same form sent twice at once (a double click, two tabs) waits here, then finds
    the first one's contract, the same type, title, signatory and start."""
    access.exiger(by, "gerer_contrats", contrat.departement_id)
    lock_row(Departement, contrat.departement_id)
    memes = Contrat.objects.filter(
        departement=contrat.departement_id,
        type=contrat.type,
        intitule=contrat.intitule,
        signataire=contrat.signataire_id,
        date_debut=contrat.date_debut,
    )
    if memes.exists():
        raise ValidationError("Ce contrat est déjà enregistré : il figure dans la liste.")
    actions = list(actions)
    _verifier_contrat(contrat, actions)
    contrat.save()
    contrat.actions.set(actions)
    journal.record(Nature.CONTRAT_CREATION, contrat, par=by)
    return contrat


@transaction.atomic
def modifier_contrat(contrat: Contrat, avant: dict, actions, *, by) -> dict:
    """Save CONTRAT as edited (AVANT: its `journal.photo` before the edit)."""
    access.exiger(by, "gerer_contrats", contrat.departement_id)
    actions = list(actions)
    _verifier_contrat(contrat, actions)
    if total_apres_avenants(contrat) is None:
        raise ValidationError(
            "Avec les avenants signés, un engagement deviendrait négatif : vérifiez les montants."
        )
    contrat.save()
    contrat.actions.set(actions)
    changements = journal.changements(contrat, avant)
    if changements:
        journal.record(Nature.CONTRAT_MODIFICATION, contrat, par=by, changements=changements)
    return changements


def total_apres_avenants(contrat: Contrat) -> tuple[Decimal, Decimal] | None:
    """The State's and the local commitments once the avenants' variations are added;
    None when one of them would fall below zero."""
    sommes = contrat.avenants.aggregate(etat=Sum("variation_etat"), local=Sum("variation_locale"))
    etat = contrat.montant_etat + (sommes["etat"] or 0)
    local = contrat.montant_local + (sommes["local"] or 0)
    return None if etat < 0 or local < 0 else (etat, local)


@transaction.atomic
def ajouter_avenant(contrat: Contrat, avenant: Avenant, *, by) -> Avenant:
    access.exiger(by, "gerer_contrats", contrat.departement_id)
    # The contract's row locked: numbers stay unique, and the same avenant sent twice at
    # once (a double click, two tabs) finds the first one, the same date, object and sums.
    contrat = Contrat.objects.select_for_update().get(pk=contrat.pk)
    memes = contrat.avenants.filter(
        signe_le=avenant.signe_le,
        objet=avenant.objet,
        variation_etat=avenant.variation_etat,
        variation_locale=avenant.variation_locale,
    )
    if memes.exists():
        raise ValidationError("Cet avenant est déjà enregistré.")
    avenant.contrat = contrat
    avenant.numero = (contrat.avenants.aggregate(n=Max("numero"))["n"] or 0) + 1
    etat, local = total_apres_avenants(contrat)
    if etat + avenant.variation_etat < 0 or local + avenant.variation_locale < 0:
        raise ValidationError(
            "Cet avenant rendrait un engagement négatif : la baisse dépasse le montant en cours."
        )
    if avenant.signe_le < contrat.date_debut:
        raise ValidationError("Un avenant ne peut être signé avant le début du contrat.")
    avenant.save()
    journal.record(
        Nature.CONTRAT_AVENANT,
        contrat,
        par=by,
        detail=f"Avenant n° {avenant.numero} : {avenant.objet}",
    )
    return avenant


def actions_du_departement(departement):
    """The actions a contract may cover: the adopted ones of its département."""
    return Action.objects.filter(
        feuille__departement=departement, statut__in=Action.RETENUES
    ).select_related("feuille")
