"""Writes of the maternal line: one function per action, the actor keyword-only.

Each raises PermissionDenied when the policy refuses the actor and ValidationError (its
message in Japanese) when the data or the moment is refused; nothing is half-saved."""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.cases import services as case_services
from tsunagu.cases.models import Activity, ConsultationCategory, Intake, Registration
from tsunagu.core.history import as_actor, bulk_create_as
from tsunagu.core.models import Municipality, Organisation
from tsunagu.family_support.models import Provider
from tsunagu.people import services as people_services
from tsunagu.people.models import KnownTo, Person

from . import flags, questionnaires, schedule
from .models import (
    Benefit,
    Birth,
    Checkup,
    CheckupKind,
    Contact,
    FollowStep,
    FollowUp,
    NewbornVisit,
    PostnatalCare,
    PostnatalCareUse,
    Pregnancy,
    UnseenChild,
)

BENEFIT_YEN = 50_000
# The ~8-month contact: when she reaches 32 weeks (eight weeks before the expected date).
EIGHT_MONTHS_BEFORE_DUE = timedelta(weeks=8)
NEWBORN_VISIT_BY = relativedelta(months=4)
FOLLOW_UP_DAYS = 7
MONTH_END_SLACK_DAYS = 4
# The steps after which a child nobody has seen is raised to child welfare.
UNSEEN_STEPS = frozenset(
    {FollowStep.Kind.LETTER, FollowStep.Kind.CALL, FollowStep.Kind.VISIT, FollowStep.Kind.AGENCY}
)
# How far back a check-up, a visit or a confirmed sighting counts as the child being seen.
SEEN_WITHIN = relativedelta(years=1)


def _save(actor: User, obj: Model) -> None:
    obj.full_clean()
    as_actor(actor, obj).save()


def _follow_up(
    person: Person, kind: str, reason: str, due_on: date, *, owner: User, actor: User
) -> FollowUp:
    """A follow-up on the owner's due list, unless the same one is open already."""
    open_one = FollowUp.objects.filter(person=person, kind=kind, done_on=None).first()
    if open_one:
        return open_one
    follow_up = FollowUp(
        municipality_id=person.municipality_id,
        person=person,
        kind=kind,
        reason=reason[:300],
        due_on=due_on,
        owner=owner,
        unit=owner.organisation,
    )
    _save(actor, follow_up)
    return follow_up


def _close_follow_ups(person: Person, kind: str, note: str, *, actor: User) -> None:
    today = timezone.localdate()
    for follow_up in FollowUp.objects.filter(person=person, kind=kind, done_on=None):
        follow_up.done_on, follow_up.done_note = today, note[:300]
        as_actor(actor, follow_up).save(update_fields=["done_on", "done_note"])


# --- pregnancy -----------------------------------------------------------------------------


@transaction.atomic
def record_notification(pregnancy: Pregnancy, *, actor: User) -> Pregnancy:
    """A pregnancy notification (妊娠届出) and the nurse's interview: the flags are worked out,
    the interview is the first companion-support contact, and the ~8-month contact goes on the
    nurse's list."""
    policy.require(actor, "maternal.record", actor.organisation)
    policy.require_visible(actor, pregnancy.mother)
    # One notification at a time per woman: a double submit must not make two pregnancies.
    Person.objects.select_for_update().filter(pk=pregnancy.mother_id).first()
    if pregnancy.expected_on <= pregnancy.notified_on:
        raise ValidationError("出産予定日は届出日より後の日付にしてください。")
    if Pregnancy.objects.filter(
        mother=pregnancy.mother, status=Pregnancy.Status.EXPECTING
    ).exists():
        raise ValidationError("この方には妊娠中の届出がすでにあります。")
    pregnancy.municipality_id = actor.municipality_id
    pregnancy.interviewed_by = actor
    pregnancy.unit = actor.organisation
    if not pregnancy.nurse_id:
        pregnancy.nurse = actor
    pregnancy.flags = flags.flags_of(pregnancy)
    _save(actor, pregnancy)
    contact = Contact(
        pregnancy=pregnancy,
        kind=Contact.Kind.NOTIFICATION,
        method=Contact.Method.INTERVIEW,
        on=pregnancy.notified_on,
        by=actor,
        notes=pregnancy.interview_notes,
    )
    _save(actor, contact)
    eight_months = max(pregnancy.expected_on - EIGHT_MONTHS_BEFORE_DUE, pregnancy.notified_on)
    _follow_up(
        pregnancy.mother,
        FollowUp.Kind.EIGHT_MONTHS,
        "妊娠8か月頃のアンケートと面談・電話",
        eight_months,
        owner=pregnancy.nurse,
        actor=actor,
    )
    people_services.record_known_to(pregnancy.mother, pregnancy.unit, actor=actor)
    return pregnancy


