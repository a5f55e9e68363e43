"""The comités' creations sent twice at once (a double click, two tabs), on PostgreSQL:
done once, the second tab told so in French, never a 500."""

import pytest
from django.urls import reverse

from comites.models import Instance
from tests.acteurs.factories import HabilitationFactory
from tests.concurrency import Onglets, une_seule

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


def test_creer_une_instance_deux_fois_la_cree_une_fois(live_server, seine_maritime):
    """Both requests passed the name's check before either saved: the second met the
    unique constraint, a 500."""
    pilotage = HabilitationFactory(departement=seine_maritime, role="pilotage").user
    onglets = Onglets(live_server, pilotage)
    reponses = onglets.poster(
        reverse("comites:instance_creer"), {"type": "copil", "nom": "COPIL intégration"}
    )

    pages = onglets.pages(reponses)
    une_seule(
        pages,
        "L&#x27;instance « COPIL intégration » est créée.",
        "Une instance de ce nom existe déjà dans le département.",
    )
    assert Instance.objects.filter(nom="COPIL intégration").count() == 1
