"""Factories for the plan d'actions, with traits for the usual situations."""

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from actions.models import (
    Action,
    Axe,
    Contrat,
    FeuilleDeRoute,
    Financement,
    Indicateur,
    Jalon,
    Mesure,
    Partenariat,
    StatistiqueContexte,
)
from tests.acteurs.factories import ActeurFactory, DepartementFactory, UserFactory


class FeuilleDeRouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeuilleDeRoute

    departement = factory.SubFactory(DepartementFactory)
    titre = "Feuille de route départementale 2026–2028"
    annee_debut = 2026
    annee_fin = 2028
    depot_ouvert_le = factory.LazyFunction(lambda: date(timezone.localdate().year, 1, 1))
    depot_clos_le = factory.LazyFunction(lambda: date(timezone.localdate().year, 12, 31))

    class Params:
        consultation = factory.Trait(statut=FeuilleDeRoute.Statut.CONSULTATION)
        signee = factory.Trait(
            statut=FeuilleDeRoute.Statut.SIGNEE,
            signee_le=factory.LazyFunction(timezone.now),
            signee_par=factory.SubFactory(UserFactory),
        )
        depot_clos = factory.Trait(depot_ouvert_le=date(2020, 1, 1), depot_clos_le=date(2020, 2, 1))


class AxeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Axe

    feuille = factory.SubFactory(FeuilleDeRouteFactory)
    ordre = factory.Sequence(lambda n: n + 1)
    libelle = factory.Sequence(lambda n: f"Axe {n + 1}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    axe = factory.SubFactory(AxeFactory)
    feuille = factory.SelfAttribute("axe.feuille")
    porteur = factory.SubFactory(
        ActeurFactory, departement=factory.SelfAttribute("..feuille.departement")
    )
    titre = factory.Sequence(lambda n: f"Action numéro {n}")
    description = "Ateliers sociolinguistiques hebdomadaires."
    statut = Action.Statut.BROUILLON

    class Params:
        soumise = factory.Trait(
            statut=Action.Statut.SOUMISE, soumise_le=factory.LazyFunction(timezone.now)
        )
        validee = factory.Trait(
            statut=Action.Statut.VALIDEE, soumise_le=factory.LazyFunction(timezone.now)
        )
        en_cours = factory.Trait(
            statut=Action.Statut.EN_COURS, soumise_le=factory.LazyFunction(timezone.now)
        )
        refusee = factory.Trait(statut=Action.Statut.REFUSEE)


class PartenariatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partenariat

    action = factory.SubFactory(ActionFactory)
    acteur = factory.SubFactory(
        ActeurFactory, departement=factory.SelfAttribute("..action.feuille.departement")
    )
    role = "Orientation des publics"


class FinancementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Financement

    action = factory.SubFactory(ActionFactory)
    source = Financement.Source.BOP_104_12
    annee = 2026
    montant_demande = Decimal("12500.00")


class IndicateurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicateur

    action = factory.SubFactory(ActionFactory)
    libelle = "Personnes accompagnées"
    unite = "personnes"
    cible = Decimal("40")


class MesureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mesure

    indicateur = factory.SubFactory(IndicateurFactory)
    annee = 2026
    valeur = Decimal("12")
    saisie_par = factory.SubFactory(UserFactory)


class JalonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jalon

    action = factory.SubFactory(ActionFactory)
    libelle = "Premier atelier"
    date_prevue = date(2026, 3, 1)


class StatistiqueContexteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatistiqueContexte

    departement = factory.SubFactory(DepartementFactory)
    annee = 2025
    indicateur = StatistiqueContexte.Indicateur.PREMIERS_TITRES
    valeur = 312
    source = "DGEF"


class ContratFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contrat

    departement = factory.SubFactory(DepartementFactory)
    intitule = "CTAI de la Métropole"
    signataire = factory.SubFactory(
        ActeurFactory, departement=factory.SelfAttribute("..departement"), type="epci"
    )
    date_debut = date(2026, 1, 1)
    date_fin = date(2028, 12, 31)


def signer(feuille: FeuilleDeRoute) -> FeuilleDeRoute:
    """Sign FEUILLE once its content is built: the database refuses content added to a signed
    feuille, so tests build first and sign last (the cabinet's service needs the visa step)."""
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(
        statut=FeuilleDeRoute.Statut.SIGNEE, signee_le=timezone.now(), signee_par=UserFactory()
    )
    feuille.refresh_from_db()
    return feuille
