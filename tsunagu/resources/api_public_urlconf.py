"""The HSDS API alone, as its public OpenAPI document describes it."""

from django.urls import include, path

urlpatterns = [path("api/hsds/", include("tsunagu.resources.api_urls"))]
