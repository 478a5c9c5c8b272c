from django.urls import path

from . import views

app_name = "administration"
urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", views.user_password, name="user_password"),
    path(
        "users/<int:pk>/reset-2fa/",
        views.user_reset_second_factor,
        name="user_reset_second_factor",
    ),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path(
        "organisations/new/",
        views.organisation_create,
        name="organisation_create",
    ),
    path(
        "organisations/<int:pk>/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path("settings/", views.municipality_settings, name="municipality_settings"),
]
