import html

import pytest
from django.urls import reverse

from acteurs.journal import Nature
from acteurs.models import Departement, Habilitation, Membre, Territoire
from integration import journal
from tests.acteurs.factories import InvitationFactory, UserFactory


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
    creation = journal.historique(departement).get()
    assert creation.nature == Nature.DEPARTEMENT_CREATION and creation.par == operateur
    assert creation.changements["chef_lieu"] == {
        "libelle": "chef-lieu",
        "avant": "",
        "apres": "Gap",
    }


# --- Domain tables are read-only; what stays editable is journalled ---------------------


@pytest.fixture
def operateur(client, db):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def objets_du_domaine(association, partenaire, pilotage):
    membre = Membre.objects.get(user=partenaire)
    invitation = InvitationFactory(acteur=association, departement=association.departement)
    evenement = journal.record(Nature.ACTEUR_ARCHIVAGE, association, par=pilotage)
    return {
        "acteurs_acteur": association,
        "acteurs_membre": membre,
        "acteurs_invitation": invitation,
        "integration_evenement": evenement,
    }


def test_les_tables_du_domaine_s_affichent_sans_se_modifier(client, operateur, objets_du_domaine):
    for nom, objet in objets_du_domaine.items():
        assert client.get(reverse(f"admin:{nom}_changelist")).status_code == 200
        page = client.get(reverse(f"admin:{nom}_change", args=[objet.pk]))
        assert page.status_code == 200, nom
        assert 'type="submit"' not in page.content.decode().split('id="content-main"')[1], nom
        assert client.post(reverse(f"admin:{nom}_change", args=[objet.pk]), {}).status_code == 403
        assert client.get(reverse(f"admin:{nom}_add")).status_code == 403
        assert client.post(reverse(f"admin:{nom}_delete", args=[objet.pk])).status_code == 403
    association = objets_du_domaine["acteurs_acteur"]
    association.refresh_from_db()
    assert association.nom == "Association Accueil Rouen"


def test_modifier_un_departement_est_journalise(client, operateur, seine_maritime):
    response = client.post(
        reverse("admin:acteurs_departement_change", args=[seine_maritime.pk]),
        {
            "code": "76",
            "nom": "Seine-Maritime",
            "titre_prefet": "Préfète de la Seine-Maritime",
            "chef_lieu": "Rouen",
        },
    )
    assert response.status_code == 302
    evenement = journal.historique(seine_maritime).get()
    assert evenement.nature == Nature.DEPARTEMENT_MODIFICATION and evenement.par == operateur
    assert evenement.changements["titre_prefet"]["apres"] == "Préfète de la Seine-Maritime"
    assert "adresse" in evenement.changements  # the form left it empty: that is a change too
    assert (
        client.post(
            reverse("admin:acteurs_departement_delete", args=[seine_maritime.pk])
        ).status_code
        == 403
    )


def test_le_site_de_la_prefecture_sans_protocole_se_lit_en_https(client, operateur, seine_maritime):
    """As on the département's own form: « www.… » typed in the admin is an https address."""
    response = client.post(
        reverse("admin:acteurs_departement_change", args=[seine_maritime.pk]),
        {
            "code": "76",
            "nom": "Seine-Maritime",
            "titre_prefet": seine_maritime.titre_prefet,
            "chef_lieu": "Rouen",
            "site_web": "www.seine-maritime.gouv.fr",
        },
    )
    assert response.status_code == 302
    seine_maritime.refresh_from_db()
    assert seine_maritime.site_web == "https://www.seine-maritime.gouv.fr"


