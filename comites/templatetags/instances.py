"""The comités list's instances, written in Python: across France the list names 600 of
them, and each <li> through a template (or through format_html, whose lazy escaping of
every argument costs as much) was a third of the page. The filter's hundred départements
are written the same way."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from acteurs.models import Departement
from integration.widgets import option

register = template.Library()


@register.simple_tag
def instances_en_liste(lignes, base):
    """{% instances_en_liste lignes base %}: one <li> per instance of LIGNES (as
    comites.views.seances.lignes_instances reads them), linked under BASE. Every text is
    escaped as Django's escape does (html.escape, quotes included)."""
    base = escape(base)
    return mark_safe("\n".join(_ligne(base, ligne) for ligne in lignes))  # noqa: S308


def _ligne(base: str, ligne: dict) -> str:
    theme = f" ({escape(ligne['theme'])})" if ligne["theme"] else ""
    parent = f", rattaché à {escape(ligne['parent_nom'])}" if ligne["parent_nom"] else ""
    lien = f'<a href="{base}instances/{int(ligne["pk"])}/">{escape(ligne["nom"])}</a>'
    return f"<li>{lien} — {escape(ligne['type'])}{theme}{parent}</li>"


@register.simple_tag
def options_des_departements(departements, choisi):
    """{% options_des_departements departements departement_id %}: the filter's <option>
    per département, CHOISI's (a pk, or None) selected; across France, a hundred of them
    through the template were a tenth of the page."""
    return mark_safe(  # noqa: S308 - integration.widgets.option escapes each
        "".join(
            option(str(d.pk), Departement.libelle(d.nom, d.code), d.pk == choisi)
            for d in departements
        )
    )
