"""A year of the center's casework for the demo city, in the seeds' proportions.

Seed 001: 6,413 consultations a year in a city of this size — 環境福祉 66.0 %, 虐待 18.6 %,
家族関係 8.8 %, 学校生活 3.9 % (mapped below onto the national categories). Seed 003: about 80
protection cases (ranked with the child guidance center) and 320 support cases (the city's own).
Everything scales with the demo's population scale.
"""

from collections import Counter
from datetime import date, datetime, time, timedelta
from random import Random

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from tsunagu.cases.models import (
    Activity,
    Assessment,
    AssessmentForm,
    Assignment,
    Case,
    CaseOrganisation,
    CasePerson,
    CaseStatusChange,
    CaseUnit,
    ConsultationCategory,
    Intake,
    IntakePerson,
    Registration,
    RiskRankChange,
)
from tsunagu.core.fiscal import fiscal_year_of
from tsunagu.people.models import HouseholdMember, KnownTo

CONSULTATIONS_PER_YEAR = 6413
# The demo city keeps the default review interval of its setting (三か月ごとの進行管理).
REVIEW_INTERVAL = relativedelta(months=3)
PROTECTION_CASES, SUPPORT_CASES, EXPECTANT_MOTHERS = 80, 320, 12
# Seed 001's kinds onto the national list: abuse 18.6 %; family relations 8.8 % and most
# "environment and welfare" are 養護その他 or 育児・しつけ; school life 3.9 % is 不登校 or 性格行動.
CATEGORY_WEIGHTS = {
    "care.abuse": 18.6,
    "care.other": 8.8 + 30.0,
    "upbringing.parenting": 24.0,
    "health": 8.0,
    "disability.developmental": 4.0,
    "upbringing.school_refusal": 2.4,
    "upbringing.behaviour": 1.5,
    "other": 2.7,
}
ABUSE_TYPES = {  # national shares, roughly: psychological, physical, neglect, sexual
    "abuse_psychological": 0.59,
    "abuse_physical": 0.23,
    "abuse_neglect": 0.17,
    "abuse_sexual": 0.01,
}
SOURCES = [
    (Intake.Source.POLICE, 0.20),
    (Intake.Source.SCHOOL, 0.18),
    (Intake.Source.FAMILY, 0.16),
    (Intake.Source.SELF, 0.12),
    (Intake.Source.NEIGHBOUR, 0.10),
    (Intake.Source.NURSERY, 0.08),
    (Intake.Source.HOSPITAL, 0.05),
    (Intake.Source.CGC, 0.05),
    (Intake.Source.CAFETERIA, 0.03),
    (Intake.Source.OTHER, 0.03),
]
SUMMARIES = {
    "care.abuse": [
        "夜間に子どもの泣き声と大人の怒鳴り声が続いていると近隣から通報。",
        "登校時に顔にあざ。本人は「転んだ」と話す。",
        "保護者が子どもの前で配偶者に暴力をふるったと警察から通告(面前DV)。",
        "食事が十分に与えられていない様子。衣服の汚れが続いている。",
    ],
    "default": [
        "育児の負担が大きく、話を聞いてほしいと母から電話。",
        "子どもの発達について心配があり、相談したい。",
        "家計が苦しく、利用できる支援を知りたい。",
        "学校に行き渋りがあり、家庭での関わり方を相談したい。",
    ],
}


