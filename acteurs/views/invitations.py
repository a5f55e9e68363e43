"""Invitations: sent by pilotage or a structure's administrator, accepted by link."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from acteurs import access, services
from acteurs.forms import CreationCompteForm, InvitationForm
from integration.text import de, identifiant
from integration.vues import appliquer, appliquer_et_envoyer, departement_requis


@require_safe
@departement_requis
def liste(request):
    departement = request.departement
    access.exiger(request.user, "voir_invitations", departement)
    invitations = (
        access.invitations_visible_to(request.user)
        .filter(departement=departement)
        .select_related("acteur", "invite_par", "envoi")[:200]
    )
    return render(
        request,
        "acteurs/invitations.html",
        {
            "title": "Invitations",
            "invitations": invitations,
            "peut_inviter": access.peut(request.user, "inviter_membres", departement),
        },
    )


@departement_requis
def creer(request):
    departement = request.departement
    access.exiger(request.user, "inviter_membres", departement)
    acteurs = access.acteurs_a_administrer(request.user, departement)
    equipe = access.peut(request.user, "inviter_equipe", departement)
    initial = {}
    if pk := identifiant(request.GET.get("acteur")):
        initial["acteur"] = acteurs.filter(pk=pk).first()
    form = InvitationForm(
        request.POST or None, initial=initial, acteurs=acteurs, peut_inviter_equipe=equipe
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.inviter(
                departement,
                data["email"],
                by=request.user,
                base_url=request.build_absolute_uri("/"),
                acteur=data["acteur"],
                role_membre=data["role_membre"],
                role_departemental=data.get("role_departemental", ""),
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            _annoncer_invitation(request, invitation)
            if data["acteur"]:
                return redirect("acteurs:membres", data["acteur"].pk)
            return redirect("acteurs:invitations")
    return render(
        request, "acteurs/invitation_form.html", {"title": "Inviter une personne", "form": form}
    )


def _annoncer_invitation(request, invitation) -> None:
    """Say honestly whether the e-mail left: the broker may be down (the outbox waits)."""
    invitation.envoi.refresh_from_db(fields=["status"])
    # Handed to the broker is not sent yet: only a done row has left.
    if invitation.envoi.status != invitation.envoi.Status.DONE:
        messages.warning(
            request,
            f"Invitation enregistrée pour {invitation.email}, mais le courriel n'a pas encore "
            "pu partir : il partira automatiquement dès que possible.",
        )
    else:
        messages.success(
            request,
            f"Invitation envoyée à {invitation.email}. Le lien reste valable 14 jours.",
        )


def _retour(invitation):
    if invitation.acteur_id:
        return redirect("acteurs:membres", invitation.acteur_id)
    return redirect("acteurs:invitations")


@require_POST
def renvoyer(request, pk):
    invitation = access.get_invitation_for_user(request.user, pk, "renvoyer")
    base_url = request.build_absolute_uri("/")
    envoi = request.POST.get("envoi", "")
    envoi = int(envoi) if envoi.isdecimal() else None  # absent or garbled: no expectation
    appliquer_et_envoyer(
        request,
        lambda: [
            services.renvoyer_invitation(
                invitation, by=request.user, base_url=base_url, envoi=envoi
            )
        ],
        envoye=f"Invitation renvoyée à {invitation.email}, valable 14 jours.",
        en_cours=f"Invitation renouvelée pour {invitation.email}, valable 14 jours ; "
        "le courriel est en cours d'envoi.",
    )
    return _retour(invitation)


@require_POST
def revoquer(request, pk):
    invitation = access.get_invitation_for_user(request.user, pk, "revoquer")
    appliquer(
        request,
        lambda: services.revoquer_invitation(invitation, by=request.user),
        f"L'invitation {de(invitation.email)} est révoquée.",
    )
    return _retour(invitation)


@login_not_required
def accepter(request, jeton):
    """The link in the e-mail: create the account if needed, then join."""
    invitation = services.invitation_par_jeton(jeton)
    context = {"title": "Invitation", "invitation": invitation}
    if invitation is None or not invitation.est_utilisable:
        return render(request, "acteurs/invitation_invalide.html", context, status=404)

    compte = services.compte_invite(invitation)
    if compte is not None:
        if not request.user.is_authenticated:
            messages.info(request, "Connectez-vous avec votre compte pour accepter l'invitation.")
            return redirect_to_login(request.get_full_path())
        if request.user.pk != compte.pk:
            context["autre_compte"] = True
            return render(request, "acteurs/invitation_invalide.html", context, status=403)
        if request.method == "POST":
            return _accepter(
                request,
                invitation,
                lambda: services.accepter_invitation(invitation, request.user),
            )
        return render(request, "acteurs/invitation_accepter.html", context)

    form = CreationCompteForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return _accepter(
            request,
            invitation,
            lambda: services.accepter_invitation_avec_nouveau_compte(
                invitation,
                mot_de_passe=data["password1"],
                prenom=data["first_name"],
                nom=data["last_name"],
            ),
        )
    context["form"] = form
    return render(request, "acteurs/invitation_accepter.html", context)


def _accepter(request, invitation, operation):
    """Run OPERATION, which accepts INVITATION and returns the account that joined."""
    try:
        user = operation()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("tableau_de_bord" if request.user.is_authenticated else "login")
    if not request.user.is_authenticated:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    cible = invitation.acteur or invitation.departement
    messages.success(request, f"Bienvenue ! Vous avez rejoint {cible}.")
    if invitation.acteur:
        return redirect(invitation.acteur)
    return redirect("tableau_de_bord")
