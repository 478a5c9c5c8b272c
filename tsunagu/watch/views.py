"""Watching-over pages. Partners: today's visits (an installable web app that keeps reports
written offline), the report form, their reports and one household. The center: asking a
partner to watch a household, ending it, and the alert inbox with acknowledge and handle
(one URL each)."""

import uuid
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.access import policy
from tsunagu.access.policy import PUBLIC, SIGNED_IN, requires
from tsunagu.audit.models import AccessLog
from tsunagu.audit.services import log_bulk_access
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.cases.models import Case
from tsunagu.core.errors import message_of
from tsunagu.core.views_common import apply_posted

from . import forms, selectors, services
from .models import Alert, WatchAssignment, WatchReport

PAGE_SIZE = 50


def _report_form(assignment: WatchAssignment, on: date) -> forms.ReportForm:
    return forms.ReportForm(
        prefix=f"a{assignment.pk}",
        initial={"visit_on": on, "key": uuid.uuid4(), "visited": "1", "concern": "none"},
    )


@requires("watch.visits")
def visits(request: HttpRequest) -> HttpResponse:
    """Today's visits (今日の訪問): each household with a visit due, and the report form under
    it. Reports written offline wait on the phone and go when the connection returns."""
    today = timezone.localdate()
    rows = selectors.visits_for(request.user, today)
    log_bulk_access(
        request,
        WatchAssignment,
        [row.assignment for row in rows],
        action=AccessLog.Action.LIST,
        purpose="今日の訪問",
    )
    cards = [
        (
            row,
            _report_form(row.assignment, (row.due or [today])[-1]),
        )
        for row in rows
    ]
    due = [card for card in cards if card[0].due]
    return render(
        request,
        "watch/visits.html",
        {
            "due_cards": due,
            "other_cards": [card for card in cards if not card[0].due],
            "today": today,
            "texts": _phone_texts(),
        },
    )


def _phone_texts() -> dict[str, str]:
    """What visits.js says, in the viewer's language."""
    return {
        "online": _("オンライン"),
        "offline": _("オフライン:報告はこの端末に保存し、つながったら送ります。"),
        "unsent": _("未送信 {n} 件"),
        "waiting": _("送信待ち"),
        "failed": _("送れませんでした。"),
        "delete": _("この報告を削除"),
        "confirm_delete": _("この報告を端末から削除します。よろしいですか?"),
        "expired": _("ログインの有効期限が切れました。ログインし直すと、保存した報告を送ります。"),
    }


@requires("watch.visits")
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The report of one visit, as a plain form (the visits page sends the same fields to the
    API, and keeps them on the phone while offline)."""
    assignment = get_object_for_viewer(
        request, WatchAssignment.objects.all(), pk=pk, purpose="見守り報告の入力"
    )
    if request.method != "POST":
        form = _report_form(assignment, timezone.localdate())
    else:
        form = forms.ReportForm(request.POST, prefix=f"a{assignment.pk}")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            _, created = services.file_report(
                assignment, form.save(commit=False), data["key"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, message_of(error))
        else:
            messages.success(
                request,
                "報告を受け付けました。"
                if created
                else "この報告は受付済みです(二重には登録されません)。",
            )
            return redirect("watch:visits")
    return render(request, "watch/report_form.html", {"assignment": assignment, "form": form})


@requires("watch.visits")
def report_list(request: HttpRequest) -> HttpResponse:
    """The partner's own reports (its organisation's), newest first."""
    page = Paginator(selectors.reports_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    log_bulk_access(
        request,
        WatchReport,
        page.object_list,
        action=AccessLog.Action.LIST,
        purpose="見守り報告の一覧",
    )
    return render(request, "watch/report_list.html", {"page": page})


@requires(SIGNED_IN)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_for_viewer(
        request,
        WatchReport.objects.select_related(
            "assignment__partner", "assignment__case", "reported_by"
        ),
        pk=pk,
        purpose="見守り報告",
    )
    return render(
        request,
        "watch/report_detail.html",
        {"report": report, "case_visible": policy.can_view(request.user, report.assignment.case)},
    )


@requires(SIGNED_IN)
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One household: for its partner, only what the delivery needs and the dates; for the
    center, the case it belongs to as well."""
    assignment = get_object_for_viewer(
        request,
        WatchAssignment.objects.select_related("partner", "case"),
        pk=pk,
        purpose="見守り先",
    )
    today = timezone.localdate()
    reports = selectors.reports_for(request.user).filter(assignment=assignment)[:20]
    return render(
        request,
        "watch/assignment_detail.html",
        {
            "assignment": assignment,
            "planned": assignment.visit_dates(today, today + timedelta(days=56)),
            "reports": reports,
            "case_visible": policy.can_view(request.user, assignment.case),
            "may_end": policy.may(request.user, "watch.end", assignment) and not assignment.ends_on,
            "end_form": forms.EndForm(initial={"ends_on": today}),
        },
    )


