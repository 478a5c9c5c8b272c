"""Conference pages: the list, a new conference, one conference with its cases and their
decision forms (one URL each), the minutes PDF, the review queue that builds a 実務者会議, and
an action item done."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tsunagu.access import policy
from tsunagu.access.policy import requires
from tsunagu.audit.models import AccessLog
from tsunagu.audit.services import log_bulk_access
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.audit.views import query_without_page
from tsunagu.cases.models import Case
from tsunagu.core.errors import message_of
from tsunagu.core.params import whole_number
from tsunagu.core.views_common import apply_posted, pdf_response

from . import forms, printing, selectors, services
from .models import ActionItem, Conference

PAGE_SIZE = 50


@requires("plans.conference_view")
def conference_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in Conference.Kind.values else ""
    page = Paginator(selectors.conferences_for(request.user, kind), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "plans/conference_list.html",
        {
            "page": page,
            "kinds": Conference.Kind.choices,
            "kind": kind,
            "query": query_without_page(request),
            "may_hold": policy.allowed(request.user, "plans.conference"),
        },
    )


@requires("plans.conference")
def conference_create(request: HttpRequest) -> HttpResponse:
    staff = selectors.staff_of(request.user)
    form = forms.ConferenceForm(
        request.POST or None, staff=staff, initial={"held_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        outsiders = [services.Outsider(name, org) for org, name in form.outsider_rows()]
        try:
            conference = services.hold_conference(
                form.save(commit=False),
                users=form.cleaned_data["attendees"],
                outsiders=outsiders,
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "会議を登録しました。協議するケースを追加してください。")
            return redirect("plans:conference_detail", pk=conference.pk)
    return render(request, "plans/conference_form.html", {"form": form})


def _conference(request: HttpRequest, pk: int, purpose: str) -> Conference:
    return get_object_for_viewer(
        request, Conference.objects.select_related("organised_by"), pk=pk, purpose=purpose
    )


CASES_PER_PAGE = 50


@requires("plans.conference_view")
def conference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The conference: its attendees and, of its cases, those the viewer may see (a page at a
    time: a 実務者会議 may review a hundred), each with its decision, or for the center the
    form to record it."""
    conference = _conference(request, pk, "会議の閲覧")
    discussions = selectors.discussions_for(request.user, conference)
    page = Paginator(discussions, CASES_PER_PAGE).get_page(request.GET.get("page"))
    log_bulk_access(
        request,
        Case,
        [d.case for d in page.object_list],
        action=AccessLog.Action.LIST,
        purpose=f"会議: {conference}",
    )
    may_record = policy.allowed(request.user, "plans.conference")
    staff = selectors.staff_of(request.user) if may_record else None
    rows = [
        (
            d,
            forms.DecisionForm(prefix=f"d{d.pk}", staff=staff)
            if may_record and not d.decided_at
            else None,
        )
        for d in page.object_list
    ]
    return render(
        request,
        "plans/conference_detail.html",
        {
            "conference": conference,
            "attendees": conference.attendees.select_related("user"),
            "rows": rows,
            "page": page,
            "query": query_without_page(request),
            "undecided": discussions.filter(decided_at=None).count() if may_record else 0,
            "may_record": may_record,
            "attendee_form": forms.AttendeeForm(staff=staff) if may_record else None,
            "discussion_form": forms.DiscussionForm() if may_record else None,
        },
    )