def _weighted(rng: Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _families_with_children(municipality, today: date):
    """(child, guardian or None) for every household with a child under 18."""
    adult_from = today - timedelta(days=18 * 365 + 4)
    rows = HouseholdMember.objects.filter(
        household__municipality=municipality, valid_to=None
    ).values_list("household_id", "person_id", "relationship", "person__birth_date")
    households: dict[int, dict] = {}
    for household, person, relationship, born in rows:
        entry = households.setdefault(household, {"children": [], "guardians": []})
        if born and born > adult_from and relationship == "child":
            entry["children"].append(person)
        elif relationship in ("mother", "father", "partner"):
            entry["guardians"].append(person)
    return [
        (entry["children"], entry["guardians"][0] if entry["guardians"] else None)
        for entry in households.values()
        if entry["children"]
    ]


def build_casework(rng: Random, municipality, organisations, users, today, scale, bulk, progress):
    """Intakes, cases, registrations, activities and assessments for the past year."""
    families = _families_with_children(municipality, today)
    if not families:
        return Counter()
    categories = {c.code: c for c in ConsultationCategory.objects.filter(is_current=True)}
    worker, nurse, supervisor = users["katei"], users["hoken"], users["tokatsu"]
    welfare = organisations["unit_child_welfare"]
    maternal = organisations["unit_maternal_health"]
    cgc = organisations["cgc"]
    count = max(20, round(CONSULTATIONS_PER_YEAR * scale))
    numbers: Counter = Counter()
    made: Counter = Counter()

    intakes, intake_persons, chosen = [], [], []
    for _ in range(count):
        children, guardian = rng.choice(families)
        code = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
        received = timezone.make_aware(
            datetime.combine(today - timedelta(days=rng.randrange(365)), time(8, 30))
            + timedelta(minutes=rng.randrange(9 * 60))
        )
        numbers[fiscal_year_of(received.date())] += 1
        abuse = code == "care.abuse"
        intake = Intake(
            municipality=municipality,
            number=f"{fiscal_year_of(received.date())}-{numbers[fiscal_year_of(received.date())]:05d}",
            received_at=received,
            received_by=worker if rng.random() < 0.7 else nurse,
            unit=welfare if abuse or rng.random() < 0.6 else maternal,
            channel=rng.choice(Intake.Channel.values),
            source=_weighted(rng, SOURCES),
            category=categories[code],
            is_abuse_report=abuse,
            urgency=Intake.Urgency.TODAY if abuse else Intake.Urgency.ROUTINE,
            summary=rng.choice(SUMMARIES["care.abuse" if abuse else "default"]),
            safety_check_due=received + timedelta(hours=48) if abuse else None,
        )
        if abuse:
            setattr(intake, _weighted(rng, ABUSE_TYPES.items()), True)
            late = received.date() > today - timedelta(days=3) and rng.random() < 0.5
            if not late:
                intake.safety_checked_at = received + timedelta(hours=rng.randrange(2, 40))
        intakes.append(intake)
        child = rng.choice(children)
        chosen.append((child, guardian))
    bulk(Intake, intakes, "相談受付")
    for intake, (child, guardian) in zip(intakes, chosen, strict=True):
        intake_persons.append(IntakePerson(intake=intake, person_id=child, role="child"))
        if guardian:
            intake_persons.append(IntakePerson(intake=intake, person_id=guardian, role="guardian"))
    IntakePerson.objects.bulk_create(intake_persons, batch_size=2000)
    made["相談受付"] = len(intakes)

    # Abuse reports and a fifth of the rest become cases; a family's later intakes join its case.
    case_of_child: dict[int, Case] = {}
    cases, case_intakes = [], []
    for intake, (child, guardian) in sorted(
        zip(intakes, chosen, strict=True), key=lambda pair: pair[0].received_at
    ):
        if child in case_of_child:
            case_intakes.append((intake, case_of_child[child], Intake.Outcome.JOINED))
            continue
        if intake.is_abuse_report or rng.random() < 0.2:
            opened = intake.received_at.date()
            numbers[("case", fiscal_year_of(opened))] += 1
            case = Case(
                municipality=municipality,
                number=f"C{fiscal_year_of(opened)}-{numbers[('case', fiscal_year_of(opened))]:05d}",
                title="",
                status=Case.Status.SUPPORTING,
                opened_on=opened,
                lead_agency=Case.LeadAgency.CITY,
            )
            case.family = (child, guardian)
            case.unit = intake.unit
            cases.append(case)
            case_of_child[child] = case
            case_intakes.append((intake, case, Intake.Outcome.NEW_CASE))
        else:
            intake.outcome = Intake.Outcome.ADVICE
    _rank_and_register(rng, cases, today)
    _set_titles(cases)
    bulk(Case, cases, "ケース")
    for intake, case, outcome in case_intakes:
        intake.case, intake.outcome = case, outcome
    Intake.objects.bulk_update(intakes, ["case", "outcome"], batch_size=2000)
    made["ケース"] = len(cases)

    _case_rows(rng, cases, worker, nurse, supervisor, welfare, maternal, cgc, today, bulk, made)
    _activities(rng, cases, intakes, worker, nurse, today, bulk, made)
    _assessments(rng, cases, worker, today, bulk, made)
    return made


def _rank_and_register(rng: Random, cases: list[Case], today: date) -> None:
    """The register: protection cases ranked A/B and shared with the cgc, support cases C/D."""
    open_cases = [case for case in cases if case.opened_on < today - timedelta(days=14)]
    rng.shuffle(open_cases)
    scale_cases = len(cases) / max(1, round(CONSULTATIONS_PER_YEAR * 0.34))
    protection = round(PROTECTION_CASES * scale_cases)
    support = round(SUPPORT_CASES * scale_cases)
    expectant = round(EXPECTANT_MOTHERS * scale_cases)
    for index, case in enumerate(open_cases[: protection + support + expectant]):
        if index < protection:
            case.registration = Registration.Category.PROTECTION
            case.risk_rank = rng.choice("AB")
            case.lead_agency = rng.choice(list(Case.LeadAgency.values))
        elif index < protection + support:
            case.registration = Registration.Category.SUPPORT
            case.risk_rank = rng.choice("CD")
        else:
            case.registration = Registration.Category.EXPECTANT_MOTHER
            case.risk_rank = "C"
        # Registered two weeks after opening, reviewed in the council some weeks ago (never
        # before it was registered), due again about three months after the last review.
        case.registered_on = min(today, case.opened_on + timedelta(days=14))
        reviewed = today - timedelta(days=rng.randrange(20, 110))
        case.last_reviewed_on = reviewed if reviewed > case.registered_on else None
        case.next_review_on = (case.last_reviewed_on or case.registered_on) + REVIEW_INTERVAL
    for case in cases:
        if not getattr(case, "registration", None) and rng.random() < 0.6:
            case.status = Case.Status.CLOSED
            case.closed_on = min(today, case.opened_on + timedelta(days=rng.randrange(14, 120)))


def _case_rows(rng, cases, worker, nurse, supervisor, welfare, maternal, cgc, today, bulk, made):
    persons, units, assignments, organisations, registrations = [], [], [], [], []
    statuses, ranks, known = [], [], set()
    for case in cases:
        child, guardian = case.family
        persons.append(CasePerson(case=case, person_id=child, role="child"))
        role = (
            "expectant_mother"
            if getattr(case, "registration", "") == "expectant_mother"
            else "guardian"
        )
        if guardian:
            persons.append(CasePerson(case=case, person_id=guardian, role=role))
        shared = case.unit == maternal or rng.random() < 0.15
        for unit in {case.unit, maternal} if shared else {case.unit}:
            units.append(CaseUnit(case=case, unit=unit, since=case.opened_on))
            known |= {(child, unit.pk)} | ({(guardian, unit.pk)} if guardian else set())
        key = worker if case.unit == welfare else nurse
        assignments.append(
            Assignment(case=case, worker=key, is_key_person=True, since=case.opened_on)
        )
        statuses.append(
            CaseStatusChange(
                case=case,
                status=Case.Status.RECEIVED,
                reason="受付から開始",
                changed_at=timezone.make_aware(datetime.combine(case.opened_on, time(10))),
                changed_by=key,
            )
        )
        if case.status == Case.Status.CLOSED:
            statuses.append(
                CaseStatusChange(
                    case=case,
                    status=Case.Status.CLOSED,
                    reason=rng.choice(["状況が改善し終結", "転出", "他機関へ引継ぎ"]),
                    changed_at=timezone.make_aware(datetime.combine(case.closed_on, time(16))),
                    changed_by=key,
                )
            )
        category = getattr(case, "registration", None)
        if category:
            person = guardian if category == "expectant_mother" and guardian else child
            registrations.append(
                Registration(
                    case=case,
                    person_id=person,
                    category=category,
                    registered_on=case.registered_on,
                    last_reviewed_on=case.last_reviewed_on,
                )
            )
            ranks.append(
                RiskRankChange(
                    case=case,
                    rank=case.risk_rank,
                    reason="実務者会議で決定",
                    changed_at=timezone.make_aware(datetime.combine(case.registered_on, time(15))),
                    changed_by=supervisor,
                )
            )
            if case.lead_agency in (Case.LeadAgency.CGC, Case.LeadAgency.JOINT):
                role = CaseOrganisation.Role.LEAD if case.lead_agency == "cgc" else "co_worker"
                organisations.append(
                    CaseOrganisation(case=case, organisation=cgc, role=role, since=case.opened_on)
                )
    bulk(CasePerson, persons, "ケースの関係者")
    CasePerson.objects.filter(key_family="").refresh_name_keys()
    bulk(CaseUnit, units, "担当部署")
    bulk(Assignment, assignments, "担当者")
    bulk(CaseOrganisation, organisations, "関係機関")
    bulk(Registration, registrations, "要対協登録")
    CaseStatusChange.objects.bulk_create(statuses, batch_size=2000)
    RiskRankChange.objects.bulk_create(ranks, batch_size=2000)
    existing = set(KnownTo.objects.values_list("person_id", "organisation_id"))
    KnownTo.objects.bulk_create(
        [KnownTo(person_id=p, organisation_id=o) for p, o in known - existing], batch_size=2000
    )
    made["要対協登録"] = len(registrations)


def _set_titles(cases) -> None:
    """「<guardian, else child> さん世帯」 for each case."""
    from tsunagu.people.models import Person

    wanted = {case.family[1] or case.family[0] for case in cases}
    names = {
        pk: f"{family} {given}"
        for pk, family, given in Person.objects.filter(pk__in=wanted).values_list(
            "pk", "family_name", "given_name"
        )
    }
    for case in cases:
        case.title = f"{names[case.family[1] or case.family[0]]}さん世帯"


def _activities(rng, cases, intakes, worker, nurse, today, bulk, made) -> None:
    activities = []
    first_intake = {}
    for intake in intakes:
        if intake.case_id and intake.case_id not in first_intake:
            first_intake[intake.case_id] = intake
    for case in cases:
        registered = bool(getattr(case, "registration", None))
        end = case.closed_on or today
        count = rng.randrange(8, 18) if registered else rng.randrange(1, 6)
        intake = first_intake.get(case.pk)
        start = intake.safety_checked_at if intake and intake.safety_checked_at else None
        for k in range(count):
            if k == 0 and start:
                at, kind, child_seen = start, Activity.Kind.VISIT, True
            else:
                span = max(1, (end - case.opened_on).days)
                day = case.opened_on + timedelta(days=rng.randrange(span))
                at = timezone.make_aware(datetime.combine(day, time(rng.randrange(9, 18))))
                kind = rng.choice(Activity.Kind.values)
                child_seen = kind in ("visit", "joint_visit") and rng.random() < 0.8
            due = (at.date() + timedelta(days=rng.randrange(7, 30))) if k == count - 1 else None
            activities.append(
                Activity(
                    case=case,
                    kind=kind,
                    occurred_at=at,
                    author=worker if rng.random() < 0.7 else nurse,
                    child_seen=child_seen,
                    content=rng.choice(
                        [
                            "家庭訪問。子どもの様子を確認。生活状況を聞き取った。",
                            "保護者と面接。困りごとと利用できる支援を一緒に整理した。",
                            "学校と情報共有。登校状況を確認した。",
                            "保育所に連絡し、最近の様子を聞いた。",
                        ]
                    ),
                    next_action="次回の家庭訪問" if due else "",
                    next_action_due=due,
                    next_action_done=bool(due and due < today and rng.random() < 0.8),
                )
            )
    bulk(Activity, activities, "支援記録")
    made["支援記録"] = len(activities)


def _assessments(rng, cases, worker, today, bulk, made) -> None:
    forms = {form.kind: form for form in AssessmentForm.objects.filter(is_current=True)}
    done = []
    for case in cases:
        kinds = ["urgency"] if case.risk_rank in ("A", "B") or rng.random() < 0.3 else []
        if getattr(case, "registration", None):
            kinds.append("home_support")
        for kind in kinds:
            form = forms[kind]
            codes = form.item_codes()
            if kind == "urgency":
                answers = {code: rng.random() < 0.25 for code in codes}
            else:
                answers = {code: rng.choice([0, 0, 1, 1, 2, 3]) for code in codes}
            done.append(
                Assessment(
                    case=case,
                    form=form,
                    answers=answers,
                    level=form.level_for(answers),
                    assessed_on=min(today, case.opened_on + timedelta(days=3)),
                    assessed_by=worker,
                )
            )
    bulk(Assessment, done, "アセスメント")
    made["アセスメント"] = len(done)
