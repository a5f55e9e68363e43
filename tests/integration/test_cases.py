"""{% cases %} writes a field's boxes and radios as the pack's template wrote them, choice by
choice (kept below as the reference): the same markup, only the blank between tags
differs."""

import re

from crispy_forms.utils import render_crispy_form
from django import forms
from django.template import Context, Template
from django.utils.safestring import mark_safe

# The loop that templates/dsfr_crispy/layout/field_fieldset.html had before {% cases %}.
GABARIT_DE_REFERENCE = """{% load crispy_forms_filters l10n %}
  {% for group, options, index in field|optgroups %}
  {% if group %}<p class="fr-fieldset__element fr-text--bold fr-mb-1w">{{ group }}</p>{% endif %}
  {% for option in options %}
  <div class="fr-fieldset__element{% if inline_class %} fr-fieldset__element--inline{% endif %}">
    <div class="{{ option_group_class }}">
      {% include "django/forms/widgets/input.html" with widget=option %}
      <label class="fr-label"{% if option.attrs.id %} for="{{ option.attrs.id }}"{% endif %}>{{ option.label|unlocalize }}</label>
    </div>
  </div>
  {% endfor %}
  {% endfor %}"""  # noqa: E501
CASES = "{% load filtres %}{% cases field option_group_class inline_class %}"


class Formulaire(forms.Form):
    publics = forms.MultipleChoiceField(
        label="Publics",
        choices=[("a", "Réfugiés <statutaires>"), ("b", mark_safe("<em>BPI</em>")), (3, 1234)],
        widget=forms.CheckboxSelectMultiple(attrs={"data-x": 'a"b'}),
    )
    groupes = forms.MultipleChoiceField(
        label="Réseaux",
        required=False,
        choices=[("Emploi", [("e1", "France Travail"), ("e2", "Missions locales")]), ("x", "X")],
        widget=forms.CheckboxSelectMultiple,
    )
    urgence = forms.ChoiceField(
        label="Urgence", choices=[("oui", "Oui"), ("non", "Non")], widget=forms.RadioSelect
    )


def _sans_blancs(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def _les_deux(champ, classe: str, en_ligne: str = "") -> tuple[str, str]:
    contexte = {"field": champ, "option_group_class": classe, "inline_class": en_ligne}
    attendu = Template(GABARIT_DE_REFERENCE).render(Context(contexte))
    return _sans_blancs(Template(CASES).render(Context(contexte))), _sans_blancs(attendu)


def test_les_cases_s_ecrivent_comme_le_gabarit_les_ecrivait():
    remplis = Formulaire({"publics": ["a", "3"], "groupes": ["e2"], "urgence": "non"})
    for formulaire in (Formulaire(), remplis):
        for nom, classe in (
            ("publics", "fr-checkbox-group"), ("groupes", "fr-checkbox-group"),
            ("urgence", "fr-radio-group"),
        ):  # fmt: skip
            for en_ligne in ("", "inline"):
                ecrit, attendu = _les_deux(formulaire[nom], classe, en_ligne)
                assert ecrit == attendu, (nom, en_ligne)
    ecrit, _ = _les_deux(remplis["publics"], "fr-checkbox-group")
    # What the comparison rests on: escaped text, a safe label kept, a number unlocalised,
    # a checked box, the widget's own attributes, a group's name.
    assert "Réfugiés &lt;statutaires&gt;" in ecrit
    assert "<em>BPI</em>" in ecrit
    assert ">1234</label>" in ecrit
    assert 'value="a" data-x="a&quot;b" id="id_publics_0" checked>' in ecrit
    assert "Emploi</p>" in _les_deux(remplis["groupes"], "fr-checkbox-group")[0]


def test_le_formulaire_entier_garde_ses_cases_et_ses_erreurs():
    """Through the pack: the fieldset around the boxes, an error beside them."""
    html = render_crispy_form(Formulaire({"urgence": "peut-etre"}))
    assert 'class="fr-fieldset fr-fieldset--error" id="id_publics"' in html
    assert '<input type="radio" name="urgence" value="oui"' in html
    assert 'for="id_urgence_1">Non</label>' in html
    assert "Sélectionnez un choix valide" in html
