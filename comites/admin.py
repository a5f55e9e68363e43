"""The comités' tables in the technical administration: read only, the application writes
them through services that journal what they do."""

from django.contrib import admin

from comites.models import Convocation, Decision, Instance, Personne, Seance, Siege
from integration.admin import LectureSeuleAdmin


@admin.register(Instance)
class InstanceAdmin(LectureSeuleAdmin):
    list_display = ["nom", "type", "departement", "parent"]
    list_filter = ["type", "departement"]
    search_fields = ["nom", "theme"]


@admin.register(Personne)
class PersonneAdmin(LectureSeuleAdmin):
    list_display = ["civilite", "nom", "fonction", "courriel", "departement", "user"]
    search_fields = ["nom", "courriel"]


@admin.register(Siege)
class SiegeAdmin(LectureSeuleAdmin):
    list_display = ["instance", "role", "personne", "acteur", "debut", "fin"]
    list_select_related = ["instance", "personne", "acteur"]


@admin.register(Seance)
class SeanceAdmin(LectureSeuleAdmin):
    list_display = ["instance", "debut", "statut"]
    list_filter = ["statut"]
    list_select_related = ["instance"]


@admin.register(Convocation)
class ConvocationAdmin(LectureSeuleAdmin):
    list_display = ["seance", "personne", "reponse", "presence"]
    list_select_related = ["seance__instance", "personne"]
    exclude = ["jeton_hash"]


@admin.register(Decision)
class DecisionAdmin(LectureSeuleAdmin):
    list_display = ["texte", "responsable", "echeance", "statut"]
