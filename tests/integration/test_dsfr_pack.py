"""The dsfr_crispy template pack renders real DSFR markup, and the style guide shows it."""

import datetime
from html.parser import HTMLParser

import pytest
from crispy_forms.helper import FormHelper
from django import forms
from django.forms.renderers import get_default_renderer
from django.template import Context, Template, TemplateDoesNotExist
from django.urls import reverse
from django.utils.safestring import mark_safe

from integration.forms import GuideDeStyleForm

# --- A small DOM, enough to ask "which element, with which class, inside which" ---------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Element:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = {name: ("" if value is None else value) for name, value in attrs}
        self.parent = parent
        self.children = []

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag=None, cls=None, **attrs):
        """Descendants by tag, class (all of a space-separated list) and attributes."""
        wanted = set((cls or "").split())
        attrs = {name.replace("_", "-"): value for name, value in attrs.items()}
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag)
            and wanted <= element.classes
            and all(element.attrs.get(name) == value for name, value in attrs.items())
        ]

    def find(self, tag=None, cls=None, **attrs):
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'} class={cls!r} {attrs}> in:\n{self}"
        return found[0]

    def closest(self, tag=None, cls=None):
        wanted = set((cls or "").split())
        element = self.parent
        while element is not None:
            if (tag is None or element.tag == tag) and wanted <= element.classes:
                return element
            element = element.parent
        raise AssertionError(f"<{self.tag}> is not inside <{tag or '*'} class={cls!r}>")

    @property
    def text(self) -> str:
        parts = []
        for child in self.children:
            parts.append(child.text if isinstance(child, Element) else child)
        return " ".join(" ".join(parts).split())

    @property
    def own_text(self) -> str:
        """The text directly in this element, not in its children."""
        return " ".join(" ".join(c for c in self.children if isinstance(c, str)).split())

    def __str__(self):
        attrs = "".join(f' {name}="{value}"' for name, value in self.attrs.items())
        return f"<{self.tag}{attrs}>{self.text[:200]}"


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("document", [])

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, attrs, self.current))

    def handle_endtag(self, tag):
        element = self.current
        while element is not self.root and element.tag != tag:
            element = element.parent
        assert element is not self.root, f"</{tag}> closes nothing"
        self.current = element.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    assert builder.current is builder.root, f"<{builder.current.tag}> left open"
    return builder.root


def render(form, *, filter=False) -> str:
    tag = "{{ form|crispy }}" if filter else "{% crispy form %}"
    return Template("{% load crispy_forms_tags %}" + tag).render(Context({"form": form}))


def by_id(document: Element, id_: str) -> Element:
    return document.find(id=id_)


# --- Forms ------------------------------------------------------------------------------


@pytest.fixture
def vierge():
    return parse(render(GuideDeStyleForm()))


@pytest.fixture
def en_erreur():
    return parse(render(GuideDeStyleForm.en_erreur(prefix="erreur")))


class AttributsForm(forms.Form):
    recherche = forms.CharField(
        label="Rechercher",
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "placeholder": "Nom ou sigle",
                "hx-get": "/acteurs/recherche/",
                "hx-trigger": "keyup changed delay:300ms",
            }
        ),
    )
    tri = forms.ChoiceField(
        label="Trier par",
        choices=[("nom", "Nom"), ("date", "Date")],
        widget=forms.Select(attrs={"hx-get": "/acteurs/", "class": "tri"}),
    )
    vue = forms.ChoiceField(
        label="Vue",
        choices=[("liste", "Liste"), ("carte", "Carte")],
        widget=forms.RadioSelect(attrs={"hx-post": "/vue/"}),
    )


def test_django_widget_templates_are_reachable():
    """TemplatesSetting renders widgets through TEMPLATES: it needs "django.forms" installed."""
    try:
        get_default_renderer().get_template("django/forms/widgets/text.html")
    except TemplateDoesNotExist:
        pytest.fail(
            'FORM_RENDERER = TemplatesSetting but "django.forms" is missing from '
            "INSTALLED_APPS: no widget can be rendered."
        )


