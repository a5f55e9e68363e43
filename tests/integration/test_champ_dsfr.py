"""{% champ %} writes a control in the DSFR pack's markup in Python: its texts escaped, its
label hidden only where asked (never a box's), its errors under the id that
aria-describedby names."""

from django import forms
from django.template import Context, Template

GABARIT = Template(
    "{% load filtres %}{% champ form.nom %}|{% champ form.case libelle_cache=True %}"
)


class Formulaire(forms.Form):
    nom = forms.CharField(label="Nom <b>", help_text="Aide & <i>")
    case = forms.BooleanField(label="Supprimer", required=False)

    def clean_nom(self):
        raise forms.ValidationError("Refusé <script>")


def rendu(**kwargs) -> tuple[str, str]:
    texte, case = GABARIT.render(Context({"form": Formulaire(**kwargs)})).split("|")
    return texte, case


def test_les_textes_sont_echappes_et_les_erreurs_nommees():
    texte, _ = rendu(data={"nom": "x"})
    assert '<div class="fr-input-group fr-input-group--error" id="div_id_nom">' in texte
    assert (
        '<label class="fr-label" for="id_nom">Nom &lt;b&gt; *<span class="fr-hint-text" '
        'id="id_nom_helptext">Aide &amp; &lt;i&gt;</span></label>'
    ) in texte
    assert 'aria-describedby="id_nom_helptext id_nom_error"' in texte
    assert 'aria-invalid="true"' in texte and 'class="fr-input fr-input--error"' in texte
    assert '<p class="fr-error-text" id="id_nom_error">Refusé &lt;script&gt;</p>' in texte
    assert "<script>" not in texte and "<b>" not in texte


def test_le_libelle_d_une_case_reste_visible_et_suit_la_case():
    _, case = rendu()
    assert case.index('type="checkbox"') < case.index('<label class="fr-label" for="id_case">')
    assert "fr-sr-only" not in case and "fr-error-text" not in case


def test_un_libelle_cache_reste_lu():
    texte = Template("{% load filtres %}{% champ form.nom libelle_cache=True %}").render(
        Context({"form": Formulaire()})
    )
    assert '<label class="fr-label fr-sr-only" for="id_nom">Nom &lt;b&gt; *' in texte
    assert 'class="fr-input"' in texte and "aria-invalid" not in texte
