"""Short-stay matching (子育て短期支援事業): which places may take a child for a stay, and why.

``candidates()`` reads the municipality's active providers and the stay requests already
placed with them, and returns every possible place with whether it fits, a score and its
reasons in Japanese, for and against. It writes nothing and decides nothing: the worker
chooses, and the coordinating agency answers (``services.request_stay`` / ``answer_stay``).

The rules, from the national guidebook and its municipal cases (seed 002, by line):

- Places: 児童養護施設, 乳児院 and 養育里親 — the usual places of the short stay (1882–1883;
  熊本市 contracts a children's home, two infant homes and three foster carers, 3239–3244)
  — and any other provider with a contract for a short-stay offering of the stay's fiscal
  year (福岡市 adds NPOs, a night nursery and a mother-and-child home, 5950–5966).
- Age: "2歳未満は乳児院" (3245). A place's ages are its own ``min_age``/``max_age``; where
  unset, an infant home takes 0–1 and any other place 2–17 (the national scheme runs to
  18, 5974), so a child under 2 goes to an infant home unless another place's ``min_age``
  says it takes infants.
- "里親は週末限定の預かりが多く" (3246): a weekends-only place fits only when every night
  of the stay is a Friday or Saturday night (a stay with no night: a Saturday or a Sunday).
- "発達特性等専門性が必要なこどもは施設に依頼している" (3246): a child who needs support
  for developmental traits needs a place that gives it, a facility preferred; a child who
  needs medical care needs a place that gives it.
- "校区里親(小学校区内に対応可能な里親)がいることが重要" (6026–6028; "生活する地域を
  変えずに", 1926–1927): a place in the child's own elementary school district keeps the
  child at school and in its surroundings — the largest plus.
- Places left: a facility's places are shared with the children in its care and in
  temporary protection (1907–1908) and with other municipalities (3264); ``capacity`` and
  ``current_placements`` count them, so the places left for the dates are capacity −
  current placements − the stay requests pending or accepted that share a night with it.
- A foster carer offers care like a family's (1925) — a small plus; experience breaks ties.

Shapes: ``candidates()`` returns ``list[Candidate]``, fitting ones first, each by score, then
years of experience, then name.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Q

from tsunagu.core.fiscal import fiscal_year_of
from tsunagu.core.models import Area, Municipality
from tsunagu.people.models import Person, Sex

from .models import Offering, Provider, StayRequest

# The kinds that take short stays without a contract row saying so (seed 002 lines 1882–1883).
STAY_KINDS = (
    Provider.Kind.INFANT_HOME,
    Provider.Kind.CHILDRENS_HOME,
    Provider.Kind.FOSTER_CARER,
)
FACILITIES = (Provider.Kind.INFANT_HOME, Provider.Kind.CHILDRENS_HOME)
INFANT_AGE_LIMIT = 2  # "2歳未満は乳児院"
# Ages a place takes when its own are not set: an infant home 0–1, any other 2–17.
DEFAULT_AGES = {Provider.Kind.INFANT_HOME: (0, INFANT_AGE_LIMIT - 1)}
OTHER_AGES = (INFANT_AGE_LIMIT, 17)
# Who a weekends-only place takes: the nights of Friday and Saturday, or a Saturday or a
# Sunday without a night.
WEEKEND_NIGHTS = {4, 5}
WEEKEND_DAYS = {5, 6}
WEEKDAYS = "月火水木金土日"
SEX_WORDS = {Sex.FEMALE: "女の子", Sex.MALE: "男の子"}
# A request that still holds a place: waiting for its answer, or accepted.
HOLDING = (StayRequest.Answer.PENDING, StayRequest.Answer.ACCEPTED)

# What each plus is worth. Experience is not in the score: it breaks ties.
SCORE_SAME_DISTRICT = 30
SCORE_INFANT_HOME_FOR_INFANT = 20
SCORE_FACILITY_FOR_DEVELOPMENT = 20
SCORE_FAMILY_CARE = 10

FOR, AGAINST, NOTE = "for", "against", "note"


@dataclass
class Candidate:
    """One place for the stay: whether it fits (``against`` is empty), its score, the places
    left for the dates, and the reasons in the order the rules ran (``against`` holds those
    that rule it out; ``marked`` gives each reason with its tone for a page)."""

    provider: Provider
    fits: bool
    score: int
    places_left: int
    reasons: list[str]
    against: list[str]
    marked: list[tuple[str, str]] = field(default_factory=list)


def age_on(birth_date: date | None, day: date) -> int | None:
    """Full years on ``day`` (None when the birth date is not known)."""
    return None if birth_date is None else relativedelta(day, birth_date).years


def nights_of(starts_on: date, ends_on: date) -> list[date]:
    """The nights of a stay, each by its evening: Friday to Sunday is Friday and Saturday."""
    return [starts_on + timedelta(days=n) for n in range((ends_on - starts_on).days)]


def school_district_of(person: Person) -> Area | None:
    """The elementary school district of the person's town (町丁目), or of the town of the
    person's current household; None when neither is recorded."""
    towns = [person.town]
    membership = (
        person.memberships.filter(valid_to=None, household__town__isnull=False)
        .select_related("household__town__parent")
        .first()
    )
    if membership is not None:
        towns.append(membership.household.town)
    for area in towns:
        while area is not None:
            if area.kind == Area.Kind.ELEMENTARY_DISTRICT:
                return area
            area = area.parent
    return None


