"""Re-derive the matcher's shipped parameters (tsunagu/people/matching/data/default_model.json).

    python tools/train_default_model.py [--records 100000] [--seed 7]

The parameters are estimated without labels (EM) on synthetic records from the benchmark's
generator, with a seed the benchmark does not use, so that a new installation scores sensibly
before it has fitted a model on its own records (`tsunagu match --database --train`).
Needs the bench extra (`pip install -e '.[bench]'`).
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from tsunagu.people.matching import blocking, model  # noqa: E402
from tsunagu.people.matching.prepare import prepare  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    frame = prepare(generate(args.records, args.seed).drop(columns=["true_person"]))
    left, right = blocking.candidate_pairs(frame)
    parameters = model.fit(frame, left, right)
    parameters.notes = {
        "source": f"EM on {args.records:,} synthetic records "
        f"(bench/generate.py, seed {args.seed}; tools/train_default_model.py)"
    }
    model.DEFAULT_PARAMETERS.write_text(parameters.to_json() + "\n", encoding="utf-8")
    print(
        f"{model.DEFAULT_PARAMETERS}: "
        f"prior {parameters.duplicates_per_record:.3f} duplicates/record"
    )


if __name__ == "__main__":
    main()
