from django.urls import reverse

from acteurs.models import Departement, Territoire
from tests.acteurs.factories import UserFactory


def test_un_nouveau_departement_recoit_ses_territoires(client, db):
    operateur = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(operateur)
    response = client.post(
        reverse("admin:acteurs_departement_add"),
        {
            "code": "05",
            "nom": "Hautes-Alpes",
            "titre_prefet": "Préfète des Hautes-Alpes",
            "chef_lieu": "Gap",
        },
    )
    assert response.status_code == 302
    departement = Departement.objects.get(code="05")
    assert Territoire.objects.filter(departements=departement, type="commune").count() == 162
