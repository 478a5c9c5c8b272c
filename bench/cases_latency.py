"""Benchmark: server time of the case pages in a designated city.

    python -m bench.cases_latency [--people 1600000] [--intakes 400000] [--cases 5000]
                                  [--activities 500000] [--requests 200] [--seed 5]

Builds the city in a fresh database (SQLite under var/bench/, or DATABASE_URL when set, which
must name an empty database):
people, five years of intakes, the registered cases with their activities, and the staff of a
large center; then times, through Django's test client (routing, the access policy, the
queries, the access log and the template), the case list, the case page, the due list and the
name search, as the supervisor and as a caseworker. Writes var/bench/cases.json.

The default sizes are the issue's (1.6 million people; 80,000 intakes a year for five years;
5,000 registered cases; 500,000 activities). `make bench` runs a small city (CASES_PEOPLE).
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
    today = date(2026, 11, 24)
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
    return {
        "staff": staff,
        "supervisor": supervisor,
        "cases": [c.pk for c in cases],
        "case_units": {c.pk: units[i % UNITS].pk for i, c in enumerate(cases)},
        "kana": sorted({p[1][:2] for p in _sample_names(rng)}),
    }


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

    rows = []
    worker = city["staff"][1]
    own = [pk for pk, unit in city["case_units"].items() if unit == worker.organisation_id]
    for who, user, visible in (
        ("supervisor", city["supervisor"], city["cases"]),
        ("caseworker", worker, own),
    ):
        client = Client()
        client.force_login(user)
        pages = {
            "case list": lambda: "/cases/",
            "case page": lambda visible=visible: f"/cases/{rng.choice(visible)}/",
            "due list": lambda: "/cases/due/",
            "name search": lambda: f"/cases/?q={rng.choice(city['kana'])}",
        }
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
