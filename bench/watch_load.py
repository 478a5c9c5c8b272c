"""Benchmark: partners' visit reports under a bounded load, over real HTTP on loopback.

    python -m bench.watch_load [--volunteers 1000] [--cafeterias 40] [--concurrency 16]
                               [--resend 0.1] [--workers 2] [--threads 1] [--seed 18]

Builds, in a fresh database (SQLite under var/bench/, or DATABASE_URL when set, which must
name an empty database), one municipality with the center's units, ten caseworkers and a
supervisor; 40 children's cafeterias with 1,000 volunteers (role partner) spread over them;
a registered case per volunteer (a household of a mother and a child, the case's units and a
caseworker as key person), and one open weekly watch assignment per volunteer, started three
to six weeks ago, its earlier visits already reported. Each volunteer gets the session a login
leaves (the row Django's ``Client.force_login`` writes: no password hashing, no django-axes)
and a CSRF cookie with its matching ``X-CSRFToken`` header.

Then serves the app with gunicorn on 127.0.0.1 (``tsunagu.wsgi``'s production settings, as
behind the TLS proxy: the client sends ``X-Forwarded-Proto: https`` and the phone's
``Origin``) on the same database, and lets every volunteer file this week's report through
``POST /api/watch/reports/``, ``--concurrency`` at a time: a bounded run, not a flood. Most
reports are calm; about 10 % some concern, 2 % urgent (alerts, their mails and escalation
jobs queued), 4 % visits missed. About 10 % of volunteers send the same report again with
the same key right after, on a new connection (the phone lost the answer): the answer must be
200 with the report kept the first time.

Each request is timed by the client: wall clock from sending to the whole answer read,
waiting in the server's queue included. Also measured: the CPU the server, this client,
PostgreSQL and anything else on the machine used meanwhile (the client shares the cores).
Writes var/bench/watch-<database>.json; the server's log is var/bench/watch-<database>-server.log.

Goal (issue 18): p95 ≤ 200 ms, no error, no duplicate. An error (an answer other than 201 for
a report, 200 with the same report for a key sent again) or a duplicate (a report, its history
row or a queued job kept twice, or a report not kept) fails the run (exit 1); the latency is
reported against its goal (yes/no), as the other benchmarks do.
"""

import argparse
import http.client
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from random import Random

import numpy as np

from bench.common import ROOT, analyze, say, setup_django

BATCH = 1000
CASEWORKERS = 10
GOAL_MS = 200
URL = "/api/watch/reports/"
# What production settings call the cookies (tsunagu/settings/production.py).
SESSION_COOKIE, CSRF_COOKIE = "__Host-sessionid", "__Host-csrftoken"
NOTES = {
    "none": ["", "", "", "元気そうでした。", "お弁当を受け取ってくれました。"],
    "some": ["少し元気がない様子。", "服が汚れていた。", "夕食を食べていないと話した。"],
    "urgent": ["腕にあざがあった。", "家の中から大きな怒鳴り声がした。"],
}


def _bulk(model, objects: list, label: str) -> list:
    saved = []
    for start in range(0, len(objects), BATCH):
        saved += model.objects.bulk_create(objects[start : start + BATCH])
    say(f"  {label}: {len(objects):,}")
    return saved


def _center():
    """The municipality, its center with the three units, ten caseworkers (key people, with
    a mail address for the alerts' mails) and the supervisor."""
    from django.contrib.auth.hashers import make_password

    from tsunagu.accounts.models import User
    from tsunagu.core.models import Municipality, Organisation
    from tsunagu.core.roles import Role

    Kind = Organisation.Kind
    town = Municipality.objects.create(code="242055", name="ベンチ市", prefecture="三重県")
    center = Organisation.objects.create(municipality=town, kind=Kind.CENTER, name="センター")
    units = {
        kind: Organisation.objects.create(
            municipality=town, kind=kind, name=kind.label, parent=center
        )
        for kind in Organisation.CENTER_UNITS
    }
    unusable = make_password(None)  # nobody logs in with a password here
    workers = [
        User(
            username=f"worker{i}",
            password=unusable,
            organisation=units[Kind.UNIT_CHILD_WELFARE if i % 3 else Kind.UNIT_MATERNAL_HEALTH],
            role=Role.CENTER_STAFF,
            display_name=f"職員{i}",
            email=f"worker{i}@example.jp",
        )
        for i in range(CASEWORKERS)
    ]
    supervisor = User(
        username="supervisor",
        password=unusable,
        organisation=center,
        role=Role.SUPERVISOR,
        email="tokatsu@example.jp",
    )
    staff = _bulk(User, [*workers, supervisor], "センター職員")
    return town, units, staff[:-1]


