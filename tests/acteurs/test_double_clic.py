"""Invitations clicked twice at once (a double click, two tabs): one invitation, one
e-mail, the link it carries still good, and the second tab told so in French.

Each test fires the same POST from two tabs of one user against the live server, on
PostgreSQL (tests/concurrency.py).
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from acteurs.journal import Nature
from acteurs.models import Acteur, Invitation, Membre
from integration.models import Evenement
from tests.acteurs.factories import ActeurFactory
from tests.concurrency import Onglets, une_seule

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# What the form carries and the service stores (e-mail addresses are kept lower case).
ADRESSE = "invitee@example.fr"


def _lien_valable(live_server, message) -> None:
    """The link MESSAGE carries opens the page that creates one's account."""
    import requests

    lien = re.search(r"https?://\S+/acteurs/invitation/\S+/", message.body).group(0)
    chemin = "/" + lien.split("/", 3)[3]
    page = requests.get(live_server.url + chemin, timeout=30)
    assert page.status_code == 200 and "Créez votre compte" in page.text


def _inviter(association, par, client) -> Invitation:
    client.force_login(par)
    client.post(
        reverse("acteurs:invitation_creer"),
        {"email": ADRESSE, "acteur": association.pk, "role_membre": "lecteur"},
    )
    mail.outbox.clear()
    return Invitation.objects.get()


def test_inviter_deux_fois_invite_une_fois(live_server, admin_structure, association):
    onglets = Onglets(live_server, admin_structure)
    reponses = onglets.poster(
        reverse("acteurs:invitation_creer"),
        {"email": ADRESSE, "acteur": association.pk, "role_membre": "lecteur"},
    )

    pages = onglets.pages(reponses)
    une_seule(
        pages,
        f"Invitation envoyée à {ADRESSE}",
        "Une invitation est déjà en cours pour cette adresse : renvoyez-la plutôt.",
    )
    assert Invitation.objects.filter(email=ADRESSE, acteur=association).count() == 1
    assert len(mail.outbox) == 1
    _lien_valable(live_server, mail.outbox[0])


def test_renvoyer_deux_fois_envoie_un_courriel(live_server, client, admin_structure, association):
    invitation = _inviter(association, admin_structure, client)
    membres = client.get(reverse("acteurs:membres", args=[association.pk])).content.decode()
    assert '<input type="hidden" name="envoi" value="1">' in membres  # the sendings seen
    onglets = Onglets(live_server, admin_structure)
    reponses = onglets.poster(
        reverse("acteurs:invitation_renvoyer", args=[invitation.pk]), {"envoi": "1"}
    )

    pages = onglets.pages(reponses)
    une_seule(
        pages,
        f"Invitation renvoyée à {ADRESSE}",
        "Cette invitation vient d&#x27;être renvoyée : le dernier courriel envoyé contient "
        "le lien valable.",
    )
    invitation.refresh_from_db()
    assert invitation.nb_envois == 2
    assert len(mail.outbox) == 1  # one e-mail, whose link is the one that works
    _lien_valable(live_server, mail.outbox[0])


def test_revoquer_deux_fois_revoque_une_fois(live_server, client, admin_structure, association):
    invitation = _inviter(association, admin_structure, client)
    onglets = Onglets(live_server, admin_structure)
    reponses = onglets.poster(reverse("acteurs:invitation_revoquer", args=[invitation.pk]))

    pages = onglets.pages(reponses)
    une_seule(
        pages,
        "est révoquée.",
        "Cette invitation est révoquée : rien à révoquer.",
    )
    assert Evenement.objects.filter(nature=Nature.INVITATION_REVOCATION).count() == 1


def test_valider_une_proposition_deux_fois(live_server, pilotage, seine_maritime):
    proposition = ActeurFactory(departement=seine_maritime, en_attente=True)
    onglets = Onglets(live_server, pilotage)
    reponses = onglets.poster(
        reverse("acteurs:moderer", args=[proposition.pk]), {"decision": "valider"}
    )

    pages = onglets.pages(reponses)
    une_seule(pages, "est validé et rejoint le registre", "Cette proposition a déjà été traitée.")
    assert [m.to for m in mail.outbox] == [[proposition.propose_par.email]]
    assert Evenement.objects.filter(nature=Nature.ACTEUR_VALIDATION).count() == 1


def test_desactiver_un_membre_deux_fois(live_server, admin_structure, partenaire):
    membre = Membre.objects.get(user=partenaire)
    onglets = Onglets(live_server, admin_structure)
    reponses = onglets.poster(reverse("acteurs:membre_desactiver", args=[membre.pk]))

    pages = onglets.pages(reponses)
    une_seule(
        pages, "n&#x27;est plus membre actif de la structure", "Ce membre est déjà désactivé."
    )
    assert Evenement.objects.filter(nature=Nature.MEMBRE_DESACTIVATION).count() == 1


def test_creer_un_acteur_deux_fois_le_cree_une_fois(live_server, pilotage, seine_maritime):
    """With a SIRET, the second insert met the database's unique constraint: a 500."""
    onglets = Onglets(live_server, pilotage)
    reponses = onglets.poster(
        reverse("acteurs:creer"),
        {"type": "association", "nom": "Accueil du Plateau", "siret": "73282932000074"},
    )

    pages = onglets.pages(reponses)
    une_seule(pages, "a été créé.", "porte déjà ce SIRET")
    assert Acteur.objects.filter(nom="Accueil du Plateau").count() == 1
    assert Evenement.objects.filter(nature=Nature.ACTEUR_CREATION).count() == 1


def test_proposer_un_acteur_deux_fois_le_propose_une_fois(live_server, partenaire, pilotage):
    """Without a SIRET, two proposals of the same name, and two e-mails to pilotage."""
    onglets = Onglets(live_server, partenaire)
    reponses = onglets.poster(
        reverse("acteurs:creer"), {"type": "association", "nom": "Cours du soir"}
    )

    pages = onglets.pages(reponses)
    une_seule(
        pages,
        "a été transmise au service pilote",
        "Un acteur de ce nom existe déjà dans le département.",
    )
    assert Acteur.objects.filter(nom="Cours du soir").count() == 1
    assert [m.to for m in mail.outbox] == [[pilotage.email]]
