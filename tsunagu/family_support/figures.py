"""The figures of a fiscal year (家庭支援事業の実績): for the subsidy report, by service
(offering) × provider × month, each service's and the city's totals for the year, and the
previous year's totals beside them.

Read from the monthly summaries of the uses (``UsageMonth``: one row a decision and month,
the totals of its counted uses and the days they fell on, kept as uses are recorded and
approved), grouped and counted in the database, never a loop over the uses: the year's
summaries by offering × provider × month and by offering × month (the distinct children and
households of each, the sums, the dates), the previous year's by offering × provider × month,
and for each year the decisions with a counted use (who was served: one row a decision, from
which the year's distinct children and households are counted by provider, service and
city). A month's dates travel as one number of day bits, OR-ed across decisions in the
database and across providers and services where a total counts a date once. A use counts
when it took place (``attended``) and is not held for approval (``Usage.counts``); it
belongs to the fiscal year of its date, under its decision's service and provider.

The columns (``COLUMNS``):

- 実人数: distinct children (the decision's child) with a counted use, within the row's
  period and group. A month counts a child once in the month, the year once in the year:
  the year's 実人数 is *not* the sum of its months (a child of every month counts 12 times
  there, once here), nor a service total the sum of its providers, nor the city's the sum
  of its services.
- 延べ人数: children + guardians over the counted uses.
- 世帯: distinct households (the decision's case), distinct like 実人数.
- 回: counted uses.
- 時間: hours used, for services counted in hours.
- 日: for services counted in days, the distinct dates of use in the group (distinct like
  実人数: a service's year counts a date once whichever provider it was at).
- 泊: nights.
- 人日: children + guardians, for services counted in person-days.
- 開所日数: the dates on which a provider had a counted use of a service, counted per
  provider and service; totals add them up (a date two providers were open counts twice).
- 箇所: distinct providers with a counted use.
- 利用者負担額: the fees charged to the families, in yen.
- 委託料: what is payable to the provider: its contract's unit price × the amount used, plus
  the contract's management fee percentage, rounded down to the yen once per provider,
  service and month (one month's invoice); the year and every total add up those monthly
  amounts, so they are what was paid.

Figures are aggregates of the whole city (the municipality), not of the cases a worker
sees; they name no child or family. A provider who is a person (a foster carer, a
professional) is shown by kind and number, not by name.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from django.db import connection
from django.db.models import (
    Aggregate,
    BigIntegerField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
)
from django.utils.translation import gettext_lazy as _

from tsunagu.core.fiscal import fiscal_year_bounds
from tsunagu.core.wareki import wareki

from .models import Contract, Offering, Provider, Unit, UsageMonth

ZERO = Decimal(0)
# April to March: the months of a fiscal year, in its order.
FISCAL_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
# Providers who are persons: never shown by name.
INDIVIDUALS = (Provider.Kind.FOSTER_CARER, Provider.Kind.PROFESSIONAL)

COLUMNS = [
    ("children", _("実人数")),
    ("persons", _("延べ人数")),
    ("households", _("世帯")),
    ("uses", _("回")),
    ("hours", _("時間")),
    ("days", _("日")),
    ("nights", _("泊")),
    ("person_days", _("人日")),
    ("open_days", _("開所日数")),
    ("places", _("箇所")),
    ("fees", _("利用者負担額")),
    ("payable", _("委託料")),
]
# What adds up from a finer row to a coarser one; the others are distinct counts, read again
# for each level (or, for 箇所, counted from the providers seen).
ADDITIVE = ("persons", "uses", "hours", "nights", "person_days", "open_days", "fees", "payable")


@dataclass
class Row:
    """One line of figures: what the counted uses of one group and period add up to."""

    children: int = 0
    persons: int = 0
    households: int = 0
    uses: int = 0
    hours: Decimal = ZERO
    days: int = 0
    nights: int = 0
    person_days: int = 0
    open_days: int = 0
    places: int = 0
    fees: int = 0
    payable: int = 0

    def add(self, other: "Row") -> None:
        """Add the additive columns of ``other`` (not the distinct counts)."""
        for name in ADDITIVE:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def values(self) -> list:
        """The columns' values, in COLUMNS' order."""
        return [getattr(self, name) for name, _label in COLUMNS]

    @property
    def cells(self) -> list[str]:
        """The values as the page shows them: thousands separated, hours to a tenth."""
        return [
            f"{value:,.1f}" if name == "hours" else f"{value:,}" for name, value in self.items()
        ]

    def items(self):
        return ((name, getattr(self, name)) for name, _label in COLUMNS)

    def change(self, previous: "Row | None") -> list[str]:
        """This row against ``previous``, column by column: 前年比 in per cent, '—' where
        the previous year had none."""
        if previous is None:
            return ["—"] * len(COLUMNS)
        return [
            f"{Decimal(value) * 100 / Decimal(before):,.1f}%" if before else "—"
            for (_name, value), before in zip(self.items(), previous.values, strict=True)
        ]


def month_of(fiscal_year: int, month: int) -> date:
    """The first day of ``month`` (1–12) within fiscal year ``fiscal_year``."""
    return date(fiscal_year if month >= FISCAL_MONTHS[0] else fiscal_year + 1, month, 1)


@dataclass
class ProviderFigures:
    """A provider's figures for a service: each month, and the year."""

    provider_id: int
    label: str
    fiscal_year: int
    months: dict[int, Row]
    year: Row

    @property
    def month_rows(self) -> list[tuple[date, Row]]:
        """(the month's first day, its row), April to March."""
        return [(month_of(self.fiscal_year, m), self.months[m]) for m in FISCAL_MONTHS]


