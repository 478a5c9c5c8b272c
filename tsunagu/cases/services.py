"""Writing cases: one function per domain action. simple-history records who changed what."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.core.fiscal import fiscal_year_of
from tsunagu.core.history import (
    as_actor,
    get_or_create_as,
    refuse_if_stale,
    save_each_as,
    version_of,
)
from tsunagu.core.models import Municipality, Organisation
from tsunagu.core.roles import CENTER_ROLES
from tsunagu.people import services as people_services
from tsunagu.people.models import Person

from . import events
from .models import (
    Activity,
    Assessment,
    AssessmentForm,
    Assignment,
    BreakGlass,
    Case,
    CaseOrganisation,
    CasePerson,
    CaseStatusChange,
    CaseUnit,
    ClosureRequest,
    Intake,
    IntakePerson,
    Registration,
    RestrictedNote,
    RiskRankChange,
)

BREAK_GLASS_HOURS = 3


def next_number(municipality_id: int, model: type[Model], on: date) -> str:
    """The next number of the fiscal year (April–March) in the model's series: intakes
    2026-00042, cases C2026-00007 (``model.NUMBER_PREFIX``), unique per municipality."""
    # Lock the municipality row: two saves at once must not take the same number.
    Municipality.objects.select_for_update().get(pk=municipality_id)
    prefix = f"{model.NUMBER_PREFIX}{fiscal_year_of(on)}-"
    last = model.objects.filter(
        municipality_id=municipality_id, number__startswith=prefix
    ).aggregate(last=Max("number"))["last"]
    return f"{prefix}{int(last[len(prefix) :]) + 1 if last else 1:05d}"


# --- intake ------------------------------------------------------------------------------


@transaction.atomic
def receive_intake(
    intake: Intake,
    persons: list[tuple[Person, str]],
    *,
    actor: User,
    for_unit: Organisation | None = None,
) -> Intake:
    """A consultation or report received by the actor's unit, or passed by the actor to
    ``for_unit``, another unit of the city's center (a nurse raising a child to child welfare).
    An abuse report gets its safety-check deadline (48 hours).

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    policy.require(actor, "cases.intake")
    if for_unit and (
        for_unit.municipality_id != actor.municipality_id
        or for_unit.kind not in Organisation.CENTER_UNITS
    ):
        raise ValidationError("受付を回せるのはセンターの部署だけです。")
    intake.municipality_id = actor.municipality_id
    intake.received_by = actor
    intake.unit = for_unit or actor.organisation
    intake.number = next_number(actor.municipality_id, Intake, timezone.localdate())
    if intake.category_id and intake.category.is_abuse:
        intake.is_abuse_report = True
    if intake.is_abuse_report and not intake.safety_check_due:
        intake.safety_check_due = intake.due_for_safety_check()
    intake.full_clean()
    as_actor(actor, intake).save()
    for person, role in persons:
        policy.require_visible(actor, person)
        IntakePerson.objects.create(intake=intake, person=person, role=role)
    return intake


@transaction.atomic
def open_case(intake: Intake, *, actor: User, title: str) -> Case:
    """A new case for the intake's family, worked on by the actor's unit, the actor its key
    person.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    intake = _pending(intake, actor=actor)
    today = timezone.localdate()
    case = Case(
        municipality_id=actor.municipality_id,
        number=next_number(actor.municipality_id, Case, today),
        title=title,
        opened_on=today,
    )
    case.full_clean()
    as_actor(actor, case).save()
    CaseStatusChange.objects.create(
        case=case,
        status=Case.Status.RECEIVED,
        reason=f"受付 {intake.number}",
        changed_at=timezone.now(),
        changed_by=actor,
    )
    as_actor(actor, CaseUnit(case=case, unit=actor.organisation, since=today)).save()
    as_actor(actor, Assignment(case=case, worker=actor, is_key_person=True, since=today)).save()
    _attach(intake, case, Intake.Outcome.NEW_CASE, actor=actor)
    return case


@transaction.atomic
def join_case(intake: Intake, case: Case, *, actor: User) -> Case:
    """The intake concerns a family that already has a case: it goes on that case.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    intake = _pending(intake, actor=actor)
    policy.require(actor, "cases.change", case)
    _attach(intake, case, Intake.Outcome.JOINED, actor=actor)
    return case


