"""Scores of a matcher's output against the truth, in numpy so that 1,000,000 records are quick.

A pair is unordered: it is coded over row positions as ``low * n + high``. The truth is every
pair of records sharing ``true_person``, whether or not any tool's blocking brought it up.

Beyond precision and recall: the recall over the true pairs of each kind (both records of a
child, of an adult, showing two homes, showing two surnames), and how many pairs of distinct
persons that are twins (same family and birth date) or namesakes (the same true full reading,
not twins) a tool joins, directly by a pair it predicts or through its clusters.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def pair_codes(left: np.ndarray, right: np.ndarray, n: int) -> np.ndarray:
    """Distinct unordered pairs of row positions, as sorted int64 codes."""
    left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    keep = left != right
    low, high = np.minimum(left, right)[keep], np.maximum(left, right)[keep]
    return np.unique(low * n + high)


def true_pair_codes(persons: np.ndarray) -> np.ndarray:
    """Every pair of rows with the same person: rows of one person sit together once sorted,
    so the pairs are those ``step`` apart in the sorted order for each step up to the largest
    group."""
    n = len(persons)
    order = np.argsort(persons, kind="stable")
    ordered = np.asarray(persons)[order]
    found = []
    step = 1
    while step < n:
        same = ordered[step:] == ordered[:-step]
        if not same.any():
            break
        found.append(pair_codes(order[:-step][same], order[step:][same], n))
        step += 1
    return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def pairwise(predicted: np.ndarray, truth: np.ndarray) -> dict:
    """Precision, recall (over all true pairs) and F1 of predicted pair codes."""
    hits = int(np.isin(predicted, truth, assume_unique=True).sum())
    precision, recall = _ratio(hits, len(predicted)), _ratio(hits, len(truth))
    return {
        "precision": precision,
        "recall": recall,
        "f1": _f1(precision or 0.0, recall),
        "predicted_pairs": len(predicted),
        "true_positives": hits,
    }


def pair_completeness(candidates: np.ndarray | None, truth: np.ndarray) -> float | None:
    """The share of true pairs that blocking let through to be compared at all."""
    if candidates is None:
        return None
    return _ratio(int(np.isin(truth, candidates).sum()), len(truth))


def clusters_from_pairs(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Connected components of the predicted pairs: a label per row."""
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _pairs_within(labels: np.ndarray) -> int:
    sizes = np.unique(labels, return_counts=True)[1].astype(np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def cluster_scores(labels: np.ndarray, persons: np.ndarray) -> dict:
    """Pairwise scores of the pairs a clustering implies, counted without listing them: a giant
    cluster of k records implies k(k-1)/2 pairs, far too many to enumerate."""
    cluster = pd.factorize(labels)[0].astype(np.int64)
    person = pd.factorize(persons)[0].astype(np.int64)
    implied = _pairs_within(cluster)
    true = _pairs_within(person)
    hits = _pairs_within(cluster * (person.max() + 1) + person)
    precision, recall = _ratio(hits, implied), _ratio(hits, true)
    largest = int(np.unique(cluster, return_counts=True)[1].max()) if len(cluster) else 0
    return {
        "cluster_precision": precision,
        "cluster_recall": recall,
        "cluster_f1": _f1(precision or 0.0, recall),
        "implied_pairs": implied,
        "largest_cluster": largest,
    }


KINDS = ("children", "adults", "moved", "surname")


@dataclass(frozen=True)
class Truth:
    """The truth columns as scoring needs them, over row positions: ``person``, ``twins``
    (one code per family and birth date) and ``reading`` (one code per true full reading) as
    integer codes, the true pair codes, and a mask over them per kind of pair."""

    ids: pd.Index
    person: np.ndarray
    pairs: np.ndarray
    kinds: dict[str, np.ndarray]
    twins: np.ndarray | None = None
    reading: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.ids)


def _codes(*columns: np.ndarray) -> np.ndarray:
    """One integer per distinct combination of the columns' values."""
    if len(columns) == 1:
        return pd.factorize(np.asarray(columns[0]))[0]
    return pd.MultiIndex.from_arrays([np.asarray(column) for column in columns]).factorize()[0]


