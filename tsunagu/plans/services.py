"""Writing plans, conferences and hand-offs: one function per domain action. Decisions that
change a case go through the cases app's own services, so the case's history names them."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.cases import services as case_services
from tsunagu.cases.models import (
    Activity,
    Case,
    CaseOrganisation,
    CasePerson,
    ConsultationCategory,
    Intake,
)
from tsunagu.core.history import as_actor, refuse_if_stale, save_each_as, version_of
from tsunagu.core.models import Organisation
from tsunagu.people import services as people_services
from tsunagu.people.models import Person, Sex

from .models import (
    ActionItem,
    Attendee,
    Conference,
    Discussion,
    HandOff,
    HandOffDocument,
    PlanItem,
    PlanTask,
    SupportPlan,
)
from .summary import check_summary, date_of

# --- support plans -----------------------------------------------------------------------

PLAN_FIELDS = (
    "child_wishes",
    "guardian_wishes",
    "needs",
    "strengths",
    "goal_short",
    "goal_long",
    "staff_notes",
    "review_on",
    "agreed_on",
    "agreement",
    "agreed_by",
)


def plan_version(plan: SupportPlan) -> int:
    return version_of(plan)


@transaction.atomic
def start_plan(case: Case, *, actor: User, note: str = "") -> SupportPlan:
    """A new draft version of the case's plan, a copy of the latest version (its items and
    who does what), or an empty first version. ``note`` is added to the staff notes (e.g. the
    conference decision that asked for the change).

    Raises PermissionDenied when the policy refuses the actor; ValidationError (in Japanese)
    when the case is closed or a version is being drafted or waiting for approval."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    policy.require(actor, "plans.change", case)
    if case.status == Case.Status.CLOSED:
        raise ValidationError("終結したケースにはプランを作れません。")
    if case.plans.filter(status__in=SupportPlan.OPEN).exists():
        raise ValidationError("作成中または承認待ちの版があります。その版を編集してください。")
    latest = case.plans.order_by("-version").first()
    plan = SupportPlan(case=case, version=(latest.version + 1) if latest else 1, drafted_by=actor)
    if latest:
        plan.based_on = latest
        for field in PLAN_FIELDS:
            setattr(plan, field, getattr(latest, field))
        plan.agreed_on, plan.agreement, plan.agreed_by = None, "", ""
    if note:
        plan.staff_notes = f"{plan.staff_notes}\n{note}".strip()
    as_actor(actor, plan).save()
    if latest:
        for item in latest.items.all():
            item.pk, item.plan = None, plan
            as_actor(actor, item).save()
        for task in latest.tasks.all():
            task.pk, task.plan = None, plan
            as_actor(actor, task).save()
    return plan


def _draft(plan: SupportPlan, *, actor: User, seen_version: int | None = None) -> SupportPlan:
    plan = SupportPlan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    policy.require(actor, "plans.change", plan.case)
    if not plan.is_editable:
        raise ValidationError(
            "この版は承認待ちか承認済みのため変更できません。新しい版を作ってください。"
        )
    refuse_if_stale(plan, seen_version, "このプラン")
    return plan


@transaction.atomic
def edit_plan(
    plan: SupportPlan, *, actor: User, seen_version: int | None = None, **changes: object
) -> SupportPlan:
    """Change the draft's wishes, needs, strengths, goals, notes, review date or the family's
    agreement (fields of PLAN_FIELDS).

    Raises PermissionDenied; ValidationError when the version is not a draft any more or
    someone saved it after ``seen_version``."""
    plan = _draft(plan, actor=actor, seen_version=seen_version)
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"not plan fields: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(plan, field, value)
    plan.full_clean()
    as_actor(actor, plan).save()
    return plan


