"""The HSDS API (/api/hsds/): public directory data on the Open Referral paths."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from tsunagu.access.policy import PUBLIC, requires

from . import api


class HsdsOpenApi(SpectacularAPIView):
    """The public OpenAPI document of this API alone (a class of its own: the policy's mark
    is set on the class, and the staff schema view must keep its own)."""

    urlconf = "tsunagu.resources.api_public_urlconf"
    custom_settings = {
        "TITLE": "tsunagu 地域資源 HSDS API",
        "VERSION": api.HSDS_VERSION,
        "DESCRIPTION": "公開中の地域資源(Open Referral HSDS 3)。読み取り専用。",
    }


app_name = "hsds"
urlpatterns = [
    path("", api.root, name="root"),
    path("services", api.services, name="services"),
    path("services/<uuid:uid>", api.service, name="service"),
    path("organizations", api.organizations, name="organizations"),
    path("taxonomies", api.taxonomies, name="taxonomies"),
    path("taxonomy_terms", api.taxonomy_terms, name="taxonomy_terms"),
    path("openapi.json", requires(PUBLIC)(HsdsOpenApi.as_view()), name="openapi"),
]
