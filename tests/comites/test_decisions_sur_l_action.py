"""An action's page shows the comités' decisions about it, and its consultation comments,
to those who may read them."""

import html

import pytest

from actions.models import CommentaireConsultation
from tests.actions.factories import ActionFactory, AxeFactory, FeuilleDeRouteFactory
from tests.comites.factories import DecisionFactory, InstanceFactory, SeanceFactory

DECISION = "Ouvrir un second groupe d'ateliers à Elbeuf."


@pytest.fixture
def action_decidee(seine_maritime, association):
    feuille = FeuilleDeRouteFactory(departement=seine_maritime)
    action = ActionFactory(axe=AxeFactory(feuille=feuille), porteur=association, validee=True)
    seance = SeanceFactory(instance=InstanceFactory(departement=seine_maritime))
    DecisionFactory(seance=seance, texte=DECISION).actions.add(action)
    return action


def _page(client, user, action):
    client.force_login(user)
    response = client.get(action.get_absolute_url())
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_pilotage_lit_les_decisions_des_comites_sur_l_action(client, pilotage, action_decidee):
    page = _page(client, pilotage, action_decidee)
    assert "Décisions des comités" in page and DECISION in page


def test_un_partenaire_non_convoque_n_apprend_rien_de_la_seance(client, partenaire, action_decidee):
    page = _page(client, partenaire, action_decidee)
    assert DECISION not in page and "Décisions des comités" not in page


def test_les_commentaires_de_consultation_accompagnent_l_action(
    client, pilotage, partenaire, action_decidee
):
    CommentaireConsultation.objects.create(
        feuille=action_decidee.feuille,
        action=action_decidee,
        auteur=partenaire,
        texte="Prévoir une garde d'enfants <script>alert(1)</script>",
    )
    client.force_login(pilotage)
    brut = client.get(action_decidee.get_absolute_url()).content.decode()
    assert "Consultation des partenaires" in brut
    assert "<script>alert(1)</script>" not in brut  # user text escaped
    assert "&lt;script&gt;" in brut