@transaction.atomic
def add_plan_item(plan: SupportPlan, item: PlanItem, *, actor: User) -> PlanItem:
    """A service or resource on the draft: one of the catalogue, an entry of the community
    directory, or another support by name.

    Raises PermissionDenied; ValidationError when the kind's own field is missing or the
    person is not on the case."""
    plan = _draft(plan, actor=actor)
    chosen = {
        PlanItem.Kind.CATALOGUE: item.service_id,
        PlanItem.Kind.DIRECTORY: item.resource_id,
        PlanItem.Kind.OTHER: item.name.strip(),
    }
    if not chosen.get(item.kind):
        raise ValidationError(
            "サービス・地域資源・名称のいずれかを選んでください(種類に合わせて)。"
        )
    if item.resource_id:
        policy.require_visible(actor, item.resource)
    if item.person_id and not plan.case.persons.filter(person=item.person_id).exists():
        raise ValidationError("対象者はこのケースの関係者から選んでください。")
    if item.starts_on and item.ends_on and item.ends_on < item.starts_on:
        raise ValidationError("終了日は開始日より後にしてください。")
    item.plan = plan
    item.order = plan.items.count() + 1
    item.full_clean()
    as_actor(actor, item).save()
    return item


@transaction.atomic
def remove_plan_item(item: PlanItem, *, actor: User) -> None:
    """Take an item off the draft. Raises PermissionDenied; ValidationError if not a draft."""
    _draft(item.plan, actor=actor)
    as_actor(actor, item).delete()


@transaction.atomic
def add_plan_task(plan: SupportPlan, task: PlanTask, *, actor: User) -> PlanTask:
    """Who does what (役割分担) on the draft. Raises PermissionDenied; ValidationError."""
    plan = _draft(plan, actor=actor)
    task.plan = plan
    task.order = plan.tasks.count() + 1
    task.full_clean()
    as_actor(actor, task).save()
    return task


@transaction.atomic
def remove_plan_task(task: PlanTask, *, actor: User) -> None:
    """Take a role off the draft. Raises PermissionDenied; ValidationError if not a draft."""
    _draft(task.plan, actor=actor)
    as_actor(actor, task).delete()


@transaction.atomic
def submit_plan(plan: SupportPlan, *, actor: User, seen_version: int | None = None) -> SupportPlan:
    """Send the draft to the supervisor for approval.

    Raises PermissionDenied; ValidationError (in Japanese) listing what the plan still lacks:
    a goal, an item, the review date, the family's agreement."""
    plan = _draft(plan, actor=actor, seen_version=seen_version)
    missing = [
        label
        for label, present in (
            ("短期目標", plan.goal_short.strip()),
            ("支援内容(1件以上)", plan.items.exists()),
            ("見直し予定日", plan.review_on),
            ("家族の同意(日付・方法・同意した人)", plan.agreed_on and plan.agreement),
        )
        if not present
    ]
    if missing:
        raise ValidationError("承認を申請する前に入力してください: " + "、".join(missing))
    plan.status, plan.submitted_at, plan.return_note = (
        SupportPlan.Status.SUBMITTED,
        timezone.now(),
        "",
    )
    as_actor(actor, plan).save()
    return plan


def _submitted(plan: SupportPlan, *, actor: User) -> SupportPlan:
    plan = SupportPlan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    policy.require(actor, "plans.approve", plan)
    if plan.status != SupportPlan.Status.SUBMITTED:
        raise ValidationError("この版は承認待ちではありません。")
    return plan


@transaction.atomic
def approve_plan(plan: SupportPlan, *, actor: User) -> SupportPlan:
    """The supervisor approves the version: it is in force from now and never changes; the
    version it replaces is superseded.

    Raises PermissionDenied unless the actor is the supervisor; ValidationError when the
    version is not waiting for approval."""
    plan = _submitted(plan, actor=actor)
    today = timezone.localdate()
    in_force = plan.case.plans.filter(status=SupportPlan.Status.APPROVED)
    save_each_as(actor, in_force, status=SupportPlan.Status.SUPERSEDED, ended_on=today)
    plan.status, plan.approved_by, plan.approved_at = (
        SupportPlan.Status.APPROVED,
        actor,
        timezone.now(),
    )
    as_actor(actor, plan).save()
    return plan


