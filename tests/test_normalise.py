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


# Every way of writing the same name (issue 15): each kind of fault, then the invariants.

INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\u00ad",  # soft hyphen
    "\ufe00",  # variation selector 1
    "\ufe0f",  # variation selector 16
    "\U000e0100",  # ideographic variation selector 17 (葛󠄀)
    "\U000e01ef",
]
DASHES = ["−", "‐", "–", "—", "―", "ｰ", "-", "～", "~", "‑", "⁃", "﹣", "－", "〜"]
KEYS = [normalise.reading_key, normalise.kanji_key, normalise.exact_key, normalise.confused_key]


@pytest.mark.parametrize(
    ("marked", "written_out"),
    [
        ("みすゞ", "みすず"),
        ("さゝき", "ささき"),
        ("いすゞ", "いすず"),
        ("ハヽ", "ハハ"),
        ("ミスヾ", "ミスズ"),
        ("ｻﾄヽ", "サトト"),
        ("こゝろ", "こころ"),
    ],
)
def test_kana_iteration_marks_repeat_the_kana_before_them(marked, written_out):
    assert normalise.is_kana(marked)
    assert normalise.reading_key(marked) == normalise.reading_key(written_out)
    assert normalise.kanji_key(marked) == normalise.kanji_key(written_out)


@pytest.mark.parametrize(
    ("marked", "written_out"),
    [("佐々木", "佐佐木"), ("小野寺みすゞ", "小野寺みすず"), ("野々村", "野野村")],
)
def test_iteration_marks_in_a_written_name(marked, written_out):
    assert normalise.kanji_key(marked) == normalise.kanji_key(written_out)


@pytest.mark.parametrize("mark", INVISIBLE)
@pytest.mark.parametrize(("name", "where"), [("葛西", 1), ("髙橋", 1), ("たかはし", 2), ("ｻﾄｳ", 3)])
def test_invisible_marks_and_variation_selectors_are_dropped(mark, name, where):
    marked = name[:where] + mark + name[where:]
    for key in KEYS:
        assert key(marked) == key(name)
    assert normalise.is_kana(marked) == normalise.is_kana(name)


@pytest.mark.parametrize(
    ("detached", "composed"),
    [
        ("カ゛", "ガ"),
        ("ハ゜", "パ"),
        ("ﾊﾟ", "パ"),
        ("ｶﾞ", "ガ"),
        ("か゛", "が"),
        ("カ\u3099", "ガ"),
        ("ハ\u309a", "パ"),
        ("ウ゛", "ヴ"),
        ("スス゛キ", "スズキ"),
    ],
)
def test_detached_voicing_marks_compose_with_the_kana_before(detached, composed):
    assert normalise.is_kana(detached)
    assert normalise.reading_key(detached) == normalise.reading_key(composed)
    assert normalise.exact_key(detached) == normalise.exact_key(composed)


@pytest.mark.parametrize(
    ("leftover", "without"),
    [("ア゛", "ア"), ("ン゜", "ン"), ("山゛田", "山田"), ("゛タカ", "タカ")],
)
def test_voicing_marks_that_compose_with_nothing_are_dropped(leftover, without):
    assert normalise.exact_key(leftover) == normalise.exact_key(without)
    assert normalise.kanji_key(leftover) == normalise.kanji_key(without)


@pytest.mark.parametrize("dash", DASHES)
def test_a_dash_after_a_kana_is_the_long_vowel_mark(dash):
    assert normalise.is_kana("サト" + dash)
    assert normalise.exact_key("サト" + dash) == "サトー"
    assert normalise.reading_key("サト" + dash) == normalise.reading_key("サトウ")
    assert normalise.kanji_key("さと" + dash) == normalise.kanji_key("サトー")


@pytest.mark.parametrize("dash", [dash for dash in DASHES if dash != "ｰ"])  # ｰ is ー itself
def test_a_dash_elsewhere_is_still_ignored(dash):
    assert normalise.exact_key(f"山田{dash}太郎") == "山田太郎"
    assert normalise.reading_key(f"ヤマダ {dash} タロウ") == "ヤマダタロウ"


VOICED = "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴ"
NAME_ALPHABET = st.sampled_from(
    "アイウエオカキクケコサシスセソタチツテトナハヒフヘホマヤユヨラリルレロワンァィゥェォッャュョー"
    "あいうかきくさしすたちつなはひふまやゆよらりるれろわんぁぃぅゃゅょっ"
    "ｱｲｳｶｷｸｻｼｽﾀﾁﾂﾊﾋﾌｰﾞﾟ" + VOICED + "がぎぐばびぶぱぴぷ"
    "々ゝゞヽヾ゛゜\u3099\u309a"
    "髙高橋齋斎藤渡邉邊辺佐木﨑崎澤沢濱浜𠮷吉國国櫻桜結衣美咲葛西斉桧檜"
    " 　・･-−‐–—―～~〜＝_abcＡＢ01１"
)
NAME_TEXT = st.text(alphabet=NAME_ALPHABET, max_size=12)


@given(NAME_TEXT, st.lists(st.tuples(st.integers(0, 12), st.sampled_from(INVISIBLE)), max_size=4))
def test_invisible_marks_anywhere_never_change_a_key(text, insertions):
    marked = text
    for where, mark in insertions:
        marked = marked[:where] + mark + marked[where:]
    for key in KEYS:
        assert key(marked) == key(text)
    assert normalise.is_kana(marked) == normalise.is_kana(text)


def _decompose(text: str, marks: list[int]) -> str:
    out = []
    for char, how in zip(text, marks, strict=True):
        parts = unicodedata.normalize("NFD", char)
        if len(parts) == 2 and parts[1] in "\u3099\u309a":
            detached = "゛" if parts[1] == "\u3099" else "゜"
            out.append(parts[0] + (parts[1], detached)[how % 2])
        else:
            out.append(char)
    return "".join(out)


@given(NAME_TEXT, st.data())
def test_decomposing_voiced_kana_never_changes_the_reading(text, data):
    marks = data.draw(st.lists(st.integers(0, 1), min_size=len(text), max_size=len(text)))
    decomposed = _decompose(text, marks)
    assert normalise.reading_key(decomposed) == normalise.reading_key(text)
    assert normalise.reading_key(unicodedata.normalize("NFD", text)) == normalise.reading_key(text)
    assert normalise.kanji_key(decomposed) == normalise.kanji_key(text)


@given(st.one_of(NAME_TEXT, st.text(max_size=12)))
def test_every_name_key_is_idempotent(text):
    for key in KEYS:
        once = key(text)
        assert key(once) == once


@pytest.mark.parametrize(
    ("ocr", "kana"),
    [
        ("ヤマ口", "ヤマロ"),
        ("ユ力", "ユカ"),
        ("タ力ハシ", "タカハシ"),
        ("二ノミヤ", "ニノミヤ"),
        ("サト一", "サトー"),
    ],
)
def test_a_kanji_ocr_put_for_a_look_alike_kana_in_a_kana_name_is_the_kana(ocr, kana):
    assert normalise.reading_key(ocr) == normalise.reading_key(kana)
    assert normalise.kanji_key(ocr) == normalise.kanji_key(kana)
    assert normalise.is_kana(ocr)


@pytest.mark.parametrize("name", ["山口", "一ノ瀬", "二宮", "一", "力", "工藤", "八木", "夕子"])
def test_kanji_names_with_those_characters_stay_kanji(name):
    assert normalise.kanji_key(name) == name
    assert not normalise.is_kana(name)
