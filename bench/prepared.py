"""The normalised columns every tool compares, from our own ``prepare``.

The real one is ``tsunagu.people.matching.batch.prepare``. Should it not import (the module
moved, or is being rewritten), a stand-in built from ``normalise`` keeps the peers runnable;
the run records which one was used, since the stand-in is not what ships.
"""

from collections.abc import Callable

import pandas as pd

REAL = "tsunagu.people.matching.batch.prepare"
STAND_IN = "bench.prepared.stand_in"


def load() -> tuple[str, Callable[[pd.DataFrame], pd.DataFrame]]:
    """(name, function) of the prepare the tools should share."""
    try:
        from tsunagu.people.matching.batch import prepare
    except ImportError:
        return STAND_IN, stand_in
    return REAL, prepare


def _by_value(series: pd.Series, function) -> pd.Series:
    # Names repeat a lot: normalising each distinct value once is many times faster.
    values = series.fillna("").astype(str)
    return values.map({value: function(value) for value in values.unique()})


def _birth_date(value: str) -> str:
    from tsunagu.people.matching import normalise

    text = normalise.nfkc(value).strip().replace("/", "-")
    parts = text.split("-")
    if len(parts) not in (2, 3) or not all(part.isdigit() for part in parts):
        return ""
    return "-".join([parts[0].zfill(4), *(part.zfill(2) for part in parts[1:])])


def stand_in(frame: pd.DataFrame) -> pd.DataFrame:
    """The shared columns from ``normalise`` alone; a reading is inferred from the kanji
    when no kana was written."""
    from tsunagu.people.matching import normalise

    out = pd.DataFrame({"id": frame["id"].astype(str).to_numpy()})
    for part in ("family", "given"):
        written = frame[f"{part}_name"]
        out[f"{part}_kanji"] = _by_value(written, normalise.kanji_key).to_numpy()
        reading = _by_value(frame[f"{part}_kana"], normalise.reading_key)
        inferred = _by_value(written, normalise.inferred_reading)
        out[f"{part}_reading"] = reading.where(reading != "", inferred).to_numpy()
    out["birth_date"] = _by_value(frame["birth_date"], _birth_date).to_numpy()
    out["sex"] = _by_value(frame["sex"], str.strip).to_numpy()
    out["postal_code"] = _by_value(frame["postal_code"], normalise.digits).to_numpy()
    out["address"] = _by_value(frame["address"], normalise.exact_key).to_numpy()
    out["phone"] = _by_value(frame["phone"], normalise.digits).to_numpy()
    return out