@transaction.atomic
def record_contact(pregnancy: Pregnancy, contact: Contact, *, actor: User) -> Contact:
    """A companion-support contact (伴走型相談支援). The ~8-month one closes its follow-up."""
    policy.require(actor, "maternal.change", pregnancy)
    if contact.on > timezone.localdate():
        raise ValidationError("実施日に未来の日付は入力できません。")
    contact.pregnancy, contact.by = pregnancy, actor
    _save(actor, contact)
    if contact.kind == Contact.Kind.EIGHT_MONTHS:
        _close_follow_ups(pregnancy.mother, FollowUp.Kind.EIGHT_MONTHS, "実施", actor=actor)
    return contact


@transaction.atomic
def record_benefit(pregnancy: Pregnancy, benefit: Benefit, *, actor: User) -> Benefit:
    """A payment of 妊婦のための支援給付: once at the pregnancy, once per child born."""
    pregnancy = Pregnancy.objects.select_for_update().get(pk=pregnancy.pk)
    policy.require(actor, "maternal.change", pregnancy)
    paid = pregnancy.benefits.filter(kind=benefit.kind).count()
    if benefit.kind == Benefit.Kind.PREGNANCY and paid:
        raise ValidationError("妊娠時の給付はすでに支給されています。")
    if benefit.kind == Benefit.Kind.CHILD and paid >= _children_for_benefit(pregnancy):
        raise ValidationError(
            "2回目の給付は、出生した子ども(流産・死産等のときは妊娠していた子ども)の人数まで"
            "支給できます。出生または妊娠の終了を先に記録してください。"
        )
    benefit.pregnancy, benefit.recorded_by = pregnancy, actor
    _save(actor, benefit)
    return benefit


@transaction.atomic
def end_pregnancy(
    pregnancy: Pregnancy, *, actor: User, status: str, on: date, reason: str
) -> Pregnancy:
    """A pregnancy that ends without a birth here (流産・死産等) or whose mother moves away
    (転出): it leaves the list of women expecting, and its ~8-month follow-up is closed."""
    pregnancy = Pregnancy.objects.select_for_update().get(pk=pregnancy.pk)
    policy.require(actor, "maternal.change", pregnancy)
    if pregnancy.status != Pregnancy.Status.EXPECTING:
        raise ValidationError("妊娠中の記録だけを終了できます。")
    if status not in (Pregnancy.Status.ENDED, Pregnancy.Status.MOVED_OUT):
        raise ValidationError("終了の区分を選んでください。")
    if not pregnancy.notified_on <= on <= timezone.localdate():
        raise ValidationError("終了日は届出日から今日までの日付にしてください。")
    if not reason.strip():
        raise ValidationError("終了の理由を入力してください。")
    pregnancy.status, pregnancy.ended_on, pregnancy.end_reason = status, on, reason.strip()
    _save(actor, pregnancy)
    label = Pregnancy.Status(status).label
    _close_follow_ups(pregnancy.mother, FollowUp.Kind.EIGHT_MONTHS, label, actor=actor)
    return pregnancy


