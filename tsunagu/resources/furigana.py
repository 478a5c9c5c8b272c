"""Furigana for the public finder: generated with SudachiPy, kept in 青空文庫 notation
(｜漢字《かんじ》) so that an editor can correct a reading as plain text, and rendered as
<ruby>.

The city's own place names are read first: SudachiPy's dictionary knows common words, not that
若葉市's 下一光町 is しもいかりちょう (it read 若葉市下一光町 as …いちした…). The readings are the
municipality's own (Municipality.name_kana) and its areas' (Area.name_kana: the towns 町丁目, the
planning areas), with each name's stem (下一光 of 下一光町, 若葉 of 若葉市) so that 下一光こども食堂
reads right too; ``generate(text, municipality)`` applies them, longest name first.

A word is one <ruby> with the reading of the whole word, and a kanji standing alone beside
another word joins it (｜宅《たく》｜食《しょく》 is shown as 宅食 under たくしょく): a reading
wider than its base must never spread the base's characters apart.
"""

import re
from dataclasses import dataclass

from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tsunagu.core import sudachi
from tsunagu.core.models import Area, Municipality

_KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々〆ヶ]")
_HIRAGANA = re.compile(r"[\u3041-\u3096ー]+")
_MARKUP = re.compile(r"｜([^｜《》]+)《([^《》]+)》")
_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
# The endings of place names and their readings: a name's stem is read without them.
_ENDINGS = [
    ("小学校区", ("しょうがっこうく",)),
    ("中学校区", ("ちゅうがっこうく",)),
    ("地域", ("ちいき",)),
    ("地区", ("ちく",)),
    ("町", ("ちょう", "まち")),
    ("市", ("し",)),
    ("村", ("むら", "そん")),
    ("区", ("く",)),
]

# A piece of text: plain, or a base with its reading.
Piece = str | tuple[str, str]


def hiragana(text: str) -> str:
    return text.translate(_KATAKANA_TO_HIRAGANA)


# The city's place names ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceNames:
    """Place names and their readings (hiragana), found longest first."""

    readings: dict[str, str]

    def __post_init__(self):
        names = sorted(self.readings, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, names))) if names else None
        object.__setattr__(self, "_pattern", pattern)

    def finditer(self, text: str):
        return self._pattern.finditer(text) if self._pattern else iter(())


def _stem(name: str, kana: str) -> tuple[str, str] | None:
    """下一光町/しもいかりちょう → 下一光/しもいかり; None when the ending's reading is not there or
    the stem is too short to be a name of its own (桜 of 桜町)."""
    for ending, readings in _ENDINGS:
        if not name.endswith(ending):
            continue
        stem = name.removesuffix(ending)
        for reading in readings:
            if kana.endswith(reading) and len(stem) >= 2 and _KANJI.search(stem):
                return stem, kana.removesuffix(reading)
    return None


def names_of(rows) -> PlaceNames:
    """The readings of ``rows`` (name, kana) and of their stems. A name read two ways (two
    towns of one spelling in two municipalities) is left to the dictionary."""
    found: dict[str, set[str]] = {}
    stems: dict[str, set[str]] = {}
    for name, kana in rows:
        name, kana = name.strip(), hiragana(re.sub(r"[\s・]", "", kana))
        if not _KANJI.search(name) or not _HIRAGANA.fullmatch(kana):
            continue
        found.setdefault(name, set()).add(kana)
        stem = _stem(name, kana)
        if stem:
            stems.setdefault(stem[0], set()).add(stem[1])
    readings = {name: kana.pop() for name, kana in stems.items() if len(kana) == 1}
    # A full name wins over another name's stem of the same spelling.
    readings.update({name: kana.pop() for name, kana in found.items() if len(kana) == 1})
    return PlaceNames(readings)


_cache: dict = {}


def _sources(municipality_id: int):
    return (
        Municipality.objects.filter(pk=municipality_id).exclude(name_kana=""),
        Area.objects.filter(municipality=municipality_id).exclude(name_kana=""),
    )


def place_names(municipality) -> PlaceNames:
    """The readings of the place names of ``municipality`` (a Municipality or its id): its own
    name and its areas'. Read again when its areas were added or removed (their count and last
    id: two small queries each time) or an area or municipality was saved in this process."""
    municipality_id = getattr(municipality, "pk", municipality)
    counted = {"n": Count("pk"), "last": Max("pk")}
    key = tuple(tuple(q.aggregate(**counted).values()) for q in _sources(municipality_id))
    cached = _cache.get(municipality_id)
    if cached is None or cached[0] != key:
        rows = [
            row for q in _sources(municipality_id) for row in q.values_list("name", "name_kana")
        ]
        cached = _cache[municipality_id] = (key, names_of(rows))
    return cached[1]


