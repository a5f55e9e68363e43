"""Upgrading an installation to the press office's role and the regional cabinet keeps the
habilitations it had, and the database's rule on scopes changes with it: a cabinet may then
cover a région, never all of France; pilotage and communication stay per département."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from integration import verrou
from tests.acteurs.factories import UserFactory

pytestmark = [pytest.mark.migrations, pytest.mark.django_db(transaction=True)]

AVANT = [("acteurs", "0007_departement_site_web")]
APRES = [("acteurs", "0009_cabinet_regional")]


def _migrer(cible):
    """Migrate to CIBLE as `manage.py migrate` does, verrous lifted before and put back
    after, and return that schema's models."""
    executor = MigrationExecutor(connection)
    verrou.retirer_tout(connection)
    executor.migrate(cible)
    verrou.installer_tout(connection)
    executor.loader.build_graph()
    return executor.loader.project_state(cible).apps


def _tout_remettre():
    _migrer(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _refuse(Habilitation, **champs) -> bool:
    try:
        with transaction.atomic():
            Habilitation.objects.create(**champs)
    except IntegrityError:
        return True
    return False


def test_la_migration_garde_les_habilitations_et_ouvre_la_region_au_cabinet():
    try:
        apps = _migrer(AVANT)
        Habilitation = apps.get_model("acteurs", "Habilitation")
        departement = apps.get_model("acteurs", "Departement").objects.create(
            code="76", nom="Seine-Maritime", titre_prefet="Préfet de la Seine-Maritime"
        )
        pilote, lecteur, cabinet = (UserFactory() for _ in range(3))
        Habilitation.objects.create(user_id=pilote.pk, departement=departement, role="pilotage")
        Habilitation.objects.create(
            user_id=lecteur.pk, perimetre="region", region="28", role="lecteur"
        )
        # Before: a cabinet over a région is refused by the database.
        assert _refuse(
            Habilitation, user_id=cabinet.pk, perimetre="region", region="28", role="cabinet"
        )

        apps = _migrer(APRES)
        Habilitation = apps.get_model("acteurs", "Habilitation")
        assert set(Habilitation.objects.values_list("user_id", "perimetre", "role")) == {
            (pilote.pk, "departement", "pilotage"),
            (lecteur.pk, "region", "lecteur"),
        }
        assert not _refuse(
            Habilitation, user_id=cabinet.pk, perimetre="region", region="28", role="cabinet"
        )
        assert not _refuse(
            Habilitation, user_id=cabinet.pk, departement_id=departement.pk, role="communication"
        )
        autre = UserFactory()
        assert _refuse(Habilitation, user_id=autre.pk, perimetre="france", role="cabinet")
        for role in ("pilotage", "communication"):
            assert _refuse(
                Habilitation, user_id=autre.pk, perimetre="region", region="28", role=role
            ), role
    finally:
        _tout_remettre()
