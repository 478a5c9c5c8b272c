from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tsunagu.access import policy
from tsunagu.access.policy import requires
from tsunagu.audit.models import AccessLog
from tsunagu.audit.services import log_access, log_bulk_access
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.audit.views import query_without_page
from tsunagu.core import panels
from tsunagu.core.errors import message_of
from tsunagu.core.history import version_of
from tsunagu.core.params import whole_number
from tsunagu.people import services as people_services
from tsunagu.people.forms import PICK_PREFIX, PersonForm
from tsunagu.people.models import Person

from . import events, exports, forms, origins, printing, selectors, services
from .models import Activity, AssessmentForm, Case, Intake

PAGE_SIZE = 50
TIMELINE_PAGE = 50


FINDER_FIELDS = ("family_name", "given_name", "family_kana", "given_kana", "birth", "sex", "phone")


def _intake_people(request: HttpRequest) -> list[tuple[Person, str]]:
    """The persons chosen so far, with their roles: from the link (``?person=``) or from the
    form's own rows, each read through the access policy."""
    if request.method == "POST":
        total = request.POST.get("form-TOTAL_FORMS", "0")
        rows = [
            (request.POST.get(f"form-{i}-person", ""), request.POST.get(f"form-{i}-role", ""))
            for i in range(whole_number(total, low=0, high=50) or 0)
        ]
    else:
        rows = [(pk, "child") for pk in request.GET.getlist("person")]
    chosen = []
    for pk, role in rows:
        number = whole_number(pk)
        if number and all(p.pk != number for p, _ in chosen):
            person = get_object_for_viewer(
                request, Person.objects.all(), pk=number, purpose="相談受付"
            )
            chosen.append((person, role or "child"))
    return chosen


def _change_people(request: HttpRequest, chosen: list[tuple[Person, str]]) -> PersonForm:
    """Apply the finder's buttons: add a found person, register a new one, or take one off.
    Returns the finder form to show (with its errors if a new person could not be saved)."""
    added = whole_number(request.POST.get("add_person"))
    if added:
        person = get_object_for_viewer(
            request, Person.objects.all(), pk=added, purpose="相談受付(名寄せで選択)"
        )
        if all(p.pk != person.pk for p, _ in chosen):
            chosen.append((person, "child"))
        return PersonForm(prefix=PICK_PREFIX)
    if "create_person" in request.POST:
        if not policy.allowed(request.user, "people.add"):
            raise PermissionDenied
        finder = PersonForm(request.POST, prefix=PICK_PREFIX)
        if finder.is_valid():
            try:
                person = people_services.register_person(
                    finder.save(commit=False), actor=request.user
                )
            except ValidationError as error:
                finder.add_error(None, error)
            else:
                chosen.append((person, "child"))
                return PersonForm(prefix=PICK_PREFIX)
        return finder
    removed = request.POST.get("remove_person", "")
    chosen[:] = [(p, role) for p, role in chosen if str(p.pk) != removed]
    return PersonForm(prefix=PICK_PREFIX)


PEOPLE_BUTTONS = ("add_person", "create_person", "remove_person")


