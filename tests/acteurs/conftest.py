import pytest

from acteurs.models import Acteur
from tests.acteurs.factories import ActeurFactory

SIRET_ETAT = "13002526500013"  # a real State establishment, Luhn-valid


@pytest.fixture
def ddets(seine_maritime):
    """A State service with a SIRET: what imports must recognise as already there."""
    return ActeurFactory(
        departement=seine_maritime,
        type=Acteur.Type.SERVICE_ETAT,
        nom="Direction départementale de l'emploi, du travail et des solidarités",
        sigle="DDETS",
        siret=SIRET_ETAT,
    )