@transaction.atomic
def close_with_advice(intake: Intake, note: str = "", *, actor: User) -> Intake:
    """The intake ends with advice only (never an abuse report).

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    intake = _pending(intake, actor=actor)
    if intake.is_abuse_report:
        raise ValidationError("虐待通告は助言のみで終了できません。ケースを開始してください。")
    intake.outcome = Intake.Outcome.ADVICE
    if note:
        intake.summary = f"{intake.summary}\n\n【対応】{note}"
    as_actor(actor, intake).save(update_fields=["outcome", "summary"])
    return intake


def _pending(intake: Intake, *, actor: User) -> Intake:
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    policy.require(actor, "cases.change", intake)
    if intake.outcome != Intake.Outcome.PENDING:
        raise ValidationError("この受付はすでに処理されています。")
    return intake


def _attach(intake: Intake, case: Case, outcome: str, *, actor: User) -> None:
    intake.case, intake.outcome = case, outcome
    as_actor(actor, intake).save(update_fields=["case", "outcome"])
    for link in intake.persons.select_related("person"):
        get_or_create_as(
            actor, CasePerson, case=case, person=link.person, defaults={"role": link.role}
        )
    _known_to_case_units(case, actor=actor)


def _known_to_case_units(case: Case, *, actor: User) -> None:
    """Every unit on the case holds records about its persons (people's need-to-know)."""
    units = Organisation.objects.filter(pk__in=case.units.filter(until=None).values("unit"))
    for person in Person.objects.filter(case_roles__case=case):
        for unit in units:
            people_services.record_known_to(person, unit, actor=actor)


# --- the case ------------------------------------------------------------------------------


def case_version(case: Case) -> int:
    return version_of(case)


def _fresh(case: Case, seen_version: int | None, *, actor: User) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    policy.require(actor, "cases.change", locked)
    refuse_if_stale(locked, seen_version, "このケース")
    return locked


@transaction.atomic
def change_status(
    case: Case, status: str, *, actor: User, reason: str, seen_version: int | None = None
) -> Case:
    """A new status of an open case, with its reason (kept in the status history). Closing
    goes through ``request_closure`` and the supervisor's approval, re-opening through
    ``reopen_case``.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    case = _fresh(case, seen_version, actor=actor)
    if status == case.status:
        return case
    if status == Case.Status.CLOSED:
        raise ValidationError("終結は「終結の申請」から、統括支援員の承認を得て行います。")
    if case.status == Case.Status.CLOSED:
        raise ValidationError("終結したケースは「ケースの再開」から再開してください。")
    return _move(case, status, reason, actor=actor)


def _move(case: Case, status: str, reason: str, *, actor: User) -> Case:
    case.status = status
    case.closed_on = timezone.localdate() if status == Case.Status.CLOSED else None
    as_actor(actor, case).save()
    CaseStatusChange.objects.create(
        case=case, status=status, reason=reason, changed_at=timezone.now(), changed_by=actor
    )
    return case


# --- closing and re-opening ------------------------------------------------------------------


@transaction.atomic
def request_closure(case: Case, reason: str, *, actor: User) -> ClosureRequest:
    """Ask the supervisor to close the case (終結), with the reason.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the case is closed already, a request is pending, or no reason is given."""
    case = _fresh(case, None, actor=actor)
    if not reason.strip():
        raise ValidationError("終結の理由を入力してください。")
    if case.status == Case.Status.CLOSED:
        raise ValidationError("このケースはすでに終結しています。")
    if case.closure_requests.filter(decided_at=None).exists():
        raise ValidationError("このケースの終結はすでに申請されています。")
    request = ClosureRequest(
        case=case, reason=reason.strip(), requested_by=actor, requested_at=timezone.now()
    )
    as_actor(actor, request).save()
    return request


@transaction.atomic
def decide_closure(
    request: ClosureRequest, *, actor: User, approve: bool, note: str = ""
) -> ClosureRequest:
    """The supervisor approves the closure (the case closes, and with it its open items) or
    refuses it (the case stays open; the note says why).

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the request was decided already or a refusal has no note."""
    request = ClosureRequest.objects.select_for_update().get(pk=request.pk)
    policy.require(actor, "cases.approve_closure", request.case)
    if request.decided_at:
        raise ValidationError("この申請はすでに決定されています。")
    if not approve and not note.strip():
        raise ValidationError("承認しない理由を入力してください。")
    request.approved, request.decided_by, request.decided_at = approve, actor, timezone.now()
    request.decision_note = note.strip()
    as_actor(actor, request).save()
    if approve:
        _close(request.case, request.reason, actor=actor)
    return request


@transaction.atomic
def close_case(case: Case, reason: str, *, actor: User) -> ClosureRequest:
    """The supervisor closes a case at once (e.g. a 移管 completed): an approved request of
    their own, so every closure has the same record.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) as ``request_closure``."""
    policy.require(actor, "cases.approve_closure", case)
    pending = case.closure_requests.filter(decided_at=None).first()
    request = pending or request_closure(case, reason, actor=actor)
    return decide_closure(request, approve=True, note=reason, actor=actor)


def _close(case: Case, reason: str, *, actor: User) -> None:
    """Close the case and what is open on it: its council registrations end, its next actions
    are settled, and higher apps close their own items (``events.case_closed``)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _move(case, Case.Status.CLOSED, reason, actor=actor)
    today = timezone.localdate()
    save_each_as(
        actor, case.registrations.filter(ended_on=None), ended_on=today, end_reason="ケース終結"
    )
    save_each_as(actor, case.activities.filter(next_action_done=False), next_action_done=True)
    events.case_closed.send(sender=Case, case=case, actor=actor)


