"""The load bench's arithmetic and its JSON line: what a reader of `bench/load.py` relies on.

The measures take minutes and depend on the machine; these tests feed the report known
figures and check what it computes from them."""

import importlib.util
import json

import pytest
from django.conf import settings


@pytest.fixture(scope="module")
def banc():
    chemin = settings.BASE_DIR / "bench" / "load.py"
    spec = importlib.util.spec_from_file_location("banc_charge", chemin)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _page(cpu_app, cpu_pg, statut=200):
    return {
        "statut": statut,
        "octets": 1000,
        "secondes": 0.05,
        "cpu_app": cpu_app,
        "cpu_pg": cpu_pg,
        "essais": 3,
        "requetes_sql": 9,
    }


def _run(requetes, en_vol, temps):
    return {
        "requetes": requetes,
        "secondes": 10.0,
        "en_vol_a_l_arret": en_vol,
        "erreurs": 0,
        "attente_repos": 0.3,
        "cpu_app": 0.03,
        "cpu_pg": 0.01,
        "temps": temps,
    }


def test_percentiles_are_nearest_rank(banc):
    valeurs = [float(n) for n in range(1, 101)]  # 1 … 100, shuffled order does not matter
    assert banc.centile(list(reversed(valeurs)), 50) == 50.0
    assert banc.centile(valeurs, 95) == 95.0
    assert banc.centile(valeurs, 99) == 99.0
    assert banc.centile([0.2], 99) == 0.2


def test_a_level_is_the_median_of_its_runs_without_the_requests_in_flight(banc):
    runs = [
        _run(101, 1, {"pilotage:acteurs": [0.01] * 50, "anonyme:healthz": [0.001] * 51}),
        _run(123, 3, {"pilotage:acteurs": [0.02] * 60, "anonyme:healthz": [0.002] * 63}),
        _run(90, 0, {"pilotage:acteurs": [0.03] * 45, "anonyme:healthz": [0.003] * 45}),
    ]
    niveau = banc._synthese_charge(runs)

    assert niveau["rps"] == pytest.approx(10.0)  # (101 - 1) / 10, the median of 10, 12, 9
    assert niveau["en_vol_a_l_arret"] == 3
    assert niveau["pages"]["pilotage:acteurs"]["p50"] == pytest.approx(0.02)
    assert niveau["pages"]["pilotage:acteurs"]["requetes"] == 155


def test_each_page_cpu_is_compared_with_the_actors_list(banc, capsys):
    pages = {
        "anonyme:healthz": _page(0.002, 0.0),
        "pilotage:acteurs": _page(0.030, 0.010),
        "pilotage:action_formulaire": _page(0.190, 0.010),
    }
    charges = {1: banc._synthese_charge([_run(101, 1, {"pilotage:acteurs": [0.04]})] * 3)}

    banc._rapport(pages, charges, {"departements": 3, "workers": 2})
    sortie = capsys.readouterr().out
    donnees = json.loads(sortie.strip().splitlines()[-1])

    assert donnees["pages"]["pilotage:action_formulaire"]["ratio_liste_acteurs"] == 5.0
    assert donnees["pages"]["anonyme:healthz"]["ratio_liste_acteurs"] == 0.05
    assert donnees["pages"]["pilotage:acteurs"]["cpu_total"] == 0.04
    assert donnees["charge"]["1"]["rps"] == 10.0
    assert "10.0 requêtes/s" in sortie and "1 requête(s) en vol à l'arrêt" in sortie


