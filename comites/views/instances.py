"""Instances (COPIL, comités techniques, groupes de travail) and their seats."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from comites import access, services
from comites.forms import (
    FinMandatForm,
    InstanceForm,
    PersonneForm,
    SiegeForm,
)
from comites.views.commun import contexte_page, erreurs_du_formulaire
from integration.text import de
from integration.vues import (
    appliquer,
    departement_requis,
    montrer_sous,
)


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
    montrer_sous(request, instance.departement)
    gerer = access.can_instance(request.user, "gerer", instance)
    sieges = instance.sieges.select_related("personne", "acteur")
    seances = access.seances_visible_to(request.user).filter(instance=instance)
    context = contexte_page(
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
        messages.error(request, erreurs_du_formulaire(form))
        return redirect(instance)
    data = form.cleaned_data

    def operation():
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

    appliquer(request, operation, f"{data['nom']} siège désormais dans l'instance.")
    return redirect(instance)


@require_POST
def siege_terminer(request, pk, siege_pk):
    siege = access.get_siege_for_user(request.user, pk, siege_pk, "gerer")
    instance = siege.instance
    form = FinMandatForm(request.POST)
    if not form.is_valid():
        messages.error(request, erreurs_du_formulaire(form))
        return redirect(instance)
    appliquer(
        request,
        lambda: services.terminer_mandat(siege, fin=form.cleaned_data["fin"], by=request.user),
        f"Le mandat {de(siege.personne)} est terminé ; il reste dans l'historique.",
    )
    return redirect(instance)


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
