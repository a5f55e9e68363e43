"""The action's page costs at most 15 queries for every role that reads it, a national or
regional reader included (their départements come with their habilitations), whatever
the action holds."""

import pytest

from tests.acteurs.factories import DepartementFactory, HabilitationFactory, MembreFactory
from tests.actions.factories import (
    ActionFactory,
    FinancementFactory,
    IndicateurFactory,
    MesureFactory,
    PartenariatFactory,
)

HABILITATIONS = {
    "pilotage": {"role": "pilotage"},
    "cabinet": {"role": "cabinet"},
    "communication": {"role": "communication"},
    "lecteur": {"role": "lecteur"},
    "lecteur_regional": {"departement": None, "perimetre": "region", "role": "lecteur"},
    "cabinet_regional": {"departement": None, "perimetre": "region", "role": "cabinet"},
    "lecteur_national": {"departement": None, "perimetre": "france", "role": "lecteur"},
}


def _garnir(action, n: int) -> None:
    for i in range(n):
        FinancementFactory(action=action, annee=2026 + i % 3)
        MesureFactory(indicateur=IndicateurFactory(action=action), annee=2026)
        PartenariatFactory(action=action)


def _lecteur(role: str, action):
    if role == "partenaire":
        return MembreFactory(acteur=action.porteur, role="contributeur").user
    habilitation = dict(HABILITATIONS[role])
    if habilitation.get("perimetre") == "region":
        habilitation["region"] = action.feuille.departement.region
    habilitation.setdefault("departement", action.feuille.departement)
    return HabilitationFactory(**habilitation).user


@pytest.mark.parametrize("role", [*HABILITATIONS, "partenaire"])
def test_la_page_d_une_action_en_15_requetes_au_plus(
    client, feuille, role, django_assert_max_num_queries
):
    DepartementFactory(hautes_alpes=True)  # a wide reader covers more than one
    action = ActionFactory(axe=feuille.axes.first(), validee=True)
    client.force_login(_lecteur(role, action))
    client.get(action.get_absolute_url())  # warm the caches: sessions, content types
    for nombre in (1, 60):
        _garnir(action, nombre)
        with django_assert_max_num_queries(15):
            response = client.get(action.get_absolute_url())
        assert response.status_code == 200
