"""The comités' pages: each parses the request, calls a service, renders.

Every object is reached through `comites.access` (404 outside one's scope, 403 when the
verb is not allowed). The answer link of a convocation is the one page without login.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from actions.access import actions_visible_to
from comites import access, calendrier, communique, documents, services
from comites.forms import (
    CommuniqueForm,
    CompteRenduForm,
    DecisionForm,
    FinMandatForm,
    InstanceForm,
    InviteForm,
    NouvelleSeanceForm,
    PointForm,
    ReponseForm,
    SeanceForm,
    SiegeForm,
)
from comites.models import Convocation, Decision, JetonCalendrier, Siege
from integration import outbox
from integration.documents.services import demander
from integration.text import identifiant
from integration.vues import (
    appliquer,
    appliquer_et_envoyer,
    departement_requis,
    montrer_sous,
    perimetre_requis,
)

PAR_PAGE = 50


def _ctx(title, **kwargs):
    return {"title": title, "section": "comites", **kwargs}


# --- Lists ------------------------------------------------------------------------------


@require_safe
@perimetre_requis
def index(request):
    """Upcoming or past séances across the instances one may see, and those instances."""
    perimetre = request.perimetre
    quand = request.GET.get("quand", "a_venir")
    instances = access.instances_visible_to(request.user).filter(
        departement__in=perimetre.departement_ids
    )
    seances = (
        access.seances_visible_to(request.user)
        .filter(instance__departement__in=perimetre.departement_ids)
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
    context = _ctx(
        "Comités",
        instances=instances.select_related("parent").order_by("type", "nom"),
        seances=page.object_list,
        page=page,
        query=query.urlencode(),
        quand=quand,
        instance_id=instance_id,
        peut_creer=access.peut(request.user, "creer_instance", request.departement),
        plusieurs=not perimetre.est_departement,
    )
    return render(request, "comites/index.html", context)


# --- Instances --------------------------------------------------------------------------


@departement_requis
def instance_creer(request):
    access.exiger(request.user, "creer_instance", request.departement)
    form = InstanceForm(request.POST or None, departement=request.departement)
    if request.method == "POST" and form.is_valid():
        try:
            instance = services.creer_instance(form.instance, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"L'instance « {instance.nom} » est créée.")
            return redirect(instance)
    return render(request, "comites/formulaire.html", _ctx("Nouvelle instance", form=form))


@require_safe
def instance_detail(request, pk):
    instance = access.get_instance_for_user(request.user, pk)
    montrer_sous(request, instance.departement)
    gerer = access.can_instance(request.user, "gerer", instance)
    sieges = instance.sieges.select_related("personne", "acteur")
    seances = access.seances_visible_to(request.user).filter(instance=instance)
    context = _ctx(
        instance.nom,
        instance=instance,
        sieges_en_cours=[s for s in sieges if s.en_cours],
        anciens=[s for s in sieges if not s.en_cours],
        seances=seances.order_by("-debut"),
        enfants=access.instances_visible_to(request.user).filter(parent=instance),
        gerer=gerer,
        form=SiegeForm(departement=instance.departement) if gerer else None,
    )
    return render(request, "comites/instance.html", context)


@require_POST
def siege_ajouter(request, pk):
    instance = access.get_instance_for_user(request.user, pk, "gerer")
    form = SiegeForm(request.POST, departement=instance.departement)
    if not form.is_valid():
        messages.error(request, _erreurs(form))
        return redirect(instance)
    data = form.cleaned_data

    def operation():
        personne = services.personne_pour(
            instance.departement, nom=data["nom"], courriel=data["courriel"]
        )
        services.attribuer_siege(
            instance,
            role=data["role"],
            personne=personne,
            acteur=data["acteur"],
            debut=data["debut"],
            by=request.user,
        )

    appliquer(request, operation, f"{data['nom']} siège désormais dans l'instance.")
    return redirect(instance)


@require_POST
def siege_terminer(request, pk, siege_pk):
    instance = access.get_instance_for_user(request.user, pk, "gerer")
    siege = get_object_or_404(
        Siege.objects.select_related("personne"), instance=instance, pk=siege_pk
    )
    form = FinMandatForm(request.POST)
    if not form.is_valid():
        messages.error(request, _erreurs(form))
        return redirect(instance)
    appliquer(
        request,
        lambda: services.terminer_mandat(siege, fin=form.cleaned_data["fin"], by=request.user),
        f"Le mandat de {siege.personne} est terminé ; il reste dans l'historique.",
    )
    return redirect(instance)


def _erreurs(form) -> str:
    return " ".join(f"{form.fields[f].label if f in form.fields else ''} : {e}".lstrip(" :")
                    for f, errs in form.errors.items() for e in errs)  # fmt: skip


# --- Séances ----------------------------------------------------------------------------


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
        request, "comites/formulaire.html", _ctx(f"Nouvelle séance : {instance.nom}", form=form)
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
    context = _ctx(
        str(seance),
        seance=seance,
        peut=peut,
        points=seance.points.select_related("feuille").prefetch_related(
            Prefetch("actions", queryset=actions.order_by("titre"))
        ),
        convocations=_convocations(seance),
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
        peut_emargement=documents.emargement_visible(user, seance),
    )
    return render(request, "comites/seance.html", context)


def _horaires(seance):
    return {
        "debut": timezone.localtime(seance.debut),
        "fin": timezone.localtime(seance.fin),
        "lieu": seance.lieu,
        "lien_visio": seance.lien_visio,
    }


def _convocations(seance):
    return seance.convocations.select_related("personne", "acteur", "envoi").order_by(
        "personne__nom"
    )


@require_safe
def reponses(request, pk):
    """The organiser's list of answers; htmx polls this fragment, the full page works alone."""
    seance = access.get_seance_for_user(request.user, pk, "organiser")
    convocations = list(_convocations(seance))
    context = _ctx(
        f"Réponses : {seance}",
        seance=seance,
        convocations=convocations,
        totaux={r.label: sum(c.reponse == r for c in convocations) for r in Convocation.Reponse},
    )
    if request.htmx:
        return render(request, "comites/_reponses.html", context)
    return render(request, "comites/reponses.html", context)


