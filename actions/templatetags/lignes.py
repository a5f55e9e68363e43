"""Rows of many cells, written in Python: the actions list's (through the template, fifty
rows of eight cells, a variable, a filter or a date each, were a third of the page's CPU)
and the dashboard's table by département; and a feuille's step, a badge on each row of
the plan's home. The same markup as the template wrote, every text escaped as Django's
escape does."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from acteurs.models import Departement
from actions.models import Action, FeuilleDeRoute
from integration.templatetags.montants import euros
from integration.text import date_courte

register = template.Library()


@register.simple_tag
def lignes_des_actions(actions, base: str, plusieurs_departements: bool):
    """{% lignes_des_actions actions base plusieurs_departements %}: one <tr> per action
    of ACTIONS (dicts of the list's columns, actions.views.tableau.COLONNES), its title
    linked under BASE, its département's column if PLUSIEURS_DEPARTEMENTS."""
    base = escape(base)
    lignes = (_ligne(action, base, plusieurs_departements) for action in actions)
    return mark_safe("\n".join(lignes))  # noqa: S308 - every text escaped in _ligne


def _ligne(action: dict, base: str, plusieurs_departements: bool) -> str:
    cellules = [f'<a href="{base}{int(action["pk"])}/">{escape(action["titre"])}</a>']
    if plusieurs_departements:
        departement = (action["feuille__departement__nom"], action["feuille__departement__code"])
        cellules.append(escape(Departement.libelle(*departement)))
    statut = action["statut"]
    cellules += [
        escape(action["axe__libelle"]),
        escape(action["porteur__nom"]),
        f'<p class="fr-badge fr-badge--sm statut-{escape(statut)}">'
        f"{escape(Action.LIBELLES_DES_STATUTS[statut])}</p>",
        _periode(action["date_debut"], action["date_fin"]),
    ]
    totaux = (action["total_demande"], action["total_accorde"])
    montants = (escape(euros(total)) for total in totaux)
    return (
        "<tr>"
        + "".join(f"<td>{cellule}</td>" for cellule in cellules)
        + "".join(f'<td class="montant">{montant}</td>' for montant in montants)
        + "</tr>"
    )


# A feuille's step, as its badge's colour says it.
COULEURS_DES_ETAPES = {
    FeuilleDeRoute.Statut.SIGNEE: " fr-badge--success",
    FeuilleDeRoute.Statut.CONSULTATION: " fr-badge--info",
    FeuilleDeRoute.Statut.VISA: " fr-badge--warning",
}


@register.simple_tag
def etape_de_la_feuille(feuille):
    """{% etape_de_la_feuille feuille %}: its step in a DSFR badge (the plan's home, once
    per row; a feuille's page and its consultation)."""
    couleur = COULEURS_DES_ETAPES.get(feuille.statut, "")
    return mark_safe(  # noqa: S308 - the label escaped
        f'<p class="fr-badge fr-badge--sm{couleur}">{escape(feuille.get_statut_display())}</p>'
    )


def _periode(debut, fin) -> str:
    if not debut and not fin:
        return "—"
    return " – ".join(date_courte(date) if date else "…" for date in (debut, fin))


@register.simple_tag
def lignes_par_departement(lignes, base: str):
    """{% lignes_par_departement par_departement liste %}: the dashboard's table by
    département, one <tr> per `actions.tableau.LigneDepartement`, its name linked to the
    actions list under BASE filtered on it. Through the template, the national reader's
    hundred rows of seven cells were a quarter of their dashboard's CPU."""
    base = escape(base)
    return mark_safe("".join(_ligne_departement(ligne, base) for ligne in lignes))  # noqa: S308


def _ligne_departement(ligne, base: str) -> str:
    departement = ligne.departement
    nom = escape(Departement.libelle(departement.nom, departement.code))
    lien = f'<a href="{base}?departement={int(departement.pk)}">{nom}</a>'
    comptes = (int(ligne.actions), int(ligne.en_cours), int(ligne.en_attente))
    montants = ligne.montants
    sommes = (montants.demande, montants.accorde, montants.verse)
    cellules = [str(n) for n in comptes] + [escape(euros(somme)) for somme in sommes]
    return (
        f'<tr><th scope="row">{lien}</th>'
        + "".join(f'<td class="montant">{cellule}</td>' for cellule in cellules)
        + "</tr>"
    )
