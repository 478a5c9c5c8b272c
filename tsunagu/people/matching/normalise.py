"""Comparison keys for Japanese names (名寄せ).

Keys are for comparing only; a displayed name is never altered. Every fold here is table-driven:
the tables below for kana, the MJ縮退マップ for variant kanji (data/mj_fold.tsv, CC BY-SA; see
data/MJ_FOLD_NOTICE.md), and a short hand-kept list of kanji that are often confused but are not
variants, which the scorer treats as weaker evidence than a fold.
"""

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from tsunagu.core import sudachi

DATA = Path(__file__).resolve().parent / "data"

_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}
_IGNORED = re.compile(r"[\s・･·\u200b＝=\-‐－_]+")
_SMALL_KANA = str.maketrans(
    "ァィゥェォッャュョヮヵヶヲヰヱヂヅ",
    "アイウエオツヤユヨワカケオイエジズ",
)
_VU = {"ヴァ": "バ", "ヴィ": "ビ", "ヴェ": "ベ", "ヴォ": "ボ", "ヴ": "ブ"}
_VU_PATTERN = re.compile("|".join(sorted(_VU, key=len, reverse=True)))
_VOWEL_ROWS = {
    "a": "アカガサザタダナハバパマヤラワャァ",
    "i": "イキギシジチヂニヒビピミリィ",
    "u": "ウクグスズツヅヌフブプムユルュゥ",
    "e": "エケゲセゼテデネヘベペメレェ",
    "o": "オコゴソゾトドノホボポモヨロヲョォ",
}
_VOWEL_OF = {kana: vowel for vowel, row in _VOWEL_ROWS.items() for kana in row}
# The one spelling a lengthened vowel folds to: サトー/サトオ → サトウ, オーノ/オオノ → オウノ.
_LENGTHENER = {"a": "ア", "i": "イ", "u": "ウ", "e": "イ", "o": "ウ"}
_ALSO_LENGTHENS = {("o", "オ"), ("e", "エ")}

KANA = re.compile(r"^[\u3041-\u309f\u30a0-\u30ff\uff66-\uff9f\s・･ー゛゜]+$")

# Kanji that workers and volunteers confuse although they are distinct characters. Not a fold:
# a match through this table is its own, weaker comparison level.
CONFUSED_KANJI = [
    "斉斎",
    "桧檜",
    "萩荻",
    "菅管",
    "未末",
    "己巳已",
    "土士",
    "崇祟",
    "祐佑侑",
    "淳惇",
]


def nfkc(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "")


def is_kana(text: str | None) -> bool:
    return bool(text) and bool(KANA.match(nfkc(text)))


def katakana(text: str | None) -> str:
    return nfkc(text).translate(_HIRAGANA_TO_KATAKANA)


def _fold_long_vowels(text: str) -> str:
    folded: list[str] = []
    for char in text:
        vowel = _VOWEL_OF.get(folded[-1]) if folded else None
        if vowel and (char == "ー" or (vowel, char) in _ALSO_LENGTHENS):
            char = _LENGTHENER[vowel]
        folded.append(char)
    return "".join(folded)


def reading_key(text: str | None) -> str:
    """A reading in kana → its comparison key (katakana, small kana and long vowels folded)."""
    key = _IGNORED.sub("", katakana(text))
    key = _VU_PATTERN.sub(lambda match: _VU[match.group()], key)
    return _fold_long_vowels(key.translate(_SMALL_KANA))


@cache
def _mj_fold() -> dict[int, str]:
    table = {}
    with (DATA / "mj_fold.tsv").open(encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("#"):
                variant, folded = line.rstrip("\n").split("\t")
                table[ord(variant)] = folded
    table[ord("ヶ")] = table[ord("ヵ")] = "ケ"
    return table


@cache
def _confused_fold() -> dict[int, str]:
    return {ord(char): group[0] for group in CONFUSED_KANJI for char in group}


def _repeat_marks(text: str) -> str:
    # 佐々木 and 佐佐木 are the same name: 々 stands for the character before it.
    out: list[str] = []
    for char in text:
        out.append(out[-1] if char == "々" and out else char)
    return "".join(out)


def exact_key(text: str | None) -> str:
    """The name as written, without width, space or dot differences."""
    return _IGNORED.sub("", nfkc(text))


def kanji_key(text: str | None) -> str:
    """Old and variant kanji folded (髙→高, 齋→斎, 邊/邉→辺); the name otherwise as written."""
    key = _repeat_marks(exact_key(text)).translate(_mj_fold())
    if is_kana(key):
        return reading_key(key)
    return key


def confused_key(text: str | None) -> str:
    """The variant-folded key with commonly confused kanji also joined (斉/斎, 桧/檜)."""
    return kanji_key(text).translate(_confused_fold())


def digits(text: str | None) -> str:
    return re.sub(r"\D", "", nfkc(text))


@lru_cache(maxsize=200_000)
def inferred_reading(kanji: str) -> str:
    """A reading for a name given only in kanji: SudachiPy on the folded kanji, weak evidence.

    Empty when the dictionary does not know every part of the name.
    """
    folded = kanji_key(kanji)
    if not folded:
        return ""
    if is_kana(folded):
        return folded
    tokens = sudachi.tokenizer().tokenize(folded)
    if any(token.is_oov() for token in tokens):
        return ""
    return reading_key("".join(token.reading_form() for token in tokens))


@lru_cache(maxsize=100_000)
def name_keys(family: str, given: str, family_kana: str, given_kana: str) -> dict:
    """The stored keys of one name (see people.models.NameKeys). Callers must not mutate it."""
    family_reading = reading_key(family_kana) or reading_if_kana(family)
    given_reading = reading_key(given_kana) or reading_if_kana(given)
    inferred = False
    if not family_reading and family:
        family_reading, inferred = inferred_reading(family), True
    if not given_reading and given:
        given_reading, inferred = inferred_reading(given), True
    return {
        "key_family": kanji_key(family)[:50],
        "key_given": kanji_key(given)[:50],
        "key_family_reading": family_reading[:100],
        "key_given_reading": given_reading[:100],
        "reading_inferred": inferred,
    }


def reading_if_kana(text: str) -> str:
    """The reading key of a name written in kana; empty for kanji."""
    return reading_key(text) if is_kana(text) else ""