@require_POST
def seance_modifier(request, pk):
    seance = access.get_seance_for_user(request.user, pk, "organiser")
    form = SeanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _erreurs(form))
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
        messages.error(request, _erreurs(form))
        return redirect(seance)
    appliquer(
        request,
        lambda: services.ajouter_point(seance, **form.cleaned_data),
        "Le point est ajouté à l'ordre du jour.",
    )
    return redirect(seance)


@require_POST
def invite_ajouter(request, pk):
    seance = access.get_seance_for_user(request.user, pk, "organiser")
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _erreurs(form))
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
    seance = access.get_seance_for_user(request.user, pk, "organiser")
    convocation = get_object_or_404(
        seance.convocations.select_related("personne"), pk=convocation_pk
    )
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
        en_cours=f"Convocation de {convocation.personne} enregistrée ; envoi en cours.",
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
        messages.error(request, _erreurs(form))
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
        return render(request, "comites/lien_invalide.html", _ctx("Lien invalide"), status=404)
    seance = convocation.seance
    ouverte = seance.repondable and seance.debut > timezone.now()
    form = ReponseForm(request.POST or None, initial={"reponse": convocation.reponse})
    if request.method == "POST":
        if not ouverte:
            messages.error(request, "La séance a eu lieu ou est annulée : on n'y répond plus.")
        elif _enregistrer_reponse(request, convocation, form):
            return redirect("comites:repondre_lien", jeton=jeton)
    context = _ctx(
        "Répondre à la convocation",
        convocation=convocation,
        seance=seance,
        form=form,
        ouverte=ouverte,
    )
    return render(request, "comites/repondre_lien.html", context, status=200 if ouverte else 410)


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
        messages.error(request, _erreurs(form))
        return redirect(seance)
    appliquer(
        request,
        lambda: services.enregistrer_compte_rendu(
            seance, form.cleaned_data["compte_rendu"], by=request.user
        ),
        "Le compte rendu est enregistré.",
    )
    return redirect(seance)


@require_POST
def decision_ajouter(request, pk):
    seance = access.get_seance_for_user(request.user, pk, "rediger")
    dep = seance.instance.departement
    form = DecisionForm(request.POST, actions=actions_visible_to(request.user), departement=dep)
    if not form.is_valid():
        messages.error(request, _erreurs(form))
        return redirect(seance)
    data = form.cleaned_data
    appliquer(
        request,
        lambda: services.relever_decision(
            seance,
            texte=data["texte"],
            responsable=data["responsable"],
            echeance=data["echeance"],
            actions=list(data["actions"]),
            by=request.user,
        ),
        "La décision est ajoutée au relevé.",
    )
    return redirect(seance)


@require_POST
def decision_statut(request, pk, decision_pk):
    seance = access.get_seance_for_user(request.user, pk, "rediger")
    decision = get_object_or_404(seance.decisions, pk=decision_pk)
    appliquer(
        request,
        lambda: services.changer_statut_decision(
            decision, request.POST.get("statut", ""), by=request.user
        ),
        "L'avancement de la décision est enregistré.",
    )
    return redirect(seance)


