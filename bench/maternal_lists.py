"""Benchmark: the nurse's lists of the maternal line (母子保健) in a designated city.

    python -m bench.maternal_lists [--scale 1] [--births 14000] [--years 5] [--nurses 40]
                                   [--follow-ups 3000] [--requests 30] [--seed 20]
                                   [--explain] [--reuse]

Builds, in a fresh database (SQLite under var/bench/, or DATABASE_URL when set, which must
name an empty database), the maternal line of a designated city (政令指定都市) with
``--births`` births a year for ``--years`` years: each child and its mother (Person rows), the
pregnancy (a twin pregnancy now and then: two births), the birth and the newborn visit
(乳児家庭全戸訪問), due at 4 months, so that only the last four months of births still have
one to make (about 4,700 at the issue's size), each kept by one of the ``--nurses``
public-health nurses of the maternal-health unit (母子保健); the city's check-up schedule
(``tsunagu.maternal.schedule.load``: 4 months, 10 months, 1 year 6 months, 3 years) with a
check-up row for every child old enough to have been invited to each (about 200,000): 95 %
of those past their deadline attended, the rest missed, most of those resolved after one to
three follow-up steps (未受診者フォロー), the recent ones still open with none or a few; and
``--follow-ups`` follow-ups (要フォロー), a fifth of them still open. Rows are written with
``tsunagu.core.bulk`` (COPY on PostgreSQL); the history tables are left empty, as the other
benchmarks leave them. Then ``ANALYZE``. The data is dated from the day of the run.

Then it times, ``--requests`` times each after two warm runs, through Django's test client
(routing, the policy, the queries, the access log and the template): the visit list of a
nurse holding a typical share of the open visits (/maternal/visits/), the whole list as the
supervisor (?all=1), and the missed-check-up list, its first page and its last, as the nurse.
While the lists' templates are not there the pages cannot be timed (the run says so); the
selectors' page is timed in every run beside them: ``Paginator(rows, 50)`` of
``tsunagu.maternal.selectors``, its rows and its count, as the view reads them. ``--explain``
prints the database's plan of each list's queries. The machine's load average is recorded
with each timing, and the CPU this process used (on SQLite, whose queries run in this
process, a CPU time well under the wall clock means other work had the cores). Writes
var/bench/maternal_lists-<database>.json and prints a table. Goal: ≤ 100 ms at p95.

``--scale`` multiplies the births and follow-ups (CI's ``make bench`` runs 0.1); the nurses
stay ``--nurses`` at any scale. ``--reuse`` measures the city the last run built again.
"""

import argparse
import json
import os
import time
from datetime import timedelta
from random import Random

import numpy as np

from bench.common import ROOT, analyze, percentiles, say, setup_django, timed_get

GOAL_MS = 100.0
PAGE_SIZE = 50
DEFAULTS = {"births": 14_000, "follow_ups": 3_000}
CITY_CODE = "141305"
FAMILY = [("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ")]
FAMILY += [("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ")]
MOTHERS = [("花子", "ハナコ"), ("陽子", "ヨウコ"), ("美咲", "ミサキ"), ("由美", "ユミ")]
CHILDREN = [("陽翔", "ハルト"), ("結衣", "ユイ"), ("蓮", "レン"), ("凛", "リン"), ("湊", "ミナト")]


def sizes(options) -> dict:
    return {
        name: getattr(options, name) or max(1, round(default * options.scale))
        for name, default in DEFAULTS.items()
    }


def _staff(town, nurses: int):
    from tsunagu.accounts.services import create_user
    from tsunagu.core.models import Organisation

    Kind = Organisation.Kind
    center = Organisation.objects.create(municipality=town, kind=Kind.CENTER, name="センター")
    unit = Organisation.objects.create(
        municipality=town, kind=Kind.UNIT_MATERNAL_HEALTH, name="母子保健", parent=center
    )
    staff = [
        create_user(
            username=f"nurse{i:02d}",
            password=None,
            organisation=unit,
            role="center_staff",
            display_name=f"保健師{i:02d}",
        )
        for i in range(nurses)
    ]
    supervisor = create_user(
        username="supervisor", password=None, organisation=center, role="supervisor"
    )
    return unit, staff, supervisor


