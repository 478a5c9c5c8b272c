"""An address written in one piece (住所), split into 都道府県 / 市区町村 / 町字 / 番地以下.

    split("三重県四日市市本町9-9")
    → AddressParts(prefecture="三重県", city="四日市市", town="本町", block="9-9",
                   code="242021", uncertain="")
    split("府中市宮西町1-1")
    → AddressParts(prefecture="", city="府中市", town="宮西町", block="1-1", code="",
                   uncertain="同じ名前の市区町村が複数あります: 東京都府中市、広島県府中市")

The municipality is found in data/municipalities.tsv, Japan's municipalities as Japan Post's
KEN_ALL lists them (see data/README.md), not guessed from the characters 市区町村郡: a regular
expression cannot tell 四日市市 / 本町 from 四日市 / 市本町, nor 蒲郡市 / 旭町 from 蒲郡 / 市旭町.

- The text is compared after NFKC, without spaces, with ヶ/ヵ taken for ケ and a few variant
  kanji folded (﨑 崎, 髙 高, 桧 檜, 竜 龍, 鯵 鰺); the parts returned are slices of the text as
  written (㈱, ①, full-width digits and the spaces inside a part are kept).
- The prefecture is one of the 47 names at the start, written in full (三重県), or absent.
- The city is the longest name in the list at that point, within the prefecture when one is
  written: 大和郡山市 over 大和…, 余市郡余市町 over 余市…, 横浜市中区 over 横浜市. A city may
  be written without its 郡 (余市町), without a Tokyo island town's island (三宅村) or a ward
  without its designated city (港北区; 中区 alone is shared and so flagged); the part is then
  the text as written (余市町). A designated city alone (横浜市) is recognised.
- The town (町字) runs up to the block (番地以下), which starts at the first digit (ASCII or
  full-width; not the numbers of 北1条, 3線, 第1地割 or 1番町, which belong to the town) or
  at a kanji numeral followed by 丁目, 番(地), 号 or a dash (一丁目, 五番地; not 一番町 or 四日市).
  That is all: 大字/字 stay in the town, and a building name stays in the block.

``uncertain`` is '' when the split is sure, else a short Japanese reason: the city is not in the
list (a conservative guess by its ending is returned, or no city), the name is shared by
several municipalities and no prefecture decides (府中市, 伊達市; 大阪府北区), the city is not in
the prefecture written, or a designated city is followed by a ward not in the list.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "municipalities.tsv"

NOT_IN_LIST = "市区町村名が全国地方公共団体の一覧にありません"
SHARED_NAME = "同じ名前の市区町村が複数あります: {}"
OTHER_PREFECTURE = "市区町村名が都道府県と合いません: {}"
UNKNOWN_WARD = "区名が{}の区の一覧にありません"

# Compared as the same character (one for one, so positions stay put).
_FOLD = str.maketrans("ヶヵ﨑髙桧竜鯵", "ケケ崎高檜龍鰺")
_KANJI_DIGITS = "〇一二三四五六七八九十百千"
_DASHES = "\\-‐‑–—―−ー"
_BLOCK_START = re.compile(
    rf"(?<![0-9])[0-9]+(?![0-9条線]|地割|番町)"
    rf"|(?<![{_KANJI_DIGITS}])[{_KANJI_DIGITS}]+(?=丁目|番(?!町)|号|[{_DASHES}])"
)
# Guesses for a city not in the list, after a prefecture / without one.
_GUESS_AFTER_PREFECTURE = re.compile(r"(?:[^0-9]{1,6}?郡)?[^0-9]{1,6}?[市区町村]")
_GUESS_ALONE = re.compile(r"[^0-9市区町村郡]{2,5}市")
_WARD_AFTER_CITY = re.compile(r"[^0-9市区町村郡]{1,4}区")


@dataclass(frozen=True)
class AddressParts:
    """The parts of one address, each a slice of the text as written ('' when absent).

    prefecture  都道府県 (三重県)
    city        市区町村 (四日市市, 余市郡余市町, 横浜市中区, 横浜市)
    town        町字 (本町, 大字村田字迫)
    block       番地以下 and whatever follows (9-9, 一丁目5番地2 コーポ201)
    code        全国地方公共団体コード of the city, 6 digits, when one municipality is meant
    uncertain   '' when sure, else why not (a short Japanese sentence for the worker)
    """

    prefecture: str = ""
    city: str = ""
    town: str = ""
    block: str = ""
    code: str = ""
    uncertain: str = ""


@dataclass(frozen=True)
class Municipality:
    """One row of data/municipalities.tsv."""

    code: str  # 6 digits: 242021
    prefecture: str  # 三重県
    city: str  # 四日市市, 余市郡余市町, 横浜市中区, 横浜市
    part_of: str  # 余市郡, 三宅島, 横浜市 (for a ward), or ''

    @property
    def full_name(self) -> str:
        return self.prefecture + self.city


@cache
def municipalities() -> tuple[Municipality, ...]:
    """Every row of data/municipalities.tsv (about 1,900: municipalities, wards, 政令市)."""
    rows = []
    with DATA.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith(("#", "code\t")):
                continue
            rows.append(Municipality(*line.rstrip("\n").split("\t")))
    return tuple(rows)


@dataclass(frozen=True)
class _Index:
    names: dict[str, tuple[Municipality, ...]]  # folded name → municipalities so written
    prefectures: tuple[str, ...]  # folded, as written in the list
    designated: frozenset[str]  # codes of the designated cities
    longest: int


@cache
def _index() -> _Index:
    names: dict[str, list[Municipality]] = {}
    for row in municipalities():
        names.setdefault(_compare(row.city), []).append(row)
        if row.part_of:
            names.setdefault(_compare(row.city[len(row.part_of) :]), []).append(row)
    parents = {(row.prefecture, row.part_of) for row in municipalities() if row.part_of}
    return _Index(
        names={name: tuple(rows) for name, rows in names.items()},
        prefectures=tuple(sorted({_compare(row.prefecture) for row in municipalities()})),
        designated=frozenset(
            row.code for row in municipalities() if (row.prefecture, row.city) in parents
        ),
        longest=max(map(len, names)),
    )


def _compare(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


class _Text:
    """The address as compared (NFKC, no spaces, folded), with the way back to the original.

    Each non-space character of the original becomes a piece (a combining mark joins the
    piece before it: ｶﾞ is ガ); ``compared`` is the pieces joined. A part is cut only where
    pieces meet, and its original text is the original from its first piece to its last.
    """

    def __init__(self, original: str):
        self.original = original
        spans: list[list] = []  # [start, end, NFKC text]
        for at, char in enumerate(original):
            nfkc = "".join(c for c in unicodedata.normalize("NFKC", char) if not c.isspace())
            if not nfkc:
                continue
            if spans and unicodedata.combining(nfkc[0]) and spans[-1][1] == at:
                spans[-1][1:] = [at + 1, unicodedata.normalize("NFKC", spans[-1][2] + nfkc)]
            else:
                spans.append([at, at + 1, nfkc])
        self.compared = "".join(text for _, _, text in spans).translate(_FOLD)
        self.starts: dict[int, int] = {}  # compared offset where a piece starts → original
        self.ends: dict[int, int] = {}  # compared offset where a piece ends → original
        offset = 0
        for start, end, text in spans:
            self.starts[offset] = start
            offset += len(text)
            self.ends[offset] = end

    def cut(self, begin: int, end: int) -> str:
        """The original text of compared[begin:end] (both at piece boundaries)."""
        return self.original[self.starts[begin] : self.ends[end]] if begin < end else ""

    def piece_start(self, offset: int) -> int:
        """The start of the piece that compared[offset] belongs to."""
        while offset not in self.starts:
            offset -= 1
        return offset


def split(address: str, own: str = "") -> AddressParts:
    """Split ``address`` into prefecture, city, town and block (see the module docstring).

    ``own``: the municipality the file says it comes from (its 地方公共団体名). Written where
    the city stands, it is the city, in the national list or not (a town merged since the
    list was made, or a demonstration city)."""
    text = _Text(address or "")
    compared = text.compared
    if not compared:
        return AddressParts()
    index = _index()
    prefecture = next(
        (
            name
            for name in index.prefectures
            if compared.startswith(name) and len(name) in text.ends
        ),
        "",
    )
    at = len(prefecture)
    end, found = _city(text, at, prefecture)
    code, uncertain = "", ""
    own_name = _compare(own)
    if not found and own_name and _names_at(text, at, own_name):
        end = at + len(own_name)  # the file's own municipality, not in the list: sure of it
    elif found:
        names = "、".join(row.full_name for row in found)
        if prefecture and _compare(found[0].prefecture) != prefecture:
            uncertain = OTHER_PREFECTURE.format(names)
        elif len(found) > 1:
            uncertain = SHARED_NAME.format(names)
        else:
            code = found[0].code
            ward = _WARD_AFTER_CITY.match(compared, end)
            if code in index.designated and ward and ward.end() in text.ends:
                uncertain = UNKNOWN_WARD.format(found[0].city)
    else:
        guess = (_GUESS_AFTER_PREFECTURE if prefecture else _GUESS_ALONE).match(compared, at)
        end = guess.end() if guess and guess.end() in text.ends else at
        uncertain = NOT_IN_LIST
    block = _BLOCK_START.search(compared, end)
    town_end = text.piece_start(block.start()) if block else len(compared)
    return AddressParts(
        prefecture=text.cut(0, at),
        city=text.cut(at, end),
        town=text.cut(end, town_end),
        block=text.cut(town_end, len(compared)),
        code=code,
        uncertain=uncertain,
    )


def _names_at(text: "_Text", at: int, name: str) -> bool:
    return text.compared.startswith(name, at) and at + len(name) in text.ends


def _city(text: _Text, at: int, prefecture: str) -> tuple[int, tuple[Municipality, ...]]:
    """Where the longest municipality name at ``at`` ends, and the municipalities so named.

    Names of the prefecture written win; a name only found elsewhere is returned when none is.
    """
    index = _index()
    elsewhere: tuple[int, tuple[Municipality, ...]] = (at, ())
    for end in range(min(at + index.longest, len(text.compared)), at + 1, -1):
        found = index.names.get(text.compared[at:end]) if end in text.ends else None
        if not found:
            continue
        if not prefecture:
            return end, found
        here = tuple(row for row in found if _compare(row.prefecture) == prefecture)
        if here:
            return end, here
        if not elsewhere[1]:
            elsewhere = (end, found)
    return elsewhere
