"""Upgrading an installation keeps every line of the actors' former history.

The schema goes back to before the journal, the former table gets entries written as the
application wrote them, and the schema comes forward again: the journal has them all,
with their kinds, authors, dates and objects. Back and forth again copies nothing twice.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from acteurs.journal import Nature
from acteurs.models import Departement
from integration import verrou
from integration.models import Evenement
from tests.acteurs.factories import ActeurFactory, MembreFactory, UserFactory

# Half a minute: marked, so that they can be left out while developing (README, "Tests").
pytestmark = [pytest.mark.migrations, pytest.mark.django_db(transaction=True)]

AVANT = [("acteurs", "0004_invitation_envoi")]
APRES = [("acteurs", "0006_supprimer_modification")]


def _executer(cible) -> MigrationExecutor:
    """Migrate to CIBLE as `manage.py migrate` does: the verrous' triggers lifted before
    and put back after (its pre_migrate and post_migrate, which the executor alone skips),
    so that no table rebuild meets one."""
    executor = MigrationExecutor(connection)
    verrou.retirer_tout(connection)
    executor.migrate(cible)
    verrou.installer_tout(connection)
    return executor


def _migrer(cible):
    executor = _executer(cible)
    executor.loader.build_graph()
    return executor.loader.project_state(cible).apps


def _tout_remettre():
    """Every app forward again: going back on acteurs also unapplied the apps built on it
    (actions, comites), which the tests after this one need."""
    _executer(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _ancien_historique(apps):
    """Entries as the former `_journal()` wrote them."""
    Modification = apps.get_model("acteurs", "Modification")
    Invitation = apps.get_model("acteurs", "Invitation")
    auteur = UserFactory(first_name="Claire", last_name="Lefebvre")
    # The département as that schema holds it (later columns do not exist yet), then read
    # by today's model, its other columns left unread.
    ancien = apps.get_model("acteurs", "Departement").objects.create(
        code="76", nom="Seine-Maritime", titre_prefet="Préfet de la Seine-Maritime"
    )
    departement = Departement.objects.only("pk", "code").get(pk=ancien.pk)
    acteur = ActeurFactory(departement=departement, nom="Entraide", sigle="EFU")
    membre = MembreFactory(acteur=acteur, role="contributeur", user__first_name="Inès")
    personne = f"{membre.user.first_name} {membre.user.last_name}"
    debut = timezone.now() - timedelta(days=30)
    invitation = Invitation.objects.create(
        departement_id=acteur.departement_id,
        email="invite@example.fr",
        acteur_id=acteur.pk,
        role_membre="lecteur",
        jeton_hash="x" * 64,
        invite_par_id=auteur.pk,
        envoyee_le=debut,
        expire_le=debut + timedelta(days=14),
    )
    Invitation.objects.filter(pk=invitation.pk).update(cree_le=debut)
    lignes = [
        ("Création", None, {"nom": {"libelle": "nom", "avant": "", "apres": "Entraide"}}),
        (
            f"Ajout du membre {personne}",
            membre.pk,
            {"role": {"libelle": "rôle", "avant": "", "apres": "Contributeur"}},
        ),  # noqa: E501
        (f"Rôle de {personne}", membre.pk, {}),
        (f"Désactivation du membre {personne}", membre.pk, {}),
        (f"Réactivation du membre {personne}", membre.pk, {}),
        ("Invitation de invite@example.fr", None, {}),
        ("Invitation de invite@example.fr révoquée", None, {}),
        ("Archivage", None, {}),
        ("Restauration", None, {}),
        ("Rejet", None, {"motif_rejet": {"libelle": "motif", "avant": "", "apres": "Doublon"}}),
        ("Fusion manuelle", None, {}),
    ]
    for rang, (action, membre_id, changements) in enumerate(lignes):
        Modification.objects.create(
            acteur_id=acteur.pk,
            membre_id=membre_id,
            action=action,
            changements=changements,
            par_id=auteur.pk,
            le=debut + timedelta(days=1, minutes=rang),
        )
    return acteur, membre, invitation, auteur


def test_la_migration_copie_tout_l_historique_sans_doublon():
    """One test, two stories (the schema goes back and forth a whole chain of migrations
    each time, a quarter of a minute): the whole history, and an invitation entry whose
    invitation no longer exists, which keeps its original label."""
    try:
        apps = _migrer(AVANT)
        acteur, membre, invitation, auteur = _ancien_historique(apps)
        Modification = apps.get_model("acteurs", "Modification")
        Modification.objects.create(
            acteur_id=acteur.pk, action="Invitation de perdu@example.fr", par_id=auteur.pk
        )
        _migrer(APRES)

        perdue = Evenement.objects.get(detail="Invitation de perdu@example.fr")
        assert perdue.nature == Nature.INVITATION_ENVOI and perdue.objet_id == acteur.pk
        evenements = list(Evenement.objects.exclude(pk=perdue.pk).order_by("le"))
        assert [e.nature for e in evenements] == [
            Nature.ACTEUR_CREATION,
            Nature.MEMBRE_AJOUT,
            Nature.MEMBRE_ROLE,
            Nature.MEMBRE_DESACTIVATION,
            Nature.MEMBRE_REACTIVATION,
            Nature.INVITATION_ENVOI,
            Nature.INVITATION_REVOCATION,
            Nature.ACTEUR_ARCHIVAGE,
            Nature.ACTEUR_RESTAURATION,
            Nature.ACTEUR_REJET,
            Nature.ACTEUR_HISTORIQUE,
        ]
        assert all(e.par_id == auteur.pk and e.racine_id == acteur.pk for e in evenements)
        creation, ajout, *_, revocation, _, _, rejet, inconnu = evenements
        assert creation.sur_la_racine and creation.objet_libelle == "Entraide (EFU)"
        assert creation.changements["nom"]["apres"] == "Entraide"
        assert ajout.objet_id == membre.pk and ajout.objet_libelle.endswith("(Contributeur)")
        assert revocation.objet_id == invitation.pk
        assert rejet.detail == "Doublon" and rejet.changements == {}
        assert inconnu.detail == "Fusion manuelle"

        # Back (the former table is refilled from the journal) and forward: no duplicates.
        apps = _migrer(AVANT)
        Modification = apps.get_model("acteurs", "Modification")
        assert Modification.objects.count() == len(evenements) + 1
        assert Modification.objects.get(action__startswith="Rôle de").membre_id == membre.pk
        _migrer(APRES)
        assert Evenement.objects.count() == len(evenements) + 1
        assert Evenement.objects.filter(nature=Nature.INVITATION_ENVOI).count() == 2
    finally:
        _tout_remettre()