@transaction.atomic
def return_plan(plan: SupportPlan, note: str, *, actor: User) -> SupportPlan:
    """The supervisor sends the version back to its drafter, saying what to change.

    Raises PermissionDenied; ValidationError when there is no note or nothing to return."""
    plan = _submitted(plan, actor=actor)
    if not note.strip():
        raise ValidationError("差し戻す理由を入力してください。")
    plan.status, plan.return_note, plan.submitted_at = SupportPlan.Status.DRAFT, note.strip(), None
    as_actor(actor, plan).save()
    return plan


def close_open_items(case: Case, *, actor: User) -> None:
    """A closed case's plans end and its open action items are cancelled (called when the
    case closes, inside its transaction)."""
    today = timezone.localdate()
    plans = case.plans.exclude(
        status__in=(SupportPlan.Status.SUPERSEDED, SupportPlan.Status.CLOSED)
    )
    save_each_as(actor, plans, status=SupportPlan.Status.CLOSED, ended_on=today)
    items = case.action_items.filter(status=ActionItem.Status.OPEN)
    save_each_as(actor, items, status=ActionItem.Status.CANCELLED, result="ケース終結により終了")


# --- conferences ---------------------------------------------------------------------------


@dataclass
class Outsider:
    """An attendee who is not a user of tsunagu: a name and an organisation."""

    name: str
    organisation: str = ""


@transaction.atomic
def hold_conference(
    conference: Conference,
    *,
    actor: User,
    users: Iterable[User] = (),
    outsiders: Iterable[Outsider] = (),
    cases: Iterable[Case] = (),
    why: str = "",
) -> Conference:
    """A conference of the actor's municipality, with its attendees (the actor among them) and
    the cases to discuss.

    Raises PermissionDenied when the actor may not hold one or cannot see a case;
    ValidationError (in Japanese) on bad data."""
    policy.require(actor, "plans.conference")
    conference.municipality_id = actor.municipality_id
    conference.organised_by = actor
    conference.full_clean()
    as_actor(actor, conference).save()
    for user in {actor, *users}:
        add_attendee(conference, user=user, actor=actor)
    for outsider in outsiders:
        add_attendee(
            conference, name=outsider.name, organisation=outsider.organisation, actor=actor
        )
    for case in cases:
        add_discussion(conference, case, why=why, actor=actor)
    return conference


@transaction.atomic
def add_attendee(
    conference: Conference,
    *,
    actor: User,
    user: User | None = None,
    name: str = "",
    organisation: str = "",
) -> Attendee:
    """Someone at the conference: a user of the municipality, or a person by name.

    Raises PermissionDenied; ValidationError when neither is given or the user is of another
    municipality."""
    policy.require(actor, "plans.conference")
    if user is None and not name.strip():
        raise ValidationError("出席者の氏名を入力してください。")
    if user is not None:
        if user.municipality_id != conference.municipality_id:
            raise ValidationError("この市区町村の利用者を選んでください。")
        existing = conference.attendees.filter(user=user).first()
        if existing:
            return existing
        organisation = organisation or (str(user.organisation.name) if user.organisation else "")
    attendee = Attendee(
        conference=conference, user=user, name=name.strip(), organisation=organisation.strip()
    )
    attendee.full_clean()
    as_actor(actor, attendee).save()
    return attendee


@transaction.atomic
def remove_attendee(attendee: Attendee, *, actor: User) -> None:
    """Raises PermissionDenied when the actor may not change the conference."""
    policy.require(actor, "plans.conference")
    as_actor(actor, attendee).delete()