def _volunteers(town, options) -> list:
    """The cafeterias and their volunteers (partners), spread evenly."""
    from django.contrib.auth.hashers import make_password

    from tsunagu.accounts.models import User
    from tsunagu.core.models import Organisation
    from tsunagu.core.roles import Role

    cafeterias = _bulk(
        Organisation,
        [
            Organisation(
                municipality=town, kind=Organisation.Kind.CAFETERIA, name=f"こども食堂{i:02d}"
            )
            for i in range(options.cafeterias)
        ],
        "こども食堂",
    )
    unusable = make_password(None)
    return _bulk(
        User,
        [
            User(
                username=f"volunteer{i:05d}",
                password=unusable,
                organisation=cafeterias[i % len(cafeterias)],
                role=Role.PARTNER,
                display_name=f"ボランティア{i}",
            )
            for i in range(options.volunteers)
        ],
        "ボランティア",
    )


def _cases(town, units, workers, count: int, rng: Random, today: date) -> tuple[list, list]:
    """Registered cases, each of one household (a mother and a child), with the case's units
    and a caseworker as key person (the alerts' recipients). Returns (cases, households)."""
    from tsunagu.cases.models import Assignment, Case, CasePerson, CaseUnit, Registration
    from tsunagu.core.models import Organisation
    from tsunagu.people.models import Household, HouseholdMember, Person

    welfare = units[Organisation.Kind.UNIT_CHILD_WELFARE]
    cases = _bulk(
        Case,
        [
            Case(
                municipality=town,
                number=f"C{i:07d}",
                title=f"見守り{i}さん世帯",
                status=Case.Status.SUPPORTING,
                opened_on=today - timedelta(days=rng.randrange(60, 3 * 365)),
                risk_rank=rng.choice("CCCDD"),
                lead_agency=Case.LeadAgency.CITY,
            )
            for i in range(count)
        ],
        "ケース",
    )
    households = _bulk(
        Household,
        [
            Household(municipality=town, address=f"ベンチ市本町{i // 50 + 1}-{i % 50 + 1}")
            for i in range(count)
        ],
        "世帯",
    )
    persons = _bulk(
        Person,
        [
            Person(
                municipality=town,
                family_name="見守",
                family_kana="ミマモリ",
                given_name=given,
                given_kana=kana,
                birth_date=born + timedelta(days=i % 2000),
                sex="female",
                address=households[i].address,
            )
            for i in range(count)
            for given, kana, born in (
                ("花子", "ハナコ", date(1985, 4, 1)),
                ("結衣", "ユイ", date(2016, 4, 1)),
            )
        ],
        "人",
    )
    families = list(zip(cases, households, persons[0::2], persons[1::2], strict=True))
    _bulk(
        HouseholdMember,
        [
            HouseholdMember(household=household, person=person, relationship=relationship)
            for _case, household, mother, child in families
            for person, relationship in ((mother, "mother"), (child, "child"))
        ],
        "世帯員",
    )
    _bulk(
        CasePerson,
        [
            CasePerson(case=case, person=person, role=role)
            for case, _household, mother, child in families
            for person, role in ((child, "child"), (mother, "guardian"))
        ],
        "ケースの関係者",
    )
    CasePerson.objects.refresh_name_keys()
    _bulk(
        Registration,
        [
            Registration(case=case, person=child, category="support", registered_on=case.opened_on)
            for case, _household, _mother, child in families
        ],
        "要対協登録",
    )
    key_people = [workers[i % len(workers)] for i in range(count)]
    _bulk(
        CaseUnit,
        [
            CaseUnit(case=case, unit=unit, since=case.opened_on)
            for case, worker in zip(cases, key_people, strict=True)
            for unit in {worker.organisation, welfare}
        ],
        "担当部署",
    )
    _bulk(
        Assignment,
        [
            Assignment(case=case, worker=worker, is_key_person=True, since=case.opened_on)
            for case, worker in zip(cases, key_people, strict=True)
        ],
        "キーパーソン",
    )
    return cases, households


