"""Benchmark: server time of the public finder at the national count of children's cafeterias.

    python -m bench.finder_latency [--resources 12600] [--requests 200] [--seed 8] [--reuse]

Builds one directory of 12,600 places (DOMAIN.md §4: about 12,600 children's cafeterias in
Japan) over a 150 km square, with the schedule kinds of seed 000 (every weekday, weekly,
monthly) plus closures and date-specific openings, ages, grades, fees, some staff-only helpers;
then times, through Django's test client, the typical searches of a child or a parent and a
place page, and the HSDS API. Writes var/bench/finder-<database>.json. Goal: p95 ≤ 50 ms.
"""

import argparse
import json
import time
from datetime import date, datetime
from datetime import time as clock
from random import Random

from bench.common import ROOT, analyze, percentiles, say, setup_django, timed_get

BATCH = 2000
GOAL_MS = 50
ORIGIN, SPAN = (35.0, 139.0), 1.35  # degrees: about 150 km
CATEGORY_MIX = [
    ["eat"],
    ["eat", "study"],
    ["eat", "play"],
    ["study"],
    ["play", "rest"],
    ["rest", "talk"],
    ["parenting_hub"],
    ["food_pantry"],
]


def _schedules(rng: Random, today: date) -> list[dict]:
    kind = rng.random()
    days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    if kind < 0.15:  # every weekday (常設)
        rows = [
            {
                "kind": "weekly",
                "byday": "MO,TU,WE,TH,FR",
                "opens_at": clock(15, 30),
                "closes_at": clock(20),
            }
        ]
    elif kind < 0.6:  # weekly
        rows = [
            {
                "kind": "weekly",
                "byday": ",".join(rng.sample(days, rng.choice((1, 2)))),
                "opens_at": clock(rng.choice((11, 16, 17))),
                "closes_at": clock(19),
            }
        ]
    elif kind < 0.95:  # monthly (第2・第4 …)
        rows = [
            {
                "kind": "monthly",
                "byday": ",".join(
                    f"{n}{day}"
                    for n in rng.choice(("1", "2,4", "1,3", "-1")).split(",")
                    for day in [rng.choice(days)]
                ),
                "opens_at": clock(11),
                "closes_at": clock(14),
            }
        ]
    else:
        rows = [{"kind": "irregular", "note": "不定期"}]
    if rng.random() < 0.3:
        rows.append(
            {
                "kind": "closed",
                "date": date(today.year, 12, 29),
                "end_date": date(today.year + 1, 1, 3),
            }
        )
    if rng.random() < 0.1:
        rows.append({"kind": "opening", "date": today, "opens_at": clock(10)})
    return rows


def build(count: int, rng: Random) -> dict:
    from tsunagu.core.models import Area, Municipality
    from tsunagu.resources.models import (
        Category,
        Location,
        ResourceOrganisation,
        Schedule,
        Service,
        ServiceAtLocation,
    )

    town = Municipality.objects.create(code="131016", name="ベンチ区", prefecture="東京都")
    regions = [
        Area.objects.create(municipality=town, kind="region", code=f"R{i}", name=f"地域{i}")
        for i in range(20)
    ]
    categories = {c.code: c for c in Category.objects.all()}
    today = date.today()
    organisations = ResourceOrganisation.objects.bulk_create(
        [ResourceOrganisation(municipality=town, name=f"運営{i}") for i in range(count)],
        batch_size=BATCH,
    )
    services = Service.objects.bulk_create(
        [
            Service(
                municipality=town,
                organisation=organisations[i],
                name=f"{'こども食堂' if i % 3 else '居場所'}{i:05d}",
                name_kana=f"コドモ{i:05d}",
                visibility="staff" if rng.random() < 0.03 else "public",
                minimum_age=rng.choice((None, 0, 6)),
                maximum_age=rng.choice((None, 12, 18)),
                is_free=rng.random() < 0.4,
            )
            for i in range(count)
        ],
        batch_size=BATCH,
    )
    through = Service.categories.through
    through.objects.bulk_create(
        [
            through(service_id=s.pk, category_id=categories[code].pk)
            for s in services
            for code in rng.choice(CATEGORY_MIX)
        ],
        batch_size=BATCH,
    )
    locations = Location.objects.bulk_create(
        [
            Location(
                municipality=town,
                organisation=organisations[i],
                name=services[i].name,
                prefecture="東京都",
                city="ベンチ区",
                town="本町",
                block=f"{i}",
                latitude=ORIGIN[0] + rng.random() * SPAN,
                longitude=ORIGIN[1] + rng.random() * SPAN,
                region=regions[i % len(regions)],
            )
            for i in range(count)
        ],
        batch_size=BATCH,
    )
    places = ServiceAtLocation.objects.bulk_create(
        [
            ServiceAtLocation(service=service, location=location)
            for service, location in zip(services, locations, strict=True)
        ],
        batch_size=BATCH,
    )
    Schedule.objects.bulk_create(
        [Schedule(place=p, **fields) for p in places for fields in _schedules(rng, today)],
        batch_size=BATCH,
    )
    say(f"  places: {len(places):,}")
    return {
        "places": [p.pk for p in places if p.service.visibility == "public"],
        "regions": [r.pk for r in regions],
    }


