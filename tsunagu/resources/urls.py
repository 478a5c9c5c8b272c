from django.urls import path

from . import import_views, views

app_name = "resources"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("resources.xlsx", views.directory_export, name="directory_export"),
    path("map/", views.staff_map, name="staff_map"),
    path("new/", views.service_create, name="service_create"),
    path("<int:pk>/", views.service_detail, name="service_detail"),
    path("<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("<int:pk>/verify/", views.service_verify, name="service_verify"),
    path("own/", views.own, name="own"),
    path("own/<int:pk>/edit/", views.own_edit, name="own_edit"),
    path("own/<int:pk>/closed/", views.own_closure, name="own_closure"),
    path("requests/", views.change_requests, name="change_requests"),
    path("requests/<int:pk>/decide/", views.change_request_decide, name="change_request_decide"),
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("import/<int:pk>/apply/", import_views.import_apply, name="import_apply"),
    path("import/<int:pk>/categories/", import_views.import_categories, name="import_categories"),
    path("import/<int:pk>/errors.xlsx", import_views.import_errors, name="import_errors"),
]
