"""The provider portal (提供事業者): the users of the provider's own decisions — the child's
name, what the decision allows, what it asks of them — and recording a use from a phone.
Never the case; never another provider's users (the policy's scope, by URL and API)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.access.policy import requires
from tsunagu.audit.models import AccessLog
from tsunagu.audit.services import log_bulk_access
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.core.errors import message_of

from . import forms, printing, selectors, services
from .models import Decision, Usage
from .services import UseInput

# Ended (or not yet started) decisions listed under the running ones: the latest few.
OTHERS_SHOWN = 30


@requires("family_support.portal")
def portal(request: HttpRequest) -> HttpResponse:
    """The provider's users: decisions running today first, then those ended or to come."""
    rows = selectors.portal_rows(request.user, timezone.localdate())
    log_bulk_access(
        request,
        Decision,
        [row.decision for row in rows],
        action=AccessLog.Action.LIST,
        purpose="提供事業者の利用者一覧",
    )
    running = [row for row in rows if row.running]
    others = [row for row in rows if not row.running]
    others.sort(key=lambda row: row.decision.ends_on, reverse=True)
    return render(
        request,
        "family_support/portal.html",
        {"running": running, "others": others[:OTHERS_SHOWN], "others_count": len(others)},
    )


def decision_for(request: HttpRequest, pk: int | None, purpose: str) -> Decision:
    """A decision the viewer may see (a provider: its own), its read logged; else 404."""
    return get_object_for_viewer(
        request,
        Decision.objects.select_related("offering", "provider", "child"),
        pk=pk,
        purpose=purpose,
    )


@requires("family_support.portal")
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One user of the provider: what the decision allows and asks, and the uses so far."""
    decision = decision_for(request, pk, "提供事業者の利用者")
    uses = decision.uses.select_related("menu_item")
    return render(
        request,
        "family_support/portal_user.html",
        {
            "decision": decision,
            "uses": uses,
            "row": selectors.portal_row(decision, timezone.localdate()),
            "limits": printing.limits_text(decision),
            "may_record": policy.may(request.user, "family_support.record", decision),
        },
    )


@requires("family_support.portal")
def usage_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record one use (利用実績) and what the staff noticed; an urgent observation goes to
    the center at once. A use beyond what the decision allows is refused with the reason."""
    decision = decision_for(request, pk, "利用実績の記録")
    policy.require(request.user, "family_support.record", decision)
    form = forms.UseForm(request.POST or None, decision=decision)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("key")
        data["nights"] = data.get("nights") or 0
        try:
            usage, created = services.record_use(
                decision, UseInput(**data), actor=request.user, key=key
            )
        except ValidationError as error:
            form.add_error(None, message_of(error))
        else:
            messages.success(request, _done(usage, created))
            return redirect("family_support:portal_user", pk)
    return render(
        request,
        "family_support/usage_form.html",
        {"decision": decision, "form": form, "limits": printing.limits_text(decision)},
    )


def _done(usage: Usage, created: bool) -> str:
    if not created:
        return "この記録は受け付け済みです。"
    if usage.status == usage.Status.HELD:
        return "上限を超えるため、センターの承認待ちとして受け付けました。"
    if usage.concern == usage.Concern.URGENT:
        return "記録しました。緊急の気づきは、すぐにセンターの担当者に届きました。"
    return "記録しました。"