def existing(rng: Random) -> dict:
    from tsunagu.core.models import Area
    from tsunagu.resources.finder import public_places

    return {
        "places": list(public_places().values_list("pk", flat=True)),
        "regions": list(Area.objects.filter(kind="region").values_list("pk", flat=True)),
    }


def _point(rng: Random) -> str:
    return f"lat={ORIGIN[0] + rng.random() * SPAN:.5f}&lon={ORIGIN[1] + rng.random() * SPAN:.5f}"


def searches(directory: dict, rng: Random) -> dict:
    """The typical searches, each a function giving the next URL."""
    return {
        "the finder's first page": lambda: "/find/",
        "every place, no condition": lambda: "/find/?when=",
        "たべる + きょう": lambda: "/find/?what=eat&when=today",
        "たべる + きょう + 10さい": lambda: "/find/?what=eat&when=today&age=10",
        "いま あいている + むりょう": lambda: "/find/?when=now&free=on",
        "ちかく 3km + たべる": lambda: f"/find/?what=eat&radius=3000&{_point(rng)}",
        "ちいき + こんしゅう + 小4": lambda: (
            f"/find/?region={rng.choice(directory['regions'])}&when=week&grade=E4"
        ),
        "place page": lambda: f"/find/places/{rng.choice(directory['places'])}/",
        "HSDS API services (day, age)": lambda: "/api/hsds/services?day=TU&age=10",
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.finder_latency")
    parser.add_argument("--resources", type=int, default=12_600)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--reuse", action="store_true", help="measure the last run's directory")
    options = parser.parse_args(argv)
    database = setup_django("finder", options.reuse)
    rng = Random(options.seed)  # noqa: S311 - synthetic data, not secrets
    from django.test import Client

    started = time.monotonic()
    say(f"building the directory on {database}")
    directory = existing(rng) if options.reuse else build(options.resources, rng)
    analyze()
    build_seconds = time.monotonic() - started
    client, rows = Client(), []
    for name, url in searches(directory, rng).items():
        timed_get(client, url())  # warm
        times = [timed_get(client, url()) for _ in range(options.requests)]
        rows.append({"search": name, "requests": options.requests, **percentiles(times)})
        say(f"  {name}: p50 {rows[-1]['p50_ms']:.1f} ms, p95 {rows[-1]['p95_ms']:.1f} ms")
    result = {
        "database": database,
        "resources": options.resources,
        "measured_at": datetime.now().isoformat(timespec="seconds"),
        "build_seconds": round(build_seconds, 1),
        "searches": rows,
        "goal_p95_ms": GOAL_MS,
    }
    out = ROOT / "var" / "bench" / f"finder-{database}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"public finder on {database}: {options.resources:,} places")
    print(f"| search | p50 ms | p95 ms | ≤ {GOAL_MS} ms |")
    print("|---|---:|---:|---|")
    for row in rows:
        ok = "yes" if row["p95_ms"] <= GOAL_MS else "no"
        print(f"| {row['search']} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {ok} |")


if __name__ == "__main__":
    main()
