"""The technical administration's lists of the plan's tables cost the same queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.acteurs.factories import UserFactory
from tests.actions.factories import ActionFactory, MesureFactory, PartenariatFactory

FABRIQUES = {"partenariat": PartenariatFactory, "mesure": MesureFactory}


def _requetes(client, nom: str) -> int:
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(reverse(f"admin:actions_{nom}_changelist")).status_code == 200
    return len(requetes)


@pytest.mark.parametrize("nom", sorted(FABRIQUES))
def test_une_liste_de_l_administration_ne_coute_pas_une_requete_par_ligne(client, db, nom):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    action = ActionFactory()
    fabrique = FABRIQUES[nom]
    reglage = {"action": action} if nom == "partenariat" else {"indicateur__action": action}
    fabrique.create_batch(2, **reglage)
    peu = _requetes(client, nom)
    fabrique.create_batch(30, **reglage)
    assert _requetes(client, nom) == peu
