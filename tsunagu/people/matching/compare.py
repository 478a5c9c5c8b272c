"""Comparison levels of a pair of prepared records (Fellegi–Sunter comparison vectors).

Each comparison gives every pair one level, strongest first; MISSING (-1) means one side did not
say, which is not disagreement and carries no weight.
"""

import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cpdist

MISSING = -1


@dataclass(frozen=True)
class Comparison:
    name: str
    levels: tuple[str, ...]  # level codes; the last is "disagree"
    term_frequency: tuple[str, ...] = ()  # levels whose u comes from how common the value is

    def index(self, level: str) -> int:
        return self.levels.index(level)


NAME_LEVELS = (
    "exact",  # same characters as written
    "variant",  # same once old/variant kanji are folded (髙/高)
    "reading",  # same reading, at least one side written in kana only
    "other_name",  # one side's former surname or alias matches
    "confused",  # kanji often confused (斉/斎)
    "homophone",  # same reading, different kanji
    "reading_inferred",  # same reading, one side's reading from the dictionary
    "slip",  # readings one look-alike kana apart (シ/ツ, a voicing mark lost), one side kana only
    "near",  # readings one kana apart, at least one side in kana only
    "disagree",
)
FAMILY = Comparison("family", NAME_LEVELS, term_frequency=("exact", "variant", "reading"))
GIVEN = Comparison(
    "given",
    tuple(level for level in NAME_LEVELS if level != "other_name"),
    term_frequency=("exact", "variant", "reading"),
)
# one_digit: one slip of typing, one digit or one step of year, month or day.
BIRTH_DATE = Comparison("birth_date", ("exact", "swapped", "one_digit", "year_month", "disagree"))
SEX = Comparison("sex", ("agree", "disagree"))
PHONE = Comparison("phone", ("exact", "disagree"))
ADDRESS = Comparison("address", ("exact", "postal_code", "disagree"))
# Two records that share a household member (the same mother's record, say) are linked through
# her; missing when either record has no household.
HOUSEHOLD = Comparison("household", ("shared_member", "disagree"))
COMPARISONS = (FAMILY, GIVEN, BIRTH_DATE, SEX, PHONE, ADDRESS, HOUSEHOLD)


def _pick(conditions: list[tuple[np.ndarray, int]], default: int, size: int) -> np.ndarray:
    levels = np.full(size, default, dtype=np.int8)
    # Later conditions are weaker: apply them first so that stronger ones overwrite.
    for condition, level in reversed(conditions):
        levels[condition] = level
    return levels


