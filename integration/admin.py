"""The journal in the technical administration: readable, never writable."""

from django.contrib import admin

from integration.models import Evenement


class LectureSeuleAdmin(admin.ModelAdmin):
    """A table the administration shows but never changes: the application writes it,
    through services that journal what they do."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evenement)
class EvenementAdmin(LectureSeuleAdmin):
    list_display = ["le", "nature_libelle", "objet_libelle", "par"]
    list_select_related = ["par"]
    search_fields = ["objet_libelle", "nature", "par__email"]
    date_hierarchy = "le"

    @admin.display(description="nature")
    def nature_libelle(self, obj):
        return obj.nature_libelle
