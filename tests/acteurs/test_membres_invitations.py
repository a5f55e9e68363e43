"""Members are deactivated, never deleted; invitations expire, can be resent and revoked."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from acteurs import services
from acteurs.journal import Nature
from acteurs.models import Habilitation, Invitation, Membre, User
from integration import journal
from integration.models import OutboxTask
from tests.acteurs.factories import (
    PASSWORD,
    ActeurFactory,
    InvitationFactory,
    MembreFactory,
    UserFactory,
)


def _lien(message) -> str:
    return re.search(r"https?://\S+/acteurs/invitation/\S+/", message.body).group(0)


def _chemin(lien: str) -> str:
    return "/" + lien.split("/", 3)[3]


# --- Members ----------------------------------------------------------------------------


def test_partenaire_ne_voit_pas_les_membres_d_un_autre_acteur(client, partenaire, seine_maritime):
    autre = ActeurFactory(departement=seine_maritime)
    MembreFactory(acteur=autre, user=UserFactory(email="cache@example.fr"))
    client.force_login(partenaire)
    response = client.get(reverse("acteurs:membres", args=[autre.pk]))
    assert response.status_code == 403
    assert "cache@example.fr" not in client.get(autre.get_absolute_url()).content.decode()


def test_admin_desactive_un_membre_jamais_supprime(
    client, admin_structure, partenaire, association
):
    membre = Membre.objects.get(user=partenaire)
    client.force_login(admin_structure)
    client.post(reverse("acteurs:membre_desactiver", args=[membre.pk]))
    membre.refresh_from_db()
    assert not membre.actif and membre.desactive_par == admin_structure
    evenement = journal.historique(association).get(nature=Nature.MEMBRE_DESACTIVATION)
    assert evenement.objet_id == membre.pk and evenement.par == admin_structure
    with pytest.raises(ProtectedError):
        partenaire.delete()


def test_le_dernier_administrateur_reste(client, admin_structure, association):
    membre = Membre.objects.get(user=admin_structure)
    client.force_login(admin_structure)
    response = client.post(reverse("acteurs:membre_desactiver", args=[membre.pk]), follow=True)
    assert "dernier administrateur" in response.content.decode()
    membre.refresh_from_db()
    assert membre.actif


def test_changer_le_role(client, pilotage, partenaire, association):
    membre = Membre.objects.get(user=partenaire)
    client.force_login(pilotage)
    client.post(reverse("acteurs:membre_role", args=[membre.pk]), {"role": "administrateur"})
    membre.refresh_from_db()
    assert membre.role == "administrateur"
    evenement = journal.historique(association).get(nature=Nature.MEMBRE_ROLE)
    assert evenement.objet_id == membre.pk
    changement = evenement.changements["role"]
    assert changement == {
        "libelle": "rôle",
        "avant": "Contributeur",
        "apres": "Administrateur de la structure",
    }  # noqa: E501


def test_role_invalide_ne_change_rien(client, pilotage, partenaire):
    membre = Membre.objects.get(user=partenaire)
    client.force_login(pilotage)
    response = client.post(reverse("acteurs:membre_role", args=[membre.pk]), {"role": "roi"})
    assert response.status_code == 302
    membre.refresh_from_db()
    assert membre.role == "contributeur"


# --- Invitations ------------------------------------------------------------------------


def test_admin_invite_un_collegue_qui_cree_son_compte(
    client, admin_structure, association, apres_commit
):
    client.force_login(admin_structure)
    with apres_commit():
        response = client.post(
            reverse("acteurs:invitation_creer"),
            {
                "email": "Nouvelle.Collegue@Example.fr",
                "acteur": association.pk,
                "role_membre": "contributeur",
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "nouvelle.collegue@example.fr"
    assert invitation.expire_le - invitation.envoyee_le == timedelta(days=14)
    lien = _lien(mail.outbox[-1])
    assert association.nom in mail.outbox[-1].body

    client.logout()
    page = client.get(_chemin(lien))
    assert page.status_code == 200 and "Créez votre compte" in page.content.decode()
    response = client.post(
        _chemin(lien),
        {"first_name": "Inès", "last_name": "Moreau", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle.collegue@example.fr")
    assert user.check_password(PASSWORD)
    assert Membre.objects.get(user=user, acteur=association).role == "contributeur"
    invitation.refresh_from_db()
    assert invitation.acceptee_le is not None
    # The link works once.
    client.logout()
    assert client.get(_chemin(lien)).status_code == 404


def test_mots_de_passe_differents(client, association, apres_commit):
    invitation_lien = _inviter(client, association, apres_commit)
    client.logout()
    response = client.post(
        _chemin(invitation_lien),
        {"first_name": "A", "last_name": "B", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )
    assert response.status_code == 200
    assert "ne correspondent pas" in response.content.decode()
    assert not User.objects.filter(email="invite@example.fr").exists()


def _inviter(client, association, apres_commit, email="invite@example.fr"):
    pilote = Habilitation.objects.create(
        user=UserFactory(), departement=association.departement, role="pilotage"
    ).user
    client.force_login(pilote)
    with apres_commit():
        client.post(
            reverse("acteurs:invitation_creer"),
            {"email": email, "acteur": association.pk, "role_membre": "lecteur"},
        )
    return _lien(mail.outbox[-1])


def test_invitation_expiree(client, association, apres_commit):
    lien = _inviter(client, association, apres_commit)
    Invitation.objects.update(expire_le=timezone.now() - timedelta(minutes=1))
    client.logout()
    response = client.get(_chemin(lien))
    assert response.status_code == 404
    assert "expirée" in response.content.decode()


def test_renvoyer_remplace_le_lien(client, association, apres_commit):
    ancien = _inviter(client, association, apres_commit)
    invitation = Invitation.objects.get()
    Invitation.objects.update(expire_le=timezone.now() - timedelta(days=1))
    with apres_commit():
        client.post(reverse("acteurs:invitation_renvoyer", args=[invitation.pk]))
    nouveau = _lien(mail.outbox[-1])
    assert nouveau != ancien
    invitation.refresh_from_db()
    assert invitation.nb_envois == 2 and invitation.est_utilisable
    client.logout()
    assert client.get(_chemin(ancien)).status_code == 404
    assert client.get(_chemin(nouveau)).status_code == 200


def test_revoquer(client, association, apres_commit):
    lien = _inviter(client, association, apres_commit)
    client.post(reverse("acteurs:invitation_revoquer", args=[Invitation.objects.get().pk]))
    client.logout()
    assert client.get(_chemin(lien)).status_code == 404


def test_compte_existant_doit_se_connecter(client, association, apres_commit):
    existant = UserFactory(email="invite@example.fr")
    lien = _inviter(client, association, apres_commit)
    client.logout()
    response = client.get(_chemin(lien))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(existant)
    client.post(_chemin(lien))
    assert Membre.objects.filter(user=existant, acteur=association, actif=True).exists()


def test_un_autre_compte_ne_peut_pas_accepter(client, association, partenaire, apres_commit):
    UserFactory(email="invite@example.fr")
    lien = _inviter(client, association, apres_commit)
    client.force_login(partenaire)
    assert client.post(_chemin(lien)).status_code == 403
    assert not Invitation.objects.get().acceptee_le


def test_partenaire_contributeur_ne_peut_pas_inviter(client, partenaire):
    client.force_login(partenaire)
    assert client.get(reverse("acteurs:invitation_creer")).status_code == 403


def test_admin_ne_peut_pas_inviter_dans_une_autre_structure(
    client, admin_structure, seine_maritime
):
    autre = ActeurFactory(departement=seine_maritime)
    client.force_login(admin_structure)
    response = client.post(
        reverse("acteurs:invitation_creer"),
        {"email": "x@example.fr", "acteur": autre.pk, "role_membre": "lecteur"},
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_pilotage_invite_dans_l_equipe_departementale(
    client, pilotage, seine_maritime, apres_commit
):
    client.force_login(pilotage)
    with apres_commit():
        client.post(
            reverse("acteurs:invitation_creer"),
            {"email": "cabinet2@example.fr", "role_departemental": "cabinet"},
        )
    lien = _lien(mail.outbox[-1])
    client.logout()
    client.post(
        _chemin(lien),
        {"first_name": "Paul", "last_name": "Roy", "password1": PASSWORD, "password2": PASSWORD},
    )
    habilitation = Habilitation.objects.get(user__email="cabinet2@example.fr")
    assert habilitation.role == "cabinet" and habilitation.departement == seine_maritime
    octroi = journal.historique(habilitation.user).get()
    assert octroi.nature == Nature.HABILITATION_OCTROI and octroi.par == habilitation.user
    assert octroi.changements["role"]["apres"] == "Cabinet du préfet"
    envoi = journal.historique(seine_maritime).get(nature=Nature.INVITATION_ENVOI)
    assert envoi.par == pilotage and envoi.objet_libelle == "Invitation de cabinet2@example.fr"


def test_pilotage_invite_la_communication_de_la_prefecture(
    client, pilotage, seine_maritime, apres_commit
):
    """The press office joins as the cabinet does: by pilotage's invitation, journalled."""
    client.force_login(pilotage)
    formulaire = client.get(reverse("acteurs:invitation_creer")).content.decode()
    assert "Communication (service de presse de la préfecture)" in formulaire
    with apres_commit():
        client.post(
            reverse("acteurs:invitation_creer"),
            {"email": "presse@example.fr", "role_departemental": "communication"},
        )
    lien = _lien(mail.outbox[-1])
    client.logout()
    client.post(
        _chemin(lien),
        {"first_name": "Lina", "last_name": "Roy", "password1": PASSWORD, "password2": PASSWORD},
    )
    habilitation = Habilitation.objects.get(user__email="presse@example.fr")
    assert habilitation.role == "communication" and habilitation.departement == seine_maritime
    octroi = journal.historique(habilitation.user).get()
    assert octroi.changements["role"]["apres"] == (
        "Communication (service de presse de la préfecture)"
    )