@transaction.atomic
def add_discussion(conference: Conference, case: Case, *, actor: User, why: str = "") -> Discussion:
    """A case on the conference's agenda (once).

    Raises PermissionDenied when the actor cannot see the case; ValidationError when the case
    belongs to another municipality."""
    policy.require(actor, "plans.conference")
    policy.require_visible(actor, case)
    if case.municipality_id != conference.municipality_id:
        raise ValidationError("この市区町村のケースを選んでください。")
    existing = conference.discussions.filter(case=case).first()
    if existing:
        return existing
    discussion = Discussion(
        conference=conference, case=case, why=why, order=conference.discussions.count() + 1
    )
    as_actor(actor, discussion).save()
    return discussion


@transaction.atomic
def prepare_review_meeting(
    cases: Iterable[Case], *, actor: User, held_on: date, place: str = ""
) -> Conference:
    """A 実務者会議 whose agenda is the chosen cases of the review queue, each with the date it
    was due.

    Raises PermissionDenied unless the actor may see the review queue; ValidationError when no
    case is chosen."""
    policy.require(actor, "plans.review_queue")
    cases = list(cases)
    if not cases:
        raise ValidationError("議題にするケースを選んでください。")
    conference = Conference(kind=Conference.Kind.PRACTITIONERS, held_on=held_on, place=place)
    hold_conference(conference, actor=actor)
    for case in cases:
        due = f"{case.next_review_on:%Y-%m-%d}" if case.next_review_on else "未設定"
        add_discussion(conference, case, why=f"進行管理(期限 {due})", actor=actor)
    return conference


@dataclass
class Action:
    """An action item to record with a decision."""

    what: str
    due_on: date
    owner: User | None = None
    owner_name: str = ""


@dataclass
class Decision:
    """What a conference decided for one case. Empty fields leave the case as it is."""

    notes: str = ""
    policy: str = ""
    rank: str = ""
    lead_agency: str = ""
    plan_change: str = ""
    next_review_on: date | None = None
    actions: list[Action] | None = None


@transaction.atomic
def record_decision(discussion: Discussion, decision: Decision, *, actor: User) -> Discussion:
    """Record what the conference decided for the case, and apply it through the cases app:
    the rank and the lead agency (with their history), the periodic review of a registered
    case (its next date: the one decided, else the municipality's interval after the
    meeting), a new draft of the plan when the plan is to change, the action items on their
    owners' due lists, and a 会議 entry on the case's timeline.

    Raises PermissionDenied; ValidationError (in Japanese) when the decision was recorded
    already or an action item lacks its owner or date."""
    discussion = Discussion.objects.select_for_update().get(pk=discussion.pk)
    policy.require(actor, "plans.conference")
    if discussion.decided_at:
        raise ValidationError(f"{discussion.case.number} の決定はすでに記録されています。")
    conference, case = discussion.conference, Case.objects.get(pk=discussion.case_id)
    for action in decision.actions or ():
        if not action.what.strip() or not action.due_on or not (action.owner or action.owner_name):
            raise ValidationError("対応事項には内容・担当・期限を入力してください。")
    reason = f"{conference}の決定"
    if decision.lead_agency and decision.lead_agency != case.lead_agency:
        case = case_services.set_lead_agency(case, decision.lead_agency, actor=actor)
    if decision.rank and decision.rank != case.risk_rank:
        case = case_services.change_rank(case, decision.rank, reason=reason, actor=actor)
    next_review_on = decision.next_review_on
    if case.registrations.filter(ended_on=None).exists():
        next_review_on = next_review_on or case.municipality.next_review_after(conference.held_on)
        case = case_services.record_review(
            case, reviewed_on=conference.held_on, next_on=next_review_on, actor=actor
        )
    if decision.plan_change.strip() and not case.plans.filter(status__in=SupportPlan.OPEN):
        start_plan(case, note=f"{reason}: {decision.plan_change.strip()}", actor=actor)
    for field in ("notes", "policy", "rank", "lead_agency", "plan_change"):
        setattr(discussion, field, getattr(decision, field).strip())
    discussion.next_review_on = next_review_on
    discussion.decided_at, discussion.decided_by = timezone.now(), actor
    as_actor(actor, discussion).save()
    for action in decision.actions or ():
        item = ActionItem(
            discussion=discussion,
            case=case,
            what=action.what.strip(),
            owner=action.owner,
            owner_name=action.owner_name.strip(),
            due_on=action.due_on,
        )
        item.full_clean()
        as_actor(actor, item).save()
    _on_timeline(discussion, actor=actor)
    return discussion


