"""Records → the columns the matcher compares, computed once per distinct value."""

from collections.abc import Iterable

import numpy as np
import pandas as pd

from tsunagu.core.wareki import read_date

from . import address, normalise, phone

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
SEXES = {
    "female": "female",
    "f": "female",
    "女": "female",
    "男": "male",
    "male": "male",
    "m": "male",
    "女性": "female",
    "男性": "male",
}


def _texts(values) -> np.ndarray:
    """Text of each value, '' for a missing one (None or NaN)."""
    series = pd.Series(values, dtype=object)
    return series.where(series.notna(), "").astype(str).to_numpy(dtype=object)


def _by_value(values: np.ndarray, *functions):
    """Each function of each value, computed once per distinct value (names repeat a lot);
    one array per function."""
    codes, uniques = pd.factorize(values)
    found = []
    for function in functions:
        results = np.empty(len(uniques) + 1, dtype=object)
        results[:-1] = [function(value) for value in uniques]
        results[-1] = function("")  # code -1 (missing) cannot follow _texts; kept for safety
        found.append(results[codes])
    return found[0] if len(functions) == 1 else found


def birth_date_text(value) -> str:
    """'YYYY-MM-DD' or 'YYYY-MM' (a month only), '' when unknown or unreadable; every form
    that core.wareki.read_date reads (2015/4/1, 平成27年4月1日, H27.4.1 …)."""
    read = read_date(str(value or ""))
    if read is None:
        return ""
    year, month, day = read
    return f"{year:04d}-{month:02d}" + ("" if day is None else f"-{day:02d}")


def _reading(kana: list[str], written: list[str]) -> tuple[np.ndarray, np.ndarray]:
    given = _by_value(kana, normalise.reading_key)
    written_kana, inferred_values = _by_value(
        written, normalise.reading_if_kana, normalise.inferred_reading
    )
    given = np.where(given != "", given, written_kana)
    inferred = (given == "") & (inferred_values != "")
    return np.where(inferred, inferred_values, given), inferred.astype(bool)


def _has_kanji(value: str) -> bool:
    return bool(value) and not normalise.is_kana(value)


def _sex(value: str) -> str:
    return SEXES.get(value.strip().lower(), "")


def prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the normalised comparison columns to a frame of the CSV columns."""
    out = {"id": _texts(frame["id"])}
    for part in ("family", "given"):
        written = _texts(frame[f"{part}_name"])
        exact, kanji, confused, has_kanji = _by_value(
            written, normalise.exact_key, normalise.kanji_key, normalise.confused_key, _has_kanji
        )
        out[f"{part}_exact"], out[f"{part}_kanji"], out[f"{part}_confused"] = exact, kanji, confused
        reading, inferred = _reading(_texts(frame[f"{part}_kana"]), written)
        out[f"{part}_reading"], out[f"{part}_inferred"] = reading, inferred
        out[f"{part}_has_kanji"] = has_kanji.astype(bool)
    out["birth_date"] = _by_value(_texts(frame["birth_date"]), birth_date_text)
    out["birth_year"], out["birth_month"], out["birth_day"] = birth_parts(out["birth_date"])
    out["sex"] = _by_value(_texts(frame["sex"]), _sex)
    out["postal_code"] = _by_value(_texts(frame["postal_code"]), normalise.digits)
    # A source that writes no city can still be compared on town and block (see address.py).
    out["address"], out["address_town"] = _by_value(
        _texts(frame["address"]), address.address_key, address.town_key
    )
    out["phone"] = _by_value(_texts(frame["phone"]), phone.phone_key)
    # Optional columns of the database scan: former surnames' readings and household members,
    # each "|"-joined.
    for column in ("other_family_readings", "household_members"):
        given = frame.get(column)
        out[column] = _texts(given) if given is not None else np.full(len(frame), "", object)
    for column in CODED_COLUMNS:
        out[f"{column}_code"] = codes(out[column])
    return pd.DataFrame(out)


# Text columns the scorer compares for equality; each also gets an integer code column, so that
# millions of pairs are compared as integers (-1: empty).
CODED_COLUMNS = [
    *(
        f"{part}_{key}"
        for part in ("family", "given")
        for key in ("exact", "kanji", "confused", "reading")
    ),
    "sex",
    "postal_code",
    "address",
    "address_town",
    "phone",
    "other_family_readings",
    "household_members",
]


def codes(values: np.ndarray) -> np.ndarray:
    found, _ = pd.factorize(values)
    found = found.astype(np.int32)
    found[values == ""] = -1
    return found


def records_frame(records: Iterable[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(list(records))
    for column in INPUT_COLUMNS:
        if column not in frame:
            frame[column] = ""
    return frame.fillna("")


def birth_parts(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day as integers (0 when unknown; day 0 for a month-only date)."""
    table = {}
    for text in set(dates):
        parts = [int(p) for p in text.split("-")] if text else []
        table[text] = [*parts, 0, 0, 0][:3]
    parsed = np.array([table[text] for text in dates], dtype=np.int64).reshape(-1, 3)
    return parsed[:, 0], parsed[:, 1], parsed[:, 2]