def forget_place_names(**_) -> None:
    _cache.clear()


for _model in (Area, Municipality):
    post_save.connect(forget_place_names, sender=_model, dispatch_uid=f"furigana-{_model.__name__}")
    post_delete.connect(
        forget_place_names, sender=_model, dispatch_uid=f"furigana-{_model.__name__}-deleted"
    )


# Generating ---------------------------------------------------------------------------------


def _split_kana_ends(surface: str, reading: str) -> tuple[str, str, str, str]:
    """Kana before and after the kanji of a word are not given a reading: 子ども → 子(こ)ども."""
    head = 0
    while head < len(surface) - 1 and head < len(reading) and surface[head] == reading[head]:
        head += 1
    tail = 0
    while (
        tail < len(surface) - head - 1
        and tail < len(reading) - head
        and surface[-1 - tail] == reading[-1 - tail]
    ):
        tail += 1
    end = len(surface) - tail
    return surface[:head], surface[head:end], reading[head : len(reading) - tail], surface[end:]


def _sudachi(text: str) -> list[Piece]:
    pieces: list[Piece] = []
    for token in sudachi.tokenizer().tokenize(text) if text else ():
        surface = token.surface()
        reading = hiragana(token.reading_form())
        if not _KANJI.search(surface) or token.is_oov() or not reading:
            pieces.append(surface)
            continue
        before, kanji, kanji_reading, after = _split_kana_ends(hiragana(surface), reading)
        # Positions are the same in the surface and its hiragana form.
        kanji = surface[len(before) : len(before) + len(kanji)]
        pieces += [surface[: len(before)], (kanji, kanji_reading), after]
    return pieces


def _joined(pieces: list[Piece]) -> list[Piece]:
    """Adjacent readings joined where one of them is a single kanji (宅|食 → 宅食, 若葉|市 →
    若葉市): its reading would stretch the base apart on its own."""
    joined: list[Piece] = []
    for piece in pieces:
        if piece == "":
            continue
        last = joined[-1] if joined else None
        if (
            isinstance(piece, tuple)
            and isinstance(last, tuple)
            and (len(piece[0]) == 1 or len(last[0]) == 1)
        ):
            joined[-1] = (last[0] + piece[0], last[1] + piece[1])
        else:
            joined.append(piece)
    return joined


def _markup(pieces: list[Piece]) -> str:
    return "".join(p if isinstance(p, str) else f"｜{p[0]}《{p[1]}》" for p in pieces)


def generate(text: str, municipality=None, names: PlaceNames | None = None) -> str:
    """``text`` with a reading after every word that has kanji; '' when it has none.

    The place names of ``municipality`` (a Municipality or its id; or ``names``) are read
    first, SudachiPy reads the rest. Without either, SudachiPy reads it all, and nothing is
    read from the database."""
    if not text or not _KANJI.search(text):
        return ""
    if names is None:
        names = place_names(municipality) if municipality is not None else PlaceNames({})
    pieces: list[Piece] = []
    last = 0
    for match in names.finditer(text):
        pieces += _sudachi(text[last : match.start()])
        pieces.append((match[0], names.readings[match[0]]))
        last = match.end()
    pieces += _sudachi(text[last:])
    return _markup(_joined(pieces))


# Checking and showing -----------------------------------------------------------------------


def problem(text: str, markup: str) -> str:
    """Why ``markup`` does not fit ``text`` (an editor's correction), '' when it does."""
    if markup and plain(markup) != text:
        return (
            "ふりがなを除いた文字が元の文と一致しません。「｜漢字《よみ》」の形で書いてください。"
        )
    return ""


def plain(markup: str) -> str:
    return _MARKUP.sub(r"\1", markup)


def _pieces(markup: str) -> list[Piece]:
    pieces: list[Piece] = []
    last = 0
    for match in _MARKUP.finditer(markup):
        pieces += [markup[last : match.start()], (match[1], match[2])]
        last = match.end()
    pieces.append(markup[last:])
    return pieces


def as_html(text: str, markup: str, with_ruby: bool) -> SafeString:
    """``text`` (escaped) or, with ruby on, its markup as <ruby> elements: one per word, single
    kanji joined to their neighbours as when generated (markup stored before that reads the
    same)."""
    if not with_ruby or not markup or plain(markup) != text:
        return escape(text)
    html = [
        escape(p) if isinstance(p, str) else f"<ruby>{escape(p[0])}<rt>{escape(p[1])}</rt></ruby>"
        for p in _joined(_pieces(markup))
    ]
    return mark_safe("".join(html))  # noqa: S308 - every piece above is escaped
