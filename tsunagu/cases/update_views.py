"""The case page's small forms: one URL and view each (status, rank and lead agency, a unit,
an organisation, a council registration, a worker, a restricted note, a registration carried
on, a periodic review, a closure asked for, a re-opening). Each posts, applies one service,
and returns to the case page with the outcome as a message."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from tsunagu.access.policy import requires
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.core.errors import message_of

from . import forms, selectors, services
from .models import Case

Apply = Callable[[HttpRequest, Case, dict], None]


def _valid(form: BaseForm) -> dict:
    if not form.is_valid():
        problems = [
            f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errors)}"
            for name, errors in form.errors.items()
        ]
        raise ValidationError("入力を確認してください。" + " ".join(problems))
    return form.cleaned_data


def case_form_view(
    make_form: Callable, apply: Apply, capability: str = "cases.change"
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A view that posts one form of the case page: ``make_form(request, case)`` reads it,
    ``apply(request, case, cleaned_data)`` runs its service."""

    @require_POST
    @requires(capability)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        case = get_object_for_viewer(request, Case.objects.all(), pk=pk, purpose="ケースの更新")
        try:
            apply(request, case, _valid(make_form(request, case)))
        except ValidationError as error:
            messages.error(request, message_of(error))
        else:
            messages.success(request, "保存しました。")
        return redirect("cases:case_detail", pk=case.pk)

    return view


def _status(request: HttpRequest, case: Case, data: dict) -> None:
    services.change_status(
        case,
        data["status"],
        reason=data["reason"],
        seen_version=data["version"],
        actor=request.user,
    )


def _rank(request: HttpRequest, case: Case, data: dict) -> None:
    lead_changed = data["lead_agency"] != case.lead_agency
    if lead_changed:
        case = services.set_lead_agency(
            case, data["lead_agency"], seen_version=data["version"], actor=request.user
        )
    if data["rank"] != case.risk_rank:
        # After a lead-agency save in this request the version has moved on by us.
        seen = None if lead_changed else data["version"]
        services.change_rank(
            case, data["rank"], reason=data["reason"], seen_version=seen, actor=request.user
        )


def _municipality(request: HttpRequest, case: Case) -> dict:
    return {"municipality_id": request.user.municipality_id}


case_status = case_form_view(lambda r, c: forms.CaseStatusForm(r.POST), _status)
case_rank = case_form_view(lambda r, c: forms.CaseRankForm(r.POST), _rank)
case_unit = case_form_view(
    lambda r, c: forms.UnitForm(r.POST, **_municipality(r, c)),
    lambda r, c, d: services.add_unit(c, d["unit"], actor=r.user),
)
case_organisation = case_form_view(
    lambda r, c: forms.OrganisationForm(r.POST, **_municipality(r, c)),
    lambda r, c, d: services.involve_organisation(c, d["organisation"], d["role"], actor=r.user),
)
case_registration = case_form_view(
    lambda r, c: forms.RegistrationForm(r.POST, case=c),
    lambda r, c, d: services.register_with_council(
        c, d["person"], d["category"], on=d["registered_on"], actor=r.user
    ),
    capability="cases.register",
)
case_assignment = case_form_view(
    lambda r, c: forms.AssignmentForm(r.POST, staff=selectors.center_staff(r.user)),
    lambda r, c, d: services.assign_worker(
        c, d["worker"], key_person=d["key_person"], actor=r.user
    ),
)
case_note = case_form_view(
    lambda r, c: forms.RestrictedNoteForm(r.POST, staff=selectors.case_staff(r.user, c)),
    lambda r, c, d: services.write_restricted_note(c, d["text"], d["readers"], actor=r.user),
)
case_continue = case_form_view(
    lambda r, c: forms.ContinueRegistrationForm(r.POST, case=c),
    lambda r, c, d: services.continue_registration(
        d["registration"],
        person=d["person"],
        category=d["category"],
        on=d["on"],
        reason=d["reason"],
        actor=r.user,
    ),
    capability="cases.register",
)
case_review = case_form_view(
    lambda r, c: forms.ReviewForm(r.POST, municipality=c.municipality),
    lambda r, c, d: services.record_review(
        c,
        reviewed_on=d["reviewed_on"],
        next_on=d["next_review_on"],
        seen_version=d["version"],
        actor=r.user,
    ),
    capability="cases.register",
)

case_closure = case_form_view(
    lambda r, c: forms.ClosureForm(r.POST),
    lambda r, c, d: services.request_closure(c, d["reason"], actor=r.user),
)
case_reopen = case_form_view(
    lambda r, c: forms.ReopenForm(r.POST),
    lambda r, c, d: services.reopen_case(c, d["reason"], seen_version=d["version"], actor=r.user),
)

# The URL of each form, by its name on the case page.
CASE_FORMS = {
    "status": case_status,
    "rank": case_rank,
    "unit": case_unit,
    "organisation": case_organisation,
    "registration": case_registration,
    "assignment": case_assignment,
    "note": case_note,
    "continue": case_continue,
    "review": case_review,
    "closure": case_closure,
    "reopen": case_reopen,
}