def communique_edition(request, pk):
    """The draft, pre-filled from the séance or from its latest version; each save adds one."""
    seance = access.get_seance_for_user(request.user, pk, "communiquer")
    montrer_sous(request, seance.instance.departement)
    versions = list(seance.communiques.select_related("cree_par"))
    if versions:
        initial = {"titre": versions[0].titre, "texte": versions[0].texte}
    else:
        titre, texte = communique.brouillon(seance)
        initial = {"titre": titre, "texte": texte}
    form = CommuniqueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            v = services.enregistrer_communique(seance, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Version {v.version} du communiqué enregistrée.")
            return redirect("comites:communique", pk=seance.pk)
    context = _ctx(
        "Communiqué de presse",
        seance=seance,
        form=form,
        versions=versions,
        contacts=communique.contacts(seance.instance.departement),
    )
    return render(request, "comites/communique.html", context)


@require_safe
def communique_texte(request, pk, version):
    """Export one version as plain text, for the press service."""
    seance = access.get_seance_for_user(request.user, pk, "communiquer")
    v = get_object_or_404(seance.communiques, version=version)
    dep = seance.instance.departement
    entete = [*dep.lignes_bloc_marque, "Liberté", "Égalité", "Fraternité"]
    lignes = [*entete, "", "COMMUNIQUÉ DE PRESSE", "", v.titre, "", v.texte, ""]
    lignes += communique.contacts(dep)
    response = HttpResponse("\n".join(lignes) + "\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="communique-{seance.pk}-v{v.version}.txt"'
    )
    return response


# --- Documents (PDF, through integration.documents) --------------------------------------


@require_POST
def communique_pdf(request, pk, version):
    """One version of the communiqué as a PDF: asked now, produced by the workers."""
    seance = access.get_seance_for_user(request.user, pk, "communiquer")
    v = get_object_or_404(seance.communiques, version=version)
    document = demander(documents.COMMUNIQUE, v, by=request.user)
    return redirect("documents:suivi", pk=document.pk)


@require_POST
def compte_rendu_pdf(request, pk):
    seance = access.get_seance_for_user(request.user, pk)
    if not documents.compte_rendu_visible(request.user, seance):
        raise PermissionDenied
    if not seance.compte_rendu.strip():
        messages.error(request, "La séance n'a pas encore de compte rendu.")
        return redirect(seance)
    document = demander(documents.COMPTE_RENDU, seance, by=request.user)
    return redirect("documents:suivi", pk=document.pk)


@require_POST
def emargement_pdf(request, pk):
    seance = access.get_seance_for_user(request.user, pk)
    if not documents.emargement_visible(request.user, seance):
        raise PermissionDenied
    document = demander(documents.EMARGEMENT, seance, by=request.user)
    return redirect("documents:suivi", pk=document.pk)


# --- Personal calendar feed -------------------------------------------------------------


def agenda(request):
    """Manage one's calendar feed: create (or renew) the secret address, or revoke it."""
    lien = None
    if request.method == "POST":
        JetonCalendrier.objects.filter(user=request.user).delete()
        if request.POST.get("action") == "creer":
            jeton, jeton_hash = services._nouveau_jeton()
            JetonCalendrier.objects.create(user=request.user, jeton_hash=jeton_hash)
            lien = request.build_absolute_uri(reverse("comites:agenda_flux", args=[jeton]))
            messages.success(
                request,
                "Votre adresse d'agenda est créée. Copiez-la maintenant : "
                "elle ne sera plus affichée.",
            )
        else:
            messages.success(
                request, "Votre adresse d'agenda est révoquée : elle ne fonctionne plus."
            )
    actif = JetonCalendrier.objects.filter(user=request.user).first()
    return render(
        request, "comites/agenda.html", _ctx("Mon agenda des séances", lien=lien, actif=actif)
    )


@require_safe
@login_not_required
def agenda_flux(request, jeton):
    jeton_calendrier = (
        JetonCalendrier.objects.select_related("user")
        .filter(jeton_hash=services.hash_jeton(jeton), user__is_active=True)
        .first()
    )
    if jeton_calendrier is None:
        return HttpResponse(
            "Adresse d'agenda inconnue ou révoquée.",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    user = jeton_calendrier.user
    seances = (
        access.seances_visible_to(user)
        .filter(Q(convocations__personne__user=user) | Q(organisateur=user))
        .select_related("instance__departement")
        .distinct()
    )
    return HttpResponse(calendrier.flux(seances), content_type="text/calendar; charset=utf-8")
