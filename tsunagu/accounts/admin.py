from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import User

_ACCOUNT = ("所属と役割", {"fields": ("organisation", "role", "display_name", "display_name_kana")})


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    """Accounts for the operator: no permission flags (the policy decides by role), no
    second-factor secret (the device model is not on this site)."""

    list_display = ["username", "display_name", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation__municipality"]
    search_fields = ["username", "display_name", "display_name_kana"]
    fieldsets = (
        (None, {"fields": ("username", "password", "is_active")}),
        _ACCOUNT,
        ("記録", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, _ACCOUNT)
