from django.urls import path

from . import figure_views, network_views, referral_views, views

app_name = "watch"
urlpatterns = [
    # Partners
    path("visits/", views.visits, name="visits"),
    path("assignments/<int:pk>/report/", views.report_create, name="report_create"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    # The center
    path("cases/<int:case_pk>/assign/", views.assign, name="assign"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:pk>/handle/", views.alert_handle, name="alert_handle"),
    # Figures
    path("figures/", figure_views.figure_list, name="figure_list"),
    path("figures.xlsx", figure_views.figure_export, name="figure_export"),
    # つなぐ: referrals from partners
    path("referrals/", referral_views.referral_list, name="referral_list"),
    path("referrals/new/", referral_views.referral_create, name="referral_create"),
    path("referrals/<int:pk>/", referral_views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/close/", referral_views.referral_close, name="referral_close"),
    # The network
    path("network/", network_views.network, name="network"),
    path("network/profile/", network_views.profile_edit, name="profile_edit"),
    path(
        "network/<int:network_pk>/donations/new/",
        network_views.donation_create,
        name="donation_create",
    ),
    path("network/<int:network_pk>/needs/new/", network_views.need_create, name="need_create"),
    path("donations/<int:pk>/", network_views.donation_detail, name="donation_detail"),
    path("donations/<int:pk>/claim/", network_views.donation_claim, name="donation_claim"),
    path("needs/<int:pk>/met/", network_views.need_met, name="need_met"),
]