def test_text_input(vierge):
    label = vierge.find("label", "fr-label", **{"for": "id_nom"})
    assert label.own_text == "Nom du porteur de l'action *"  # required: marked
    hint = label.find("span", "fr-hint-text")
    assert hint.text == "Tel qu'il figure dans le répertoire des acteurs."
    field = by_id(vierge, "id_nom")
    assert field.tag == "input"
    assert field.attrs["type"] == "text"
    assert field.attrs["name"] == "nom"
    assert "fr-input" in field.classes
    assert "required" in field.attrs
    assert field.attrs["autocomplete"] == "organization"
    group = field.closest("div", "fr-input-group")
    assert label.closest("div", "fr-input-group") is group
    assert "fr-input-group--error" not in group.classes


def test_email_number_and_date_inputs(vierge):
    assert by_id(vierge, "id_courriel").attrs["type"] == "email"
    assert "fr-input" in by_id(vierge, "id_courriel").classes
    assert by_id(vierge, "id_nombre_participants").attrs["type"] == "number"
    date = by_id(vierge, "id_date_debut")
    assert date.attrs["type"] == "date"
    assert "fr-input" in date.classes
    date.closest("div", "fr-input-group")


def test_date_input_value_is_iso():
    form = GuideDeStyleForm(initial={"date_debut": datetime.date(2025, 3, 14)})
    assert by_id(parse(render(form)), "id_date_debut").attrs["value"] == "2025-03-14"


def test_select_and_select_multiple(vierge):
    select = by_id(vierge, "id_public")
    assert select.tag == "select"
    assert "fr-select" in select.classes
    select.closest("div", "fr-select-group")
    assert vierge.find("label", "fr-label", **{"for": "id_public"}).text == "Public visé *"
    multiple = by_id(vierge, "id_thematiques")
    assert "multiple" in multiple.attrs
    assert "fr-select" in multiple.classes
    multiple.closest("div", "fr-select-group")


def test_textarea(vierge):
    textarea = by_id(vierge, "id_description")
    assert textarea.tag == "textarea"
    assert "fr-input" in textarea.classes
    textarea.closest("div", "fr-input-group")
    assert "required" not in textarea.attrs  # optional


def test_single_checkbox(vierge):
    checkbox = by_id(vierge, "id_attestation")
    assert checkbox.attrs["type"] == "checkbox"
    group = checkbox.closest("div", "fr-checkbox-group")
    elements = [child for child in group.children if not isinstance(child, str)]
    assert elements[0] is checkbox  # the input first, its label right after it
    label = elements[1]
    assert label.tag == "label"
    assert "fr-label" in label.classes
    assert label.attrs["for"] == "id_attestation"
    assert label.find("span", "fr-hint-text").text == "Obligatoire pour transmettre la fiche."


def test_radios_in_a_fieldset(vierge):
    fieldset = by_id(vierge, "id_priorite")
    assert fieldset.tag == "fieldset"
    assert "fr-fieldset" in fieldset.classes
    legend = fieldset.find("legend", "fr-fieldset__legend")
    assert legend.own_text == "Priorité *"
    assert legend.attrs["id"] in fieldset.attrs["aria-labelledby"].split()
    assert legend.find("span", "fr-hint-text").text == "La priorité décidée en comité de pilotage."
    groups = fieldset.find_all("div", "fr-radio-group")
    assert len(groups) == 3
    for index, (group, value) in enumerate(zip(groups, ["haute", "moyenne", "basse"], strict=True)):
        group.closest("div", "fr-fieldset__element")
        radio = group.find("input", type="radio", name="priorite", value=value)
        assert radio.attrs["id"] == f"id_priorite_{index}"
        assert "required" in radio.attrs
        assert group.find("label", "fr-label").attrs["for"] == radio.attrs["id"]


def test_checkboxes_in_a_fieldset(vierge):
    fieldset = by_id(vierge, "id_axes")
    assert fieldset.tag == "fieldset"
    assert "fr-fieldset" in fieldset.classes
    legende = fieldset.find("legend", "fr-fieldset__legend")
    assert legende.own_text == "Axes de la feuille de route *"
    groups = fieldset.find_all("div", "fr-checkbox-group")
    assert len(groups) == 3
    for group in groups:
        box = group.find("input", type="checkbox", name="axes")
        assert group.find("label", "fr-label").attrs["for"] == box.attrs["id"]