def kind_masks(pairs: np.ndarray, n: int, frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per kind, which true pairs are of it: both records of a child (``true_role``), of an
    adult, showing two different homes (``true_home_id``), two different surnames
    (``true_surname_index``). A kind whose column is missing is left out."""
    low, high = pairs // n, pairs % n
    kinds = {}
    if "true_role" in frame:
        child = frame["true_role"].to_numpy()[low] == "child"
        kinds["children"], kinds["adults"] = child, ~child
    if "true_home_id" in frame:
        home = frame["true_home_id"].to_numpy()
        kinds["moved"] = home[low] != home[high]
    if "true_surname_index" in frame:
        surname = frame["true_surname_index"].to_numpy()
        kinds["surname"] = surname[low] != surname[high]
    return kinds


def truth_of(frame: pd.DataFrame) -> Truth:
    """The Truth of a generated frame; only ``id`` and ``true_person`` are required."""
    persons = frame["true_person"].to_numpy()
    pairs = true_pair_codes(persons)
    twins = reading = None
    if {"true_family_id", "true_birth"} <= set(frame):
        twins = _codes(frame["true_family_id"], frame["true_birth"])
    if {"true_family_reading", "true_given_reading"} <= set(frame):
        reading = _codes(frame["true_family_reading"], frame["true_given_reading"])
    return Truth(
        ids=pd.Index(frame["id"].to_numpy()),
        person=_codes(persons),
        pairs=pairs,
        kinds=kind_masks(pairs, len(frame), frame),
        twins=twins,
        reading=reading,
    )


def recall_by_kind(predicted: np.ndarray, truth: Truth) -> dict[str, float | None]:
    """Of the true pairs of each kind, the share predicted (None when there are none)."""
    found = np.isin(truth.pairs, predicted)
    return {
        f"recall_{kind}": _ratio(int(found[mask].sum()), int(mask.sum()))
        for kind, mask in truth.kinds.items()
    }


def _distinct_person_pairs(p: np.ndarray, q: np.ndarray) -> int:
    low, high = np.minimum(p, q).astype(np.int64), np.maximum(p, q).astype(np.int64)
    keep = low != high
    return len(np.unique(low[keep] * (int(high.max(initial=0)) + 1) + high[keep]))


def merged_directly(
    left: np.ndarray,
    right: np.ndarray,
    person: np.ndarray,
    group: np.ndarray,
    unless_same: np.ndarray | None = None,
) -> int:
    """Pairs of distinct persons whose records are linked by a predicted pair (row positions
    ``left``, ``right``) showing the same ``group`` (twins: family and birth date; namesakes:
    full reading), leaving out pairs whose records share ``unless_same`` (namesakes: not twins)."""
    left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    keep = (person[left] != person[right]) & (group[left] == group[right])
    if unless_same is not None:
        keep &= unless_same[left] != unless_same[right]
    return _distinct_person_pairs(person[left][keep], person[right][keep])


def merged_in_clusters(
    labels: np.ndarray,
    person: np.ndarray,
    group: np.ndarray,
    unless_same: np.ndarray | None = None,
) -> int:
    """Pairs of distinct persons with records of the same ``group`` in one cluster (``labels``
    per row), leaving out pairs whose records share ``unless_same``."""
    rows = pd.DataFrame({"cluster": labels, "group": group, "person": person})
    rows["unless"] = unless_same if unless_same is not None else 0
    rows = rows.drop_duplicates(["cluster", "group", "person", "unless"])
    shared = rows.groupby(["cluster", "group"])["person"].transform("nunique") > 1
    rows = rows[shared]
    if rows.empty:
        return 0
    both = rows.merge(rows, on=["cluster", "group"])
    both = both[both["person_x"] < both["person_y"]]
    if unless_same is not None:
        both = both[both["unless_x"] != both["unless_y"]]
    return _distinct_person_pairs(both["person_x"].to_numpy(), both["person_y"].to_numpy())


def data_counts(truth: Truth) -> dict:
    """What the data holds: true pairs of each kind, twin and namesake person pairs."""
    counts = {"true_pairs": len(truth.pairs)}
    counts.update({f"pairs_{kind}": int(mask.sum()) for kind, mask in truth.kinds.items()})
    one = np.zeros(truth.n, dtype=np.int64)
    if truth.twins is not None:
        counts["twin_pairs"] = merged_in_clusters(one, truth.person, truth.twins)
    if truth.reading is not None:
        counts["namesake_pairs"] = merged_in_clusters(one, truth.person, truth.reading, truth.twins)
    return counts


def _labels(truth: Truth, clusters: pd.DataFrame | None, left, right) -> np.ndarray:
    if clusters is None:
        return clusters_from_pairs(truth.n, left, right)
    labels = pd.Series(clusters["cluster_id"].to_numpy(), index=clusters["id"].to_numpy())
    labels = labels.reindex(truth.ids)
    # A record the tool left out of its clusters stands alone.
    missing = labels.isna().to_numpy()
    labels = labels.astype(object).to_numpy(copy=True)
    labels[missing] = [f"\0alone{i}" for i in np.flatnonzero(missing)]
    return pd.factorize(labels.astype(str))[0]


def evaluate(
    truth: Truth,
    pairs: pd.DataFrame,
    candidates: np.ndarray | None = None,
    clusters: pd.DataFrame | None = None,
) -> dict:
    """All the scores of one run. ``pairs`` has id_l, id_r; ``clusters`` id, cluster_id (else
    the connected components of ``pairs``); ``candidates`` pair codes over row positions."""
    n = truth.n
    left = truth.ids.get_indexer(pairs["id_l"])
    right = truth.ids.get_indexer(pairs["id_r"])
    if (left < 0).any() or (right < 0).any():
        raise ValueError("predicted pairs name ids that are not in the data")
    predicted = pair_codes(left, right, n)
    labels = _labels(truth, clusters, left, right)
    scores = {
        **pairwise(predicted, truth.pairs),
        **recall_by_kind(predicted, truth),
        "pair_completeness": pair_completeness(candidates, truth.pairs),
        "candidate_pairs": None if candidates is None else len(candidates),
        **cluster_scores(labels, truth.person),
        "true_pairs": len(truth.pairs),
    }
    if truth.twins is not None:
        scores["twins_merged"] = merged_directly(left, right, truth.person, truth.twins)
        scores["twins_merged_clusters"] = merged_in_clusters(labels, truth.person, truth.twins)
    if truth.reading is not None:
        scores["namesakes_merged"] = merged_directly(
            left, right, truth.person, truth.reading, truth.twins
        )
        scores["namesakes_merged_clusters"] = merged_in_clusters(
            labels, truth.person, truth.reading, truth.twins
        )
    return scores