def _children_for_benefit(pregnancy: Pregnancy) -> int:
    """How many second payments the pregnancy may have: one per child born, or, when it ended
    without a birth (流産・死産等), one per child she was expecting."""
    if pregnancy.status == Pregnancy.Status.ENDED:
        return 2 if pregnancy.multiple else 1
    return pregnancy.births.count()


def _intake_for(pregnancy: Pregnancy, summary: str, *, actor: User) -> Intake:
    category = ConsultationCategory.objects.filter(code="health", is_current=True).first()
    intake = Intake(
        received_at=timezone.now(),
        channel=Intake.Channel.VISIT,
        source=Intake.Source.SELF,
        category=category,
        urgency=Intake.Urgency.ROUTINE,
        summary=summary,
    )
    return case_services.receive_intake(
        intake, [(pregnancy.mother, "expectant_mother")], actor=actor
    )


def _still_expecting(pregnancy: Pregnancy) -> None:
    if pregnancy.status != Pregnancy.Status.EXPECTING:
        raise ValidationError("妊娠中の記録からだけ相談受付・特定妊婦の登録ができます。")


def _flag_summary(pregnancy: Pregnancy) -> str:
    shown = "、".join(flags.labels(pregnancy)) or "なし"
    return (
        f"妊娠届出({pregnancy.notified_on:%Y-%m-%d}、{pregnancy.weeks_at_notification}週)の面談から。"
        f"気がかりな点: {shown}。出産予定日 {pregnancy.expected_on:%Y-%m-%d}。"
    )


@transaction.atomic
def open_intake(pregnancy: Pregnancy, *, actor: User) -> Intake:
    """An intake (相談受付) for the mother, from the notification's flags, left for the center to
    decide on."""
    pregnancy = Pregnancy.objects.select_for_update().get(pk=pregnancy.pk)
    policy.require(actor, "maternal.change", pregnancy)
    _still_expecting(pregnancy)
    if pregnancy.intake_id or pregnancy.case_id:
        raise ValidationError("この妊娠はすでに相談受付・ケースにつながっています。")
    pregnancy.intake = _intake_for(pregnancy, _flag_summary(pregnancy), actor=actor)
    as_actor(actor, pregnancy).save(update_fields=["intake"])
    return pregnancy.intake


@transaction.atomic
def register_expectant_mother(
    pregnancy: Pregnancy, *, actor: User, on: date | None = None
) -> Registration:
    """In one step: an intake, a case worked on by the nurse's unit, and the mother's
    registration with the council (要対協) as a specified expectant mother (特定妊婦), on ``on``
    (today by default). After the birth the registration continues as the child's
    (``record_birth``)."""
    pregnancy = Pregnancy.objects.select_for_update().get(pk=pregnancy.pk)
    policy.require(actor, "maternal.change", pregnancy)
    policy.require(actor, "cases.register")
    _still_expecting(pregnancy)
    if pregnancy.case_id:
        raise ValidationError("この妊娠はすでにケースにつながっています。")
    mother, intake = pregnancy.mother, pregnancy.intake
    if intake is not None and intake.case_id:
        case = intake.case  # the center put the intake on a case already: register there
    else:
        if intake is None or intake.outcome != Intake.Outcome.PENDING:
            intake = _intake_for(pregnancy, _flag_summary(pregnancy), actor=actor)
        case = case_services.open_case(intake, actor=actor, title=f"{mother} 特定妊婦")
    registration = case_services.register_with_council(
        case,
        mother,
        Registration.Category.EXPECTANT_MOTHER,
        actor=actor,
        on=on or timezone.localdate(),
    )
    pregnancy.intake, pregnancy.case = intake, case
    as_actor(actor, pregnancy).save(update_fields=["intake", "case"])
    return registration


