"""The matching benchmark's two data profiles and its measures: tune still gives the rows it
always gave, report gives the kinds of record it claims, and the measures count right on data
small enough to check by hand. Plain functions: no database."""

import datetime as dt
import hashlib
import re
import unicodedata

import numpy as np
import pandas as pd
import pytest

from bench import generate as gen
from bench import metrics, worker
from tsunagu.people.matching.prepare import INPUT_COLUMNS

# sha256 of generate(500, seed 1) written as CSV, taken from the generator before profiles
# existed (its columns: INPUT_COLUMNS and true_person).
TUNE_500_SHA256 = "bbbabfbdc9b981b855479e3be0aa6f3bc42cac1a91cb3180ff3216b5d20fdd92"


@pytest.fixture(scope="module")
def report() -> pd.DataFrame:
    return gen.generate(2000, 1 + gen.SEED_OFFSETS["report"], "report")


@pytest.fixture(scope="module")
def tune() -> pd.DataFrame:
    return gen.generate(2000, 1, "tune")


def test_tune_gives_the_rows_of_the_generator_before_profiles(tmp_path):
    path = tmp_path / "people.csv"
    gen.write_csv(gen.generate(500, 1)[gen.FIRST_COLUMNS], path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == TUNE_500_SHA256


@pytest.mark.parametrize("profile", ["tune", "report"])
def test_a_profile_and_a_seed_always_give_the_same_rows(profile):
    first = gen.generate(600, 7, profile)
    assert first.equals(gen.generate(600, 7, profile))
    assert list(first.columns) == gen.COLUMNS
    assert not first.equals(gen.generate(600, 8, profile))


def test_the_profiles_differ_at_the_same_seed():
    tune, report = gen.generate(600, 7, "tune"), gen.generate(600, 7, "report")
    assert not tune[INPUT_COLUMNS[1:]].equals(report[INPUT_COLUMNS[1:]])


def test_every_record_keeps_its_truth(report):
    assert set(report["true_role"]) == {"child", "mother", "father", "other"}
    persons = report.groupby("true_person")
    for column in ("true_role", "true_family_id", "true_given_reading", "true_birth"):
        assert (persons[column].nunique() == 1).all(), column
    assert report["true_birth"].str.fullmatch(r"\d{4}-\d\d-\d\d").all()


def test_tune_has_one_turn_at_most(tune):
    assert set(tune["true_period"]) <= {"0", "1"}
    assert set(tune["true_surname_index"]) <= {"0", "1"}
    assert "other" not in set(tune["true_role"])


def test_report_has_divorces_back_to_an_earlier_surname_and_third_surnames(report):
    def back(surnames: list[int]) -> bool:
        # A later record shows a surname the person had used before another one.
        return any(a > b for i, a in enumerate(surnames) for b in surnames[i + 1 :])

    frame = report.assign(
        period=report["true_period"].astype(int), surname=report["true_surname_index"].astype(int)
    )
    in_order = frame.sort_values(["true_person", "period"]).groupby("true_person")["surname"]
    assert in_order.agg(list).map(back).sum() > 0
    assert (report["true_surname_index"] == "2").any()


def test_report_has_moves_and_second_moves(report, tune):
    homes = report.groupby("true_person")["true_home_id"].nunique()
    assert (homes > 2).any()
    assert (homes > 1).mean() > (tune.groupby("true_person")["true_home_id"].nunique() > 1).mean()


def _kana_only(frame: pd.DataFrame) -> pd.Series:
    return (frame["family_name"] == "") & (frame["given_name"] == "") & (frame["given_kana"] != "")


def test_report_has_more_kana_only_records_and_missing_phones(report, tune):
    assert _kana_only(report).mean() > _kana_only(tune).mean() + 0.03
    assert (report["phone"] == "").mean() > (tune["phone"] == "").mean() + 0.05


def _phone_digits(phone: str) -> str:
    text = unicodedata.normalize("NFKC", phone)
    if not re.fullmatch(r"[\d\-()+ ]+", text):
        return ""  # empty, or an OCR slip in it
    digits = re.sub(r"\D", "", text)
    return "0" + digits[2:] if text.startswith("+81") else digits


def test_report_has_changed_phones_and_tune_none(report, tune):
    def changed(frame: pd.DataFrame) -> int:
        digits = frame.assign(digits=frame["phone"].map(_phone_digits))
        digits = digits[digits["digits"] != ""]
        return int((digits.groupby("true_person")["digits"].nunique() > 1).sum())

    assert changed(tune) == 0
    assert changed(report) > 0


def test_report_writes_what_it_claims(report):
    kana = report["family_kana"] + report["given_kana"]
    assert kana.str.contains("[゛゜]").any()  # カ゛: a voicing mark read apart
    assert report["birth_date"].str.match(r"(平成|令和|昭和)(\d+|元)年").any()
    assert report["birth_date"].str.match(r"[HRS]\d+\.\d+").any()
    assert report["birth_date"].str.contains("[OlI]").any()  # OCR: 0 → O, 1 → l or I
    assert report["phone"].str.startswith("+81 ").any()
    assert report["phone"].str.contains(r"^\(0\d\d\)", regex=True).any()
    assert report["address"].str.contains("[一二三四五六]丁目").any()
    assert report["address"].str.contains("番地の").any()
    assert report["address"].str.contains("[‐−ー―]").any()


def test_wareki_and_kanji_numerals():
    assert gen.wareki(dt.date(2019, 5, 1)) == "令和元年5月1日"
    assert gen.wareki(dt.date(2019, 4, 30)) == "平成31年4月30日"
    assert gen.wareki(dt.date(2015, 4, 1), short=True) == "H27.4.1"
    assert gen.wareki(dt.date(1985, 6, 3), month_only=True) == "昭和60年6月"
    assert [gen._kanji_number(n) for n in (3, 10, 12, 20, 25)] == [
        "三",
        "十",
        "十二",
        "二十",
        "二十五",
    ]


def test_worker_gives_a_tool_the_input_columns_only(tmp_path, monkeypatch):
    path = tmp_path / "people.csv"
    gen.write_csv(gen.generate(50, 3, "report"), path)
    seen = {}

    def tool(raw: pd.DataFrame):
        seen["columns"] = list(raw.columns)
        return {"wall_s": 0.0, "peak_mb": 0.0}, {}

    monkeypatch.setattr(worker, "run_ours", tool)
    monkeypatch.setattr(worker, "_write", lambda out, stats, outputs: None)
    assert worker.main(["ours", str(path), str(tmp_path / "out")]) == 0
    assert seen["columns"] == INPUT_COLUMNS


# --- the measures on records small enough to check by hand ---------------------------------

# Person 1 (a child) moved and changed surname; person 2 is person 1's twin; person 3 is their
# mother; person 4, of another family, has person 1's first full name (a namesake).
RECORDS = [
    # id, person, role, family, birth, family reading, given reading, home, surname index
    ("r1", "P1", "child", "F1", "2015-01-01", "サトウ", "ユイ", "H1", "0"),
    ("r2", "P1", "child", "F1", "2015-01-01", "スズキ", "ユイ", "H2", "1"),
    ("r3", "P2", "child", "F1", "2015-01-01", "サトウ", "ユナ", "H1", "0"),
    ("r4", "P2", "child", "F1", "2015-01-01", "サトウ", "ユナ", "H1", "0"),
    ("r5", "P3", "mother", "F1", "1985-05-05", "サトウ", "ハナコ", "H1", "0"),
    ("r6", "P3", "mother", "F1", "1985-05-05", "サトウ", "ハナコ", "H1", "0"),
    ("r7", "P4", "child", "F2", "2015-03-03", "サトウ", "ユイ", "H9", "0"),
    ("r8", "P4", "child", "F2", "2015-03-03", "サトウ", "ユイ", "H9", "0"),
]
TRUTH_FRAME = pd.DataFrame(
    RECORDS,
    columns=[
        "id",
        "true_person",
        "true_role",
        "true_family_id",
        "true_birth",
        "true_family_reading",
        "true_given_reading",
        "true_home_id",
        "true_surname_index",
    ],
)


def _pairs(*pairs: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(pairs, columns=["id_l", "id_r"])


def test_what_the_small_data_holds():
    counts = metrics.data_counts(metrics.truth_of(TRUTH_FRAME))
    assert counts == {
        "true_pairs": 4,
        "pairs_children": 3,
        "pairs_adults": 1,
        "pairs_moved": 1,
        "pairs_surname": 1,
        "twin_pairs": 1,
        "namesake_pairs": 1,
    }


def test_twins_namesakes_and_recall_by_kind():
    truth = metrics.truth_of(TRUTH_FRAME)
    # Right: r1–r2 (moved, new surname), r3–r4. Wrong: r2–r3 joins the twins, r1–r7 the
    # namesakes. Missed: r5–r6 (the mother), r7–r8.
    scores = metrics.evaluate(truth, _pairs(("r1", "r2"), ("r3", "r4"), ("r2", "r3"), ("r1", "r7")))
    assert scores["precision"] == 0.5
    assert scores["recall"] == 0.5
    assert scores["recall_children"] == pytest.approx(2 / 3)
    assert scores["recall_adults"] == 0.0
    assert scores["recall_moved"] == 1.0
    assert scores["recall_surname"] == 1.0
    assert scores["twins_merged"] == 1
    assert scores["twins_merged_clusters"] == 1
    assert scores["namesakes_merged"] == 1
    assert scores["namesakes_merged_clusters"] == 1


def test_merges_through_clusters_only():
    truth = metrics.truth_of(TRUTH_FRAME)
    # r4–r7 links records of different readings (サトウ ユナ, サトウ ユイ): no pair joins the
    # namesakes' records directly, but the cluster {r1, r2, r3, r4, r7} holds both サトウ ユイ.
    pairs = _pairs(("r1", "r2"), ("r2", "r3"), ("r3", "r4"), ("r4", "r7"))
    scores = metrics.evaluate(truth, pairs)
    assert scores["twins_merged"] == 1  # r2–r3: same family and birth date
    assert scores["namesakes_merged"] == 0
    assert scores["namesakes_merged_clusters"] == 1
    # A tool's own clusters count instead of the pairs' components when it gives them.
    own = pd.DataFrame({"id": TRUTH_FRAME["id"], "cluster_id": list("aabbcdef")})
    scores = metrics.evaluate(truth, _pairs(("r2", "r3")), clusters=own)
    assert scores["twins_merged"] == 1
    assert scores["twins_merged_clusters"] == 0


def test_namesakes_leave_twins_out():
    # Two twins (same group) who happen to share a reading are twins, not namesakes.
    person = np.array([0, 1, 2])
    twins = np.array([5, 5, 6])
    reading = np.array([9, 9, 9])
    left, right = np.array([0, 0]), np.array([1, 2])
    assert metrics.merged_directly(left, right, person, twins) == 1
    assert metrics.merged_directly(left, right, person, reading, twins) == 1
    labels = np.zeros(3, dtype=np.int64)
    assert metrics.merged_in_clusters(labels, person, reading, twins) == 2
    assert metrics.merged_in_clusters(labels, person, reading) == 3
