"""The Fellegi–Sunter scorer: parameters, their estimation (EM), weights and reasons.

Parameters are m (how often a level is seen among true matches) and u (among random pairs) for
every comparison level, and the expected number of other records of the same person per record,
from which the prior for a data set of any size follows. u is estimated on random pairs, m and the
prior by expectation–maximisation on the blocked pairs, as Splink and the FS literature do. For
the name levels that say "the same name", u is replaced by how common that name is (term
frequency), so 佐藤 agreeing is weaker evidence than 鳥越 agreeing.
"""

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .compare import (
    COMPARISONS,
    FAMILY,
    GIVEN,
    HOUSEHOLD,
    MISSING,
    Comparison,
    comparison_vectors,
)

DEFAULT_PARAMETERS = Path(__file__).resolve().parent / "data" / "default_model.json"
TF_COLUMNS = {"exact": "exact", "variant": "kanji", "reading": "reading"}
# Records that say nothing of households (a CSV; the synthetic records behind the shipped
# default) cannot estimate the household level: until a city fits its own records, it keeps
# these cautious values (m, u) — a shared member is rare between unrelated persons.
UNTRAINED = {HOUSEHOLD.name: ([0.4, 0.6], [0.001, 0.999])}


@dataclass
class Parameters:
    m: dict[str, list[float]]
    u: dict[str, list[float]]
    duplicates_per_record: float = 0.5
    same_probability: float = 0.995
    review_probability: float = 0.5
    trained_on: int = 0
    iterations: int = 0
    notes: dict = field(default_factory=dict)

    def levels(self, comparison: Comparison) -> tuple[np.ndarray, np.ndarray]:
        """m and u of each level of one comparison."""
        if comparison.name in self.m:
            return np.asarray(self.m[comparison.name]), np.asarray(self.u[comparison.name])
        m, u = UNTRAINED[comparison.name]
        return np.asarray(m), np.asarray(u)

    def prior(self, records: int) -> float:
        return min(0.5, self.duplicates_per_record / max(records - 1, 1))

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_dict(cls, data: dict) -> "Parameters":
        return cls(**data)

    @classmethod
    def default(cls) -> "Parameters":
        return cls.from_dict(json.loads(DEFAULT_PARAMETERS.read_text(encoding="utf-8")))


def _level_frequencies(vectors: np.ndarray, weights: np.ndarray | None = None) -> dict:
    found = {}
    for k, comparison in enumerate(COMPARISONS):
        column = vectors[:, k]
        counts = np.full(len(comparison.levels), 0.5)  # a pseudo-count keeps rare levels finite
        w = np.ones(len(column)) if weights is None else weights
        seen = column != MISSING
        np.add.at(counts, column[seen], w[seen])
        found[comparison.name] = list(counts / counts.sum())
    return found


def estimate_u(frame: pd.DataFrame, rng: np.random.Generator, pairs: int = 1_000_000) -> dict:
    n = len(frame)
    left = rng.integers(0, n, size=pairs)
    right = rng.integers(0, n, size=pairs)
    keep = left != right
    return _level_frequencies(comparison_vectors(frame, left[keep], right[keep]))


def _initial_m() -> dict:
    m = {}
    for comparison in COMPARISONS:
        levels = len(comparison.levels)
        values = np.full(levels, 0.2 / max(levels - 1, 1))
        values[0] = 0.8
        m[comparison.name] = list(values / values.sum())
    return m


def _log_likelihood(patterns: np.ndarray, table: dict, active: tuple[str, ...]) -> np.ndarray:
    total = np.zeros(len(patterns))
    for k, comparison in enumerate(COMPARISONS):
        if comparison.name not in active:
            continue
        column = patterns[:, k]
        logs = np.log(np.asarray(table[comparison.name]))
        total += np.where(column == MISSING, 0.0, logs[np.maximum(column, 0)])
    return total


def _posterior(patterns, m, u, share, active) -> np.ndarray:
    log_match = math.log(share) + _log_likelihood(patterns, m, active)
    log_non = math.log(1 - share) + _log_likelihood(patterns, u, active)
    return 1 / (1 + np.exp(np.clip(log_non - log_match, -60, 60)))


