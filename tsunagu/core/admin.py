from django.contrib import admin

from .models import Area, Municipality, Organisation


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "prefecture", "name"]
    search_fields = ["code", "name"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "parent", "municipality"]
    list_filter = ["kind", "municipality"]
    search_fields = ["name", "name_kana", "code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "municipality", "is_active"]
    list_filter = ["kind", "municipality", "is_active"]
    search_fields = ["name", "name_kana"]
