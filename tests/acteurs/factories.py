"""Factories for the actors' registry, with traits for the usual situations."""

import factory
from django.utils import timezone

from acteurs.models import Acteur, Departement, Habilitation, Invitation, Membre, Territoire, User
from acteurs.validators import luhn_ok

PASSWORD = "mot-de-passe-de-test-42"  # noqa: S105 - test-only


def siret_valide(debut: str) -> str:
    """Complete 13 digits with the check digit that makes a valid SIRET."""
    assert len(debut) == 13
    return next(debut + cle for cle in "0123456789" if luhn_ok(debut + cle))


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ("code",)

    code = "76"
    nom = "Seine-Maritime"
    titre_prefet = "Préfet de la Seine-Maritime"
    chef_lieu = "Rouen"
    adresse = "7, place de la Madeleine\n76036 Rouen Cedex"

    class Params:
        hautes_alpes = factory.Trait(
            code="05", nom="Hautes-Alpes", titre_prefet="Préfète des Hautes-Alpes", chef_lieu="Gap"
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class HabilitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Habilitation

    user = factory.SubFactory(UserFactory)
    departement = factory.SubFactory(DepartementFactory)
    role = Habilitation.Role.PILOTAGE


class TerritoireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territoire
        django_get_or_create = ("type", "code")

    type = Territoire.Type.COMMUNE
    code = factory.Sequence(lambda n: f"76{n:03d}")
    nom = factory.Sequence(lambda n: f"Commune {n}")


class ActeurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Acteur

    departement = factory.SubFactory(DepartementFactory)
    type = Acteur.Type.ASSOCIATION
    nom = factory.Sequence(lambda n: f"Association numéro {n}")
    statut = Acteur.Statut.VALIDE

    class Params:
        en_attente = factory.Trait(
            statut=Acteur.Statut.EN_ATTENTE, propose_par=factory.SubFactory(UserFactory)
        )
        rejete = factory.Trait(
            statut=Acteur.Statut.REJETE,
            propose_par=factory.SubFactory(UserFactory),
            modere_le=factory.LazyFunction(timezone.now),
            motif_rejet="Doublon d'une structure existante.",
        )
        archive = factory.Trait(archive_le=factory.LazyFunction(timezone.now))


class MembreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membre

    user = factory.SubFactory(UserFactory)
    acteur = factory.SubFactory(ActeurFactory)
    role = Membre.Role.CONTRIBUTEUR

    class Params:
        desactive = factory.Trait(actif=False, desactive_le=factory.LazyFunction(timezone.now))


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    departement = factory.SelfAttribute("acteur.departement")
    acteur = factory.SubFactory(ActeurFactory)
    email = factory.Sequence(lambda n: f"invite{n}@example.fr")
    role_membre = Membre.Role.CONTRIBUTEUR
    jeton_hash = factory.Sequence(lambda n: f"{n:064d}")
    envoyee_le = factory.LazyFunction(timezone.now)
    expire_le = factory.LazyFunction(lambda: timezone.now() + Invitation.DUREE)
