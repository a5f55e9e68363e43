"""The home page's plan block for a flat reader: the perimeter's cached figures, computed
by the home page itself when no page did, and new after every write."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.acteurs.factories import DepartementFactory, HabilitationFactory
from tests.actions.factories import ActionFactory, FeuilleDeRouteFactory

ACCUEIL = reverse("tableau_de_bord")


def _plan(client) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as capture:
        plan = client.get(ACCUEIL).context["plan"]
    return plan, [q["sql"] for q in capture.captured_queries]


def _compte_les_actions(requetes: list[str]) -> bool:
    return any('COUNT("actions_action"' in sql for sql in requetes)


def test_l_accueil_national_lit_des_chiffres_gardes_et_jamais_perimes(client, db):
    feuilles = [
        FeuilleDeRouteFactory(departement=DepartementFactory()),
        FeuilleDeRouteFactory(departement=DepartementFactory(hautes_alpes=True)),
    ]
    for feuille in feuilles:
        ActionFactory(axe__feuille=feuille, validee=True)
        ActionFactory(axe__feuille=feuille)  # a draft: a reader never counts it
    client.force_login(
        HabilitationFactory(departement=None, perimetre="france", role="lecteur").user
    )
    premier, _ = _plan(client)
    assert premier["nb"] == 2
    encore, requetes = _plan(client)
    assert encore["nb"] == 2 and not _compte_les_actions(requetes)  # from the cache
    ActionFactory(axe__feuille=feuilles[1], soumise=True)
    apres, _ = _plan(client)
    assert (apres["nb"], apres["a_instruire"]) == (3, 1)
