"""Records → the columns the matcher compares, computed once per distinct value."""

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import normalise

INPUT_COLUMNS = [
    "id",
    "family_name",
    "given_name",
    "family_kana",
    "given_kana",
    "birth_date",
    "sex",
    "postal_code",
    "address",
    "phone",
]
_SEXES = {
    "female": "female",
    "f": "female",
    "女": "female",
    "男": "male",
    "male": "male",
    "m": "male",
    "女性": "female",
    "男性": "male",
}
_DATE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")


def _by_value(series: pd.Series, function) -> pd.Series:
    values = series.fillna("").astype(str)
    table = {value: function(value) for value in values.unique()}
    return values.map(table)


def birth_date_text(value) -> str:
    """'YYYY-MM-DD' or 'YYYY-MM' (a month only), '' when unknown or unreadable."""
    match = _DATE.match(normalise.nfkc(str(value or "")).strip().replace("/", "-"))
    if not match:
        return ""
    year, month, day = match.groups()
    if not 1 <= int(month) <= 12:
        return ""
    if day is None:
        return f"{year}-{int(month):02d}"
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _reading(kana: pd.Series, written: pd.Series) -> tuple[pd.Series, pd.Series]:
    given = _by_value(kana, normalise.reading_key)
    written_kana = _by_value(
        written, lambda v: normalise.reading_key(v) if normalise.is_kana(v) else ""
    )
    given = given.where(given != "", written_kana)
    inferred_values = _by_value(written, normalise.inferred_reading)
    inferred = (given == "") & (inferred_values != "")
    return given.where(~inferred, inferred_values), inferred


def _has_kanji(series: pd.Series) -> pd.Series:
    return _by_value(series, lambda v: bool(v) and not normalise.is_kana(v)).astype(bool)


def prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the normalised comparison columns to a frame of the CSV columns."""
    out = pd.DataFrame({"id": frame["id"].astype(str).to_numpy()})
    for part in ("family", "given"):
        written = frame[f"{part}_name"].fillna("").astype(str)
        out[f"{part}_exact"] = _by_value(written, normalise.exact_key).to_numpy()
        out[f"{part}_kanji"] = _by_value(written, normalise.kanji_key).to_numpy()
        out[f"{part}_confused"] = _by_value(written, normalise.confused_key).to_numpy()
        reading, inferred = _reading(frame[f"{part}_kana"], written)
        out[f"{part}_reading"] = reading.to_numpy()
        out[f"{part}_inferred"] = inferred.to_numpy()
        out[f"{part}_has_kanji"] = _has_kanji(written).to_numpy()
    out["birth_date"] = _by_value(frame["birth_date"], birth_date_text).to_numpy()
    out["birth_year"], out["birth_month"], out["birth_day"] = birth_parts(out["birth_date"])
    out["sex"] = _by_value(frame["sex"], lambda v: _SEXES.get(v.strip().lower(), "")).to_numpy()
    out["postal_code"] = _by_value(frame["postal_code"], normalise.digits).to_numpy()
    out["address"] = _by_value(frame["address"], normalise.exact_key).to_numpy()
    out["phone"] = _by_value(frame["phone"], normalise.digits).to_numpy()
    others = frame.get("other_family_readings")
    out["other_family_readings"] = (
        others.fillna("").astype(str).to_numpy() if others is not None else ""
    )
    return out


def records_frame(records: Iterable[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(list(records))
    for column in INPUT_COLUMNS:
        if column not in frame:
            frame[column] = ""
    return frame.fillna("")


def birth_parts(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day as integers (0 when unknown; day 0 for a month-only date)."""
    text = pd.Series(dates, dtype=str)
    year = pd.to_numeric(text.str.slice(0, 4), errors="coerce").fillna(0).astype(int)
    month = pd.to_numeric(text.str.slice(5, 7), errors="coerce").fillna(0).astype(int)
    day = pd.to_numeric(text.str.slice(8, 10), errors="coerce").fillna(0).astype(int)
    return year.to_numpy(), month.to_numpy(), day.to_numpy()
