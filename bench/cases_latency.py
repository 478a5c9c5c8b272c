"""Benchmark: server time of the case pages in a designated city.

    python -m bench.cases_latency [--people 1600000] [--intakes 400000] [--cases 5000]
                                  [--activities 500000] [--requests 200] [--seed 5]

Builds the city in a fresh database (SQLite under var/bench/, or DATABASE_URL when set, which
must name an empty database):
people, five years of intakes, the registered cases with their activities, and the staff of a
large center; support plans for two thirds of the registered cases (one or two versions) and a
year of conferences (a weekly 合同ケース会議 of five cases, a monthly 実務者会議 reviewing a third
of the registered cases, with attendees, decisions and action items); then times, through
Django's test client (routing, the access policy, the queries, the access log and the
template), the case list, the case page, the due list and the name search, as the supervisor
and as a caseworker, the review queue (進行管理の対象) as the supervisor, and a 実務者会議's page
as the supervisor and as a caseworker who attended. Writes var/bench/cases-<database>.json.

The data is dated from the day of the run (the pages compare with today).

The default sizes are the issue's (1.6 million people; 80,000 intakes a year for five years;
5,000 registered cases; 500,000 activities). `make bench` runs a small city (CASES_SCALE=small).
"""

import argparse
import json
import time
from datetime import UTC, date, datetime, timedelta
from random import Random

from bench.common import ROOT, analyze, percentiles, say, setup_django, timed_get

BATCH = 5000
UNITS = 3
CASEWORKERS = 30


def _bulk(model, objects, label: str) -> list:
    saved = []
    for start in range(0, len(objects), BATCH):
        saved += model.objects.bulk_create(objects[start : start + BATCH])
    say(f"  {label}: {len(objects):,}")
    return saved


def _organisation_and_staff():
    from tsunagu.accounts.services import create_user
    from tsunagu.core.models import Municipality, Organisation

    town = Municipality.objects.create(code="401307", name="ベンチ政令市", prefecture="福岡県")
    Kind = Organisation.Kind
    center = Organisation.objects.create(municipality=town, kind=Kind.CENTER, name="センター")
    units = [
        Organisation.objects.create(municipality=town, kind=kind, name=kind.label, parent=center)
        for kind in Organisation.CENTER_UNITS
    ]
    cgc = Organisation.objects.create(municipality=town, kind=Kind.CGC, name="児童相談所")
    staff = [
        create_user(
            username=f"worker{i}",
            password=None,
            organisation=units[i % UNITS],
            role="center_staff",
            display_name=f"職員{i}",
        )
        for i in range(CASEWORKERS)
    ]
    supervisor = create_user(
        username="supervisor", password=None, organisation=center, role="supervisor"
    )
    return town, units, cgc, staff, supervisor


def _people(rng: Random, town, count: int) -> list[int]:
    from tsunagu.demo import names
    from tsunagu.people.matching import normalise
    from tsunagu.people.models import Person

    born_from = date(1970, 1, 1).toordinal()
    span = date(2025, 12, 31).toordinal() - born_from
    keys: dict[tuple[str, str], tuple[str, str]] = {}

    def keys_of(name: tuple[str, str]) -> tuple[str, str]:
        # The same as Person.refresh_keys for a name given with its kana, once per name part.
        if name not in keys:
            keys[name] = (normalise.kanji_key(name[0]), normalise.reading_key(name[1]))
        return keys[name]

    ids = []
    for start in range(0, count, 50_000):
        chunk = []
        for _ in range(min(50_000, count - start)):
            sex = rng.choice(("female", "male"))
            family, given = names.family_name(rng), names.given_name(rng, sex)
            (key_family, key_family_reading), (key_given, key_given_reading) = (
                keys_of(family),
                keys_of(given),
            )
            chunk.append(
                Person(
                    municipality=town,
                    family_name=family[0],
                    given_name=given[0],
                    family_kana=family[1],
                    given_kana=given[1],
                    birth_date=date.fromordinal(born_from + rng.randrange(span)),
                    sex=sex,
                    key_family=key_family,
                    key_given=key_given,
                    key_family_reading=key_family_reading,
                    key_given_reading=key_given_reading,
                )
            )
        ids += [p.pk for p in Person.objects.bulk_create(chunk, batch_size=BATCH)]
        say(f"  人: {len(ids):,}/{count:,}")
    return ids


