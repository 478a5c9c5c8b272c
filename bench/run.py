"""Benchmark: our matcher against Splink and recordlinkage on the same synthetic data.

    python -m bench.run --sizes 10000,100000 [--profiles tune,report]
                        [--tools ours,splink,recordlinkage] [--seed 1]

For each size and profile the data is generated once and written to var/bench/data/; each tool
then runs in its own process (bench.worker) so that its time and peak memory are its own. The
``tune`` profile is the data thresholds are chosen on, ``report`` the data they are reported on
(bench/README.md). The table goes to stdout, progress to stderr, everything to
var/bench/matching.json.
"""

import argparse
import hashlib
import json
import os
import platform
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from bench import metrics
from bench.generate import PROFILES, SEED_OFFSETS, generate, write_csv

TOOLS = ("ours", "splink", "recordlinkage")
ROOT = Path(__file__).resolve().parent.parent
UNAVAILABLE = 3


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000", help="record counts, comma-separated")
    parser.add_argument(
        "--profiles",
        default=",".join(PROFILES),
        help="comma-separated: " + ", ".join(PROFILES),
    )
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help="comma-separated: " + ", ".join(TOOLS)
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=1,
        help="the tune profile's seed; the report profile's is this plus 1000",
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per tool and size")
    parser.add_argument("--out", type=Path, default=Path("var/bench/matching.json"))
    args = parser.parse_args(argv)
    args.sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size]
    args.tools = [tool.strip() for tool in args.tools.split(",") if tool.strip()]
    args.profiles = [name.strip() for name in args.profiles.split(",") if name.strip()]
    unknown = sorted(set(args.tools) - set(TOOLS))
    if unknown:
        parser.error(f"unknown tools: {', '.join(unknown)}")
    unknown = sorted(set(args.profiles) - set(PROFILES))
    if unknown:
        parser.error(f"unknown profiles: {', '.join(unknown)}")
    return args


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def profile_seed(profile: str, seed: int) -> int:
    """Each profile its own seed, so that the data sets differ even at equal numbers."""
    return seed + SEED_OFFSETS.get(profile, 0)


def _make_data(size: int, profile: str, seed: int, folder: Path) -> dict:
    started = time.perf_counter()
    seed = profile_seed(profile, seed)
    frame = generate(size, seed, profile)
    path = folder / f"people-{profile}-{size}-seed{seed}.csv"
    write_csv(frame, path)
    truth = metrics.truth_of(frame)
    info = {
        "profile": profile,
        "records": size,
        "seed": seed,
        "persons": int(pd.unique(frame["true_person"]).size),
        **metrics.data_counts(truth),
        "csv": str(path),
        "sha256": _sha256(path),
        "generate_s": round(time.perf_counter() - started, 2),
    }
    _say(
        f"[{profile} {size:,}] data: {info['persons']:,} people, {info['true_pairs']:,} true "
        f"pairs → {path}"
    )
    return {"info": info, "truth": truth}


def _run_child(tool: str, csv: Path, out: Path, timeout: float) -> tuple[str, float]:
    """Run the worker; (status, seconds). The child gets its own process group so that a
    timeout ends it together with anything it started."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.iterdir():
        stale.unlink()
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    command = [sys.executable, "-m", "bench.worker", tool, str(csv), str(out)]
    started = time.perf_counter()
    # Our own interpreter and module with paths we made: nothing here comes from outside.
    child = subprocess.Popen(command, env=env, start_new_session=True)  # noqa: S603
    try:
        code = child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        return f"timeout after {timeout:.0f} s", time.perf_counter() - started
    seconds = time.perf_counter() - started
    if code == 0:
        return "ok", seconds
    error = out / "error.txt"
    reason = error.read_text(encoding="utf-8").strip() if error.exists() else f"exit {code}"
    if code == UNAVAILABLE:
        return reason, seconds
    return f"failed: {reason.splitlines()[-1] if reason else code}", seconds


def _outputs(out: Path) -> tuple[dict, pd.DataFrame, pd.DataFrame | None, np.ndarray | None]:
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    pairs = pd.read_parquet(out / "pairs.parquet")
    clusters = (
        pd.read_parquet(out / "clusters.parquet") if (out / "clusters.parquet").exists() else None
    )
    candidates = np.load(out / "candidates.npy") if (out / "candidates.npy").exists() else None
    return stats, pairs, clusters, candidates


def _run_tool(tool: str, data: dict, work: Path, timeout: float) -> list[dict]:
    info = data["info"]
    size, profile = info["records"], info["profile"]
    where = f"[{profile} {size:,}]"
    _say(f"{where} {tool}: running (timeout {timeout:.0f} s)")
    out = work / f"{profile}-{size}-{tool}"
    status, seconds = _run_child(tool, Path(info["csv"]), out, timeout)
    row = {
        "profile": profile,
        "size": size,
        "tool": tool,
        "status": status,
        "process_s": round(seconds, 2),
    }
    if status != "ok":
        _say(f"{where} {tool}: {status.splitlines()[0]}")
        return [row]
    stats, pairs, clusters, candidates = _outputs(out)
    row.update(stats)
    rows = []
    for name, point, chosen, grouped in _operating_points(tool, pairs, clusters):
        scores = metrics.evaluate(data["truth"], chosen, candidates, grouped)
        rows.append({**row, "tool": name, "point": point, **scores})
        _say(
            f"{where} {name}: P {_number(scores['precision'], 3)}, "
            f"R {_number(scores['recall'], 3)}, F1 {_number(scores['f1'], 3)}, "
            f"{row['wall_s']:.1f} s, {row['peak_mb']:,.0f} MB"
        )
    if "decision" in pairs:
        # Our 'same' row also carries what the 'same or review' row measures, and how many
        # pairs a person would have to check.
        review = int((pairs["decision"] == "review").sum())
        rows[0]["review_pairs"] = review
        rows[0]["review_per_1k"] = review / size * 1000
        rows[0]["f1_same_review"] = rows[1]["f1"]
    return rows


def _operating_points(tool: str, pairs: pd.DataFrame, clusters: pd.DataFrame | None):
    """(name, point, pairs, clusters) to score. Our matcher says 'same' only when sure and
    sends pairs above the peers' 0.5 to review: its headline is 'same'; 'same or review'
    shows it at the threshold the peers are run at. A peer's pairs are those at 0.5."""
    if "decision" not in pairs:
        yield tool, "0.5", pairs, clusters
        return
    yield tool, "same", pairs[pairs["decision"] == "same"], clusters
    yield f"{tool}+review", "same+review", pairs, None


