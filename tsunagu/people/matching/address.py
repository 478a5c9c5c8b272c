"""Comparison keys for Japanese addresses: parsed into parts, not compared as raw text.

    parse("三重県若葉市本町一丁目5番地2 コーポさくら201号室")
    → Address(prefecture="三重県", city="若葉市", ward="", town="本町", numbers=(1, 5, 2),
              rest="コーポさくら201")
    address_key(...) → "若葉市|本町|1-5-2"      town_key(...) → "本町|1-5-2"

Sources write one home in many ways (1丁目5番2号, 1-5-2, 一丁目五番二号, １－５－２, 1丁目5-2) and
leave out different parts: the prefecture, the district (郡), the designated city before its
ward (港北区 for 横浜市港北区), the whole city (a volunteer's list writes the town only), the
building and the room. So a key keeps only what identifies the home and what sources agree on:

- address_key: city + town + block numbers. The prefecture and the district are dropped, and
  the city is the ward of a designated city when one is written. It needs the city and the
  block numbers; without either it is '' (the address cannot be compared at this level, which
  is not a disagreement).
- town_key: town + block numbers, the level for a source that writes no city; '' without a
  town or without block numbers.
- Text with neither a city nor block numbers (住所不定, an unknown notation) is not parsed: both
  keys are that text, NFKC without spaces (variant kanji folded as in the town), so it still
  equals the same text written again.

The block numbers are a tuple (本町1-52 ≠ 本町15-2); only the first three (丁目, 番, 号) are
compared, later ones (1-2-3-201) are taken for a room and go to ``rest``, as building and room
do: sources drop them too often for a household key. The town is folded like a name: variant
kanji through the MJ table, 々, ヶ/ケ/が, の/ノ/之, 大字 and 字, kanji numerals before 条/線/番町.

Cities are recognised from data/municipalities.tsv (the 総務省 list, longest name first, so
四日市市, 十日町市, 大和郡山市 and 市川市 stay whole; a ward after its designated city). A city
not in the list is read by its ending: after a prefecture or a district, the shortest name ending
in 市区町村 (三重県若葉市); without one, 2 to 5 characters and 市 (テスト市). A known 町 or 村
written alone before the block numbers is taken for a town (栄町1-2-3): towns share such names
far more often than a source writes a town-municipality with no town in it. A town-only source
reads a town that begins with a municipality's name (大江町毛原) as that municipality and a town,
so town_key cuts the full address's town the same way.
"""

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from kanjize import kanji2number

from . import normalise

