"""Every form marks its required fields: each demo role starts on the home page, follows the
site's own links (as a person would), and on every page reached each required field's label
ends with « * », under one sentence per form saying what the mark means.

A field is required when its control says `required` in the page, or when the form it comes
from (found in the page's context: Django does not write `required` on a group of
checkboxes) requires it. A form may opt out where the mark says nothing
(`marquer_obligatoires = False`: a filter, a lone control per table row); a control written
by hand in a template opts out only here, with the reason."""

from collections import Counter
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from django.forms import BaseForm, BaseFormSet
from django.test.utils import ContextList
from django.urls import Resolver404, resolve

from acteurs.models import User

pytestmark = pytest.mark.django_db

PAGES_PAR_ROLE = 150
PAR_VUE = 2  # pages of one view visited (two actions' fiches, not forty)
MENTION = "marqués d'un astérisque (*) sont obligatoires"
TOUS = "Tous les champs sont obligatoires"  # the DSFR's sign-in form says it this way
NON_SUIVIS = ("/deconnexion/", "/administration/", "/static/", "/compte/departement/")
# Controls written by hand, by the URL name their form posts to: why they carry no « * ».
SANS_MARQUE = {
    "comites:siege_terminer": "une date seule dans la ligne du mandat, à côté de « Terminer »",
}


def _meme_site(adresse: str) -> str | None:
    parties = urlsplit(adresse)
    if parties.scheme or parties.netloc or not parties.path.startswith("/"):
        return None
    if parties.path.startswith(NON_SUIVIS) or parties.path.endswith((".ics", ".txt", "/pdf/")):
        return None
    return parties.path + (f"?{parties.query}" if parties.query else "")


def _formulaires_du_contexte(reponse) -> list[BaseForm]:
    """The forms the view handed its template (alone, in a dict, a list or a pair), a
    formset's forms and its empty form included."""
    contexte = reponse.context
    if contexte is None:
        return []
    premier = contexte[0] if isinstance(contexte, ContextList) else contexte
    trouves, vus = [], set()

    def explorer(valeur, profondeur=0):
        if id(valeur) in vus or profondeur > 3:
            return
        vus.add(id(valeur))
        if isinstance(valeur, BaseForm):
            trouves.append(valeur)
        elif isinstance(valeur, BaseFormSet):
            for form in [*valeur.forms, valeur.empty_form]:
                explorer(form, profondeur + 1)
        elif isinstance(valeur, dict):
            for element in valeur.values():
                explorer(element, profondeur + 1)
        elif isinstance(valeur, list | tuple):
            for element in valeur:
                explorer(element, profondeur + 1)

    explorer(premier.flatten())
    return trouves


def _texte_du_libelle(element) -> str:
    """A label's or legend's own words, without the hint it holds."""
    morceaux = [element.text or ""]
    for enfant in element:
        if "fr-hint-text" not in (enfant.get("class") or "").split():
            morceaux.append(enfant.text_content())
        morceaux.append(enfant.tail or "")
    return " ".join("".join(morceaux).split())


def _libelle(document, ident: str):
    """The legend of the group IDENT (choices), else the label of the control IDENT."""
    for xpath in (
        f'//*[@id="{ident}_legend"]',
        f'//label[@for="{ident}"]',
        f'//fieldset[@id="{ident}"]/legend',
    ):
        if trouve := document.xpath(xpath):
            return trouve[0]
    return None


def _action(formulaire, adresse: str) -> str | None:
    cible = urlsplit(urljoin(adresse, formulaire.get("action") or adresse)).path
    try:
        return resolve(cible).view_name
    except Resolver404:
        return None


def _ecarts(adresse: str, reponse) -> tuple[list[str], int]:
    """What is wrong with the forms of one page, and how many required fields it checked."""
    document = lxml.html.fromstring(reponse.content.decode())
    obligatoires, facultatifs, exclus = {}, set(), set()  # ids of what a label names
    for form in _formulaires_du_contexte(reponse):
        for champ in form.visible_fields():
            ident = champ.auto_id if champ.field.widget.use_fieldset else champ.id_for_label
            if not ident or not document.xpath(f'//*[@id="{ident}"]'):
                continue  # a form of the context this page does not draw
            if getattr(form, "marquer_obligatoires", True) is False:
                exclus.add(ident)
            elif champ.field.required:
                obligatoires.setdefault(ident, document.get_element_by_id(ident))
            else:
                facultatifs.add(ident)
    for controle in document.xpath(
        "//form//*[self::input or self::select or self::textarea][@required]"
    ):
        if controle.get("type") == "radio":  # one choice of a group: the group's legend
            controle = next(controle.iterancestors("fieldset"), controle)
        ident = controle.get("id")
        if ident and ident not in exclus and controle.get("type") not in ("hidden", "submit"):
            obligatoires.setdefault(ident, controle)
    ecarts, marques = [], set()
    for ident, controle in obligatoires.items():
        formulaire = next(controle.iterancestors("form"), None)
        if formulaire is None or _action(formulaire, adresse) in SANS_MARQUE:
            continue
        if TOUS in formulaire.text_content():
            continue
        libelle = _libelle(document, ident)
        texte = _texte_du_libelle(libelle) if libelle is not None else "(sans libellé)"
        if not texte.endswith("*"):
            ecarts.append(f"{adresse} : « {texte} » ({ident}) est obligatoire sans « * »")
        else:
            marques.add(formulaire)
    for ident in facultatifs - obligatoires.keys():
        libelle = _libelle(document, ident)
        if libelle is not None and _texte_du_libelle(libelle).endswith("*"):
            ecarts.append(f"{adresse} : « {_texte_du_libelle(libelle)} » est facultatif")
    for formulaire in marques:
        if (n := formulaire.text_content().count(MENTION)) != 1:
            ecarts.append(f"{adresse} : un formulaire dit {n} fois ce que « * » signifie")
    return ecarts, len(obligatoires)


@pytest.mark.parametrize("role", ["pilotage", "partenaire"])
def test_every_required_field_reached_from_the_home_page_is_marked(client, demo, role):
    client.force_login(User.objects.get(email=f"{role}@demo.gouv.fr"))
    vues, a_voir, ecarts, verifies, formulaires = set(), ["/"], [], 0, 0
    par_vue = Counter()  # pages of one view met: every fiche is the same form
    while a_voir and len(vues) < PAGES_PAR_ROLE:
        adresse = a_voir.pop(0)
        try:
            vue = resolve(urlsplit(adresse).path).route
        except Resolver404:
            continue
        if adresse in vues or par_vue[vue] >= PAR_VUE:
            continue
        vues.add(adresse)
        par_vue[vue] += 1
        reponse = client.get(adresse)
        if reponse.status_code != 200 or "text/html" not in reponse.get("Content-Type", ""):
            continue
        document = lxml.html.fromstring(reponse.content.decode())
        for lien in document.xpath("//a/@href"):
            cible = _meme_site(urljoin(adresse, lien))
            if cible and cible not in vues:
                a_voir.append(cible)
        formulaires += len(document.xpath("//form[@method='post']"))
        ecarts_page, n = _ecarts(adresse, reponse)
        ecarts += ecarts_page
        verifies += n
    assert len(vues) > 30 and formulaires > 20, f"{role} n'a atteint que {sorted(vues)}"
    assert verifies > 20, f"{role} : {verifies} champs obligatoires seulement"
    assert not ecarts, "\n".join(sorted(set(ecarts)))
