from django.urls import reverse


def test_404_en_francais(client, pilotage):
    client.force_login(pilotage)
    response = client.get(reverse("acteurs:detail", args=[999999]))
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_403_en_francais(client, pilotage):
    client.force_login(pilotage)
    response = client.get(reverse("guide_de_style"))
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
