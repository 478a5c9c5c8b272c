"""Comparison keys for Japanese names (名寄せ).

Keys are for comparing only; a displayed name is never altered. Every fold here is table-driven:
the tables below for kana (small kana, long vowels, iteration marks ゝゞヽヾ, detached voicing
marks ゛゜, dashes written for ー, invisible marks and variation selectors), the MJ縮退マップ
for variant kanji (data/mj_fold.tsv, CC BY-SA; see data/MJ_FOLD_NOTICE.md), and a short
hand-kept list of kanji that are often confused but are not variants, which the scorer treats as
weaker evidence than a fold.
"""

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from tsunagu.core import sudachi

DATA = Path(__file__).resolve().parent / "data"

_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}
# Invisible in print, so a copy-paste or an IME carries them in unseen: format characters (zero
# width space/joiners, word joiner, BOM, soft hyphen, bidi marks, tags), the combining grapheme
# joiner and the variation selectors of IVS kanji (葛 + U+E0100).
_INVISIBLE = [
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xE0001, 0xE007F),
    (0xE0100, 0xE01EF),
]
# Detached voicing marks (OCR, old systems) become the combining ones, which NFKC composes with
# the kana before them (カ゛ → ガ); the half-width ﾞﾟ NFKC maps itself.
_CLEAN = {code: None for first, last in _INVISIBLE for code in range(first, last + 1)}
_CLEAN |= {0x309B: "\u3099", 0x309C: "\u309a"}
_TO_CLEAN = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _INVISIBLE) + "゛゜]")
_LEFTOVER_MARKS = re.compile("[\u3099\u309a]")
# Dash look-alikes (after NFKC: ‑→‐, －/﹣→-, ～→~). After a kana they are the long-vowel mark.
_DASHES = "\\-‐–—―−⁃~〜"
_DASH_AFTER_KANA = re.compile(f"(?<=[ぁ-ゖゝゞァ-ヺーヽヾ])ー*[{_DASHES}][{_DASHES}ー]*")
_IGNORED = re.compile(f"[\\s・･·＝=_{_DASHES}]+")
_REPEATS = {"々": False, "ゝ": False, "ヽ": False, "ゞ": True, "ヾ": True}
_ANY_REPEAT = re.compile("[々ゝヽゞヾ]")
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

# Kana once _key_text has composed voicing marks and made dashes ー, and _IGNORED has gone.
KANA = re.compile(r"^[ぁ-ゖゝゞァ-ヺーヽヾ]+$")

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


def clean(text: str | None) -> str:
    """NFKC for comparing: invisible marks dropped, detached voicing marks composed (カ゛ → ガ)
    and those left over dropped. Never for a displayed value."""
    text = text or ""
    if _TO_CLEAN.search(text):  # translate() with a dict is slow; most text needs none
        text = text.translate(_CLEAN)
    text = unicodedata.normalize("NFKC", text)
    return _LEFTOVER_MARKS.sub("", text) if "\u3099" in text or "\u309a" in text else text


# Kanji that OCR and hurried hands put for the katakana they look like (ヤマ口 for ヤマロ).
OCR_KANJI = "口力二八工夕一卜才"
OCR_KANA = str.maketrans(OCR_KANJI, "ロカニハエタートオ")


def _key_text(text: str | None) -> str:
    return unkanji_kana(_DASH_AFTER_KANA.sub("ー", clean(text)))


def unkanji_kana(text: str) -> str:
    """A kana name in which OCR read a kana as the kanji it looks like (ヤマ口 ユ力) → the kana;
    any other text as it is (山口, 一ノ瀬, a one-kanji name 一)."""
    if not _OCR_KANA_CHARS.search(text) or not _ANY_KANA.search(text):
        return text
    folded = text.translate(OCR_KANA)
    return folded if KANA.match(_IGNORED.sub("", folded)) else text


_OCR_KANA_CHARS = re.compile(f"[{OCR_KANJI}]")
_ANY_KANA = re.compile("[\u3041-\u3096\u30a1-\u30fa]")


def _without_ignored(text: str) -> str:
    # Dropping a space can join a letter to the combining mark NFKC left after it (R¸ → R ̧):
    # composed again, so that a key of a key is the key.
    return unicodedata.normalize("NFC", _IGNORED.sub("", text))


def is_kana(text: str | None) -> bool:
    return bool(KANA.match(_without_ignored(_key_text(text))))


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
    """A reading in kana → its comparison key (katakana; iteration marks, small kana and long
    vowels folded)."""
    key = _repeat_marks(_without_ignored(_key_text(text).translate(_HIRAGANA_TO_KATAKANA)))
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
    # A few folds lead to a character that folds again (懚 → 穩 → 穏): followed to the end, so
    # that folding twice is folding once.
    for code, folded in table.items():
        seen = {code}
        while len(folded) == 1 and ord(folded) in table and ord(folded) not in seen:
            seen.add(ord(folded))
            folded = table[ord(folded)]
        table[code] = folded
    return table


@cache
def _confused_fold() -> dict[int, str]:
    return {ord(char): group[0] for group in CONFUSED_KANJI for char in group}


def _voiced(char: str) -> str:
    composed = unicodedata.normalize("NFC", char + "\u3099")
    return composed if len(composed) == 1 else char


def _repeat_marks(text: str) -> str:
    # 佐々木 = 佐佐木, さゝき = ささき: 々 ゝ ヽ stand for the character before them; ゞ ヾ for it
    # voiced (みすゞ = みすず).
    if not _ANY_REPEAT.search(text):
        return text
    out: list[str] = []
    for char in text:
        if char in _REPEATS and out:
            char = _voiced(out[-1]) if _REPEATS[char] else out[-1]
        out.append(char)
    return "".join(out)


def fold_variants(text: str) -> str:
    """Repeat marks written out (佐々木 → 佐佐木) and variant kanji folded (髙 → 高, ヶ → ケ)."""
    return _repeat_marks(text).translate(_mj_fold())


def exact_key(text: str | None) -> str:
    """The name as written, without width, space, dot or invisible-mark differences."""
    return _without_ignored(_key_text(text))


def kanji_key(text: str | None) -> str:
    """Old and variant kanji folded (髙→高, 齋→斎, 邊/邉→辺); the name otherwise as written."""
    key = fold_variants(exact_key(text))
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
