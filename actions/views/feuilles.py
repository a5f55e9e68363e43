"""Feuilles de route: the plan's home, a feuille's page, its editing, axes, steps, versions,
and the partners' consultation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from actions import access, montants
from actions.documents import FEUILLE_DE_ROUTE, FEUILLE_SIGNEE
from actions.forms.feuilles import AxeForm, CommentaireForm, FeuilleForm, ReponseForm, SignatureForm
from actions.models import Action, FeuilleDeRoute
from actions.services import feuilles as services
from actions.services import versions
from integration import outbox
from integration.documents import services as documents
from integration.text import identifiant
from integration.vues import (
    appliquer,
    appliquer_et_envoyer,
    departement_requis,
    montrer_sous,
    perimetre_requis,
    traiter_en_place,
)

S = FeuilleDeRoute.Statut
SECTION = {"section": "actions"}
# Feuilles per page of the plan's home: a département has a few; the national reader's two
# hundred (two per département) were one page of 73 KB, twice the actors list's CPU.
PAR_PAGE = 50


@require_safe
@perimetre_requis
def index(request):
    perimetre = request.perimetre
    feuilles = (
        access.feuilles_du_perimetre(request.user, perimetre.departement_ids)
        .select_related("departement")
        .order_by("departement__code", "-annee_debut", "-version", "pk")
    )
    return render(
        request,
        "actions/index.html",
        {
            **SECTION,
            "title": "Plan d'actions",
            "page": Paginator(feuilles, PAR_PAGE).get_page(request.GET.get("page")),
            "plusieurs_departements": not perimetre.est_departement,
            "peut_creer": access.peut(request.user, "creer_feuille", request.departement),
        },
    )


def _commentaires(feuille):
    return feuille.commentaires.select_related(
        "auteur", "au_nom_de", "repondu_par", "axe", "action"
    )


@require_safe
def detail(request, pk):
    feuille = access.get_feuille_for_user(request.user, pk)
    return _afficher(request, feuille)


def _afficher(request, feuille, *, lie=None, status: int = 200):
    """The feuille's page. LIE is (name, bound form) of the comment form being corrected,
    its name « commentaire-axe-<pk> » or « commentaire-action-<pk> »: that axe's or action's
    form comes back open, as typed, with its errors (`_commenter.html`).

    In consultation, a partner gets a comment form under each axe, but under each action
    only a link to its form: `?commenter=<pk>` brings the page back with that one open and
    its text focused (no fragment in the link: Chromium then skips autofocus). A
    form per action made a feuille of 150 actions weigh some 180 KB, nine tenths of them
    forms the partner would never open."""
    montrer_sous(request, feuille.departement)
    visibles = access.actions_visible_to(request.user).filter(feuille=feuille)
    # What each row shows, not the fiches' long texts: a feuille lists all its actions.
    actions = (
        visibles.select_related("porteur")
        .only("axe", "titre", "statut", "porteur__nom")
        .order_by("titre", "pk")
    )
    axes = list(
        feuille.axes.prefetch_related(Prefetch("actions", queryset=actions, to_attr="visibles"))
    )
    commentaires = list(_commentaires(feuille))
    action_ids = set(visibles.values_list("pk", flat=True))
    user = request.user
    action_ouverte = identifiant(request.GET.get("commenter"))  # whose form is written
    if lie:
        nom, form = lie
        for objet in [*axes, *(a for axe in axes for a in axe.visibles)]:
            if nom == f"commentaire-{objet._meta.model_name}-{objet.pk}":
                objet.commentaire_lie = form
                action_ouverte = objet.pk if isinstance(objet, Action) else None
    return render(
        request,
        "actions/feuille.html",
        {
            **SECTION,
            "title": str(feuille),
            "feuille": feuille,
            "axes": [(axe, [c for c in commentaires if c.axe_id == axe.pk]) for axe in axes],
            "commentaires_actions": [c for c in commentaires if c.action_id in action_ids],
            "totaux": montants.totaux(visibles),
            "versions": FeuilleDeRoute.objects.filter(
                departement=feuille.departement_id,
                annee_debut=feuille.annee_debut,
                annee_fin=feuille.annee_fin,
            ).order_by("-version"),
            "etapes": _etapes_possibles(user, feuille),
            "peut": {
                verbe: access.can_feuille(user, verbe, feuille)
                for verbe in ("modifier", "commenter", "repondre", "nouvelle_version", "signer")
            },
            "form_commentaire": _form_commentaire(user, feuille),
            "action_ouverte": action_ouverte,
            "peut_proposer": access.peut_proposer(user, feuille),
            "documents": documents.derniers(FEUILLE_DE_ROUTE, feuille),
            "version_signee": documents.derniers(FEUILLE_SIGNEE, feuille, 1).first(),
            "en_attente": _en_attente(user, feuille) if _annonce_le_report(user, feuille) else None,
        },
        status=status,
    )


def _annonce_le_report(user, feuille) -> bool:
    """Whether FEUILLE's page warns USER about its pending actions: to whoever may ask the
    visa before asking it, and to everyone while it awaits signature."""
    if feuille.statut == S.VISA:
        return True
    return access.peut_passer(user, feuille, S.VISA) and bool(
        access.verbe_etape(feuille.statut, S.VISA)
    )


def _en_attente(user, feuille) -> dict | None:
    """FEUILLE's actions not adopted yet, which signing carries on into the next version,
    in one query: those USER reads, listed, and how many in all (a draft is its porteur's
    and pilotage's: the cabinet counts it without reading it). At the visa step, whether
    the next version can still take them. None when there is none."""
    lisibles = access.actions_visible_to(user).filter(pk=OuterRef("pk"))
    toutes = list(
        versions.en_attente(feuille)
        .annotate(lisible=Exists(lisibles))
        .select_related("porteur")
        .order_by("titre", "pk")
    )
    if not toutes:
        return None
    actions = [a for a in toutes if a.lisible]
    return {
        "refus": _refus_du_report(feuille) if feuille.statut == S.VISA else "",
        "nombre": len(toutes),
        "actions": actions,
        "masquees": len(toutes) - len(actions),
        "suivante": feuille.version + 1,
    }


def _refus_du_report(feuille) -> str:
    """What signing would answer if the next version can no longer take the pending."""
    try:
        versions.exiger_suivante_ouverte(feuille, versions.suivante_de(feuille))
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def _etapes_possibles(user, feuille):
    libelles = {
        S.CONSULTATION: "Ouvrir la consultation des partenaires",
        S.BROUILLON: "Clore la consultation (retour au brouillon)",
        S.VISA: "Demander le visa du cabinet",
    }
    return [
        (vers, libelle)
        for vers, libelle in libelles.items()
        if access.verbe_etape(feuille.statut, vers) and access.peut_passer(user, feuille, vers)
    ]


def _form_commentaire(user, feuille, data=None):
    if not access.can_feuille(user, "commenter", feuille):
        return None
    # Evaluated once: the page repeats the choice under every axe and action.
    structures = access.structures_commentatrices(user, feuille)
    form = CommentaireForm(data, structures=structures)
    form.structures = list(structures)
    return form


# --- Creating and editing ---------------------------------------------------------------


@departement_requis
def creer(request):
    access.exiger(request.user, "creer_feuille", request.departement)
    form = FeuilleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resultat = {}

        def operation():
            resultat["feuille"] = services.creer_feuille(
                request.departement, by=request.user, **form.cleaned_data
            )

        if appliquer(
            request, operation, "La feuille de route est créée avec les axes du socle commun."
        ):
            return redirect(resultat["feuille"])
    return render(
        request,
        "actions/feuille_form.html",
        {**SECTION, "title": "Nouvelle feuille de route", "form": form},
    )


def modifier(request, pk):
    feuille = access.get_feuille_for_user(request.user, pk, "modifier")
    montrer_sous(request, feuille.departement)
    initial = {champ: getattr(feuille, champ) for champ in services.CHAMPS_FEUILLE}
    form = FeuilleForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and appliquer(
            request,
            lambda: services.modifier_feuille(feuille, by=request.user, **form.cleaned_data),
            "La feuille de route est enregistrée.",
        )
    ):
        return redirect(feuille)
    return render(
        request,
        "actions/feuille_form.html",
        {**SECTION, "title": f"Modifier « {feuille.titre} »", "form": form, "feuille": feuille},
    )


# --- Axes -------------------------------------------------------------------------------


def axes(request, pk):
    """A feuille's axes, one form each, and the form adding one. A form refused comes back
    in place, as typed, its error beside its field (`integration.vues.traiter_en_place`)."""
    feuille = access.get_feuille_for_user(request.user, pk, "modifier")
    montrer_sous(request, feuille.departement)
    if request.method == "POST":
        return _operation_axes(request, feuille)
    return _afficher_axes(request, feuille)


def _afficher_axes(request, feuille, *, lie=None, status: int = 200):
    """The axes page; LIE is (name, bound form) of the form being corrected: « nouvel »
    (the axe to add) or « axe-<pk> » (that axe's)."""
    nom, form_lie = lie if lie else (None, None)
    liste = list(feuille.axes.prefetch_related("actions"))
    return render(
        request,
        "actions/axes.html",
        {
            **SECTION,
            "title": f"Axes de « {feuille.titre} »",
            "feuille": feuille,
            "axes": [
                (
                    axe,
                    form_lie
                    if nom == f"axe-{axe.pk}"
                    else AxeForm(
                        prefix=f"axe-{axe.pk}",
                        initial={"libelle": axe.libelle, "description": axe.description},
                    ),
                )
                for axe in liste
            ],  # fmt: skip
            "nouveau": form_lie if nom == "nouvel" else AxeForm(prefix="nouvel"),
        },
        status=status,
    )


def _operation_axes(request, feuille):
    """Run the POSTed operation on the axes: adding or renaming through its form, in place;
    moving and removing (one button each) with their message."""
    op = request.POST.get("op", "")
    en_place = {
        "page": reverse("actions:feuille_axes", args=[feuille.pk]),
        "afficher": lambda **kwargs: _afficher_axes(request, feuille, **kwargs),
    }
    if op == "ajouter":
        return traiter_en_place(
            request,
            "nouvel",
            AxeForm(request.POST, prefix="nouvel"),
            lambda data: services.ajouter_axe(feuille, by=request.user, **data),
            "L'axe est ajouté.",
            **en_place,
        )
    axe = _axe(feuille, request.POST.get("axe"))
    if op == "modifier":
        return traiter_en_place(
            request,
            f"axe-{axe.pk}",
            AxeForm(request.POST, prefix=f"axe-{axe.pk}"),
            lambda data: services.modifier_axe(axe, by=request.user, **data),
            "L'axe est enregistré.",
            **en_place,
        )
    if op in ("monter", "descendre"):
        sens = -1 if op == "monter" else 1
        appliquer(
            request,
            lambda: services.deplacer_axe(axe, by=request.user, sens=sens),
            "L'axe est déplacé.",
        )
    elif op == "retirer":
        appliquer(
            request, lambda: services.supprimer_axe(axe, by=request.user), "L'axe est retiré."
        )
    else:
        messages.error(request, "Opération inconnue.")
    return redirect("actions:feuille_axes", feuille.pk)


def _axe(feuille, valeur):
    """An axe of FEUILLE (already reached through the access module) from a posted id."""
    axe = feuille.axes.select_related("feuille").filter(pk=identifiant(valeur)).first()
    if axe is None:
        raise Http404
    return axe


# --- Steps, versions --------------------------------------------------------------------


@require_POST
def etape(request, pk):
    feuille = access.get_feuille_for_user(request.user, pk)
    vers = request.POST.get("vers", "")
    if vers == feuille.statut:  # a second tab's same click, once the first one is done
        messages.info(request, f"La feuille de route est déjà à l'étape « {S(vers).label} ».")
        return redirect(feuille)
    if not access.peut_passer(request.user, feuille, vers):
        raise PermissionDenied
    if access.verbe_etape(feuille.statut, vers) is None:
        messages.error(request, "Cette étape n'est pas possible depuis l'étape actuelle.")
        return redirect(feuille)

    def operation():
        return services.changer_etape(feuille, vers, by=request.user)

    message = f"La feuille de route est maintenant à l'étape « {S(vers).label} »."
    if vers == S.VISA:  # the cabinet is told by e-mail: say whether it has left
        appliquer_et_envoyer(
            request,
            operation,
            envoye=f"{message} Le cabinet en est averti par courriel.",
            en_cours=f"{message} Le courriel au cabinet partira dès que possible.",
            personne=f"{message} Aucun membre du cabinet n'a de compte : prévenez-le vous-même.",
        )
    else:
        appliquer(request, operation, message)
    return redirect(feuille)


@require_POST
def creer_version(request, pk):
    feuille = access.get_feuille_for_user(request.user, pk, "nouvelle_version")
    resultat = {}

    def operation():
        resultat["copie"] = services.nouvelle_version(feuille, by=request.user)

    if appliquer(
        request, operation, "La nouvelle version est créée : elle reprend axes et actions."
    ):
        return redirect(resultat["copie"])
    return redirect(feuille)


# --- Documents and signature -----------------------------------------------------------


@require_POST
def exporter(request, pk):
    """Ask for the feuille's PDF (whoever reads the feuille); its progress page follows."""
    feuille = access.get_feuille_for_user(request.user, pk)
    document = documents.demander(FEUILLE_DE_ROUTE, feuille, by=request.user)
    return redirect("documents:suivi", pk=document.pk)


def signer(request, pk):
    """The cabinet signs: a summary of what it signs and the signer's qualité (GET), then
    the signature and the signed PDF's production (POST). Signed already (a second tab,
    a page left open): the cabinet is told so and sent to the signed document."""
    feuille = access.get_feuille_for_user(request.user, pk)
    if feuille.est_signee and access.signe(request.user, feuille):
        return _deja_signee(request, feuille)
    if not access.can_feuille(request.user, "signer", feuille):
        raise PermissionDenied
    montrer_sous(request, feuille.departement)
    form = SignatureForm(
        request.POST or None, initial={"qualite": feuille.departement.titre_prefet}
    )
    if request.method == "POST" and form.is_valid():
        try:
            document, report = services.signer_et_sceller(
                feuille, request.user, qualite=form.cleaned_data["qualite"]
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == services.DEJA_SIGNEE:
                return _deja_signee(request, feuille)
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _signee(report))
            return redirect("documents:suivi", pk=document.pk)
    return render(
        request,
        "actions/signer.html",
        {
            **SECTION,
            "title": f"Signer « {feuille.titre} »",
            "feuille": feuille,
            "form": form,
            "resume": _resume(request.user, feuille),
            "en_attente": _en_attente(request.user, feuille),
        },
    )


def _signee(report) -> str:
    """The signing's message, true to the carry-over and to its e-mails (sent, or still
    waiting for the mail server)."""
    message = (
        "La feuille de route est signée : son contenu ne change plus. "
        "Sa version signée est en cours de production."
    )
    n = len(report.actions)
    if not n:
        return message
    if n == 1:
        message += f" L'action en attente continue dans la version {report.suivante.version}"
    else:
        message += (
            f" Les {n} actions en attente continuent dans la version {report.suivante.version}"
        )
    courriels = [c for c in report.courriels if c is not None]
    if not courriels:
        return message + "."
    if outbox.all_done(courriels):
        return message + " ; leurs porteurs en sont avertis par courriel."
    return message + " ; les courriels qui en avertissent leurs porteurs vont partir."


def _deja_signee(request, feuille):
    messages.info(request, "Cette feuille de route est déjà signée.")
    signee = documents.derniers(FEUILLE_SIGNEE, feuille, limite=1).first()
    if signee is None:  # signed before the documents existed (demo data): its page says
        return redirect(feuille)
    return redirect("documents:suivi", pk=signee.pk)


def _resume(user, feuille) -> dict:
    """What the cabinet signs: its axes, its actions adopted and their money by the rule
    of `actions.montants`, what still waits apart (three queries). Over the actions USER
    reads, as the dashboard, so both show the same figures (a draft is its porteur's)."""
    actions = Action.objects.filter(
        pk__in=access.actions_visible_to(user).filter(feuille=feuille).values("pk")
    )
    return {
        "axes": feuille.axes.count(),
        "actions": actions.adoptees().count(),
        "totaux": montants.totaux(actions),
    }


# --- Consultation -----------------------------------------------------------------------


@require_safe
def consultation(request, pk):
    feuille = access.get_feuille_for_user(request.user, pk)
    montrer_sous(request, feuille.departement)
    commentaires = _commentaires(feuille)
    sans_reponse = request.GET.get("sans_reponse") == "1"
    if sans_reponse:
        commentaires = commentaires.filter(reponse="", pris_en_compte=False)
    visibles = set(
        access.actions_visible_to(request.user).filter(feuille=feuille).values_list("pk", flat=True)
    )
    commentaires = [c for c in commentaires if c.action_id is None or c.action_id in visibles]
    return render(
        request,
        "actions/consultation.html",
        {
            **SECTION,
            "title": f"Consultation sur « {feuille.titre} »",
            "feuille": feuille,
            "commentaires": commentaires,
            "sans_reponse": sans_reponse,
            "peut_repondre": access.can_feuille(request.user, "repondre", feuille),
        },
    )


@require_POST
def commenter(request, pk):
    """A partner's comment on an axe or an action of the feuille. Refused, the feuille's page
    comes back with that axe's or action's comment form open, as typed, its error beside its
    field (`integration.vues.traiter_en_place`)."""
    feuille = access.get_feuille_for_user(request.user, pk, "commenter")
    form = _form_commentaire(request.user, feuille, request.POST)
    axe = action = None
    if pk_action := identifiant(request.POST.get("action")):
        action = access.get_action_for_user(request.user, pk_action)
    elif pk_axe := identifiant(request.POST.get("axe")):
        axe = _axe(feuille, pk_axe)
    cible = axe or action
    if cible is None or cible.feuille_id != feuille.pk:  # no form of this page sent it
        messages.error(request, "Choisissez un axe ou une action de cette feuille de route.")
        return redirect(feuille)

    def operation(data):
        return services.commenter(
            feuille, by=request.user, au_nom_de=data["au_nom_de"], texte=data["texte"],
            axe=axe, action=action,
        )  # fmt: skip

    return traiter_en_place(
        request,
        f"commentaire-{cible._meta.model_name}-{cible.pk}",
        form,
        operation,
        "Votre commentaire est transmis au service pilote.",
        page=feuille.get_absolute_url(),
        afficher=lambda **kwargs: _afficher(request, feuille, **kwargs),
    )


def _reponse_enregistree(courriel) -> str:
    """True to the e-mail telling the author: sent, or still waiting for the mail server."""
    if courriel is None:
        return "Votre réponse est enregistrée."
    if outbox.all_done([courriel]):
        return "Votre réponse est enregistrée ; l'auteur en est averti par courriel."
    return (
        "Votre réponse est enregistrée ; le courriel qui en avertit l'auteur est en cours d'envoi."
    )


def repondre(request, pk):
    commentaire = access.get_commentaire_for_user(request.user, pk, "repondre")
    feuille = commentaire.feuille
    montrer_sous(request, feuille.departement)
    form = ReponseForm(
        request.POST or None,
        initial={"reponse": commentaire.reponse, "pris_en_compte": commentaire.pris_en_compte},
    )
    if request.method == "POST" and form.is_valid():
        try:
            courriel = services.repondre(commentaire, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _reponse_enregistree(courriel))
            return redirect("actions:consultation", feuille.pk)
    return render(
        request,
        "actions/repondre.html",
        {**SECTION, "title": "Répondre à un commentaire", "commentaire": commentaire,
         "feuille": feuille, "form": form},
    )  # fmt: skip
