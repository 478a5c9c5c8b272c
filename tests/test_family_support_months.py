"""The monthly summaries of the uses (UsageMonth), which the figures read: kept as uses are
recorded and approved, they equal a recount of the counted uses (attended, not held), and
``rebuild_months`` writes the same rows from the uses.

Every use is dated in October and November 2026, in the past of both moments the suite
runs at (2026-11-24 and CI's 2028-12-31)."""

import importlib
from collections import defaultdict
from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from tsunagu.family_support import services
from tsunagu.family_support.models import Decision, Usage, UsageMonth
from tsunagu.family_support.services import UseInput

pytestmark = pytest.mark.django_db

FIELDS = ("month", "uses", "persons", "amount", "nights", "fee", "day_bits")


@pytest.fixture
def decision(users, family):
    _household, mother, child = family
    case = factories.case(users["caseworker"], [(mother, "guardian"), (child, "child")])
    decision = factories.home_visit_decision(
        users["caseworker"], case, users["provider"].organisation
    )
    decision.extendable = True
    decision.save()
    return decision


def _visit(day: date, ends: time = time(12), **extra) -> UseInput:
    return UseInput(used_on=day, starts_at=time(10), ends_at=ends, **extra)


def _summary(decision: Decision) -> list[tuple]:
    return list(UsageMonth.objects.filter(decision=decision).order_by("month").values_list(*FIELDS))


def _recount(decision: Decision) -> list[tuple]:
    """The counted uses added up by month, one use at a time."""
    months: dict[date, dict] = defaultdict(
        lambda: {"uses": 0, "persons": 0, "amount": Decimal(0), "nights": 0, "fee": 0, "bits": 0}
    )
    for usage in Usage.objects.filter(decision=decision):
        if not usage.counts:
            continue
        month = months[usage.used_on.replace(day=1)]
        month["uses"] += 1
        month["persons"] += usage.children + usage.guardians
        month["amount"] += usage.amount
        month["nights"] += usage.nights
        month["fee"] += usage.fee
        month["bits"] |= 1 << (usage.used_on.day - 1)
    return [
        (first, m["uses"], m["persons"], m["amount"], m["nights"], m["fee"], m["bits"])
        for first, m in sorted(months.items())
    ]


def test_the_summary_follows_uses_absences_a_held_use_and_its_approval(users, decision):
    staff = users["provider"]

    def record(entry: UseInput) -> Usage:
        usage, created = services.record_use(decision, entry, actor=staff)
        assert created
        assert _summary(decision) == _recount(decision)
        return usage

    record(_visit(date(2026, 10, 5)))
    record(_visit(date(2026, 10, 19), ends=time(13), guardians=1))  # 1 h over the limit
    record(_visit(date(2026, 10, 26), attended=False))  # an absence counts nothing
    record(_visit(date(2026, 11, 2)))
    record(_visit(date(2026, 11, 16)))
    held = record(_visit(date(2026, 11, 23)))  # the fifth: held, not counted yet
    assert held.status == Usage.Status.HELD

    assert _summary(decision) == [
        (date(2026, 10, 1), 2, 3, Decimal("5.0"), 0, 300 + 300 + 1000, (1 << 4) | (1 << 18)),
        (date(2026, 11, 1), 2, 2, Decimal("4.0"), 0, 600, (1 << 1) | (1 << 15)),
    ]

    services.approve_use(held, actor=users["caseworker"])
    assert _summary(decision) == _recount(decision)
    assert _summary(decision)[1][1:3] == (3, 3)
    assert _summary(decision)[1][-1] == (1 << 1) | (1 << 15) | (1 << 22)

    kept = _summary(decision)
    UsageMonth.objects.filter(decision=decision).update(uses=99, day_bits=0)
    assert services.rebuild_months(Decision.objects.filter(pk=decision.pk)) == 2
    assert _summary(decision) == kept


def test_an_approval_twice_is_refused_and_counts_once(users, decision):
    for day in (2, 9, 16, 23):
        services.record_use(decision, _visit(date(2026, 11, day)), actor=users["provider"])
    held, _ = services.record_use(decision, _visit(date(2026, 11, 20)), actor=users["provider"])
    stale = Usage.objects.get(pk=held.pk)
    services.approve_use(held, actor=users["caseworker"])
    with pytest.raises(ValidationError):
        services.approve_use(stale, actor=users["caseworker"])
    assert _summary(decision) == _recount(decision)
    assert _summary(decision)[0][1] == 5


def test_the_migration_fills_the_months_of_the_uses_recorded_before(users, decision):
    from django.apps import apps

    fill = importlib.import_module("tsunagu.family_support.migrations.0002_usage_month")
    for day in (2, 9, 16, 23):
        services.record_use(decision, _visit(date(2026, 11, day)), actor=users["provider"])
    absent = _visit(date(2026, 10, 5), attended=False)
    services.record_use(decision, absent, actor=users["provider"])
    kept = _summary(decision)
    UsageMonth.objects.all().delete()
    fill.fill_months(apps, None)
    assert _summary(decision) == kept == _recount(decision)
