"""Writes of family support services: one function per domain action, the actor named.

Every function asks the policy first and raises ``PermissionDenied``; ``ValidationError``
carries a Japanese message for the person at the form."""

import uuid
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.cases.models import Case, Registration
from tsunagu.cases.services import next_number
from tsunagu.core.history import as_actor
from tsunagu.core.models import Area, Municipality
from tsunagu.people.models import Person
from tsunagu.plans.models import PlanItem
from tsunagu.watch.models import Alert
from tsunagu.watch.services import raise_alert

from .models import (
    AgeBand,
    Application,
    Contract,
    Decision,
    FeeRate,
    MenuItem,
    Monitoring,
    Offering,
    Provider,
    StayRequest,
    Unit,
    Usage,
    UsageMonth,
)


def age_band_of(child: Person, on: date) -> str:
    """The fee table's age band for the child on ``on`` (2歳未満 / 2歳以上)."""
    if child.birth_date is None:
        return AgeBand.FROM_2
    return AgeBand.UNDER_2 if relativedelta(on, child.birth_date).years < 2 else AgeBand.FROM_2


@transaction.atomic
def receive_application(
    case: Case,
    *,
    actor: User,
    child: Person,
    offering: Offering,
    route: str,
    received_on: date,
    interview_on: date | None = None,
    note: str = "",
) -> Application:
    """A request to use ``offering`` for ``child`` of ``case``. Raises PermissionDenied."""
    policy.require(actor, "family_support.decide", case)
    application = Application(
        case=case,
        child=child,
        offering=offering,
        route=route,
        received_on=received_on,
        interview_on=interview_on,
        note=note,
        received_by=actor,
    )
    application.full_clean()
    as_actor(actor, application).save()
    return application


@transaction.atomic
def decide(
    case: Case,
    *,
    actor: User,
    child: Person,
    offering: Offering,
    provider: Provider,
    starts_on: date,
    ends_on: date,
    tier: str,
    per_use_limit: Decimal | None = None,
    uses_limit: int | None = None,
    extendable: bool | None = None,
    asks_provider: str = "",
    plan_item: PlanItem | None = None,
    application: Application | None = None,
) -> Decision:
    """The city's decision (利用決定): the limits default to the service's standard ones and
    the fee is read from its table for ``tier`` and the child's age band on ``starts_on``.
    Raises PermissionDenied; ValidationError when the dates are out of order, the provider
    has no contract for the service, the table has no rate for the tier, or the child is
    out of the service's ages."""
    policy.require(actor, "family_support.decide", case)
    if ends_on < starts_on:
        raise ValidationError("終了日は開始日より後にしてください。")
    if not offering.contracts.filter(provider=provider).exists():
        raise ValidationError(f"「{provider}」は「{offering}」の委託先ではありません。")
    _check_age(offering, child, starts_on)
    _check_registration(offering, case, starts_on)
    band = age_band_of(child, starts_on)
    today = timezone.localdate()
    decision = Decision(
        municipality=case.municipality,
        number=next_number(case.municipality_id, Decision, today),
        case=case,
        child=child,
        application=application,
        plan_item=plan_item,
        offering=offering,
        provider=provider,
        starts_on=starts_on,
        ends_on=ends_on,
        per_use_limit=offering.per_use_limit if per_use_limit is None else per_use_limit,
        uses_limit=offering.uses_limit if uses_limit is None else uses_limit,
        extendable=offering.extendable if extendable is None else extendable,
        tier=tier,
        age_band=band,
        fee_per_unit=offering.fee_for(tier, band),
        over_limit_rate=offering.over_limit_rate,
        asks_provider=asks_provider,
        decided_on=today,
        decided_by=actor,
        next_monitoring_on=starts_on + relativedelta(months=3),
    )
    as_actor(actor, decision).save()
    if application:
        application.status = Application.Status.DECIDED
        as_actor(actor, application).save(update_fields=["status"])
    return decision


def _check_registration(offering: Offering, case: Case, on: date) -> None:
    """A service for registered families (要対協) needs a registration open on ``on``."""
    if not offering.needs_registration:
        return
    open_on = Q(ended_on=None) | Q(ended_on__gte=on)
    if not Registration.objects.filter(open_on, case=case, registered_on__lte=on).exists():
        raise ValidationError(
            f"「{offering}」は要対協に登録された家庭(要保護・要支援・特定妊婦)が対象です。"
        )