def _patterns(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct comparison vectors and how often each occurs.

    Each vector is packed into one integer first: sorting millions of rows as rows is slow.
    """
    if not len(vectors):
        return vectors, np.zeros(0, dtype=np.int64)
    packed = np.zeros(len(vectors), dtype=np.int64)
    for k in range(vectors.shape[1]):
        packed = packed * 16 + (vectors[:, k].astype(np.int64) + 1)
    order = np.argsort(packed, kind="stable")
    packed = packed[order]
    starts = np.flatnonzero(np.concatenate(([True], packed[1:] != packed[:-1])))
    counts = np.diff(np.append(starts, len(packed)))
    return vectors[order[starts]], counts


def expectation_maximisation(
    vectors: np.ndarray,
    u: dict,
    *,
    active: tuple[str, ...] = tuple(c.name for c in COMPARISONS),
    iterations: int = 40,
    tolerance: float = 1e-5,
) -> tuple[dict, float, int]:
    """m of the ``active`` comparisons and the share of matches among the pairs, u held fixed."""
    patterns, counts = _patterns(vectors)
    m, share, iteration = _initial_m(), 0.1, 0
    while iteration < iterations:
        iteration += 1
        weights = _posterior(patterns, m, u, share, active) * counts
        new_m = _level_frequencies(patterns, weights)
        new_share = float(np.clip(weights.sum() / counts.sum(), 1e-9, 1 - 1e-9))
        change = max(max(abs(a - b) for a, b in zip(new_m[k], m[k], strict=True)) for k in active)
        m, share = new_m, new_share
        if change < tolerance:
            break
    return {name: m[name] for name in active}, share, iteration


def estimate_matches(log2_ratios: np.ndarray, records: int, iterations: int = 200) -> float:
    """How many of all pairs of ``records`` match, from the likelihood ratios of the candidates.

    EM on the prior alone, over every pair: the pairs not among the candidates count as
    non-matches. (Over the candidates only, EM would call most of them matches: blocking chose
    them for agreeing names, which the u of random pairs cannot account for.)
    """
    # Ratios binned to 1/32 bit: millions of pairs become a few thousand values.
    binned, counts = np.unique(np.round(np.clip(log2_ratios, -60, 60) * 32), return_counts=True)
    ratios = np.exp2(binned / 32)
    all_pairs = records * (records - 1) / 2
    prior, matches = 1e-3, 0.0
    for _ in range(iterations):
        odds = prior / (1 - prior)
        matches = float((odds * ratios / (1 + odds * ratios) * counts).sum())
        new_prior = min(max(matches / all_pairs, 1e-12), 0.5)
        if abs(new_prior - prior) <= 1e-6 * prior:
            break
        prior = new_prior
    return matches


# Each session compares the pairs sharing one key and estimates m only for the comparisons that
# the key leaves free (as Splink trains): pairs born the same day show how names, phones and
# addresses behave among matches; pairs with the same full reading show how birth dates do. One
# EM over all comparisons at once instead learns "the same family" as its match class.
TRAINING_SESSIONS = (
    (("birth_date",), ("birth_date",)),
    (("family_reading", "given_reading"), ("family", "given")),
)
TRAINING_PAIRS = 3_000_000
# Records of one person disagree on any field now and then in real life (a move, a new phone, a
# typing slip) even where a data set never shows it, and a name typed with the wrong kanji of the
# same reading is a common slip of Japanese input methods: their m never falls below these.
M_FLOORS = {"disagree": 0.02, "homophone": 0.005}


def _session_pairs(frame, columns, rng) -> tuple[np.ndarray, np.ndarray]:
    from .blocking import rule_pairs

    codes = rule_pairs(frame, columns)
    if len(codes) > TRAINING_PAIRS:
        codes = rng.choice(codes, TRAINING_PAIRS, replace=False)
    return codes // len(frame), codes % len(frame)


def _floored(comparison: Comparison, values) -> list[float]:
    values = np.asarray(values, dtype=float)
    for level, floor in M_FLOORS.items():
        if level in comparison.levels:
            k = comparison.index(level)
            values[k] = max(values[k], floor)
    return [float(x) for x in values / values.sum()]


def fit(
    frame: pd.DataFrame,
    left: np.ndarray,
    right: np.ndarray,
    seed: int = 1,
    vectors: np.ndarray | None = None,
) -> Parameters:
    """Estimate the parameters from one data set (no labels needed).

    ``left``/``right`` are the blocked candidate pairs (``vectors`` their comparison vectors,
    when already computed): the prior is the share of matches among them, with m and u
    already estimated.
    """
    rng = np.random.default_rng(seed)
    u = estimate_u(frame, rng, pairs=min(1_000_000, max(100_000, 20 * len(frame))))
    estimates: dict[str, list[list[float]]] = {c.name: [] for c in COMPARISONS}
    iterations = 0
    for key, fixed in TRAINING_SESSIONS:
        session_left, session_right = _session_pairs(frame, key, rng)
        if not len(session_left):
            continue
        active = tuple(c.name for c in COMPARISONS if c.name not in fixed)
        session_vectors = comparison_vectors(frame, session_left, session_right)
        m, _, used = expectation_maximisation(session_vectors, u, active=active)
        iterations += used
        for name, values in m.items():
            estimates[name].append(values)
    initial = _initial_m()
    m = {
        c.name: _floored(
            c, np.mean(estimates[c.name], axis=0) if estimates[c.name] else initial[c.name]
        )
        for c in COMPARISONS
    }
    if (frame["household_members_code"] >= 0).sum() < 2:
        del m[HOUSEHOLD.name], u[HOUSEHOLD.name]
    # The thresholds were chosen on labelled records (tools/train_default_model.py) and are
    # not re-learned without labels.
    shipped = Parameters.default()
    parameters = Parameters(
        m=m,
        u=u,
        trained_on=len(frame),
        iterations=iterations,
        same_probability=shipped.same_probability,
        review_probability=shipped.review_probability,
    )
    # The prior, judged with the name frequencies the scorer uses (a common name agreeing says
    # little).
    frequencies = TermFrequencies.of_frame(frame)
    weights = score(parameters, frame, left, right, frequencies, len(frame), vectors).weights
    matches = estimate_matches(weights.sum(axis=1), len(frame))
    parameters.duplicates_per_record = 2 * matches / len(frame)
    return parameters


class TermFrequencies:
    """How common each name value is, as a share of records (for the u of agreeing names)."""

    def __init__(self, shares: dict[str, dict[str, float]], floor: float):
        self.shares = shares
        self.floor = floor

    @classmethod
    def of_frame(cls, frame: pd.DataFrame) -> "TermFrequencies":
        shares = {}
        for part in ("family", "given"):
            for suffix in set(TF_COLUMNS.values()):
                column = f"{part}_{suffix}"
                counts = frame[column][frame[column] != ""].value_counts(normalize=True)
                shares[column] = counts.to_dict()
        return cls(shares, floor=1 / max(len(frame), 1))

    def lookup(self, column: str, values: np.ndarray) -> np.ndarray:
        shares = pd.Series(values, dtype=object).map(self.shares.get(column, {}))
        return np.maximum(shares.fillna(0.0).to_numpy(dtype=float), self.floor)


@dataclass
class Scores:
    weights: np.ndarray  # (pairs, comparisons) in bits
    total: np.ndarray  # match weight including the prior
    probability: np.ndarray
    vectors: np.ndarray


def score(
    parameters: Parameters,
    frame: pd.DataFrame,
    left: np.ndarray,
    right: np.ndarray,
    frequencies: TermFrequencies,
    population: int,
    vectors: np.ndarray | None = None,
) -> Scores:
    if vectors is None:
        vectors = comparison_vectors(frame, left, right)
    weights = np.zeros(vectors.shape, dtype=float)
    for k, comparison in enumerate(COMPARISONS):
        m, u = parameters.levels(comparison)
        column = vectors[:, k]
        level = np.maximum(column, 0)
        weights[:, k] = np.where(column == MISSING, 0.0, np.log2(m[level] / u[level]))
        _adjust_for_frequency(weights[:, k], comparison, column, m, frame, left, frequencies)
    prior = parameters.prior(population)
    total = weights.sum(axis=1) + math.log2(prior / (1 - prior))
    probability = 1 / (1 + np.exp2(-np.clip(total, -200, 200)))
    return Scores(weights, total, probability, vectors)


# Both names written in kanji, agreeing less than a variant does.
BELOW_VARIANT = ("confused", "homophone", "reading_inferred")


def _adjust_for_frequency(weights, comparison: Comparison, column, m, frame, left, frequencies):
    """Name levels weighed by how common the name is (佐藤 agreeing says less than 鳥越).

    An old or variant form is the same name (髙橋 is 高橋): it weighs what the exact name
    weighs. Weaker levels (a confusable kanji, a reading only) never weigh more than the
    exact name would: 斉藤 typed for 斎藤 never outscores 齋藤."""
    if comparison not in (FAMILY, GIVEN):
        return
    same_name = max(m[comparison.index("exact")], m[comparison.index("variant")])
    values = frame[f"{comparison.name}_kanji"].to_numpy()[left]
    as_exact = np.log2(same_name / frequencies.lookup(f"{comparison.name}_kanji", values))
    as_exact = np.maximum(as_exact, 0.0)
    for level_name in comparison.term_frequency:
        level = comparison.index(level_name)
        rows = np.flatnonzero(column == level)
        if len(rows):
            values_column = f"{comparison.name}_{TF_COLUMNS[level_name]}"
            values = frame[values_column].to_numpy()[left[rows]]
            # A name everyone has says nothing, but agreeing is never evidence against.
            weights[rows] = np.maximum(
                np.log2(m[level] / frequencies.lookup(values_column, values)), 0.0
            )
    variant = np.flatnonzero(column == comparison.index("variant"))
    weights[variant] = as_exact[variant]
    weaker = np.flatnonzero(np.isin(column, [comparison.index(x) for x in BELOW_VARIANT]))
    weights[weaker] = np.minimum(weights[weaker], as_exact[weaker] - 1)
