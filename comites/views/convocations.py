"""Invitations to a séance, convocations and their answers; the answer link of a
convocation is a page without login."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from comites import access, services
from comites.forms import (
    InviteForm,
    ReponseForm,
)
from comites.models import Convocation
from comites.views.commun import contexte_page, convocations_triees, erreurs_du_formulaire
from integration import outbox
from integration.text import de
from integration.vues import (
    appliquer,
    appliquer_et_envoyer,
)


@require_safe
def reponses(request, pk):
    """The organiser's list of answers; htmx polls this fragment, the full page works alone."""
    seance = access.get_seance_for_user(request.user, pk, "organiser")
    convocations = list(convocations_triees(seance))
    context = contexte_page(
        f"Réponses : {seance}",
        seance=seance,
        convocations=convocations,
        totaux={r.label: sum(c.reponse == r for c in convocations) for r in Convocation.Reponse},
    )
    if request.htmx:
        return render(request, "comites/_reponses.html", context)
    return render(request, "comites/reponses.html", context)


@require_POST
def invite_ajouter(request, pk):
    seance = access.get_seance_for_user(request.user, pk, "organiser")
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, erreurs_du_formulaire(form))
        return redirect(seance)

    def operation():
        personne = services.personne_pour(seance.instance.departement, **form.cleaned_data)
        services.inviter(seance, personne)

    appliquer(request, operation, f"{form.cleaned_data['nom']} est ajouté(e) aux invités.")
    return redirect(seance)


@require_POST
def convoquer(request, pk):
    seance = access.get_seance_for_user(request.user, pk, "organiser")
    base_url = request.build_absolute_uri("/")
    try:
        envois = services.convoquer(seance, by=request.user, base_url=base_url)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        n = len(envois)
        if outbox.all_done(envois):
            messages.success(request, f"Convocations envoyées : {n}.")
        else:
            messages.success(request, f"Convocations enregistrées : {n} ; envoi en cours.")
    return redirect(seance)


@require_POST
def convocation_renvoyer(request, pk, convocation_pk):
    convocation = access.get_convocation_for_user(request.user, pk, convocation_pk, "organiser")
    seance = convocation.seance
    envoi_vu = request.POST.get("envoi", "")
    base_url = request.build_absolute_uri("/")
    appliquer_et_envoyer(
        request,
        lambda: [
            services.renvoyer_convocation(
                convocation,
                envoi_vu=int(envoi_vu) if envoi_vu.isdigit() else None,
                by=request.user,
                base_url=base_url,
            )
        ],
        envoye=f"Convocation renvoyée à {convocation.personne}.",
        en_cours=f"Convocation {de(convocation.personne)} enregistrée ; envoi en cours.",
    )
    return redirect(seance)


@require_POST
def repondre(request, pk):
    """An invitee who has an account answers in the application."""
    seance = access.get_seance_for_user(request.user, pk, "repondre")
    convocation = access.convocation_de(request.user, seance)
    _enregistrer_reponse(request, convocation, ReponseForm(request.POST))
    return redirect(seance)


def _enregistrer_reponse(request, convocation, form) -> bool:
    if not form.is_valid():
        messages.error(request, erreurs_du_formulaire(form))
        return False
    data = form.cleaned_data
    return appliquer(
        request,
        lambda: services.repondre(
            convocation,
            reponse=data["reponse"],
            represente_par_nom=data["represente_par_nom"],
            structure=data["represente_par_structure"],
        ),
        "Votre réponse est enregistrée. Merci.",
    )


@login_not_required
def repondre_lien(request, jeton):
    """The personal link of a convocation: it answers for its own invitee only."""
    convocation = services.convocation_par_jeton(jeton)
    if convocation is None:
        return render(
            request, "comites/lien_invalide.html", contexte_page("Lien invalide"), status=404
        )
    seance = convocation.seance
    ouverte = seance.repondable and seance.debut > timezone.now()
    form = ReponseForm(request.POST or None, initial={"reponse": convocation.reponse})
    if request.method == "POST":
        if not ouverte:
            messages.error(request, "La séance a eu lieu ou est annulée : on n'y répond plus.")
        elif _enregistrer_reponse(request, convocation, form):
            return redirect("comites:repondre_lien", jeton=jeton)
    context = contexte_page(
        "Répondre à la convocation",
        convocation=convocation,
        seance=seance,
        form=form,
        ouverte=ouverte,
    )
    return render(request, "comites/repondre_lien.html", context, status=200 if ouverte else 410)
