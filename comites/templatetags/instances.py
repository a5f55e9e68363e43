"""The comités list's rows, written in Python: across France the list named 600 instances,
and each <li> through a template (or through format_html, whose lazy escaping of every
argument costs as much) was a third of the page. Its fifty séances, the filter's hundred
départements, and across them the number of instances of each, are written the same way."""

from html import escape
from urllib.parse import urlencode

from django import template
from django.utils.safestring import mark_safe

from acteurs.models import Departement
from integration.text import date_et_heure
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


@register.simple_tag
def departements_et_instances(par_departement, quand):
    """{% departements_et_instances par_departement quand %}: one <li> per (département,
    number of its instances), linked to the list filtered by that département (QUAND, the
    period shown, kept)."""
    periode = escape(urlencode({"quand": quand}))
    return mark_safe(  # noqa: S308 - every text escaped
        "\n".join(
            f'<li><a href="?{periode}&amp;departement={int(d.pk)}">'
            f"{escape(Departement.libelle(d.nom, d.code))}</a> : "
            f"{nombre} instance{'s' if nombre > 1 else ''}</li>"
            for d, nombre in par_departement
        )
    )


@register.simple_tag
def lignes_des_seances(seances, base, plusieurs):
    """{% lignes_des_seances seances base plusieurs %}: one <tr> per séance (read with
    comites.views.seances.COLONNES_DES_SEANCES), its date linked under BASE, its
    département's column if PLUSIEURS. Through the template, fifty rows were a quarter of
    the page's CPU."""
    base = escape(base)
    return mark_safe("\n".join(_seance(s, base, plusieurs) for s in seances))  # noqa: S308


def _seance(seance, base: str, plusieurs: bool) -> str:
    instance = seance.instance
    cellules = [
        f'<a href="{base}seances/{int(seance.pk)}/">{escape(date_et_heure(seance.debut))}</a>',
        escape(instance.nom),
    ]
    if plusieurs:
        departement = instance.departement
        cellules.append(escape(Departement.libelle(departement.nom, departement.code)))
    cellules += [
        escape(seance.lieu or "Visioconférence"),
        escape(seance.get_statut_display()),
        str(int(seance.nb_convocations)),
    ]
    return "<tr>" + "".join(f"<td>{cellule}</td>" for cellule in cellules) + "</tr>"