def _on_timeline(discussion: Discussion, *, actor: User) -> None:
    conference = discussion.conference
    lines = [f"{conference}で協議しました。"]
    if discussion.policy:
        lines.append(f"支援方針: {discussion.policy}")
    if discussion.plan_change:
        lines.append(f"プランの変更: {discussion.plan_change}")
    held = timezone.make_aware(datetime.combine(conference.held_on, conference.starts_at or time()))
    activity = Activity(
        kind=Activity.Kind.MEETING,
        occurred_at=min(held, timezone.now()),
        content="\n".join(lines),
    )
    activity.case, activity.author = discussion.case, actor
    activity.full_clean()
    as_actor(actor, activity).save()


@transaction.atomic
def complete_action_item(item: ActionItem, *, actor: User, result: str = "") -> ActionItem:
    """Its owner (or a worker on the case) marks the action item done, with what came of it.

    Raises PermissionDenied; ValidationError when it is no longer open."""
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.status != ActionItem.Status.OPEN:
        raise ValidationError("この対応事項はすでに完了しています。")
    policy.require(actor, "plans.action_complete", item)
    item.status, item.done_on, item.result = (
        ActionItem.Status.DONE,
        timezone.localdate(),
        result.strip(),
    )
    as_actor(actor, item).save()
    return item


# --- hand-offs -----------------------------------------------------------------------------

DIRECTIONS = {
    HandOff.Kind.REFERRAL: HandOff.Direction.OUT,
    HandOff.Kind.TRANSFER_OUT: HandOff.Direction.OUT,
    HandOff.Kind.DELEGATION: HandOff.Direction.IN,
    HandOff.Kind.TRANSFER_IN: HandOff.Direction.IN,
}
TO_CGC = {HandOff.Kind.REFERRAL, HandOff.Kind.DELEGATION, HandOff.Kind.ASSISTANCE}
FROM_CGC = {HandOff.Kind.DELEGATION, HandOff.Kind.ASSISTANCE}


@dataclass
class Document:
    title: str
    dated: date
    content: bytes | None = None
    filename: str = ""
    content_type: str = ""


@transaction.atomic
def request_handoff(
    case: Case,
    kind: str,
    *,
    actor: User,
    reason: str,
    counterpart: Organisation | None = None,
    counterpart_municipality: str = "",
    documents: Iterable[Document] = (),
) -> HandOff:
    """A hand-off of the case: to or from the child guidance center (送致, 指導委託, 援助依頼:
    ``counterpart`` is the cgc, or for the cgc's own requests, its organisation) or to another
    municipality (移管: ``counterpart_municipality``).

    Raises PermissionDenied; ValidationError (in Japanese) when the counterpart does not fit
    the kind, the reason is missing, or the same kind is already open on the case."""
    case = Case.objects.get(pk=case.pk)
    policy.require(actor, "plans.handoff_request", case)
    from_cgc = _is_cgc(actor.organisation)  # the cgc asks from its own side
    if from_cgc:
        counterpart = actor.organisation
    if kind == HandOff.Kind.TRANSFER_IN:
        raise ValidationError("転入の移管は「転入の受付」から登録してください。")
    if from_cgc and kind not in FROM_CGC:
        raise ValidationError("児童相談所からは、指導委託か援助依頼を依頼できます。")
    if not from_cgc and kind == HandOff.Kind.DELEGATION:
        raise ValidationError("指導委託は児童相談所から依頼されるものです。")
    if kind in TO_CGC and not _is_cgc(counterpart):
        raise ValidationError("相手の児童相談所を選んでください。")
    if kind == HandOff.Kind.TRANSFER_OUT and not counterpart_municipality.strip():
        raise ValidationError("転出先の市区町村を入力してください。")
    if not reason.strip():
        raise ValidationError("依頼の内容・理由を入力してください。")
    if case.handoffs.filter(kind=kind, status__in=("requested", "accepted")).exists():
        raise ValidationError("同じ種類の引継ぎがこのケースで進行中です。")
    direction = DIRECTIONS.get(kind) or (
        HandOff.Direction.IN if from_cgc else HandOff.Direction.OUT
    )
    handoff = HandOff(
        municipality_id=case.municipality_id,
        kind=kind,
        direction=direction,
        case=case,
        counterpart=counterpart if kind in TO_CGC else None,
        counterpart_municipality=counterpart_municipality.strip(),
        reason=reason.strip(),
        requested_on=timezone.localdate(),
        requested_by=actor,
    )
    handoff.full_clean()
    as_actor(actor, handoff).save()
    for document in documents:
        _attach_document(handoff, document)
    return handoff


