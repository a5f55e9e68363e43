"""Every write to what the plan's cached figures sum draws a new token for its
département (actions.agregats), in the same transaction: whatever service, form, admin
page or command made it. Bulk writes send no signal: those that touch these rows
(`actions.services.versions`, the scale generator) call `agregats.renouveler` themselves."""

from django.db.models import F
from django.db.models.signals import post_delete, post_save

from actions import agregats
from actions.models import Action, Axe, FeuilleDeRoute, Financement, Indicateur, Mesure

# Model -> how to find its département from one of its rows, in the database (one column
# named d), so that a write costs one statement more, whatever is loaded.
DEPARTEMENT = {
    Action: lambda a: FeuilleDeRoute.objects.filter(pk=a.feuille_id).values(d=F("departement")),
    Axe: lambda a: FeuilleDeRoute.objects.filter(pk=a.feuille_id).values(d=F("departement")),
    Financement: lambda f: Action.objects.filter(pk=f.action_id).values(
        d=F("feuille__departement")
    ),
    Indicateur: lambda i: Action.objects.filter(pk=i.action_id).values(d=F("feuille__departement")),
    Mesure: lambda m: Indicateur.objects.filter(pk=m.indicateur_id).values(
        d=F("action__feuille__departement")
    ),
}


def _renouveler(sender, instance, **kwargs) -> None:
    agregats.renouveler_selon(DEPARTEMENT[sender](instance))


def declarer() -> None:
    for modele in DEPARTEMENT:
        uid = f"chiffres-du-plan-{modele._meta.label_lower}"
        post_save.connect(_renouveler, sender=modele, dispatch_uid=uid)
        post_delete.connect(_renouveler, sender=modele, dispatch_uid=uid)
