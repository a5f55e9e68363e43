"""The actions' exports at national scale: rows read by lots from plain tuples, each lot's
relations in a fixed number of queries, the XLSX streamed like the CSV."""

import csv
import io
import math
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from acteurs.models import Territoire
from actions import exports
from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    HabilitationFactory,
    TerritoireFactory,
)
from tests.actions.factories import (
    ActionFactory,
    FeuilleDeRouteFactory,
    FinancementFactory,
    PartenariatFactory,
)

EXPORT = reverse("actions:exporter")


@pytest.fixture
def national(db):
    return HabilitationFactory(departement=None, perimetre="france", role="lecteur").user


def _lire(response, format_: str) -> list[list]:
    contenu = b"".join(response.streaming_content)
    if format_ == "csv":
        return list(csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))
    return [[c.value for c in ligne] for ligne in load_workbook(io.BytesIO(contenu)).active]


def _requetes(client, format_: str) -> int:
    with CaptureQueriesContext(connection) as capture:
        response = client.get(EXPORT, {"format": format_})
        assert response.streaming
        b"".join(response.streaming_content)
    return len(capture.captured_queries)


@pytest.mark.parametrize("format_", ["csv", "xlsx"])
def test_export_national_a_requetes_constantes_par_lot(
    client, national, make_actions, monkeypatch, format_
):
    """Each lot of actions costs the same queries whatever it holds: lots of 4, so that
    7 and 31 actions take 2 and 8 lots; the queries grow by lot, never by action."""
    monkeypatch.setattr(exports, "LOT", 4)
    client.force_login(national)
    make_actions(7, statuts=["validee"])
    avec_7 = _requetes(client, format_)
    make_actions(24, statuts=["en_cours"])
    avec_31 = _requetes(client, format_)
    par_lot = (avec_31 - avec_7) / (math.ceil(31 / 4) - math.ceil(7 / 4))
    assert par_lot == 4  # partners, publics, territories, funding
    # Beyond the lots: the session, the user and his perimeter, the filters, the totals.
    assert avec_7 - 2 * par_lot <= 8


@pytest.mark.parametrize("format_", ["csv", "xlsx"])
def test_chaque_ligne_a_ses_relations_a_travers_les_lots(
    client, national, feuille, monkeypatch, format_
):
    """Across départements and lot boundaries, each row shows its own partners, publics,
    territories (a commune with its code) and amounts, in the action page's order."""
    monkeypatch.setattr(exports, "LOT", 2)
    autre = FeuilleDeRouteFactory(departement=DepartementFactory(hautes_alpes=True))
    commune = TerritoireFactory(type=Territoire.Type.COMMUNE, code="76540", nom="Rouen")
    epci = TerritoireFactory(type=Territoire.Type.EPCI, code="200023414", nom="Métropole")
    actions = [
        ActionFactory(axe=feuille.axes.first(), validee=True, titre=f"A{i}") for i in range(3)
    ] + [ActionFactory(axe__feuille=autre, validee=True, titre="A3")]
    premiere = actions[0]
    for nom in ("Zeste", "Abri"):
        PartenariatFactory(action=premiere, acteur=ActeurFactory(nom=nom))
    premiere.territoires.add(commune, epci)
    premiere.publics.add(*premiere.publics.model.objects.order_by("-ordre")[:2])
    FinancementFactory(action=actions[2], montant_demande=Decimal("1000.5"), montant_accorde=0)
    client.force_login(national)
    entete, *lignes, _adoptees, _attente = _lire(client.get(EXPORT, {"format": format_}), format_)
    par_titre = {ligne[0]: dict(zip(entete, ligne, strict=True)) for ligne in lignes}
    assert sorted(par_titre) == ["A0", "A1", "A2", "A3"]
    a0 = par_titre["A0"]
    assert a0["Partenaires"] == "Abri, Zeste"
    assert a0["Territoires"] == "Métropole, Rouen (76540)"
    publics = [p.libelle for p in premiere.publics.all()]  # the model's order
    assert a0["Publics"] == ", ".join(publics) and len(publics) == 2
    assert a0["Département"] == str(feuille.departement)
    assert a0["Feuille de route"] == f"{feuille.titre} (version {feuille.version})"
    assert a0["Statut"] == "Validée"
    vide = "" if format_ == "csv" else None
    assert par_titre["A1"]["Partenaires"] == vide and par_titre["A1"]["Territoires"] == vide
    demande = par_titre["A2"]["Montant demandé (€)"]
    assert demande == ("1000,50" if format_ == "csv" else 1000.5)
    assert par_titre["A1"]["Montant demandé (€)"] == ("0,00" if format_ == "csv" else 0)
    assert par_titre["A3"]["Département"] == str(autre.departement)


def test_export_xlsx_envoye_par_morceaux(client, pilotage, make_actions):
    """The XLSX leaves in pieces as its rows are read, like the CSV: never built whole."""
    make_actions(450)
    client.force_login(pilotage)
    response = client.get(EXPORT, {"format": "xlsx"})
    assert response.streaming
    morceaux = list(response.streaming_content)
    assert len(morceaux) >= 3
    assert morceaux[0].startswith(b"PK")
    assert load_workbook(io.BytesIO(b"".join(morceaux))).active.max_row == 453
