"""The check-ups (乳幼児健診): the schedule with its invitations, the missed-check-up list, one
check-up with its attendance or its follow-up steps."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tsunagu.access import policy
from tsunagu.access.policy import requires
from tsunagu.audit.models import AccessLog
from tsunagu.audit.services import log_bulk_access
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.audit.views import query_without_page
from tsunagu.core.errors import message_of
from tsunagu.core.models import Municipality
from tsunagu.core.views_common import apply_posted
from tsunagu.core.xlsx import xlsx_response

from . import forms, selectors, services
from . import schedule as city_schedule
from .models import Checkup, FollowStep

PAGE_SIZE = 50


@requires("maternal.checkups")
def schedule(request: HttpRequest) -> HttpResponse:
    """The city's check-ups; posting sends the invitations due on the day and marks the
    invitations past their deadline as missed."""
    city = Municipality.objects.get(pk=request.user.municipality_id)
    policy.require(request.user, "maternal.checkups", city)
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            day = services.run_checkup_day(city, actor=request.user, on=form.cleaned_data["on"])
        except ValidationError as error:
            form.add_error("on", message_of(error))
        else:
            done = f"案内 {day.invited:,} 人、未受診 {day.missed:,} 人を記録しました。"
            if day.raised:
                done += (
                    f"居住実態が把握できない児童として {day.raised:,} 人を児童福祉へ連絡しました。"
                )
            messages.success(request, done)
            return redirect("maternal:checkups")
    kinds = city_schedule.load(city)
    return render(request, "maternal/checkups.html", {"kinds": kinds, "form": form})


@requires("maternal.view")
def missed_list(request: HttpRequest) -> HttpResponse:
    """The missed check-ups still followed up, the oldest first."""
    page = Paginator(selectors.missed_list(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    log_bulk_access(request, Checkup, page.object_list, action=AccessLog.Action.LIST)
    return render(
        request,
        "maternal/missed_list.html",
        {"page": page, "query": query_without_page(request)},
    )


def _checkup(request: HttpRequest, pk: int, purpose: str) -> Checkup:
    return get_object_for_viewer(
        request, Checkup.objects.select_related("child", "kind"), pk=pk, purpose=purpose
    )


@requires("maternal.view")
def checkup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    checkup = _checkup(request, pk, "乳幼児健診")
    may_change = policy.may(request.user, "maternal.change", checkup)
    return render(
        request,
        "maternal/checkup_detail.html",
        {
            "checkup": checkup,
            "steps": checkup.steps.select_related("by"),
            "may_record": may_change and checkup.status != Checkup.Status.ATTENDED,
            "may_follow": may_change
            and checkup.status == Checkup.Status.MISSED
            and not checkup.resolved,
            "checkup_form": forms.CheckupForm(),
            "step_form": forms.FollowStepForm(),
            "unseen": getattr(checkup.child, "unseen_report", None),
        },
    )


@require_POST
@requires("maternal.change")
def checkup_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The child came: attendance and findings."""
    checkup = _checkup(request, pk, "健診結果の記録")
    form = forms.CheckupForm(request.POST)
    return apply_posted(
        request,
        form,
        lambda data: services.record_checkup(
            checkup, actor=request.user, seen_on=data.pop("seen_on"), **data
        ),
        done="受診を記録しました。",
        back="maternal:checkup_detail",
        pk=pk,
    )


@require_POST
@requires("maternal.change")
def follow_step_create(request: HttpRequest, pk: int) -> HttpResponse:
    """One follow-up step of a missed check-up."""
    checkup = _checkup(request, pk, "未受診者フォローの記録")
    return apply_posted(
        request,
        forms.FollowStepForm(request.POST),
        lambda data: services.record_follow_step(checkup, FollowStep(**data), actor=request.user),
        done="フォローを記録しました。",
        back="maternal:checkup_detail",
        pk=pk,
    )


@requires("maternal.view")
def missed_export(request: HttpRequest) -> HttpResponse:
    """The missed-check-up list as Excel, for the calls and visits of the follow-up."""
    rows = list(selectors.missed_list(request.user))
    log_bulk_access(request, Checkup, rows, action=AccessLog.Action.EXPORT)
    return xlsx_response(
        "健診未受診",
        [
            "受診期限",
            "氏名",
            "ふりがな",
            "生年月日",
            "健診",
            "住所",
            "電話",
            "フォロー回数",
            "児童福祉へ連絡",
        ],
        (
            [
                c.due_on,
                str(c.child),
                f"{c.child.family_kana} {c.child.given_kana}".strip(),
                c.child.birth_date,
                str(c.kind),
                c.child.address,
                c.child.phone,
                c.step_count,
                "連絡済み" if c.raised else "",
            ]
            for c in rows
        ),
        [12, 16, 18, 12, 16, 36, 16, 10, 14],
        "missed-checkups.xlsx",
    )
