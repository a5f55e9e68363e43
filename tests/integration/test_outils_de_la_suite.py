"""The suite's own tools keep tests apart: data built once per module
(tests/donnees_partagees.py) and the lock of a resource that workers share
(tests/conftest.py, un_seul_a_la_fois)."""

import threading
from types import SimpleNamespace

from acteurs.models import Acteur
from tests.acteurs.factories import ActeurFactory, DepartementFactory
from tests.conftest import un_seul_a_la_fois
from tests.donnees_partagees import une_fois_par_module


def creer_monde():
    return SimpleNamespace(acteur=ActeurFactory(departement=DepartementFactory(), nom="Origine"))


_donnees_du_module, monde = une_fois_par_module(creer_monde)


def test_un_test_peut_changer_le_monde(monde):
    monde.acteur.nom = "Changé"
    monde.acteur.save()
    ActeurFactory(departement=monde.acteur.departement)
    assert Acteur.objects.count() == 2


def test_le_test_suivant_le_retrouve_intact(monde):
    """Neither the database nor the objects keep what the test before changed."""
    assert monde.acteur.nom == "Origine"
    assert list(Acteur.objects.values_list("nom", flat=True)) == ["Origine"]


def test_un_seul_a_la_fois(tmp_path_factory):
    entre = threading.Event()

    def second():
        with un_seul_a_la_fois("redis://127.0.0.1:6379/15", tmp_path_factory):
            entre.set()

    with un_seul_a_la_fois("redis://127.0.0.1:6379/15", tmp_path_factory):
        attente = threading.Thread(target=second)
        attente.start()
        assert not entre.wait(0.5), "le second est entré pendant que le premier tenait le verrou"
    assert entre.wait(10), "le second n'est jamais entré"
    attente.join()
