"""Same seed, same data: what the bench's figures rely on to compare runs."""

import pytest
from django.db import transaction

from tests.portal.echelle import empreinte, generer_petit

pytestmark = pytest.mark.django_db


def _une_generation(seed: int) -> dict:
    """Generate on an empty database, read the rows back, and leave the database empty
    again (a rolled-back savepoint): as good as a fresh database, keys apart."""
    with transaction.atomic():
        generer_petit(seed=seed)
        lignes = empreinte()
        transaction.set_rollback(True)
    return lignes


def test_the_same_seed_gives_the_same_rows_and_another_seed_others():
    premiere = _une_generation(seed=1)
    seconde = _une_generation(seed=1)
    autre = _une_generation(seed=2)

    assert premiere == seconde
    assert len(premiere["acteurs"]) == 40 and len(premiere["convocations"]) > 100
    assert autre["acteurs"] != premiere["acteurs"]
    assert len(autre["acteurs"]) == len(premiere["acteurs"])


def test_an_interrupted_run_leaves_nothing_behind(monkeypatch):
    from acteurs.models import Acteur, Departement
    from portal import echelle

    def panne(monde):
        raise KeyboardInterrupt  # the operator's Ctrl-C, in the middle of the first comités

    monkeypatch.setattr(echelle, "_comites", panne)
    with pytest.raises(KeyboardInterrupt):
        generer_petit(seed=1)

    assert not Departement.objects.exists()
    assert not Acteur.objects.exists()