@requires("cases.intake")
def intake_create(request: HttpRequest) -> HttpResponse:
    chosen = _intake_people(request)
    # Started from another app's page (a partner's referral): it fills the form in.
    origin = (request.POST or request.GET).get("origin", "")[:100]
    prefill = origins.prefill_for(request.user, origin) if request.method == "GET" else {}
    looked_for = prefill.get("person", {})
    finder = PersonForm(prefix=PICK_PREFIX, initial=looked_for)
    municipality_id = request.user.municipality_id
    if any(button in request.POST for button in PEOPLE_BUTTONS):
        # Choosing persons re-shows the form as typed, without judging it yet.
        finder = _change_people(request, chosen)
        form = forms.IntakeForm(initial=request.POST.dict(), municipality_id=municipality_id)
        roles = forms.people_rows(chosen)
    else:
        form = forms.IntakeForm(
            request.POST or None, initial=prefill.get("intake"), municipality_id=municipality_id
        )
        roles = forms.people_rows(chosen, request.POST or None)
    if form.is_valid() and roles.is_valid():
        persons = {p.pk: p for p, _ in chosen}
        picked = [(persons[row["person"]], row["role"]) for row in roles.cleaned_data]
        try:
            intake = services.receive_intake(form.save(commit=False), picked, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            events.intake_received.send(
                sender=Intake, intake=intake, actor=request.user, origin=origin
            )
            messages.success(request, f"受付 {intake.number} を登録しました。")
            return redirect("cases:intake_detail", pk=intake.pk)
    return render(
        request,
        "cases/intake_form.html",
        {
            "form": form,
            "roles": roles,
            "rows": list(zip([p for p, _ in chosen], roles.forms, strict=True)),
            "finder": finder,
            "finder_fields": [finder[name] for name in FINDER_FIELDS],
            "origin": origin,
            "looked_for": bool(looked_for),
        },
    )


def _first_open_case(existing: list[selectors.PersonCases]) -> str:
    for found in existing:
        for case in found.cases:
            if case.status != Case.Status.CLOSED:
                return case.number
    return ""


@requires("cases.view")
def intake_detail(request: HttpRequest, pk: int) -> HttpResponse:
    intake = get_object_for_viewer(
        request, Intake.objects.select_related("category", "case", "received_by"), pk=pk
    )
    # Before deciding: the cases its persons already have (a worker once opened a second case,
    # and registered a second mother, because nothing said the child had one).
    existing = [
        selectors.cases_of_person(request.user, link.person)
        for link in intake.persons.select_related("person")
    ]
    return render(
        request,
        "cases/intake_detail.html",
        {
            "intake": intake,
            "persons": intake.persons.select_related("person"),
            "existing": existing,
            "open_form": forms.OpenCaseForm(),
            "join_form": forms.JoinCaseForm(initial={"number": _first_open_case(existing)}),
            "advice_form": forms.AdviceForm(),
            "may_decide": intake.outcome == Intake.Outcome.PENDING
            and policy.can_change(request.user, intake),
            "panels": panels.gather("intake", request, intake),
        },
    )


def _intake_decision(
    decide: Callable[[HttpRequest, Intake], Case | None],
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A view that posts one decision on an intake: ``decide(request, intake)`` returns the
    case it went on (shown next), or None (the intake is shown again)."""

    @require_POST
    @requires("cases.intake")
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        intake = get_object_for_viewer(request, Intake.objects.all(), pk=pk, purpose="受付の処理")
        try:
            case = decide(request, intake)
        except ValidationError as error:
            messages.error(request, message_of(error))
            return redirect("cases:intake_detail", pk=intake.pk)
        if case is None:
            return redirect("cases:intake_detail", pk=intake.pk)
        return redirect("cases:case_detail", pk=case.pk)

    return view


def _open(request: HttpRequest, intake: Intake) -> Case:
    form = forms.OpenCaseForm(request.POST)
    if not form.is_valid():
        raise ValidationError("ケース名を入力してください。")
    case = services.open_case(intake, title=form.cleaned_data["title"], actor=request.user)
    messages.success(request, f"ケース {case.number} を開始しました。")
    return case


def _join(request: HttpRequest, intake: Intake) -> Case:
    number = request.POST.get("number", "").strip()
    case = policy.scope(request.user, Case.objects.filter(number=number)).first()
    if case is None:
        raise ValidationError(f"ケース番号 {number} は見つからないか、閲覧できません。")
    services.join_case(intake, case, actor=request.user)
    messages.success(request, f"ケース {case.number} に追加しました。")
    return case


def _advice(request: HttpRequest, intake: Intake) -> None:
    services.close_with_advice(intake, request.POST.get("note", ""), actor=request.user)
    messages.success(request, "助言のみで終了しました。")


intake_open = _intake_decision(_open)
intake_join = _intake_decision(_join)
intake_advice = _intake_decision(_advice)


# --- cases ---------------------------------------------------------------------------------


@requires("cases.view")
def case_list(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    mine = request.GET.get("mine") == "1"
    cases = selectors.cases_for(request.user, text=text, status=status, mine=mine)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    log_bulk_access(request, Case, page.object_list, action=AccessLog.Action.SEARCH)
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "q": text,
            "status": status,
            "mine": mine,
            "statuses": Case.Status.choices,
            "query": query_without_page(request),
        },
    )


def _case_for(request: HttpRequest, pk: int, purpose: str = "") -> Case:
    """The case if the viewer may see it. A staff member outside it is offered
    break-the-glass instead of a bare 404."""
    try:
        return get_object_for_viewer(request, Case.objects.all(), pk=pk, purpose=purpose)
    except Http404:
        if selectors.case_behind_glass(request.user, pk) is not None:
            raise BreakGlassNeeded(pk) from None
        raise


class BreakGlassNeeded(Exception):
    def __init__(self, pk: int) -> None:
        self.pk = pk


@requires("cases.view")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        case = _case_for(request, pk)
    except BreakGlassNeeded:
        return redirect("cases:break_glass", pk=pk)
    all_kinds = selectors.timeline_kinds()
    kinds = {kind for kind in request.GET.getlist("kind") if kind in all_kinds}
    shown = request.GET.get("more", "1")
    shown = whole_number(shown, high=99) or 1
    timeline = selectors.timeline_for(request.user, case, kinds, limit=shown * TIMELINE_PAGE + 1)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "may_change": policy.can_change(request.user, case),
            "may_record": policy.may(request.user, "cases.activity", case),
            "persons": case.persons.select_related("person"),
            "units": case.units.filter(until=None).select_related("unit"),
            "assignments": case.assignments.filter(until=None).select_related("worker"),
            "organisations": case.organisations.filter(until=None).select_related("organisation"),
            "registrations": case.registrations.select_related("person", "continues"),
            "assessments": selectors.latest_assessments(request.user, case),
            "notes": selectors.restricted_notes_for(request.user, case),
            "timeline": timeline[: shown * TIMELINE_PAGE],
            "more": shown + 1 if len(timeline) > shown * TIMELINE_PAGE else None,
            "kinds": all_kinds,
            "chosen_kinds": kinds,
            "forms_available": AssessmentForm.objects.filter(is_current=True),
            "viewers": selectors.viewers_of(request.user, case),
            "panels": panels.gather("case", request, case),
        },
    )


@requires("cases.change")
def case_forms(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page's update forms, loaded when the worker opens them (htmx), or as a page
    of their own without JavaScript."""
    case = get_object_for_viewer(request, Case.objects.all(), pk=pk, purpose="ケースの更新")
    if not policy.can_change(request.user, case):
        raise PermissionDenied
    municipality_id = request.user.municipality_id
    version = services.case_version(case)
    staff = selectors.center_staff(request.user)
    partial = request.headers.get("HX-Request") == "true"
    return render(
        request,
        "cases/_case_forms.html" if partial else "cases/case_forms.html",
        {
            "case": case,
            "status_form": forms.CaseStatusForm(
                initial={"status": case.status, "version": version}
            ),
            "rank_form": forms.CaseRankForm(
                initial={
                    "rank": case.risk_rank,
                    "lead_agency": case.lead_agency,
                    "version": version,
                }
            ),
            "unit_form": forms.UnitForm(municipality_id=municipality_id),
            "organisation_form": forms.OrganisationForm(municipality_id=municipality_id),
            "registration_form": forms.RegistrationForm(case=case),
            "assignment_form": forms.AssignmentForm(staff=staff),
            "note_form": forms.RestrictedNoteForm(staff=selectors.case_staff(request.user, case)),
            "continue_form": forms.ContinueRegistrationForm(case=case),
            "review_form": forms.ReviewForm(
                initial={"version": version}, municipality=case.municipality
            ),
            "closure_form": forms.ClosureForm(),
            "reopen_form": forms.ReopenForm(initial={"version": version}),
            "pending_closure": case.closure_requests.filter(decided_at=None).first(),
            "may_register": policy.allowed(request.user, "cases.register"),
            "has_registrations": case.registrations.filter(ended_on=None).exists(),
        },
    )


@requires("cases.activity")
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_for_viewer(request, Case.objects.all(), pk=pk, purpose="支援記録の入力")
    if not policy.may(request.user, "cases.activity", case):
        raise PermissionDenied  # e.g. a case read by break-the-glass (緊急閲覧 reads only)
    form = forms.ActivityForm(
        request.POST or None, case=case, staff=selectors.center_staff(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        activity = form.save(commit=False)
        try:
            services.record_activity(
                case,
                activity,
                participants=data["participants"],
                persons_met=data["persons_met"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "支援記録を保存しました。")
            return redirect("cases:case_detail", pk=case.pk)
    return render(request, "cases/activity_form.html", {"form": form, "case": case})


M2M_FIELDS = ("participants", "persons_met")


@requires("cases.activity")
def activity_edit(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    """Its author corrects an activity within 24 hours; after that (or for anyone else) the
    same form records an amendment (訂正) and leaves the original as it was."""
    case = get_object_for_viewer(request, Case.objects.all(), pk=pk, purpose="支援記録の訂正")
    original = get_object_for_viewer(
        request, case.activities.all(), pk=activity_pk, purpose="支援記録の訂正"
    )
    editing = policy.may(request.user, "cases.activity_correct", original) and original.is_editable
    staff = selectors.center_staff(request.user)
    if editing:
        form = forms.ActivityForm(request.POST or None, instance=original, case=case, staff=staff)
    else:
        form = forms.ActivityForm(
            request.POST or None, initial=_copied(original), case=case, staff=staff
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if editing:
                changes = {k: v for k, v in data.items() if k not in (*M2M_FIELDS, "version")}
                services.edit_activity(
                    original,
                    seen_version=data["version"],
                    participants=data["participants"],
                    persons_met=data["persons_met"],
                    **changes,
                    actor=request.user,
                )
            else:
                services.amend_activity(
                    original,
                    form.save(commit=False),
                    participants=data["participants"],
                    persons_met=data["persons_met"],
                    actor=request.user,
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = "支援記録を修正しました。" if editing else "訂正を記録しました。"
            messages.success(request, done)
            return redirect("cases:case_detail", pk=case.pk)
    if editing and not form.is_bound:
        form.initial["version"] = version_of(original)
    return render(
        request,
        "cases/activity_form.html",
        {"form": form, "case": case, "original": original, "editing": editing},
    )


def _copied(activity: Activity) -> dict:
    """An amendment starts from the original's content, to be corrected."""
    fields = ["kind", "occurred_at", "child_seen", "content", "next_action", "next_action_due"]
    initial = {name: getattr(activity, name) for name in fields}
    initial["participants"] = list(activity.participants.values_list("pk", flat=True))
    initial["persons_met"] = list(activity.persons_met.values_list("pk", flat=True))
    return initial


@requires("cases.change")
def assessment_create(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    case = get_object_for_viewer(request, Case.objects.all(), pk=pk, purpose="アセスメント")
    definition = AssessmentForm.objects.filter(kind=kind, is_current=True).first()
    if definition is None:
        raise Http404
    form = forms.assessment_form_class(definition)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = {k: v for k, v in form.cleaned_data.items() if k != "notes"}
        try:
            done = services.record_assessment(
                case, definition, answers, notes=form.cleaned_data["notes"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{definition.title}: {done.level}")
            return redirect("cases:case_detail", pk=case.pk)
    return render(
        request,
        "cases/assessment_form.html",
        {"form": form, "case": case, "definition": definition},
    )


@requires("cases.break_glass")
def break_glass(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_behind_glass(request.user, pk)
    if case is None:
        # Visible already (go to it), or not there for this viewer (a 404 reveals nothing).
        if Case.objects.filter(pk=pk).exists() and policy.can_view(request.user, Case(pk=pk)):
            return redirect("cases:case_detail", pk=pk)
        raise Http404
    form = forms.BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.break_glass(case, form.cleaned_data["reason"], actor=request.user)
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            log_access(request, case, purpose=f"緊急閲覧: {form.cleaned_data['reason'][:150]}")
            messages.warning(request, "緊急閲覧を開始しました(3時間)。この閲覧は記録されます。")
            return redirect("cases:case_detail", pk=pk)
    return render(request, "cases/break_glass.html", {"form": form, "number": case.number})


@requires("cases.view")
def due_list(request: HttpRequest) -> HttpResponse:
    """What the viewer must do, what must happen first on top (Due.order), with counts per
    kind and filters by kind, worker and unit."""
    everything = selectors.DueItems(request.user)
    form = forms.DueFilterForm(
        request.GET or None,
        staff=selectors.center_staff(request.user),
        municipality_id=request.user.municipality_id,
    )
    filters = selectors.DueFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.DueFilters(
            kind=data["kind"],
            worker=data["worker"].pk if data["worker"] else None,
            unit=data["unit"].pk if data["unit"] else None,
        )
    number = whole_number(request.GET.get("page"), high=999) or 1
    # Only as many of each kind as the pages up to this one need, plus one to know of a next;
    # the counts are of everything the viewer has (without the worker or unit chosen).
    chosen = everything
    if not everything.narrowed_as(filters):
        chosen = selectors.DueItems(request.user, filters)
    items = chosen.first(limit=number * PAGE_SIZE + 1, kind=filters.kind)
    counts = everything.counts()
    form.show_counts(counts)
    page = Paginator(items, PAGE_SIZE).get_page(number)
    log_bulk_access(
        request,
        Case,
        [item.case for item in page.object_list if item.case],
        action=AccessLog.Action.LIST,
        purpose="期限の近い対応",
    )
    context = {
        "page": page,
        "form": form,
        "counts": [(selectors.due_kinds()[k], n) for k, n in counts.items()],
        "query": query_without_page(request),
    }
    return render(request, "cases/due_list.html", context)


@requires("cases.register")
def register(request: HttpRequest) -> HttpResponse:
    registrations = selectors.register_for(request.user)
    page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    log_bulk_access(
        request,
        Case,
        [r.case for r in page.object_list],
        action=AccessLog.Action.LIST,
        purpose="進行管理台帳",
    )
    return render(request, "cases/register.html", {"page": page, "today": timezone.localdate()})


@requires("cases.register_export")
def register_export(request: HttpRequest) -> HttpResponse:
    registrations = list(selectors.register_for(request.user))
    log_bulk_access(
        request,
        Case,
        [r.case for r in registrations],
        action=AccessLog.Action.EXPORT,
        purpose="進行管理台帳(Excel)",
    )
    return exports.register_xlsx(registrations)


@requires("cases.approve_closure")
def closure_list(request: HttpRequest) -> HttpResponse:
    """The closures waiting for the supervisor's decision, oldest first, with the recent
    decisions below."""
    requests = selectors.closure_requests_for(request.user)
    pending = requests.filter(decided_at=None).order_by("requested_at")
    log_bulk_access(
        request, Case, [r.case for r in pending], action=AccessLog.Action.LIST, purpose="終結の承認"
    )
    return render(
        request,
        "cases/closure_list.html",
        {
            "pending": [(r, forms.ClosureDecisionForm(prefix=f"c{r.pk}")) for r in pending],
            "decided": requests.exclude(decided_at=None).order_by("-decided_at")[:PAGE_SIZE],
        },
    )


@require_POST
@requires("cases.approve_closure")
def closure_decide(request: HttpRequest, pk: int) -> HttpResponse:
    closure = get_object_for_viewer(
        request, selectors.closure_requests_for(request.user), pk=pk, purpose="終結の承認"
    )
    form = forms.ClosureDecisionForm(request.POST, prefix=f"c{closure.pk}")
    try:
        if not form.is_valid():
            raise ValidationError("承認するかどうかを選んでください。")
        services.decide_closure(
            closure,
            approve=form.cleaned_data["approve"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, f"{closure.case.number}: {message_of(error)}")
    else:
        done = "終結を承認しました" if form.cleaned_data["approve"] else "終結を承認しませんでした"
        messages.success(request, f"{closure.case.number}: {done}。")
    return redirect("cases:closure_list")


@requires("cases.audit")
def break_glass_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.break_glass_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "cases/break_glass_list.html", {"page": page})


@requires("cases.view")
def intake_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The intake sheet (受付票) as an A4 PDF."""
    intake = get_object_for_viewer(
        request,
        Intake.objects.select_related("category", "received_by", "unit", "source_organisation"),
        pk=pk,
        purpose="受付票の印刷",
    )
    log_access(request, intake, action=AccessLog.Action.PRINT, purpose="受付票")
    links = intake.persons.select_related("person")
    response = HttpResponse(printing.intake_sheet(intake, links), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="intake-{intake.number}.pdf"'
    return response
