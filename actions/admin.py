"""The technical administration shows the plan's tables and changes none of them.

Everything here is written by the application's services, which check the workflow and the
freeze and journal what they do; an edit made here would skip all three.
"""

from django.contrib import admin

from actions import models
from integration.admin import LectureSeuleAdmin


@admin.register(models.FeuilleDeRoute)
class FeuilleDeRouteAdmin(LectureSeuleAdmin):
    list_display = ["titre", "departement", "annee_debut", "annee_fin", "version", "statut"]
    list_filter = ["statut"]
    list_select_related = ["departement"]
    search_fields = ["titre", "departement__nom"]


@admin.register(models.Action)
class ActionAdmin(LectureSeuleAdmin):
    list_display = ["titre", "porteur", "feuille", "statut"]
    list_filter = ["statut"]
    list_select_related = ["porteur", "feuille"]
    search_fields = ["titre", "porteur__nom"]


@admin.register(models.CommentaireConsultation)
class CommentaireConsultationAdmin(LectureSeuleAdmin):
    list_display = ["feuille", "auteur", "cree_le", "pris_en_compte"]
    list_select_related = ["feuille", "auteur"]


for modele in (
    models.Axe,
    models.PublicCible,
    models.Partenariat,
    models.Financement,
    models.Indicateur,
    models.Mesure,
    models.Jalon,
    models.Transition,
    models.BilanAnnuel,
    models.StatistiqueContexte,
    models.Contrat,
    models.Avenant,
):
    admin.site.register(modele, LectureSeuleAdmin)
