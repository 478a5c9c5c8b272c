"""Comparison keys of Japanese names: the folds a worker expects, and their invariants."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.people.matching import normalise

KATAKANA = st.text(
    alphabet=st.sampled_from(
        "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
        "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポァィゥェォッャュョーヴヶ"
    ),
    min_size=1,
    max_size=12,
)
NAMES = st.text(
    alphabet=st.sampled_from("髙高橋齋斎藤渡邉邊辺佐々木﨑崎澤沢濱浜𠮷吉國国櫻桜結衣美咲 ・ー"),
    max_size=8,
)


def _to_hiragana(text: str) -> str:
    return "".join(
        chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" and c not in "ヴヵヶ" else c for c in text
    )


def _half_width(text: str) -> str:
    # Half-width katakana are what NFKC folds back; build them from the Unicode names.
    out = []
    for char in text:
        try:
            out.append(unicodedata.lookup("HALFWIDTH " + unicodedata.name(char)))
        except KeyError:
            decomposed = unicodedata.normalize("NFD", char)
            if len(decomposed) == 2:
                base = unicodedata.lookup("HALFWIDTH " + unicodedata.name(decomposed[0]))
                mark = "ﾞ" if decomposed[1] == "\u3099" else "ﾟ"
                out.append(base + mark)
            else:
                out.append(char)
    return "".join(out)


@given(KATAKANA)
def test_reading_key_is_idempotent(reading):
    once = normalise.reading_key(reading)
    assert normalise.reading_key(once) == once


@given(KATAKANA)
def test_reading_key_ignores_hiragana_katakana_width_spaces_and_dots(reading):
    key = normalise.reading_key(reading)
    assert normalise.reading_key(_to_hiragana(reading)) == key
    assert normalise.reading_key(_half_width(reading)) == key
    spaced = " ".join(reading[i : i + 2] for i in range(0, len(reading), 2))
    assert normalise.reading_key(spaced) == key
    assert normalise.reading_key(reading[:1] + "・" + reading[1:]) == key


@given(NAMES)
def test_kanji_key_is_idempotent_and_ignores_spaces(name):
    key = normalise.kanji_key(name)
    assert normalise.kanji_key(key) == key
    assert normalise.kanji_key(name.replace(" ", "　")) == key
    assert normalise.confused_key(normalise.confused_key(name)) == normalise.confused_key(name)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ﾀｶﾊｼ", "タカハシ"),
        ("たかはし", "タカハシ"),
        ("サトー", "サトウ"),
        ("オオノ", "オーノ"),
        ("ちづる", "チズル"),
        ("ヴァイオリン", "バイオリン"),
        ("いっぺい", "イツペイ"),
        ("ジョージ", "ｼﾞｮｰｼﾞ"),
    ],
)
def test_readings_that_fold_together(a, b):
    assert normalise.reading_key(a) == normalise.reading_key(b)


@pytest.mark.parametrize(("a", "b"), [("ユウキ", "ユキ"), ("オノ", "オオノ"), ("ユイ", "ユナ")])
def test_readings_that_stay_apart(a, b):
    assert normalise.reading_key(a) != normalise.reading_key(b)


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("髙橋", "高橋"),
        ("齋藤", "斎藤"),
        ("渡邉", "渡辺"),
        ("渡邊", "渡辺"),
        ("山﨑", "山崎"),
        ("𠮷田", "吉田"),
        ("佐々木", "佐佐木"),
        ("櫻井", "桜井"),
        ("一ヶ谷", "一ケ谷"),
    ],
)
def test_variant_kanji_fold_through_the_mj_table(variant, plain):
    assert normalise.kanji_key(variant) == normalise.kanji_key(plain)


@pytest.mark.parametrize(("a", "b"), [("斉藤", "斎藤"), ("桧山", "檜山")])
def test_confused_kanji_are_a_weaker_level_not_a_fold(a, b):
    assert normalise.kanji_key(a) != normalise.kanji_key(b)
    assert normalise.confused_key(a) == normalise.confused_key(b)


@pytest.mark.parametrize(("a", "b"), [("玉木", "王木"), ("功", "切")])
def test_distinct_name_characters_are_not_folded(a, b):
    assert normalise.kanji_key(a) != normalise.kanji_key(b)


def test_reading_is_inferred_on_folded_kanji_and_keeps_old_forms():
    assert normalise.inferred_reading("髙橋") == "タカハシ"
    assert normalise.inferred_reading("渡邉") == "ワタナベ"


def test_displayed_name_is_not_altered(town):
    from tests.factories import person

    child = person(town, "結衣", "ゆい", __import__("datetime").date(2019, 4, 1))
    child.refresh_from_db()
    assert (child.family_name, child.given_kana) == ("髙橋", "ゆい")
    assert (child.key_family, child.key_given_reading) == ("高橋", "ユイ")