@require_POST
@requires("plans.conference")
def attendee_add(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference(request, pk, "会議の出席者")
    form = forms.AttendeeForm(request.POST, staff=selectors.staff_of(request.user))
    return apply_posted(
        request,
        form,
        lambda data: services.add_attendee(
            conference,
            user=data["user"],
            name=data["name"],
            organisation=data["organisation"],
            actor=request.user,
        ),
        done="出席者を追加しました。",
        back="plans:conference_detail",
        pk=conference.pk,
    )


@require_POST
@requires("plans.conference")
def discussion_add(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference(request, pk, "会議の議題")
    form = forms.DiscussionForm(request.POST)

    def add(data: dict) -> None:
        case = policy.scope(request.user, Case.objects.filter(number=data["case"].strip())).first()
        if case is None:
            raise ValidationError(f"ケース {data['case']} が見つかりません。")
        services.add_discussion(conference, case, why=data["why"], actor=request.user)

    return apply_posted(
        request, form, add, done="ケースを追加しました。", back="plans:conference_detail", pk=pk
    )


def _actions(data: dict) -> list[services.Action]:
    return [
        services.Action(
            what=data[f"action{i}_what"],
            owner=data[f"action{i}_owner"],
            owner_name=data[f"action{i}_owner_name"],
            due_on=data[f"action{i}_due_on"],
        )
        for i in range(1, forms.DecisionForm.ACTIONS + 1)
        if data.get(f"action{i}_what")
    ]


@require_POST
@requires("plans.conference")
def decision_record(request: HttpRequest, pk: int, discussion_pk: int) -> HttpResponse:
    """One case's decision, applied to the case. Posted by htmx, it answers with the case's
    row (decided, or the form with its errors); without JavaScript it returns to the page."""
    conference = _conference(request, pk, "会議の決定")
    discussion = get_object_for_viewer(
        request, conference.discussions.select_related("case"), pk=discussion_pk
    )
    form = forms.DecisionForm(
        request.POST, prefix=f"d{discussion.pk}", staff=selectors.staff_of(request.user)
    )
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        decision = services.Decision(
            notes=data["notes"],
            policy=data["policy"],
            rank=data["rank"],
            lead_agency=data["lead_agency"],
            plan_change=data["plan_change"],
            next_review_on=data["next_review_on"],
            actions=_actions(data),
        )
        try:
            discussion = services.record_decision(discussion, decision, actor=request.user)
        except ValidationError as refused:
            error = message_of(refused)
    else:
        error = "入力を確認してください。"
    if request.headers.get("HX-Request") != "true":
        if error:
            messages.error(request, f"{discussion.case.number}: {error}")
        else:
            messages.success(request, f"{discussion.case.number}: 決定を記録しました。")
        return redirect("plans:conference_detail", pk=conference.pk)
    discussion = selectors.discussions_for(request.user, conference).get(pk=discussion.pk)
    return render(
        request,
        "plans/_discussion.html",
        {
            "conference": conference,
            "discussion": discussion,
            "form": form if error else None,
            "error": error,
            "may_record": True,
            "oob": True,  # the page's count of undecided cases follows
            "undecided": selectors.discussions_for(request.user, conference)
            .filter(decided_at=None)
            .count(),
        },
    )


@requires("plans.conference_view")
def conference_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes (会議録) as PDF: only the cases the viewer may see."""
    conference = _conference(request, pk, "会議録の印刷")
    discussions = list(selectors.discussions_for(request.user, conference))
    log_bulk_access(
        request,
        Case,
        [d.case for d in discussions],
        action=AccessLog.Action.PRINT,
        purpose=f"会議録: {conference}",
    )
    attendees = list(conference.attendees.select_related("user"))
    content = printing.minutes(conference, attendees, discussions)
    return pdf_response(content, f"minutes-{conference.held_on:%Y%m%d}-{conference.pk}.pdf")


@requires("plans.review_queue")
def review_queue(request: HttpRequest) -> HttpResponse:
    """Registered cases due for review (進行管理) by the chosen date, overdue first; the
    supervisor picks cases and builds a 実務者会議 agenda from them."""
    until = _date(request.GET.get("until")) or selectors.review_horizon()
    queue = selectors.review_queue(request.user, until)
    page = Paginator(queue, 200).get_page(request.GET.get("page"))
    log_bulk_access(
        request, Case, list(page.object_list), action=AccessLog.Action.LIST, purpose="進行管理"
    )
    return render(
        request,
        "plans/review_queue.html",
        {
            "page": page,
            "today": timezone.localdate(),
            "until": until,
            "overdue": selectors.overdue_reviews(request.user),
            "agenda_form": forms.AgendaForm(initial={"held_on": timezone.localdate()}),
            "query": query_without_page(request),
        },
    )


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@require_POST
@requires("plans.review_queue")
def review_agenda(request: HttpRequest) -> HttpResponse:
    """A 実務者会議 with the chosen cases of the queue as its agenda."""
    form = forms.AgendaForm(request.POST)
    chosen = [whole_number(pk) for pk in request.POST.getlist("case")]
    cases = selectors.review_queue(request.user, date.max).filter(pk__in=[c for c in chosen if c])
    try:
        if not form.is_valid():
            raise ValidationError("開催日を入力してください。")
        conference = services.prepare_review_meeting(
            cases,
            held_on=form.cleaned_data["held_on"],
            place=form.cleaned_data["place"],
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, message_of(error))
        return redirect("plans:review_queue")
    messages.success(request, f"実務者会議({conference.discussions.count()}件)の議題を作りました。")
    return redirect("plans:conference_detail", pk=conference.pk)


@require_POST
@requires("plans.conference_view")
def action_complete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_for_viewer(
        request, ActionItem.objects.select_related("case"), pk=pk, purpose="対応事項の完了"
    )
    form = forms.ActionDoneForm(request.POST)
    back = request.POST.get("next", "")
    try:
        result = form.cleaned_data["result"] if form.is_valid() else ""
        services.complete_action_item(item, result=result, actor=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, f"「{item.what}」を完了にしました。")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("cases:due_list")
