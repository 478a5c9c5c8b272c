"""The HSDS API (/api/hsds/): public directory data on the Open Referral paths."""

from django.urls import path
from drf_spectacular.renderers import OpenApiJsonRenderer2
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.negotiation import BaseContentNegotiation

from tsunagu.access.policy import PUBLIC, requires

from . import api


class _AlwaysJson(BaseContentNegotiation):
    """The document is JSON (application/json) whatever the Accept header or ?format= says."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class HsdsOpenApi(SpectacularAPIView):
    """The public OpenAPI document of this API alone (a class of its own: the policy's mark
    is set on the class, and the staff schema view must keep its own). Served as JSON whatever
    the client asks for, shown in the browser (Content-Disposition inline), with no session."""

    renderer_classes = [OpenApiJsonRenderer2]
    content_negotiation_class = _AlwaysJson
    authentication_classes = []
    urlconf = "tsunagu.resources.api_public_urlconf"
    custom_settings = {
        "TITLE": "tsunagu 地域資源 HSDS API",
        "VERSION": api.HSDS_VERSION,
        "DESCRIPTION": "公開中の地域資源(Open Referral HSDS 3)。読み取り専用。",
    }

    @extend_schema(exclude=True)  # the document does not describe itself
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # drf-spectacular names the file after the (Japanese) title, which Django can only
        # MIME-encode into a header no browser reads: a plain ASCII name instead.
        response.headers["Content-Disposition"] = 'inline; filename="openapi.json"'
        return response


app_name = "hsds"
urlpatterns = [
    path("", api.root, name="root"),
    path("services", api.services, name="services"),
    # Any text: the view answers a non-UUID with the API's JSON 404, not the site's HTML page.
    path("services/<path:uid>", api.service, name="service"),
    path("organizations", api.organizations, name="organizations"),
    path("taxonomies", api.taxonomies, name="taxonomies"),
    path("taxonomy_terms", api.taxonomy_terms, name="taxonomy_terms"),
    path("openapi.json", requires(PUBLIC)(HsdsOpenApi.as_view()), name="openapi"),
]
