"""Every page that only shows something answers 405 to a POST, instead of acting as if it
were a GET: a write can only reach a view that expects one.

The views that take a POST are listed below; any other view of the URL conf must refuse
it. A new page is read-only until it says otherwise here.
"""

import pytest
from django.urls import reverse

from tests.acteurs.factories import HabilitationFactory
from tests.integration.test_urls_anonymous import ADMIN_PREFIX, ENDPOINTS

# The views that take a POST: forms, workflow steps, uploads, sign-in and the public check.
ECRITURES = {
    "login", "logout", "password_change", "password_reset", "password_reset_confirm",
    "changer_departement", "verifier", "documents:relancer",
    "acteurs:creer", "acteurs:modifier", "acteurs:archiver", "acteurs:restaurer",
    "acteurs:moderer", "acteurs:importer", "acteurs:confirmer_import",
    "acteurs:membre_role", "acteurs:membre_desactiver", "acteurs:invitation_creer",
    "acteurs:invitation_renvoyer", "acteurs:invitation_revoquer",
    "acteurs:invitation_accepter", "acteurs:contacts_presse",
    "actions:creer", "actions:modifier", "actions:transition", "actions:refuser", "actions:suivi",
    "actions:bilan_action", "actions:bilan_axe", "actions:commenter", "actions:repondre",
    "actions:feuille_creer", "actions:feuille_modifier", "actions:feuille_axes",
    "actions:feuille_etape", "actions:feuille_signer", "actions:feuille_exporter",
    "actions:feuille_nouvelle_version", "actions:indicateurs_import",
    "actions:indicateurs_confirmer", "actions:statistiques_saisir", "actions:contrat_creer",
    "actions:contrat_modifier", "actions:avenant_creer",
    "comites:agenda", "comites:instance_creer", "comites:siege_ajouter",
    "comites:siege_terminer", "comites:seance_creer", "comites:seance_modifier",
    "comites:seance_annuler", "comites:point_ajouter", "comites:invite_ajouter",
    "comites:convoquer", "comites:convocation_renvoyer", "comites:emarger",
    "comites:cloturer", "comites:compte_rendu", "comites:decision_ajouter",
    "comites:decision_statut", "comites:communique", "comites:repondre",
    "comites:repondre_lien", "comites:communique_pdf", "comites:compte_rendu_pdf",
    "comites:emargement_pdf", "comites:personne_modifier",
    "comites:seance_passee", "comites:avis_medias", "comites:avis_medias_pdf",
}  # fmt: skip
LECTURES = [e for e in ENDPOINTS if e.key not in ECRITURES and not e.url.startswith(ADMIN_PREFIX)]


def test_the_writes_named_here_exist():
    assert {e.key for e in ENDPOINTS} >= ECRITURES


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", LECTURES, ids=lambda e: e.key)
def test_a_read_only_page_refuses_a_post(client, seine_maritime, endpoint):
    client.force_login(HabilitationFactory(departement=seine_maritime, role="pilotage").user)
    response = client.post(endpoint.url, {"champ": "valeur"})
    assert response.status_code == 405, f"{endpoint.key} ({endpoint.url}) : {response.status_code}"
    assert response["Allow"] in {"GET, HEAD", "GET, HEAD, OPTIONS", "GET, OPTIONS", "GET"}
    assert "rien n'a été enregistré" in response.content.decode()


@pytest.mark.django_db
def test_a_link_to_a_form_s_address_gets_a_french_page(client, pilotage):
    client.force_login(pilotage)
    response = client.get(reverse("actions:transition", args=[1]))
    assert response.status_code == 405
    assert "Cette adresse reçoit un formulaire" in response.content.decode()
