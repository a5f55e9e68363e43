"""The département's press contacts, address and website, which every release prints:
kept up to date by its own pilotage and press office, not only by the technical
administration."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from acteurs import access, services
from acteurs.forms import ContactsPresseForm
from integration.vues import departement_requis


@departement_requis
def contacts_presse(request):
    departement = request.departement
    access.exiger(request.user, "contacts_presse", departement)
    initial = {champ: getattr(departement, champ) for champ in services.CHAMPS_CONTACTS_PRESSE}
    form = ContactsPresseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.enregistrer_contacts_presse(departement, form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Les contacts presse sont enregistrés.")
            return redirect("acteurs:contacts_presse")
    context = {"title": "Contacts presse", "form": form, "departement": departement}
    return render(request, "acteurs/contacts_presse.html", context)
