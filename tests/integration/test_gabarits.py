"""Template hygiene that Django does not check for us."""

import re
from pathlib import Path

from django.conf import settings

# Django's {# #} comment ends with its line: one that runs over several lines is not a
# comment at all, and its text lands in the page (or the PDF) as it is.
COMMENTAIRE_SUR_PLUSIEURS_LIGNES = re.compile(r"\{#(?![^\n]*#\})")


def _gabarits():
    for dossier in settings.TEMPLATES[0]["DIRS"]:
        yield from Path(dossier).rglob("*.html")
    for dossier in Path(settings.BASE_DIR).glob("*/templates"):
        yield from dossier.rglob("*.html")


def test_no_comment_runs_over_several_lines():
    gabarits = list(_gabarits())
    fautifs = [
        str(gabarit)
        for gabarit in gabarits
        if COMMENTAIRE_SUR_PLUSIEURS_LIGNES.search(gabarit.read_text(encoding="utf-8"))
    ]
    assert len(gabarits) > 50 and fautifs == [], "use {% comment %} for these: " + ", ".join(
        fautifs
    )