def build(options, rng: Random) -> list[dict]:
    """The city, the cafeterias, their volunteers and the households they watch; returns one
    entry per volunteer (its user, assignment, this week's visit day and whether the child
    was seen at the visit before)."""
    from django.db import transaction
    from django.utils import timezone

    from tsunagu.cases.models import Assignment
    from tsunagu.watch.models import WatchAssignment, WatchReport

    started = time.monotonic()
    today = timezone.localdate()
    with transaction.atomic():
        town, units, workers = _center()
        volunteers = _volunteers(town, options)
        cases, households = _cases(town, units, workers, options.volunteers, rng, today)
        key_person = dict(
            Assignment.objects.filter(is_key_person=True).values_list("case_id", "worker_id")
        )
        # Weekly since three to six weeks ago, on the weekday the watching started.
        assignments = _bulk(
            WatchAssignment,
            [
                WatchAssignment(
                    case=case,
                    partner_id=volunteer.organisation_id,
                    recipient_name="見守様",
                    delivery_address=household.address,
                    contact_phone=f"059-{i % 1000:03d}-{i % 10000:04d}",
                    method=rng.choice(WatchAssignment.Method.values),
                    look_for="下の子の服装、食事がとれているか",
                    every_weeks=1,
                    starts_on=today - timedelta(days=rng.randrange(21, 43)),
                    created_by_id=key_person[case.pk],
                )
                for i, (case, volunteer, household) in enumerate(
                    zip(cases, volunteers, households, strict=True)
                )
            ],
            "見守りの依頼",
        )
        entries, earlier = [], []
        for volunteer, assignment in zip(volunteers, assignments, strict=True):
            *before, visit_on = assignment.visit_dates(assignment.starts_on, today)
            seen = True
            for day in before:  # the weeks before, reported calmly (a few children unseen)
                seen = rng.random() > 0.05
                moment = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
                earlier.append(
                    WatchReport(
                        assignment=assignment,
                        visit_on=day,
                        visited=True,
                        child_seen=seen,
                        concern=WatchReport.Concern.NONE,
                        reported_by=volunteer,
                        written_at=moment,
                        received_at=moment,
                    )
                )
            entries.append(
                {
                    "user": volunteer.pk,
                    "assignment": assignment.pk,
                    "visit_on": visit_on,
                    "seen_before": seen,
                }
            )
        _bulk(WatchReport, earlier, "これまでの見守り報告")
    say(f"  built in {time.monotonic() - started:.1f} s")
    return entries