# --- birth and the newborn visit -----------------------------------------------------------


@transaction.atomic
def record_birth(pregnancy: Pregnancy, birth: Birth, child: Person, *, actor: User) -> Birth:
    """A child born of the pregnancy. The child becomes a person (or is the one found), the
    family goes on the newborn-visit list of the pregnancy's nurse (due by 4 months), and a
    specified expectant mother's registration continues as the child's support registration."""
    pregnancy = Pregnancy.objects.select_for_update().get(pk=pregnancy.pk)
    policy.require(actor, "maternal.change", pregnancy)
    if pregnancy.status not in (Pregnancy.Status.EXPECTING, Pregnancy.Status.BORN):
        raise ValidationError("この妊娠には出生を記録できません。")
    if birth.born_on > timezone.localdate():
        raise ValidationError("出生日に未来の日付は入力できません。")
    if child.pk is None:
        child.birth_date = birth.born_on
        people_services.register_person(child, actor=actor)
    else:
        policy.require_visible(actor, child)
    birth.pregnancy, birth.child, birth.recorded_by = pregnancy, child, actor
    _save(actor, birth)
    pregnancy.status = Pregnancy.Status.BORN
    as_actor(actor, pregnancy).save(update_fields=["status"])
    _close_follow_ups(pregnancy.mother, FollowUp.Kind.EIGHT_MONTHS, "出産", actor=actor)
    visit = NewbornVisit(
        birth=birth,
        due_on=birth.born_on + NEWBORN_VISIT_BY,
        nurse=pregnancy.nurse,
        unit=pregnancy.unit,
    )
    _save(actor, visit)
    _continue_registration(pregnancy, child, birth.born_on, actor=actor)
    return birth


def _continue_registration(
    pregnancy: Pregnancy, child: Person, born_on: date, *, actor: User
) -> None:
    registration = Registration.objects.filter(
        person=pregnancy.mother,
        category=Registration.Category.EXPECTANT_MOTHER,
        ended_on=None,
    ).first()
    if registration is None or not policy.may(actor, "cases.register", registration):
        return
    case_services.continue_registration(
        registration,
        actor=actor,
        person=child,
        category=Registration.Category.SUPPORT,
        on=born_on,
        reason="出生",
    )


@transaction.atomic
def record_visit(
    visit: NewbornVisit,
    *,
    actor: User,
    status: str,
    on: date,
    reason: str = "",
    answers: dict[str, list[int]] | None = None,
    weight_g: int | None = None,
    notes: str = "",
) -> NewbornVisit:
    """The newborn visit's outcome. Visited: the questionnaires' scores are kept with their
    version, and a total over a questionnaire's threshold (EPDS 9 or more, or any answer on its
    item 10) puts the mother on the nurse's due list. Refused or not possible: the family stays
    on the due list with the reason."""
    visit = NewbornVisit.objects.select_for_update().get(pk=visit.pk)
    policy.require(actor, "maternal.change", visit)
    if on > timezone.localdate():
        raise ValidationError("訪問日に未来の日付は入力できません。")
    if visit.status == NewbornVisit.Status.VISITED:
        raise ValidationError("この訪問はすでに記録されています。")
    child, mother = visit.birth.child, visit.birth.pregnancy.mother
    if status == NewbornVisit.Status.VISITED:
        _visited(visit, answers or {}, on, actor=actor, mother=mother)
        visit.weight_g, visit.notes = weight_g, notes
        _close_follow_ups(child, FollowUp.Kind.VISIT_NOT_DONE, "訪問済", actor=actor)
    elif status in (NewbornVisit.Status.REFUSED, NewbornVisit.Status.NOT_POSSIBLE):
        if not reason.strip():
            raise ValidationError("訪問できなかった理由を入力してください。")
        visit.status, visit.reason, visit.notes = status, reason.strip(), notes
        label = NewbornVisit.Status(status).label
        _follow_up(
            child,
            FollowUp.Kind.VISIT_NOT_DONE,
            f"{label}: {visit.reason}",
            on + timedelta(days=FOLLOW_UP_DAYS),
            owner=visit.nurse,
            actor=actor,
        )
    else:
        raise ValidationError("訪問の結果を選んでください。")
    _save(actor, visit)
    return visit


