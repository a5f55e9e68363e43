"""The actors list's search, filters and sort, shared by the list page and its exports.

The list spans the user's current perimeter: one département, or for a wide reader a
whole région or all of France (then with a filter by département).
"""

from django import forms
from django.db.models import Q, QuerySet

from acteurs import access
from acteurs.models import Acteur, Departement, Reseau, Territoire
from integration.champs import ChoixParColonnes
from integration.text import chiffres as chiffres_seuls
from integration.text import search_key
from integration.widgets import ListeDeChoix

TRIS = {
    "nom": ("nom", "Nom (A → Z)"),
    "-nom": ("-nom", "Nom (Z → A)"),
    "-modifie_le": ("-modifie_le", "Mis à jour récemment"),
    "modifie_le": ("modifie_le", "Mis à jour il y a longtemps"),
    "type": ("type", "Type d'acteur"),
}


class ActeurFiltreForm(forms.Form):
    marquer_obligatoires = False  # a filter: nothing in it is ever required

    # Written as the actions list's filters are (templates/_filtres.html): choices read as
    # columns, options written in Python; through crispy, the form cost half the page.
    departement = ChoixParColonnes(
        colonnes=("nom", "code"),
        libelle=Departement.libelle,
        widget=ListeDeChoix,
        label="Département",
        required=False,
        queryset=Departement.objects.none(),
        empty_label="Tous les départements",
    )
    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=100,
        help_text="Nom, sigle ou SIRET",
    )
    type = forms.ChoiceField(
        widget=ListeDeChoix,
        label="Type",
        required=False,
        choices=[("", "Tous les types"), *Acteur.Type.choices],
    )
    territoire = ChoixParColonnes(
        colonnes=("nom",),
        libelle=str,
        widget=ListeDeChoix,
        label="Territoire (EPCI)",
        required=False,
        queryset=Territoire.objects.none(),
        empty_label="Tous les territoires",
        help_text="Les acteurs dont la commune appartient à cet EPCI",
    )
    reseau = ChoixParColonnes(
        colonnes=("libelle",),
        libelle=str,
        widget=ListeDeChoix,
        label="Réseau",
        required=False,
        queryset=Reseau.objects.all(),
        empty_label="Tous les réseaux",
    )
    statut = forms.ChoiceField(
        widget=ListeDeChoix,
        label="Modération",
        required=False,
        choices=[("", "Tous les statuts"), *Acteur.Statut.choices],
    )
    archives = forms.BooleanField(label="Inclure les acteurs archivés", required=False)
    a_verifier = forms.BooleanField(
        label="Seulement les fiches à vérifier (plus d'un an)", required=False
    )
    tri = forms.ChoiceField(
        widget=ListeDeChoix,
        label="Trier par",
        required=False,
        choices=[(k, v[1]) for k, v in TRIS.items()],
    )

    def __init__(self, *args, perimetre, **kwargs):
        super().__init__(*args, **kwargs)
        if perimetre.est_departement:
            del self.fields["departement"]
            self.fields["territoire"].queryset = Territoire.objects.filter(
                type=Territoire.Type.EPCI, departements=perimetre.departement
            ).order_by("nom")
        else:  # EPCI make sense within one département: choose it first
            del self.fields["territoire"]
            self.fields["departement"].queryset = Departement.objects.filter(
                pk__in=perimetre.departement_ids
            )

    def filtrer(self, qs: QuerySet[Acteur]) -> QuerySet[Acteur]:
        self.is_valid()  # an invalid filter is ignored; the valid ones still apply
        data = getattr(self, "cleaned_data", {})
        if data.get("departement"):
            qs = qs.filter(departement=data["departement"])
        if texte := (data.get("q") or "").strip():
            chiffres = texte.replace(" ", "")
            # Folded like the stored key: accents, case and punctuation do not count.
            condition = Q(recherche__contains=search_key(texte))
            if chiffres_seuls(chiffres):
                condition |= Q(siret__startswith=chiffres)
            qs = qs.filter(condition)
        if data.get("type"):
            qs = qs.filter(type=data["type"])
        if data.get("territoire"):
            qs = qs.filter(commune__epci=data["territoire"])
        if data.get("reseau"):
            qs = qs.filter(reseaux=data["reseau"])
        if data.get("statut"):
            qs = qs.filter(statut=data["statut"])
        if not data.get("archives"):
            qs = qs.filter(archive_le__isnull=True)
        if data.get("a_verifier"):
            qs = qs.a_verifier()
        tri = TRIS.get(data.get("tri") or "nom", TRIS["nom"])[0]
        return qs.order_by(tri, "pk")


def acteurs_filtres(request) -> tuple[ActeurFiltreForm, QuerySet[Acteur]]:
    """The actors of the current perimeter the user may see, with the GET filters applied."""
    perimetre = request.perimetre
    form = ActeurFiltreForm(request.GET or None, perimetre=perimetre)
    qs = visibles_dans(request.user, perimetre).select_related("commune")
    if not perimetre.est_departement:  # the list then shows each actor's département
        qs = qs.select_related("departement")
    return form, form.filtrer(qs)


def acteurs_de_la_liste(user, perimetre) -> QuerySet[Acteur]:
    """What the actors list shows before any filter; the dashboard counts these same ones."""
    qs = visibles_dans(user, perimetre)
    return ActeurFiltreForm(perimetre=perimetre).filtrer(qs)


def visibles_dans(user, perimetre) -> QuerySet[Acteur]:
    """The actors USER reads within PERIMETRE. The perimeter's filter is left out when it
    narrows nothing (a national reader over France): a second list of 101 ids made
    PostgreSQL read every actor of the table to count them rather than its index."""
    qs = access.acteurs_visible_to(user)
    if set(access.profil(user).departement_ids) <= set(perimetre.departement_ids):
        return qs
    return qs.filter(departement__in=perimetre.departement_ids)
