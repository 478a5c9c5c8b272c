"""Benchmark: a prefecture's directory file imported while the center works.

    python -m bench.import_latency [--rows 100000] [--requests-pause 0.05] [--seed 9]

Writes a municipal open-data CSV of ``--rows`` children's places (the newer layout, with the
kinds of schedule, fee and note real files carry), builds a small case city (bench.cases_latency)
and a finder whose openings index is in use, then imports the file as the staff page does: the
check and the apply run as background jobs in a separate worker process (`tsunagu db_worker`),
while this process keeps opening the case list as the supervisor. Reports the check's and the
apply's time (the jobs' own start and finish), the openings index job after them, and the case
list's p50/p95 during each. Writes var/bench/import-<database>.json.

Goals (issue 16): check ≤ 60 s (aim 30 s), apply ≤ 120 s, case list p95 ≤ 200 ms meanwhile.
"""

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import time
from argparse import Namespace
from random import Random

from bench.common import ROOT, analyze, percentiles, say, setup_django, timed_get

CHECK = "tsunagu.resources.tasks.check_import_task"
APPLY = "tsunagu.resources.tasks.apply_import_task"
OPENINGS = "tsunagu.resources.tasks.refresh_openings_task"
GOALS = {"check_s": 60, "apply_s": 120, "case_list_p95_ms": 200}
HEADER = [
    "全国地方公共団体コード",
    "ID",
    "地方公共団体名",
    "名称",
    "名称_カナ",
    "種別",
    "住所",
    "緯度",
    "経度",
    "電話番号",
    "利用可能曜日",
    "開始時間",
    "終了時間",
    "利用可能日時特記事項",
    "料金",
    "URL",
]
KINDS = ["こども食堂", "学習支援", "居場所", "子育てひろば", "フードパントリー"]
DAYS = ["月～金", "月～金(祝日を除く)", "土", "水", "毎日", "金・土", "第2・第4土曜"]
NOTES = ["", "", "", "祝日・年末年始は休み", "要予約", "雨天中止"]
FEES = ["", "無料", "こども無料・おとな300円", "こども100円・おとな300円"]
TOWNS = ["本町", "栄町", "旭町", "東町", "西町", "南町", "北町", "新町", "中町", "下一光町"]