def _visited(visit: NewbornVisit, answers: dict, on: date, *, actor: User, mother: Person) -> None:
    visit.status, visit.visited_on, visit.reason = NewbornVisit.Status.VISITED, on, ""
    kept = {}
    for code, scores in answers.items():
        questionnaire = questionnaires.SETS[code]
        try:
            total = questionnaire.score(scores)
        except ValueError as error:
            raise ValidationError(str(error)) from error
        kept[code] = {"version": questionnaire.version, "items": scores, "total": total}
        setattr(visit, f"{code}_score", total)
        if questionnaire.needs_follow_up(scores):
            kind = FollowUp.Kind.EPDS if code == "epds" else FollowUp.Kind.BONDING
            _follow_up(
                mother,
                kind,
                f"{questionnaire.title} {total}点(訪問 {on:%Y-%m-%d})",
                on + timedelta(days=FOLLOW_UP_DAYS),
                owner=visit.nurse,
                actor=actor,
            )
    visit.answers = kept


@transaction.atomic
def complete_follow_up(follow_up: FollowUp, note: str, *, actor: User) -> FollowUp:
    """A follow-up done, with what was done."""
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    policy.require(actor, "maternal.change", follow_up)
    if follow_up.done_on:
        raise ValidationError("この要フォローはすでに対応済みです。")
    if not note.strip():
        raise ValidationError("対応の記録を入力してください。")
    follow_up.done_on, follow_up.done_note = timezone.localdate(), note.strip()[:300]
    as_actor(actor, follow_up).save(update_fields=["done_on", "done_note"])
    return follow_up


# --- check-ups -----------------------------------------------------------------------------


def _not_after_today(on: date) -> None:
    if on > timezone.localdate():
        raise ValidationError("基準日に未来の日付は指定できません。")


@transaction.atomic
def invite_checkups(kind: CheckupKind, *, actor: User, on: date) -> int:
    """Invitations to the check-up for every child of the city who has reached its month of
    age and is not past its deadline, and has none yet (乳幼児健診の案内). Returns how many."""
    policy.require(actor, "maternal.checkups", kind)
    _not_after_today(on)
    # Ages in months do not subtract back exactly at a month's end (31 August + 3 months is 30
    # November, and 30 November − 3 months is 30 August): read a few days wider, then count
    # each child's own dates forward from the birth.
    slack = timedelta(days=MONTH_END_SLACK_DAYS)
    youngest = on - relativedelta(months=kind.invite_months) + slack
    oldest = on - relativedelta(months=kind.due_months) - slack
    children = (
        Person.objects.filter(
            municipality=kind.municipality_id,
            merged_into=None,
            birth_date__gte=oldest,
            birth_date__lte=youngest,
        )
        .exclude(checkups__kind=kind)
        .values_list("pk", "birth_date")
    )
    invitations = [
        Checkup(
            municipality_id=kind.municipality_id,
            child_id=pk,
            kind=kind,
            invited_on=on,
            due_on=born + relativedelta(months=kind.due_months),
        )
        for pk, born in children
        if born + relativedelta(months=kind.invite_months) <= on
        and born + relativedelta(months=kind.due_months) >= on
    ]
    bulk_create_as(actor, Checkup, invitations)
    _known_to_unit([c.child_id for c in invitations], actor=actor)
    return len(invitations)


