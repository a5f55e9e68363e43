"""`parmi`: the rows whose field is one of a list of ids, as IN would find them; on
PostgreSQL the list travels as one array parameter, whatever its length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from acteurs.models import Acteur
from integration.requetes import parmi
from tests.acteurs.factories import ActeurFactory, DepartementFactory

pytestmark = pytest.mark.django_db


def test_parmi_finds_what_in_finds_with_one_parameter_on_postgresql():
    departement = DepartementFactory()
    acteurs = [ActeurFactory(departement=departement) for _ in range(4)]
    ids = [acteurs[0].pk, acteurs[2].pk, 10**9]  # one id that names nothing
    for valeurs in (ids, [], [acteurs[3].pk] * 2):
        trouves = set(Acteur.objects.filter(parmi("pk", valeurs)))
        assert trouves == set(Acteur.objects.filter(pk__in=valeurs)), valeurs
    # Through a foreign key, as the exports ask for a lot's relations.
    assert set(Acteur.objects.filter(parmi("departement", [departement.pk]))) == set(acteurs)
    if connection.vendor == "postgresql":
        with CaptureQueriesContext(connection) as requetes:
            list(Acteur.objects.filter(parmi("pk", list(range(1, 2001)))))
        sql = requetes.captured_queries[0]["sql"]
        assert '"acteurs_acteur"."id" = ANY(' in sql
        assert sql.count("%s") == 0 and len(sql) < 20_000  # one array, not 2,000 values
