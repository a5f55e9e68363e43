"""The same click sent again once the first one is done (a second tab, a reload): a French
message, never a 403 or a second effect."""

import html

from django.urls import reverse

from acteurs.models import Membre
from tests.acteurs.factories import ActeurFactory, InvitationFactory


def _deux_fois(client, url, donnees=None) -> str:
    assert client.post(url, donnees or {}).status_code == 302
    seconde = client.post(url, donnees or {}, follow=True)
    assert seconde.status_code == 200
    return html.unescape(seconde.content.decode())


def test_revoquer_une_invitation_deja_revoquee(client, admin_structure, association):
    invitation = InvitationFactory(acteur=association, departement=association.departement)
    client.force_login(admin_structure)
    page = _deux_fois(client, reverse("acteurs:invitation_revoquer", args=[invitation.pk]))
    assert "Cette invitation est révoquée : rien à révoquer." in page


def test_valider_une_proposition_deja_traitee(client, pilotage, seine_maritime):
    proposition = ActeurFactory(departement=seine_maritime, en_attente=True)
    client.force_login(pilotage)
    url = reverse("acteurs:moderer", args=[proposition.pk])
    page = _deux_fois(client, url, {"decision": "valider"})
    assert "Cette proposition a déjà été traitée." in page


def test_desactiver_un_membre_deja_desactive(client, admin_structure, partenaire):
    membre = Membre.objects.get(user=partenaire)
    client.force_login(admin_structure)
    page = _deux_fois(client, reverse("acteurs:membre_desactiver", args=[membre.pk]))
    assert "Ce membre est déjà désactivé." in page