def test_multiwidget_in_a_fieldset():
    class RendezVousForm(forms.Form):
        quand = forms.SplitDateTimeField(label="Rendez-vous")

    document = parse(render(RendezVousForm(data={"quand_0": "demain"})))
    fieldset = by_id(document, "id_quand")
    assert {"fr-fieldset", "fr-fieldset--error"} <= fieldset.classes
    legend = fieldset.find("legend", "fr-fieldset__legend")
    for control in fieldset.find_all("input"):
        assert "fr-input" in control.classes
        assert control.attrs["aria-labelledby"] == legend.attrs["id"]
    assert fieldset.find("p", "fr-message--error").attrs["id"] == "id_quand_error"


def test_file_upload(vierge):
    upload = by_id(vierge, "id_piece_jointe")
    assert upload.attrs["type"] == "file"
    assert "fr-upload" in upload.classes
    group = upload.closest("div", "fr-upload-group")
    label = group.find("label", "fr-label", **{"for": "id_piece_jointe"})
    assert "Taille maximale" in label.find("span", "fr-hint-text").text
    form = vierge.find("form")
    assert form.attrs["enctype"] == "multipart/form-data"


def test_fieldset_layout_object(vierge):
    fieldset = [
        f for f in vierge.find_all("fieldset", "fr-fieldset") if "Porteur" in f.find("legend").text
    ][0]
    assert "fr-fieldset__legend" in fieldset.find("legend").classes
    fieldset.find("input", id="id_nom")
    fieldset.find("input", id="id_courriel")


def test_buttons(vierge):
    submit = vierge.find("button", type="submit")
    assert submit.classes == {"fr-btn"}
    assert submit.text == "Enregistrer"
    reset = vierge.find("button", type="reset")
    assert reset.classes == {"fr-btn", "fr-btn--secondary"}


def test_csrf_token_with_post_only():
    form = GuideDeStyleForm()
    assert "csrfmiddlewaretoken" not in render(form)  # the guide's form is sent by GET
    form.helper.form_method = "post"
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": form, "csrf_token": "jeton"})
    )
    assert 'name="csrfmiddlewaretoken"' in html


def test_no_error_markup_when_unbound(vierge):
    assert not [e for e in vierge.iter() if any(c.endswith("--error") for c in e.classes)]
    assert not vierge.find_all(cls="fr-error-text")
    assert not vierge.find_all(cls="fr-alert")
    assert not [e for e in vierge.iter() if "aria-invalid" in e.attrs]


def test_widget_attributes_are_kept():
    document = parse(render(AttributsForm()))
    recherche = by_id(document, "id_recherche")
    assert "autofocus" in recherche.attrs
    assert recherche.attrs["autocomplete"] == "off"
    assert recherche.attrs["placeholder"] == "Nom ou sigle"
    assert recherche.attrs["hx-get"] == "/acteurs/recherche/"
    assert recherche.attrs["hx-trigger"] == "keyup changed delay:300ms"
    tri = by_id(document, "id_tri")
    assert tri.attrs["hx-get"] == "/acteurs/"
    assert {"tri", "fr-select"} <= tri.classes
    for radio in document.find_all("input", type="radio"):
        assert radio.attrs["hx-post"] == "/vue/"


# --- Error state ------------------------------------------------------------------------


def _described_by(element: Element) -> list[str]:
    return element.attrs.get("aria-describedby", "").split()


def test_text_input_in_error(en_erreur):
    field = by_id(en_erreur, "id_erreur-nom")
    assert {"fr-input", "fr-input--error"} <= field.classes
    assert field.attrs["aria-invalid"] == "true"
    group = field.closest("div", "fr-input-group")
    assert "fr-input-group--error" in group.classes
    error = group.find("p", "fr-error-text")
    assert error.text == "Ce champ est obligatoire."
    assert error.attrs["id"] == "id_erreur-nom_error"
    assert error.attrs["id"] in _described_by(field)


def test_email_in_error(en_erreur):
    field = by_id(en_erreur, "id_erreur-courriel")
    assert field.attrs["value"] == "pas-une-adresse"  # what was typed is kept
    error = field.closest("div", "fr-input-group--error").find("p", "fr-error-text")
    assert error.text == "Saisissez une adresse de courriel valide."
    assert error.attrs["id"] in _described_by(field)


