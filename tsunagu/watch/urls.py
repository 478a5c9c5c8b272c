from django.urls import path

from . import views

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
]
