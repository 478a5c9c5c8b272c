"""The center's pages of family support services: an application, the decision (利用決定)
and its notice, consent, the first meeting, monitoring, one use and its approval (one URL
each)."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tsunagu.access import policy
from tsunagu.access.policy import SIGNED_IN, requires
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.cases.models import Case
from tsunagu.core.errors import message_of
from tsunagu.core.params import whole_number
from tsunagu.core.views_common import apply_posted, form_page, pdf_response

from . import forms, printing, services
from .models import Application, Decision, Usage


def _case(request: HttpRequest, pk: int, purpose: str) -> Case:
    case = get_object_for_viewer(request, Case.objects.all(), pk=pk, purpose=purpose)
    policy.require(request.user, "family_support.decide", case)
    return case


def _decision(request: HttpRequest, pk: int, purpose: str) -> Decision:
    return get_object_for_viewer(
        request,
        Decision.objects.select_related("offering", "provider", "child", "case", "municipality"),
        pk=pk,
        purpose=purpose,
    )


@requires("family_support.decide")
def application_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Record a request to use a service (利用申請), with the interview date."""
    case = _case(request, case_pk, "家庭支援事業の申請")
    return form_page(
        request,
        forms.ApplicationForm(request.POST or None, case=case),
        lambda data: (
            services.receive_application(case, actor=request.user, **data)
            and reverse("cases:case_detail", args=[case.pk])
        ),
        done="申請を記録しました。",
        template="family_support/application_form.html",
        context={"case": case},
    )


@requires("family_support.decide")
def decision_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Decide a service for a child of the case (利用決定): the fee is read from the table."""
    case = _case(request, case_pk, "家庭支援事業の利用決定")
    application = Application.objects.filter(
        case=case, status=Application.Status.RECEIVED, pk=whole_number(request.GET.get("from"))
    ).first()
    return form_page(
        request,
        forms.DecisionForm(request.POST or None, case=case, application=application),
        lambda data: services.decide(case, actor=request.user, **data),
        done="利用を決定しました。通知書を印刷して保護者に渡してください。",
        template="family_support/decision_form.html",
        context={"case": case},
    )


@requires(SIGNED_IN)
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A decision with its steps, its uses and the forms of the next steps."""
    decision = _decision(request, pk, "家庭支援事業の利用決定")
    if not policy.can_view(request.user, decision.case):
        return redirect("family_support:portal_user", pk)
    may_manage = policy.may(request.user, "family_support.manage", decision)
    uses = decision.uses.select_related("menu_item", "recorded_by")
    running = decision.status == Decision.Status.DECIDED
    return render(
        request,
        "family_support/decision_detail.html",
        {
            "decision": decision,
            "uses": uses,
            "monitorings": decision.monitorings.select_related("recorded_by"),
            "counted": sum(1 for use in uses if use.counts),
            "running": running,
            "may_manage": may_manage,
            "consent_form": forms.ConsentForm(),
            "meeting_form": forms.MeetingForm(),
            "monitoring_form": forms.MonitoringForm(
                ended=decision.status != Decision.Status.DECIDED
            ),
            "fee": printing.fee_text(decision),
            "limits": printing.limits_text(decision),
        },
    )


@requires(SIGNED_IN)
def decision_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The 利用決定通知書 as a PDF, for the center."""
    decision = _decision(request, pk, "利用決定通知書の印刷")
    policy.require_visible(request.user, decision.case)
    return pdf_response(printing.decision_notice(decision), f"decision-{decision.number}.pdf")


def _step(
    request: HttpRequest,
    pk: int,
    form_class: type[Form],
    apply: Callable[[Decision, dict], object],
    done: str,
) -> HttpResponse:
    decision = _decision(request, pk, "家庭支援事業の記録")
    return apply_posted(
        request,
        form_class(request.POST),
        lambda data: apply(decision, data),
        done=done,
        back="family_support:decision_detail",
        pk=pk,
    )


@require_POST
@requires("family_support.manage")
def decision_consent(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        forms.ConsentForm,
        lambda decision, data: services.record_consent(decision, actor=request.user, **data),
        "同意を記録しました。",
    )


@require_POST
@requires("family_support.manage")
def decision_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        forms.MeetingForm,
        lambda decision, data: services.record_first_meeting(decision, actor=request.user, **data),
        "初回顔合わせを記録しました。",
    )


@require_POST
@requires("family_support.manage")
def decision_monitoring(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        forms.MonitoringForm,
        lambda decision, data: services.record_monitoring(decision, actor=request.user, **data),
        "モニタリングを記録しました。",
    )


@requires(SIGNED_IN)
def usage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One use with what the provider noticed; a held one with its approval."""
    usage = get_object_for_viewer(
        request,
        Usage.objects.select_related(
            "decision__offering", "decision__provider", "decision__child", "menu_item"
        ),
        pk=pk,
        purpose="家庭支援事業の利用実績",
    )
    return render(
        request,
        "family_support/usage_detail.html",
        {
            "usage": usage,
            "may_approve": usage.status == Usage.Status.HELD
            and policy.may(request.user, "family_support.approve", usage),
            "case_visible": policy.can_view(request.user, usage.decision.case),
        },
    )


@require_POST
@requires("family_support.approve")
def usage_approve(request: HttpRequest, pk: int) -> HttpResponse:
    usage = get_object_for_viewer(request, Usage.objects.all(), pk=pk, purpose="延長の承認")
    try:
        services.approve_use(usage, actor=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, "延長を承認しました。")
    return redirect("family_support:usage_detail", pk)
