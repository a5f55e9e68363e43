"""The technical administration: onboarding a département and its first pilotage account.

Day-to-day work (actors, members, invitations) happens in the application itself, where
the access rules apply; this admin is for the platform's operators (superusers).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from acteurs.models import Acteur, Departement, Habilitation, Membre, Modification, User
from acteurs.referentiel import charger_territoires


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "titre_prefet", "chef_lieu"]
    search_fields = ["code", "nom"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # a new tenant gets its communes and EPCI at once
            bilan = charger_territoires({obj.code})
            nombre = sum(sum(c.values()) for c in bilan.par_departement.values())
            self.message_user(request, f"{nombre} territoires rattachés à {obj.nom}.")


class HabilitationInline(admin.TabularInline):
    model = Habilitation
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [HabilitationInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Droits techniques", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Acteur)
class ActeurAdmin(admin.ModelAdmin):
    list_display = ["nom", "sigle", "type", "departement", "statut", "archive_le"]
    list_filter = ["departement", "type", "statut"]
    search_fields = ["nom", "sigle", "siret"]
    raw_id_fields = ["commune", "propose_par", "modere_par", "archive_par"]


@admin.register(Membre)
class MembreAdmin(admin.ModelAdmin):
    list_display = ["user", "acteur", "role", "actif"]
    list_filter = ["role", "actif"]
    raw_id_fields = ["user", "acteur", "desactive_par"]

    def has_delete_permission(self, request, obj=None):
        return False  # memberships are deactivated, never deleted


@admin.register(Modification)
class ModificationAdmin(admin.ModelAdmin):
    list_display = ["le", "acteur", "action", "par"]
    readonly_fields = ["acteur", "membre", "action", "changements", "par", "le"]

    def has_add_permission(self, request):
        return False  # the history is written by the application only

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