def _insert(model, objects: list, label: str) -> list:
    from django.db import transaction

    from tsunagu.core import bulk

    for start in range(0, len(objects), 50_000):
        with transaction.atomic():
            bulk.insert(model, objects[start : start + 50_000])
    say(f"  {label}: {len(objects):,}")
    return objects


def _families(rng: Random, town, unit, nurses: list, births_a_year: int, years: int, today):
    """Mothers, children, pregnancies, births and their newborn visits."""
    from dateutil.relativedelta import relativedelta

    from tsunagu.maternal.models import Birth, NewbornVisit, Pregnancy
    from tsunagu.people.models import Person

    total = births_a_year * years
    first = today - timedelta(days=round(365.25 * years))
    span = (today - first).days
    pregnancies, children = [], []  # children: (pregnancy index, Person, born_on)
    mothers = []
    while len(children) < total:
        born = first + timedelta(days=rng.randrange(span))
        family, family_kana = rng.choice(FAMILY)
        given, given_kana = rng.choice(MOTHERS)
        mother = Person(
            municipality=town,
            family_name=family,
            given_name=given,
            family_kana=family_kana,
            given_kana=given_kana,
            birth_date=born - timedelta(days=rng.randrange(20 * 365, 42 * 365)),
            sex="female",
        )
        mothers.append(mother)
        nurse = rng.choice(nurses)
        twins = rng.random() < 0.01
        pregnancies.append(
            Pregnancy(
                municipality=town,
                status=Pregnancy.Status.BORN,
                notified_on=born - timedelta(days=rng.randrange(180, 250)),
                weeks_at_notification=rng.randrange(6, 20),
                expected_on=born + timedelta(days=rng.randrange(-10, 15)),
                parity=rng.choice((0, 0, 1, 1, 2)),
                multiple=twins,
                prenatal_checkups=rng.randrange(0, 4),
                partner=rng.choice(("married",) * 8 + ("unmarried", "none")),
                feelings=rng.choice(("glad",) * 8 + ("mixed", "troubled")),
                support_after_birth=rng.choice(("enough",) * 6 + ("some", "none")),
                money=rng.choice(("stable",) * 7 + ("worried", "hardship")),
                interviewed_by=nurse,
                unit=unit,
                nurse=nurse,
            )
        )
        for _ in range(2 if twins else 1):
            name, kana = rng.choice(CHILDREN)
            child = Person(
                municipality=town,
                family_name=family,
                given_name=name,
                family_kana=family_kana,
                given_kana=kana,
                birth_date=born,
                sex=rng.choice(("female", "male")),
            )
            children.append((len(pregnancies) - 1, child, born))
    _insert(Person, mothers + [child for _p, child, _b in children], "人(母と子)")
    for pregnancy, mother in zip(pregnancies, mothers, strict=True):
        pregnancy.mother = mother
    _insert(Pregnancy, pregnancies, "妊娠")
    births = [
        Birth(
            pregnancy=pregnancies[p],
            child=child,
            born_on=born,
            weeks=rng.choice((36, 37, 38, 38, 39, 39, 39, 40, 40, 41)),
            weight_g=rng.randrange(2300, 3900),
            place=rng.choice(("hospital", "hospital", "clinic", "midwife")),
            recorded_by=pregnancies[p].nurse,
        )
        for p, child, born in children
    ]
    _insert(Birth, births, "出生")
    visits = []
    for birth in births:
        due = birth.born_on + relativedelta(months=4)
        visit = NewbornVisit(
            birth=birth, due_on=due, nurse=birth.pregnancy.nurse, unit=unit, status="due"
        )
        if due < today:  # made (or not possible) by the deadline
            roll = rng.random()
            if roll < 0.96:
                visit.status = "visited"
                visit.visited_on = birth.born_on + timedelta(days=rng.randrange(20, 110))
                visit.weight_g = birth.weight_g + rng.randrange(1500, 3500)
                visit.epds_score = rng.choice((2, 4, 5, 6, 8, 10, 12))
                visit.bonding_score = rng.choice((0, 1, 2, 3, 5))
            elif roll < 0.97:
                visit.status, visit.reason = "refused", "訪問を希望しない"
            else:
                visit.status, visit.reason = "not_possible", "不在・連絡不通"
        visits.append(visit)
    _insert(NewbornVisit, visits, "乳児家庭全戸訪問")
    return [child for _p, child, _b in children], mothers


