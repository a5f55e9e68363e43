"""The plan's usual world: a feuille of Seine-Maritime open for submissions, its axes, and
an association whose contributor drafts actions (`partenaire` in tests/conftest.py)."""

import pytest

from tests.actions.factories import ActionFactory, AxeFactory, FeuilleDeRouteFactory


@pytest.fixture
def feuille(seine_maritime):
    return FeuilleDeRouteFactory(departement=seine_maritime)


@pytest.fixture
def axe(feuille):
    return AxeFactory(feuille=feuille, libelle="Apprentissage de la langue française")


@pytest.fixture
def brouillon(axe, association, partenaire):
    return ActionFactory(axe=axe, porteur=association, cree_par=partenaire, titre="Ateliers ASL")
