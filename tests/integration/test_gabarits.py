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


# A DSFR button group without an icon modifier shrinks each of its icon buttons to a bare
# 32 or 40 px square and hides its text (« Nouvelle instance » became an unlabelled
# square). The header's tools are styled by the header itself, so they are spared.
GROUPE_DE_BOUTONS = re.compile(r'<(ul|div) class="(fr-btns-group[^"]*)"')


def _groupes_aux_icones_muettes(texte: str) -> list[str]:
    muets = []
    for groupe in GROUPE_DE_BOUTONS.finditer(texte):
        fin = texte.find(f"</{groupe.group(1)}>", groupe.end())
        contenu = texte[groupe.end() : fin]
        classes = groupe.group(2)
        if "fr-icon-" in contenu and "--icon-" not in classes:
            muets.append(contenu.strip()[:80])
    return muets


def test_the_check_finds_a_group_whose_icon_buttons_lose_their_text():
    muet = '<ul class="fr-btns-group"><li><a class="fr-btn fr-icon-add-line">Nouvelle</a></li></ul>'
    parlant = muet.replace('fr-btns-group"', 'fr-btns-group fr-btns-group--icon-left"')
    assert _groupes_aux_icones_muettes(muet) and not _groupes_aux_icones_muettes(parlant)


def test_every_button_group_with_icons_shows_their_text():
    fautifs = [
        f"{gabarit.name}: {muet}"
        for gabarit in _gabarits()
        if gabarit.name != "base.html"  # the header's tools
        for muet in _groupes_aux_icones_muettes(gabarit.read_text(encoding="utf-8"))
    ]
    assert fautifs == [], "add fr-btns-group--icon-left to: " + "; ".join(fautifs)


# A table wider than a phone scrolls inside its container; the keyboard reaches it only if
# the container is focusable, and a screen reader names it only if it is a labelled region
# (axe's scrollable-region-focusable).
CONTENEUR_DE_TABLEAU = re.compile(r'<div class="fr-table__container"([^>]*)>')


def test_every_table_scrolls_in_a_labelled_focusable_region():
    fautifs = [
        f"{gabarit.name}: {attributs or '(rien)'}"
        for gabarit in _gabarits()
        for attributs in CONTENEUR_DE_TABLEAU.findall(gabarit.read_text(encoding="utf-8"))
        if not (
            'tabindex="0"' in attributs
            and 'role="region"' in attributs
            and re.search(r'aria-label(ledby)?="[^"]+"', attributs)
        )
    ]
    assert fautifs == [], "; ".join(fautifs)
