"""Furigana for the public finder: generated with SudachiPy, kept in 青空文庫 notation
(｜漢字《かんじ》) so that an editor can correct a reading as plain text, and rendered as
<ruby>."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tsunagu.core import sudachi

_KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々〆ヶ]")
_MARKUP = re.compile(r"｜([^｜《》]+)《([^《》]+)》")
_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def hiragana(text: str) -> str:
    return text.translate(_KATAKANA_TO_HIRAGANA)


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


def generate(text: str) -> str:
    """``text`` with a reading after every word that has kanji; '' when it has none."""
    if not text or not _KANJI.search(text):
        return ""
    parts = []
    for token in sudachi.tokenizer().tokenize(text):
        surface = token.surface()
        reading = hiragana(token.reading_form())
        if not _KANJI.search(surface) or token.is_oov() or not reading:
            parts.append(surface)
            continue
        before, kanji, kanji_reading, after = _split_kana_ends(hiragana(surface), reading)
        # Positions are the same in the surface and its hiragana form.
        kanji = surface[len(before) : len(before) + len(kanji)]
        parts.append(f"{surface[: len(before)]}｜{kanji}《{kanji_reading}》{after}")
    return "".join(parts)


def problem(text: str, markup: str) -> str:
    """Why ``markup`` does not fit ``text`` (an editor's correction), '' when it does."""
    if markup and plain(markup) != text:
        return (
            "ふりがなを除いた文字が元の文と一致しません。「｜漢字《よみ》」の形で書いてください。"
        )
    return ""


def plain(markup: str) -> str:
    return _MARKUP.sub(r"\1", markup)


def as_html(text: str, markup: str, with_ruby: bool) -> SafeString:
    """``text`` (escaped) or, with ruby on, its markup as <ruby> elements."""
    if not with_ruby or not markup or plain(markup) != text:
        return escape(text)
    html, last = [], 0
    for match in _MARKUP.finditer(markup):
        html.append(escape(markup[last : match.start()]))
        html.append(f"<ruby>{escape(match[1])}<rt>{escape(match[2])}</rt></ruby>")
        last = match.end()
    html.append(escape(markup[last:]))
    return mark_safe("".join(html))  # noqa: S308 - every piece above is escaped
