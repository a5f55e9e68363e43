"""The demo the README promises: loads twice without change, every demo account logs in."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from acteurs.demo import MOT_DE_PASSE
from acteurs.models import Acteur, Habilitation, Membre, Territoire

COMPTES = ["pilotage", "cabinet", "communication", "partenaire", "lecteur"]


def _compter():
    return [m.objects.count() for m in (Acteur, Membre, Habilitation, Territoire)]


def test_demo_idempotente(demo):
    avant = _compter()
    call_command("load_demo", stdout=io.StringIO())
    assert _compter() == avant
    assert Acteur.objects.filter(departement__code="76").count() >= 20
    assert Acteur.objects.filter(departement__code="05").count() >= 15
    assert Membre.objects.filter(actif=True).count() >= 30
    assert Territoire.objects.filter(departements__code="05", type="commune").count() == 162


@pytest.mark.parametrize("role", COMPTES)
def test_chaque_compte_de_demo_se_connecte(client, demo, role):
    response = client.post(
        reverse("login"),
        {"username": f"{role}@demo.gouv.fr", "password": MOT_DE_PASSE},
        follow=True,
    )
    assert response.status_code == 200
    assert response.context["user"].is_authenticated
    assert "Tableau de bord" in response.content.decode()
