"""Checks of typed text that every app shares: characters that hide or reorder what a reader
sees have no place in a name, and a reading (フリガナ) is kana.

Control characters (NUL and the like) are refused for every input before any view runs
(core.middleware); these validators sit on the model fields, so forms, imports and the admin
site apply them alike.
"""

import re

from django.core.exceptions import ValidationError

# Bidirectional embeddings, overrides and isolates (U+202A–202E, U+2066–2069), the marks
# (U+200E/200F, U+061C), zero-width characters (U+200B–200D, U+2060) and the BOM (U+FEFF):
# they make a name read differently from what is stored ("Trojan Source", CVE-2021-42574).
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

# Hiragana, katakana (with ー and ・), their phonetic extensions, half-width katakana, and the
# spaces between family and given names.
KANA = re.compile("[\u3041-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff65-\uff9f \u3000]*")


def no_invisible_characters(value: str) -> None:
    """Raise ValidationError when ``value`` holds a bidi control or zero-width character."""
    found = INVISIBLE.search(value or "")
    if found:
        raise ValidationError(
            "見えない制御文字(U+%(code)04X)が含まれています。文字を入力し直してください。",
            code="invisible",
            params={"code": ord(found.group())},
        )


def kana_only(value: str) -> None:
    """Raise ValidationError unless ``value`` is kana (full- or half-width) and spaces."""
    if value and not KANA.fullmatch(value):
        wrong = next(c for c in value if not KANA.fullmatch(c))
        raise ValidationError(
            "フリガナはカタカナまたはひらがなで入力してください(「%(char)s」は使えません)。",
            code="not_kana",
            params={"char": wrong},
        )


NAME_VALIDATORS = [no_invisible_characters]
KANA_VALIDATORS = [no_invisible_characters, kana_only]