@transaction.atomic
def reopen_case(case: Case, reason: str, *, actor: User, seen_version: int | None = None) -> Case:
    """Re-open a closed case, with the reason; its history stays as it was.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the case is open or no reason is given."""
    case = _fresh(case, seen_version, actor=actor)
    if case.status != Case.Status.CLOSED:
        raise ValidationError("このケースは終結していません。")
    if not reason.strip():
        raise ValidationError("再開の理由を入力してください。")
    return _move(case, Case.Status.SUPPORTING, reason.strip(), actor=actor)


@transaction.atomic
def change_rank(
    case: Case, rank: str, *, actor: User, reason: str = "", seen_version: int | None = None
) -> Case:
    """A new risk rank of the case, with its reason (kept in the rank history).

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    case = _fresh(case, seen_version, actor=actor)
    case.risk_rank = rank
    as_actor(actor, case).save()
    RiskRankChange.objects.create(
        case=case, rank=rank, reason=reason, changed_at=timezone.now(), changed_by=actor
    )
    return case


@transaction.atomic
def set_lead_agency(case: Case, lead: str, *, actor: User, seen_version: int | None = None) -> Case:
    """The case's lead agency (city, child guidance center, or both).

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    case = _fresh(case, seen_version, actor=actor)
    case.lead_agency = lead
    as_actor(actor, case).save()
    return case


@transaction.atomic
def add_unit(case: Case, unit: Organisation, *, actor: User) -> CaseUnit:
    """Share the case with another unit of the center; its staff see it and its persons.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    case = _fresh(case, None, actor=actor)
    if unit.kind not in Organisation.CENTER_UNITS or unit.municipality_id != case.municipality_id:
        raise ValidationError("センターの係を選んでください。")
    link, created = get_or_create_as(
        actor, CaseUnit, case=case, unit=unit, defaults={"since": timezone.localdate()}
    )
    if not created and link.until:
        link.until = None  # the unit comes back to the case
        as_actor(actor, link).save(update_fields=["until"])
    _known_to_case_units(case, actor=actor)
    return link


@transaction.atomic
def assign_worker(case: Case, worker: User, *, actor: User, key_person: bool = False) -> Assignment:
    """A worker of the center on the case; as key person, the former key person steps down.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    case = _fresh(case, None, actor=actor)
    if worker.municipality_id != case.municipality_id or worker.role not in CENTER_ROLES:
        raise ValidationError("センターの職員を選んでください。")
    if key_person:
        keys = case.assignments.filter(is_key_person=True, until=None).exclude(worker=worker)
        save_each_as(actor, keys, is_key_person=False)
    assignment, created = get_or_create_as(
        actor,
        Assignment,
        case=case,
        worker=worker,
        until=None,
        defaults={"is_key_person": key_person, "since": timezone.localdate()},
    )
    if not created and key_person and not assignment.is_key_person:
        assignment.is_key_person = True
        as_actor(actor, assignment).save(update_fields=["is_key_person"])
    return assignment


