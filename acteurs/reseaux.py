"""The networks vocabulary comes from the data·inclusion schema, kept in sync at migrate."""


def vocabulaire_reseaux() -> dict[str, str]:
    # Imported here: the schema (pydantic models) takes half a second to import, and every
    # process (web, worker, manage.py) would pay it at start for a list read at migrate.
    from data_inclusion.schema.v1 import ReseauPorteur

    return {item.value: item.label for item in ReseauPorteur}


def sync_reseaux(using="default", **kwargs) -> None:
    from acteurs.models import Reseau

    vocabulaire = vocabulaire_reseaux()
    existants = dict(Reseau.objects.using(using).values_list("slug", "libelle"))
    Reseau.objects.using(using).bulk_create(
        Reseau(slug=slug, libelle=libelle)
        for slug, libelle in vocabulaire.items()
        if slug not in existants
    )
    for slug, libelle in vocabulaire.items():
        if slug in existants and existants[slug] != libelle:
            Reseau.objects.using(using).filter(slug=slug).update(libelle=libelle)
