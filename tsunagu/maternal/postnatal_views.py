"""Postnatal care (産後ケア): the application after a birth, the decision and the days used
(one URL each)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from tsunagu.access import policy
from tsunagu.access.policy import requires
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.core.views_common import apply_posted, form_page

from . import forms, services
from .models import Birth, PostnatalCare, PostnatalCareUse


def _care(request: HttpRequest, pk: int, purpose: str) -> PostnatalCare:
    return get_object_for_viewer(
        request,
        PostnatalCare.objects.select_related(
            "birth__pregnancy__mother", "birth__child", "provider"
        ),
        pk=pk,
        purpose=purpose,
    )


@requires("maternal.change")
def postnatal_create(request: HttpRequest, pk: int) -> HttpResponse:
    """An application for postnatal care after the birth ``pk``."""
    birth = get_object_for_viewer(
        request, Birth.objects.select_related("pregnancy__mother"), pk=pk, purpose="産後ケアの申請"
    )
    policy.require(request.user, "maternal.change", birth)
    return form_page(
        request,
        forms.PostnatalApplicationForm(request.POST or None),
        lambda data: services.apply_postnatal_care(
            birth, PostnatalCare(**data), actor=request.user
        ),
        done="産後ケアの申請を記録しました。",
        template="maternal/postnatal_form.html",
        context={"birth": birth},
    )


@requires("maternal.view")
def postnatal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    care = _care(request, pk, "産後ケア")
    may_change = policy.may(request.user, "maternal.change", care)
    return render(
        request,
        "maternal/postnatal_detail.html",
        {
            "care": care,
            "uses": care.uses.select_related("recorded_by"),
            "may_decide": may_change and care.status == PostnatalCare.Status.APPLIED,
            "may_record": may_change and care.status == PostnatalCare.Status.APPROVED,
            "decision_form": forms.PostnatalDecisionForm(
                municipality_id=request.user.municipality_id
            ),
            "use_form": forms.PostnatalUseForm(),
        },
    )


@require_POST
@requires("maternal.change")
def postnatal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    care = _care(request, pk, "産後ケアの決定")
    form = forms.PostnatalDecisionForm(request.POST, municipality_id=request.user.municipality_id)
    return apply_posted(
        request,
        form,
        lambda data: services.decide_postnatal_care(care, actor=request.user, **data),
        done="産後ケアを決定しました。",
        back="maternal:postnatal_detail",
        pk=pk,
    )


@require_POST
@requires("maternal.change")
def postnatal_use(request: HttpRequest, pk: int) -> HttpResponse:
    care = _care(request, pk, "産後ケアの利用の記録")
    return apply_posted(
        request,
        forms.PostnatalUseForm(request.POST),
        lambda data: services.record_postnatal_use(
            care, PostnatalCareUse(**data), actor=request.user
        ),
        done="利用を記録しました。",
        back="maternal:postnatal_detail",
        pk=pk,
    )