@transaction.atomic
def involve_organisation(
    case: Case, organisation: Organisation, role: str, *, actor: User
) -> CaseOrganisation:
    """An outside organisation on the case, with its role (lead, co-working, …).

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    case = _fresh(case, None, actor=actor)
    if organisation.municipality_id != case.municipality_id:
        raise ValidationError("この市区町村の機関を選んでください。")
    link = CaseOrganisation(
        case=case, organisation=organisation, role=role, since=timezone.localdate()
    )
    link.full_clean()
    as_actor(actor, link).save()
    return link


# --- council registration ----------------------------------------------------------------


@transaction.atomic
def register_with_council(
    case: Case, person: Person, category: str, *, actor: User, on: date
) -> Registration:
    """A person of the case registered with the council (要対協) in a category.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    policy.require(actor, "cases.register", case)
    case = _fresh(case, None, actor=actor)
    if not case.persons.filter(person=person).exists():
        raise ValidationError("このケースの関係者を登録してください。")
    if Registration.objects.filter(person=person, ended_on=None).exists():
        raise ValidationError("この人はすでに登録されています。区分の変更をしてください。")
    registration = Registration(case=case, person=person, category=category, registered_on=on)
    registration.full_clean()
    as_actor(actor, registration).save()
    if case.next_review_on is None:
        case.next_review_on = case.municipality.next_review_after(on)
        as_actor(actor, case).save()
    return registration


@transaction.atomic
def continue_registration(
    registration: Registration, *, actor: User, person: Person, category: str, on: date, reason: str
) -> Registration:
    """End a registration and continue it in another category or for another person (an
    expectant mother's registration continuing as her newborn's support registration).

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    policy.require(actor, "cases.register", registration)
    if registration.ended_on:
        raise ValidationError("終了した登録は引き継げません。")
    registration.ended_on, registration.end_reason = on, reason
    as_actor(actor, registration).save(update_fields=["ended_on", "end_reason"])
    if not registration.case.persons.filter(person=person).exists():
        as_actor(actor, CasePerson(case=registration.case, person=person, role="child")).save()
        _known_to_case_units(registration.case, actor=actor)
    following = Registration(
        case=registration.case,
        person=person,
        category=category,
        registered_on=on,
        continues=registration,
        last_reviewed_on=registration.last_reviewed_on,
    )
    following.full_clean()
    as_actor(actor, following).save()
    return following


@transaction.atomic
def record_review(
    case: Case,
    *,
    actor: User,
    reviewed_on: date,
    next_on: date | None,
    seen_version: int | None = None,
) -> Case:
    """A periodic review (進行管理) of a registered case: every open registration of the case is
    reviewed on that day, and the case shows when it is due again.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    policy.require(actor, "cases.register", case)
    case = _fresh(case, seen_version, actor=actor)
    if next_on and next_on <= reviewed_on:
        raise ValidationError("次回の進行管理は、今回より後の日付にしてください。")
    for registration in case.registrations.filter(ended_on=None):
        registration.last_reviewed_on = reviewed_on
        as_actor(actor, registration).save(update_fields=["last_reviewed_on"])
    case.next_review_on = next_on
    as_actor(actor, case).save()
    return case


# --- activities and assessments ------------------------------------------------------------