def _checkups(rng: Random, town, kinds: list, children: list, nurses: list, today):
    """Every child's check-ups it is old enough for; the misses' follow-up steps."""
    from dateutil.relativedelta import relativedelta

    from tsunagu.maternal.models import Checkup, FollowStep

    rows, steps_of = [], []
    for child in children:
        born = child.birth_date
        for kind in kinds:
            invited = born + relativedelta(months=kind.invite_months)
            if invited > today:
                continue
            due = born + relativedelta(months=kind.due_months)
            checkup = Checkup(
                municipality=town, child=child, kind=kind, invited_on=invited, due_on=due
            )
            window = max(1, (min(due, today) - invited).days)
            if due < today:
                roll = rng.random()
                if roll < 0.95:
                    _attended(rng, checkup, invited + timedelta(days=rng.randrange(window)))
                else:
                    checkup.status = Checkup.Status.MISSED
                    # The recent misses are being followed up; the older ones are settled.
                    recent = (today - due).days < 180
                    checkup.resolved = rng.random() < (0.3 if recent else 0.97)
                    steps_of.append(checkup)
            elif rng.random() < 0.6:
                _attended(rng, checkup, invited + timedelta(days=rng.randrange(window)))
            rows.append(checkup)
    _insert(Checkup, rows, "乳幼児健診")
    steps = []
    for checkup in steps_of:
        count = rng.randint(1, 3) if checkup.resolved else rng.choice((0, 0, 1, 1, 2))
        for n in range(count):
            on = min(today, checkup.due_on + timedelta(days=7 + 14 * n + rng.randrange(7)))
            seen = checkup.resolved and n == count - 1
            steps.append(
                FollowStep(
                    checkup=checkup,
                    kind=("letter", "call", "visit", "agency")[min(n, 3)],
                    result="seen" if seen else "not_reached",
                    on=on,
                    by=rng.choice(nurses),
                )
            )
    _insert(FollowStep, steps, "未受診者フォロー")
    return rows


def _attended(rng: Random, checkup, on) -> None:
    checkup.status, checkup.attended_on, checkup.resolved = "attended", on, True
    checkup.growth = rng.choice(("none",) * 18 + ("watch", "refer"))
    checkup.development = rng.choice(("none",) * 18 + ("watch", "refer"))
    checkup.follow_up_needed = "none" not in (checkup.growth, checkup.development)


def _follow_ups(rng: Random, town, unit, nurses: list, children: list, mothers, count, today):
    from tsunagu.maternal.models import FollowUp

    kinds = [k for k, _label in FollowUp.Kind.choices]
    rows = []
    for _ in range(count):
        kind = rng.choice(kinds)
        person = rng.choice(mothers if kind in ("eight_months", "epds") else children)
        due = today + timedelta(days=rng.randrange(-365, 30))
        done = rng.random() < 0.8
        rows.append(
            FollowUp(
                municipality=town,
                person=person,
                kind=kind,
                reason="ベンチ",
                due_on=due,
                owner=rng.choice(nurses),
                unit=unit,
                done_on=due - timedelta(days=rng.randrange(10)) if done else None,
                done_note="対応済み" if done else "",
            )
        )
    _insert(FollowUp, rows, "要フォロー")


def build(options, rng: Random) -> None:
    from django.utils import timezone

    from tsunagu.core.models import Municipality
    from tsunagu.maternal import schedule

    size = sizes(options)
    today = timezone.localdate()
    town = Municipality.objects.create(code=CITY_CODE, name="ベンチ政令市", prefecture="神奈川県")
    unit, nurses, _supervisor = _staff(town, options.nurses)
    kinds = schedule.load(town)
    children, mothers = _families(rng, town, unit, nurses, size["births"], options.years, today)
    _checkups(rng, town, kinds, children, nurses, today)
    _follow_ups(rng, town, unit, nurses, children, mothers, size["follow_ups"], today)


