"""The PDF bench's verdicts and its JSON line: what a reader of `bench/pdf.py` relies on.

The measures themselves take minutes and depend on the machine; these tests feed the report
known figures and check what it concludes from them."""

import importlib.util
import json

import pytest
from django.conf import settings


@pytest.fixture(scope="module")
def banc():
    chemin = settings.BASE_DIR / "bench" / "pdf.py"
    spec = importlib.util.spec_from_file_location("banc_pdf", chemin)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _mesures(secondes_200=6.0, memoire_200=280.0, pages_200=107):
    def mesure(secondes, pages, memoire):
        return {"secondes": secondes, "cpu": secondes, "pages": pages, "memoire_mo": memoire,
                "essais": 3}  # fmt: skip

    return {
        "base": mesure(0.04, 1, 105.0),
        20: {**mesure(1.0, 17, 142.0), "secondes_html": 0.03},
        80: {**mesure(2.8, 52, 192.0), "secondes_html": 0.07},
        200: {**mesure(secondes_200, pages_200, memoire_200), "secondes_html": 0.23},
    }


def _json(banc, capsys, resultats, signature):
    banc._rapport(resultats, signature)
    sortie = capsys.readouterr().out
    return sortie, json.loads(sortie.strip().splitlines()[-1])


def test_figures_within_the_targets_are_reported_held(banc, capsys):
    sortie, donnees = _json(banc, capsys, _mesures(), {"secondes": 0.2394093540001, "essais": 3})

    assert donnees["objectifs_tenus"] is True
    assert "NON TENU" not in sortie
    assert donnees["200"]["pages"] == 107
    assert donnees["200"]["ratio_par_page"] == pytest.approx((6.0 / 107) / 0.04, abs=1e-4)
    assert donnees["200"]["secondes_par_action"] == pytest.approx((6.0 - 0.04) / 200, abs=1e-4)
    assert donnees["signature"] == {"secondes": 0.2394, "essais": 3}


@pytest.mark.parametrize(
    ("mesures", "signature", "objectif"),
    [
        (_mesures(secondes_200=8.2, pages_200=150), {"secondes": 0.3, "essais": 3}, "secondes_200"),
        (_mesures(memoire_200=410.0), {"secondes": 0.3, "essais": 3}, "memoire_mo_200"),
        (_mesures(), {"secondes": 0.6, "essais": 3}, "signature_secondes"),
        (_mesures(), {"erreur": "ValueError : pas de certificat"}, "signature_secondes"),
        # Same time over fewer pages: each page costs more in the big plan than the small.
        (_mesures(pages_200=60), {"secondes": 0.3, "essais": 3}, "cout_par_page_stable"),
    ],
)
def test_each_missed_target_is_named(banc, capsys, mesures, signature, objectif):
    sortie, donnees = _json(banc, capsys, mesures, signature)

    manques = [nom for nom, tenu in donnees["objectifs"].items() if not tenu]
    assert manques == [objectif]
    assert donnees["objectifs_tenus"] is False
    assert sortie.count("NON TENU") == 1
