"""The actions list's rows, written in Python: through the template, fifty rows of eight
cells (a variable, a filter or a date each) were a third of the page's CPU. The same
markup as the template wrote, every text escaped as Django's escape does."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from acteurs.models import Departement
from integration.templatetags.montants import euros
from integration.text import date_courte

register = template.Library()


@register.simple_tag
def lignes_des_actions(actions, base: str, plusieurs_departements: bool):
    """{% lignes_des_actions actions base plusieurs_departements %}: one <tr> per action
    of ACTIONS (read with the list's columns, actions.views.tableau.COLONNES), its title
    linked under BASE, its département's column if PLUSIEURS_DEPARTEMENTS."""
    base = escape(base)
    lignes = (_ligne(action, base, plusieurs_departements) for action in actions)
    return mark_safe("\n".join(lignes))  # noqa: S308 - every text escaped in _ligne


def _ligne(action, base: str, plusieurs_departements: bool) -> str:
    cellules = [f'<a href="{base}{int(action.pk)}/">{escape(action.titre)}</a>']
    if plusieurs_departements:
        departement = action.feuille.departement
        cellules.append(escape(Departement.libelle(departement.nom, departement.code)))
    cellules += [
        escape(action.axe.libelle),
        escape(action.porteur.nom),
        f'<p class="fr-badge fr-badge--sm statut-{escape(action.statut)}">'
        f"{escape(action.get_statut_display())}</p>",
        _periode(action.date_debut, action.date_fin),
    ]
    montants = (escape(euros(total)) for total in (action.total_demande, action.total_accorde))
    return (
        "<tr>"
        + "".join(f"<td>{cellule}</td>" for cellule in cellules)
        + "".join(f'<td class="montant">{montant}</td>' for montant in montants)
        + "</tr>"
    )


def _periode(debut, fin) -> str:
    if not debut and not fin:
        return "—"
    return " – ".join(date_courte(date) if date else "…" for date in (debut, fin))