def candidates(
    municipality: Municipality,
    *,
    child_age_years: int | None,
    sex: str,
    needs_medical_care: bool,
    needs_development_support: bool,
    starts_on: date,
    ends_on: date,
    district: Area | None,
) -> list[Candidate]:
    """Every active place of ``municipality`` for a stay from ``starts_on`` to ``ends_on``
    (the day the child goes home), each with whether it fits and why; fitting ones first, by
    score, then experience. ``child_age_years`` is the child's age on ``starts_on`` (None:
    unknown, the ages are then not checked), ``sex`` a ``people.Person.Sex`` value or "",
    ``district`` the elementary school district the child goes to school in (or None).
    Two queries; writes nothing."""
    short_stay_contracts = Q(
        contracts__offering__legal_category=Offering.LegalCategory.SHORT_STAY,
        contracts__offering__fiscal_year=fiscal_year_of(starts_on),
    )
    providers = (
        Provider.objects.filter(municipality=municipality, is_active=True)
        .filter(Q(kind__in=STAY_KINDS) | short_stay_contracts)
        .select_related("district")
        .distinct()
    )
    held = _held_places(providers, starts_on, ends_on)
    found = [
        _judge(
            provider,
            held.get(provider.pk, 0),
            child_age_years=child_age_years,
            sex=sex,
            needs_medical_care=needs_medical_care,
            needs_development_support=needs_development_support,
            starts_on=starts_on,
            ends_on=ends_on,
            district=district,
        )
        for provider in providers
    ]
    return sorted(
        found,
        key=lambda c: (not c.fits, -c.score, -c.provider.years_experience, c.provider.name),
    )


def _occupied(starts_on: date, ends_on: date) -> tuple[date, date]:
    """The days a stay holds a place, as [first, last): its nights, or its one day."""
    return starts_on, max(ends_on, starts_on + timedelta(days=1))


def _held_places(providers, starts_on: date, ends_on: date) -> dict[int, int]:
    """For each provider, the stay requests pending or accepted that share a night (or a
    day, for a stay without a night) with the stay."""
    first, last = _occupied(starts_on, ends_on)
    rows = StayRequest.objects.filter(
        provider__in=providers.values("pk"),
        answer__in=HOLDING,
        starts_on__lt=last,
        ends_on__gte=first,
    ).values_list("provider_id", "starts_on", "ends_on")
    held: dict[int, int] = defaultdict(int)
    for provider_id, other_start, other_end in rows:
        other_first, other_last = _occupied(other_start, other_end)
        if other_first < last and first < other_last:
            held[provider_id] += 1
    return held


class _Judgement:
    def __init__(self) -> None:
        self.marked: list[tuple[str, str]] = []
        self.score = 0

    def add(self, tone: str, text: str, points: int = 0) -> None:
        self.marked.append((tone, text))
        self.score += points


def _judge(
    provider: Provider,
    held: int,
    *,
    child_age_years: int | None,
    sex: str,
    needs_medical_care: bool,
    needs_development_support: bool,
    starts_on: date,
    ends_on: date,
    district: Area | None,
) -> Candidate:
    j = _Judgement()
    _age(j, provider, child_age_years)
    _sex(j, provider, sex)
    if needs_medical_care:
        if provider.medical_care:
            j.add(FOR, "医療的ケアに対応しています。")
        else:
            j.add(AGAINST, "医療的ケアに対応していません。")
    if needs_development_support:
        _development(j, provider)
    if provider.weekends_only:
        _weekends(j, provider, starts_on, ends_on)
    _district(j, provider, district)
    left = _places(j, provider, held)
    if provider.kind == Provider.Kind.FOSTER_CARER and not needs_development_support:
        j.add(FOR, "家庭と同じような環境で過ごせます(里親)。", SCORE_FAMILY_CARE)
    if provider.years_experience:
        j.add(NOTE, f"経験年数 {provider.years_experience}年。")
    against = [text for tone, text in j.marked if tone == AGAINST]
    return Candidate(
        provider=provider,
        fits=not against,
        score=j.score,
        places_left=left,
        reasons=[text for _tone, text in j.marked],
        against=against,
        marked=j.marked,
    )


