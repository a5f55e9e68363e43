"""The form renderer writes an <input> and a <textarea> in Python, byte for byte what the
templates would (Django's input.html, textarea.html and attrs.html, or a copy of them the
project would add)."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from integration.widgets import ENTREES, Rendu, SaisieDate

ATTRS = {"class": 'fr-input "<&>', "required": True, "disabled": False, "data-x": None}
VALEURS = [None, "", 'a<b"&', mark_safe("<b>"), 0, 12.5, True]


def test_chaque_entree_s_ecrit_comme_son_gabarit():
    gabarits, rendu = TemplatesSetting(), Rendu()
    for nom in ENTREES:
        widget = forms.TextInput(attrs=ATTRS)
        widget.template_name = nom
        widget.input_type = nom.rsplit("/", 1)[1].removesuffix(".html")
        for valeur in VALEURS:
            attendu = widget.render("champ", valeur, {"id": "id_champ"}, renderer=gabarits)
            assert widget.render("champ", valeur, {"id": "id_champ"}, renderer=rendu) == attendu


def test_les_widgets_du_projet_s_ecrivent_comme_avant():
    gabarits, rendu = TemplatesSetting(), Rendu()
    for widget in (SaisieDate(), forms.CheckboxInput(), forms.HiddenInput(), forms.NumberInput()):
        for valeur in VALEURS:
            attendu = widget.render("champ", valeur, {"aria-invalid": "true"}, renderer=gabarits)
            assert (
                widget.render("champ", valeur, {"aria-invalid": "true"}, renderer=rendu) == attendu
            )


def test_une_zone_de_texte_s_ecrit_comme_son_gabarit():
    gabarits, rendu = TemplatesSetting(), Rendu()
    for attrs in (ATTRS, {"rows": 3, "cols": 40}):
        widget = forms.Textarea(attrs=attrs)
        for valeur in [*VALEURS, "ligne 1\nligne 2", "\nune ligne après un saut"]:
            attendu = widget.render("texte", valeur, {"id": "id_texte"}, renderer=gabarits)
            assert widget.render("texte", valeur, {"id": "id_texte"}, renderer=rendu) == attendu


def test_les_autres_gabarits_restent_des_gabarits():
    widget = forms.Select(choices=[("a", "<A>"), ("b", "B")])
    attendu = widget.render("choix", "a", renderer=TemplatesSetting())
    assert widget.render("choix", "a", renderer=Rendu()) == attendu
    assert "<select" in attendu
