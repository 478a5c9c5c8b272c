"""The demo city's family support services (家庭支援事業, issue 19): its catalogue for this
fiscal year and the last, three providers and a foster-carer network for short stays, and a
year of decisions and uses in the proportions of the guidebook's municipal cases (seed 002):
helper visits of 2 hours for about 4 visits, some extended; a hub that children attend two
days a week; short stays of two or three nights at the children's home, the infant home for
the under-2s, or a foster carer; a parenting course of 8 sessions.

The families are the registered cases still being supported. One urgent observation is
recorded through the service today, so its alert is waiting for the key person."""

import uuid
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from random import Random

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from tsunagu.cases.models import Assignment, Case, CasePerson
from tsunagu.core.fiscal import fiscal_year_of
from tsunagu.core.models import Area, Organisation
from tsunagu.family_support import catalogue, services
from tsunagu.family_support.models import (
    AgeBand,
    Contract,
    Decision,
    Monitoring,
    Offering,
    Provider,
    ProviderStaff,
    StayRequest,
    Tier,
    Usage,
)
from tsunagu.family_support.services import UseInput
from tsunagu.people.models import Person

from .watch import _as

# (provider name in city.PROVIDERS, kind, the legal categories it is contracted for, unit
# price in yen per unit, management fee %)
PROVIDERS = [
    ("子育てヘルパーステーション ひだまり", Provider.Kind.NPO, ("home_visit_support",), 3000, 10),
    (
        "社会福祉法人 わかば学園(児童養護施設)",
        Provider.Kind.CHILDRENS_HOME,
        ("short_stay",),
        10000,
        0,
    ),
    ("NPO法人 親子のひろば", Provider.Kind.NPO, ("child_hub", "parenting_program"), 6000, 10),
]
# The foster-carer network for short stays (里親ショートステイ): individual contracts.
CARERS = [("里親 森田家", True), ("里親 川口家", False), ("里親 小野家", True)]
INFANT_HOME = "若葉乳児院"
TIERS = {
    Tier.PUBLIC_ASSISTANCE: 2,
    Tier.SINGLE_PARENT_EXEMPT: 2,
    Tier.TAX_EXEMPT: 3,
    Tier.LOW_INCOME_LEVY: 2,
    Tier.OTHER: 3,
}
NOTES = [
    "台所が片付いてきた。母の表情が明るい。",
    "子どもが宿題を見せてくれた。",
    "母が寝不足と話す。下の子の夜泣きが続いている。",
    "冷蔵庫がほぼ空。食事について担当者に伝えたい。",
    "父が在宅。子どもが少し緊張していた。",
]


