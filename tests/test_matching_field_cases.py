"""The field cases of ../shared/cases/matching (copied to tests/data/matching): each file is a
kind of fault met on real data; rows x1/x2 with the same letter are one person written two ways
and must be decided `same`, and twins are never `same`, in pairs or in clusters."""

import csv
from pathlib import Path

import pandas as pd
import pytest

from tsunagu.people.matching import batch, model
from tsunagu.people.matching.prepare import records_frame

CASES = Path(__file__).resolve().parent / "data" / "matching"


def _rows(name: str) -> list[dict]:
    with (CASES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _match(name: str) -> tuple[pd.DataFrame, dict[str, str]]:
    case = _rows(name)
    frame = records_frame([*_rows("00-filler-people.csv"), *case])
    pairs, clusters, _, _ = batch.match_frame(frame, model.Parameters.default())
    cluster_of = clusters.set_index("id")["cluster_id"].to_dict()
    return pairs, {row["id"]: cluster_of[row["id"]] for row in case}


def _decision(pairs: pd.DataFrame, a: str, b: str) -> str:
    found = pairs[
        ((pairs["id_l"] == a) & (pairs["id_r"] == b))
        | ((pairs["id_l"] == b) & (pairs["id_r"] == a))
    ]
    return found["decision"].iloc[0] if len(found) else ""


# Each file, and the reason every pair of it must give: the written forms agree once folded.
AGREEING = {
    "01-iteration-mark-kana.csv": {"a": "名の読みが一致"},
    "03-address-chome-notation.csv": dict.fromkeys("abd", "住所が一致"),
    "05-phone-plus81.csv": dict.fromkeys("abd", "電話番号が一致"),
}


def _reasons(pairs: pd.DataFrame, a: str, b: str) -> str:
    found = pairs[(pairs["id_l"] == min(a, b)) & (pairs["id_r"] == max(a, b))]
    return found["reasons"].iloc[0]


@pytest.mark.parametrize("name", AGREEING)
def test_one_person_written_two_ways_is_the_same_person(name):
    pairs, clusters = _match(name)
    letters = sorted({row["id"][0] for row in _rows(name)})
    decided = {letter: _decision(pairs, f"{letter}1", f"{letter}2") for letter in letters}
    assert decided == dict.fromkeys(letters, "same")
    assert all(clusters[f"{letter}1"] == clusters[f"{letter}2"] for letter in letters)
    for letter, reason in AGREEING[name].items():
        assert reason in _reasons(pairs, f"{letter}1", f"{letter}2"), letter


def test_twins_are_never_the_same_in_pairs_or_clusters():
    pairs, clusters = _match("06-twins.csv")
    twins = [("t1", "t2"), ("u1", "u2"), ("w1", "w2"), ("t1", "w2"), ("t2", "w1")]
    assert {
        pair: _decision(pairs, *pair) for pair in twins if _decision(pairs, *pair) == "same"
    } == {}
    assert clusters["t1"] != clusters["t2"] and clusters["u1"] != clusters["u2"]
    assert clusters["w1"] != clusters["w2"]