def test_select_in_error(en_erreur):
    select = by_id(en_erreur, "id_erreur-public")
    assert {"fr-select", "fr-select--error"} <= select.classes
    group = select.closest("div", "fr-select-group")
    assert "fr-select-group--error" in group.classes
    error = group.find("p", "fr-error-text")
    assert "Sélectionnez un choix valide" in error.text
    assert error.attrs["id"] in _described_by(select)


def test_checkbox_in_error(en_erreur):
    checkbox = by_id(en_erreur, "id_erreur-attestation")
    group = checkbox.closest("div", "fr-checkbox-group")
    assert "fr-checkbox-group--error" in group.classes
    error = group.find("p", "fr-error-text")
    assert error.text == "Ce champ est obligatoire."
    assert error.attrs["id"] in _described_by(checkbox)


@pytest.mark.parametrize("name", ["priorite", "axes"])
def test_choices_fieldset_in_error(en_erreur, name):
    fieldset = by_id(en_erreur, f"id_erreur-{name}")
    assert "fr-fieldset--error" in fieldset.classes
    messages = fieldset.find("div", "fr-messages-group")
    assert messages.attrs["id"] in fieldset.attrs["aria-labelledby"].split()
    error = messages.find("p", "fr-message fr-message--error")
    assert error.text == "Ce champ est obligatoire."


def test_upload_in_error(en_erreur):
    group = by_id(en_erreur, "id_erreur-piece_jointe").closest("div", "fr-upload-group")
    assert "fr-upload-group--error" in group.classes
    assert group.find("p", "fr-error-text").text == "Ce champ est obligatoire."


def test_every_field_of_the_guide_shows_its_error(en_erreur):
    form = GuideDeStyleForm.en_erreur(prefix="erreur")
    assert set(form.errors) == set(form.fields) | {"__all__"}
    for field in form:
        assert by_id(en_erreur, f"{field.auto_id}_error").text, field.name


def test_non_field_errors_in_an_alert(en_erreur):
    alert = en_erreur.find("div", "fr-alert fr-alert--error")
    assert "Exemple d'erreur d'ensemble" in alert.text


def test_hidden_field_errors_are_not_lost():
    class CacheForm(forms.Form):
        version = forms.IntegerField(widget=forms.HiddenInput)

    document = parse(render(CacheForm(data={"version": "x"})))
    alert = document.find("div", "fr-alert fr-alert--error")
    assert "version" in alert.text
    assert "Saisissez un nombre entier." in alert.text


def test_form_error_title():
    form = GuideDeStyleForm.en_erreur()
    form.helper.form_error_title = "La fiche n'a pas été transmise"
    alert = parse(render(form)).find("div", "fr-alert fr-alert--error")
    assert alert.find("p", "fr-alert__title").text == "La fiche n'a pas été transmise"


def test_crispy_filter_uses_the_pack():
    document = parse(render(GuideDeStyleForm.en_erreur(prefix="filtre"), filter=True))
    assert not document.find_all("form")  # the filter renders the fields only
    field = by_id(document, "id_filtre-nom")
    assert "fr-input--error" in field.classes
    field.closest("div", "fr-input-group--error")
    assert by_id(document, "id_filtre-priorite").tag == "fieldset"
    document.find("div", "fr-alert fr-alert--error")


def test_user_text_is_escaped():
    class PiegeForm(forms.Form):
        nom = forms.CharField(
            label="<script>alert('libellé')</script>",
            help_text="<b>aide</b>",
        )
        choix = forms.ChoiceField(
            label="Choix", choices=[("a", "<img src=x onerror=alert(1)>")], widget=forms.RadioSelect
        )

    html = render(PiegeForm(data={"nom": "<script>alert('valeur')</script>", "choix": "<z>"}))
    assert "<script>" not in html
    assert "<b>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(&#x27;libellé&#x27;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#x27;valeur&#x27;)&lt;/script&gt;" in html
    document = parse(html)
    assert by_id(document, "id_nom").attrs["value"] == "<script>alert('valeur')</script>"
    assert "&lt;z&gt;" in html  # the wrong choice, quoted back in the error message


