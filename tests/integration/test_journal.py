"""The journal: declared kinds only, append-only in Python and in the database, and what it
points to cannot be deleted."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from acteurs.journal import Nature
from acteurs.models import Reseau
from integration import journal, verrou
from integration.models import Evenement, JournalImmuable
from tests.acteurs.factories import ActeurFactory, MembreFactory, UserFactory


@pytest.fixture
def evenement(association, pilotage):
    return journal.record(Nature.ACTEUR_ARCHIVAGE, association, par=pilotage)


def test_une_nature_non_declaree_est_refusee(association):
    with pytest.raises(journal.NatureInconnue):
        journal.record("acteur.demolition", association)
    assert not Evenement.objects.exists()


def test_un_objet_d_un_modele_non_declare_est_refuse(db):
    reseau = Reseau.objects.create(slug="test", libelle="Réseau de test")
    with pytest.raises(ImproperlyConfigured):
        journal.record(Nature.ACTEUR_MODIFICATION, reseau)


def test_un_evenement_garde_son_objet_sa_racine_et_son_libelle(association, pilotage):
    membre = MembreFactory(acteur=association, role="lecteur")
    libelle = str(membre)
    entree = journal.record(Nature.MEMBRE_AJOUT, membre, par=pilotage, racine=association)
    association.nom = "Nouveau nom"
    association.save()
    entree.refresh_from_db()
    assert entree.objet_libelle == libelle and not entree.sur_la_racine
    assert entree.nature_libelle == "Ajout d'un membre"
    assert list(journal.historique(association)) == [entree]
    # Without a racine, an event is shown on its own object's page.
    systeme = journal.record(Nature.ACTEUR_VALIDATION, association)
    assert systeme.sur_la_racine and systeme.par is None


def test_le_modele_refuse_modification_et_suppression(evenement):
    evenement.detail = "réécrit"
    with pytest.raises(JournalImmuable):
        evenement.save()
    with pytest.raises(JournalImmuable):
        evenement.delete()
    with pytest.raises(JournalImmuable):
        Evenement.objects.filter(pk=evenement.pk).update(detail="réécrit")
    with pytest.raises(JournalImmuable):
        Evenement.objects.all().delete()
    with pytest.raises(JournalImmuable), transaction.atomic():
        Evenement.objects.bulk_update([evenement], ["detail"])
    evenement.refresh_from_db()
    assert evenement.detail == ""


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE integration_evenement SET detail = 'réécrit'",
        "DELETE FROM integration_evenement",
    ],
)
def test_la_base_refuse_update_et_delete(evenement, sql):
    """Raw SQL, past the ORM: the triggers refuse (PostgreSQL in CI, SQLite locally)."""
    refus = pytest.raises(IntegrityError, match="ajout seul")
    with refus, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    evenement.refresh_from_db()
    assert evenement.detail == ""


def test_les_triggers_reviennent_apres_migrate(evenement):
    """SQLite loses a table's triggers when a migration rebuilds it: post_migrate restores."""
    verrou.retirer(connection, verrou.JOURNAL)
    verrou.installer_apres_migrate(using="default")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM integration_evenement")
    assert Evenement.objects.filter(pk=evenement.pk).exists()


def test_un_objet_journalise_ne_peut_etre_supprime(association, pilotage, evenement):
    # Raised inside delete()'s transaction: callers that go on keep a savepoint.
    with pytest.raises(ProtectedError), transaction.atomic():
        association.delete()
    assert type(association).objects.filter(pk=association.pk).exists()


def test_un_objet_cite_comme_racine_ne_peut_etre_supprime(association, seine_maritime):
    autre = ActeurFactory(departement=seine_maritime)
    membre = MembreFactory(acteur=autre)
    journal.record(Nature.MEMBRE_AJOUT, membre, racine=autre)
    with pytest.raises(ProtectedError), transaction.atomic():
        membre.delete()
    # An actor nobody journalled can still go (the receiver checks, it does not refuse all).
    sans_historique = ActeurFactory(departement=seine_maritime)
    sans_historique.delete()


def test_l_auteur_d_un_evenement_ne_peut_etre_supprime(evenement, pilotage):
    with pytest.raises(ProtectedError), transaction.atomic():
        pilotage.delete()


def test_record_many_ecrit_en_une_requete(seine_maritime, django_assert_num_queries):
    acteurs = ActeurFactory.create_batch(5, departement=seine_maritime)
    auteur = UserFactory()
    entrees = [journal.evenement(Nature.ACTEUR_CREATION, a, par=auteur) for a in acteurs]
    with django_assert_num_queries(1):
        journal.record_many(entrees)
    assert Evenement.objects.filter(par=auteur).count() == 5


def test_changements_entre_deux_photos(seine_maritime):
    champs = ["nom", "chef_lieu", "adresse"]
    avant = journal.photo(seine_maritime, champs)
    seine_maritime.chef_lieu = "Le Havre"
    assert journal.changements(seine_maritime, avant) == {
        "chef_lieu": {"libelle": "chef-lieu", "avant": "Rouen", "apres": "Le Havre"}
    }