def _aware(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def build(options, rng: Random) -> dict:
    from django.utils import timezone

    from tsunagu.cases.models import (
        Activity,
        Assignment,
        Case,
        CasePerson,
        CaseUnit,
        ConsultationCategory,
        Intake,
        IntakePerson,
        Registration,
    )

    town, units, _cgc, staff, supervisor = _organisation_and_staff()
    person_ids = _people(rng, town, options.people)
    categories = list(ConsultationCategory.objects.all())
    abuse = next(c for c in categories if c.is_abuse)
    today = timezone.localdate()
    # Cases: every registered case plus as many again closed or unregistered ones.
    case_count = options.cases * 2
    cases = []
    for i in range(case_count):
        opened = today - timedelta(days=rng.randrange(5 * 365))
        cases.append(
            Case(
                municipality=town,
                number=f"C{i:07d}",
                title=f"ケース{i}",
                status="supporting" if i < options.cases else rng.choice(["closed", "assessing"]),
                opened_on=opened,
                risk_rank=rng.choice("ABCD"),
                lead_agency="city",
                next_review_on=today + timedelta(days=rng.randrange(-30, 120)),
            )
        )
    cases = _bulk(Case, cases, "ケース")
    # Distinct persons on every case: a person has one open council registration at most.
    chosen = rng.sample(person_ids, 2 * len(cases))
    family = {case.pk: chosen[2 * i : 2 * i + 2] for i, case in enumerate(cases)}
    _bulk(
        CasePerson,
        [
            CasePerson(case=case, person_id=pid, role=role)
            for case in cases
            for pid, role in zip(family[case.pk], ("child", "guardian"), strict=True)
        ],
        "ケースの関係者",
    )
    CasePerson.objects.refresh_name_keys()
    _bulk(
        CaseUnit,
        [
            CaseUnit(case=case, unit=units[i % UNITS], since=case.opened_on)
            for i, case in enumerate(cases)
        ],
        "担当部署",
    )
    _bulk(
        Assignment,
        [
            Assignment(
                case=case, worker=staff[i % CASEWORKERS], is_key_person=True, since=case.opened_on
            )
            for i, case in enumerate(cases)
        ],
        "担当者",
    )
    _bulk(
        Registration,
        [
            Registration(
                case=case,
                person_id=family[case.pk][0],
                category=rng.choice(["protection", "support", "support", "support"]),
                registered_on=case.opened_on,
            )
            for case in cases[: options.cases]
        ],
        "要対協登録",
    )
    intakes = []
    for i in range(options.intakes):
        received = today - timedelta(days=rng.randrange(5 * 365))
        category = abuse if rng.random() < 0.19 else rng.choice(categories)
        case = cases[rng.randrange(case_count)] if rng.random() < 0.3 else None
        is_abuse = category.is_abuse
        intakes.append(
            Intake(
                municipality=town,
                number=f"I{i:07d}",
                received_at=_aware(received, 10),
                received_by=staff[i % CASEWORKERS],
                unit=units[i % UNITS],
                channel="phone",
                source="school",
                category=category,
                is_abuse_report=is_abuse,
                abuse_neglect=is_abuse,
                urgency="routine",
                summary="相談の内容",
                outcome="new_case" if case else "advice",
                case=case,
                safety_check_due=_aware(received, 10) + timedelta(hours=48) if is_abuse else None,
                safety_checked_at=_aware(received, 20)
                if is_abuse and received < today - timedelta(days=3)
                else None,
            )
        )
    intakes = _bulk(Intake, intakes, "相談受付")
    _bulk(
        IntakePerson,
        [
            IntakePerson(intake=intake, person_id=rng.choice(person_ids), role="child")
            for intake in intakes
        ],
        "受付の関係者",
    )
    activities = []
    for i in range(options.activities):
        # Most activities are on the registered (open) cases.
        case = cases[rng.randrange(options.cases if rng.random() < 0.8 else case_count)]
        day = case.opened_on + timedelta(days=rng.randrange(max(1, (today - case.opened_on).days)))
        due = day + timedelta(days=14) if rng.random() < 0.1 else None
        activities.append(
            Activity(
                case=case,
                kind=rng.choice(["visit", "call", "interview"]),
                occurred_at=_aware(day, 14),
                author=staff[i % CASEWORKERS],
                child_seen=True,
                content="訪問して様子を確認した。",
                next_action="再訪問" if due else "",
                next_action_due=due,
                next_action_done=bool(due and rng.random() < 0.8),
            )
        )
    _bulk(Activity, activities, "支援記録")
    registered = cases[: options.cases]
    _plans(rng, registered, family, staff, supervisor, today)
    _conferences(rng, town, registered, staff, supervisor, today)
    return {
        "staff": staff,
        "supervisor": supervisor,
        "cases": [c.pk for c in cases],
        "case_units": {c.pk: units[i % UNITS].pk for i, c in enumerate(cases)},
        "kana": sorted({p[1][:2] for p in _sample_names(rng)}),
    }


PLAN_TEXTS = {
    "child_wishes": "お母さんと一緒に暮らしたい。学校に行きたい。",
    "guardian_wishes": "子育ての負担を減らして、落ち着いて暮らしたい。",
    "needs": "生活リズムの安定と、保護者の育児負担の軽減。",
    "strengths": "祖母が近くに住み、協力的である。",
    "goal_short": "毎日登校し、朝食をとる。",
    "goal_long": "家族が地域の支援を使いながら安定して暮らす。",
}
PLAN_TASKS = (
    ("child_welfare", "センター", "月1回の家庭訪問と面接"),
    ("maternal_health", "保健センター", "乳幼児健診の受診勧奨と育児相談"),
    ("partner", "〇〇小学校", "出席状況の確認と、欠席が続くときの連絡"),
    ("family", "母", "困ったときはセンターに相談する"),
)
ACTIONS = (
    "学校に出席状況を確認する",
    "家庭訪問して子どもの様子を確認する",
    "保健師と同行訪問する",
    "保育所に登園状況を確認する",
    "児童相談所と情報を共有する",
)
OUTSIDERS = (
    ("田中 一郎", "〇〇小学校 教頭"),
    ("佐藤 花子", "保健センター 保健師"),
    ("鈴木 次郎", "民生委員・児童委員"),
)


def _plans(rng: Random, registered: list, family: dict, staff: list, supervisor, today: date):
    """Support plans for about two thirds of the registered cases: an approved version, for
    half of them after an older one it superseded; three items and two tasks each."""
    from tsunagu.plans.models import PlanItem, PlanTask, ServiceKind, SupportPlan

    services = list(ServiceKind.objects.all())
    chosen = sorted(rng.sample(range(len(registered)), len(registered) * 2 // 3))
    first, second = [], []
    for i in chosen:
        case = registered[i]
        approved = min(today, case.opened_on + timedelta(days=rng.randrange(14, 60)))
        revised = approved + timedelta(days=rng.randrange(1, max(2, (today - approved).days)))
        two = rng.random() < 0.5 and revised < today
        fields = {
            **PLAN_TEXTS,
            "case": case,
            "drafted_by": staff[i % CASEWORKERS],
            "approved_by": supervisor,
            "agreement": rng.choice(["interview", "visit", "written"]),
            "agreed_by": "母",
        }
        first.append(
            SupportPlan(
                **fields,
                version=1,
                status="superseded" if two else "approved",
                agreed_on=approved,
                approved_at=_aware(approved, 8),
                submitted_at=_aware(approved, 1),
                review_on=approved + timedelta(days=180),
                ended_on=revised if two else None,
            )
        )
        if two:
            second.append(
                SupportPlan(
                    **fields,
                    version=2,
                    status="approved",
                    agreed_on=revised,
                    approved_at=_aware(revised, 8),
                    submitted_at=_aware(revised, 1),
                    review_on=revised + timedelta(days=180),
                )
            )
    first = _bulk(SupportPlan, first, "サポートプラン(第1版)")
    by_case = {plan.case_id: plan for plan in first}
    for plan in second:
        plan.based_on = by_case[plan.case_id]
    plans = first + _bulk(SupportPlan, second, "サポートプラン(第2版)")
    items, tasks = [], []
    for plan in plans:
        child = family[plan.case_id][0]
        starts = plan.agreed_on
        for order, service in enumerate(rng.sample(services, 2), start=1):
            items.append(
                PlanItem(
                    plan=plan,
                    order=order,
                    kind="catalogue",
                    service=service,
                    person_id=child,
                    provider="市",
                    frequency="週1回",
                    starts_on=starts,
                    ends_on=plan.review_on,
                )
            )
        items.append(
            PlanItem(
                plan=plan,
                order=3,
                kind="other",
                name="学習支援ボランティア",
                person_id=child,
                provider="NPO法人〇〇",
                frequency="月2回",
                starts_on=starts,
                note="放課後に学習を見てもらう。",
            )
        )
        for order, (party, who, what) in enumerate(rng.sample(PLAN_TASKS, 2), start=1):
            tasks.append(PlanTask(plan=plan, order=order, party=party, who=who, what=what))
    _bulk(PlanItem, items, "プランの支援内容")
    _bulk(PlanTask, tasks, "役割分担")


def _conferences(rng: Random, town, registered: list, staff: list, supervisor, today: date):
    """A year of conferences: a 合同ケース会議 every week with five cases, and a 実務者会議 every
    month reviewing a third of the registered cases in turn; every case decided (policy, next
    review) with about one action item, most done, the recent ones open. Each registered case
    then shows the next review its latest conference decided, so a share is overdue."""
    from tsunagu.cases.models import Activity, Case, Registration
    from tsunagu.plans.models import ActionItem, Attendee, Conference, Discussion

    index = {case.pk: i for i, case in enumerate(registered)}
    worker_of = {case.pk: staff[i % CASEWORKERS] for i, case in enumerate(registered)}
    start = today - timedelta(days=365)
    meetings = []  # (conference, the cases discussed, the caseworkers attending)
    day = start + timedelta(days=(1 - start.weekday()) % 7)  # Tuesdays
    while day < today:
        conference = Conference(
            municipality=town, kind="joint", held_on=day, place="センター会議室"
        )
        opened = [c for c in registered if c.opened_on <= day]
        cases = rng.sample(opened, min(5, len(opened)))
        meetings.append(
            (conference, cases, sorted({worker_of[c.pk] for c in cases}, key=lambda user: user.pk))
        )
        day += timedelta(days=7)
    for month in range(12):
        held = date(start.year, start.month, 1) + timedelta(days=31 * (month + 1))
        held = held.replace(day=15)
        if held >= today:
            held = today - timedelta(days=1)
        conference = Conference(
            municipality=town, kind="practitioners", held_on=held, place="市役所 大会議室"
        )
        cases = [c for c in registered if index[c.pk] % 3 == month % 3 and c.opened_on <= held]
        workers = rng.sample(staff[2:], 6) + ([staff[1]] if month % 2 else [])
        meetings.append((conference, cases, [staff[0], *workers]))
    for conference, _cases, _workers in meetings:
        conference.organised_by = supervisor
        conference.summary = f"{conference.get_kind_display()}を開催した。"
    conferences = _bulk(Conference, [m[0] for m in meetings], "会議")
    attendees, discussions = [], []
    for conference, cases, workers in meetings:
        attendees += [
            Attendee(conference=conference, user=user, organisation=str(user.organisation.name))
            for user in [supervisor, *workers]
        ]
        if conference.kind == "practitioners":
            attendees += [
                Attendee(conference=conference, name=name, organisation=organisation)
                for name, organisation in OUTSIDERS
            ]
        for order, case in enumerate(cases, start=1):
            review = conference.held_on + timedelta(days=rng.choice((30, 61, 91, 91, 91)))
            discussions.append(
                Discussion(
                    conference=conference,
                    case=case,
                    order=order,
                    why="進行管理" if conference.kind == "practitioners" else "支援方針の確認",
                    notes="学校・保健センターから近況を報告。登校は安定している。",
                    policy="在宅での支援を継続し、月1回の家庭訪問で様子を確認する。",
                    rank=case.risk_rank,
                    next_review_on=review,
                    decided_at=_aware(conference.held_on, 6),
                    decided_by=supervisor,
                )
            )
    _bulk(Attendee, attendees, "会議の出席者")
    discussions = _bulk(Discussion, discussions, "協議したケース")
    held_on = {c.pk: c.held_on for c in conferences}
    items, meeting_entries = [], []
    latest: dict[int, tuple[date, date]] = {}  # case: (reviewed on, next review)
    for discussion in discussions:
        held = held_on[discussion.conference_id]
        if held >= latest.get(discussion.case_id, (date.min,))[0]:
            latest[discussion.case_id] = (held, discussion.next_review_on)
        meeting_entries.append(
            Activity(
                case_id=discussion.case_id,
                kind="meeting",
                occurred_at=_aware(held, 6),
                author=supervisor,
                content=f"会議で協議しました。\n支援方針: {discussion.policy}",
            )
        )
        for _ in range(rng.choice((0, 1, 1, 1, 1, 1, 1, 2))):
            due = held + timedelta(days=rng.randrange(7, 43))
            still_open = (due >= today - timedelta(days=21) and rng.random() < 0.7) or (
                rng.random() < 0.01
            )
            done = min(today, due - timedelta(days=rng.randrange(0, 7)))
            items.append(
                ActionItem(
                    discussion=discussion,
                    case_id=discussion.case_id,
                    what=rng.choice(ACTIONS),
                    owner=worker_of[discussion.case_id],
                    due_on=due,
                    status="open" if still_open else "done",
                    done_on=None if still_open else max(held, done),
                    result="" if still_open else "確認した。特段の変化なし。",
                )
            )
    _bulk(Activity, meeting_entries, "会議の記録")
    _bulk(ActionItem, items, "会議の対応事項")
    say(f"  未完了の対応事項: {sum(i.status == 'open' for i in items):,}")
    # The case and its registration show the latest review (as record_review leaves them).
    for values, model, field, key in (
        ({pk: nxt for pk, (_held, nxt) in latest.items()}, Case, "next_review_on", "pk"),
        (
            {pk: held for pk, (held, _nxt) in latest.items()},
            Registration,
            "last_reviewed_on",
            "case_id",
        ),
    ):
        groups: dict[date, list[int]] = {}
        for pk, value in values.items():
            groups.setdefault(value, []).append(pk)
        for value, pks in groups.items():
            for at in range(0, len(pks), 500):
                model.objects.filter(**{f"{key}__in": pks[at : at + 500]}).update(**{field: value})
    overdue = sum(
        1 for case in registered if (latest.get(case.pk, (0, case.next_review_on))[1] < today)
    )
    say(f"  進行管理の期限切れ: {overdue:,}/{len(registered):,}")


def existing_city(rng: Random) -> dict:
    """The city a previous run built (``--reuse``): measure again after a change."""
    from tsunagu.accounts.models import User
    from tsunagu.cases.models import CaseUnit

    units = dict(CaseUnit.objects.values_list("case_id", "unit_id"))
    return {
        "staff": list(User.objects.filter(username__startswith="worker").order_by("pk")),
        "supervisor": User.objects.get(username="supervisor"),
        "cases": sorted(units),
        "case_units": units,
        "kana": sorted({p[1][:2] for p in _sample_names(rng)}),
    }


def _sample_names(rng: Random):
    from tsunagu.demo import names

    return [names.family_name(rng) for _ in range(200)]


def measure(city: dict, requests: int, rng: Random) -> list[dict]:
    from django.test import Client
    from django.urls import reverse

    from tsunagu.plans.models import Conference

    rows = []
    worker = city["staff"][1]
    own = [pk for pk, unit in city["case_units"].items() if unit == worker.organisation_id]
    monthly = Conference.objects.filter(kind="practitioners").order_by("pk")
    for who, user, visible, meetings in (
        (
            "supervisor",
            city["supervisor"],
            city["cases"],
            list(monthly.values_list("pk", flat=True)),
        ),
        (
            "caseworker",
            worker,
            own,
            list(monthly.filter(attendees__user=worker).values_list("pk", flat=True)),
        ),
    ):
        client = Client()
        client.force_login(user)
        pages = {
            "case list": lambda: "/cases/",
            "case page": lambda visible=visible: f"/cases/{rng.choice(visible)}/",
            "due list": lambda: "/cases/due/",
            "name search": lambda: f"/cases/?q={rng.choice(city['kana'])}",
        }
        if who == "supervisor":
            pages["review queue"] = lambda: reverse("plans:review_queue")
        pages["conference page"] = lambda meetings=meetings: reverse(
            "plans:conference_detail", kwargs={"pk": rng.choice(meetings)}
        )
        for page, url in pages.items():
            timed_get(client, url())  # warm
            times = [timed_get(client, url()) for _ in range(requests)]
            rows.append({"viewer": who, "page": page, "requests": requests, **percentiles(times)})
            say(f"  {who} {page}: p50 {rows[-1]['p50_ms']:.1f} ms, p95 {rows[-1]['p95_ms']:.1f} ms")
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cases_latency")
    parser.add_argument("--people", type=int, default=1_600_000)
    parser.add_argument("--intakes", type=int, default=400_000)
    parser.add_argument("--cases", type=int, default=5_000)
    parser.add_argument("--activities", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the city built by the last run again"
    )
    options = parser.parse_args(argv)
    database = setup_django("cases", options.reuse)
    rng = Random(options.seed)  # noqa: S311 - synthetic data, not secrets
    started = time.monotonic()
    say(f"building the city on {database}")
    city = existing_city(rng) if options.reuse else build(options, rng)
    analyze()
    build_seconds = time.monotonic() - started
    rows = measure(city, options.requests, rng)
    result = {
        "database": database,
        "sizes": vars(options),
        "build_seconds": round(build_seconds, 1),
        "pages": rows,
        "goal_p95_ms": 100,
    }
    out = ROOT / "var" / "bench" / f"cases-{database}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    print(
        f"case pages on {database}: {options.people:,} people, {options.intakes:,} intakes, "
        f"{options.cases:,} registered cases, {options.activities:,} activities"
    )
    print("| viewer | page | p50 ms | p95 ms | ≤ 100 ms |")
    print("|---|---|---:|---:|---|")
    for row in rows:
        ok = "yes" if row["p95_ms"] <= 100 else "no"
        times = f"{row['p50_ms']:.1f} | {row['p95_ms']:.1f}"
        print(f"| {row['viewer']} | {row['page']} | {times} | {ok} |")


if __name__ == "__main__":
    main()
