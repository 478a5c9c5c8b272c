"""Re-derive the matcher's shipped parameters (tsunagu/people/matching/data/default_model.json).

    python tools/train_default_model.py [--records 100000] [--seed 7]

m, u and the prior are estimated without labels (EM) on synthetic records of the benchmark's
*tune* profile, with a seed the benchmark does not use, so that a new installation scores
sensibly before it has fitted a model on its own records (`tsunagu match --database --train`).

The two thresholds are then chosen with the records' truth, on this tune profile only (the
benchmark reports on its other profile, never tuned on):

- ``same_probability``: the lowest probability at which `same` keeps a precision of at least
  SAME_PRECISION, a margin above the goal of 0.995 for records unlike these, and never below
  one half;
- ``review_probability``: the lowest at which review pairs stay under REVIEW_PER_1000 per 1,000
  records, under a third of the most a center can look at (lists of names alone, kana-only and
  without a birth date, bring more pairs to look at than these records have).

Needs the bench extra (`pip install -e '.[bench]'`).
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from tsunagu.people.matching import blocking, model  # noqa: E402
from tsunagu.people.matching.compare import comparison_vectors  # noqa: E402
from tsunagu.people.matching.decisions import decide  # noqa: E402
from tsunagu.people.matching.prepare import prepare  # noqa: E402

SAME_PRECISION = 0.997
SAME_AT_LEAST = 0.5
REVIEW_PER_1000 = 30
GRID = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999]


def _same_threshold(parameters, scores, truth) -> tuple[float, float, float]:
    """(threshold, precision, recall among the candidates) of the lowest passing threshold,
    never below 0.5: whatever the vetoes leave, 'same' is at least likelier than not."""
    for threshold in [t for t in GRID if t >= SAME_AT_LEAST]:
        parameters.same_probability = threshold
        same = decide(parameters, scores) == "same"
        precision = float(truth[same].mean()) if same.any() else 1.0
        if precision >= SAME_PRECISION:
            return threshold, precision, float(truth[same].sum() / truth.sum())
    return GRID[-1], float("nan"), float("nan")


def _review_threshold(parameters, scores, records: int) -> tuple[float, float]:
    for threshold in GRID:
        parameters.review_probability = threshold
        review = int((decide(parameters, scores) == "review").sum())
        if review * 1000 / records <= REVIEW_PER_1000:
            return threshold, review * 1000 / records
    return GRID[-1], float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    raw = generate(args.records, args.seed)
    frame = prepare(raw.drop(columns=["true_person"]))
    left, right = blocking.candidate_pairs(frame)
    vectors = comparison_vectors(frame, left, right)
    parameters = model.fit(frame, left, right, vectors=vectors)
    frequencies = model.TermFrequencies.of_frame(frame)
    scores = model.score(parameters, frame, left, right, frequencies, len(frame), vectors)
    persons = raw["true_person"].to_numpy()
    truth = persons[left] == persons[right]
    same, precision, recall = _same_threshold(parameters, scores, truth)
    review, per_1000 = _review_threshold(parameters, scores, len(frame))
    parameters.same_probability, parameters.review_probability = same, review
    parameters.notes = {
        "source": f"EM on {args.records:,} synthetic records of the tune profile "
        f"(bench/generate.py, seed {args.seed}; tools/train_default_model.py)",
        "thresholds": f"same ≥ {same} (precision {precision:.4f}, recall among candidates "
        f"{recall:.4f}; goal ≥ {SAME_PRECISION}); review ≥ {review} "
        f"({per_1000:.0f} review pairs per 1,000 records ≤ {REVIEW_PER_1000})",
    }
    model.DEFAULT_PARAMETERS.write_text(parameters.to_json() + "\n", encoding="utf-8")
    print(f"{model.DEFAULT_PARAMETERS}: prior {parameters.duplicates_per_record:.3f} dup/record")
    print(parameters.notes["thresholds"])


if __name__ == "__main__":
    main()
