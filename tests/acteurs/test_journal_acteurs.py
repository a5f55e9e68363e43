"""What the actors' registry writes to the journal, and how an actor's page shows it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from acteurs import services
from acteurs.journal import Nature
from acteurs.models import Habilitation
from integration import journal
from tests.acteurs.factories import ActeurFactory, UserFactory


def _requetes(client, url) -> int:
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url).status_code == 200
    return len(requetes)


def test_la_page_montre_l_historique_des_membres_en_requetes_constantes(
    client, pilotage, association
):
    client.force_login(pilotage)
    services.modifier_acteur(association, {"sigle": "AAR"}, by=pilotage)
    url = association.get_absolute_url()
    peu = _requetes(client, url)
    for _ in range(8):
        membre = services.ajouter_membre(association, UserFactory(), "lecteur", by=pilotage)
        services.changer_role_membre(membre, "contributeur", by=pilotage)
    assert _requetes(client, url) == peu

    page = client.get(url).content.decode()
    assert page.count("Changement de rôle d&#x27;un membre") == 8
    assert "Ajout d&#x27;un membre" in page and "Modification" in page
    assert f"{membre.user} – {association.nom}" in page  # whose membership it was


def test_le_rejet_garde_son_motif(client, pilotage, seine_maritime):
    proposition = ActeurFactory(departement=seine_maritime, en_attente=True)
    services.rejeter_proposition(proposition, by=pilotage, motif="Déjà enregistré <b>ici</b>.")
    rejet = journal.historique(proposition).get()
    assert rejet.nature == Nature.ACTEUR_REJET and rejet.detail == "Déjà enregistré <b>ici</b>."
    client.force_login(pilotage)
    page = client.get(proposition.get_absolute_url()).content.decode()
    assert "Déjà enregistré &lt;b&gt;ici&lt;/b&gt;." in page


# --- Habilitations ----------------------------------------------------------------------


def test_habiliter_changer_retirer_reactiver(seine_maritime, pilotage):
    agent = UserFactory()
    habilitation = services.habiliter(agent, seine_maritime, "lecteur", by=pilotage)
    services.habiliter(agent, seine_maritime, "lecteur", by=pilotage)  # nothing to do
    services.habiliter(agent, seine_maritime, "cabinet", by=pilotage)
    services.retirer_habilitation(habilitation, by=pilotage)
    services.habiliter(agent, seine_maritime, "pilotage", by=None)

    habilitation.refresh_from_db()
    assert habilitation.actif and habilitation.role == "pilotage"
    evenements = list(journal.historique(agent).order_by("le", "pk"))
    assert [e.nature for e in evenements] == [
        Nature.HABILITATION_OCTROI,
        Nature.HABILITATION_ROLE,
        Nature.HABILITATION_RETRAIT,
        Nature.HABILITATION_REACTIVATION,
    ]
    assert evenements[1].changements["role"] == {
        "libelle": "rôle",
        "avant": "Lecteur (services régionaux ou nationaux)",
        "apres": "Cabinet du préfet",
    }
    assert evenements[-1].par is None  # a system event
    assert all(e.objet_id == habilitation.pk for e in evenements)


def test_habilitation_refusee_sans_rien_ecrire(seine_maritime, pilotage):
    agent = UserFactory()
    with pytest.raises(ValidationError):
        services.habiliter(agent, seine_maritime, "prefet", by=pilotage)
    assert not Habilitation.objects.filter(user=agent).exists()
    habilitation = services.habiliter(agent, seine_maritime, "lecteur", by=pilotage)
    services.retirer_habilitation(habilitation, by=pilotage)
    with pytest.raises(ValidationError):
        services.retirer_habilitation(habilitation, by=pilotage)
    assert journal.historique(agent).count() == 2
