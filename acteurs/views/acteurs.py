"""The actors' registry: list, detail, create, edit, archive, moderate."""

from django.shortcuts import render

from acteurs import access


def liste(request):
    acteurs = access.acteurs_visible_to(request.user).filter(departement=request.departement.pk if request.departement else None)
    return render(request, "acteurs/liste.html", {"title": "Acteurs", "acteurs": acteurs})


def detail(request, pk):
    acteur = access.get_acteur_for_user(request.user, pk)
    return render(request, "acteurs/detail.html", {"title": acteur.nom, "acteur": acteur})