_PREFECTURE_NAMES = (
    "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 "
    "神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 "
    "大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 "
    "福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県"
)
PREFECTURES = frozenset(_PREFECTURE_NAMES.split())
_KANJI_DIGITS = "〇一二三四五六七八九十百千"
_POSITIONAL = str.maketrans("〇一二三四五六七八九", "0123456789")
# After NFKC: ‑ is ‐, －﹣ are -, ｰ is ー.
_DASHES = "\\-‐–—―−ー⁃"
_IDEOGRAPH = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_SPACES = re.compile(r"\s+")
_POSTAL = re.compile(r"^\s*〒?\s*\d{3}\s*-?\s*\d{4}(?!\d)\s*")
# Where the block numbers begin: digits, or kanji numerals written as a block (三丁目, 五番地);
# not the numerals of a town's name (一番町, 二十人町, 北1条西, 第1地割).
_BLOCK_START = re.compile(
    rf"(?<!\d)\d+(?![\d条線]|地割|番町)"
    rf"|(?<![{_KANJI_DIGITS}])[{_KANJI_DIGITS}]+"
    rf"(?=\s*(?:丁目|番地|番(?!町)|号|[{_DASHES}]\s*[\d{_KANJI_DIGITS}]))"
)
_NUMBER = rf"(?:\d+|[{_KANJI_DIGITS}]+(?!(?!丁目|番|号)[{_IDEOGRAPH}]))"  # 三井ビル is not 3
_SEPARATOR = rf"\s*(?:(?:丁目|番地|番|号(?!室)|の|ノ|[{_DASHES}])\s*)+"
_BLOCK = re.compile(rf"{_NUMBER}(?:{_SEPARATOR}{_NUMBER})*(?:{_SEPARATOR})?")
_NUMERAL = re.compile(rf"\d+|[{_KANJI_DIGITS}]+")
_KE = re.compile(rf"(?<=[{_IDEOGRAPH}])[がガヶケヵ](?=[{_IDEOGRAPH}])")
_NO = re.compile(rf"(?<=[{_IDEOGRAPH}])[のノ之](?=[{_IDEOGRAPH}])")
_AZA = re.compile("大字|字")
_NAMED_NUMERAL = re.compile(rf"[{_KANJI_DIGITS}]+(?=条|線|地割|番町)")
_CITY_AFTER_PREFECTURE = re.compile(r"(?:.{1,6}?郡)?(?P<city>.{1,6}?[市区町村])")
_CITY_ALONE = re.compile(r"(?P<city>[^市区町村郡]{2,5}市)")
_ROOM = re.compile(r"\s+|号室|号$")
# OCR reads 0 as O and 1 as l or I: next to a digit or a block mark they are digits (2O号, l3).
_OCR_DIGITS = str.maketrans("OolI|", "00111")
_OCR_DIGIT = re.compile(
    rf"(?<=[\d目番号地の{_DASHES}])[OolI|]+(?=[\d番号{_DASHES}\s]|$)"
    rf"|[OolI|]+(?=\d|丁目|番|号)"
)
# …and a katakana as the kanji it looks like, between two katakana (ダイ八ツ町).
_OCR_KANA = re.compile(f"(?<=[ァ-ヺー])[{normalise.OCR_KANJI}](?=[ァ-ヺー])")
_NUMBERS_KEPT = 3
_LONGEST_NAME = 8


@dataclass(frozen=True)
class Address:
    """One address in parts; every part folded for comparing ('' or () when absent)."""

    prefecture: str = ""
    city: str = ""  # the municipality; a designated city (横浜市) when a ward follows
    ward: str = ""  # the ward of a designated city (港北区)
    town: str = ""  # 町字 (綱島東, 菰野)
    numbers: tuple[int, ...] = ()  # 丁目, 番(地), 号: (1, 2, 3)
    rest: str = ""  # building and room, or the whole text when nothing was recognised


def address_key(text: str | None) -> str:
    """City (or ward) + town + block numbers: '若葉市|本町|1-5-2' (see the module docstring)."""
    address = parse(text)
    if not address.city and not address.ward and not address.numbers:
        return address.rest
    if not (address.city or address.ward) or not address.numbers:
        return ""
    return f"{address.ward or address.city}|{address.town}|{_numbers(address)}"


def town_key(text: str | None) -> str:
    """Town + block numbers, for sources without the city: '本町|1-5-2'."""
    address = parse(text)
    if not address.city and not address.ward and not address.numbers:
        return address.rest
    town = _town_core(address.town)
    if not town or not address.numbers:
        return ""
    return f"{town}|{_numbers(address)}"


def _numbers(address: Address) -> str:
    return "-".join(map(str, address.numbers))


@lru_cache(maxsize=200_000)
def parse(text: str | None) -> Address:
    """The parts of an address; never raises (unrecognised text ends in ``rest``)."""
    spaced = _POSTAL.sub("", _SPACES.sub(" ", normalise.clean(text))).strip()
    spaced = _OCR_DIGIT.sub(lambda match: match.group().translate(_OCR_DIGITS), spaced)
    start = _BLOCK_START.search(spaced)
    prefecture, city, ward, town = _head(spaced[: start.start()] if start else spaced)
    numbers, rest = _block(spaced[start.start() :]) if start else ((), "")
    if not (city or ward or numbers):
        return Address(rest=_fold(spaced))
    return Address(prefecture, city, ward, town, numbers, rest)


@lru_cache(maxsize=100_000)
def _head(text: str) -> tuple[str, str, str, str]:
    """Prefecture, city, ward and town of the text before the block numbers."""
    head = _fold(text)
    prefecture = _prefecture(head)
    city, ward, town = _municipality(head[len(prefecture) :], after_prefecture=bool(prefecture))
    return prefecture, city, ward, _town(town)


