"""ListeDeChoix writes the select Django's template would, without a template per option."""

import re

from django import forms

from integration.widgets import ListeDeChoix, ListeDeChoixMultiple

CHOIX = [("", "Tous <&>"), (1, "Ain"), ("x", 'a"b'), ("", "---------")]
GROUPES = [("Groupe <1>", [(1, "a"), (2, "b")]), (3, "c")]


def _sans_blancs(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


def test_le_meme_html_que_le_select_de_django():
    attrs = {"class": "fr-select", "id": "id_d", "required": True, "disabled": False}
    for choix in (CHOIX, GROUPES):
        for valeur in ("", "1", 1, 2, None, "x"):
            django = forms.Select(attrs=attrs, choices=choix).render("d", valeur)
            nous = ListeDeChoix(attrs=attrs, choices=choix).render("d", valeur)
            assert _sans_blancs(nous) == _sans_blancs(django)


def test_le_meme_html_que_le_select_multiple_de_django():
    attrs = {"class": "fr-select", "id": "id_d"}
    for choix in (CHOIX, GROUPES):
        for valeur in (None, [], ["1"], [1, 2], ["x", "", "3"]):
            django = forms.SelectMultiple(attrs=attrs, choices=choix).render("d", valeur)
            nous = ListeDeChoixMultiple(attrs=attrs, choices=choix).render("d", valeur)
            assert _sans_blancs(nous) == _sans_blancs(django)


def test_les_libelles_sont_echappes_et_le_vide_est_en_francais():
    html = ListeDeChoix(choices=CHOIX).render("d", "x")
    assert "Tous &lt;&amp;&gt;" in html and "a&quot;b" in html
    assert '<option value="x" selected>' in html
    assert "---------" not in html and "Sélectionner une option" in html
