"""The actors' registry: list, detail, create, edit, archive, moderate."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from acteurs import access, services
from acteurs.filters import acteurs_filtres
from acteurs.forms import ActeurForm, ModerationForm
from acteurs.models import Acteur
from integration import journal
from integration.vues import appliquer, departement_requis, montrer_sous, perimetre_requis

PAR_PAGE = 50
HISTORIQUE_MAX = 50  # the latest events of the actor and its memberships


@require_safe
@perimetre_requis
def liste(request):
    form, acteurs = acteurs_filtres(request)
    page = Paginator(acteurs, PAR_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    departement = request.departement  # None over a région or all of France: no writing
    return render(
        request,
        "acteurs/liste.html",
        {
            "title": "Acteurs",
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "plusieurs_departements": not request.perimetre.est_departement,
            "peut_creer": access.can_create_acteur(request.user, departement),
            "cree_directement": access.peut(request.user, "creer_acteur", departement),
            "peut_importer": access.peut(request.user, "importer_acteurs", departement),
            "peut_voir_invitations": access.peut(request.user, "voir_invitations", departement),
        },
    )


@require_safe
def detail(request, pk):
    acteur = access.get_acteur_for_user(request.user, pk)
    montrer_sous(request, acteur.departement)
    peut = {
        verbe: access.can(request.user, verbe, acteur) for verbe in access.MATRICE_ACTEUR.verbes
    }
    context = {"title": acteur.nom, "acteur": acteur, "peut": peut}
    if peut["voir_historique"]:
        context["evenements"] = journal.historique(acteur)[:HISTORIQUE_MAX]
    if peut["voir_membres"]:
        context["membres"] = acteur.membres.filter(actif=True).select_related("user")
    if peut["moderer"]:  # only a pending proposal can be moderated
        context["moderation_form"] = ModerationForm()
    return render(request, "acteurs/detail.html", context)


@departement_requis
def creer(request):
    departement = request.departement
    if not access.can_create_acteur(request.user, departement):
        raise PermissionDenied
    form = ActeurForm(request.POST or None, departement=departement, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            acteur = services.creer_acteur(departement, form.donnees(), by=request.user)
        except ValidationError as exc:  # the same form sent twice at once: the second
            form.add_error(None, exc)
            return _formulaire_de_creation(request, form, status=400)
        if acteur.statut == acteur.Statut.VALIDE:
            messages.success(request, f"L'acteur « {acteur.nom} » a été créé.")
        else:
            messages.success(
                request,
                f"Votre proposition « {acteur.nom} » a été transmise au service pilote, "
                "qui la validera ou vous expliquera pourquoi elle est refusée.",
            )
        return redirect(acteur)
    return _formulaire_de_creation(request, form)


def _formulaire_de_creation(request, form, *, status: int = 200):
    cree_directement = access.peut(request.user, "creer_acteur", request.departement)
    return render(
        request,
        "acteurs/formulaire.html",
        {
            "title": "Nouvel acteur" if cree_directement else "Proposer un acteur",
            "form": form,
            "est_proposition": not cree_directement,
        },
        status=status,
    )


def modifier(request, pk):
    acteur = access.get_acteur_for_user(request.user, pk, "modifier")
    montrer_sous(request, acteur.departement)
    form = ActeurForm(
        request.POST or None, instance=acteur, departement=acteur.departement, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        changements = services.modifier_acteur(acteur, form.donnees(), by=request.user)
        if changements:
            messages.success(request, "Les modifications ont été enregistrées.")
        else:
            messages.info(request, "Aucune modification à enregistrer.")
        return redirect(acteur)
    return render(
        request,
        "acteurs/formulaire.html",
        {"title": f"Modifier « {acteur.nom} »", "form": form, "acteur": acteur},
    )


def _operation(request, pk, verbe: str, operation, succes: str):
    """Run a one-click operation posted from the actor's page, then go back to it."""
    acteur = access.get_acteur_for_user(request.user, pk, verbe)
    appliquer(request, lambda: operation(acteur, by=request.user), succes.format(nom=acteur.nom))
    return redirect(acteur)


@require_http_methods(["GET", "POST"])
def archiver(request, pk):
    """GET asks for confirmation (a page, so it works without JavaScript); POST archives."""
    if request.method == "POST":
        return _operation(
            request,
            pk,
            "archiver",
            services.archiver_acteur,
            "L'acteur « {nom} » est archivé : il n'apparaît plus dans les listes par défaut.",
        )
    acteur = access.get_acteur_for_user(request.user, pk, "archiver")
    if acteur.est_archive:
        return redirect(acteur)
    return render(
        request,
        "acteurs/archiver.html",
        {"title": f"Archiver « {acteur.nom} »", "acteur": acteur},
    )


@require_POST
def restaurer(request, pk):
    return _operation(
        request, pk, "archiver", services.restaurer_acteur, "L'acteur « {nom} » est restauré."
    )


def moderer(request, pk):
    acteur = access.get_acteur_for_user(request.user, pk)  # one read: no race between two
    deja_traitee = acteur.statut != Acteur.Statut.EN_ATTENTE
    if request.method == "POST" and deja_traitee and access.modere(request.user, acteur):
        messages.info(request, "Cette proposition a déjà été traitée.")  # a late second tab
        return redirect(acteur)
    if not access.can(request.user, "moderer", acteur):
        raise PermissionDenied
    montrer_sous(request, acteur.departement)
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["decision"] == "valider":
            appliquer(
                request,
                lambda: services.valider_proposition(acteur, by=request.user),
                f"« {acteur.nom} » est validé et rejoint le registre.",
            )
        else:
            motif = form.cleaned_data["motif"]
            appliquer(
                request,
                lambda: services.rejeter_proposition(acteur, by=request.user, motif=motif),
                f"La proposition « {acteur.nom} » est rejetée.",
            )
        return redirect(acteur)
    return render(
        request,
        "acteurs/moderation.html",
        {"title": f"Modérer « {acteur.nom} »", "acteur": acteur, "form": form},
    )