@dataclass
class ServiceFigures:
    """A service (one offering): its providers, its total of each month and of the year, and
    the previous year's total of the same service (None when it had no such service)."""

    offering: Offering
    name: str
    fiscal_year: int
    providers: list[ProviderFigures]
    months: dict[int, Row]
    year: Row
    previous: Row | None = None

    @property
    def month_rows(self) -> list[tuple[date, Row]]:
        return [(month_of(self.fiscal_year, m), self.months[m]) for m in FISCAL_MONTHS]

    @property
    def change(self) -> list[str]:
        return self.year.change(self.previous)


@dataclass
class YearFigures:
    fiscal_year: int
    services: list[ServiceFigures] = field(default_factory=list)
    total: Row = field(default_factory=Row)
    previous_total: Row = field(default_factory=Row)

    @property
    def name(self) -> str:
        return fiscal_year_name(self.fiscal_year)

    @property
    def change(self) -> list[str]:
        return self.total.change(self.previous_total)


def fiscal_year_name(year: int) -> str:
    """2026年度(令和8年度)"""
    era = wareki(date(year, 4, 1), month_only=True).split("年")[0]
    return f"{year}年度({era}年度)"


class BitOr(Aggregate):
    """PostgreSQL's BIT_OR: the bits set in any of the group's numbers."""

    function = "BIT_OR"
    output_field = BigIntegerField()


def day_bits() -> Aggregate | ExpressionWrapper:
    """The dates of a group's months, as the OR of their day bits (bit d − 1 for day d).
    PostgreSQL has BIT_OR; elsewhere the same number is the sum, over the 31 days, of the
    greatest of each row's bit of that day (a bit set in any row is set once)."""
    if connection.vendor == "postgresql":
        return BitOr("day_bits")
    bits = [Max(F("day_bits").bitand(1 << day)) for day in range(31)]
    total = bits[0]
    for bit in bits[1:]:
        total = total + bit
    return ExpressionWrapper(total, output_field=BigIntegerField())