def _known_to_unit(person_ids: list[int], *, actor: User) -> None:
    """The actor's unit now holds records about these persons (a child who moved in, known so
    far to another unit only, is followed up and may be raised by the nurses)."""
    unit = actor.organisation
    known = set(
        KnownTo.objects.filter(organisation=unit, person__in=person_ids).values_list(
            "person", flat=True
        )
    )
    new = [
        KnownTo(person_id=pk, organisation=unit, added_by=actor)
        for pk in dict.fromkeys(person_ids)
        if pk not in known
    ]
    bulk_create_as(actor, KnownTo, new)


@transaction.atomic
def mark_missed(municipality_id: int, *, actor: User, on: date) -> int:
    """The invitations past their deadline with the child unseen become missed check-ups, on
    the missed-check-up list to be followed up. Returns how many."""
    policy.require(actor, "maternal.checkups", Municipality.objects.get(pk=municipality_id))
    _not_after_today(on)
    late = Checkup.objects.filter(
        municipality=municipality_id, status=Checkup.Status.INVITED, due_on__lt=on
    )
    count = 0
    for checkup in late.select_for_update():
        checkup.status = Checkup.Status.MISSED
        as_actor(actor, checkup).save(update_fields=["status"])
        count += 1
    return count


@transaction.atomic
def record_checkup(checkup: Checkup, *, actor: User, seen_on: date, **findings: object) -> Checkup:
    """The child came to the check-up: growth, development and whether it needs following up
    (which puts it on the recording nurse's due list)."""
    checkup = Checkup.objects.select_for_update().get(pk=checkup.pk)
    policy.require(actor, "maternal.change", checkup)
    if seen_on > timezone.localdate():
        raise ValidationError("受診日に未来の日付は入力できません。")
    if checkup.status == Checkup.Status.ATTENDED:
        raise ValidationError("この健診の受診はすでに記録されています。")
    for name, value in findings.items():
        setattr(checkup, name, value)
    checkup.status, checkup.attended_on, checkup.resolved = Checkup.Status.ATTENDED, seen_on, True
    _save(actor, checkup)
    if checkup.follow_up_needed:
        _follow_up(
            checkup.child,
            FollowUp.Kind.CHECKUP_FINDING,
            f"{checkup.kind}の結果: {checkup.notes or '要フォロー'}",
            seen_on + timedelta(days=30),
            owner=actor,
            actor=actor,
        )
    return checkup


@transaction.atomic
def record_follow_step(checkup: Checkup, step: FollowStep, *, actor: User) -> FollowStep:
    """One step of following up a missed check-up. A sighting closes the follow-up; when every
    step (letter, call, visit, the nursery, school and other agencies) has failed and nobody has
    seen the child for a year, the child is raised to child welfare (``raise_unseen``)."""
    checkup = Checkup.objects.select_for_update().get(pk=checkup.pk)
    policy.require(actor, "maternal.change", checkup)
    # Two nurses' last steps at once: one raises the child, the other sees it raised.
    Person.objects.select_for_update().filter(pk=checkup.child_id).first()
    if checkup.status != Checkup.Status.MISSED or checkup.resolved:
        raise ValidationError("この健診は未受診フォローの対象ではありません。")
    if step.on > timezone.localdate():
        raise ValidationError("実施日に未来の日付は入力できません。")
    step.checkup, step.by = checkup, actor
    _save(actor, step)
    if step.result == FollowStep.Result.SEEN:
        checkup.resolved = True
        as_actor(actor, checkup).save(update_fields=["resolved"])
    elif not hasattr(checkup.child, "unseen_report") and unseen(checkup.child, step.on):
        raise_unseen(checkup.child, actor=actor, on=step.on)
    return step