def municipal_csv(rows: int, rng: Random) -> bytes:
    """A 自治体標準オープンデータセット CSV of ``rows`` places (UTF-8 with BOM)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for i in range(rows):
        days = rng.choice(DAYS)
        opens, closes = rng.choice([("10:00", "16:00"), ("17:00", "19:30"), ("20:00", "2:00")])
        writer.writerow(
            [
                "401307",
                f"K{i:06d}",
                "ベンチ政令市",
                f"{rng.choice(TOWNS)}こどもの場{i}",
                f"コドモノバ{i}",
                rng.choice(KINDS),
                f"福岡県ベンチ政令市{rng.choice(TOWNS)}{i % 50 + 1}-{i % 9 + 1}",
                f"{33.5 + rng.random() * 0.4:.6f}",
                f"{130.2 + rng.random() * 0.5:.6f}",
                f"092-{i % 1000:03d}-{i % 10000:04d}",
                days,
                opens,
                closes,
                rng.choice(NOTES),
                rng.choice(FEES),
                rng.choice(["", "https://example.jp/place", "http//example.jp", "info@example.jp"]),
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def _worker() -> subprocess.Popen:
    """The background worker, a process of its own as in production."""
    command = [sys.executable, "-m", "tsunagu", "db_worker", "--batch", "--no-startup-delay"]
    command += ["--no-reload", "-v", "0"]
    return subprocess.Popen(command, env=os.environ.copy())  # noqa: S603 - our own command


def _while_working(client, worker: subprocess.Popen, pause: float) -> list[tuple]:
    """The case list's times (when each began, milliseconds), opened again and again until
    the worker is done."""
    from django.utils import timezone

    samples = []
    while worker.poll() is None:
        samples.append((timezone.now(), timed_get(client, "/cases/")))
        time.sleep(pause)
    if worker.returncode:
        raise RuntimeError(f"the worker stopped with {worker.returncode}")
    return samples


def _during(samples: list[tuple], task_path: str) -> list[float]:
    """The times of the samples taken while a job ran."""
    result = _job(task_path)
    return [ms for at, ms in samples if result.started_at <= at <= result.finished_at]


def _job(task_path: str):
    from django_tasks_db.models import DBTaskResult

    result = DBTaskResult.objects.filter(task_path=task_path).latest("enqueued_at")
    if result.status != "SUCCESSFUL":
        raise RuntimeError(f"{task_path}: {result.status} {result.traceback}")
    return result


def _job_seconds(task_path: str) -> float:
    result = _job(task_path)
    return (result.finished_at - result.started_at).total_seconds()


def _editor(town):
    from tsunagu.accounts.services import create_user
    from tsunagu.core.models import Organisation

    council = Organisation.objects.create(
        municipality=town, kind=Organisation.Kind.SOCIAL_WELFARE_COUNCIL, name="社会福祉協議会"
    )
    return create_user(
        username="editor", password=None, organisation=council, role="resource_editor"
    )


def run(options) -> dict:
    from django.test import Client
    from django.utils import timezone

    from bench import cases_latency
    from tsunagu.resources import openings, services
    from tsunagu.resources.models import DirectoryImport

    rng = Random(options.seed)  # noqa: S311 - synthetic data, not secrets
    say("building a small case city")
    city = cases_latency.build(
        Namespace(people=20_000, intakes=5_000, cases=200, activities=5_000), rng
    )
    town = city["supervisor"].organisation.municipality
    openings.ensure(town.pk, timezone.localdate(), [timezone.localdate()])  # the finder in use
    analyze()
    data = municipal_csv(options.rows, rng)
    (ROOT / "var" / "bench" / f"import-{options.rows}.csv").write_bytes(data)
    say(f"importing {options.rows:,} rows ({len(data) / 1e6:.1f} MB)")
    client = Client()
    client.force_login(city["supervisor"])
    timed_get(client, "/cases/")  # warm
    idle = [timed_get(client, "/cases/") for _ in range(30)]
    editor = _editor(town)
    staged = services.stage_import("bench.csv", data, dataset="こども一覧", actor=editor)
    during_check = _while_working(client, _worker(), options.pause)
    staged.refresh_from_db()
    if staged.status != DirectoryImport.Status.CHECKED:
        raise RuntimeError(f"check ended {staged.status}: {staged.failure}")
    services.apply_import(staged, skip_bad=True, actor=editor)
    during_apply = _while_working(client, _worker(), options.pause)
    staged.refresh_from_db()
    if staged.status != DirectoryImport.Status.APPLIED:
        raise RuntimeError(f"apply ended {staged.status}: {staged.failure}")
    return {
        "rows": options.rows,
        "outcome": staged.outcome,
        "check_s": round(_job_seconds(CHECK), 1),
        "apply_s": round(_job_seconds(APPLY), 1),
        "openings_s": round(_job_seconds(OPENINGS), 1),
        "case_list": {
            when: {"requests": len(times), **percentiles(times)}
            for when, times in (
                ("idle", idle),
                ("during the check", _during(during_check, CHECK)),
                ("during the apply", _during(during_apply, APPLY)),
                ("during the openings index", _during(during_apply, OPENINGS)),
            )
        },
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.import_latency")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pause", type=float, default=0.05, help="seconds between case lists")
    parser.add_argument("--seed", type=int, default=9)
    options = parser.parse_args(argv)
    database = setup_django("import", reuse=False)
    result = {"database": database, **run(options), "goals": GOALS}
    out = ROOT / "var" / "bench" / f"import-{database}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"directory import on {database}: {result['rows']:,} rows — {result['outcome']}")
    print("| step | seconds | goal | met |")
    print("|---|---:|---:|---|")
    for step, key in (("check (reading only)", "check_s"), ("apply", "apply_s")):
        met = "yes" if result[key] <= GOALS[key] else "no"
        print(f"| {step} | {result[key]} | ≤ {GOALS[key]} | {met} |")
    print(f"| openings index (a job after the apply) | {result['openings_s']} | — | — |")
    print("| case list while | requests | p50 ms | p95 ms | ≤ 200 ms |")
    print("|---|---:|---:|---:|---|")
    for when, row in result["case_list"].items():
        met = "yes" if row["p95_ms"] <= GOALS["case_list_p95_ms"] else "no"
        print(f"| {when} | {row['requests']} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {met} |")


if __name__ == "__main__":
    main()
