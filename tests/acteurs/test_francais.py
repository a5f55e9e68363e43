"""French in sentences: départements with their article, elision, counts that agree."""

import pytest
from django.core import mail
from django.urls import reverse

from acteurs.models import Departement, du_nom
from integration.text import de
from tests.acteurs.factories import ActeurFactory


@pytest.mark.parametrize(
    ("nom", "titre", "attendu"),
    [
        ("Hautes-Alpes", "Préfète des Hautes-Alpes", "des Hautes-Alpes"),
        ("Seine-Maritime", "Préfet de la Seine-Maritime", "de la Seine-Maritime"),
        ("Ain", "Préfet de l'Ain", "de l'Ain"),
        ("Calvados", "Préfet du Calvados", "du Calvados"),
        ("Eure-et-Loir", "Préfet d’Eure-et-Loir", "d'Eure-et-Loir"),
        ("Paris", "Préfet de la région Île-de-France, préfet de Paris", "de Paris"),
        ("Essonne", "", "d'Essonne"),  # no title: the elision rule alone
        ("Var", "", "de Var"),
    ],
)
def test_le_departement_prend_son_article(nom, titre, attendu):
    assert du_nom(nom, titre) == attendu


def test_chaque_departement_du_referentiel_a_son_article():
    import csv
    from pathlib import Path

    chemin = Path(__file__).resolve().parents[2] / "acteurs" / "data" / "departements.csv"
    with chemin.open(encoding="utf-8") as fichier:
        for ligne in csv.DictReader(fichier):
            departement = Departement(nom=ligne["nom"], titre_prefet=ligne["titre_prefet"])
            assert ligne["titre_prefet"].endswith(" " + departement.du_nom) or ligne[
                "titre_prefet"
            ].endswith(departement.du_nom), ligne


@pytest.mark.parametrize(
    ("mot", "attendu"),
    [("agent@prefecture.fr", "d'agent@prefecture.fr"), ("Émile", "d'Émile"), ("Paul", "de Paul")],
)
def test_elision(mot, attendu):
    assert de(mot) == attendu


def test_invitation_dans_l_equipe_des_hautes_alpes(client, hautes_alpes, apres_commit):
    from tests.acteurs.factories import HabilitationFactory

    pilotage = HabilitationFactory(departement=hautes_alpes, role="pilotage").user
    client.force_login(pilotage)
    with apres_commit():
        client.post(
            reverse("acteurs:invitation_creer"),
            {"email": "agent@hautes-alpes.gouv.fr", "role_departemental": "lecteur"},
        )
    assert "l'équipe départementale des Hautes-Alpes" in mail.outbox[-1].body
    page = client.get(reverse("acteurs:invitations")).content.decode()
    assert "Invitation de agent" not in page


def test_revocation_elide(client, pilotage, seine_maritime):
    from acteurs.models import Invitation

    client.force_login(pilotage)
    client.post(
        reverse("acteurs:invitation_creer"),
        {"email": "agent@exemple.fr", "role_departemental": "lecteur"},
    )
    invitation = Invitation.objects.get(email="agent@exemple.fr")
    response = client.post(
        reverse("acteurs:invitation_revoquer", args=[invitation.pk]), follow=True
    )
    assert "L&#x27;invitation d&#x27;agent@exemple.fr est révoquée." in response.content.decode()


def test_fil_d_ariane_de_l_invitation(client, pilotage):
    client.force_login(pilotage)
    page = client.get(reverse("acteurs:invitation_creer")).content.decode()
    fil = page[page.index('class="fr-breadcrumb__list"') : page.index("</ol>")]
    assert fil.index(">Acteurs<") < fil.index(">Invitations<")


def test_tableau_de_bord_et_liste_comptent_les_memes_acteurs(client, partenaire, seine_maritime):
    ActeurFactory(departement=seine_maritime)
    ActeurFactory(departement=seine_maritime, archive=True)
    ActeurFactory(departement=seine_maritime, en_attente=True, propose_par=partenaire)
    ActeurFactory(departement=seine_maritime, en_attente=True)  # another partner's draft
    client.force_login(partenaire)
    liste = client.get(reverse("acteurs:liste")).context["page"].paginator.count
    tableau = client.get(reverse("tableau_de_bord")).context["nb_acteurs"]
    assert tableau == liste
    assert liste >= 2  # the validated actor and the partner's own proposal at least