def unseen(child: Person, on: date) -> bool:
    """Whether nobody has seen the child: every follow-up step taken on a missed check-up
    without reaching the child, and no check-up, visit or sighting within a year before ``on``.
    """
    since = on - SEEN_WITHIN
    missed = child.checkups.filter(status=Checkup.Status.MISSED, resolved=False)
    taken = set(
        FollowStep.objects.filter(checkup__in=missed, result=FollowStep.Result.NOT_REACHED)
        .values_list("kind", flat=True)
        .distinct()
    )
    if not taken >= UNSEEN_STEPS:
        return False
    if child.checkups.filter(status=Checkup.Status.ATTENDED, attended_on__gte=since).exists():
        return False
    if NewbornVisit.objects.filter(birth__child=child, visited_on__gte=since).exists():
        return False
    if FollowStep.objects.filter(
        checkup__child=child, result=FollowStep.Result.SEEN, on__gte=since
    ).exists():
        return False
    # A worker of a case the child is on saw the child (a home visit, a joint visit).
    return not Activity.objects.filter(
        case__persons__person=child,
        child_seen=True,
        occurred_at__date__gte=since,
    ).exists()


@dataclass(frozen=True)
class CheckupDay:
    invited: int
    missed: int
    raised: int


@transaction.atomic
def run_checkup_day(city: Municipality, *, actor: User, on: date) -> CheckupDay:
    """A day's run of the check-ups, all or nothing: the invitations of every check-up of the
    city's schedule, the invitations past their deadline marked missed, and the children nobody
    has seen raised to child welfare."""
    invited = sum(invite_checkups(kind, actor=actor, on=on) for kind in schedule.load(city))
    missed = mark_missed(city.pk, actor=actor, on=on)
    return CheckupDay(invited, missed, raise_the_unseen(city.pk, actor=actor, on=on))


@transaction.atomic
def raise_the_unseen(municipality_id: int, *, actor: User, on: date) -> int:
    """Raise every child of the city whose follow-up steps have all failed and whom nobody has
    seen for a year by ``on`` (a child seen some months before the last step comes due later):
    run with the day's invitations. Returns how many were raised."""
    policy.require(actor, "maternal.checkups", Municipality.objects.get(pk=municipality_id))
    failed = FollowStep.objects.filter(
        checkup__municipality=municipality_id,
        checkup__status=Checkup.Status.MISSED,
        checkup__resolved=False,
        result=FollowStep.Result.NOT_REACHED,
    ).exclude(checkup__child__unseen_report__isnull=False)
    candidates = Person.objects.filter(pk__in=failed.values("checkup__child"))
    raised = 0
    for child in candidates:
        if unseen(child, on):
            raise_unseen(child, actor=actor, on=on)
            raised += 1
    return raised


@transaction.atomic
def raise_unseen(child: Person, *, actor: User, on: date) -> UnseenChild:
    """Raise the child to the city's child-welfare unit as one whose living situation cannot be
    confirmed (居住実態が把握できない児童): an intake of that unit, once per child."""
    policy.require(actor, "maternal.change", child)
    Person.objects.select_for_update().filter(pk=child.pk).first()
    if UnseenChild.objects.filter(child=child).exists():
        raise ValidationError("この子どもはすでに児童福祉へ連絡済みです。")
    welfare = Organisation.objects.filter(
        municipality=child.municipality_id, kind=Organisation.Kind.UNIT_CHILD_WELFARE
    ).first()
    missed = ", ".join(
        str(c.kind) for c in child.checkups.filter(status=Checkup.Status.MISSED, resolved=False)
    )
    intake = Intake(
        received_at=timezone.now(),
        channel=Intake.Channel.PARTNER_REPORT,
        source=Intake.Source.WELFARE_OFFICE,
        category=ConsultationCategory.objects.filter(code="care.other", is_current=True).first(),
        urgency=Intake.Urgency.SOON,
        summary=(
            "居住実態が把握できない児童(母子保健から)。未受診: "
            f"{missed}。通知・電話・家庭訪問・関係機関への確認で子どもの状況を確認できず、"
            "この1年間に健診・訪問での確認もありません。"
        ),
    )
    intake = case_services.receive_intake(intake, [(child, "child")], actor=actor, for_unit=welfare)
    report = UnseenChild(child=child, intake=intake, raised_on=on, raised_by=actor)
    _save(actor, report)
    return report


