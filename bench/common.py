"""What the server-time benchmarks share: their database (SQLite under var/bench/ unless
DATABASE_URL names one, which must be empty), and timing a page through Django's test client."""

import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def remove_database(path: Path) -> None:
    """Delete a database and its -wal and -shm files: a stale WAL must not meet a new file."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def setup_django(name: str, reuse: bool) -> str:
    """Django on the benchmark's database, migrated; returns the database kind."""
    if "DATABASE_URL" not in os.environ:
        database = ROOT / "var" / "bench" / f"{name}.sqlite3"
        database.parent.mkdir(parents=True, exist_ok=True)
        if not reuse:
            remove_database(database)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings.development")
    # As in production: no debug (templates compiled once and cached, no query log).
    os.environ.setdefault("TSUNAGU_DEBUG", "0")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return os.environ["DATABASE_URL"].split(":")[0]


def timed_get(client, url: str) -> float:
    """Milliseconds to serve ``url`` (routing, the policy, queries, logging, the template)."""
    started = time.perf_counter()
    response = client.get(url, HTTP_HOST="localhost")
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code}")
    return elapsed


def percentiles(times: list[float]) -> dict:
    return {
        "p50_ms": float(np.percentile(times, 50)),
        "p95_ms": float(np.percentile(times, 95)),
    }


def analyze() -> None:
    """Planner statistics after the bulk load, as PostgreSQL's autovacuum gathers by itself and
    as a SQLite deployment gets from ANALYZE (the README's advice)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