def the_viewers() -> dict:
    """The supervisor, and the nurse holding the median share of the open visits."""
    from django.db.models import Count

    from tsunagu.accounts.models import User
    from tsunagu.maternal.models import NewbornVisit

    shares = list(
        NewbornVisit.objects.filter(status="due")
        .values("nurse")
        .annotate(n=Count("pk"))
        .order_by("n", "nurse")
    )
    typical = shares[len(shares) // 2]
    return {
        "supervisor": User.objects.get(username="supervisor"),
        "nurse": User.objects.get(pk=typical["nurse"]),
        "nurse_open_visits": typical["n"],
    }


def _selector_page(rows_of, page_number: int):
    """What the list view reads: the page's rows and the paginator's count."""
    from django.core.paginator import Paginator

    def run() -> float:
        started = time.perf_counter()
        page = Paginator(rows_of(), PAGE_SIZE).get_page(page_number)
        list(page.object_list)
        page.paginator.count  # noqa: B018 - the count the page shows
        return (time.perf_counter() - started) * 1000

    return run


def _page_renders(client, url: str) -> bool:
    """False while the page's template is not written yet."""
    from django.template import TemplateDoesNotExist

    try:
        timed_get(client, url)
    except TemplateDoesNotExist as missing:
        say(f"  {url}: no template yet ({missing}); its selector is timed")
        return False
    return True


def _explain(run) -> None:
    """The plan of every query the list's page runs (its rows and its count)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        run()
    verb = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN ANALYZE"
    for query in queries:
        say(f"  -- {query['sql']}")
        with connection.cursor() as cursor:
            cursor.execute(f"{verb} {query['sql']}")
            for line in cursor.fetchall():
                say(f"     {line[-1]}")


def _timed(run) -> tuple[float, float]:
    """Milliseconds of wall clock and of this process's CPU."""
    started, cpu = time.perf_counter(), time.process_time()
    run()
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def _count_queries(run) -> list:
    """The queries of one run, counted by a wrapper: a request's start empties
    connection.queries (Django's reset_queries), so CaptureQueriesContext sees none."""
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        run()
    return queries


def measure(viewers: dict, options) -> list[dict]:
    from django.core.paginator import Paginator
    from django.test import Client
    from django.urls import reverse

    from tsunagu.maternal import selectors

    nurse, supervisor = viewers["nurse"], viewers["supervisor"]
    as_nurse, as_supervisor = Client(), Client()
    as_nurse.force_login(nurse)
    as_supervisor.force_login(supervisor)
    visits, missed = reverse("maternal:visit_list"), reverse("maternal:missed_list")
    pages = Paginator(selectors.missed_list(nurse), PAGE_SIZE).num_pages
    lists = [
        ("visit list (mine)", as_nurse, visits, lambda: selectors.visit_list(nurse), 1),
        (
            "visit list (?all=1)",
            as_supervisor,
            f"{visits}?all=1",
            lambda: selectors.visit_list(supervisor, mine=False),
            1,
        ),
        ("missed list p1", as_nurse, missed, lambda: selectors.missed_list(nurse), 1),
        (
            f"missed list last page (p{pages})",
            as_nurse,
            f"{missed}?page={pages}",
            lambda: selectors.missed_list(nurse),
            pages,
        ),
    ]
    rows = []
    for what, client, url, rows_of, page_number in lists:
        runs = [("selector", _selector_page(rows_of, page_number))]
        if options.explain:
            say(f"  EXPLAIN {what}")
            _explain(runs[0][1])
        if _page_renders(client, url):
            runs.append(("page", lambda client=client, url=url: timed_get(client, url)))
        for how, run in runs:
            run()  # warm
            queries = _count_queries(run)
            load = os.getloadavg()[0]
            times, cpu = zip(*(_timed(run) for _ in range(options.requests)), strict=True)
            row = {
                "what": what,
                "how": how,
                "url": url,
                "requests": options.requests,
                **percentiles(list(times)),
                "max_ms": max(times),
                # On SQLite the queries run in this process: CPU well under the wall clock
                # means other work had the cores.
                "cpu_p50_ms": float(np.percentile(cpu, 50)),
                "queries": len(queries),
                "load_average_before": load,
            }
            rows.append(row)
            say(
                f"  {what} ({how}): p50 {row['p50_ms']:.1f} ms, p95 {row['p95_ms']:.1f} ms, "
                f"CPU p50 {row['cpu_p50_ms']:.1f} ms, {len(queries)} queries (load {load:.2f})"
            )
    return rows


def counts() -> dict:
    from tsunagu.maternal.models import (
        Birth,
        Checkup,
        FollowStep,
        FollowUp,
        NewbornVisit,
        Pregnancy,
    )
    from tsunagu.people.models import Person

    return {
        "persons": Person.objects.count(),
        "pregnancies": Pregnancy.objects.count(),
        "births": Birth.objects.count(),
        "newborn_visits": NewbornVisit.objects.count(),
        "open_visits": NewbornVisit.objects.filter(status="due").count(),
        "checkups": Checkup.objects.count(),
        "missed_checkups": Checkup.objects.filter(status="missed").count(),
        "open_misses": Checkup.objects.filter(status="missed", resolved=False).count(),
        "follow_steps": FollowStep.objects.count(),
        "follow_ups": FollowUp.objects.count(),
        "open_follow_ups": FollowUp.objects.filter(done_on=None).count(),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.maternal_lists")
    parser.add_argument("--scale", type=float, default=1.0, help="times the default sizes")
    parser.add_argument("--births", type=int, help=f"a year; default {DEFAULTS['births']:,}")
    parser.add_argument("--years", type=int, default=5, help="years of births")
    parser.add_argument("--nurses", type=int, default=40, help="the unit's nurses")
    parser.add_argument(
        "--follow-ups", dest="follow_ups", type=int, help=f"default {DEFAULTS['follow_ups']:,}"
    )
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--explain", action="store_true", help="print the lists' query plans")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the city built by the last run again"
    )
    options = parser.parse_args(argv)
    database = setup_django("maternal_lists", options.reuse)
    rng = Random(options.seed)  # noqa: S311 - synthetic data, not secrets
    started = time.monotonic()
    if not options.reuse:
        say(f"building the city on {database}")
        build(options, rng)
        analyze()
    build_seconds = time.monotonic() - started
    viewers = the_viewers()
    rows = measure(viewers, options)
    built = counts()
    result = {
        "database": database,
        "options": vars(options),
        "rows": built,
        "nurse_open_visits": viewers["nurse_open_visits"],
        "build_seconds": None if options.reuse else round(build_seconds, 1),
        "timings": rows,
        "goal_p95_ms": GOAL_MS,
    }
    out = ROOT / "var" / "bench" / f"maternal_lists-{database}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    print(
        f"maternal lists on {database}: {built['births']:,} births, {built['persons']:,} "
        f"persons, {built['open_visits']:,} open visits ({viewers['nurse_open_visits']} the "
        f"nurse's), {built['checkups']:,} check-ups, {built['open_misses']:,} open misses "
        f"of {built['missed_checkups']:,}, {built['follow_steps']:,} follow-up steps, "
        f"{built['follow_ups']:,} follow-ups"
    )
    print(
        f"| what | timed | requests | queries | p50 ms | p95 ms | CPU p50 ms | ≤ {GOAL_MS:g} ms |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for row in rows:
        ok = "yes" if row["p95_ms"] <= GOAL_MS else "no"
        print(
            f"| {row['what']} | {row['how']} | {row['requests']} | {row['queries']} | "
            f"{row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {row['cpu_p50_ms']:.1f} | {ok} |"
        )
    if not any(row["how"] == "page" for row in rows):
        print("(the pages have no templates yet: the selectors' pages are timed)")


if __name__ == "__main__":
    main()
