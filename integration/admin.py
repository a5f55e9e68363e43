"""The project's own tables in the technical administration: read, never written.

The journal is written by the application's services only; the outbox is read by operators
to see what is waiting, what failed and why.
"""

from django.contrib import admin

from integration.models import DocumentRequest, Evenement, OutboxTask


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


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
    list_display = [
        "task_name",
        "status",
        "created_at",
        "sent_at",
        "done_at",
        "attempts",
        "retry_at",
    ]
    list_filter = ["status", "task_name"]
    date_hierarchy = "created_at"
    # The arguments stay hidden: until the task is done they may carry a secret link.
    fields = [
        "task_id",
        "task_name",
        "status",
        "created_at",
        "sent_at",
        "started_at",
        "done_at",
        "attempts",
        "retry_at",
        "last_error",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DocumentRequest)
class DocumentRequestAdmin(LectureSeuleAdmin):
    """What was asked of the document pipeline, and how it went. The files themselves are
    served only by the application's pages, after the object's access check."""

    list_display = ["requested_at", "kind", "filename", "status", "duration_ms", "pages"]
    list_filter = ["status", "kind", "signed"]
    search_fields = ["filename", "sha256"]
    date_hierarchy = "requested_at"
    exclude = ["html", "file"]