def sessions(users: list[int]) -> dict[int, dict]:
    """A signed-in session per user, written as ``Client.force_login`` leaves one (the user,
    the first backend that can load users, the password's session hash), and a CSRF secret
    for its cookie and header."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from tsunagu.accounts.models import User

    backend = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )
    expires = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    made, rows = {}, []
    for user in User.objects.filter(pk__in=users):
        key = get_random_string(32, VALID_KEY_CHARS)
        data = {
            SESSION_KEY: user._meta.pk.value_to_string(user),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(
            Session(session_key=key, session_data=SessionStore().encode(data), expire_date=expires)
        )
        made[user.pk] = {
            "session": key,
            "csrf": get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS),
        }
    _bulk(Session, rows, "セッション")
    return made


def plan(entries: list[dict], sessions_of: dict, options, rng: Random) -> list[dict]:
    """Each volunteer's report, as the visits page sends it, and whether it is sent twice."""
    from django.utils import timezone

    planned = []
    for entry in entries:
        visited = rng.random() > 0.04
        concern = rng.choices(("none", "some", "urgent"), (0.88, 0.10, 0.02))[0]
        child_seen = visited and rng.random() > 0.03
        checks = {}
        if concern == "some":
            checks = dict.fromkeys(rng.sample(["hygiene", "hunger", "worrying_words"], 1), True)
        elif concern == "urgent":
            checks = dict.fromkeys(["injuries", rng.choice(["trouble_at_home", "hunger"])], True)
        written = timezone.now() - timedelta(minutes=rng.randrange(1, 120))
        body = {
            "assignment": entry["assignment"],
            "key": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "visit_on": entry["visit_on"].isoformat(),
            "visited": "1" if visited else "0",
            "child_seen": "1" if child_seen else "0",
            "concern": concern,
            "note": rng.choice(NOTES[concern]),
            "written_at": written.astimezone(UTC).isoformat(timespec="milliseconds"),
            **checks,
        }
        if not visited:
            body["not_visited_reason"] = rng.choice(["absent", "absent", "declined", "rescheduled"])
        alerts = ["urgent_report"] if concern == "urgent" else []
        alerts += [] if visited else ["missed_visit"]
        alerts += [] if child_seen or entry["seen_before"] else ["not_seen_twice"]
        planned.append(
            {
                "body": body,
                "resend": rng.random() < options.resend,
                "alerts": alerts,
                **sessions_of[entry["user"]],
            }
        )
    return planned


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(options, database: str):
    """gunicorn on 127.0.0.1 with the production settings, against the bench's database;
    stopped on leaving (also on an error)."""
    from django.conf import settings

    port = free_port()
    log = ROOT / "var" / "bench" / f"watch-{database}-server.log"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "tsunagu.settings.production",
        # The bench's key: the sessions written above are signed with it.
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "TSUNAGU_REQUIRE_2FA": "true",  # production's default; partners need no second factor
    }
    # Two cores, so two sync workers, one per core: a report is CPU work in Python (about
    # 10 ms of it), so a core serves one at a time at best. Measured on this 2-core VM
    # (16 at a time): a third worker did no better, and threads did worse on both databases:
    # 2 workers × 4 threads (gthread) gave p95 255 ms on SQLite and 218 ms on PostgreSQL,
    # two sync workers 109–170 ms and 116–135 ms (six runs each). A gthread worker accepts
    # connections ahead of its threads and keeps them, so a burst queues unevenly between the
    # workers; its threads share one GIL; and on SQLite a thread holding the write lock waits
    # for the GIL while the other writers sleep in SQLite's busy handler. A sync worker takes
    # a connection only when it is free: the kernel's accept queue is one queue for all.
    # --threads over 1 uses gthread workers.
    command = [sys.executable, "-m", "gunicorn", "tsunagu.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(options.workers)]
    if options.threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(options.threads)]
    command += ["--timeout", "60", "--access-logfile", "-", "--error-logfile", "-"]
    say(f"serving with gunicorn on 127.0.0.1:{port} ({_workers(options)})")
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603 - our own command
            command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            _wait_until_answering(server, port, log)
            yield port, server.pid
        finally:
            _stop(server)


def _stop(server: subprocess.Popen) -> None:
    """SIGTERM to gunicorn's process group (it stops its workers gracefully), SIGKILL after
    30 s."""
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, None)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:  # stopped already, workers too
            break
        try:
            server.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    server.wait()


def _wait_until_answering(server: subprocess.Popen, port: int, log) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped ({server.returncode}):\n{_tail(log)}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/me/", headers={"X-Forwarded-Proto": "https"})
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within 60 s:\n{_tail(log)}")


def _tail(log) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-30:])


def _headers(port: int, report: dict) -> dict:
    """What the visits page's fetch sends from the phone, through the TLS proxy."""
    return {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Cookie": f"{SESSION_COOKIE}={report['session']}; {CSRF_COOKIE}={report['csrf']}",
        "X-CSRFToken": report["csrf"],
        "Origin": f"https://127.0.0.1:{port}",
        "X-Forwarded-Proto": "https",
        "User-Agent": "Mozilla/5.0 (Linux; Android 14) bench.watch_load",
    }


def _post(connection: http.client.HTTPConnection, body: bytes, headers: dict) -> tuple:
    """(status, milliseconds, the answer's JSON or text) of one POST."""
    started = time.perf_counter()
    connection.request("POST", URL, body=body, headers=headers)
    response = connection.getresponse()
    content = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    try:
        answer = json.loads(content)
    except ValueError:
        answer = content[:300].decode(errors="replace")
    return response.status, elapsed, answer


