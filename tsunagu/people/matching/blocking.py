"""Which pairs are compared at all: records sharing one of these keys (blocking rules).

The rules are chosen so that a true pair survives most single corruptions: a changed surname
(given reading + birth date), a kana typo in one part (the other part + birth date), a wrong
birth date (both readings, or both kanji), a name given only in kana (readings).
"""

import numpy as np
import pandas as pd

RULES = (
    ("family_reading", "given_reading"),
    ("given_reading", "birth_date"),
    ("family_reading", "birth_date"),
    ("family_kanji", "given_kanji"),
    ("given_kanji", "birth_date"),
    ("given_reading", "postal_code"),
    ("given_reading", "phone"),
)
# A key shared by more records than this is not selective (e.g. a phone typed as 0); its pairs
# would swamp the scorer without finding anyone.
LARGEST_BLOCK = 3000


def _rule_pairs(frame: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    present = np.ones(len(frame), dtype=bool)
    for column in columns:
        present &= frame[column].to_numpy() != ""
    keyed = frame.loc[present, list(columns)]
    if keyed.empty:
        return np.empty(0, dtype=np.int64)
    codes = keyed.groupby(list(columns), sort=False).ngroup().to_numpy()
    sizes = np.bincount(codes)
    keep = (sizes[codes] > 1) & (sizes[codes] <= LARGEST_BLOCK)
    blocks = pd.DataFrame({"block": codes[keep], "row": np.flatnonzero(present)[keep]})
    pairs = blocks.merge(blocks, on="block")
    pairs = pairs[pairs["row_x"] < pairs["row_y"]]
    return pairs["row_x"].to_numpy(np.int64) * len(frame) + pairs["row_y"].to_numpy(np.int64)


def candidate_pairs(frame: pd.DataFrame, rules=RULES) -> tuple[np.ndarray, np.ndarray]:
    """Row positions (left < right) of every pair sharing at least one rule's key."""
    codes = np.unique(np.concatenate([_rule_pairs(frame, rule) for rule in rules]))
    return codes // len(frame), codes % len(frame)
