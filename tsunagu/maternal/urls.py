from django.urls import path

from . import checkup_views, import_views, postnatal_views, views, visit_views

app_name = "maternal"

urlpatterns = [
    path("", views.home, name="home"),
    path("pregnancies/", views.pregnancy_list, name="pregnancy_list"),
    path("pregnancies/new/", views.notification_create, name="notification_create"),
    path("pregnancies/<int:pk>/", views.pregnancy_detail, name="pregnancy_detail"),
    path("pregnancies/<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("pregnancies/<int:pk>/benefits/new/", views.benefit_create, name="benefit_create"),
    path("pregnancies/<int:pk>/intake/", views.open_intake, name="open_intake"),
    path("pregnancies/<int:pk>/register/", views.register_expectant, name="register_expectant"),
    path("pregnancies/<int:pk>/birth/", views.birth_create, name="birth_create"),
    path("pregnancies/<int:pk>/end/", views.pregnancy_end, name="pregnancy_end"),
    path("visits/", visit_views.visit_list, name="visit_list"),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit_detail"),
    path("follow-ups/<int:pk>/", visit_views.follow_up, name="follow_up"),
    path("checkups/", checkup_views.schedule, name="checkups"),
    path("checkups/missed/", checkup_views.missed_list, name="missed_list"),
    path("checkups/missed.xlsx", checkup_views.missed_export, name="missed_export"),
    path("import/", import_views.import_file, name="import"),
    path("checkups/<int:pk>/", checkup_views.checkup_detail, name="checkup_detail"),
    path("checkups/<int:pk>/attended/", checkup_views.checkup_record, name="checkup_record"),
    path("checkups/<int:pk>/steps/", checkup_views.follow_step_create, name="follow_step_create"),
    path(
        "births/<int:pk>/postnatal/new/", postnatal_views.postnatal_create, name="postnatal_create"
    ),
    path("postnatal/<int:pk>/", postnatal_views.postnatal_detail, name="postnatal_detail"),
    path("postnatal/<int:pk>/decide/", postnatal_views.postnatal_decide, name="postnatal_decide"),
    path("postnatal/<int:pk>/uses/", postnatal_views.postnatal_use, name="postnatal_use"),
]
