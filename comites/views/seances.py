"""The comités' home and a séance's own page: planning, agenda, attendance, minutes.

Every object is reached through `comites.access` (404 outside one's scope, 403 when the
verb is not allowed)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from actions.access import actions_visible_to
from comites import access, services
from comites.forms import (
    CompteRenduForm,
    DecisionForm,
    InviteForm,
    NouvelleSeanceForm,
    PointForm,
    ReponseForm,
    SeanceForm,
)
from comites.models import Convocation, Decision
from comites.views.commun import contexte_page, convocations_triees, erreurs_du_formulaire
from integration.text import identifiant
from integration.vues import (
    appliquer,
    appliquer_et_envoyer,
    montrer_sous,
    perimetre_requis,
)

PAR_PAGE = 50


@require_safe
@perimetre_requis
def index(request):
    """Upcoming or past séances across the instances one may see, and those instances.

    Across several départements the filter is by département (instances share their names
    from one département to the next: a list of all of them would repeat each name a
    hundred times), and the instances are listed once, under their département."""
    perimetre = request.perimetre
    quand = request.GET.get("quand", "a_venir")
    plusieurs = not perimetre.est_departement
    departement_id = identifiant(request.GET.get("departement")) if plusieurs else None
    if departement_id not in perimetre.departement_ids:
        departement_id = None
    portee = [departement_id] if departement_id else perimetre.departement_ids
    instances = access.instances_visible_to(request.user).filter(departement__in=portee)
    seances = (
        access.seances_visible_to(request.user)
        .filter(instance__departement__in=portee)
        .select_related("instance__departement")
        .annotate(nb_convocations=Count("convocations"))
    )
    maintenant = timezone.now()
    if quand == "passees":
        seances = seances.filter(debut__lt=maintenant).order_by("-debut")
    else:
        quand = "a_venir"
        seances = seances.filter(debut__gte=maintenant).order_by("debut")
    if instance_id := identifiant(request.GET.get("instance")):
        seances = seances.filter(instance_id=instance_id)
    page = Paginator(seances, PAR_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = contexte_page(
        "Comités",
        instances=instances.select_related("parent", "departement").order_by(
            "departement__code", "type", "nom"
        ),
        seances=page.object_list,
        page=page,
        query=query.urlencode(),
        quand=quand,
        instance_id=instance_id,
        peut_creer=access.peut(request.user, "creer_instance", request.departement),
        plusieurs=plusieurs,
        departements=sorted(perimetre.departements, key=lambda d: d.code),
        departement_id=departement_id,
        # An instance is chosen within one département only (its name says which).
        filtre_instance=not plusieurs or departement_id is not None,
    )
    return render(request, "comites/index.html", context)


def seance_creer(request, pk):
    instance = access.get_instance_for_user(request.user, pk, "gerer")
    montrer_sous(request, instance.departement)
    form = NouvelleSeanceForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            seance = services.planifier(instance, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, "La séance est planifiée. Ajoutez l'ordre du jour, puis convoquez."
            )
            return redirect(seance)
    return render(
        request,
        "comites/formulaire.html",
        contexte_page(f"Nouvelle séance : {instance.nom}", form=form),
    )


@require_safe
def seance_detail(request, pk):
    seance = access.get_seance_for_user(request.user, pk)
    montrer_sous(request, seance.instance.departement)
    user = request.user
    peut = {v: access.can_seance(user, v, seance) for v in access.MATRICE_SEANCE.verbes}
    actions = actions_visible_to(user)
    dep = seance.instance.departement
    convocation = access.convocation_de(user, seance)
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
        reponse_form=ReponseForm(initial={"reponse": convocation.reponse}) if convocation else None,
        point_form=PointForm(actions=actions, departement=dep) if peut["organiser"] else None,
        invite_form=InviteForm() if peut["organiser"] else None,
        seance_form=SeanceForm(initial=_horaires(seance)) if peut["organiser"] else None,
        decision_form=DecisionForm(actions=actions, departement=dep) if peut["rediger"] else None,
        cr_form=CompteRenduForm(initial={"compte_rendu": seance.compte_rendu})
        if peut["rediger"]
        else None,
        presences=Convocation.Presence.choices,
        statuts_decision=Decision.Statut.choices,
        peut_emargement=access.emargement_visible(user, seance),
    )
    return render(request, "comites/seance.html", context)


def _horaires(seance):
    return {
        "debut": timezone.localtime(seance.debut),
        "fin": timezone.localtime(seance.fin),
        "lieu": seance.lieu,
        "lien_visio": seance.lien_visio,
    }


@require_POST
def seance_modifier(request, pk):
    seance = access.get_seance_for_user(request.user, pk, "organiser")
    form = SeanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, erreurs_du_formulaire(form))
        return redirect(seance)
    base_url = request.build_absolute_uri("/")
    appliquer_et_envoyer(
        request,
        lambda: services.deplacer(seance, by=request.user, base_url=base_url, **form.cleaned_data),
        envoye="La séance est modifiée ; les personnes convoquées ont reçu l'invitation mise "
        "à jour.",
        en_cours="La séance est modifiée ; l'invitation mise à jour des personnes convoquées "
        "est en cours d'envoi.",
    )
    return redirect(seance)


@require_POST
def seance_annuler(request, pk):
    seance = access.get_seance_for_user(request.user, pk, "organiser")
    base_url = request.build_absolute_uri("/")
    appliquer_et_envoyer(
        request,
        lambda: services.annuler(seance, by=request.user, base_url=base_url),
        envoye="La séance est annulée ; les personnes convoquées en sont prévenues.",
        en_cours="La séance est annulée ; le courriel qui en prévient les personnes "
        "convoquées est en cours d'envoi.",
    )
    return redirect(seance)


@require_POST
def point_ajouter(request, pk):
    seance = access.get_seance_for_user(request.user, pk, "organiser")
    dep = seance.instance.departement
    form = PointForm(request.POST, actions=actions_visible_to(request.user), departement=dep)
    if not form.is_valid():
        messages.error(request, erreurs_du_formulaire(form))
        return redirect(seance)
    appliquer(
        request,
        lambda: services.ajouter_point(seance, **form.cleaned_data),
        "Le point est ajouté à l'ordre du jour.",
    )
    return redirect(seance)


@require_POST
def emarger(request, pk):
    seance = access.get_seance_for_user(request.user, pk, "emarger")
    presences = {}
    for convocation in seance.convocations.all():
        presence = request.POST.get(f"presence-{convocation.pk}", "")
        par = request.POST.get(f"represente-{convocation.pk}", "")
        presences[convocation.pk] = (presence, par)
    appliquer(
        request,
        lambda: services.emarger(seance, presences, by=request.user),
        "L'émargement est enregistré.",
    )
    return redirect(seance)


@require_POST
def cloturer(request, pk):
    seance = access.get_seance_for_user(request.user, pk, "cloturer")
    appliquer(
        request,
        lambda: services.cloturer(seance, by=request.user),
        "La séance est close : son émargement est désormais figé.",
    )
    return redirect(seance)


@require_POST
def compte_rendu(request, pk):
    seance = access.get_seance_for_user(request.user, pk, "rediger")
    form = CompteRenduForm(request.POST)
    if not form.is_valid():
        messages.error(request, erreurs_du_formulaire(form))
        return redirect(seance)
    appliquer(
        request,
        lambda: services.enregistrer_compte_rendu(
            seance, form.cleaned_data["compte_rendu"], by=request.user
        ),
        "Le compte rendu est enregistré.",
    )
    return redirect(seance)