def months_of(municipality_id: int, year: int) -> QuerySet:
    """The monthly summaries the figures of fiscal year ``year`` count: the months of the
    year, of the city's decisions. (Those decisions run in the year too: a use is recorded
    within its decision's dates, which only ever widen; saying so lets the database leave out
    other years' decisions.)"""
    first, last = fiscal_year_bounds(year)
    return UsageMonth.objects.filter(
        decision__municipality_id=municipality_id,
        decision__starts_on__lte=last,
        decision__ends_on__gte=first,
        month__gte=first,
        month__lte=last,
        uses__gt=0,
    ).order_by()


def _served(municipality_id: int, year: int, *group: str) -> list[tuple]:
    """(``group``…, child, case) for the decisions with a counted use in the year, each once:
    who was served. The year's distinct children and households of every level are counted
    from these few rows."""
    paths = [f"decision__{path}" for path in (*group, "child", "case")]
    return list(months_of(municipality_id, year).values_list(*paths).distinct())


def _people(served: list[tuple], width: int) -> dict[tuple, tuple[int, int]]:
    """Distinct children and households by the first ``width`` values of each served row."""
    children: dict[tuple, set] = defaultdict(set)
    households: dict[tuple, set] = defaultdict(set)
    for row in served:
        key = row[:width]
        children[key].add(row[-2])
        households[key].add(row[-1])
    return {key: (len(children[key]), len(households[key])) for key in children}


def _monthly(
    months: QuerySet, *group: str, people: bool = True, sums: bool = True, days: bool = True
) -> list:
    """The monthly summaries by ``group`` (paths from UsageMonth) and month: as asked, the
    distinct children and households, the sums, the day bits. ``month`` is the month's
    number (1–12)."""
    annotations = {"n_days": day_bits()} if days else {}
    if people:
        annotations["n_children"] = Count("decision__child", distinct=True)
        annotations["n_households"] = Count("decision__case", distinct=True)
    if sums:
        annotations.update(
            n_persons=Sum("persons"),
            n_uses=Sum("uses"),
            n_amount=Sum("amount", output_field=DecimalField(max_digits=16, decimal_places=1)),
            n_nights=Sum("nights"),
            n_fees=Sum("fee"),
        )
    names = {path.rsplit("__", 1)[-1]: F(path) for path in group}
    rows = list(months.values(**names, first_day=F("month")).annotate(**annotations))
    for row in rows:
        row["month"] = row.pop("first_day").month
    return rows


def _payable(amount: Decimal, contract: tuple[int, Decimal] | None) -> int:
    """One month's invoice: unit price × amount plus the management fee, rounded down."""
    if contract is None:
        return 0
    unit_price, percent = contract
    exact = Decimal(unit_price) * amount * (100 + percent) / 100
    return int(exact.to_integral_value(rounding=ROUND_FLOOR))


def _fine_row(group: dict, unit: str, contract) -> Row:
    """A provider's month of a service, from its grouped row."""
    amount = group["n_amount"] or ZERO
    persons = group["n_persons"] or 0
    dates = group["n_days"].bit_count()
    return Row(
        children=group.get("n_children", 0),
        persons=persons,
        households=group.get("n_households", 0),
        uses=group["n_uses"],
        hours=amount if unit == Unit.HOUR else ZERO,
        days=dates if unit == Unit.DAY else 0,
        nights=group["n_nights"] or 0,
        person_days=persons if unit == Unit.PERSON_DAY else 0,
        open_days=dates,
        places=1,
        fees=group["n_fees"] or 0,
        payable=_payable(amount, contract),
    )


def _contracts(offering_ids) -> dict[tuple[int, int], tuple[int, Decimal]]:
    return {
        (offering, provider): (price, percent)
        for offering, provider, price, percent in Contract.objects.filter(
            offering_id__in=offering_ids
        ).values_list("offering", "provider", "unit_price", "management_fee_percent")
    }


