"""Which pairs are compared at all: records sharing one of these keys (blocking rules).

The rules are chosen so that a true pair survives most single corruptions and the common
double ones: a changed surname (given reading + birth date), a kana typo in one part (the other
part + birth date, or its first kana + phone), a wrong or month-only birth date (both readings,
or both kanji, or a reading + the month), a name given only in kana (readings), a record with
little but a phone (phone + first kana or birth year), a kana-only list with a home but no
birth date (town and block + first kana of the given name).
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
    ("given_reading", "month_of_birth"),
    ("family_initials", "given_initials", "month_of_birth"),
    ("family_reading", "given_initial", "month_of_birth"),
    ("phone", "given_initial"),
    ("phone", "year_of_birth"),
    ("address_town", "given_initial"),
)
# Keys made from the prepared columns; '' where the source is empty, so they never join.
DERIVED_KEYS = {
    "given_initial": lambda frame: frame["given_reading"].str[:1],
    "given_initials": lambda frame: frame["given_reading"].str[:2],
    "family_initials": lambda frame: frame["family_reading"].str[:2],
    "month_of_birth": lambda frame: frame["birth_date"].str[:7],
    "year_of_birth": lambda frame: frame["birth_date"].str[:4],
}
# A key shared by more records than this is not selective (e.g. a phone typed as 0); its pairs
# would swamp the scorer without finding anyone.
LARGEST_BLOCK = 3000


def _key(frame: pd.DataFrame, column: str) -> np.ndarray:
    values = DERIVED_KEYS[column](frame) if column in DERIVED_KEYS else frame[column]
    return np.asarray(values, dtype=object)


def _block_codes(frame: pd.DataFrame, columns, derived: bool) -> np.ndarray:
    """One integer per row naming its block; -1 where any key is empty."""
    codes = np.zeros(len(frame), dtype=np.int64)
    missing = np.zeros(len(frame), dtype=bool)
    for column in columns:
        values = _key(frame, column) if derived else frame[column].to_numpy()
        missing |= values == ""
        column_codes, uniques = pd.factorize(values)
        # Re-factorise the combination so that the codes stay small however many columns.
        codes, _ = pd.factorize(codes * (len(uniques) + 1) + column_codes)
    return np.where(missing, -1, codes)


def rule_pairs(frame: pd.DataFrame, columns: tuple[str, ...], *, derived=True) -> np.ndarray:
    """Pairs (as left * n + right, left < right) of rows sharing every column of ``columns``;
    with ``derived`` the keys of DERIVED_KEYS are first made from the prepared columns."""
    codes = _block_codes(frame, columns, derived)
    rows = np.flatnonzero(codes >= 0)
    if not len(rows):
        return np.empty(0, dtype=np.int64)
    sizes = np.bincount(codes[rows])
    rows = rows[(sizes[codes[rows]] > 1) & (sizes[codes[rows]] <= LARGEST_BLOCK)]
    # Rows sorted by block (then by position); each row pairs with the rows after it in its block.
    rows = rows[np.argsort(codes[rows], kind="stable")]
    block = codes[rows]
    block_end = np.searchsorted(block, block, side="right")
    partners = block_end - np.arange(len(rows)) - 1
    first = np.repeat(np.arange(len(rows)), partners)
    offset = np.arange(len(first)) - np.repeat(np.cumsum(partners) - partners, partners)
    left, right = rows[first], rows[first + 1 + offset]
    return left.astype(np.int64) * len(frame) + right


def candidate_pairs(frame: pd.DataFrame, rules=RULES) -> tuple[np.ndarray, np.ndarray]:
    """Row positions (left < right) of every pair sharing at least one rule's key."""
    keys = pd.DataFrame({column: _key(frame, column) for rule in rules for column in rule})
    codes = np.concatenate([rule_pairs(keys, rule, derived=False) for rule in rules])
    codes.sort()  # sorting then dropping repeats is faster than np.unique's hashing here
    codes = codes[np.concatenate(([True], codes[1:] != codes[:-1]))] if len(codes) else codes
    return codes // len(frame), codes % len(frame)