def _check_age(offering: Offering, child: Person, on: date) -> None:
    if child.birth_date is None or (offering.min_age is None and offering.max_age is None):
        return
    age = relativedelta(on, child.birth_date).years
    if offering.min_age is not None and age < offering.min_age:
        raise ValidationError(f"「{offering}」は{offering.min_age}歳からの事業です。")
    if offering.max_age is not None and age > offering.max_age:
        raise ValidationError(f"「{offering}」は{offering.max_age}歳までの事業です。")


@transaction.atomic
def record_consent(
    decision: Decision, *, actor: User, consented_on: date, how: str, sharing: bool
) -> Decision:
    """The family's consent to the service, and to sharing information with the agencies
    involved: the date and how. Raises PermissionDenied."""
    policy.require(actor, "family_support.manage", decision)
    decision.consented_on, decision.consent_how = consented_on, how
    decision.sharing_consented = sharing
    as_actor(actor, decision).save(
        update_fields=["consented_on", "consent_how", "sharing_consented"]
    )
    return decision


@transaction.atomic
def record_first_meeting(decision: Decision, *, actor: User, met_on: date) -> Decision:
    """The first meeting of family and provider (顔合わせ). Raises PermissionDenied."""
    policy.require(actor, "family_support.manage", decision)
    decision.first_meeting_on = met_on
    as_actor(actor, decision).save(update_fields=["first_meeting_on"])
    return decision


@transaction.atomic
def record_monitoring(
    decision: Decision,
    *,
    actor: User,
    held_on: date,
    outcome: str,
    note: str = "",
    extend_to: date | None = None,
    extend_uses: int | None = None,
) -> Monitoring:
    """A monitoring (or an after-care contact): continue, extend (to ``extend_to`` and/or
    ``extend_uses`` uses in all), change, or end the decision on ``held_on``. The next
    monitoring comes at the decision's interval; an ended decision takes after-care contacts
    only. Raises PermissionDenied; ValidationError when an extension extends nothing or an
    ended decision is monitored."""
    policy.require(actor, "family_support.manage", decision)
    ended = decision.status == Decision.Status.ENDED
    if ended and outcome != Monitoring.Outcome.AFTER_CARE:
        raise ValidationError("終了した決定には、終了後の連絡(アフターケア)だけを記録できます。")
    monitoring = Monitoring(
        decision=decision, held_on=held_on, outcome=outcome, note=note, recorded_by=actor
    )
    as_actor(actor, monitoring).save()
    if outcome == Monitoring.Outcome.AFTER_CARE:
        return monitoring
    if outcome == Monitoring.Outcome.EXTEND:
        _extend(decision, extend_to, extend_uses)
    if outcome == Monitoring.Outcome.END:
        decision.status, decision.ended_on = Decision.Status.ENDED, held_on
        decision.end_reason = note[:200]
        decision.next_monitoring_on = None
    else:
        decision.next_monitoring_on = held_on + relativedelta(months=decision.monitoring_months)
    as_actor(actor, decision).save()
    return monitoring


def _extend(decision: Decision, to: date | None, uses: int | None) -> None:
    later = to is not None and to > decision.ends_on
    more = uses is not None and (decision.uses_limit is None or uses > decision.uses_limit)
    if not (later or more):
        raise ValidationError(
            "延長するときは、今より後の終了日か、今より多い利用回数を入れてください。"
        )
    if later:
        decision.ends_on = to
    if more:
        decision.uses_limit = uses


# --- usage recorded by the provider ------------------------------------------------------


@dataclass
class UseInput:
    """What the provider's staff enter for one use."""

    used_on: date
    starts_at: time | None = None
    ends_at: time | None = None
    menu_item: MenuItem | None = None
    attended: bool = True
    amount: Decimal | None = None
    nights: int = 0
    children: int = 1
    guardians: int = 0
    concern: str = Usage.Concern.NONE
    observation: str = ""


def record_use(
    decision: Decision, entry: UseInput, *, actor: User, key: uuid.UUID | None = None
) -> tuple[Usage, bool]:
    """One use recorded by the provider's staff, within what the decision allows: a use past
    the number of uses, or longer than a use may be without a surcharge, is refused — or
    held for the caseworker's approval where the decision is extendable. An urgent
    observation raises an alert to the case's key person at once.

    ``key`` makes a resend harmless: the same key gives back the first record. Returns
    (usage, created). Raises PermissionDenied; ValidationError with the reason in Japanese."""
    key = key or uuid.uuid4()
    first = Usage.objects.filter(key=key).first()
    if first is not None:
        policy.require_visible(actor, first)
        return first, False
    try:
        return _record_use(decision, entry, actor=actor, key=key), True
    except IntegrityError:
        first = Usage.objects.filter(key=key).first()
        if first is None:
            raise
        return first, False