class _Builder:
    def __init__(self, rng: Random, municipality, organisations, users, today: date):
        self.rng, self.municipality, self.today = rng, municipality, today
        self.worker = users["katei"]
        self.made: Counter = Counter()
        self.year = fiscal_year_of(today)
        self.offerings: dict[tuple[int, str], Offering] = {}
        self.providers: dict[str, Provider] = {}
        self.numbers: Counter = Counter()
        self.menus: dict[int, object] = {}

    def catalogue(self) -> None:
        for year in (self.year - 1, self.year):
            for offering in catalogue.load(self.municipality, year):
                self.offerings[(year, offering.kind.code)] = offering
        self.made["事業(2年度分)"] = len(self.offerings)

    def providers_and_contracts(self) -> None:
        organisations = {
            o.name: o
            for o in Organisation.objects.filter(
                municipality=self.municipality, kind=Organisation.Kind.PROVIDER
            )
        }
        districts = list(
            Area.objects.filter(
                municipality=self.municipality, kind=Area.Kind.ELEMENTARY_DISTRICT
            ).order_by("code")
        )
        for name, kind, codes, price, fee in PROVIDERS:
            provider = self._provider(name, kind, organisation=organisations.get(name))
            if kind == Provider.Kind.CHILDRENS_HOME:
                provider.min_age, provider.max_age, provider.capacity = 2, 17, 4
                provider.development_support, provider.current_placements = True, 1
                provider.save()
            for code in codes:
                self._contracts(provider, code, price, fee)
        infant_home = self._provider(
            INFANT_HOME, Provider.Kind.INFANT_HOME, min_age=0, max_age=1, capacity=2
        )
        infant_home.medical_care = True
        infant_home.save()
        self._contracts(infant_home, "short_stay", 11000, 0)
        for i, (name, weekends_only) in enumerate(CARERS):
            carer = self._provider(
                name,
                Provider.Kind.FOSTER_CARER,
                min_age=2,
                max_age=12,
                capacity=1,
                weekends_only=weekends_only,
                years_experience=3 + i * 4,
                district=districts[(i * 5) % len(districts)] if districts else None,
            )
            self._contracts(carer, "short_stay", 7000, 0)
        self._contracts(self.providers[PROVIDERS[1][0]], "twilight_stay", 3000, 0)
        for provider in self.providers.values():
            if provider.kind in (Provider.Kind.NPO, Provider.Kind.CHILDRENS_HOME):
                ProviderStaff.objects.bulk_create(
                    ProviderStaff(
                        provider=provider,
                        name=f"{provider.name.split()[-1][:4]} 支援員{n + 1}",
                        qualifications=("保育士", "社会福祉士", "子育て支援員")[n % 3],
                        trained_on=date(self.year, 5, 20),
                    )
                    for n in range(3)
                )
        self.made["提供事業者"] = len(self.providers)

    def _provider(self, name: str, kind: str, **extra) -> Provider:
        provider = Provider.objects.create(
            municipality=self.municipality, name=name, kind=kind, **extra
        )
        self.providers[name] = provider
        return provider

    def _contracts(self, provider: Provider, code: str, price: int, fee: int) -> None:
        for year in (self.year - 1, self.year):
            Contract.objects.create(
                offering=self.offerings[(year, code)],
                provider=provider,
                unit_price=price,
                management_fee_percent=Decimal(fee),
            )

    def families(self) -> list[tuple[Case, Person, Person | None]]:
        """Cases being supported, with their youngest child and the key person."""
        cases = Case.objects.filter(
            municipality=self.municipality, status=Case.Status.SUPPORTING
        ).order_by("pk")
        children = {
            link.case_id: link.person
            for link in CasePerson.objects.filter(
                case__in=cases, role=CasePerson.Role.CHILD, person__birth_date__isnull=False
            )
            .select_related("person")
            .order_by("person__birth_date")
        }
        return [(case, children[case.pk]) for case in cases if case.pk in children]

    def decide(self, case, child, code: str, provider: Provider, starts_on: date, **limits):
        year = fiscal_year_of(starts_on)
        offering = self.offerings[(year, code)]
        decided_on = starts_on - timedelta(days=self.rng.randint(3, 10))
        ends_on = min(starts_on + relativedelta(months=limits.pop("months", 3)), _end(year))
        tier = self.rng.choices(list(TIERS), weights=list(TIERS.values()))[0]
        band = services.age_band_of(child, starts_on)
        self.numbers[fiscal_year_of(decided_on)] += 1
        running = ends_on >= self.today
        decision = Decision(
            municipality=self.municipality,
            number=f"S{fiscal_year_of(decided_on)}-{self.numbers[fiscal_year_of(decided_on)]:05d}",
            case=case,
            child=child,
            offering=offering,
            provider=provider,
            starts_on=starts_on,
            ends_on=ends_on,
            per_use_limit=offering.per_use_limit,
            uses_limit=limits.get("uses") or offering.uses_limit,
            extendable=offering.extendable,
            tier=tier,
            age_band=band if _split(offering) else AgeBand.ALL,
            fee_per_unit=offering.fee_for(tier, band),
            over_limit_rate=offering.over_limit_rate,
            asks_provider=limits.get("asks", ""),
            decided_on=decided_on,
            decided_by=self.worker,
            consented_on=decided_on + timedelta(days=self.rng.randint(0, 3)),
            consent_how=Decision.ConsentHow.SIGNED,
            sharing_consented=self.rng.random() < 0.9,
            first_meeting_on=starts_on,
            next_monitoring_on=(starts_on + relativedelta(months=3)) if running else None,
            status=Decision.Status.DECIDED if running else Decision.Status.ENDED,
            ended_on=None if running else ends_on,
            end_reason="" if running else "期間満了",
        )
        _as(decision, self.worker, _moment(decided_on, 15))
        decision.save()
        self.made["利用決定"] += 1
        return decision

    def menu(self, offering: Offering):
        if offering.pk not in self.menus:
            self.menus[offering.pk] = offering.menu.first()
        return self.menus[offering.pk]

    def uses(self, decision: Decision, days: list[date], staff, **each) -> list[Usage]:
        made = []
        for day in days:
            if day > self.today or day > decision.ends_on:
                break
            attended = self.rng.random() > 0.05
            amount = each.get("amount", Decimal(1))
            over = Decimal(0)
            if decision.per_use_limit is not None and amount > decision.per_use_limit:
                over = amount - decision.per_use_limit
            note = self.rng.random() < 0.15
            usage = Usage(
                decision=decision,
                key=uuid.uuid4(),
                used_on=day,
                starts_at=each.get("starts_at"),
                ends_at=each.get("ends_at"),
                menu_item=self.menu(decision.offering),
                attended=attended,
                amount=amount if attended else Decimal(0),
                nights=each.get("nights", 0),
                children=1,
                guardians=each.get("guardians", 0),
                over_limit=over if attended else Decimal(0),
                fee=int(decision.fee_per_unit * (amount - over) + decision.over_limit_rate * over)
                if attended
                else 0,
                concern=Usage.Concern.NOTE if note else Usage.Concern.NONE,
                observation=self.rng.choice(NOTES) if note else "",
                recorded_by=staff,
                recorded_at=_moment(day, 18),
            )
            made.append(_as(usage, staff, usage.recorded_at))
        return made


def _end(year: int) -> date:
    return date(year + 1, 3, 31)


def _split(offering: Offering) -> bool:
    return offering.fees.exclude(age_band=AgeBand.ALL).exists()


