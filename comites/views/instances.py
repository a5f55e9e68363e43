"""Instances (COPIL, comités techniques, groupes de travail) and their seats.

The instance page holds side forms (add a seat; end a mandate, one per seat's row) that
work as the séance page's do (`integration.vues.traiter_en_place`): refused, the page
comes back with that form as typed, its errors beside its field, its section open and the
field focused."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from comites import access, services
from comites.forms import (
    FinMandatForm,
    InstanceForm,
    PersonneForm,
    SiegeForm,
)
from comites.views.commun import contexte_page
from integration.text import de
from integration.vues import departement_requis, montrer_sous, traiter_en_place


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
    return render(request, "comites/formulaire.html", contexte_page("Nouvelle instance", form=form))


@require_safe
def instance_detail(request, pk):
    instance = access.get_instance_for_user(request.user, pk)
    return afficher(request, instance)


def afficher(request, instance, *, lie=None, status: int = 200):
    """The instance page. LIE is (name, bound form) of the side form being corrected:
    « siege » (add a seat) or « fin-<seat> » (end that seat's mandate, in its row)."""
    montrer_sous(request, instance.departement)
    gerer = access.can_instance(request.user, "gerer", instance)
    sieges = instance.sieges.select_related("personne", "acteur")
    seances = access.seances_visible_to(request.user).filter(instance=instance)
    ouvert, form_lie = lie if lie else (None, None)
    fin = form_lie if ouvert and ouvert.startswith("fin-") else None
    context = contexte_page(
        instance.nom,
        instance=instance,
        sieges_en_cours=[s for s in sieges if s.en_cours],
        anciens=[s for s in sieges if not s.en_cours],
        seances=seances.order_by("-debut"),
        enfants=access.instances_visible_to(request.user).filter(parent=instance),
        gerer=gerer,
        form=(form_lie if ouvert == "siege" else _siege_form(instance)) if gerer else None,
        ouvert=ouvert,
        # The seats' own links are this path and the seat's id: no {% url %} per row.
        chemin_sieges=reverse("comites:siege_ajouter", args=[instance.pk]),
        fin_siege=int(ouvert.removeprefix("fin-")) if fin else None,
        fin_saisie=fin.data.get("fin", "") if fin else "",
        fin_erreurs=[e for erreurs in fin.errors.values() for e in erreurs] if fin else [],
    )
    return render(request, "comites/instance.html", context, status=status)


def _siege_form(instance, data=None):
    return SiegeForm(data, departement=instance.departement, prefix="siege")


@require_POST
def siege_ajouter(request, pk):
    instance = access.get_instance_for_user(request.user, pk, "gerer")

    def operation(data):
        personne = services.personne_pour(
            instance.departement,
            nom=data["nom"],
            courriel=data["courriel"],
            civilite=data["civilite"],
            fonction=data["fonction"],
        )
        services.attribuer_siege(
            instance,
            role=data["role"],
            personne=personne,
            acteur=data["acteur"],
            debut=data["debut"],
            by=request.user,
        )
        return data["nom"]

    return traiter_en_place(
        request,
        "siege",
        _siege_form(instance, request.POST),
        operation,
        lambda nom: f"{nom} siège désormais dans l'instance.",
        page=instance.get_absolute_url(),
        afficher=lambda **kwargs: afficher(request, instance, **kwargs),
    )


@require_POST
def siege_terminer(request, pk, siege_pk):
    siege = access.get_siege_for_user(request.user, pk, siege_pk, "gerer")
    instance = siege.instance
    return traiter_en_place(
        request,
        f"fin-{siege.pk}",
        FinMandatForm(request.POST),
        lambda data: services.terminer_mandat(siege, fin=data["fin"], by=request.user),
        f"Le mandat {de(siege.personne)} est terminé ; il reste dans l'historique.",
        page=instance.get_absolute_url(),
        section="composition",
        afficher=lambda **kwargs: afficher(request, instance, **kwargs),
    )


def personne_modifier(request, pk, siege_pk):
    """The civility, name and function of a seat's holder, as the documents print them."""
    siege = access.get_siege_for_user(request.user, pk, siege_pk, "gerer")
    montrer_sous(request, siege.instance.departement)
    personne = siege.personne
    form = PersonneForm(
        request.POST or None,
        initial={"civilite": personne.civilite, "nom": personne.nom, "fonction": personne.fonction},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.modifier_personne(
                personne, siege.instance, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{personne.nom_et_fonction} : enregistré.")
            return redirect(siege.instance)
    context = contexte_page(
        f"Modifier {personne.nom}", instance=siege.instance, personne=personne, form=form
    )
    return render(request, "comites/personne.html", context)