@transaction.atomic
def record_activity(
    case: Case,
    activity: Activity,
    *,
    actor: User,
    participants: Iterable[User] = (),
    persons_met: Iterable[Person] = (),
) -> Activity:
    """An activity (支援記録) on the case by the actor; a sighting of the child settles the
    open safety checks received before it.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    policy.require(actor, "cases.activity", case)  # 緊急閲覧 (break-the-glass) reads only
    activity.case, activity.author = case, actor
    activity.full_clean()
    as_actor(actor, activity).save()
    activity.participants.set({actor, *participants})
    activity.persons_met.set(persons_met)
    if activity.child_seen:
        _safety_checked(case, activity.occurred_at, actor=actor)
    return activity


def _safety_checked(case: Case, seen_at: datetime, *, actor: User) -> None:
    """A sighting of the child settles the open safety checks of reports received before it."""
    open_checks = case.intakes.filter(
        is_abuse_report=True, safety_checked_at=None, received_at__lte=seen_at
    )
    save_each_as(actor, open_checks, safety_checked_at=seen_at)


@transaction.atomic
def edit_activity(
    activity: Activity,
    *,
    actor: User,
    seen_version: int | None = None,
    participants: Iterable[User] | None = None,
    persons_met: Iterable[Person] | None = None,
    **changes: object,
) -> Activity:
    """Its author may correct an activity for 24 hours; later, only by amend_activity.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    policy.require(actor, "cases.activity_correct", activity)
    if not activity.is_editable:
        raise ValidationError(
            "記録から24時間を過ぎたため直接は修正できません。訂正の記録を追加してください。"
        )
    refuse_if_stale(activity, seen_version, "この支援記録")
    for field, value in changes.items():
        setattr(activity, field, value)
    activity.full_clean()
    as_actor(actor, activity).save()
    if participants is not None:
        activity.participants.set({actor, *participants})
    if persons_met is not None:
        activity.persons_met.set(persons_met)
    if activity.child_seen:
        _safety_checked(activity.case, activity.occurred_at, actor=actor)
    return activity


@transaction.atomic
def amend_activity(
    original: Activity,
    amendment: Activity,
    *,
    actor: User,
    participants: Iterable[User] = (),
    persons_met: Iterable[Person] = (),
) -> Activity:
    """A correction recorded as a new activity; the original stays as it was."""
    amendment.amends = original
    amendment.kind = amendment.kind or original.kind
    return record_activity(
        original.case, amendment, participants=participants, persons_met=persons_met, actor=actor
    )


@transaction.atomic
def record_assessment(
    case: Case,
    form: AssessmentForm,
    answers: dict,
    *,
    actor: User,
    person: Person | None = None,
    notes: str = "",
) -> Assessment:
    """An assessment of the case from a versioned item set, with its level.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    policy.require(actor, "cases.change", case)
    unknown = set(answers) - set(form.item_codes())
    if unknown:
        raise ValidationError(f"様式にない項目があります: {', '.join(sorted(unknown))}")
    assessment = Assessment(
        case=case,
        form=form,
        person=person,
        answers=answers,
        level=form.level_for(answers),
        notes=notes,
        assessed_on=timezone.localdate(),
        assessed_by=actor,
    )
    assessment.full_clean()
    as_actor(actor, assessment).save()
    return assessment


# --- restricted notes and break-the-glass ----------------------------------------------------


@transaction.atomic
def write_restricted_note(
    case: Case, text: str, readers: Iterable[User], *, actor: User
) -> RestrictedNote:
    """A note only the named readers (and its writer) may read.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    policy.require(actor, "cases.change", case)
    note = RestrictedNote(case=case, text=text, written_by=actor)
    note.full_clean()
    as_actor(actor, note).save()
    note.readers.set({actor, *readers})
    return note


@transaction.atomic
def break_glass(
    case: Case, reason: str, hours: int = BREAK_GLASS_HOURS, *, actor: User
) -> BreakGlass:
    """Open a case outside one's access: only with a reason, for a limited time, listed to the
    supervisor.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    policy.require(actor, "cases.break_glass", case)
    if len(reason.strip()) < 10:
        raise ValidationError("閲覧が必要な理由を具体的に入力してください(10文字以上)。")
    now = timezone.now()
    return BreakGlass.objects.create(
        case=case,
        user=actor,
        reason=reason.strip(),
        started_at=now,
        expires_at=now + timedelta(hours=hours),
    )