@lru_cache(maxsize=100_000)
def _town_core(town: str) -> str:
    # What a source writing the town alone would have parsed: 大江町毛原 alone reads as the
    # municipality 大江町 and the town 毛原, so the full address's town is cut the same way.
    city, ward, core = _municipality(town, after_prefecture=False)
    return core if (city or ward) and core else town


@lru_cache(maxsize=100_000)
def _fold(text: str) -> str:
    text = normalise.fold_variants(_SPACES.sub("", text))
    text = _OCR_KANA.sub(lambda match: match.group().translate(normalise.OCR_KANA), text)
    return _NO.sub("ノ", _KE.sub("ケ", text))


def _town(text: str) -> str:
    return _NAMED_NUMERAL.sub(_arabic, _AZA.sub("", text))


def _arabic(match: re.Match) -> str:
    number = _integer(match.group())
    return match.group() if number is None else str(number)


def _prefecture(head: str) -> str:
    for length in (3, 4):
        if head[:length] in PREFECTURES:
            return head[:length]
    return ""


@dataclass(frozen=True)
class _Names:
    municipalities: frozenset[str]
    districts: frozenset[str]  # 郡
    wards: dict[str, frozenset[str]]  # of each designated city
    designated: frozenset[str]


@cache
def _names() -> _Names:
    municipalities, districts, wards = set(), set(), {}
    with (normalise.DATA / "municipalities.tsv").open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            name, part_of = (_fold(part) for part in line.rstrip("\n").split("\t"))
            municipalities.add(name)
            if part_of.endswith("郡"):
                districts.add(part_of)
            elif part_of:
                wards.setdefault(part_of, set()).add(name)
    return _Names(
        frozenset(municipalities),
        frozenset(districts),
        {city: frozenset(names) for city, names in wards.items()},
        frozenset(wards),
    )


def _longest(text: str, names: frozenset[str]) -> str:
    for length in range(min(len(text), _LONGEST_NAME), 1, -1):
        if text[:length] in names:
            return text[:length]
    return ""


def _municipality(head: str, *, after_prefecture: bool) -> tuple[str, str, str]:
    """(city, ward, town) from the text after the prefecture."""
    names = _names()
    designated = _longest(head, names.designated)
    if designated:
        ward = _longest(head[len(designated) :], names.wards[designated])
        return designated, ward, head[len(designated) + len(ward) :]
    district = _longest(head, names.districts)
    name = _longest(head[len(district) :], names.municipalities)
    sure = after_prefecture or bool(district)
    if name and (sure or name[-1] not in "町村" or len(name) < len(head)):
        return name, "", head[len(district) + len(name) :]
    found = (_CITY_AFTER_PREFECTURE if sure else _CITY_ALONE).match(head)
    if found:
        return found.group("city"), "", head[found.end() :]
    return "", "", head


@lru_cache(maxsize=100_000)
def _block(text: str) -> tuple[tuple[int, ...], str]:
    """The block numbers at the start of the text, and what follows them (building, room)."""
    block = _BLOCK.match(text)
    end = block.end() if block else 0
    numbers: list[int] = []
    for numeral in _NUMERAL.finditer(text, 0, end):
        number = _integer(numeral.group())
        if number is None:
            end = numeral.start()
            break
        numbers.append(number)
    rest = "-".join(str(number) for number in numbers[_NUMBERS_KEPT:]) + text[end:]
    return tuple(numbers[:_NUMBERS_KEPT]), _fold(_ROOM.sub("", rest)) if rest else ""


def _integer(numeral: str) -> int | None:
    if len(numeral) > 12:  # a phone number or a typo, not a block; int() has a digit limit
        return None
    if numeral.isdigit():
        return int(numeral)
    positional = numeral.translate(_POSITIONAL)
    if positional.isdigit():
        return int(positional)
    try:
        return kanji2number(numeral)
    except ValueError:
        return None
