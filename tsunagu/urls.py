from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from tsunagu.access.policy import PUBLIC, SIGNED_IN, requires
from tsunagu.accounts.views import me
from tsunagu.family_support import api as family_support_api
from tsunagu.plans import api as plans_api
from tsunagu.watch import api as watch_api

admin.site.site_header = "tsunagu 管理"
admin.site.site_title = "tsunagu 管理"

urlpatterns = [
    path("", include("tsunagu.accounts.urls")),
    path("audit/", include("tsunagu.audit.urls")),
    path("manage/", include("tsunagu.administration.urls")),
    path("people/", include("tsunagu.people.urls")),
    path("cases/", include("tsunagu.cases.urls")),
    path("resources/", include("tsunagu.resources.urls")),
    path("plans/", include("tsunagu.plans.urls")),
    path("watch/", include("tsunagu.watch.urls")),
    path("family-support/", include("tsunagu.family_support.urls")),
    path("maternal/", include("tsunagu.maternal.urls")),
    path("find/", include("tsunagu.resources.public_urls")),
    path("i18n/setlang/", requires(PUBLIC)(set_language), name="set_language"),
    path("api/me/", me, name="api_me"),
    path("api/hsds/", include("tsunagu.resources.api_urls")),
    path("api/conferences/<int:pk>/", plans_api.conference, name="api_conference"),
    path("api/watch/reports/", watch_api.report_create, name="api_watch_report_create"),
    path("api/watch/reports/<int:pk>/", watch_api.report_detail, name="api_watch_report"),
    path(
        "api/family-support/decisions/",
        family_support_api.decision_list,
        name="api_family_support_decisions",
    ),
    path(
        "api/family-support/decisions/<int:pk>/",
        family_support_api.decision_detail,
        name="api_family_support_decision",
    ),
    path("api/family-support/uses/", family_support_api.use_create, name="api_family_support_use"),
    path("api/schema/", requires(SIGNED_IN)(SpectacularAPIView.as_view()), name="api_schema"),
    path("admin/", admin.site.urls),
]
