from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ["username", "display_name", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation__kind"]
    search_fields = ["username", "display_name", "display_name_kana"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("所属と役割", {"fields": ("organisation", "role", "display_name", "display_name_kana")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("所属と役割", {"fields": ("organisation", "role", "display_name", "display_name_kana")}),
    )
