"""One tool on one data file, in a process of its own so that its peak memory is its own.

``python -m bench.worker TOOL DATA.csv OUT_DIR`` writes to OUT_DIR:

- pairs.parquet: id_l, id_r, match_probability, the pairs the tool calls the same person;
- clusters.parquet: id, cluster_id, when the tool clusters (else the harness takes the
  connected components of the pairs);
- candidates.npy: the compared pairs as codes over row positions, when they can be had;
- stats.json: timings, peak memory, counts; error.txt instead when the tool failed.

The tool is given the CSV's INPUT_COLUMNS only (tsunagu.people.matching.prepare), never the
true_* columns kept beside them for scoring.

Timing starts after the CSV is read and covers normalisation and matching; peak memory is
this process's ru_maxrss when matching ends, before any output is written.
"""

import json
import resource
import sys
import time
import traceback
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from bench.generate import read_csv
from tsunagu.people.matching.prepare import INPUT_COLUMNS

UNAVAILABLE = 3


def _peak_mb() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _say(tool: str, message: str) -> None:
    print(f"    {tool}: {message}", file=sys.stderr, flush=True)


def run_peer(tool: str, raw: pd.DataFrame) -> tuple[dict, dict]:
    from bench import peers, prepared

    prepare_name, prepare = prepared.load()
    start = time.perf_counter()
    frame = prepare(raw)
    normalised = time.perf_counter()
    _say(tool, f"normalised by {prepare_name} in {normalised - start:.1f} s")
    with warnings.catch_warnings():
        # recordlinkage 0.16 trips pandas' dtype FutureWarning on every date comparison.
        warnings.simplefilter("ignore", FutureWarning)
        result = peers.PEERS[tool](frame)
    done = time.perf_counter()
    stats = {
        "prepare": prepare_name,
        "prepare_s": normalised - start,
        "match_s": done - normalised,
        "wall_s": done - start,
        "peak_mb": _peak_mb(),
    }
    return stats, {
        "pairs": result.pairs,
        "clusters": result.clusters,
        "candidates": result.candidates,
    }


def _ours_candidates(raw: pd.DataFrame) -> np.ndarray | None:
    """The compared pairs of our matcher, recomputed after timing: ``match_frame`` returns only
    their number. None when its blocking module is not where it was."""
    try:
        from tsunagu.people.matching import blocking
        from tsunagu.people.matching.batch import prepare

        left, right = blocking.candidate_pairs(prepare(raw))
    except (ImportError, AttributeError, TypeError):
        return None
    from bench.metrics import pair_codes

    return pair_codes(left, right, len(raw))


def _ours_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    """id_l < id_r, the score as match_probability, and the decision ('same', or 'review' for
    a person to check) kept so that the harness can score both operating points."""
    left, right = pairs["id_l"].to_numpy(), pairs["id_r"].to_numpy()
    low, high = np.where(left <= right, left, right), np.where(left <= right, right, left)
    probability = pairs["score"] if "score" in pairs else pairs.get("match_probability", np.nan)
    out = pd.DataFrame(
        {"id_l": low, "id_r": high, "match_probability": np.asarray(probability, dtype=float)}
    )
    out["decision"] = pairs["decision"].to_numpy() if "decision" in pairs else "same"
    return out


def run_ours(raw: pd.DataFrame) -> tuple[dict, dict]:
    from tsunagu.people.matching.batch import match_frame

    start = time.perf_counter()
    # match_frame normalises the CSV columns itself, so its time includes normalisation,
    # as the peers' time does.
    result = match_frame(raw)
    done = time.perf_counter()
    stats = {
        "prepare": "tsunagu.people.matching.batch (inside match_frame)",
        "match_s": done - start,
        "wall_s": done - start,
        "peak_mb": _peak_mb(),
    }
    pairs, clusters, compared = result[0], result[1], result[-1]
    pairs = _ours_pairs(pairs)
    if isinstance(compared, pd.DataFrame):
        candidates = _frame_candidates(raw, compared)
    else:
        stats["candidate_count"] = int(compared)
        candidates = _ours_candidates(raw)
    return stats, {"pairs": pairs, "clusters": clusters, "candidates": candidates}


def _frame_candidates(raw: pd.DataFrame, compared: pd.DataFrame) -> np.ndarray:
    from bench.metrics import pair_codes

    position = pd.Index(raw["id"])
    left = position.get_indexer(compared["id_l"])
    right = position.get_indexer(compared["id_r"])
    return pair_codes(left, right, len(raw))


def _write(out: Path, stats: dict, outputs: dict) -> None:
    outputs["pairs"].to_parquet(out / "pairs.parquet", index=False)
    clusters = outputs.get("clusters")
    if clusters is not None:
        clusters = clusters[["id", "cluster_id"]].astype({"cluster_id": str})
        clusters.to_parquet(out / "clusters.parquet", index=False)
    if outputs.get("candidates") is not None:
        np.save(out / "candidates.npy", outputs["candidates"])
    (out / "stats.json").write_text(json.dumps(stats, indent=1), encoding="utf-8")


def main(argv: list[str]) -> int:
    tool, data, out = argv[0], Path(argv[1]), Path(argv[2])
    out.mkdir(parents=True, exist_ok=True)
    # The truth stays with the harness: a tool sees the input columns and nothing else.
    raw = read_csv(data)[INPUT_COLUMNS]
    try:
        stats, outputs = run_ours(raw) if tool == "ours" else run_peer(tool, raw)
    except ImportError as error:
        (out / "error.txt").write_text(f"unavailable: {error}", encoding="utf-8")
        return UNAVAILABLE
    except Exception:
        (out / "error.txt").write_text(traceback.format_exc(), encoding="utf-8")
        raise
    _say(tool, f"matched in {stats['wall_s']:.1f} s, peak {stats['peak_mb']:,.0f} MB")
    _write(out, stats, outputs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