def _is_cgc(organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.kind == Organisation.Kind.CGC


def _attach_document(handoff: HandOff, document: Document) -> HandOffDocument:
    made = HandOffDocument(
        handoff=handoff,
        title=document.title,
        dated=document.dated,
        content=document.content,
        filename=document.filename,
        content_type=document.content_type,
    )
    made.full_clean(exclude=["content"])
    made.save()
    return made


@transaction.atomic
def add_handoff_document(handoff: HandOff, document: Document, *, actor: User) -> HandOffDocument:
    """A document added to the hand-off by either side.

    Raises PermissionDenied unless the actor is on either side of it."""
    policy.require(actor, "plans.handoff_document", handoff)
    return _attach_document(handoff, document)


@transaction.atomic
def answer_handoff(handoff: HandOff, *, actor: User, accept: bool, answer: str = "") -> HandOff:
    """The side that did not ask accepts or returns the hand-off. A 送致 the cgc accepts makes
    it the case's lead (and so its liaison sees the case); an 援助依頼 it accepts makes it a
    co-worker; a returned one changes nothing on the case.

    Raises PermissionDenied unless the actor may answer; ValidationError (in Japanese) when a
    return has no reason."""
    handoff = HandOff.objects.select_for_update().get(pk=handoff.pk)
    policy.require(actor, "plans.handoff_answer", handoff)
    if not accept and not answer.strip():
        raise ValidationError("返戻の理由を入力してください。")
    handoff.status = HandOff.Status.ACCEPTED if accept else HandOff.Status.RETURNED
    handoff.answered_on, handoff.answered_by, handoff.answer = (
        timezone.localdate(),
        actor,
        answer.strip(),
    )
    as_actor(actor, handoff).save()
    if accept and handoff.direction == HandOff.Direction.OUT and handoff.counterpart_id:
        _cgc_joins(handoff, actor=actor)
    return handoff


def _cgc_joins(handoff: HandOff, *, actor: User) -> None:
    """The cgc on the case: lead on a 送致, co-worker on an 援助依頼."""
    case = Case.objects.select_for_update().get(pk=handoff.case_id)
    lead = handoff.kind == HandOff.Kind.REFERRAL
    role = CaseOrganisation.Role.LEAD if lead else CaseOrganisation.Role.CO_WORKER
    link = case.organisations.filter(organisation=handoff.counterpart_id, until=None).first()
    if link is None:
        link = CaseOrganisation(
            case=case, organisation_id=handoff.counterpart_id, since=timezone.localdate()
        )
    if link.role != CaseOrganisation.Role.LEAD:
        link.role = role
        as_actor(actor, link).save()
    if lead and case.lead_agency != Case.LeadAgency.CGC:
        case.lead_agency = Case.LeadAgency.CGC
        as_actor(actor, case).save()


@transaction.atomic
def complete_handoff(handoff: HandOff, *, actor: User, note: str = "") -> HandOff:
    """An accepted hand-off done. A 移管 to another city closes the case here (it stays
    readable, closed), which only the supervisor may do.

    Raises PermissionDenied; ValidationError when it was not accepted."""
    handoff = HandOff.objects.select_for_update().get(pk=handoff.pk)
    policy.require(actor, "plans.handoff_complete", handoff)
    handoff.status, handoff.done_on = HandOff.Status.DONE, timezone.localdate()
    as_actor(actor, handoff).save()
    if handoff.kind == HandOff.Kind.TRANSFER_OUT:
        reason = f"移管({handoff.counterpart_municipality}へ転出)"
        case_services.close_case(handoff.case, f"{reason} {note}".strip(), actor=actor)
    return handoff


@transaction.atomic
def receive_transfer(
    data: dict, *, category: ConsultationCategory, actor: User, raw: bytes | None = None
) -> HandOff:
    """A family moving in: the other city's summary (its structured file, read by
    ``summary.check_summary``) arrives as an intake of the actor's unit, with its persons —
    each one the actor may see with the same name and birth date, or a new record (``tsunagu
    match --database`` proposes the near ones for review) — and the file attached to a
    移管(転入).

    Raises PermissionDenied; ValidationError (in Japanese) when the file is not a case summary
    or the intake is refused."""
    policy.require(actor, "plans.transfer_in")
    data = check_summary(data)
    case, origin = data["case"], data.get("municipality", {}).get("name", "")
    intake = Intake(
        received_at=timezone.now(),
        channel=Intake.Channel.LETTER,
        source=Intake.Source.WELFARE_OFFICE,
        category=category,
        urgency=Intake.Urgency.SOON,
        summary=(
            f"{origin}からの移管(転入)。転入元のケース {case.get('number', '')} "
            f"{case.get('title', '')}、リスクランク {case.get('risk_rank') or '—'}。"
            f"{data.get('reason', '')}"
        ),
    )
    intake = case_services.receive_intake(intake, _persons_in(data, actor=actor), actor=actor)
    prepared_on = date_of(data.get("prepared_on")) or timezone.localdate()
    handoff = HandOff(
        municipality_id=actor.municipality_id,
        kind=HandOff.Kind.TRANSFER_IN,
        direction=HandOff.Direction.IN,
        intake=intake,
        counterpart_municipality=origin,
        status=HandOff.Status.ACCEPTED,
        reason=data.get("reason", "") or "転入による移管",
        requested_on=prepared_on,
        requested_by=actor,
        answered_on=timezone.localdate(),
        answered_by=actor,
        received_summary=data,
    )
    handoff.full_clean()
    as_actor(actor, handoff).save()
    if raw is not None:
        _attach_document(
            handoff,
            Document("転入元のケース概要", prepared_on, raw, "summary.json", "application/json"),
        )
    return handoff


def _persons_in(data: dict, *, actor: User) -> list[tuple[Person, str]]:
    roles = set(CasePerson.Role.values)
    chosen = []
    for row in data["persons"]:
        fields = {
            name: str(row.get(name) or "").strip()
            for name in ("family_name", "given_name", "family_kana", "given_kana")
        }
        birth = date_of(row.get("birth_date"))
        same = policy.scope(actor, Person.objects.filter(birth_date=birth, **fields)).first()
        if same is None:
            new = Person(**fields, birth_date=birth, address=str(row.get("address") or ""))
            new.phone = str(row.get("phone") or "")
            if row.get("sex") in Sex.values:
                new.sex = row["sex"]
            same = people_services.register_person(new, actor=actor)
        chosen.append((same, row["role"] if row.get("role") in roles else "other"))
    return chosen
