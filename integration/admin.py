"""The outbox, read-only, for operators: what is waiting, what failed and why."""

from django.contrib import admin

from integration.models import OutboxTask


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
    list_display = ["task_name", "status", "created_at", "sent_at", "done_at", "attempts"]
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
        "last_error",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
