"""The comités' home and a séance's own page: planning, agenda, attendance, minutes.

Every object is reached through `comites.access` (404 outside one's scope, 403 when the
verb is not allowed)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from acteurs.models import Departement
from comites import access, services
from comites.forms import NouvelleSeanceForm
from comites.models import Convocation, Instance
from comites.views import page_seance
from comites.views.commun import contexte_page
from integration import outbox
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
    hundred times), and the instances are those of the département chosen; until one is,
    each département says how many it has, with a link to them (across France, 600
    instances made 100 KB and half of the page's time)."""
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
        .only(*COLONNES_DES_SEANCES)
        .annotate(nb_convocations=nombre_de_convocations())
    )
    maintenant = timezone.now()
    # The pk after the date: séances at the same hour keep their place from page to page.
    if quand == "passees":
        seances = seances.filter(debut__lt=maintenant).order_by("-debut", "-pk")
    else:
        quand = "a_venir"
        seances = seances.filter(debut__gte=maintenant).order_by("debut", "pk")
    if instance_id := identifiant(request.GET.get("instance")):
        seances = seances.filter(instance_id=instance_id)
    page = Paginator(seances, PAR_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    index = plusieurs and departement_id is None
    context = contexte_page(
        "Comités",
        instances=[] if index else lignes_instances(instances),
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
    if index:
        context["par_departement"] = nombres_par_departement(instances, context["departements"])
    elif plusieurs:
        choisi = next(d for d in perimetre.departements if d.pk == departement_id)
        context["departement_choisi"] = Departement.libelle(choisi.nom, choisi.code)
    return render(request, "comites/index.html", context)


# What the list shows of a séance (comites.templatetags.instances.lignes_des_seances).
COLONNES_DES_SEANCES = [
    "debut",
    "lieu",
    "statut",
    "instance__nom",
    "instance__departement__nom",
    "instance__departement__code",
]


def nombre_de_convocations():
    """A séance's number of convocations as a subquery, not a join and a GROUP BY: the
    pages' count then reads the séances alone, and the join ran over every séance of
    the scope before the page's fifty were kept."""
    par_seance = (
        Convocation.objects.filter(seance=OuterRef("pk"))
        .order_by()
        .values("seance")
        .annotate(nombre=Count("pk"))
        .values("nombre")
    )
    return Coalesce(Subquery(par_seance, output_field=IntegerField()), 0)


def lignes_instances(instances) -> list[dict]:
    """What the list shows of each instance, read as columns: across France, 600 instances
    as model instances with their parent and département cost more than the page."""
    types = dict(Instance.Type.choices)
    lignes = list(
        instances.order_by("departement__code", "type", "nom").values(
            "pk",
            "nom",
            "type",
            "theme",
            "departement__code",
            "departement__nom",
            parent_nom=F("parent__nom"),
        )
    )
    for ligne in lignes:
        ligne["type"] = types.get(ligne["type"], ligne["type"])
    return lignes


def nombres_par_departement(instances, departements) -> list[tuple]:
    """(département, number of its INSTANCES) for each of DEPARTEMENTS that has some, in
    their order: one query."""
    nombres = dict(instances.order_by().values_list("departement").annotate(nombre=Count("pk")))
    return [(d, nombres[d.pk]) for d in departements if d.pk in nombres]


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
            for avertissement in services.avertissements_date(seance.debut):
                messages.warning(request, avertissement)
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
    return page_seance.afficher(request, seance)


@require_POST
def seance_modifier(request, pk):
    seance = access.get_seance_for_user(request.user, pk, "organiser")
    montrer_sous(request, seance.instance.departement)
    base_url = request.build_absolute_uri("/")

    def succes(envois):
        if not envois:  # nobody convened yet, or nothing changed: no e-mail to speak of
            return "La séance est enregistrée."
        if outbox.all_done(envois):
            return (
                "La séance est modifiée ; les personnes convoquées ont reçu l'invitation mise "
                "à jour."
            )
        return (
            "La séance est modifiée ; l'invitation mise à jour des personnes convoquées "
            "est en cours d'envoi."
        )

    return page_seance.traiter(
        request,
        seance,
        "horaires",
        page_seance.formulaire("horaires", request.user, seance, request.POST),
        lambda data: services.deplacer(seance, by=request.user, base_url=base_url, **data),
        succes,
        avertir=lambda data: services.avertissements_date(data["debut"]),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def seance_annuler(request, pk):
    """GET says what cancelling does; only the POST of that page cancels."""
    seance = access.get_seance_for_user(request.user, pk, "organiser")
    montrer_sous(request, seance.instance.departement)
    if request.method != "POST":
        prevenus = seance.convocations.filter(envoyee_le__isnull=False).count()
        return _confirmer(
            request,
            seance,
            titre="Annuler la séance",
            suites=[
                _prevenus(prevenus),
                "La séance ne pourra plus être déplacée, convoquée ni émargée.",
                "L'annulation est définitive : la séance ne pourra pas être rétablie.",
            ],
        )
    base_url = request.build_absolute_uri("/")
    appliquer_et_envoyer(
        request,
        lambda: services.annuler(seance, by=request.user, base_url=base_url),
        envoye="La séance est annulée ; les personnes convoquées en sont prévenues.",
        en_cours="La séance est annulée ; le courriel qui en prévient les personnes "
        "convoquées est en cours d'envoi.",
        personne="La séance est annulée ; personne n'y était encore convoqué.",
    )
    return redirect(seance)


def _prevenus(n: int) -> str:
    if n == 0:
        return "Personne n'a encore reçu de convocation : aucun courriel ne partira."
    if n == 1:
        return (
            "La personne convoquée recevra un courriel d'annulation, qui retire "
            "l'événement de son agenda."
        )
    return (
        f"Les {n} personnes convoquées recevront un courriel d'annulation, qui retire "
        "l'événement de leur agenda."
    )


def _confirmer(request, seance, *, titre: str, suites: list[str]):
    return render(
        request,
        "comites/confirmer.html",
        contexte_page(f"{titre} : {seance}", titre=titre, seance=seance, suites=suites),
    )


@require_POST
def point_ajouter(request, pk):
    seance = access.get_seance_for_user(request.user, pk, "organiser")
    montrer_sous(request, seance.instance.departement)
    return page_seance.traiter(
        request,
        seance,
        "point",
        page_seance.formulaire("point", request.user, seance, request.POST),
        lambda data: services.ajouter_point(seance, **data),
        "Le point est ajouté à l'ordre du jour.",
    )


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


@require_http_methods(["GET", "HEAD", "POST"])
def cloturer(request, pk):
    """GET says what closing does; only the POST of that page closes."""
    seance = access.get_seance_for_user(request.user, pk, "cloturer")
    montrer_sous(request, seance.instance.departement)
    if request.method != "POST":
        emarges = seance.convocations.exclude(presence="").count()
        return _confirmer(
            request,
            seance,
            titre="Clore la séance",
            suites=[
                f"L'émargement sera figé tel qu'il est ({_presences(emarges)}) : "
                "plus aucune présence ni convocation ne pourra changer.",
                "Le compte rendu, le relevé de décisions et le communiqué de presse "
                "resteront modifiables.",
                "La clôture est définitive : la séance ne pourra pas être rouverte.",
            ],
        )
    appliquer(
        request,
        lambda: services.cloturer(seance, by=request.user),
        "La séance est close : son émargement est désormais figé.",
    )
    return redirect(seance)


def _presences(n: int) -> str:
    if n == 0:
        return "aucune présence enregistrée"
    return f"{n} présence{'s' if n > 1 else ''} enregistrée{'s' if n > 1 else ''}"


@require_POST
def compte_rendu(request, pk):
    seance = access.get_seance_for_user(request.user, pk, "rediger")
    montrer_sous(request, seance.instance.departement)
    return page_seance.traiter(
        request,
        seance,
        "compte_rendu",
        page_seance.formulaire("compte_rendu", request.user, seance, request.POST),
        lambda data: services.enregistrer_compte_rendu(
            seance, data["compte_rendu"], lieu_date=data["lieu_date"], by=request.user
        ),
        "Le compte rendu est enregistré.",
    )
