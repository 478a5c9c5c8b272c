"""Scores of a matcher's output against the truth, in numpy so that 1,000,000 records are quick.

A pair is unordered: it is coded over row positions as ``low * n + high``. The truth is every
pair of records sharing ``true_person``, whether or not any tool's blocking brought it up.
"""

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


def evaluate(
    ids: np.ndarray,
    persons: np.ndarray,
    pairs: pd.DataFrame,
    candidates: np.ndarray | None = None,
    clusters: pd.DataFrame | None = None,
    truth: np.ndarray | None = None,
) -> dict:
    """All the scores of one run. ``pairs`` has id_l, id_r; ``clusters`` id, cluster_id (else
    the connected components of ``pairs``); ``candidates`` pair codes over row positions."""
    n = len(ids)
    truth = true_pair_codes(persons) if truth is None else truth
    position = pd.Index(ids)
    left = position.get_indexer(pairs["id_l"])
    right = position.get_indexer(pairs["id_r"])
    if (left < 0).any() or (right < 0).any():
        raise ValueError("predicted pairs name ids that are not in the data")
    if clusters is not None:
        labels = pd.Series(clusters["cluster_id"].to_numpy(), index=clusters["id"].to_numpy())
        labels = labels.reindex(ids)
        # A record the tool left out of its clusters stands alone.
        missing = labels.isna().to_numpy()
        labels = labels.astype(object).to_numpy()
        labels[missing] = [f"\0alone{i}" for i in np.flatnonzero(missing)]
        labels = pd.factorize(labels.astype(str))[0]
    else:
        labels = clusters_from_pairs(n, left, right)
    return {
        **pairwise(pair_codes(left, right, n), truth),
        "pair_completeness": pair_completeness(candidates, truth),
        "candidate_pairs": None if candidates is None else len(candidates),
        **cluster_scores(labels, persons),
        "true_pairs": len(truth),
    }
