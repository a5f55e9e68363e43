"""The actor form as a new user meets it: phone numbers, select labels, archiving."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from acteurs.models import Acteur, Reseau
from acteurs.validators import normalise_telephone


@pytest.mark.parametrize(
    ("saisi", "enregistre"),
    [
        ("0235000000", "02 35 00 00 00"),
        ("02.35.00.00.00", "02 35 00 00 00"),
        ("02 35 00 00 00", "02 35 00 00 00"),
        ("06-12-34-56-78", "06 12 34 56 78"),
        ("+33235000000", "+33 2 35 00 00 00"),
        ("+33 (0)2 35 00 00 00", "+33 2 35 00 00 00"),
        ("0033 2 35 00 00 00", "+33 2 35 00 00 00"),
        ("+32 2 123 45 67", "+3221234567"),
        ("", ""),
    ],
)
def test_telephone_normalise(saisi, enregistre):
    assert normalise_telephone(saisi) == enregistre


@pytest.mark.parametrize(
    "saisi", ["abc", "02 35 00", "1234567890", "00 00 00 00 00", "+33 0 35 00 00 00", "+1"]
)
def test_telephone_refuse(saisi):
    with pytest.raises(ValidationError, match="n'est pas un numéro de téléphone"):
        normalise_telephone(saisi)


def test_le_formulaire_enregistre_le_numero_normalise(client, pilotage, seine_maritime):
    client.force_login(pilotage)
    client.post(
        reverse("acteurs:creer"),
        {"type": "association", "nom": "Accueil Fécamp", "telephone": "02.35.28.00.00"},
    )
    assert Acteur.objects.get(nom="Accueil Fécamp").telephone == "02 35 28 00 00"


def test_un_numero_faux_est_refuse_en_francais_sans_rien_ecrire(client, pilotage, seine_maritime):
    client.force_login(pilotage)
    avant = Acteur.objects.count()
    response = client.post(
        reverse("acteurs:creer"),
        {"type": "association", "nom": "Accueil Fécamp", "telephone": "appeler le matin"},
    )
    assert response.status_code == 200
    assert "n&#x27;est pas un numéro de téléphone" in response.content.decode()
    assert Acteur.objects.count() == avant


def test_les_listes_deroulantes_disent_quoi_choisir(client, pilotage, seine_maritime):
    client.force_login(pilotage)
    page = client.get(reverse("acteurs:creer")).content.decode()
    assert "---------" not in page
    assert '<option value="" selected>Choisir un type d&#x27;acteur</option>' in page
    invitation = client.get(reverse("acteurs:invitation_creer")).content.decode()
    assert "---------" not in invitation and "Choisir un rôle" in invitation


def test_une_liste_sans_libelle_propre_demande_une_option(client, admin_user, seine_maritime):
    client.force_login(admin_user)
    page = client.get(reverse("admin:acteurs_departement_add")).content.decode()
    assert "---------" not in page and "Sélectionner une option" in page


def test_les_reseaux_portent_le_filtre(client, pilotage, seine_maritime):
    Reseau.objects.get_or_create(slug="restos-du-coeur", defaults={"libelle": "Restos du cœur"})
    client.force_login(pilotage)
    page = client.get(reverse("acteurs:creer")).content.decode()
    assert 'data-filtre-liste="réseaux"' in page
    assert "/static/js/filtre-liste.js" in page


def test_le_service_refuse_un_doublon_comme_le_formulaire(pilotage, partenaire, seine_maritime):
    """What the form refuses, the service refuses too once the département is locked (the
    same form sent twice at once passes both forms' checks). A rejected homonym does not
    count, nor a name only another partner's proposal carries, which a partner must not
    learn of."""
    from acteurs import services
    from tests.acteurs.factories import ActeurFactory

    donnees = {"type": "association", "nom": "Accueil du Plateau", "siret": "73282932000074"}
    services.creer_acteur(seine_maritime, donnees, by=pilotage)
    for autre, message in (
        ({**donnees, "nom": "Autre nom"}, "Un acteur de ce département porte déjà ce SIRET."),
        ({**donnees, "nom": "accueil du plateau", "siret": ""}, "Un acteur de ce nom existe"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.creer_acteur(seine_maritime, autre, by=pilotage)
    ActeurFactory(departement=seine_maritime, nom="Ancien doublon", rejete=True)
    ActeurFactory(departement=seine_maritime, nom="Proposé ailleurs", en_attente=True)
    for nom in ("Ancien doublon", "Proposé ailleurs"):
        services.creer_acteur(seine_maritime, {"type": "association", "nom": nom}, by=partenaire)
    assert Acteur.objects.filter(departement=seine_maritime).count() == 6