def volunteer(port: int, report: dict) -> list[dict]:
    """One volunteer's phone: the report, and when the answer was 'lost', the same report
    again right after, on a new connection. Returns one row per request."""
    headers = _headers(port, report)
    body = json.dumps(report["body"]).encode()
    rows = []
    for attempt, expected in ((1, 201), (2, 200))[: 2 if report["resend"] else 1]:
        row = {"key": report["body"]["key"], "attempt": attempt, "expected": expected}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            row["status"], row["ms"], answer = _post(connection, body, headers)
        except (OSError, http.client.HTTPException) as error:
            row |= {"status": None, "ms": None, "answer": repr(error)}
        else:
            row["id"] = answer.get("id") if isinstance(answer, dict) else None
            if row["status"] != expected:
                row["answer"] = answer
        finally:
            connection.close()
        rows.append(row)
    return rows


def warm(port: int, reports: list[dict], count: int) -> None:
    """Requests before the measure, so that every worker has loaded its code and opened its
    database connection (a server that has just started is not what volunteers meet). Reads
    of a report of the weeks before, by its volunteer: the same stack as a report."""
    from tsunagu.watch.models import WatchReport

    ids = dict(WatchReport.objects.values_list("assignment_id", "pk").order_by("pk"))

    def read(report: dict) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            report_id = ids.get(report["body"]["assignment"])
            connection.request("GET", f"{URL}{report_id}/", headers=_headers(port, report))
            return connection.getresponse().status
        finally:
            connection.close()

    chosen = [r for r in reports if r["body"]["assignment"] in ids][:count]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(read, chosen))
    if any(status != 200 for status in statuses):
        raise RuntimeError(f"warming up: {sorted(set(statuses))} (expected 200)")


def load(port: int, reports: list[dict], concurrency: int) -> tuple[list[dict], float]:
    """Every volunteer's report, ``concurrency`` at a time; the rows and the wall seconds."""
    done, lock = [0], threading.Lock()

    def run(report: dict) -> list[dict]:
        rows = volunteer(port, report)
        with lock:
            done[0] += 1
            if done[0] % 200 == 0:
                say(f"  {done[0]:,}/{len(reports):,} volunteers")
        return rows

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        rows = [row for rows in pool.map(run, reports) for row in rows]
    return rows, time.perf_counter() - started