@transaction.atomic
def _record_use(decision: Decision, entry: UseInput, *, actor: User, key: uuid.UUID) -> Usage:
    policy.require(actor, "family_support.record", decision)
    # Locked: two staff recording the last allowed use at once must not both get it.
    decision = (
        Decision.objects.select_for_update().select_related("offering", "case").get(pk=decision.pk)
    )
    if not decision.starts_on <= entry.used_on <= decision.ends_on:
        raise ValidationError(
            f"{entry.used_on:%Y-%m-%d} は決定の期間"
            f"({decision.starts_on:%Y-%m-%d}〜{decision.ends_on:%Y-%m-%d})の外です。"
        )
    if entry.used_on > timezone.localdate():
        raise ValidationError("まだ来ていない日の利用は記録できません。")
    usage = Usage(
        decision=decision,
        key=key,
        used_on=entry.used_on,
        starts_at=entry.starts_at,
        ends_at=entry.ends_at,
        menu_item=entry.menu_item,
        attended=entry.attended,
        amount=_amount(decision, entry) if entry.attended else Decimal(0),
        nights=entry.nights,
        children=entry.children,
        guardians=entry.guardians,
        concern=entry.concern,
        observation=entry.observation,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    if usage.attended:
        _apply_limits(decision, usage)
    usage.full_clean(exclude=["decision", "recorded_by"])
    as_actor(actor, usage).save()
    if usage.counts:
        _add_to_month(usage)
    if usage.concern == Usage.Concern.URGENT:
        _raise_observation(usage, actor)
    return usage


def _amount(decision: Decision, entry: UseInput) -> Decimal:
    """The use in the service's unit: hours from the times for an hourly service, nights for
    a night, else one (a visit, a day, a session)."""
    if entry.amount is not None:
        return Decimal(entry.amount)
    unit = decision.offering.unit
    if unit == Unit.HOUR:
        if entry.starts_at is None or entry.ends_at is None:
            raise ValidationError("開始と終了の時刻を入れてください。")
        minutes = _minutes(entry.ends_at) - _minutes(entry.starts_at)
        if minutes <= 0:
            raise ValidationError("終了の時刻は開始より後にしてください。")
        return Decimal(minutes) / 60
    if unit == Unit.NIGHT:
        return Decimal(entry.nights or 1)
    if unit == Unit.PERSON_DAY:
        return Decimal(entry.children + entry.guardians)
    return Decimal(1)


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _apply_limits(decision: Decision, usage: Usage) -> None:
    """Set the use's status, surcharge and fee, or refuse it."""
    used = decision.uses.filter(attended=True).exclude(status=Usage.Status.HELD).count()
    amount = usage.amount.quantize(Decimal("0.1"))
    over = Decimal(0)
    if decision.per_use_limit is not None and amount > decision.per_use_limit:
        over = amount - decision.per_use_limit
    if decision.uses_limit is not None and used >= decision.uses_limit:
        if not decision.extendable:
            raise ValidationError(
                f"この決定の利用回数の上限({decision.uses_limit}回)に達しています。"
                "続けて利用するには、センターの担当者に相談してください。"
            )
        usage.status = Usage.Status.HELD
    if over and not decision.over_limit_rate:
        if not decision.extendable:
            raise ValidationError(
                f"1回あたりの上限({decision.per_use_limit}{decision.offering.get_unit_display()})"
                "を超えています。"
            )
        usage.status = Usage.Status.HELD
    usage.over_limit = over
    usage.fee = int(decision.fee_per_unit * (amount - over) + decision.over_limit_rate * over)


def _raise_observation(usage: Usage, actor: User) -> Alert:
    decision = usage.decision
    return raise_alert(
        decision.case,
        Alert.Reason.SERVICE_OBSERVATION,
        usage.recorded_at,
        actor=actor,
        source=f"{decision.provider}({decision.offering})",
        summary=usage.observation or "緊急の連絡がありました。",
        link=reverse("family_support:usage_detail", args=[usage.pk]),
    )


@transaction.atomic
def approve_use(usage: Usage, *, actor: User) -> Usage:
    """A held use approved by a worker on the case (延長の承認): it counts from now on.
    Raises PermissionDenied; ValidationError when it is not held."""
    policy.require(actor, "family_support.approve", usage)
    # Locked as a use is recorded (the decision, then the use read again): two approvals at
    # once must not both add the use to its month.
    Decision.objects.select_for_update().filter(pk=usage.decision_id).exists()
    status = Usage.objects.select_for_update().values_list("status", flat=True).get(pk=usage.pk)
    if status != Usage.Status.HELD:
        raise ValidationError("承認待ちの記録ではありません。")
    usage.status, usage.approved_by = Usage.Status.APPROVED, actor
    as_actor(actor, usage).save(update_fields=["status", "approved_by"])
    if usage.counts:
        _add_to_month(usage)
    return usage


def _month_of(day: date) -> date:
    return day.replace(day=1)


def _add_to_month(usage: Usage) -> UsageMonth:
    """Add a counted use to its decision's month (``UsageMonth``), creating the month's row.
    Called inside the transaction that recorded or approved the use, with the decision row
    locked, so two uses of a decision are added one after the other; the month row is
    locked as well."""
    month, _created = UsageMonth.objects.select_for_update().get_or_create(
        decision_id=usage.decision_id, month=_month_of(usage.used_on)
    )
    month.uses += 1
    month.persons += usage.children + usage.guardians
    month.amount += usage.amount
    month.nights += usage.nights
    month.fee += usage.fee
    month.day_bits |= 1 << (usage.used_on.day - 1)
    month.save()
    return month


class _SqliteStrftime:
    """A part of a date, on SQLite in its own strftime: Django's Extract calls a Python
    function there once a row."""

    strftime = ""

    def as_sqlite(self, compiler: SQLCompiler, connection: object, **extra: object) -> tuple:
        sql, params = compiler.compile(self.lhs)
        return f"CAST(strftime('%%{self.strftime}', {sql}) AS INTEGER)", params


class _UsedYear(_SqliteStrftime, ExtractYear):
    strftime = "Y"


class _UsedMonth(_SqliteStrftime, ExtractMonth):
    strftime = "m"


class _UsedDay(_SqliteStrftime, ExtractDay):
    strftime = "d"


def rebuild_months(decisions: QuerySet[Decision]) -> int:
    """Recompute the monthly summaries (``UsageMonth``) of ``decisions`` (a queryset) from
    their counted uses, for a bulk load that wrote uses without the services: grouped reads
    (the sums by decision and month, then the distinct days), the old rows deleted and the
    new ones written in bulk. Returns the number of rows written."""
    decision_ids = decisions.order_by().values("pk")
    counted = (
        Usage.objects.filter(decision__in=decision_ids, attended=True)
        .exclude(status=Usage.Status.HELD)
        .order_by()
    )
    year, month = _UsedYear("used_on"), _UsedMonth("used_on")
    rows: dict[tuple[int, int, int], UsageMonth] = {}
    for group in counted.values("decision_id", y=year, m=month).annotate(
        n_uses=Count("pk"),
        n_persons=Sum(F("children") + F("guardians")),
        n_amount=Sum("amount"),
        n_nights=Sum("nights"),
        n_fee=Sum("fee"),
    ):
        key = (group["decision_id"], int(group["y"]), int(group["m"]))
        rows[key] = UsageMonth(
            decision_id=key[0],
            month=date(key[1], key[2], 1),
            uses=group["n_uses"],
            persons=group["n_persons"] or 0,
            amount=group["n_amount"] or Decimal(0),
            nights=group["n_nights"] or 0,
            fee=group["n_fee"] or 0,
        )
    days = counted.values_list("decision_id", year, month, _UsedDay("used_on")).distinct()
    for decision_id, y, m, day in days:
        rows[decision_id, int(y), int(m)].day_bits |= 1 << (int(day) - 1)
    UsageMonth.objects.filter(decision__in=decision_ids).delete()
    UsageMonth.objects.bulk_create(rows.values(), batch_size=5_000)
    return len(rows)


# --- short stay ----------------------------------------------------------------------------


@transaction.atomic
def request_stay(
    case: Case,
    *,
    actor: User,
    child: Person,
    provider: Provider,
    starts_on: date,
    ends_on: date,
    agency: str = "",
    needs_medical_care: bool = False,
    needs_development_support: bool = False,
    district: Area | None = None,
    note: str = "",
) -> StayRequest:
    """Ask ``provider`` (through the coordinating agency) to take the child for a short stay.
    Raises PermissionDenied; ValidationError when the dates are out of order."""
    policy.require(actor, "family_support.decide", case)
    if ends_on < starts_on:
        raise ValidationError("終了日は開始日より後にしてください。")
    stay = StayRequest(
        case=case,
        child=child,
        provider=provider,
        starts_on=starts_on,
        ends_on=ends_on,
        agency=agency,
        needs_medical_care=needs_medical_care,
        needs_development_support=needs_development_support,
        district=district,
        note=note,
        requested_on=timezone.localdate(),
        requested_by=actor,
    )
    as_actor(actor, stay).save()
    return stay


@transaction.atomic
def answer_stay(
    stay: StayRequest, *, actor: User, answer: str, answered_on: date, note: str = ""
) -> StayRequest:
    """The coordinating agency's answer, recorded by the worker. Raises PermissionDenied;
    ValidationError when it was answered already."""
    policy.require(actor, "family_support.manage", stay)
    if stay.answer != StayRequest.Answer.PENDING:
        raise ValidationError("この依頼には回答が記録されています。")
    stay.answer, stay.answered_on = answer, answered_on
    if note:
        stay.note = f"{stay.note}\n{note}".strip()
    as_actor(actor, stay).save(update_fields=["answer", "answered_on", "note"])
    return stay


# --- the catalogue -------------------------------------------------------------------------


@transaction.atomic
def copy_year(municipality: Municipality, from_year: int, *, actor: User) -> list[Offering]:
    """The next fiscal year's catalogue as a copy of ``from_year``'s: each service with its
    menu, fee table and contracts, to be edited where the new year differs. Decisions keep
    the fee they were made with. Raises PermissionDenied; ValidationError when the next year
    has services already or ``from_year`` has none."""
    policy.require(actor, "family_support.catalogue_edit", municipality)
    source = Offering.objects.filter(municipality=municipality, fiscal_year=from_year)
    if not source.exists():
        raise ValidationError(f"{from_year}年度の事業がありません。")
    if Offering.objects.filter(municipality=municipality, fiscal_year=from_year + 1).exists():
        raise ValidationError(f"{from_year + 1}年度の事業はすでにあります。")
    made = []
    for old in source.prefetch_related("menu", "fees", "contracts"):
        new = Offering.objects.get(pk=old.pk)
        new.pk, new.fiscal_year = None, from_year + 1
        new._state.adding = True
        as_actor(actor, new).save()
        MenuItem.objects.bulk_create(
            MenuItem(offering=new, name=m.name, order=m.order) for m in old.menu.all()
        )
        FeeRate.objects.bulk_create(
            FeeRate(offering=new, tier=f.tier, age_band=f.age_band, amount=f.amount)
            for f in old.fees.all()
        )
        for contract in old.contracts.all():
            copy = Contract(
                offering=new,
                provider_id=contract.provider_id,
                unit_price=contract.unit_price,
                management_fee_percent=contract.management_fee_percent,
            )
            as_actor(actor, copy).save()
        made.append(new)
    return made


@transaction.atomic
def set_fees(offering: Offering, amounts: dict[tuple[str, str], int], *, actor: User) -> None:
    """The fee table of ``offering``: yen per unit by (tier, age band); a cell left out is
    removed. Decisions already made keep their fee. Raises PermissionDenied."""
    policy.require(actor, "family_support.catalogue_edit", offering)
    offering.fees.exclude(
        pk__in=[rate.pk for rate in offering.fees.all() if (rate.tier, rate.age_band) in amounts]
    ).delete()
    for (tier, band), amount in amounts.items():
        FeeRate.objects.update_or_create(
            offering=offering, tier=tier, age_band=band, defaults={"amount": amount}
        )
    as_actor(actor, offering).save()  # the change in the service's history


@transaction.atomic
def save_offering(offering: Offering, *, actor: User) -> Offering:
    """A service of the catalogue, new or changed (names, unit, eligibility, limits).
    Raises PermissionDenied."""
    policy.require(actor, "family_support.catalogue_edit", offering)
    offering.full_clean()
    as_actor(actor, offering).save()
    return offering


@transaction.atomic
def save_provider(provider: Provider, *, actor: User) -> Provider:
    """A provider, new or changed. Raises PermissionDenied."""
    policy.require(actor, "family_support.catalogue_edit", provider)
    provider.full_clean()
    as_actor(actor, provider).save()
    return provider


@transaction.atomic
def save_contract(contract: Contract, *, actor: User) -> Contract:
    """The city's contract with a provider for a service of a year (unit price and management
    fee), new or changed. Raises PermissionDenied; ValidationError when the service and
    the provider are not of the same city."""
    policy.require(actor, "family_support.catalogue_edit", contract.provider)
    if contract.offering.municipality_id != contract.provider.municipality_id:
        raise ValidationError("事業と事業者の市町村が違います。")
    existing = Contract.objects.filter(offering=contract.offering, provider=contract.provider)
    contract.pk = existing.values_list("pk", flat=True).first()
    contract._state.adding = contract.pk is None
    as_actor(actor, contract).save()
    return contract