def _formulaire_utilisateur(user, habilitations) -> dict:
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "23/11/2026",
        "date_joined_1": "10:00:00",
        "habilitations-TOTAL_FORMS": str(len(habilitations)),
        "habilitations-INITIAL_FORMS": str(sum(1 for h in habilitations if h.get("id"))),
        "habilitations-MIN_NUM_FORMS": "0",
        "habilitations-MAX_NUM_FORMS": "1000",
    }
    for rang, habilitation in enumerate(habilitations):
        habilitation = {"perimetre": "departement", **habilitation}
        for champ, valeur in habilitation.items():
            if valeur is not None:
                data[f"habilitations-{rang}-{champ}"] = valeur
        data[f"habilitations-{rang}-user"] = str(user.pk)
    return data


def test_les_habilitations_de_l_admin_passent_par_le_journal(client, operateur, seine_maritime):
    agent = UserFactory()
    url = reverse("admin:acteurs_user_change", args=[agent.pk])
    nouvelle = {"departement": str(seine_maritime.pk), "role": "lecteur", "actif": "on"}
    response = client.post(url, _formulaire_utilisateur(agent, [nouvelle]))
    assert response.status_code == 302, response.content.decode()[:3000]
    habilitation = Habilitation.objects.get(user=agent)

    existante = {"id": str(habilitation.pk), "departement": str(seine_maritime.pk)}
    client.post(
        url, _formulaire_utilisateur(agent, [{**existante, "role": "cabinet", "actif": "on"}])
    )
    client.post(url, _formulaire_utilisateur(agent, [{**existante, "role": "cabinet"}]))

    habilitation.refresh_from_db()
    assert habilitation.role == "cabinet" and not habilitation.actif
    natures = list(journal.historique(agent).order_by("le", "pk").values_list("nature", "par"))
    assert natures == [
        (Nature.HABILITATION_OCTROI, operateur.pk),
        (Nature.HABILITATION_ROLE, operateur.pk),
        (Nature.HABILITATION_RETRAIT, operateur.pk),
    ]


def test_l_admin_refuse_de_deplacer_une_habilitation(
    client, operateur, seine_maritime, hautes_alpes
):
    agent = UserFactory()
    habilitation = Habilitation.objects.create(
        user=agent, departement=seine_maritime, role="lecteur"
    )
    url = reverse("admin:acteurs_user_change", args=[agent.pk])
    autre = {
        "id": str(habilitation.pk),
        "departement": str(hautes_alpes.pk),
        "role": "lecteur",
        "actif": "on",
    }  # noqa: E501
    response = client.post(url, _formulaire_utilisateur(agent, [autre]))
    assert response.status_code == 200
    assert "ne change pas" in response.content.decode()
    habilitation.refresh_from_db()
    assert habilitation.departement == seine_maritime
    assert not journal.historique(agent).exists()


def test_l_admin_refuse_de_retirer_et_changer_le_role_a_la_fois(client, operateur, seine_maritime):
    agent = UserFactory()
    habilitation = Habilitation.objects.create(
        user=agent, departement=seine_maritime, role="lecteur"
    )
    url = reverse("admin:acteurs_user_change", args=[agent.pk])
    ligne = {"id": str(habilitation.pk), "departement": str(seine_maritime.pk), "role": "cabinet"}
    response = client.post(url, _formulaire_utilisateur(agent, [ligne]))
    assert response.status_code == 200 and "pas les deux à la fois" in response.content.decode()
    habilitation.refresh_from_db()
    assert habilitation.actif and habilitation.role == "lecteur"


def test_l_admin_habilite_un_lecteur_regional_et_refuse_un_pilotage_regional(client, operateur):
    agent = UserFactory()
    url = reverse("admin:acteurs_user_change", args=[agent.pk])
    pilotage_regional = {"perimetre": "region", "region": "28", "role": "pilotage", "actif": "on"}
    response = client.post(url, _formulaire_utilisateur(agent, [pilotage_regional]))
    assert response.status_code == 200
    assert "lecteurs et cabinet du préfet de région seulement" in html.unescape(
        response.content.decode()
    )
    assert not Habilitation.objects.filter(user=agent).exists()

    lecteur_regional = {**pilotage_regional, "role": "lecteur"}
    response = client.post(url, _formulaire_utilisateur(agent, [lecteur_regional]))
    assert response.status_code == 302
    habilitation = Habilitation.objects.get(user=agent)
    assert (habilitation.perimetre, habilitation.region, habilitation.departement) == (
        "region",
        "28",
        None,
    )
    assert journal.historique(agent).get().nature == Nature.HABILITATION_OCTROI


