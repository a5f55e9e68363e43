import pytest

from tests.acteurs.factories import HabilitationFactory
from tests.comites.factories import InstanceFactory, SiegeFactory


@pytest.fixture
def pilotage(seine_maritime):
    return HabilitationFactory(departement=seine_maritime, role="pilotage").user


@pytest.fixture
def copil(seine_maritime):
    return InstanceFactory(departement=seine_maritime, nom="COPIL intégration")


@pytest.fixture
def douze_sieges(copil):
    return [SiegeFactory(instance=copil) for _ in range(12)]