class Pairs:
    """The two sides of many pairs, compared through integer codes of each column.

    Indexing object arrays by millions of positions is slow; prepare() gives each compared text
    column an integer code column (-1 for empty), so comparing is comparing integers.
    """

    def __init__(self, frame: pd.DataFrame, left: np.ndarray, right: np.ndarray):
        self.frame, self.left, self.right = frame, left, right

    def __len__(self) -> int:
        return len(self.left)

    def codes(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        codes = self.frame[f"{column}_code"].to_numpy()
        return codes[self.left], codes[self.right]

    def values(self, column: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        values = self.frame[column].to_numpy()
        return values[self.left[rows]], values[self.right[rows]]

    def numbers(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        values = self.frame[column].to_numpy()
        return values[self.left], values[self.right]


def _equal(pairs: Pairs, column: str) -> np.ndarray:
    a, b = pairs.codes(column)
    return (a == b) & (a >= 0)


# Kana that hands, eyes and OCR take for one another. Each group is one confusion; a kana
# and its voiced or half-voiced forms (カ/ガ, ハ/バ/パ: a mark lost or added) are one too.
LOOK_ALIKE_KANA = (
    "シツ",
    "ソン",
    "スヌ",
    "ワウ",
    "クケタ",
    "チテ",
    "ナメ",
    "ルレ",
    "ロコ",
    "ユコ",
    "アマ",
)


def _look_alike_pairs() -> frozenset[tuple[str, str]]:
    groups = list(LOOK_ALIKE_KANA)
    for code in range(ord("ァ"), ord("ヺ") + 1):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code):
            groups.append(base + chr(code))
    return frozenset((a, b) for group in groups for a in group for b in group if a != b)


LOOK_ALIKE_PAIRS = _look_alike_pairs()


def _one_look_alike_apart(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(differing) == 1 and differing[0] in LOOK_ALIKE_PAIRS


def _slip(pairs: Pairs, column: str, near: np.ndarray) -> np.ndarray:
    slip = np.zeros(len(pairs), dtype=bool)
    where = np.flatnonzero(near)
    if len(where):
        a, b = pairs.values(column, where)
        slip[where] = [_one_look_alike_apart(x, y) for x, y in zip(a, b, strict=True)]
    return slip


def _near(pairs: Pairs, column: str, candidates: np.ndarray) -> np.ndarray:
    near = np.zeros(len(pairs), dtype=bool)
    where = np.flatnonzero(candidates)
    if len(where):
        a, b = pairs.values(column, where)
        near[where] = cpdist(list(a), list(b), scorer=Levenshtein.distance) <= 1
    return near


def _other_name(pairs: Pairs, part: str) -> np.ndarray:
    others_l, others_r = pairs.codes("other_family_readings")
    found = np.zeros(len(pairs), dtype=bool)
    where = np.flatnonzero((others_l >= 0) | (others_r >= 0))
    if not len(where):
        return found
    others_l, others_r = pairs.values("other_family_readings", where)
    reading_l, reading_r = pairs.values(f"{part}_reading", where)
    for k, i in enumerate(where):
        found[i] = (reading_l[k] and reading_l[k] in others_r[k].split("|")) or (
            reading_r[k] and reading_r[k] in others_l[k].split("|")
        )
    return found


def name_levels(comparison: Comparison, pairs: Pairs, part: str) -> np.ndarray:
    has_l, has_r = pairs.numbers(f"{part}_has_kanji")
    inferred_l, inferred_r = pairs.numbers(f"{part}_inferred")
    reading_l, reading_r = pairs.codes(f"{part}_reading")
    exact_l, exact_r = pairs.codes(f"{part}_exact")
    both_kanji = has_l & has_r
    same_reading = _equal(pairs, f"{part}_reading")
    inferred = inferred_l | inferred_r
    conditions = [
        (both_kanji & _equal(pairs, f"{part}_exact"), comparison.index("exact")),
        (both_kanji & _equal(pairs, f"{part}_kanji"), comparison.index("variant")),
        (~both_kanji & same_reading & ~inferred, comparison.index("reading")),
    ]
    if "other_name" in comparison.levels:
        conditions.append((_other_name(pairs, part), comparison.index("other_name")))
    conditions += [
        (both_kanji & _equal(pairs, f"{part}_confused"), comparison.index("confused")),
        (both_kanji & same_reading & ~inferred, comparison.index("homophone")),
        (same_reading & inferred, comparison.index("reading_inferred")),
    ]
    near = _near(
        pairs,
        f"{part}_reading",
        ~both_kanji & (reading_l >= 0) & (reading_r >= 0) & ~same_reading,
    )
    conditions += [
        (_slip(pairs, f"{part}_reading", near), comparison.index("slip")),
        (near, comparison.index("near")),
    ]
    levels = _pick(conditions, comparison.index("disagree"), len(pairs))
    present_l = (exact_l >= 0) | (reading_l >= 0)
    present_r = (exact_r >= 0) | (reading_r >= 0)
    levels[~(present_l & present_r)] = MISSING
    return levels


def birth_date_levels(pairs: Pairs) -> np.ndarray:
    y1, y2 = pairs.numbers("birth_year")
    m1, m2 = pairs.numbers("birth_month")
    d1, d2 = pairs.numbers("birth_day")
    full = (d1 > 0) & (d2 > 0)
    digits_l = y1 * 10000 + m1 * 100 + d1
    digits_r = y2 * 10000 + m2 * 100 + d2
    differing = np.zeros(len(pairs), dtype=np.int8)
    for power in range(8):
        differing += (digits_l // 10**power % 10) != (digits_r // 10**power % 10)
    # A slip of one key or one step: one digit differs, or one of year, month and day is off
    # by one with the others equal (2019 → 2020, 09 → 10 change two digits).
    fields_equal = (y1 == y2).astype(np.int8) + (m1 == m2) + (d1 == d2)
    one_step = (
        (np.abs(y1 - y2) <= 1)
        & (np.abs(m1 - m2) <= 1)
        & (np.abs(d1 - d2) <= 1)
        & (fields_equal == 2)
    )
    c = BIRTH_DATE
    levels = _pick(
        [
            (full & (digits_l == digits_r), c.index("exact")),
            (full & (y1 == y2) & (m1 == d2) & (d1 == m2), c.index("swapped")),
            (full & ((differing == 1) | one_step), c.index("one_digit")),
            ((y1 == y2) & (m1 == m2), c.index("year_month")),
        ],
        c.index("disagree"),
        len(pairs),
    )
    levels[(y1 == 0) | (y2 == 0)] = MISSING
    return levels


def _equal_or_missing(comparison: Comparison, pairs: Pairs, column: str) -> np.ndarray:
    a, b = pairs.codes(column)
    levels = np.where(a == b, 0, comparison.index("disagree")).astype(np.int8)
    levels[(a < 0) | (b < 0)] = MISSING
    return levels


def address_levels(pairs: Pairs) -> np.ndarray:
    """The same home when the parsed addresses agree; a source that writes no city (福吉町3-26-15)
    is compared on town and block numbers."""
    address_l, address_r = pairs.codes("address")
    town_l, town_r = pairs.codes("address_town")
    postal_l, postal_r = pairs.codes("postal_code")
    city_unknown = (address_l < 0) | (address_r < 0)
    same_home = _equal(pairs, "address") | (city_unknown & _equal(pairs, "address_town"))
    c = ADDRESS
    levels = _pick(
        [(same_home, c.index("exact")), (_equal(pairs, "postal_code"), c.index("postal_code"))],
        c.index("disagree"),
        len(pairs),
    )
    unknown_l = (address_l < 0) & (town_l < 0) & (postal_l < 0)
    unknown = unknown_l | ((address_r < 0) & (town_r < 0) & (postal_r < 0))
    levels[unknown] = MISSING
    return levels


def household_levels(pairs: Pairs) -> np.ndarray:
    """Shared member when the two records' household members ("|"-joined ids) overlap."""
    a, b = pairs.codes("household_members")
    levels = np.full(len(pairs), MISSING, dtype=np.int8)
    where = np.flatnonzero((a >= 0) & (b >= 0))
    if len(where):
        members_l, members_r = pairs.values("household_members", where)
        shared = [
            not set(x.split("|")).isdisjoint(y.split("|"))
            for x, y in zip(members_l, members_r, strict=True)
        ]
        levels[where] = np.where(shared, 0, HOUSEHOLD.index("disagree"))
    return levels


def comparison_vectors(frame: pd.DataFrame, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """One row per pair, one column per comparison in COMPARISONS, holding the level index."""
    pairs = Pairs(frame, left, right)
    columns = [
        name_levels(FAMILY, pairs, "family"),
        name_levels(GIVEN, pairs, "given"),
        birth_date_levels(pairs),
        _equal_or_missing(SEX, pairs, "sex"),
        _equal_or_missing(PHONE, pairs, "phone"),
        address_levels(pairs),
        household_levels(pairs),
    ]
    return np.column_stack(columns).astype(np.int8)
