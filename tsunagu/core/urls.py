from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.top, name="top"),
    path("healthz", views.healthz, name="healthz"),
]
