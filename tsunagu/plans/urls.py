from django.urls import path

from . import conference_views, handoff_views, plan_views

app_name = "plans"
urlpatterns = [
    # Support plans
    path("cases/<int:case_pk>/new/", plan_views.plan_start, name="plan_start"),
    path("approvals/", plan_views.approval_list, name="approval_list"),
    path("<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("<int:pk>/edit/", plan_views.plan_edit, name="plan_edit"),
    path("<int:pk>/items/new/", plan_views.item_add, name="item_add"),
    path("<int:pk>/items/<int:item_pk>/remove/", plan_views.item_remove, name="item_remove"),
    path("<int:pk>/tasks/new/", plan_views.task_add, name="task_add"),
    path("<int:pk>/tasks/<int:task_pk>/remove/", plan_views.task_remove, name="task_remove"),
    path("<int:pk>/submit/", plan_views.plan_submit, name="plan_submit"),
    path("<int:pk>/approve/", plan_views.plan_approve, name="plan_approve"),
    path("<int:pk>/return/", plan_views.plan_return, name="plan_return"),
    path("<int:pk>/print.pdf", plan_views.plan_print, name="plan_print"),
    path("<int:pk>/family.pdf", plan_views.plan_print_family, name="plan_print_family"),
    # Conferences and the periodic review
    path("conferences/", conference_views.conference_list, name="conference_list"),
    path("conferences/new/", conference_views.conference_create, name="conference_create"),
    path("conferences/<int:pk>/", conference_views.conference_detail, name="conference_detail"),
    path(
        "conferences/<int:pk>/attendees/new/",
        conference_views.attendee_add,
        name="attendee_add",
    ),
    path(
        "conferences/<int:pk>/cases/new/",
        conference_views.discussion_add,
        name="discussion_add",
    ),
    path(
        "conferences/<int:pk>/cases/<int:discussion_pk>/decision/",
        conference_views.decision_record,
        name="decision_record",
    ),
    path(
        "conferences/<int:pk>/minutes.pdf",
        conference_views.conference_minutes,
        name="conference_minutes",
    ),
    path("reviews/", conference_views.review_queue, name="review_queue"),
    path("reviews/agenda/", conference_views.review_agenda, name="review_agenda"),
    path("actions/<int:pk>/done/", conference_views.action_complete, name="action_complete"),
    # Hand-offs
    path("handoffs/", handoff_views.handoff_list, name="handoff_list"),
    path("handoffs/transfer-in/", handoff_views.transfer_in, name="transfer_in"),
    path(
        "cases/<int:case_pk>/handoffs/new/",
        handoff_views.handoff_request,
        name="handoff_request",
    ),
    path("handoffs/<int:pk>/", handoff_views.handoff_detail, name="handoff_detail"),
    path("handoffs/<int:pk>/answer/", handoff_views.handoff_answer, name="handoff_answer"),
    path("handoffs/<int:pk>/complete/", handoff_views.handoff_complete, name="handoff_complete"),
    path("handoffs/<int:pk>/documents/new/", handoff_views.document_add, name="document_add"),
    path(
        "handoffs/documents/<int:pk>/",
        handoff_views.document_download,
        name="document_download",
    ),
    path(
        "handoffs/<int:pk>/summary.pdf",
        handoff_views.transfer_summary_pdf,
        name="transfer_summary_pdf",
    ),
    path(
        "handoffs/<int:pk>/summary.json",
        handoff_views.transfer_summary_json,
        name="transfer_summary_json",
    ),
]