def check(reports: list[dict], rows: list[dict], earlier: int) -> dict:
    """Errors and duplicates, from the answers and from the database."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from tsunagu.watch.models import Alert, WatchReport

    errors = [row for row in rows if row["status"] != row["expected"]]
    first = {row["key"]: row.get("id") for row in rows if row["attempt"] == 1}
    # Sent again and answered 200, but with another report than the first answer's.
    changed = [
        row
        for row in rows
        if row["attempt"] == 2
        and row["status"] == row["expected"]
        and row["id"] != first[row["key"]]
    ]
    keys = {report["body"]["key"] for report in reports}
    stored = WatchReport.objects.count() - earlier
    kept = WatchReport.objects.filter(key__in=keys).count()
    new = WatchReport.objects.filter(key__in=keys)
    history = WatchReport.history.filter(key__in=keys).count()
    expected_alerts = sum(len(report["alerts"]) for report in reports)
    expected_urgent = sum("urgent_report" in report["alerts"] for report in reports)
    alerts = Alert.objects.filter(report__in=new)
    jobs = dict(
        DBTaskResult.objects.values_list("task_path")
        .annotate(n=Count("id"))
        .values_list("task_path", "n")
    )
    notify = jobs.get("tsunagu.watch.tasks.notify_alert_task", 0)
    escalate = jobs.get("tsunagu.watch.tasks.escalate_alert_task", 0)
    return {
        "errors": len(errors) + len(changed),
        "error_samples": [
            {k: v for k, v in row.items() if k in ("key", "attempt", "status", "answer")}
            for row in (errors + changed)[:10]
        ],
        "keys_sent": len(keys),
        "reports_stored": stored,
        "reports_with_a_sent_key": kept,
        # Reports kept beyond one per key sent (0 also means reports == distinct keys when
        # none is missing), and keys sent whose report was not kept.
        "duplicates": stored - kept,
        "missing": len(keys) - kept,
        "history_rows": history,
        "alerts": {"expected": expected_alerts, "raised": alerts.count()},
        "urgent_alerts": {
            "expected": expected_urgent,
            "raised": alerts.filter(reason="urgent_report").count(),
        },
        "jobs": {"notify_alert": notify, "escalate_alert": escalate},
    }


def _faults(checked: dict) -> list[str]:
    """What is wrong besides the latency: an answer not expected, or a report, its history
    row or a job kept twice (or not at all). Each fails the run."""
    faults = []
    if checked["errors"]:
        faults.append(f"{checked['errors']} requests answered otherwise than expected")
    if checked["reports_stored"] != checked["keys_sent"] or checked["missing"]:
        faults.append(
            f"{checked['reports_stored']:,} reports stored for {checked['keys_sent']:,} keys "
            f"({checked['reports_with_a_sent_key']:,} with a key sent)"
        )
    if checked["history_rows"] != checked["reports_with_a_sent_key"]:
        faults.append(f"{checked['history_rows']:,} history rows of new reports")
    jobs, alerts = checked["jobs"], checked["alerts"]["raised"]
    urgent = checked["urgent_alerts"]["raised"]
    if (jobs["notify_alert"], jobs["escalate_alert"]) != (alerts, urgent):
        faults.append(f"jobs {jobs} for {alerts} alerts, {urgent} urgent")
    return faults


def _cpu_seconds() -> dict | None:
    """CPU seconds used so far: by the whole machine (every core, from /proc/stat), by this
    process (the client), and by each process (its name and parent), to tell the server's and
    PostgreSQL's share from whatever else the machine was doing. None off Linux."""
    if not os.path.exists("/proc/stat"):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    processes = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                line = stat.read()
        except OSError:
            continue  # ended meanwhile
        name, rest = line[line.index("(") + 1 : line.rindex(")")], line[line.rindex(")") + 2 :]
        rest = rest.split()
        processes[int(pid)] = (name, int(rest[1]), (int(rest[11]) + int(rest[12])) / ticks)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "machine": sum(fields[:3]) + sum(fields[5:8]),  # user, nice, system, irq, softirq, steal
        "ticks": ticks,
        "client": usage.ru_utime + usage.ru_stime,
        "processes": processes,
    }


def cpu_use(before: dict | None, after: dict | None, server_pid: int, requests: int) -> dict:
    """Where the CPU went during the load: the server (gunicorn's master and workers), this
    client, PostgreSQL's processes, and the rest of the machine (other work on it, which
    slows the server down: the figures are then not of the app alone)."""
    if before is None or after is None:
        return {}

    def used(selected) -> float:
        return sum(
            cpu - before["processes"].get(pid, (name, 0, 0.0))[2]
            for pid, (name, parent, cpu) in after["processes"].items()
            if selected(pid, name, parent)
        )

    server = used(lambda pid, name, parent: server_pid in (pid, parent))
    database = used(lambda pid, name, parent: name.startswith("postgres"))
    client = after["client"] - before["client"]
    machine = (after["machine"] - before["machine"]) / after["ticks"]
    return {
        "server_s": round(server, 1),
        "server_ms_per_request": round(server * 1000 / requests, 1),
        "client_s": round(client, 1),
        "postgresql_s": round(database, 1),
        "machine_s": round(machine, 1),
        "other_s": round(max(0.0, machine - server - client - database), 1),
    }


def _workers(options) -> str:
    if options.threads > 1:
        return f"{options.workers} gthread workers × {options.threads} threads"
    return f"{options.workers} sync workers"


