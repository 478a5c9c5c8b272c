"""Support plan pages: a version (read, or drafted), its forms (one URL each), approval, and
the staff and family copies as PDF."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tsunagu.access import policy
from tsunagu.access.policy import requires
from tsunagu.audit.models import AccessLog
from tsunagu.audit.services import log_access, log_bulk_access
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.cases.models import Case
from tsunagu.core.errors import message_of
from tsunagu.core.params import whole_number
from tsunagu.core.views_common import apply_posted, pdf_response

from . import forms, printing, selectors, services
from .models import PlanItem, PlanTask, SupportPlan

PLANS = SupportPlan.objects.select_related("case", "drafted_by", "approved_by", "based_on")


def _plan(request: HttpRequest, pk: int, purpose: str) -> SupportPlan:
    return get_object_for_viewer(request, PLANS, pk=pk, purpose=purpose)


@require_POST
@requires("plans.change")
def plan_start(request: HttpRequest, case_pk: int) -> HttpResponse:
    """A new draft version of the case's plan (a copy of the latest)."""
    case = get_object_for_viewer(request, Case.objects.all(), pk=case_pk, purpose="プランの作成")
    try:
        plan = services.start_plan(case, actor=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
        return redirect("cases:case_detail", pk=case.pk)
    messages.success(request, f"サポートプラン第{plan.version}版を作成しました。")
    return redirect("plans:plan_detail", pk=plan.pk)


@requires("plans.view")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, "サポートプランの閲覧")
    editing = plan.is_editable and policy.may(request.user, "plans.change", plan.case)
    context = {
        "plan": plan,
        "case": plan.case,
        "items": plan.items.select_related("service", "resource", "person"),
        "tasks": plan.tasks.all(),
        "versions": selectors.plans_of(request.user, plan.case),
        "editing": editing,
        "may_approve": plan.status == SupportPlan.Status.SUBMITTED
        and policy.may(request.user, "plans.approve", plan),
        "family_form": forms.FamilyCopyForm(case=plan.case),
    }
    if editing:
        version = services.plan_version(plan)
        context |= {
            "plan_form": forms.PlanForm(instance=plan, initial={"version": version}),
            "item_form": forms.PlanItemForm(case=plan.case, viewer=request.user),
            "task_form": forms.PlanTaskForm(),
        }
    if context["may_approve"]:
        context["return_form"] = forms.ReturnForm()
    return render(request, "plans/plan_detail.html", context)


def _draft_of(request: HttpRequest, pk: int) -> SupportPlan:
    plan = _plan(request, pk, "サポートプランの編集")
    if not policy.may(request.user, "plans.change", plan.case):
        raise PermissionDenied
    return plan


@requires("plans.change")
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft's wishes, goals, review date and agreement (also posted from the plan page)."""
    plan = _draft_of(request, pk)
    form = forms.PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in services.PLAN_FIELDS}
        try:
            services.edit_plan(plan, seen_version=data["version"], actor=request.user, **changes)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "プランを保存しました。")
            return redirect("plans:plan_detail", pk=plan.pk)
    if not form.is_bound:
        form.initial["version"] = services.plan_version(plan)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


@require_POST
@requires("plans.change")
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _draft_of(request, pk)
    form = forms.PlanItemForm(request.POST, case=plan.case, viewer=request.user)
    return apply_posted(
        request,
        form,
        lambda data: services.add_plan_item(plan, form.instance, actor=request.user),
        done="支援内容を追加しました。",
        back="plans:plan_detail",
        pk=plan.pk,
    )


@require_POST
@requires("plans.change")
def item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    return _remove_part(request, pk, PlanItem, item_pk, services.remove_plan_item)


@require_POST
@requires("plans.change")
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _draft_of(request, pk)
    form = forms.PlanTaskForm(request.POST)
    return apply_posted(
        request,
        form,
        lambda data: services.add_plan_task(plan, form.instance, actor=request.user),
        done="役割分担を追加しました。",
        back="plans:plan_detail",
        pk=plan.pk,
    )


@require_POST
@requires("plans.change")
def task_remove(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    return _remove_part(request, pk, PlanTask, task_pk, services.remove_plan_task)


def _remove_part(
    request: HttpRequest, pk: int, model: type[Model], part_pk: int, remove: Callable
) -> HttpResponse:
    """Take an item or a role off the draft ``pk`` with its service, back to the plan."""
    plan = _draft_of(request, pk)
    part = get_object_for_viewer(request, model.objects.filter(plan=plan), pk=part_pk)
    try:
        remove(part, actor=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
    return redirect("plans:plan_detail", pk=plan.pk)


@require_POST
@requires("plans.change")
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _draft_of(request, pk)
    seen = whole_number(request.POST.get("version"))
    try:
        services.submit_plan(plan, seen_version=seen, actor=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, "統括支援員に承認を申請しました。")
    return redirect("plans:plan_detail", pk=plan.pk)


@require_POST
@requires("plans.approve")
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, "サポートプランの承認")
    try:
        services.approve_plan(plan, actor=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, f"第{plan.version}版を承認しました。この版が実施中になります。")
    return redirect("plans:plan_detail", pk=plan.pk)


@require_POST
@requires("plans.approve")
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, "サポートプランの差し戻し")
    return apply_posted(
        request,
        forms.ReturnForm(request.POST),
        lambda data: services.return_plan(plan, data["note"], actor=request.user),
        done="作成者に差し戻しました。",
        back="plans:plan_detail",
        pk=plan.pk,
    )


@requires("plans.approve")
def approval_list(request: HttpRequest) -> HttpResponse:
    """Versions waiting for the supervisor's approval."""
    plans = list(selectors.plans_waiting(request.user))
    log_bulk_access(
        request, Case, [p.case for p in plans], action=AccessLog.Action.LIST, purpose="プランの承認"
    )
    return render(request, "plans/approval_list.html", {"plans": plans})


@requires("plans.print")
def plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff copy (職員用): everything, staff-only notes included."""
    plan = _plan(request, pk, "サポートプランの印刷(職員用)")
    log_access(request, plan.case, action=AccessLog.Action.PRINT, purpose="サポートプラン(職員用)")
    content = printing.support_plan(plan, family_copy=False)
    return pdf_response(content, f"plan-{plan.case.number}-v{plan.version}.pdf")


@requires("plans.print")
def plan_print_family(request: HttpRequest, pk: int) -> HttpResponse:
    """The family copy (ご家族用): no staff-only notes or items, and no one's address or phone
    but the recipient's."""
    plan = _plan(request, pk, "サポートプランの印刷(家族用)")
    form = forms.FamilyCopyForm(request.GET or None, case=plan.case)
    link = form.cleaned_data["recipient"] if form.is_bound and form.is_valid() else None
    recipient = link.person if link else None
    log_access(request, plan.case, action=AccessLog.Action.PRINT, purpose="サポートプラン(家族用)")
    content = printing.support_plan(plan, family_copy=True, recipient=recipient)
    return pdf_response(content, f"plan-{plan.case.number}-v{plan.version}-family.pdf")