def _number(value, digits: int) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _merged(row: dict, name: str) -> str:
    direct, clustered = row.get(f"{name}_merged"), row.get(f"{name}_merged_clusters")
    return "–" if direct is None else f"{direct}/{clustered}"


TABLE = [
    ("tool", 13, lambda r: r["tool"]),
    ("P", 6, lambda r: _number(r.get("precision"), 4)),
    ("R", 6, lambda r: _number(r.get("recall"), 4)),
    ("F1", 6, lambda r: _number(r.get("f1"), 4)),
    (
        "F1 s+r",
        6,
        lambda r: "" if r.get("point") == "same+review" else _number(r.get("f1_same_review"), 4),
    ),
    ("review/1k", 9, lambda r: _number(r.get("review_per_1k"), 1)),
    ("twins", 7, lambda r: _merged(r, "twins")),
    ("namesakes", 9, lambda r: _merged(r, "namesakes")),
    ("R child", 7, lambda r: _number(r.get("recall_children"), 4)),
    ("R adult", 7, lambda r: _number(r.get("recall_adults"), 4)),
    ("R moved", 7, lambda r: _number(r.get("recall_moved"), 4)),
    ("R surname", 9, lambda r: _number(r.get("recall_surname"), 4)),
    ("wall s", 7, lambda r: _number(r.get("wall_s"), 1)),
    ("peak MB", 7, lambda r: _number(r.get("peak_mb"), 0)),
]


def _block_title(info: dict) -> str:
    kinds = ", ".join(
        f"{kind} {info[f'pairs_{kind}']:,}" for kind in metrics.KINDS if f"pairs_{kind}" in info
    )
    return (
        f"{info['records']:,} records, profile {info['profile']} (seed {info['seed']}): "
        f"{info['persons']:,} persons, {info['true_pairs']:,} true pairs ({kinds}), "
        f"{info.get('twin_pairs', 0):,} twin and {info.get('namesake_pairs', 0):,} "
        "namesake person pairs"
    )


def table(rows: list[dict], data: dict) -> str:
    """One block per size and profile: a title saying what the data holds, then a row per
    tool (ours, ours+review, the peers)."""
    header = "  ".join(f"{title:>{width}}" for title, width, _ in TABLE) + "  note"
    blocks = []
    for key, info in data.items():
        lines = [_block_title(info), header]
        for row in rows:
            if f"{row['profile']}-{row['size']}" != key:
                continue
            note = "" if row["status"] == "ok" else row["status"].splitlines()[0]
            cells = "  ".join(f"{cell(row):>{width}}" for _, width, cell in TABLE)
            lines.append(f"{cells}  {note}".rstrip())
        blocks.append("\n".join(lines))
    legend = (
        "P, R, F1: pairs decided 'same' (peers: at 0.5); F1 s+r: 'same' or 'review'; "
        "ours+review: every measure for 'same' or 'review'.\n"
        "twins, namesakes: distinct person pairs joined, by a pair / through the clusters. "
        "R child … R surname: recall of the true pairs of that kind."
    )
    return "\n\n".join([*blocks, legend])


def _versions() -> dict:
    found = {}
    for package in ("splink", "recordlinkage", "duckdb", "pandas", "numpy"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = None
    return found


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    data_folder, work = Path("var/bench/data"), Path("var/bench/runs")
    report = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "seed": args.seed,
        "profiles": {name: profile_seed(name, args.seed) for name in args.profiles},
        "rule": "thresholds are chosen on the tune profile and reported on the report profile",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "versions": _versions(),
        "threshold_match_probability": 0.5,
        "data": {},
        "results": [],
    }
    for size in args.sizes:
        for profile in args.profiles:
            data = _make_data(size, profile, args.seed, data_folder)
            report["data"][f"{profile}-{size}"] = data["info"]
            for tool in args.tools:
                report["results"].extend(_run_tool(tool, data, work, args.timeout))
            _save(args.out, report)
    report["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    _save(args.out, report)
    print(table(report["results"], report["data"]))
    _say(f"written: {args.out}")
    return 0


def _save(path: Path, report: dict) -> None:
    # Written after every size so that a long run interrupted still leaves its results.
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
