"""Factories for the comités, with traits for the usual situations."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from comites.models import Convocation, Decision, Instance, Personne, Seance, Siege
from tests.acteurs.factories import ActeurFactory, DepartementFactory, UserFactory


class InstanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instance

    departement = factory.SubFactory(DepartementFactory)
    type = Instance.Type.COPIL
    nom = factory.Sequence(lambda n: f"Comité de pilotage {n}")

    class Params:
        groupe = factory.Trait(type=Instance.Type.GROUPE_TRAVAIL, theme="Santé")


class PersonneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Personne

    departement = factory.SubFactory(DepartementFactory)
    nom = factory.Sequence(lambda n: f"Personne {n}")
    courriel = factory.Sequence(lambda n: f"membre{n}@example.fr")


class SiegeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Siege

    instance = factory.SubFactory(InstanceFactory)
    role = Siege.Role.MEMBRE
    personne = factory.SubFactory(
        PersonneFactory, departement=factory.SelfAttribute("..instance.departement")
    )
    acteur = factory.SubFactory(
        ActeurFactory, departement=factory.SelfAttribute("..instance.departement")
    )
    debut = date(2024, 1, 1)


class SeanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seance

    instance = factory.SubFactory(InstanceFactory)
    debut = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    fin = factory.LazyAttribute(lambda o: o.debut + timedelta(hours=2))
    lieu = "Préfecture, salle Louis-XVI"
    organisateur = factory.SubFactory(UserFactory)

    class Params:
        passee = factory.Trait(
            debut=factory.LazyFunction(lambda: timezone.now() - timedelta(days=3)),
            statut=Seance.Statut.CONVOQUEE,
        )


class ConvocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convocation

    seance = factory.SubFactory(SeanceFactory)
    personne = factory.SubFactory(
        PersonneFactory, departement=factory.SelfAttribute("..seance.instance.departement")
    )
    jeton_hash = factory.Sequence(lambda n: f"{n:064d}")
    envoyee_le = factory.LazyFunction(timezone.now)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    seance = factory.SubFactory(SeanceFactory)
    texte = "Lancer un groupe de travail sur la santé mentale."
    responsable = "DDETS"
    echeance = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
