"""Fiches-actions: detail, create, edit, their moves through review, and the review queue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actions import access, extensions
from actions.forms.fiches import (
    CHERCHER_PARTENAIRES,
    avec_lignes_en_plus,
    formulaires,
    resume_des_erreurs,
)
from actions.forms.territoires import CHERCHER, RECHERCHE, ChoixDeTerritoires
from actions.models import Action, Mesure, Partenariat, Transition
from actions.services import circuit, fiches
from actions.verrou import exiger_modifiable
from integration import outbox
from integration.text import identifiant
from integration.vues import appliquer, departement_requis, montrer_sous

PAR_PAGE = 50
AJOUTER_LIGNES = "ajouter_lignes"


def _action_complete(user, pk) -> Action:
    """The action and everything its page shows, in a constant number of queries: the
    partners with their actors in one, the history only for whom it shows (below)."""
    page = Action.objects.select_related("cree_par").prefetch_related(
        Prefetch("partenariats", queryset=Partenariat.objects.select_related("acteur")),
        "financements",
        "publics",
        "territoires",
        "jalons",
        Prefetch("indicateurs__mesures", queryset=Mesure.objects.order_by("-annee")),
    )
    return access.get_action_for_user(user, pk, queryset=page)


@require_safe
def detail(request, pk):
    action = _action_complete(request.user, pk)
    montrer_sous(request, action.feuille.departement)
    voir_historique = access.can(request.user, "voir_historique", action)
    if voir_historique:
        prefetch_related_objects(
            [action], Prefetch("transitions", queryset=Transition.objects.select_related("par"))
        )
    financements = list(action.financements.all())
    mouvements = circuit.mouvements_permis(request.user, action)
    return render(
        request,
        "actions/fiches/detail.html",
        {
            "title": action.titre,
            "action": action,
            "financements": financements,
            "totaux": _totaux(financements),
            "peut_modifier": access.can(request.user, "modifier", action),
            "peut_suivre": access.can(request.user, "suivre", action),
            # The review's comments are between pilotage and the porteur's structure.
            "voir_historique": voir_historique,
            "commentaires": action.commentaires.select_related("auteur", "au_nom_de"),
            "sections": extensions.sections(request, action),
            # Refusing is final: it has its own page, apart from the other moves.
            "mouvements": [
                (vers, circuit.LIBELLES[vers], vers in circuit.workflow.MOTIVEES)
                for vers in mouvements
                if vers != Action.Statut.REFUSEE
            ],
            "peut_refuser": Action.Statut.REFUSEE in mouvements,
        },
    )


def _totaux(financements) -> dict:
    def somme(champ):
        return sum((getattr(f, champ) or 0) for f in financements)

    return {c: somme(c) for c in ("montant_demande", "montant_accorde", "montant_verse")}


def creer(request):
    numero = identifiant(request.GET.get("feuille"))
    if numero is None:
        raise Http404("Précisez la feuille de route de l'action.")
    feuille = access.get_feuille_for_user(request.user, numero)
    access.exiger(request.user, "rediger_action", feuille.departement)
    montrer_sous(request, feuille.departement)
    try:
        exiger_modifiable(feuille)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("actions:index")
    return _formulaire(request, feuille=feuille, action=None)


def modifier(request, pk):
    # The partners with their actors, in one query: the access check reads them, and the
    # form's rows and the choices they offer too.
    page = Action.objects.prefetch_related(
        Prefetch("partenariats", queryset=Partenariat.objects.select_related("acteur"))
    )
    action = access.get_action_for_user(request.user, pk, "modifier", queryset=page)
    montrer_sous(request, action.feuille.departement)
    return _formulaire(request, feuille=action.feuille, action=action)


def _formulaire(request, *, feuille, action):
    data = request.POST if request.method == "POST" else None
    ajout = data is not None and AJOUTER_LIGNES in data
    cherche = data is not None and CHERCHER in data
    cherche_partenaires = data is not None and CHERCHER_PARTENAIRES in data
    if ajout:  # "Ajouter des lignes": the same page again, longer, nothing saved
        data = avec_lignes_en_plus(data, ["partenaires", "financements", "indicateurs", "jalons"])
    form, formsets = formulaires(data, feuille=feuille, user=request.user, action=action)
    if ajout or cherche or cherche_partenaires:  # a half-typed fiche is not an error yet
        for partie in [form, *formsets.values()]:
            partie.taire_erreurs()
    envoyee = data is not None and not (ajout or cherche or cherche_partenaires)
    if envoyee and form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
        resultat = {}
        if appliquer(
            request,
            lambda: resultat.update(
                action=fiches.enregistrer_action(form, formsets, by=request.user)
            ),
            "La fiche-action est enregistrée."
            if action
            else "La fiche-action est créée en brouillon.",
        ):
            return redirect(resultat["action"])
    titre = f"Modifier « {action.titre} »" if action else "Nouvelle fiche-action"
    return render(
        request,
        "actions/fiches/formulaire.html",
        {
            "title": titre,
            "form": form,
            "formsets": formsets.values(),
            "action": action,
            "feuille": feuille,
            "ajout": ajout,
            "cherche": cherche,
            "cherche_partenaires": cherche_partenaires,
            "erreurs": resume_des_erreurs(form, formsets.values()) if envoyee else [],
        },
    )


@require_safe
def communes(request, pk):
    """The communes' boxes of the fiche form for what is typed in its search box (htmx):
    the communes ticked (sent back so they stay ticked), then those found."""
    feuille = access.get_feuille_for_user(request.user, pk)
    access.exiger(request.user, "rediger_action", feuille.departement)
    choisis = request.GET.getlist("territoires")
    widget = ChoixDeTerritoires()
    widget.preparer(feuille.departement, feuille, choisis, request.GET.get(RECHERCHE, ""))
    communes = widget.communes(widget.format_value(choisis), {"id": "id_territoires"})
    return render(
        request,
        "actions/fiches/_communes_trouvees.html",
        {"communes": communes, "widget": widget, "oob": True},
    )


@require_POST
def transition(request, pk):
    action = access.get_action_for_user(request.user, pk)
    vers = request.POST.get("vers", "")
    if vers not in Action.Statut.values:
        messages.error(request, "Ce changement de statut n'existe pas.")
        return redirect(action)
    if not access.can(request.user, circuit.verbe_vers(action.statut, vers), action):
        raise PermissionDenied
    try:
        transition = circuit.changer_statut(
            action,
            vers,
            by=request.user,
            commentaire=request.POST.get("commentaire", ""),
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _annonce(vers, transition.courriel))
    return redirect(action)


@require_http_methods(["GET", "HEAD", "POST"])
def refuser(request, pk):
    """Refusing is final: a page of its own says what follows, asks the reason, and only
    its POST refuses (locked and checked again by the circuit, as every move)."""
    action = access.get_action_for_user(request.user, pk)
    montrer_sous(request, action.feuille.departement)
    if not access.can(
        request.user, circuit.verbe_vers(action.statut, Action.Statut.REFUSEE), action
    ):
        raise PermissionDenied
    erreur, commentaire = "", request.POST.get("commentaire", "")
    if request.method == "POST":
        try:
            transition = circuit.changer_statut(
                action,
                Action.Statut.REFUSEE,
                by=request.user,
                commentaire=commentaire,
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except ValidationError as exc:
            erreur = " ".join(exc.messages)
        else:
            messages.success(request, _annonce(Action.Statut.REFUSEE, transition.courriel))
            return redirect(action)
    return render(
        request,
        "actions/fiches/refuser.html",
        {
            "title": f"Refuser « {action.titre} »",
            "action": action,
            "erreur": erreur,
            "commentaire": commentaire,
        },
        status=400 if erreur else 200,
    )


# What each move says, and who its e-mail tells.
_SUCCES = {
    Action.Statut.SOUMISE: ("L'action est soumise au service pilote", "le service pilote"),
    Action.Statut.EN_INSTRUCTION: ("L'action est en instruction", None),
    Action.Statut.A_COMPLETER: ("L'action est renvoyée au porteur pour compléments", "le porteur"),
    Action.Statut.VALIDEE: ("L'action est validée", "le porteur"),
    Action.Statut.REFUSEE: ("L'action est refusée", "le porteur"),
}


def _annonce(vers, courriel) -> str:
    """True to the e-mail: told once it has left, "en cours d'envoi" while it waits."""
    phrase, qui = _SUCCES.get(vers, ("Le statut de l'action a changé", None))
    if courriel is None or qui is None:
        return f"{phrase}."
    if outbox.all_done([courriel]):
        return f"{phrase} : {qui} en est averti par courriel."
    return f"{phrase} ; le courriel qui en avertit {qui} est en cours d'envoi."


@require_safe
@departement_requis
def instruction(request):
    departement = request.departement
    access.exiger(request.user, "instruire", departement)
    actions = (
        access.actions_visible_to(request.user)
        .filter(feuille__departement=departement)
        .en_attente_d_instruction()
        .select_related("porteur", "axe", "feuille")
    )
    page = Paginator(actions, PAR_PAGE).get_page(request.GET.get("page"))
    aujourd_hui = timezone.localdate()
    for action in page:
        action.jours_d_attente = (aujourd_hui - timezone.localdate(action.soumise_le)).days
    return render(
        request,
        "actions/fiches/instruction.html",
        {"title": "Actions à instruire", "page": page},
    )