def test_l_admin_journalise_les_droits_techniques_d_un_compte(client, operateur):
    agent = UserFactory()
    url = reverse("admin:acteurs_user_change", args=[agent.pk])
    promotion = {**_formulaire_utilisateur(agent, []), "is_staff": "on", "is_superuser": "on"}
    assert client.post(url, promotion).status_code == 302
    desactivation = {**_formulaire_utilisateur(agent, [])}
    del desactivation["is_active"]
    assert client.post(url, desactivation).status_code == 302

    agent.refresh_from_db()
    assert (agent.is_active, agent.is_staff, agent.is_superuser) == (False, False, False)
    entrees = list(journal.historique(agent).order_by("le", "pk"))
    assert [(e.nature, e.par_id) for e in entrees] == [(Nature.COMPTE_DROITS, operateur.pk)] * 2
    assert {c: (v["avant"], v["apres"]) for c, v in entrees[0].changements.items()} == {
        "is_staff": ("non", "oui"),
        "is_superuser": ("non", "oui"),
    }
    assert set(entrees[1].changements) == {"is_active", "is_staff", "is_superuser"}


def test_l_admin_ne_journalise_rien_quand_les_droits_ne_changent_pas(client, operateur):
    agent = UserFactory()
    url = reverse("admin:acteurs_user_change", args=[agent.pk])
    identite = {**_formulaire_utilisateur(agent, []), "first_name": "Amina"}
    assert client.post(url, identite).status_code == 302
    agent.refresh_from_db()
    assert agent.first_name == "Amina"
    assert not journal.historique(agent).exists()


def test_l_admin_habilite_le_cabinet_d_une_region_pas_de_toute_la_france(client, operateur):
    agent = UserFactory()
    url = reverse("admin:acteurs_user_change", args=[agent.pk])
    national = {"perimetre": "france", "role": "cabinet", "actif": "on"}
    response = client.post(url, _formulaire_utilisateur(agent, [national]))
    assert response.status_code == 200
    assert "Toute la France : lecteurs seulement." in html.unescape(response.content.decode())
    for role in ("pilotage", "communication"):
        ligne = {"perimetre": "region", "region": "28", "role": role, "actif": "on"}
        response = client.post(url, _formulaire_utilisateur(agent, [ligne]))
        assert response.status_code == 200, role
    assert not Habilitation.objects.filter(user=agent).exists()

    regional = {"perimetre": "region", "region": "28", "role": "cabinet", "actif": "on"}
    response = client.post(url, _formulaire_utilisateur(agent, [regional]))
    assert response.status_code == 302
    habilitation = Habilitation.objects.get(user=agent)
    assert (habilitation.role, habilitation.perimetre, habilitation.region) == (
        "cabinet",
        "region",
        "28",
    )
    assert journal.historique(agent).get().nature == Nature.HABILITATION_OCTROI


def test_l_admin_habilite_la_communication_d_un_departement(client, operateur, seine_maritime):
    agent = UserFactory()
    url = reverse("admin:acteurs_user_change", args=[agent.pk])
    ligne = {"departement": str(seine_maritime.pk), "role": "communication", "actif": "on"}
    response = client.post(url, _formulaire_utilisateur(agent, [ligne]))
    assert response.status_code == 302
    habilitation = Habilitation.objects.get(user=agent)
    assert (habilitation.role, habilitation.departement) == ("communication", seine_maritime)
    assert journal.historique(agent).get().nature == Nature.HABILITATION_OCTROI