def test_hint_marked_safe_keeps_its_markup():
    class LienForm(forms.Form):
        siret = forms.CharField(
            label="SIRET",
            help_text=mark_safe('<a href="https://annuaire-entreprises.data.gouv.fr">Annuaire</a>'),
        )

    hint = parse(render(LienForm())).find("span", "fr-hint-text")
    assert hint.find("a").attrs["href"] == "https://annuaire-entreprises.data.gouv.fr"


# --- The style guide page ---------------------------------------------------------------

URL = "/guide-de-style/"


def test_url():
    assert reverse("guide_de_style") == URL


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"
    assert response["Location"].startswith("/connexion/")


def test_non_staff_is_refused(client, pilotage):
    client.force_login(pilotage)
    assert client.get(URL).status_code == 403


def test_staff_sees_both_states(client, staff_user):
    client.force_login(staff_user)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    document = parse(html)
    assert document.find("h2", id="etat-normal").text == "État normal"
    assert document.find("h2", id="etat-erreur").text == "État d'erreur"
    normal = document.find("section", **{"aria-labelledby": "etat-normal"})
    erreur = document.find("section", **{"aria-labelledby": "etat-erreur"})
    assert not normal.find_all(cls="fr-error-text")
    assert normal.find("input", id="id_nom")
    assert erreur.find("div", "fr-alert fr-alert--error")
    for cls in ["fr-input-group--error", "fr-select-group--error", "fr-fieldset--error"]:
        assert erreur.find_all(cls=cls), cls
    assert len(erreur.find_all("p", "fr-error-text")) >= 9
    ids = [element.attrs["id"] for element in document.iter() if "id" in element.attrs]
    assert len(ids) == len(set(ids)), "the two forms must not share ids"


def test_staff_page_only_answers_get(client, staff_user):
    client.force_login(staff_user)
    assert client.post(URL).status_code == 405


class ObligatoiresForm(forms.Form):
    nom = forms.CharField(label="Nom")
    note = forms.CharField(label="Note", required=False)
    publics = forms.MultipleChoiceField(
        label="Publics", choices=[("a", "A")], widget=forms.CheckboxSelectMultiple
    )
    accord = forms.BooleanField(label="J'accepte")


MENTION = "Les champs marqués d'un astérisque (*) sont obligatoires."


@pytest.mark.parametrize("filtre", [False, True], ids=["crispy-tag", "crispy-filter"])
@pytest.mark.parametrize("marquer", [True, False], ids=["par-defaut", "filtre-sans-marque"])
def test_required_fields_are_marked_unless_the_form_opts_out(marquer, filtre):
    form = ObligatoiresForm()
    form.helper = FormHelper()
    form.helper.form_tag = False
    if not marquer:  # a filter or a lone control: the form says so itself
        form.marquer_obligatoires = False
    html = render(form, filter=filtre)
    document = parse(html)
    marque = " *" if marquer else ""
    assert document.find("label", **{"for": "id_nom"}).own_text == f"Nom{marque}"
    assert document.find("label", **{"for": "id_note"}).text == "Note"  # optional: never marked
    assert document.find("legend", id="id_publics_legend").own_text == f"Publics{marque}"
    assert document.find("label", **{"for": "id_accord"}).own_text == f"J'accepte{marque}"
    assert html.count(MENTION) == (1 if marquer else 0)  # said once, above the fields
    assert html.index(MENTION if marquer else "id_nom") <= html.index("id_nom")


def test_a_form_without_required_field_says_nothing_of_the_mark():
    class Facultatif(forms.Form):
        note = forms.CharField(label="Note", required=False)

    assert "astérisque" not in render(Facultatif(), filter=True)


def test_a_formset_says_it_once_and_a_page_may_say_it_in_its_own_words():
    Lignes = forms.formset_factory(ObligatoiresForm, extra=3)
    html = Template("{% load crispy_forms_tags %}{{ lignes|crispy }}").render(
        Context({"lignes": Lignes()})
    )
    assert html.count(MENTION) == 1 and html.count("Nom *") == 3
    form = ObligatoiresForm()
    form.mention_obligatoires = False  # the page explains « * » above the form
    html = render(form, filter=True)
    assert MENTION not in html and "Nom *" in html
