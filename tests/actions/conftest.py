"""The plan's usual world: a feuille of Seine-Maritime open for submissions, its axes, and
an association whose contributor drafts actions (`partenaire` in tests/conftest.py)."""

import itertools
from datetime import date
from decimal import Decimal

import pytest

from acteurs.models import Territoire
from actions import agregats
from actions.models import Action, Financement, Indicateur, Mesure, Partenariat, PublicCible
from tests.acteurs.factories import ActeurFactory, TerritoireFactory, UserFactory
from tests.actions.factories import ActionFactory, AxeFactory, FeuilleDeRouteFactory


@pytest.fixture
def feuille(seine_maritime):
    feuille = FeuilleDeRouteFactory(departement=seine_maritime)
    AxeFactory(feuille=feuille, ordre=1, libelle="Langue")
    AxeFactory(feuille=feuille, ordre=2, libelle="Emploi")
    return feuille


@pytest.fixture
def make_actions(feuille, association):
    """N actions of every status with partners, publics, territories, funding and an
    indicator each, created in bulk (a few queries, whatever N)."""
    axes = list(feuille.axes.all())
    public = PublicCible.objects.first()
    partenaire = ActeurFactory(departement=feuille.departement)
    saisie = UserFactory()
    compteur = itertools.count()

    def make(n: int, *, statuts=Action.Statut.values, territoire=None, **champs):
        rang = next(compteur)
        actions = Action.objects.bulk_create(
            [
                Action(
                    feuille=feuille,
                    axe=axes[i % len(axes)],
                    porteur=association,
                    titre=f"Action {rang}-{i}",
                    description="Ateliers",
                    statut=(statut := statuts[i % len(statuts)]),
                    soumise_le=None if statut == "brouillon" else "2026-01-05T10:00:00Z",
                    date_debut=date(2026, 1, 1),
                    date_fin=date(2026, 12, 31),
                    **champs,
                )
                for i in range(n)
            ]
        )
        Partenariat.objects.bulk_create([Partenariat(action=a, acteur=partenaire) for a in actions])
        if public:
            Action.publics.through.objects.bulk_create(
                [Action.publics.through(action=a, publiccible=public) for a in actions]
            )
        if territoire:
            Action.territoires.through.objects.bulk_create(
                [Action.territoires.through(action=a, territoire=territoire) for a in actions]
            )
        Financement.objects.bulk_create(
            [
                Financement(
                    action=a,
                    source=source,
                    annee=2026,
                    montant_demande=Decimal("1000.50"),
                    montant_accorde=Decimal("800.25"),
                    montant_verse=Decimal("400.10"),
                )
                for a in actions
                for source in ("bop104_12", "fami")
            ]
        )
        indicateurs = Indicateur.objects.bulk_create(
            [Indicateur(action=a, libelle="Suivis", unite="pers.", cible=10) for a in actions]
        )
        Mesure.objects.bulk_create(
            [Mesure(indicateur=i, annee=2026, valeur=5, saisie_par=saisie) for i in indicateurs]
        )
        # Bulk inserts send no signal: like every bulk writer, say the figures changed.
        agregats.renouveler([feuille.departement_id])
        return actions

    return make


@pytest.fixture
def epci(seine_maritime):
    epci = TerritoireFactory(type=Territoire.Type.EPCI, code="200023414", nom="Métropole Rouen")
    seine_maritime.territoires.add(epci)
    return epci


@pytest.fixture
def axe(feuille):
    return AxeFactory(feuille=feuille, libelle="Apprentissage de la langue française")


@pytest.fixture
def brouillon(axe, association, partenaire):
    return ActionFactory(axe=axe, porteur=association, cree_par=partenaire, titre="Ateliers ASL")
