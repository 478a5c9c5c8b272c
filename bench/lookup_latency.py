"""Benchmark: find-while-typing against the database (recall@5 and latency).

    python -m bench.lookup_latency --persons 1000000 [--queries 1000] [--seed 3]

Persons are one record per true person of the synthetic generator, stored through the ORM in a
fresh SQLite database under var/bench/ (or DATABASE_URL when set); queries are the other records
of the same persons, as a worker would type them. Latency is of tsunagu.people.finder.find,
database queries included, with the term-frequency cache warm. Writes var/bench/lookup.json.
"""

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

from bench.common import remove_database

ROOT = Path(__file__).resolve().parent.parent


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _setup_django(database: Path) -> None:
    if "DATABASE_URL" not in os.environ:
        remove_database(database)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings.development")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _load(frame, municipality) -> dict[str, int]:
    from tsunagu.people.models import Person

    firsts = frame.drop_duplicates("true_person")
    persons = []
    for row in firsts.itertuples(index=False):
        birth = row.birth_date if len(row.birth_date) == 10 else None
        person = Person(
            municipality=municipality,
            family_name=row.family_name or row.family_kana,
            given_name=row.given_name,
            family_kana=row.family_kana,
            given_kana=row.given_kana,
            birth_date=birth,
            sex=row.sex or "unknown",
            postal_code=row.postal_code[:8],
            address=row.address,
            phone=row.phone[:20],
        )
        person.refresh_keys()
        persons.append(person)
    for start in range(0, len(persons), 50_000):
        Person.objects.bulk_create(persons[start : start + 50_000], batch_size=5000)
        _say(f"  保存 {min(start + 50_000, len(persons)):,}/{len(persons):,}")
    ids = Person.objects.filter(municipality=municipality).values_list("pk", flat=True)
    return dict(zip(firsts["true_person"], sorted(ids), strict=True))


def run(persons: int, queries: int, seed: int) -> dict:
    from bench.generate import generate

    _setup_django(ROOT / "var" / "bench" / "lookup.sqlite3")
    from tsunagu.core.models import Municipality
    from tsunagu.people import finder

    # The generator makes about 1.72 records per person; ask for enough to get `persons`.
    frame = generate(int(persons * 1.8), seed=seed)
    frame = frame[frame["true_person"].isin(frame["true_person"].unique()[:persons])]
    municipality = Municipality.objects.create(code="24205", name="ベンチ市", prefecture="三重県")
    started = time.monotonic()
    person_of = _load(frame, municipality)
    load_seconds = time.monotonic() - started
    seconds_first = frame.duplicated("true_person", keep="first")
    asked = frame[seconds_first].sample(n=min(queries, int(seconds_first.sum())), random_state=seed)
    finder.frequencies_for(municipality.pk)  # warm the cache, as a running server would be
    latencies, found = [], 0
    for row in asked.drop(columns=["true_person"]).to_dict("records"):
        began = time.perf_counter()
        matches = finder.find(municipality.pk, row, limit=5)
        latencies.append((time.perf_counter() - began) * 1000)
        truth = person_of[asked.loc[asked["id"] == row["id"], "true_person"].iloc[0]]
        found += any(m.person_id == truth for m in matches)
    result = {
        "persons": len(person_of),
        "queries": len(latencies),
        "recall_at_5": found / max(len(latencies), 1),
        "p50_ms": float(np.percentile(latencies, 50)),
        "p95_ms": float(np.percentile(latencies, 95)),
        "p99_ms": float(np.percentile(latencies, 99)),
        "load_seconds": load_seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "database": os.environ["DATABASE_URL"].split(":")[0],
    }
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.lookup_latency")
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=3)
    options = parser.parse_args(argv)
    result = run(options.persons, options.queries, options.seed)
    out = ROOT / "var" / "bench" / "lookup.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    print("| persons | queries | recall@5 | p50 ms | p95 ms | p99 ms | load s | peak MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {result['persons']:,} | {result['queries']:,} | {result['recall_at_5']:.3f} "
        f"| {result['p50_ms']:.1f} | {result['p95_ms']:.1f} | {result['p99_ms']:.1f} "
        f"| {result['load_seconds']:.0f} | {result['peak_mb']:.0f} |"
    )


if __name__ == "__main__":
    main()