@requires("watch.assign")
def assign(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Ask a partner organisation to watch a household of the case (見守りの依頼)."""
    case = get_object_for_viewer(request, Case.objects.all(), pk=case_pk, purpose="見守りの依頼")
    form = forms.AssignmentForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assign_watch(case, form.save(commit=False), actor=request.user)
        except ValidationError as error:
            form.add_error(None, message_of(error))
        else:
            messages.success(request, f"{assignment.partner}に見守りを依頼しました。")
            return redirect("cases:case_detail", case.pk)
    return render(request, "watch/assign_form.html", {"case": case, "form": form})


@require_POST
@requires("watch.end")
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_for_viewer(
        request, WatchAssignment.objects.all(), pk=pk, purpose="見守りの終了"
    )
    return apply_posted(
        request,
        forms.EndForm(request.POST),
        lambda data: services.end_watch(
            assignment, data["reason"], actor=request.user, on=data["ends_on"]
        ),
        done="見守りの終了日を記録しました。",
        back="watch:assignment_detail",
        pk=pk,
    )


@requires("watch.alerts")
def alert_list(request: HttpRequest) -> HttpResponse:
    """The alert inbox: open alerts of the cases the viewer sees, unacknowledged first."""
    show_all = request.GET.get("all") == "1"
    alerts = selectors.alerts_for(request.user, open_only=not show_all)
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    log_bulk_access(
        request,
        Case,
        [a.case for a in page.object_list],
        action=AccessLog.Action.LIST,
        purpose="見守りアラート",
    )
    return render(request, "watch/alert_list.html", {"page": page, "show_all": show_all})


@requires("watch.alerts")
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _alert(request, pk, "見守りアラート")
    return render(
        request,
        "watch/alert_detail.html",
        {
            "alert": alert,
            "may_handle": policy.may(request.user, "watch.alert_handle", alert),
            "handle_form": forms.HandleForm(),
        },
    )


def _alert(request: HttpRequest, pk: int, purpose: str) -> Alert:
    return get_object_for_viewer(
        request,
        Alert.objects.select_related("case", "assignment__partner", "report", "key_person", "unit"),
        pk=pk,
        purpose=purpose,
    )


@require_POST
@requires("watch.alert_handle")
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _alert(request, pk, "アラートの確認")
    services.acknowledge_alert(alert, actor=request.user)
    messages.success(request, "アラートを確認済みにしました。")
    return redirect("watch:alert_detail", pk)


@require_POST
@requires("watch.alert_handle")
def alert_handle(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _alert(request, pk, "アラートの対応")
    return apply_posted(
        request,
        forms.HandleForm(request.POST),
        lambda data: services.handle_alert(alert, data["note"], actor=request.user),
        done="対応済みにしました。",
        back="watch:alert_detail",
        pk=pk,
    )


@requires(PUBLIC)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: 「見守り」 installs on a phone's home screen. Public (a browser
    fetches it without the session cookie); it holds no personal data."""
    body = render_to_string("watch/manifest.webmanifest", request=request)
    return HttpResponse(body, content_type="application/manifest+json")


@requires(PUBLIC)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker (Workbox), served by the app so it may control the whole site:
    it keeps today's visits readable offline and forgets them at logout. Public, so the
    browser's update checks work signed out; it holds no personal data."""
    body = render_to_string("watch/sw.js", request=request)
    response = HttpResponse(body, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
