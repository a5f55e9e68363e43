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


# The other tables, each with the relations its rows print (`__str__`), fetched with the
# page: a list of 50 rows costs the same few queries as a list of 5.
RELATIONS_AFFICHEES = {
    models.Axe: [],
    models.PublicCible: [],
    models.Partenariat: ["acteur"],
    models.Financement: [],
    models.Indicateur: [],
    models.Mesure: ["indicateur"],
    models.Jalon: [],
    models.Transition: [],
    models.BilanAnnuel: ["action", "axe"],
    models.StatistiqueContexte: [],
    models.Contrat: [],
    models.Avenant: ["contrat"],
}
for modele, relations in RELATIONS_AFFICHEES.items():
    admin.site.register(
        modele,
        type(f"{modele.__name__}Admin", (LectureSeuleAdmin,), {"list_select_related": relations}),
    )
