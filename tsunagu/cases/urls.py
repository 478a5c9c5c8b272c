from django.urls import path

from . import update_views, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("due/", views.due_list, name="due_list"),
    path("register/", views.register, name="register"),
    path("register.xlsx", views.register_export, name="register_export"),
    path("break-glass/", views.break_glass_list, name="break_glass_list"),
    path("closures/", views.closure_list, name="closure_list"),
    path("closures/<int:pk>/decide/", views.closure_decide, name="closure_decide"),
    path("intakes/new/", views.intake_create, name="intake_create"),
    path("intakes/<int:pk>/", views.intake_detail, name="intake_detail"),
    path("intakes/<int:pk>/open/", views.intake_open, name="intake_open"),
    path("intakes/<int:pk>/join/", views.intake_join, name="intake_join"),
    path("intakes/<int:pk>/advice/", views.intake_advice, name="intake_advice"),
    path("intakes/<int:pk>/print.pdf", views.intake_print, name="intake_print"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    *(
        path(f"<int:pk>/{name}/", view, name=f"case_{name}")
        for name, view in update_views.CASE_FORMS.items()
    ),
    path("<int:pk>/forms/", views.case_forms, name="case_forms"),
    path("<int:pk>/activities/new/", views.activity_create, name="activity_create"),
    path(
        "<int:pk>/activities/<int:activity_pk>/edit/",
        views.activity_edit,
        name="activity_edit",
    ),
    path("<int:pk>/assessments/<str:kind>/", views.assessment_create, name="assessment_create"),
    path("<int:pk>/break-glass/", views.break_glass, name="break_glass"),
]
