"""The newborn visits (乳児家庭全戸訪問): the nurse's list, one visit and its record, and a
follow-up (要フォロー) marked done."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from tsunagu.access import policy
from tsunagu.access.policy import requires
from tsunagu.audit.models import AccessLog
from tsunagu.audit.services import log_bulk_access
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.audit.views import query_without_page
from tsunagu.core.views_common import form_page

from . import forms, questionnaires, selectors, services
from .models import FollowUp, NewbornVisit

PAGE_SIZE = 50


@requires("maternal.view")
def visit_list(request: HttpRequest) -> HttpResponse:
    """The visits still to make, soonest due first: the nurse's own, or her unit's (?all=1)."""
    everyone = request.GET.get("all") == "1"
    rows = selectors.visit_list(request.user, mine=not everyone)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    log_bulk_access(request, NewbornVisit, page.object_list, action=AccessLog.Action.LIST)
    return render(
        request,
        "maternal/visit_list.html",
        {"page": page, "everyone": everyone, "query": query_without_page(request)},
    )


@requires("maternal.view")
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One visit; while it is to be made, the form that records it."""
    visit = get_object_for_viewer(
        request,
        NewbornVisit.objects.select_related("birth__child", "birth__pregnancy__mother", "nurse"),
        pk=pk,
        purpose="乳児家庭全戸訪問",
    )
    may_change = policy.may(request.user, "maternal.change", visit)
    form = forms.VisitForm(request.POST or None)

    def save(data: dict) -> NewbornVisit:
        return services.record_visit(
            visit,
            actor=request.user,
            status=data["status"],
            on=data["on"],
            reason=data["reason"],
            answers=form.answers(),
            weight_g=data["weight_g"],
            notes=data["notes"],
        )

    if request.method == "POST":
        policy.require(request.user, "maternal.change", visit)
    return form_page(
        request,
        form,
        save,
        done="訪問を記録しました。",
        template="maternal/visit_detail.html",
        context={
            "visit": visit,
            "self_harm": questionnaires.answered_urgent(visit.answers, questionnaires.EPDS),
            "may_change": may_change and visit.status != NewbornVisit.Status.VISITED,
        },
    )


@requires("maternal.view")
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """A follow-up (要フォロー), and the form that marks it done."""
    item = get_object_for_viewer(
        request, FollowUp.objects.select_related("person", "owner"), pk=pk, purpose="要フォロー"
    )
    may_change = policy.may(request.user, "maternal.change", item)
    if request.method == "POST":
        policy.require(request.user, "maternal.change", item)
    return form_page(
        request,
        forms.DoneForm(request.POST or None),
        lambda data: (
            services.complete_follow_up(item, data["note"], actor=request.user)
            and reverse("maternal:follow_up", args=[item.pk])
        ),
        done="対応済みにしました。",
        template="maternal/follow_up.html",
        context={"item": item, "may_change": may_change and not item.done_on},
    )
