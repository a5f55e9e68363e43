"""Writing to the journal: declared kinds of events, one entry or many, snapshots and diffs.

Each app declares its kinds once, as a TextChoices whose labels are French, and the models
its events point to (`declarer`, from its AppConfig.ready). Recording an undeclared kind, or
about an undeclared model, raises: the journal never holds an event nobody can name, and an
object with history can never be deleted (a pre_delete receiver raises ProtectedError).
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import ProtectedError
from django.db.models.signals import pre_delete

from integration.models import Evenement

_NATURES: dict[str, str] = {}
_MODELES: set[type[models.Model]] = set()


class NatureInconnue(ValueError):
    """A kind of event no app has declared."""


def declarer(natures: type[models.TextChoices], modeles: Iterable[type[models.Model]] = ()):
    """Make NATURES recordable and protect the MODELES events point to from deletion."""
    for nature in natures:
        if _NATURES.get(nature.value, nature.label) != nature.label:
            raise ImproperlyConfigured(f"La nature d'événement {nature.value!r} est déjà prise.")
        _NATURES[nature.value] = nature.label
    for modele in modeles:
        if modele not in _MODELES:
            _MODELES.add(modele)
            pre_delete.connect(_refuser_si_journalise, sender=modele, weak=False)


def libelle(nature: str) -> str:
    return _NATURES.get(nature, nature)


def _refuser_si_journalise(sender, instance, **kwargs):
    type_ = ContentType.objects.get_for_model(sender)
    journal = Evenement.objects.filter(
        models.Q(objet_type=type_, objet_id=instance.pk)
        | models.Q(racine_type=type_, racine_id=instance.pk)
    )
    if journal.exists():
        raise ProtectedError(
            f"« {instance} » a un historique dans le journal : il ne peut être supprimé.",
            {instance},
        )


def _type(instance) -> ContentType:
    modele = instance.__class__  # not type(): request.departement is a lazy wrapper
    if modele not in _MODELES:
        raise ImproperlyConfigured(f"{modele.__name__} n'est pas déclaré au journal.")
    return ContentType.objects.get_for_model(modele)


def evenement(
    nature, objet, *, par=None, changements=None, racine=None, detail: str = ""
) -> Evenement:
    """An unsaved entry, checked: the kind is declared and both objects are saved."""
    if str(nature) not in _NATURES:
        raise NatureInconnue(f"Nature d'événement non déclarée : {nature!r}.")
    racine = objet if racine is None else racine
    if objet.pk is None or racine.pk is None:
        raise ValueError("Le journal ne parle que d'objets enregistrés.")
    return Evenement(
        nature=str(nature),
        par=par,
        objet_type=_type(objet),
        objet_id=objet.pk,
        objet_libelle=str(objet)[:255],
        racine_type=_type(racine),
        racine_id=racine.pk,
        changements=changements or {},
        detail=detail,
    )


def record(nature, objet, *, par=None, changements=None, racine=None, detail="") -> Evenement:
    """Record that PAR (None: the system) did NATURE to OBJET, shown on RACINE's history."""
    entree = evenement(
        nature, objet, par=par, changements=changements, racine=racine, detail=detail
    )
    entree.save()
    return entree


def record_many(entrees: Iterable[Evenement]) -> list[Evenement]:
    """Save entries built with `evenement` in one query (an import's creations)."""
    return Evenement.objects.bulk_create(list(entrees))


def historique(racine):
    """What RACINE's history page shows, newest first, with the authors."""
    return Evenement.objects.racine(racine).select_related("par")


# --- Snapshots --------------------------------------------------------------------------


def affichage(instance, champ: str) -> str:
    """The value of CHAMP as a user reads it (choice labels, names, sets of related)."""
    field = instance._meta.get_field(champ)
    if field.many_to_many:
        return ", ".join(sorted(str(v) for v in getattr(instance, champ).all()))
    if field.choices:
        return str(getattr(instance, f"get_{champ}_display")())
    value = getattr(instance, champ)
    if isinstance(value, bool):
        return "oui" if value else "non"
    return "" if value is None else str(value)


def photo(instance, champs: Iterable[str]) -> dict[str, str]:
    """CHAMPS of INSTANCE as displayed, to compare with a later state."""
    return {champ: affichage(instance, champ) for champ in champs}


def changements(instance, avant: dict[str, str]) -> dict:
    """The fields of AVANT (a `photo`) whose displayed value INSTANCE no longer has."""
    apres = photo(instance, avant)
    return {
        champ: {
            "libelle": str(instance._meta.get_field(champ).verbose_name),
            "avant": avant[champ],
            "apres": apres[champ],
        }
        for champ in avant
        if avant[champ] != apres[champ]
    }


def changement(libelle_champ: str, avant: str, apres: str, champ: str | None = None) -> dict:
    """One change written by hand: {champ: {"libelle", "avant", "apres"}}."""
    return {champ or libelle_champ: {"libelle": libelle_champ, "avant": avant, "apres": apres}}
