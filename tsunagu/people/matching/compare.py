"""Comparison levels of a pair of prepared records (Fellegi–Sunter comparison vectors).

Each comparison gives every pair one level, strongest first; MISSING (-1) means one side did not
say, which is not disagreement and carries no weight.
"""

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
    "near",  # readings one kana apart, at least one side in kana only
    "disagree",
)
FAMILY = Comparison("family", NAME_LEVELS, term_frequency=("exact", "variant", "reading"))
GIVEN = Comparison(
    "given",
    tuple(level for level in NAME_LEVELS if level != "other_name"),
    term_frequency=("exact", "variant", "reading"),
)
BIRTH_DATE = Comparison("birth_date", ("exact", "swapped", "one_digit", "year_month", "disagree"))
SEX = Comparison("sex", ("agree", "disagree"))
PHONE = Comparison("phone", ("exact", "disagree"))
ADDRESS = Comparison("address", ("exact", "postal_code", "disagree"))
COMPARISONS = (FAMILY, GIVEN, BIRTH_DATE, SEX, PHONE, ADDRESS)


def _pick(conditions: list[tuple[np.ndarray, int]], default: int, size: int) -> np.ndarray:
    levels = np.full(size, default, dtype=np.int8)
    # Later conditions are weaker: apply them first so that stronger ones overwrite.
    for condition, level in reversed(conditions):
        levels[condition] = level
    return levels


def _columns(frame: pd.DataFrame, column: str, left: np.ndarray, right: np.ndarray):
    values = frame[column].to_numpy()
    return values[left], values[right]


def _near(a: np.ndarray, b: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    near = np.zeros(len(a), dtype=bool)
    where = np.flatnonzero(candidates)
    if len(where):
        distance = cpdist(list(a[where]), list(b[where]), scorer=Levenshtein.distance)
        near[where] = distance <= 1
    return near


def _other_name(frame, part, left, right) -> np.ndarray:
    others = frame["other_family_readings"].to_numpy()
    readings = frame[f"{part}_reading"].to_numpy()
    has_others = (others[left] != "") | (others[right] != "")
    found = np.zeros(len(left), dtype=bool)
    for i in np.flatnonzero(has_others):
        a, b = left[i], right[i]
        found[i] = (readings[a] and readings[a] in others[b].split("|")) or (
            readings[b] and readings[b] in others[a].split("|")
        )
    return found


def name_levels(
    comparison: Comparison, frame, part: str, left: np.ndarray, right: np.ndarray
) -> np.ndarray:
    exact_l, exact_r = _columns(frame, f"{part}_exact", left, right)
    kanji_l, kanji_r = _columns(frame, f"{part}_kanji", left, right)
    confused_l, confused_r = _columns(frame, f"{part}_confused", left, right)
    reading_l, reading_r = _columns(frame, f"{part}_reading", left, right)
    inferred_l, inferred_r = _columns(frame, f"{part}_inferred", left, right)
    has_l, has_r = _columns(frame, f"{part}_has_kanji", left, right)
    both_kanji = has_l & has_r
    present_l = (exact_l != "") | (reading_l != "")
    present_r = (exact_r != "") | (reading_r != "")
    same_reading = (reading_l == reading_r) & (reading_l != "")
    inferred = inferred_l | inferred_r
    conditions = [
        (both_kanji & (exact_l == exact_r), comparison.index("exact")),
        (both_kanji & (kanji_l == kanji_r), comparison.index("variant")),
        (~both_kanji & same_reading & ~inferred, comparison.index("reading")),
    ]
    if "other_name" in comparison.levels:
        conditions.append((_other_name(frame, part, left, right), comparison.index("other_name")))
    conditions += [
        (both_kanji & (confused_l == confused_r), comparison.index("confused")),
        (both_kanji & same_reading & ~inferred, comparison.index("homophone")),
        (same_reading & inferred, comparison.index("reading_inferred")),
        (
            _near(reading_l, reading_r, ~both_kanji & (reading_l != "") & (reading_r != "")),
            comparison.index("near"),
        ),
    ]
    levels = _pick(conditions, comparison.index("disagree"), len(left))
    levels[~(present_l & present_r)] = MISSING
    return levels


def birth_date_levels(frame, left, right) -> np.ndarray:
    year, month, day = (frame[f"birth_{part}"].to_numpy() for part in ("year", "month", "day"))
    y1, m1, d1, y2, m2, d2 = (
        year[left],
        month[left],
        day[left],
        year[right],
        month[right],
        day[right],
    )
    full = (d1 > 0) & (d2 > 0)
    digits_l = y1 * 10000 + m1 * 100 + d1
    digits_r = y2 * 10000 + m2 * 100 + d2
    differing = np.zeros(len(left), dtype=np.int8)
    for power in range(8):
        differing += (digits_l // 10**power % 10) != (digits_r // 10**power % 10)
    c = BIRTH_DATE
    levels = _pick(
        [
            (full & (digits_l == digits_r), c.index("exact")),
            (full & (y1 == y2) & (m1 == d2) & (d1 == m2), c.index("swapped")),
            (full & (differing == 1), c.index("one_digit")),
            ((y1 == y2) & (m1 == m2), c.index("year_month")),
        ],
        c.index("disagree"),
        len(left),
    )
    levels[(y1 == 0) | (y2 == 0)] = MISSING
    return levels


def _equal_or_missing(comparison, frame, column, left, right) -> np.ndarray:
    a, b = _columns(frame, column, left, right)
    levels = np.where(a == b, 0, comparison.index("disagree")).astype(np.int8)
    levels[(a == "") | (b == "")] = MISSING
    return levels


def address_levels(frame, left, right) -> np.ndarray:
    address_l, address_r = _columns(frame, "address", left, right)
    postal_l, postal_r = _columns(frame, "postal_code", left, right)
    c = ADDRESS
    levels = _pick(
        [
            ((address_l == address_r) & (address_l != ""), c.index("exact")),
            ((postal_l == postal_r) & (postal_l != ""), c.index("postal_code")),
        ],
        c.index("disagree"),
        len(left),
    )
    unknown = ((address_l == "") & (postal_l == "")) | ((address_r == "") & (postal_r == ""))
    levels[unknown] = MISSING
    return levels


def comparison_vectors(frame: pd.DataFrame, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """One row per pair, one column per comparison in COMPARISONS, holding the level index."""
    columns = [
        name_levels(FAMILY, frame, "family", left, right),
        name_levels(GIVEN, frame, "given", left, right),
        birth_date_levels(frame, left, right),
        _equal_or_missing(SEX, frame, "sex", left, right),
        _equal_or_missing(PHONE, frame, "phone", left, right),
        address_levels(frame, left, right),
    ]
    return np.column_stack(columns).astype(np.int8)
