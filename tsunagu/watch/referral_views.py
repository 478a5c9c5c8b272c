"""つなぐ: a partner sends a family to the center with the guardian's consent; the center takes
it in as an intake and says whether the family was reached (one URL per form)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tsunagu.access import policy
from tsunagu.access.policy import requires
from tsunagu.audit.models import AccessLog
from tsunagu.audit.services import log_bulk_access
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.core.errors import message_of
from tsunagu.core.views_common import apply_posted

from . import forms, selectors, services
from .models import Referral

PAGE_SIZE = 50


@requires("watch.referrals")
def referral_list(request: HttpRequest) -> HttpResponse:
    """A partner: what it sent and where each stands. The center: what came to its unit."""
    status = request.GET.get("status", "")
    status = status if status in Referral.Status.values else ""
    page = Paginator(selectors.referrals_for(request.user, status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    log_bulk_access(
        request, Referral, page.object_list, action=AccessLog.Action.LIST, purpose="つなぐの一覧"
    )
    return render(
        request,
        "watch/referral_list.html",
        {
            "page": page,
            "statuses": Referral.Status.choices,
            "status": status,
            "may_refer": policy.allowed(request.user, "watch.refer"),
        },
    )


@requires("watch.refer")
def referral_create(request: HttpRequest) -> HttpResponse:
    form = forms.ReferralForm(request.POST or None, initial={"consent_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.refer_family(form.save(commit=False), actor=request.user)
        except ValidationError as error:
            form.add_error(None, message_of(error))
        else:
            messages.success(
                request,
                "センターに送りました。受け付けとつながったかどうかは、この一覧でわかります。",
            )
            return redirect("watch:referral_list")
    return render(request, "watch/referral_form.html", {"form": form})


def _referral(request: HttpRequest, pk: int, purpose: str) -> Referral:
    return get_object_for_viewer(
        request,
        Referral.objects.select_related("partner", "unit", "referred_by", "intake"),
        pk=pk,
        purpose=purpose,
    )


@requires("watch.referrals")
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """For the partner: what it wrote and where it stands, never the intake. For the center:
    the forms to take it in and to say whether the family was reached."""
    referral = _referral(request, pk, "つなぐ")
    may_receive = policy.may(request.user, "watch.referral_receive", referral)
    return render(
        request,
        "watch/referral_detail.html",
        {
            "referral": referral,
            "may_receive": may_receive,
            "intake_query": urlencode({"origin": f"{services.REFERRAL_ORIGIN}:{referral.pk}"}),
            "close_form": forms.CloseReferralForm(initial={"on": timezone.localdate()}),
        },
    )


@require_POST
@requires("watch.referral_receive")
def referral_close(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk, "つなぐの結果")
    return apply_posted(
        request,
        forms.CloseReferralForm(request.POST),
        lambda data: services.close_referral(
            referral, data["reached"], data["note"], actor=request.user, on=data["on"]
        ),
        done="結果を記録しました。協力団体には結果だけが伝わります。",
        back="watch:referral_detail",
        pk=pk,
    )
