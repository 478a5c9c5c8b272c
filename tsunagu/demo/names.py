"""Japanese names and town names with their readings, from the gimei package's data (MIT).

The lists hold real kanji–kana pairs; we only choose among them with our own seeded random.
"""

import re
from functools import cache
from pathlib import Path
from random import Random

import gimei
import yaml

_DATA = Path(gimei.__file__).parent / "data"
# libyaml's loader: the pure-Python one takes seconds on these lists.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TOWN = re.compile(r"^[^\s町]{1,3}町$")


def _load(filename: str) -> dict:
    # CSafeLoader is the safe loader, in C; ruff cannot tell it from an unsafe one.
    return yaml.load((_DATA / filename).read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506


@cache
def _names() -> dict:
    return _load("names.yml")


@cache
def _family_weights() -> list[float]:
    # Surnames are far from uniform in Japan: a Zipf-like weight keeps a few very common.
    return [1 / (rank + 8) for rank in range(len(_names()["last_name"]))]


def family_name(rng: Random) -> tuple[str, str]:
    """(kanji, katakana)"""
    kanji, _, kana = rng.choices(_names()["last_name"], weights=_family_weights())[0]
    return kanji, kana


def given_name(rng: Random, sex: str) -> tuple[str, str]:
    kanji, _, kana = rng.choice(_names()["first_name"]["male" if sex == "male" else "female"])
    return kanji, kana


def town_names(rng: Random, count: int) -> list[tuple[str, str]]:
    """Distinct town names (…町) with their readings, in a seeded order."""
    towns = _load("addresses.yml")["addresses"]
    candidates = sorted({(k, kana) for k, _, kana in towns["town"] if _TOWN.match(k)})
    rng.shuffle(candidates)
    if len(candidates) < count:
        raise ValueError(f"only {len(candidates)} town names available, {count} asked")
    return candidates[:count]