def test_invitation_en_double_refusee(client, association, apres_commit):
    _inviter(client, association, apres_commit)
    response = client.post(
        reverse("acteurs:invitation_creer"),
        {"email": "invite@example.fr", "acteur": association.pk, "role_membre": "lecteur"},
    )
    assert "déjà en cours" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_renvoyer_une_invitation_dont_l_auteur_a_disparu(
    client, pilotage, association, apres_commit
):
    """An invitation whose inviter's account is gone (SET_NULL) can still be re-sent."""
    invitation = InvitationFactory(acteur=association, invite_par=None)
    client.force_login(pilotage)
    with apres_commit():
        response = client.post(reverse("acteurs:invitation_renvoyer", args=[invitation.pk]))
    assert response.status_code == 302
    assert "Le service pilote de la stratégie d'intégration vous invite" in mail.outbox[-1].body


# --- Whether the e-mail really left -----------------------------------------------------


def _envoi(status, **fields):
    return OutboxTask.objects.create(
        task_name="integration.tasks.send_email", status=status, **fields
    )


def test_l_invitation_garde_l_envoi_de_son_dernier_courriel(client, association, apres_commit):
    _inviter(client, association, apres_commit)
    invitation = Invitation.objects.select_related("envoi").get()
    premier = invitation.envoi
    assert premier.status == OutboxTask.Status.DONE and premier.done_at is not None

    with apres_commit():
        client.post(reverse("acteurs:invitation_renvoyer", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.envoi_id != premier.pk
    assert invitation.envoi.status == OutboxTask.Status.DONE
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("page", ["invitations", "membres"])
def test_l_etat_du_courriel_se_lit_sur_les_listes(client, pilotage, association, page):
    envoye_le = timezone.make_aware(timezone.datetime(2026, 6, 20, 14, 5))
    for email, envoi in [
        ("parti@example.fr", _envoi("done", done_at=envoye_le)),
        ("attente@example.fr", _envoi("pending")),
        ("confie@example.fr", _envoi("sent")),
        ("echec@example.fr", _envoi("failed", last_error="SMTPRecipientsRefused")),
        ("ancien@example.fr", None),
    ]:
        InvitationFactory(acteur=association, email=email, envoi=envoi)
    client.force_login(pilotage)
    url = (
        reverse("acteurs:invitations")
        if page == "invitations"
        else reverse("acteurs:membres", args=[association.pk])
    )

    # One table row per invitation, keyed by its address (the row's first cell).
    lignes = {
        re.search(r"<td>([^<]+@example\.fr)</td>", ligne).group(1): ligne
        for ligne in client.get(url).content.decode().split("<tr>")
        if re.search(r"<td>[^<]+@example\.fr</td>", ligne)
    }
    assert len(lignes) == 5

    assert "Courriel envoyé le 20 juin 2026 à 14 h 05" in lignes["parti@example.fr"]
    assert "fr-badge--success" in lignes["parti@example.fr"]
    assert "En attente d'envoi" in lignes["attente@example.fr"]
    assert "En attente d'envoi" in lignes["confie@example.fr"]
    assert "Échec de l'envoi" in lignes["echec@example.fr"]
    assert "SMTPRecipientsRefused" not in lignes["echec@example.fr"]  # for operators only


@pytest.mark.parametrize("page", ["invitations", "membres"])
def test_les_listes_d_invitations_ne_multiplient_pas_les_requetes(
    client, pilotage, association, page
):
    url = (
        reverse("acteurs:invitations")
        if page == "invitations"
        else reverse("acteurs:membres", args=[association.pk])
    )
    client.force_login(pilotage)

    def requetes(nombre):
        for _ in range(nombre):
            InvitationFactory(acteur=association, envoi=_envoi("done", done_at=timezone.now()))
        with CaptureQueriesContext(connection) as capture:
            assert client.get(url).status_code == 200
        return len(capture)

    assert requetes(2) == requetes(20)


@pytest.mark.django_db(transaction=True)
def test_l_annonce_dit_que_le_courriel_est_parti(client, pilotage, association):
    """Committed for real: the e-mail leaves before the page answers (embedded mode)."""
    client.force_login(pilotage)
    response = client.post(
        reverse("acteurs:invitation_creer"),
        {"email": "parti@example.fr", "acteur": association.pk, "role_membre": "lecteur"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Invitation envoyée à parti@example.fr. Le lien reste valable 14 jours."
    ]
    assert [m.to for m in mail.outbox] == [["parti@example.fr"]]


def test_une_invitation_acceptee_dans_un_autre_onglet_ne_laisse_pas_de_compte(association):
    """The account is opened with the acceptance, both or neither: a second tab's form,
    sent once the first one has joined, is refused and opens no second account."""
    invitation = InvitationFactory(acteur=association, email="invite@example.fr")
    vue_dans_l_onglet = Invitation.objects.get(pk=invitation.pk)
    Invitation.objects.filter(pk=invitation.pk).update(acceptee_le=timezone.now())
    with pytest.raises(ValidationError):
        services.accepter_invitation_avec_nouveau_compte(
            vue_dans_l_onglet, mot_de_passe=PASSWORD, prenom="Inès", nom="Moreau"
        )
    assert not User.objects.filter(email="invite@example.fr").exists()
