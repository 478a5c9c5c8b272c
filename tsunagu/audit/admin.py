from django.contrib import admin

from .models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence, so nobody edits or deletes it through the app."""

    list_display = ["at", "user", "action", "object_type", "object_id", "purpose"]
    list_filter = ["action"]
    search_fields = ["user__username", "object_type", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