def figures(times: list[float]) -> dict:
    return {
        "p50_ms": round(float(np.percentile(times, 50)), 1),
        "p95_ms": round(float(np.percentile(times, 95)), 1),
        "p99_ms": round(float(np.percentile(times, 99)), 1),
        "max_ms": round(max(times), 1),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.watch_load")
    parser.add_argument("--volunteers", type=int, default=1000)
    parser.add_argument("--cafeterias", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=16, help="requests at a time")
    parser.add_argument("--resend", type=float, default=0.1, help="share sent twice")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="over 1: gthread workers")
    parser.add_argument("--seed", type=int, default=18)
    options = parser.parse_args(argv)
    database = setup_django("watch", reuse=False)
    rng = Random(options.seed)  # noqa: S311 - synthetic data, not secrets
    from django.db import connections

    from tsunagu.watch.models import WatchReport

    say(f"building {options.volunteers:,} volunteers' households on {database}")
    entries = build(options, rng)
    reports = plan(entries, sessions([e["user"] for e in entries]), options, rng)
    earlier = WatchReport.objects.count()
    analyze()
    connections.close_all()  # the server has the database to itself while it is measured
    with serving(options, database) as (port, server):
        warm(port, reports, max(16, 4 * options.workers * options.threads))
        connections.close_all()
        say(f"{options.volunteers:,} volunteers report, {options.concurrency} at a time")
        before = _cpu_seconds()
        rows, seconds = load(port, reports, options.concurrency)
        cpu = cpu_use(before, _cpu_seconds(), server, len(rows))
    checked = check(reports, rows, earlier)
    timed = [row["ms"] for row in rows if row["ms"] is not None]
    latency = figures(timed)
    faults = _faults(checked)
    met = latency["p95_ms"] <= GOAL_MS
    result = {
        "database": database,
        "sizes": vars(options),
        "server": {
            "gunicorn": _workers(options),
            "settings": "tsunagu.settings.production",
        },
        "requests": len(rows),
        "first_sends": sum(row["attempt"] == 1 for row in rows),
        "sent_again": sum(row["attempt"] == 2 for row in rows),
        "seconds": round(seconds, 1),
        "throughput_per_s": round(len(rows) / seconds, 1),
        "latency": latency,
        "cpu": cpu,
        "latency_new": figures([r["ms"] for r in rows if r["attempt"] == 1 and r["ms"]]),
        "latency_sent_again": figures(
            [r["ms"] for r in rows if r["attempt"] == 2 and r["ms"]] or [0]
        ),
        **checked,
        "goal": {"p95_ms": GOAL_MS, "errors": 0, "duplicates": 0},
        "goal_p95_met": met,
        "faults": faults,
        "pass": met and not faults,
        "measured_at": datetime.now().isoformat(timespec="seconds"),
    }
    out = ROOT / "var" / "bench" / f"watch-{database}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    print(
        f"visit reports on {database}: {options.volunteers:,} volunteers of "
        f"{options.cafeterias} cafeterias, {options.concurrency} at a time, "
        f"gunicorn {_workers(options)}"
    )
    print(
        "| requests | p50 ms | p95 ms | p99 ms | max ms | per s | errors | duplicates "
        f"| p95 ≤ {GOAL_MS} ms |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    print(
        f"| {len(rows):,} | {latency['p50_ms']} | {latency['p95_ms']} | {latency['p99_ms']} "
        f"| {latency['max_ms']} | {result['throughput_per_s']} | {checked['errors']} "
        f"| {checked['duplicates']} | {'yes' if met else 'no'} |"
    )
    if cpu:
        print(
            f"CPU during the load ({seconds:.1f} s on {os.cpu_count()} cores): server "
            f"{cpu['server_s']} s ({cpu['server_ms_per_request']} ms a request), client "
            f"{cpu['client_s']} s, PostgreSQL {cpu['postgresql_s']} s, "
            f"other work {cpu['other_s']} s"
        )
        if cpu["other_s"] > 0.1 * seconds * (os.cpu_count() or 1):
            say("note: other work on the machine took a share of the cores during the load")
    print(
        f"{result['first_sends']:,} reports, {result['sent_again']:,} sent again; "
        f"{checked['alerts']['raised']} alerts ({checked['urgent_alerts']['raised']} urgent), "
        f"jobs queued {checked['jobs']}"
    )
    if checked["alerts"]["raised"] != checked["alerts"]["expected"]:
        # The rules may have changed since this was written: worth a look, not a failure.
        say(f"note: alerts {checked['alerts']}, urgent {checked['urgent_alerts']}")
    if faults:
        say(f"the server's log: {ROOT / 'var' / 'bench' / f'watch-{database}-server.log'}")
        for fault in faults:
            say(f"FAILED: {fault}")
        for sample in checked["error_samples"]:
            say(f"  {sample}")
        sys.exit(1)


if __name__ == "__main__":
    main()
