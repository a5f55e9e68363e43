"""The séance page and its side forms (agenda point, guest, date and place, decision,
compte rendu, one's answer).

A side form refused is not a flash message on a page that forgot what was typed: the
page is rendered again, with that form bound (its input and errors), its section open and
its first wrong field focused (`integration.vues.traiter_en_place`). Each form has its own
prefix, so two of them on one page never share a field id."""

from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from actions.access import actions_visible_to
from comites import access, communique
from comites.forms import CompteRenduForm, DecisionForm, InviteForm, PointForm, ReponseForm
from comites.forms import SeanceForm as HorairesForm
from comites.models import Convocation, Decision
from comites.views.commun import contexte_page, convocations_triees
from integration.vues import traiter_en_place

# Each side form: the verb that shows it, and its prefix (also its section's anchor).
VERBES = {
    "point": "organiser",
    "horaires": "organiser",
    "invite": "organiser",
    "compte_rendu": "rediger",
    "decision": "rediger",
    "reponse": "repondre",
}


def formulaire(nom: str, user, seance, data=None):
    """The side form NOM of SEANCE, bound to DATA when given, else with today's values."""
    dep = seance.instance.departement
    if nom == "point":
        return PointForm(data, actions=actions_visible_to(user), departement=dep, prefix=nom)
    if nom == "decision":
        return DecisionForm(data, actions=actions_visible_to(user), departement=dep, prefix=nom)
    if nom == "invite":
        return InviteForm(data, prefix=nom)
    if nom == "horaires":
        return HorairesForm(data, initial=_horaires(seance), prefix=nom)
    if nom == "compte_rendu":
        initial = {
            "compte_rendu": seance.compte_rendu,
            "lieu_date": seance.compte_rendu_lieu_date or communique.ligne_de_lieu(seance),
        }
        return CompteRenduForm(data, initial=initial, prefix=nom)
    convocation = access.convocation_de(user, seance)
    initial = {"reponse": convocation.reponse} if convocation else {}
    return ReponseForm(data, initial=initial, prefix=nom)


def _horaires(seance):
    return {
        "debut": timezone.localtime(seance.debut),
        "fin": timezone.localtime(seance.fin),
        "lieu": seance.lieu,
        "lien_visio": seance.lien_visio,
    }


def afficher(request, seance, *, lie=None, status: int = 200):
    """The séance page; LIE is (name, bound form) of the side form being corrected."""
    user = request.user
    peut = {v: access.can_seance(user, v, seance) for v in access.MATRICE_SEANCE.verbes}
    actions = actions_visible_to(user)
    convocation = access.convocation_de(user, seance)
    ouvert, form_lie = lie if lie else (None, None)
    forms = {
        nom: form_lie if nom == ouvert else formulaire(nom, user, seance)
        for nom, verbe in VERBES.items()
        if peut[verbe] and (nom != "reponse" or convocation)
    }
    context = contexte_page(
        str(seance),
        seance=seance,
        peut=peut,
        points=seance.points.select_related("feuille").prefetch_related(
            Prefetch("actions", queryset=actions.order_by("titre"))
        ),
        convocations=convocations_triees(seance),
        decisions=seance.decisions.prefetch_related(
            Prefetch("actions", queryset=actions.order_by("titre"))
        ),
        ma_convocation=convocation,
        forms=forms,
        ouvert=ouvert,
        presences=Convocation.Presence.choices,
        statuts_decision=Decision.Statut.choices,
        peut_emargement=access.emargement_visible(user, seance),
    )
    return render(request, "comites/seance.html", context, status=status)


def traiter(request, seance, nom, form, operation, succes, *, avertir=None):
    """Run the side form NOM of SEANCE (`integration.vues.traiter_en_place`): accepted,
    back to the séance at its section; refused, the séance page again with that form as it
    was typed (400)."""
    return traiter_en_place(
        request,
        nom,
        form,
        operation,
        succes,
        page=seance.get_absolute_url(),
        afficher=lambda **kwargs: afficher(request, seance, **kwargs),
        avertir=avertir,
    )
