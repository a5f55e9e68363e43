"""Invitations to a séance, convocations and their answers; the answer link of a
convocation is a page without login."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from comites import access, services
from comites.forms import ReponseForm
from comites.models import Convocation
from comites.views import page_seance
from comites.views.commun import contexte_page, convocations_triees
from integration import outbox
from integration.text import de
from integration.vues import appliquer_et_envoyer, focaliser, montrer_sous


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
    montrer_sous(request, seance.instance.departement)

    def operation(data):
        personne = services.personne_pour(seance.instance.departement, **data)
        services.inviter(seance, personne)
        return data["nom"]

    return page_seance.traiter(
        request,
        seance,
        "invite",
        page_seance.formulaire("invite", request.user, seance, request.POST),
        operation,
        lambda nom: f"{nom} est ajouté(e) aux invités.",
    )


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
    montrer_sous(request, seance.instance.departement)
    convocation = access.convocation_de(request.user, seance)
    return page_seance.traiter(
        request,
        seance,
        "reponse",
        page_seance.formulaire("reponse", request.user, seance, request.POST),
        lambda data: _enregistrer_reponse(convocation, data),
        "Votre réponse est enregistrée. Merci.",
    )


def _enregistrer_reponse(convocation, data) -> None:
    services.repondre(
        convocation,
        reponse=data["reponse"],
        represente_par_nom=data["represente_par_nom"],
        structure=data["represente_par_structure"],
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
    statut = 200 if ouverte else 410
    if request.method == "POST":
        if not ouverte:
            messages.error(request, "La séance a eu lieu ou est annulée : on n'y répond plus.")
        elif _repondre_par_lien(convocation, form):
            messages.success(request, "Votre réponse est enregistrée. Merci.")
            return redirect("comites:repondre_lien", jeton=jeton)
        else:  # the form again, as typed, its errors beside their fields
            focaliser(form)
            statut = 400
    context = contexte_page(
        "Répondre à la convocation",
        convocation=convocation,
        seance=seance,
        form=form,
        ouverte=ouverte,
    )
    return render(request, "comites/repondre_lien.html", context, status=statut)


def _repondre_par_lien(convocation, form) -> bool:
    if not form.is_valid():
        return False
    try:
        _enregistrer_reponse(convocation, form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True
