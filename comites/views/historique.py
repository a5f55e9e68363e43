"""Past meetings entered after the fact: recorded as held, without convening anyone."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from comites import access, services
from comites.forms import NouvelleSeanceForm
from comites.views.commun import contexte_page
from integration.vues import montrer_sous


def seance_passee(request, pk):
    instance = access.get_instance_for_user(request.user, pk, "gerer")
    montrer_sous(request, instance.departement)
    form = NouvelleSeanceForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            seance = services.enregistrer_seance_passee(
                instance, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                "La séance est enregistrée comme tenue, sans convocation envoyée. "
                "Saisissez l'émargement, l'ordre du jour et les décisions.",
            )
            return redirect(seance)
    titre = f"Séance déjà tenue : {instance.nom}"
    return render(request, "comites/formulaire.html", contexte_page(titre, form=form))