def _provider_labels(municipality_id: int) -> dict[int, str]:
    """Organisations by name; a person (a foster carer …) as 養育里親 1, 養育里親 2 …, numbered
    in the order they were registered, the same in every year."""
    labels, numbers = {}, defaultdict(int)
    providers = Provider.objects.filter(municipality_id=municipality_id).order_by("pk")
    for pk, name, kind in providers.values_list("pk", "name", "kind"):
        if kind in INDIVIDUALS:
            numbers[kind] += 1
            labels[pk] = f"{Provider.Kind(kind).label} {numbers[kind]}"
        else:
            labels[pk] = name
    return labels


def _service_order(offering: Offering) -> tuple:
    categories = list(Offering.LegalCategory.values)
    return (-offering.fiscal_year, categories.index(offering.legal_category), offering.public_name)


def _dates(masks: dict[int, int]) -> int:
    """The dates of the months' OR-ed day bits."""
    return sum(mask.bit_count() for mask in masks.values())


def year_figures(municipality_id: int, year: int) -> YearFigures:
    """The figures of fiscal year ``year`` (April ``year`` – March ``year + 1``) of a
    municipality. Every service of that year's catalogue has a table, with the providers
    under contract for it, used or not; a service of another year's catalogue appears when
    a decision under it had uses this year (a decision running past March). The previous
    year's totals go beside the service of the same kind (ServiceKind: a year's catalogue is
    a new set of offerings, the kind is what stays), when the year has one offering of it.

    Reads the monthly summaries five times (grouped: three of this year, two of the
    previous), whatever the number of uses."""
    result = YearFigures(year)
    months = months_of(municipality_id, year)
    finest = _monthly(months, "decision__offering", "decision__provider")
    service_months = {
        (row["offering"], row["month"]): row
        for row in _monthly(months, "decision__offering", sums=False, days=False)
    }
    served = _served(municipality_id, year, "offering", "provider")
    people = {
        "provider": _people(served, 2),
        "service": _people(served, 1),
        "city": _people(served, 0),
    }

    offerings = {
        o.pk: o
        for o in Offering.objects.filter(
            Q(municipality_id=municipality_id, fiscal_year=year)
            | Q(pk__in={row["offering"] for row in finest})
        )
    }
    contracts = _contracts(offerings)
    labels = _provider_labels(municipality_id)
    fine: dict[tuple[int, int, int], Row] = {}
    dates: dict[tuple[int, int], int] = defaultdict(int)  # a service's month, all providers
    providers_of: dict[int, set[int]] = defaultdict(set)
    for offering, provider in contracts:
        providers_of[offering].add(provider)
    for row in finest:
        offering, provider, month = row["offering"], row["provider"], row["month"]
        fine[offering, provider, month] = _fine_row(
            row, offerings[offering].unit, contracts.get((offering, provider))
        )
        dates[offering, month] |= row["n_days"]
        providers_of[offering].add(provider)

    previous = _previous(municipality_id, year)
    kinds = [o.kind_id for o in offerings.values() if o.fiscal_year == year]
    day_masks: dict[int, int] = defaultdict(int)  # the city's day services' dates, by month
    used_providers: set[int] = set()
    for offering in sorted(offerings.values(), key=_service_order):
        months = {
            m: (service_months.get((offering.pk, m)), dates[offering.pk, m]) for m in FISCAL_MONTHS
        }
        service = _service(
            year,
            offering,
            sorted(providers_of[offering.pk], key=lambda pk: labels[pk]),
            fine,
            labels,
            months,
            people,
        )
        if offering.fiscal_year == year and kinds.count(offering.kind_id) == 1:
            service.previous = previous.services.get(offering.kind_id)
            if service.previous is None and offering.kind_id in previous.kinds:
                service.previous = Row()  # offered, not used
        if offering.unit == Unit.DAY:
            for month in FISCAL_MONTHS:
                day_masks[month] |= dates[offering.pk, month]
        result.services.append(service)
        result.total.add(service.year)
        used_providers |= {p.provider_id for p in service.providers if p.year.uses}
    _set_people(result.total, people["city"].get(()))
    result.total.days = _dates(day_masks)
    result.total.places = len(used_providers)
    result.previous_total = previous.total
    return result