def _moment(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _weekly(start: date, count: int, every: int = 7) -> list[date]:
    return [start + timedelta(days=every * n) for n in range(count)]


def build_family_support(rng: Random, municipality, organisations, users, today, bulk, progress):
    """The catalogue, providers, a year of decisions and uses, monitoring and short-stay
    requests. Returns counts by kind."""
    builder = _Builder(rng, municipality, organisations, users, today)
    builder.catalogue()
    builder.providers_and_contracts()
    families = builder.families()
    rng.shuffle(families)
    helper_staff = users.get("helper") or builder.worker
    hub_staff = users.get("hiroba") or builder.worker
    home_staff = users.get("jigyosha") or builder.worker
    providers = builder.providers
    uses: list[Usage] = []
    year_ago = today - timedelta(days=365)
    share = max(len(families) // 5, 1)
    helper_families, hub, stays, course = (
        families[:share],
        families[share : share * 2],
        families[share * 2 : share * 2 + share // 2],
        families[share * 2 + share // 2 : share * 3],
    )
    monitorings = []
    for n, (case, child) in enumerate(helper_families):
        start = year_ago + timedelta(days=rng.randint(0, 340))
        extended = n % 4 == 0
        decision = builder.decide(
            case,
            child,
            "home_visit_support",
            providers[PROVIDERS[0][0]],
            start,
            months=3,
            uses=8 if extended else None,
            asks="家事支援(台所・洗濯)。母の話を聞いてください。",
        )
        length = Decimal("2.5") if n % 6 == 0 else Decimal(2)
        uses += builder.uses(
            decision,
            _weekly(start, decision.uses_limit or 4),
            helper_staff,
            amount=length,
            starts_at=time(10),
            ends_at=time(12, 30) if length > 2 else time(12),
        )
        if extended:
            monitorings.append(
                Monitoring(
                    decision=decision,
                    held_on=start + timedelta(days=25),
                    outcome=Monitoring.Outcome.EXTEND,
                    note="母の体調が戻るまで4回延長。",
                    recorded_by=builder.worker,
                )
            )
    for case, child in hub:
        start = max(year_ago, date(builder.year - 1, 4, 1)) + timedelta(days=rng.randint(0, 200))
        decision = builder.decide(
            case, child, "child_hub", providers[PROVIDERS[2][0]], start, months=6
        )
        days = [d for d in _weekly(start, 60, 3) if d.weekday() < 5]
        uses += builder.uses(decision, days, hub_staff)
    for case, child in course:
        start = today - timedelta(days=rng.randint(40, 300))
        decision = builder.decide(
            case, child, "parenting_program", providers[PROVIDERS[2][0]], start, months=3
        )
        uses += builder.uses(decision, _weekly(start, 8), hub_staff, guardians=1)
    stay_requests = []
    for case, child in stays:
        start = today - timedelta(days=rng.randint(10, 330))
        age = relativedelta(start, child.birth_date).years
        place = providers[INFANT_HOME if age < 2 else rng.choice([PROVIDERS[1][0], CARERS[1][0]])]
        nights = rng.choice((2, 3))
        decision = builder.decide(case, child, "short_stay", place, start, months=1)
        staff = home_staff if place.organisation_id else builder.worker
        uses += builder.uses(decision, [start], staff, amount=Decimal(nights), nights=nights)
        stay_requests.append(
            StayRequest(
                case=case,
                child=child,
                starts_on=start,
                ends_on=start + timedelta(days=nights),
                provider=place,
                agency="若葉市里親支援センター" if place.kind == Provider.Kind.FOSTER_CARER else "",
                requested_on=start - timedelta(days=7),
                requested_by=builder.worker,
                answer=StayRequest.Answer.ACCEPTED,
                answered_on=start - timedelta(days=5),
                note="母の通院のため。",
            )
        )
    bulk(Usage, uses, "利用実績")
    services.rebuild_months(Decision.objects.filter(municipality=municipality))
    bulk(Monitoring, monitorings, "モニタリング")
    bulk(StayRequest, stay_requests, "ショートステイの依頼")
    builder.made["利用実績"] = len(uses)
    builder.made["ショートステイの依頼"] = len(stay_requests)
    _urgent_today(builder, helper_families, helper_staff)
    return builder.made


def _urgent_today(builder: _Builder, families, staff) -> None:
    """A helper visit this morning whose observation is urgent, recorded through the service,
    so that its alert waits for the key person (as in the browser test of issue 19)."""
    for case, _child in families:
        decision = (
            Decision.objects.filter(case=case, status=Decision.Status.DECIDED)
            .filter(starts_on__lte=builder.today, ends_on__gte=builder.today)
            .first()
        )
        if decision is None or staff.organisation_id != decision.provider.organisation_id:
            continue
        if not Assignment.objects.filter(case=case, is_key_person=True, until=None).exists():
            continue
        entry = UseInput(
            used_on=builder.today,
            starts_at=time(9),
            ends_at=time(11),
            concern=Usage.Concern.URGENT,
            observation="子どもが「お父さんにたたかれる」と話した。右の頬が赤い。",
        )
        try:
            services.record_use(decision, entry, actor=staff)
        except ValidationError:  # already at its limit: the next family
            continue
        builder.made["緊急の気づき(今日)"] = 1
        return
