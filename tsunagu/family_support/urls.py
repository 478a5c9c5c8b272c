from django.urls import path

from . import catalogue_views, figure_views, portal_views, stay_views, views

app_name = "family_support"
urlpatterns = [
    # The catalogue and providers
    path("", catalogue_views.catalogue, name="catalogue"),
    path("copy-year/", catalogue_views.catalogue_copy, name="catalogue_copy"),
    path("offerings/new/", catalogue_views.offering_create, name="offering_create"),
    path("offerings/<int:pk>/", catalogue_views.offering_detail, name="offering_detail"),
    path("offerings/<int:pk>/edit/", catalogue_views.offering_edit, name="offering_edit"),
    path("providers/new/", catalogue_views.provider_create, name="provider_create"),
    path("providers/<int:pk>/", catalogue_views.provider_detail, name="provider_detail"),
    path("providers/<int:pk>/edit/", catalogue_views.provider_edit, name="provider_edit"),
    path("providers/<int:pk>/contract/", catalogue_views.contract_save, name="contract_save"),
    # A family's way: application, decision, consent, monitoring
    path("cases/<int:case_pk>/apply/", views.application_create, name="application_create"),
    path("cases/<int:case_pk>/decide/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/notice.pdf", views.decision_notice, name="decision_notice"),
    path("decisions/<int:pk>/consent/", views.decision_consent, name="decision_consent"),
    path("decisions/<int:pk>/meeting/", views.decision_meeting, name="decision_meeting"),
    path("decisions/<int:pk>/monitoring/", views.decision_monitoring, name="decision_monitoring"),
    path("uses/<int:pk>/", views.usage_detail, name="usage_detail"),
    path("uses/<int:pk>/approve/", views.usage_approve, name="usage_approve"),
    # Provider portal
    path("portal/", portal_views.portal, name="portal"),
    path("portal/decisions/<int:pk>/", portal_views.user_detail, name="portal_user"),
    path("portal/decisions/<int:pk>/record/", portal_views.usage_create, name="usage_create"),
    # Short stay matching
    path("cases/<int:case_pk>/short-stay/", stay_views.stay_search, name="stay_search"),
    path("cases/<int:case_pk>/short-stay/request/", stay_views.stay_request, name="stay_request"),
    path("short-stay/<int:pk>/", stay_views.stay_detail, name="stay_detail"),
    path("short-stay/<int:pk>/answer/", stay_views.stay_answer, name="stay_answer"),
    # Figures
    path("figures/", figure_views.figure_list, name="figures"),
    path("figures.xlsx", figure_views.figure_export, name="figure_export"),
]
