"""Short-stay pages (子育て短期支援事業): on a case, the search for a place with the reasons
for and against each (matching.py), the request to the one chosen, and the request's page
with the coordinating agency's answer (one URL each).

The search is posted, not put in the URL: who the child is, the dates and the child's needs
stay out of addresses and logs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tsunagu.access import policy
from tsunagu.access.policy import requires
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.cases.models import Case
from tsunagu.core.errors import message_of
from tsunagu.core.views_common import apply_posted, problems_of

from . import matching, services
from .models import StayRequest
from .stay_forms import SEARCH_FIELDS, StayAnswerForm, StayRequestForm, StaySearchForm

# A stay is 7 days at most in principle (the national scheme; the standard catalogue's limit
# of 7 nights a use, catalogue.py), longer where needed: the page says so past it.
USUAL_NIGHTS = 7


def _case(request: HttpRequest, pk: int, purpose: str) -> Case:
    case = get_object_for_viewer(request, Case.objects.all(), pk=pk, purpose=purpose)
    policy.require(request.user, "family_support.decide", case)
    return case


def _stay(request: HttpRequest, pk: int, purpose: str) -> StayRequest:
    return get_object_for_viewer(
        request,
        StayRequest.objects.select_related(
            "case", "child", "provider", "provider__district", "district", "requested_by"
        ),
        pk=pk,
        purpose=purpose,
    )


def _search_page(
    request: HttpRequest, case: Case, search: StaySearchForm, *, error: str = ""
) -> HttpResponse:
    """The search form, and when it is valid the places found, a request form under each
    one that fits."""
    rows = None
    nights = None
    district = None
    if search.is_bound and search.is_valid():
        data = search.cleaned_data
        district = data["district"]
        nights = len(matching.nights_of(data["starts_on"], data["ends_on"]))
        hidden = {name: data[name] for name in SEARCH_FIELDS}
        rows = [
            (
                candidate,
                StayRequestForm(
                    case=case,
                    initial=hidden | {"provider": candidate.provider.pk},
                    auto_id=f"id_p{candidate.provider.pk}_%s",
                )
                if candidate.fits
                else None,
            )
            for candidate in search.candidates()
        ]
    requests = policy.scope(
        request.user, StayRequest.objects.filter(case=case).select_related("child", "provider")
    )
    return render(
        request,
        "family_support/stay_search.html",
        {
            "case": case,
            "form": search,
            "has_children": search.fields["child"].queryset.exists(),
            "rows": rows,
            "nights": nights,
            "district": district,
            "long_stay": nights is not None and nights > USUAL_NIGHTS,
            "usual_nights": USUAL_NIGHTS,
            "error": error,
            "requests": requests,
        },
    )


@requires("family_support.decide")
def stay_search(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Find a place for a short stay of a child of the case: every place with whether it
    fits and why (age, sex, needs, weekends, school district, places left)."""
    case = _case(request, case_pk, "ショートステイの受入先の検索")
    search = StaySearchForm(request.POST if request.method == "POST" else None, case=case)
    return _search_page(request, case, search)


@require_POST
@requires("family_support.decide")
def stay_request(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Ask the place chosen (through the coordinating agency): the request is recorded and
    waits for its answer. A place that no longer fits is refused, and the search shown
    again with why."""
    case = _case(request, case_pk, "ショートステイの依頼")
    form = StayRequestForm(request.POST, case=case)
    if form.is_valid():
        try:
            stay = services.request_stay(case, actor=request.user, **form.request_data())
        except ValidationError as error:
            form.add_error(None, message_of(error))
        else:
            messages.success(
                request,
                f"「{stay.provider}」へのショートステイの依頼を記録しました。"
                "回答があったら、この画面で記録してください。",
            )
            return redirect("family_support:stay_detail", stay.pk)
    return _search_page(
        request, case, StaySearchForm(request.POST, case=case), error=problems_of(form)
    )


@requires("family_support.manage")
def stay_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: the child, the dates and needs, the place, the agency, and the answer
    (with its form while it waits, for a worker on the case)."""
    stay = _stay(request, pk, "ショートステイの依頼")
    pending = stay.answer == StayRequest.Answer.PENDING
    return render(
        request,
        "family_support/stay_detail.html",
        {
            "stay": stay,
            "nights": len(matching.nights_of(stay.starts_on, stay.ends_on)),
            "age": matching.age_on(stay.child.birth_date, stay.starts_on),
            "may_answer": pending and policy.may(request.user, "family_support.manage", stay),
            "may_decide": stay.answer == StayRequest.Answer.ACCEPTED
            and policy.may(request.user, "family_support.decide", stay.case),
            "answer_form": StayAnswerForm(stay=stay),
        },
    )


@require_POST
@requires("family_support.manage")
def stay_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the coordinating agency's answer (受入可 / 受入不可), once."""
    stay = _stay(request, pk, "ショートステイの回答の記録")
    return apply_posted(
        request,
        StayAnswerForm(request.POST, stay=stay),
        lambda data: services.answer_stay(stay, actor=request.user, **data),
        done="回答を記録しました。",
        back="family_support:stay_detail",
        pk=pk,
    )