def test_a_page_s_ratio_is_read_trial_by_trial(banc, capsys):
    """Each trial of a page is followed by one of the actors list: a machine that slows
    down between trials moves both sides of a ratio alike, and the report keeps it."""
    # The machine at full speed, then at half speed: the page is twice the list each time.
    essais = [(0.040, 0.020), (0.080, 0.040), (0.081, 0.040)]
    assert banc.rapport_par_essai(essais) == pytest.approx(2.0)
    assert banc.rapport_par_essai([(0.040, 0.0)]) is None  # no CPU read: no ratio
    pages = {
        "anonyme:healthz": _page(0.002, 0.0),
        "pilotage:acteurs": _page(0.010, 0.0),  # measured first, on the fast machine
        "pilotage:seance": _page(0.080, 0.0) | {"ratio_liste_acteurs": 2.0},
    }
    charges = {1: banc._synthese_charge([_run(101, 1, {"pilotage:acteurs": [0.04]})] * 3)}

    banc._rapport(pages, charges, {"departements": 3, "workers": 2})
    donnees = json.loads(capsys.readouterr().out.strip().splitlines()[-1])

    assert donnees["pages"]["pilotage:seance"]["ratio_liste_acteurs"] == 2.0  # not 8
    assert donnees["pages"]["anonyme:healthz"]["ratio_liste_acteurs"] == 0.2


def test_each_page_alone_under_load_has_its_own_centiles_in_the_json_line(banc, capsys):
    """The part where every user asks for the same page: its runs' medians, per page, in
    a table and under `seule_sous_charge` in the JSON line."""
    formulaire = [
        _run(80, 8, {"pilotage:action_formulaire": [0.1] * 70 + [0.3] * 2}),
        _run(90, 8, {"pilotage:action_formulaire": [0.2] * 80 + [0.4] * 2}),
        _run(70, 8, {"pilotage:action_formulaire": [0.3] * 60 + [0.5] * 2}),
    ]
    sante = [_run(500, 8, {"anonyme:healthz": [0.004] * 492})] * 3
    par_page = banc._sous_charge_par_page(
        {"pilotage:action_formulaire": formulaire, "anonyme:healthz": sante}
    )
    assert par_page["pilotage:action_formulaire"]["p50"] == pytest.approx(0.2)
    assert par_page["pilotage:action_formulaire"]["p99"] == pytest.approx(0.4)
    assert par_page["pilotage:action_formulaire"]["rps"] == pytest.approx(7.2)  # (80 - 8) / 10
    assert par_page["anonyme:healthz"]["p95"] == pytest.approx(0.004)
    pages = {"anonyme:healthz": _page(0.002, 0.0), "pilotage:acteurs": _page(0.03, 0.01)}
    sous_charge = {"utilisateurs": 8, "duree": 2.0, "pages": par_page}

    banc._rapport(pages, {}, {"departements": 3, "workers": 2}, sous_charge)
    sortie = capsys.readouterr().out
    donnees = json.loads(sortie.strip().splitlines()[-1])

    assert "Chaque page seule sous charge (8 utilisateurs)" in sortie
    assert donnees["seule_sous_charge"]["utilisateurs"] == 8
    assert donnees["seule_sous_charge"]["pages"]["pilotage:action_formulaire"]["p95"] == 0.2


def test_a_page_alone_under_load_is_all_its_users_send(banc):
    """Every user of that part sends the one page; in the mixed run, each user a role's
    pages and /healthz."""
    parcours = banc.une_page("pilotage:seance", "/comites/seances/3/", {"sessionid": "x"})
    assert (
        parcours(0)
        == parcours(7)
        == [("pilotage:seance", "/comites/seances/3/", {"sessionid": "x"})]
    )
    roles = [
        banc.Role("anonyme", None, {"healthz": "/healthz"}),
        banc.Role("pilotage", "p@example.fr", {"acteurs": "/acteurs/"}),
        banc.Role("cabinet", "c@example.fr", {"accueil": "/"}),
    ]
    melange = banc.parcours_des_roles(roles)
    assert [cle for cle, _, _ in melange(0)] == ["pilotage:acteurs", "anonyme:healthz"]
    assert [cle for cle, _, _ in melange(1)] == ["cabinet:accueil", "anonyme:healthz"]
