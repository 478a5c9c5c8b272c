"""Benchmark: our matcher against Splink and recordlinkage on the same synthetic data.

    python -m bench.run --sizes 10000,100000 [--tools ours,splink,recordlinkage] [--seed 1]

For each size the data is generated once and written to var/bench/data/; each tool then runs
in its own process (bench.worker) so that its time and peak memory are its own. The table goes
to stdout, progress to stderr, everything to var/bench/matching.json.
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
from bench.generate import generate, write_csv

TOOLS = ("ours", "splink", "recordlinkage")
ROOT = Path(__file__).resolve().parent.parent
UNAVAILABLE = 3


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000", help="record counts, comma-separated")
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help="comma-separated: " + ", ".join(TOOLS)
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per tool and size")
    parser.add_argument("--out", type=Path, default=Path("var/bench/matching.json"))
    args = parser.parse_args(argv)
    args.sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size]
    args.tools = [tool.strip() for tool in args.tools.split(",") if tool.strip()]
    unknown = sorted(set(args.tools) - set(TOOLS))
    if unknown:
        parser.error(f"unknown tools: {', '.join(unknown)}")
    return args


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _make_data(size: int, seed: int, folder: Path) -> dict:
    started = time.perf_counter()
    frame = generate(size, seed)
    path = folder / f"people-{size}-seed{seed}.csv"
    write_csv(frame, path)
    ids = frame["id"].to_numpy()
    persons = frame["true_person"].to_numpy()
    truth = metrics.true_pair_codes(persons)
    info = {
        "records": size,
        "persons": int(pd.unique(persons).size),
        "true_pairs": len(truth),
        "csv": str(path),
        "sha256": _sha256(path),
        "generate_s": round(time.perf_counter() - started, 2),
    }
    _say(f"[{size:,}] data: {info['persons']:,} people, {len(truth):,} true pairs → {path}")
    return {"info": info, "ids": ids, "persons": persons, "truth": truth}


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
    size = data["info"]["records"]
    _say(f"[{size:,}] {tool}: running (timeout {timeout:.0f} s)")
    out = work / f"{size}-{tool}"
    status, seconds = _run_child(tool, Path(data["info"]["csv"]), out, timeout)
    row = {"size": size, "tool": tool, "status": status, "process_s": round(seconds, 2)}
    if status != "ok":
        _say(f"[{size:,}] {tool}: {status.splitlines()[0]}")
        return [row]
    stats, pairs, clusters, candidates = _outputs(out)
    row.update(stats)
    rows = []
    for name, chosen, grouped in _operating_points(tool, pairs, clusters):
        scores = metrics.evaluate(
            data["ids"], data["persons"], chosen, candidates, grouped, truth=data["truth"]
        )
        rows.append({**row, "tool": name, **scores})
        f1, cluster_f1 = _number(scores["f1"], 3), _number(scores["cluster_f1"], 3)
        _say(
            f"[{size:,}] {name}: F1 {f1}, cluster F1 {cluster_f1}, "
            f"{row['wall_s']:.1f} s, {row['peak_mb']:,.0f} MB"
        )
    return rows


def _operating_points(tool: str, pairs: pd.DataFrame, clusters: pd.DataFrame | None):
    """(name, pairs, clusters) to score. Our matcher says 'same' only when sure and sends
    pairs above the peers' 0.5 to review; scoring 'same or review' too shows it at the
    threshold the peers are run at."""
    if "decision" not in pairs:
        yield tool, pairs, clusters
        return
    yield tool, pairs[pairs["decision"] == "same"], clusters
    yield f"{tool}+review", pairs, None


def _number(value, digits: int) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


TABLE = [
    ("size", 9, lambda r: f"{r['size']:,}"),
    ("tool", 13, lambda r: r["tool"]),
    ("precision", 9, lambda r: _number(r.get("precision"), 4)),
    ("recall", 7, lambda r: _number(r.get("recall"), 4)),
    ("F1", 7, lambda r: _number(r.get("f1"), 4)),
    ("pair compl.", 11, lambda r: _number(r.get("pair_completeness"), 4)),
    ("cluster F1", 10, lambda r: _number(r.get("cluster_f1"), 4)),
    ("wall s", 8, lambda r: _number(r.get("wall_s"), 1)),
    ("peak MB", 8, lambda r: _number(r.get("peak_mb"), 0)),
]


def table(rows: list[dict]) -> str:
    lines = ["  ".join(f"{title:>{width}}" for title, width, _ in TABLE) + "  note"]
    for row in rows:
        note = "" if row["status"] == "ok" else row["status"].splitlines()[0]
        cells = "  ".join(f"{cell(row):>{width}}" for _, width, cell in TABLE)
        lines.append(f"{cells}  {note}".rstrip())
    return "\n".join(lines)


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
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "versions": _versions(),
        "threshold_match_probability": 0.5,
        "data": {},
        "results": [],
    }
    for size in args.sizes:
        data = _make_data(size, args.seed, data_folder)
        report["data"][str(size)] = data["info"]
        for tool in args.tools:
            report["results"].extend(_run_tool(tool, data, work, args.timeout))
        _save(args.out, report)
    report["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    _save(args.out, report)
    print(table(report["results"]))
    _say(f"written: {args.out}")
    return 0


def _save(path: Path, report: dict) -> None:
    # Written after every size so that a long run interrupted still leaves its results.
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
