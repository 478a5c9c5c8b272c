"""Batch deduplication: every likely pair in a set of records, with reasons, and clusters."""

from collections.abc import Callable

import numpy as np
import pandas as pd

from . import blocking, model, reasons
from .compare import comparison_vectors
from .decisions import judge, named_apart
from .prepare import prepare

# The CSV columns of the pairs; with ``details`` the frame also carries reason_details (a list
# of dicts per pair, for storing proposals).
PAIR_COLUMNS = ["id_l", "id_r", "score", "decision", "reasons"]


def _quiet(message: str) -> None:
    pass


def match_frame(
    frame: pd.DataFrame,
    parameters: model.Parameters | None = None,
    *,
    train: bool = False,
    excluded: set[tuple[str, str]] = frozenset(),
    details: bool = False,
    progress: Callable[[str], None] = _quiet,
) -> tuple[pd.DataFrame, pd.DataFrame, model.Parameters, int]:
    """Proposed pairs and clusters of ``frame`` (the CSV columns).

    Returns (pairs, clusters, the parameters used, how many candidate pairs were compared).
    With ``train`` the parameters are first estimated on these records by EM.
    """
    progress(f"正規化: {len(frame):,} 件")
    prepared = prepare(frame)
    left, right = blocking.candidate_pairs(prepared)
    progress(f"候補の組: {len(left):,}")
    vectors = comparison_vectors(prepared, left, right)
    if train or parameters is None:
        progress("パラメータ推定(EM)")
        parameters = model.fit(prepared, left, right, vectors=vectors)
    progress("スコア計算")
    frequencies = model.TermFrequencies.of_frame(prepared)
    scores = model.score(
        parameters, prepared, left, right, frequencies, len(prepared), vectors=vectors
    )
    decisions, kinds = judge(parameters, scores)
    ids = prepared["id"].to_numpy()
    kept = np.flatnonzero(decisions != "")
    if excluded:
        kept = np.array(
            [i for i in kept if _ordered(ids[left[i]], ids[right[i]]) not in excluded], dtype=int
        )
    same = kept[decisions[kept] == "same"]
    same = same[np.argsort(-scores.probability[same], kind="stable")]
    apart = np.flatnonzero(named_apart(scores))
    clusters, refused = _clusters(ids, (left[same], right[same]), (left[apart], right[apart]))
    # A 'same' pair the clusters cannot honour (it would join records named apart, twins each
    # linked to a record of herself) is left for a person, with that caution.
    decisions[same[refused]], kinds[same[refused]] = "review", "conflict"
    progress(f"提案: {len(kept):,} 組(うち同一 {int((decisions[kept] == 'same').sum()):,})")
    pairs = _pairs_frame(prepared, left, right, scores, (decisions, kinds), kept, details)
    return pairs, clusters, parameters, len(left)


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _pairs_frame(prepared, left, right, scores, decided, kept, details) -> pd.DataFrame:
    ids = prepared["id"].to_numpy()
    decisions, kinds = decided
    left, right = left[kept], right[kept]
    vectors, weights = scores.vectors[kept], scores.weights[kept]
    # A pair left for review says first why it may be two persons (注意: …).
    kinds = np.where(decisions[kept] == "review", kinds[kept], "")
    warnings = [f"注意: {reasons.CAUTIONS[code]}; " if code else "" for code in kinds]
    frame = pd.DataFrame(
        {
            "id_l": ids[left],
            "id_r": ids[right],
            "score": np.round(scores.probability[kept], 4),
            "decision": decisions[kept],
            "reasons": [
                warning + text
                for warning, text in zip(
                    warnings, reasons.texts(prepared, left, right, vectors, weights), strict=True
                )
            ],
        },
    )
    if details:
        frame["reason_details"] = [
            reasons.caution(kinds[i]) + reasons.reasons_for(prepared, a, b, vectors[i], weights[i])
            for i, (a, b) in enumerate(zip(left, right, strict=True))
        ]
    return frame.sort_values("score", ascending=False, kind="stable")


def _clusters(ids: np.ndarray, same: tuple, apart: tuple) -> tuple[pd.DataFrame, np.ndarray]:
    """Records joined by 'same' pairs (strongest first); every record is in a cluster, most
    alone. Two groups are never joined while a pair across them is named apart (twins ユイ
    and ユナ, each linked to a kana-only record of herself, stay two persons).

    Returns the clusters (id, cluster_id) and, for each 'same' pair, whether it was refused."""
    n = len(ids)
    parent = np.arange(n)
    members = {}
    kept_apart: dict[int, set[int]] = {}
    for a, b in zip(*apart, strict=True):
        kept_apart.setdefault(int(a), set()).add(int(b))
        kept_apart.setdefault(int(b), set()).add(int(a))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return int(i)

    refused = np.zeros(len(same[0]), dtype=bool)
    for k, (a, b) in enumerate(zip(*same, strict=True)):
        ra, rb = root(int(a)), root(int(b))
        if ra == rb:
            continue
        group_a, group_b = members.get(ra, [ra]), members.get(rb, [rb])
        if len(group_a) > len(group_b):
            ra, rb, group_a, group_b = rb, ra, group_b, group_a
        if any(kept_apart.get(i, set()).intersection(group_b) for i in group_a):
            refused[k] = True
            continue
        parent[ra] = rb
        members[rb] = group_b + group_a
        members.pop(ra, None)
    while not np.array_equal(parent, parent[parent]):
        parent = parent[parent]
    # Name each cluster after its first record so the naming does not depend on the order of
    # the joins.
    first = pd.Series(np.arange(n)).groupby(parent).transform("min").to_numpy()
    return pd.DataFrame({"id": ids, "cluster_id": ids[first]}), refused