# --- postnatal care (産後ケア) --------------------------------------------------------------

# A mother may use postnatal care within a year of the birth (母子保健法 第17条の2).
POSTNATAL_WITHIN = relativedelta(years=1)


@transaction.atomic
def apply_postnatal_care(birth: Birth, care: PostnatalCare, *, actor: User) -> PostnatalCare:
    """An application for postnatal care after this birth."""
    policy.require(actor, "maternal.change", birth)
    if care.applied_on > birth.born_on + POSTNATAL_WITHIN:
        raise ValidationError("産後ケアは出産後1年以内の方が対象です。")
    if not birth.born_on <= care.applied_on <= timezone.localdate():
        raise ValidationError("申請日は出生日から今日までの日付にしてください。")
    care.birth = birth
    _save(actor, care)
    return care


@transaction.atomic
def decide_postnatal_care(
    care: PostnatalCare,
    *,
    actor: User,
    approve: bool,
    on: date,
    provider: Provider | None = None,
    days_allowed: int | None = None,
    fee_per_day: int | None = None,
    note: str = "",
) -> PostnatalCare:
    """Approve (with the provider, the days and the fee per day) or refuse an application."""
    care = PostnatalCare.objects.select_for_update().get(pk=care.pk)
    policy.require(actor, "maternal.change", care)
    if care.status != PostnatalCare.Status.APPLIED:
        raise ValidationError("この申請はすでに決定されています。")
    if not care.applied_on <= on <= timezone.localdate():
        raise ValidationError("決定日は申請日から今日までの日付にしてください。")
    if approve:
        if provider is None or not days_allowed or fee_per_day is None:
            raise ValidationError(
                "承認するときは、実施機関・利用できる日数・負担額を入力してください。"
            )
        if provider.municipality_id != actor.municipality_id:
            raise ValidationError("この市の実施機関を選んでください。")
        care.provider, care.days_allowed, care.fee_per_day = provider, days_allowed, fee_per_day
        care.status = PostnatalCare.Status.APPROVED
    else:
        if not note.strip():
            raise ValidationError("不承認の理由を入力してください。")
        care.status = PostnatalCare.Status.REFUSED
    care.decided_on, care.decided_by, care.note = on, actor, note.strip()
    _save(actor, care)
    return care


@transaction.atomic
def record_postnatal_use(
    care: PostnatalCare, use: PostnatalCareUse, *, actor: User
) -> PostnatalCareUse:
    """A day of postnatal care used: within the days allowed and the year after the birth; the
    last allowed day ends the care."""
    care = PostnatalCare.objects.select_for_update().get(pk=care.pk)
    policy.require(actor, "maternal.change", care)
    if care.status != PostnatalCare.Status.APPROVED:
        raise ValidationError("承認された産後ケアにだけ利用を記録できます。")
    if use.used_on > timezone.localdate():
        raise ValidationError("利用日に未来の日付は入力できません。")
    if use.used_on < care.decided_on:
        raise ValidationError("利用日は承認した日以後にしてください。")
    if not care.birth.born_on <= use.used_on <= care.birth.born_on + POSTNATAL_WITHIN:
        raise ValidationError("利用日は出生日から1年以内にしてください。")
    used = care.uses.count()
    if used >= care.days_allowed:
        raise ValidationError(f"利用できる日数({care.days_allowed}日)をすべて使っています。")
    if care.uses.filter(used_on=use.used_on).exists():
        raise ValidationError("この日の利用はすでに記録されています。")
    use.care, use.recorded_by = care, actor
    _save(actor, use)
    if used + 1 == care.days_allowed:
        care.status = PostnatalCare.Status.ENDED
        as_actor(actor, care).save(update_fields=["status"])
    return use