def _ages_of(provider: Provider) -> tuple[int, int]:
    low, high = DEFAULT_AGES.get(provider.kind, OTHER_AGES)
    low = low if provider.min_age is None else provider.min_age
    high = high if provider.max_age is None else provider.max_age
    return low, high


def _age(j: _Judgement, provider: Provider, age: int | None) -> None:
    if age is None:
        j.add(NOTE, "生年月日が分からないため、年齢は受入先に確認してください。")
        return
    low, high = _ages_of(provider)
    infant_home = provider.kind == Provider.Kind.INFANT_HOME
    ages = f"受入は{low}〜{high}歳"
    if low <= age <= high:
        if age >= INFANT_AGE_LIMIT:
            j.add(FOR, f"{ages}です(子どもは{age}歳)。")
        elif infant_home:
            j.add(
                FOR,
                f"2歳未満の子どもは乳児院に依頼します({ages})。",
                SCORE_INFANT_HOME_FOR_INFANT,
            )
        else:
            j.add(FOR, f"{ages}で、2歳未満の子どもも預かれます。")
    elif age < INFANT_AGE_LIMIT and not infant_home:
        j.add(AGAINST, f"2歳未満の子どもは乳児院に依頼します({ages}、子どもは{age}歳)。")
    elif infant_home and age >= INFANT_AGE_LIMIT and provider.max_age is None:
        j.add(AGAINST, f"乳児院は2歳未満の子どもの受入先です(子どもは{age}歳)。")
    else:
        j.add(AGAINST, f"{ages}です(子どもは{age}歳)。")


def _sex(j: _Judgement, provider: Provider, sex: str) -> None:
    if not provider.accepts_sex:
        return
    accepted = SEX_WORDS.get(provider.accepts_sex, provider.accepts_sex)
    if sex not in SEX_WORDS:
        j.add(NOTE, f"受入は{accepted}だけです。子どもの性別を確認してください。")
    elif sex == provider.accepts_sex:
        j.add(FOR, f"受入は{accepted}で、合っています。")
    else:
        j.add(AGAINST, f"受入は{accepted}だけです。")


def _development(j: _Judgement, provider: Provider) -> None:
    if not provider.development_support:
        j.add(
            AGAINST,
            "発達特性への対応がありません(専門性が必要な子どもは施設に依頼します)。",
        )
    elif provider.kind in FACILITIES:
        j.add(
            FOR,
            "発達特性に対応できる施設です(専門性が必要な子どもは施設に依頼します)。",
            SCORE_FACILITY_FOR_DEVELOPMENT,
        )
    else:
        j.add(
            FOR,
            "発達特性に対応できます。専門性が必要なら施設への依頼も検討してください。",
        )


def _day(day: date) -> str:
    return f"{day.month}/{day.day}({WEEKDAYS[day.weekday()]})"


def _weekends(j: _Judgement, provider: Provider, starts_on: date, ends_on: date) -> None:
    who = "里親" if provider.kind == Provider.Kind.FOSTER_CARER else "受入先"
    nights = nights_of(starts_on, ends_on)
    if not nights:
        if starts_on.weekday() in WEEKEND_DAYS:
            j.add(FOR, f"週末のみの{who}です。{_day(starts_on)}の日中は受け入れられます。")
        else:
            j.add(AGAINST, f"週末のみの{who}です。{_day(starts_on)}は平日です。")
        return
    weekday_nights = [night for night in nights if night.weekday() not in WEEKEND_NIGHTS]
    if not weekday_nights:
        j.add(
            FOR,
            f"週末のみの{who}です。泊まりがすべて金曜・土曜の夜なので受け入れられます。",
        )
        return
    listed = "・".join(_day(night) for night in weekday_nights[:3])
    more = f"ほか{len(weekday_nights) - 3}泊" if len(weekday_nights) > 3 else ""
    j.add(
        AGAINST,
        f"週末(金曜・土曜の夜)のみの{who}です。{listed}{more}の夜は受け入れられません。",
    )


def _district(j: _Judgement, provider: Provider, district: Area | None) -> None:
    if district is None or provider.district_id is None:
        return
    if provider.district_id == district.pk:
        j.add(
            FOR,
            f"子どもの小学校区({district.name})にあり、学校を変えずに通えます。",
            SCORE_SAME_DISTRICT,
        )
    else:
        j.add(NOTE, f"所在は{provider.district.name}です(通学には送迎が必要です)。")


def _places(j: _Judgement, provider: Provider, held: int) -> int:
    left = max(provider.capacity - provider.current_placements - held, 0)
    counted = (
        f"定員{provider.capacity}人・受入中{provider.current_placements}人・この期間の依頼{held}件"
    )
    if left:
        j.add(FOR, f"この期間の空きは{left}人です({counted})。")
    else:
        j.add(
            AGAINST,
            f"この期間は空きがありません({counted}。定員は他市町村・一時保護と共用です)。",
        )
    return left
