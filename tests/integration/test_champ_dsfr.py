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


class Ligne(forms.Form):
    montant = forms.IntegerField(label="Montant <€>")
    note = forms.CharField(label="Note", required=False)
    cle = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Ligne incohérente <b>")


Lignes = forms.formset_factory(Ligne, extra=0)


def test_un_tableau_ecrit_ses_lignes_comme_ses_colonnes():
    """{% lignes %}: the header names each column (escaped, « * » when required), each row
    carries its hidden fields in its first cell and its cells' labels hidden, and a row's
    errors of no field come in a row of their own, above it."""
    formset = Lignes(
        data={
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "0",
            "form-0-montant": "12",
            "form-0-cle": "7",
        }
    )
    formset.is_valid()
    html = Template("{% load filtres %}<table>{% lignes formset %}</table>").render(
        Context({"formset": formset})
    )
    assert '<th scope="col">Montant &lt;€&gt; *</th><th scope="col">Note</th></tr>' in html
    assert "cle" not in html.split("<tbody>")[0]  # a hidden field is no column
    erreurs, ligne = html.split("<tbody>")[1].split("</tr>")[:2]
    assert erreurs.startswith('\n      <tr><td colspan="2">')
    assert "<p>Ligne incohérente &lt;b&gt;</p>" in erreurs
    premiere, seconde = ligne.split("</td>")[:2]
    assert premiere.index('name="form-0-cle" value="7"') < premiere.index('name="form-0-montant"')
    assert 'class="fr-label fr-sr-only" for="id_form-0-montant">Montant &lt;€&gt; *' in premiere
    assert "form-0-cle" not in seconde and 'for="id_form-0-note"' in seconde
    assert "<b>" not in html and "<€>" not in html


def test_une_case_du_choix_garde_son_libelle_echappe():
    champ = forms.MultipleChoiceField(
        choices=[("1", "EPCI : Plaine de l'Ain <b>")], widget=forms.CheckboxSelectMultiple
    )
    form = forms.Form()
    form.fields["territoires"] = champ
    html = Template(
        "{% load crispy_forms_filters filtres %}"
        "{% for groupe, options, i in field|optgroups %}{% for o in options %}{{ o|case }}"
        "{% endfor %}{% endfor %}"
    ).render(Context({"field": form["territoires"]}))
    debut = '<div class="fr-fieldset__element">\n    <div class="fr-checkbox-group">'
    assert html.startswith(debut)
    assert '<input type="checkbox" name="territoires" value="1"' in html
    libelle = "EPCI : Plaine de l&#x27;Ain &lt;b&gt;"
    assert f'<label class="fr-label" for="id_territoires_0">{libelle}</label>' in html