def _set_people(row: Row, counts: tuple[int, int] | None) -> None:
    row.children, row.households = counts or (0, 0)


def _service(
    fiscal_year: int,
    offering: Offering,
    provider_ids: list[int],
    fine: dict,
    labels: dict,
    month_groups: dict[int, tuple[dict | None, int]],
    people: dict,
) -> ServiceFigures:
    providers = []
    for provider in provider_ids:
        months = {m: fine.get((offering.pk, provider, m), Row()) for m in FISCAL_MONTHS}
        year = Row()
        for row in months.values():
            year.add(row)
            year.days += row.days  # one provider's dates of different months differ
        _set_people(year, people["provider"].get((offering.pk, provider)))
        year.places = 1 if year.uses else 0
        providers.append(ProviderFigures(provider, labels[provider], fiscal_year, months, year))
    months = {}
    year = Row()
    for month, (group, dates) in month_groups.items():
        row = Row()
        for provider in providers:
            row.add(provider.months[month])
        if group is not None:
            row.children, row.households = group["n_children"], group["n_households"]
        row.days = dates.bit_count() if offering.unit == Unit.DAY else 0
        row.places = sum(1 for p in providers if p.months[month].uses)
        months[month] = row
        year.days += row.days
    for provider in providers:
        year.add(provider.year)
    _set_people(year, people["service"].get((offering.pk,)))
    year.places = sum(1 for p in providers if p.year.uses)
    name = offering.public_name
    if offering.fiscal_year != fiscal_year:
        name = f"{name}({offering.fiscal_year}年度の事業)"
    return ServiceFigures(offering, name, fiscal_year, providers, months, year)


@dataclass
class _Previous:
    services: dict[int, Row]  # by service kind
    kinds: set[int]  # the kinds of the previous year's catalogue
    total: Row


def _previous(municipality_id: int, year: int) -> _Previous:
    """The previous fiscal year's totals, by service kind and for the city."""
    finest = _monthly(
        months_of(municipality_id, year - 1),
        "decision__offering",
        "decision__provider",
        people=False,
    )
    offerings = {
        pk: (kind, unit)
        for pk, kind, unit in Offering.objects.filter(
            pk__in={row["offering"] for row in finest}
        ).values_list("pk", "kind", "unit")
    }
    contracts = _contracts(offerings)
    served = _served(municipality_id, year - 1, "offering__kind")
    by_kind = _people(served, 1)
    services: dict[int, Row] = defaultdict(Row)
    providers: dict[int, set[int]] = defaultdict(set)
    day_masks: dict[int | None, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for group in finest:
        offering, provider = group["offering"], group["provider"]
        kind, unit = offerings[offering]
        services[kind].add(_fine_row(group, unit, contracts.get((offering, provider))))
        providers[kind].add(provider)
        if unit == Unit.DAY:
            for key in (kind, None):  # the kind's, and the city's
                day_masks[key][group["month"]] |= group["n_days"]
    total = Row()
    for kind, row in services.items():
        _set_people(row, by_kind.get((kind,)))
        row.days = _dates(day_masks[kind])
        row.places = len(providers[kind])
        total.add(row)
    _set_people(total, _people(served, 0).get(()))
    total.days = _dates(day_masks[None])
    total.places = len(set().union(*providers.values()))
    kinds = set(
        Offering.objects.filter(municipality_id=municipality_id, fiscal_year=year - 1).values_list(
            "kind", flat=True
        )
    )
    return _Previous(dict(services), kinds, total)


def fiscal_years(municipality_id: int, around: int) -> list[int]:
    """The years to choose from: those of the city's catalogues, and ``around`` (the year
    shown), newest first."""
    years = set(
        Offering.objects.filter(municipality_id=municipality_id)
        .values_list("fiscal_year", flat=True)
        .distinct()
    )
    return sorted(years | {around}, reverse=True)
