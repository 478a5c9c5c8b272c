"""Comparison keys of addresses and phones: every notation of one home or number, one key."""

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st
from kanjize import number2kanji

from tsunagu.people.matching import address, phone, prepare

# --- addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # the field cases (cases/matching/03-address-chome-notation.csv)
        ("三重県若葉市本町1丁目5番2号", "三重県若葉市本町1-5-2"),
        ("三重県若葉市本町2丁目7-4", "三重県若葉市本町2丁目-7-4"),
        ("三重県若葉市本町三丁目12番地6", "三重県若葉市本町3-12-6"),
        # kanji numerals, full width, dash forms, mixed notations
        ("本町1丁目5番2号", "本町一丁目五番二号"),
        ("本町1-5-2", "本町１－５－２"),
        ("本町1-5-2", "本町1丁目5-2"),
        ("本町2丁目7-4", "本町2-7-4"),
        ("本町1−5‐2", "本町1–5—2"),
        ("本町1―5ｰ2", "本町1ー5⁃2"),
        ("本町1﹣5‑2", "本町1 - 5 - 2"),
        ("本町12番地の3", "本町12-3"),
        ("本町十二番地三", "本町12ノ3"),
        ("本町二〇番", "本町20"),
        # the prefecture, the district, the designated city before its ward are left out
        ("三重県若葉市本町1-5-2", "若葉市本町1-5-2"),
        ("三重県三重郡菰野町大字菰野1234番地", "菰野町菰野1234"),
        ("神奈川県横浜市港北区綱島東1-2-3", "港北区綱島東1-2-3"),
        # building and room are not part of the household key
        ("横浜市港北区綱島東1丁目2番3号コーポさくら201号室", "港北区綱島東1-2-3 コーポさくら 201"),
        ("本町1-2-3-201", "本町1丁目2番3号"),
        # the town folded like a name
        ("東京都千代田区霞が関1-2-3", "千代田区霞ヶ関1-2-3"),
        ("千代田区霞ケ関1-2-3", "千代田区霞ヶ関一丁目2番3号"),
        ("若葉市日ノ出町1-2", "若葉市日の出町1-2"),
        ("若葉市佐々木1-2", "若葉市佐佐木1-2"),
        ("若葉市髙田1-2", "若葉市高田1-2"),
        ("札幌市中央区北1条西2丁目3-4", "札幌市中央区北一条西二丁目3番地4"),
        ("〒510-0001 三重県若葉市本町1-2-3", "三重県若葉市本町1-2-3"),
        # invisible marks and spaces
        ("若葉市\u200b本町1-2-3", "若葉市 本町 1-2-3"),
    ],
)
def test_notations_of_one_home_give_one_address_key(a, b):
    assert address.address_key(a) == address.address_key(b)
    assert address.town_key(a) == address.town_key(b) != ""


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("本町1-52", "本町15-2"),
        ("若葉市本町1-52", "若葉市本町15-2"),
        ("若葉市本町1-5-2", "若葉市本町1-5-3"),
        ("若葉市本町1-5-2", "若葉市栄町1-5-2"),
        ("仙台市青葉区一番町2-3-4", "仙台市青葉区二番町2-3-4"),
        ("北1条西2-3-4", "北2条西2-3-4"),
    ],
)
def test_different_homes_keep_different_keys(a, b):
    assert address.address_key(a) != address.address_key(b) or address.address_key(a) == ""
    assert address.town_key(a) != address.town_key(b)


def test_the_same_town_in_another_city_differs_only_in_the_address_key():
    assert address.address_key("若葉市本町1-5-2") != address.address_key("青葉市本町1-5-2")
    assert address.town_key("若葉市本町1-5-2") == address.town_key("青葉市本町1-5-2")


@pytest.mark.parametrize(
    ("text", "city", "ward", "town", "numbers"),
    [
        ("三重県四日市市本町1-2", "四日市市", "", "本町", (1, 2)),
        ("廿日市市本町1-2", "廿日市市", "", "本町", (1, 2)),
        ("野々市市本町1-2", "野野市市", "", "本町", (1, 2)),
        ("十日町市本町1-2", "十日町市", "", "本町", (1, 2)),
        ("愛知県蒲郡市本町1-2", "蒲郡市", "", "本町", (1, 2)),
        ("大和郡山市本町1-2", "大和郡山市", "", "本町", (1, 2)),
        ("市川市本町1-2", "市川市", "", "本町", (1, 2)),
        ("町田市本町1-2", "町田市", "", "本町", (1, 2)),
        ("兵庫県赤穂郡上郡町大持1-2", "上郡町", "", "大持", (1, 2)),
        ("大阪府堺市北区本町1-2", "堺市", "北区", "本町", (1, 2)),
        ("三重県若葉市本町1-2", "若葉市", "", "本町", (1, 2)),
        ("三重県若葉町本町1-2", "若葉町", "", "本町", (1, 2)),
        ("仙台市青葉区一番町二丁目3番4号", "仙台市", "青葉区", "1番町", (2, 3, 4)),
        ("綱島東1-2-3", "", "", "綱島東", (1, 2, 3)),
        ("栄町1-2-3", "", "", "栄町", (1, 2, 3)),  # a town, though 栄町 is also a municipality
    ],
)
def test_city_names_with_city_characters_inside_are_recognised(text, city, ward, town, numbers):
    parsed = address.parse(text)
    assert (parsed.city, parsed.ward, parsed.town, parsed.numbers) == (city, ward, town, numbers)


def test_the_parts_of_an_address():
    assert address.parse("神奈川県横浜市港北区綱島東一丁目2番地3 コーポさくら201号室") == (
        address.Address("神奈川県", "横浜市", "港北区", "綱島東", (1, 2, 3), "コーポさくら201")
    )
    assert address.address_key("三重県若葉市本町1丁目5番2号") == "若葉市|本町|1-5-2"
    assert address.town_key("三重県若葉市本町1丁目5番2号") == "本町|1-5-2"


@pytest.mark.parametrize(
    ("text", "address_key", "town_key"),
    [
        ("", "", ""),
        ("   ", "", ""),
        ("住所不定", "住所不定", "住所不定"),  # not parsed: the text itself, NFKC without spaces
        ("ｼﾞｭｳｼｮ 不明", "ジュウショ不明", "ジュウショ不明"),
        ("綱島東1-2-3", "", "綱島東|1-2-3"),  # no city: not comparable at the address level
        ("三重県若葉市本町", "", ""),  # no block numbers: no home named
        ("若葉市1234", "若葉市||1234", ""),
    ],
)
def test_what_each_key_needs(text, address_key, town_key):
    assert (address.address_key(text), address.town_key(text)) == (address_key, town_key)


@pytest.mark.parametrize(
    ("full", "town_only"),
    [
        ("神奈川県横浜市港北区綱島東1丁目2番3号さくら201号室", "綱島東1-2-3 さくら 201"),
        ("横浜市港北区綱島東1-2-3", "綱島東１－２－３"),
        # a town whose name begins with a municipality's (大江町) is cut the same way in both
        ("横浜市港北区大江町毛原3丁目16番9号", "大江町毛原３－１６－９"),
        ("神奈川県横浜市港北区直島町一円4-13-3", "直島町一円4-13-3 グランドール東 302"),
        ("大分市坂ノ市中央1-2-3", "坂ノ市中央1-2-3"),
    ],
)
def test_a_town_only_address_agrees_with_the_full_one_on_the_town_key(full, town_only):
    assert address.town_key(full) == address.town_key(town_only) != ""


CITIES = ["三重県若葉市", "若葉市", "横浜市港北区", "神奈川県横浜市港北区", "港北区", "四日市市"]
CITIES += ["廿日市市", "野々市市", "十日町市", "蒲郡市", "大和郡山市", "市川市", "町田市"]
CITIES += ["三重郡菰野町", "三重県三重郡菰野町"]
TOWNS = ["本町", "綱島東", "緑町", "霞ケ関", "日ノ出", "佐々木", "大江町毛原", "二十人町", "一番町"]
FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
DASH = st.sampled_from(["-", "−", "‐", "–", "—", "―", "ｰ", "ー", "－", "‑", "⁃", "﹣"])


@st.composite
def _block(draw, numbers: tuple[int, int, int]) -> str:
    chome, ban, go = numbers

    def numeral(number: int) -> str:
        return draw(st.sampled_from([str(number), number2kanji(number)]))

    style = draw(st.integers(0, 4))
    if style == 0:
        text = f"{numeral(chome)}丁目{numeral(ban)}番{numeral(go)}号"
    elif style == 1:
        text = f"{numeral(chome)}丁目{numeral(ban)}番地{go}"
    elif style == 2:
        text = f"{numeral(chome)}丁目{draw(st.sampled_from(['', '-']))}{ban}-{go}"
    else:
        text = f"{chome}{draw(DASH)}{ban}{draw(DASH)}{go}"
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    return text


@st.composite
def _home_notations(draw):
    numbers = tuple(draw(st.integers(1, 40)) for _ in range(3))
    city, town = draw(st.sampled_from(CITIES)), draw(st.sampled_from(TOWNS))
    building = draw(st.sampled_from(["", "コーポさくら201号室", " コーポさくら 201", " 201"]))
    space = draw(st.sampled_from(["", " ", "　"]))
    written = f"{city}{space}{town}{draw(_block(numbers))}{building}"
    return city, town, numbers, written


@given(_home_notations(), st.data())
def test_all_notations_of_one_home_give_one_key(home, data):
    city, town, numbers, written = home
    plain = f"{city}{town}{'-'.join(map(str, numbers))}"
    assert address.address_key(written) == address.address_key(plain) != ""
    assert address.town_key(written) == address.town_key(plain) != ""
    town_only = f"{town}{data.draw(_block(numbers))}"
    assert address.town_key(town_only) == address.town_key(plain)


ADDRESS_ALPHABET = st.sampled_from(
    "0123456789０１２３４５６７８９〇一二三四五六七八九十百千丁目番地号のノ室-−‐–—―ｰー－‑⁃﹣ "
    "市区町村郡県都府道本若葉横浜港北綱島東四日廿野々が之ヶケ大字条線〒\u200b\ufe00"
)


@given(st.text(alphabet=ADDRESS_ALPHABET, max_size=40))
def test_address_keys_never_raise_on_notation_soup(text):
    assert isinstance(address.address_key(text), str)
    assert isinstance(address.town_key(text), str)


@given(st.text(max_size=60))
def test_address_keys_never_raise_on_any_text(text):
    assert isinstance(address.address_key(text), str)
    assert isinstance(address.town_key(text), str)


def test_address_keys_never_raise_on_huge_numbers():
    assert address.address_key("若葉市本町" + "9" * 5000) == address.address_key("若葉市本町")
    assert isinstance(address.town_key("本町" + "九" * 5000 + "丁目"), str)


# --- phones ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("+81 59-202-4004", "0592024004"),
        ("059-202-4004", "0592024004"),
        ("+81-90-3456-7812", "09034567812"),
        ("090-3456-7812", "09034567812"),
        ("+81(0)80-1111-2929", "08011112929"),
        ("0081 59 202 4004", "0592024004"),
        ("010-81-59-202-4004", "0592024004"),
        ("(059)202-5005", "0592025005"),
        ("０５９－２０２－５００５", "0592025005"),
        ("059-202-4004 内線12", "0592024004"),
        ("059-202-4004 ext. 12", "0592024004"),
        ("TEL: 059 (202) 4004", "0592024004"),
        ("０９０ー１２３４ー５６７８", "09012345678"),
        ("090-1234-5678 / 059-202-4004", "09012345678"),
        ("0120-123-456", "0120123456"),
        ("+1 415-555-0100", "+14155550100"),
    ],
)
def test_phone_notations_give_one_national_form(written, key):
    assert phone.phone_key(written) == key


@pytest.mark.parametrize(
    "written",
    ["", "0", "不明", "000-0000-0000", "090-0000-0000", "202-4004", "123", "99999999999999999999"],
)
def test_no_phone_key_for_what_cannot_be_compared(written):
    assert phone.phone_key(written) == ""


MOBILE = st.builds(
    lambda prefix, rest: f"{prefix}{rest:08d}",
    st.sampled_from(["090", "080", "070"]),
    st.integers(1_000_000, 99_999_999),
)
LANDLINE = st.builds(lambda rest: f"059{rest:07d}", st.integers(2_000_000, 9_999_999))
NUMBERS = st.one_of(MOBILE, LANDLINE).filter(lambda number: len(set(number[-7:])) > 1)


@given(NUMBERS, st.data())
def test_all_notations_of_one_number_give_one_key(number, data):
    parts = [number[:3], number[3:-4], number[-4:]]
    dash = data.draw(DASH)
    notations = [
        number,
        dash.join(parts),
        f"({parts[0]}){parts[1]}-{parts[2]}",
        "+81 " + "-".join([parts[0][1:], *parts[1:]]),
        "+81(0)" + "-".join([parts[0][1:], *parts[1:]]),
        "0081 " + " ".join([parts[0][1:], *parts[1:]]),
        "-".join(parts).translate(FULL_WIDTH),
        "-".join(parts) + " 内線" + str(data.draw(st.integers(1, 999))),
    ]
    assert {phone.phone_key(notation) for notation in notations} == {number}


@given(st.from_regex(r"0[1-9][0-9]{8,9}", fullmatch=True))
def test_the_fast_path_agrees_with_the_library(digits):
    if digits.startswith("010"):
        return
    parsed = phonenumbers.parse(digits, "JP")
    expected = ""
    if phonenumbers.is_possible_number(parsed):
        expected = "0" + phonenumbers.national_significant_number(parsed)
    assert phone.phone_key(digits) in {expected, ""}
    if phone.phone_key(digits) == "":
        tail = digits[-7:]
        assert expected == "" or tail == tail[0] * 7


@given(st.text(max_size=40))
def test_phone_key_never_raises(text):
    assert isinstance(phone.phone_key(text), str)


# --- the prepared columns of the field cases -------------------------------------------------

HEADER = "id,family_name,given_name,family_kana,given_kana,birth_date,sex,postal_code,address,phone"
FIELD_CASES = {
    "01-iteration-mark-kana": """
a1,小野寺,みすゞ,おのでら,みすゞ,2017-03-09,女,5100101,三重県若葉市緑町3-4-1,059-201-3344
a2,小野寺,みすず,おのでら,みすず,2017-03-09,女,5100101,三重県若葉市緑町3-4-1,059-201-3344
b1,佐々木,悠斗,さゝき,ゆうと,2015-10-02,男,5100102,三重県若葉市緑町5-1-8,059-201-7788
b2,佐々木,悠斗,ささき,ゆうと,2015-10-02,男,5100102,三重県若葉市緑町5-1-8,059-201-7788
""",
    "03-address-chome-notation": """
a1,西岡,陽菜,ニシオカ,ヒナ,2016-08-17,女,,三重県若葉市本町1丁目5番2号,
a2,西岡,陽菜,ニシオカ,ヒナ,2016-08-17,女,,三重県若葉市本町1-5-2,
b1,東野,颯,ヒガシノ,ハヤテ,2014-02-03,男,,三重県若葉市本町2丁目7-4,
b2,東野,颯,ヒガシノ,ハヤテ,2014-02-03,男,,三重県若葉市本町2丁目-7-4,
d1,南雲,一花,ナグモ,イチカ,2018-09-25,女,,三重県若葉市本町三丁目12番地6,
d2,南雲,一花,ナグモ,イチカ,2018-09-25,女,,三重県若葉市本町3-12-6,
""",
    "05-phone-plus81": """
a1,河合,美緒,カワイ,ミオ,2016-04-22,女,,,+81 59-202-4004
a2,河合,美緒,カワイ,ミオ,2016-04-22,女,,,059-202-4004
b1,野口,大和,ノグチ,ヤマト,2014-10-30,男,,,+81-90-3456-7812
b2,野口,大和,ノグチ,ヤマト,2014-10-30,男,,,090-3456-7812
d1,堀,紗良,ホリ,サラ,2015-12-12,女,,,+81(0)80-1111-2929
d2,堀,紗良,ホリ,サラ,2015-12-12,女,,,080-1111-2929
""",
}
KEY_COLUMNS = [
    *(f"{part}_{key}" for part in ("family", "given") for key in ("kanji", "confused", "reading")),
    "postal_code",
    "address",
    "address_town",
    "phone",
]


@pytest.mark.parametrize("case", sorted(FIELD_CASES))
def test_field_cases_agree_on_every_prepared_key(case):
    columns = HEADER.split(",")
    lines = FIELD_CASES[case].strip().splitlines()
    rows = [dict(zip(columns, line.split(","), strict=True)) for line in lines]
    prepared = prepare.prepare(prepare.records_frame(rows)).set_index("id")
    for letter in "abd":
        if f"{letter}1" in prepared.index:
            first, second = prepared.loc[f"{letter}1"], prepared.loc[f"{letter}2"]
            assert list(first[KEY_COLUMNS]) == list(second[KEY_COLUMNS]), letter
            assert first["address"] or first["phone"]


@pytest.mark.parametrize(
    ("ocr", "written"),
    [
        ("横浜市港北区鐘巻6丁目16番2O号", "横浜市港北区鐘巻6-16-20"),
        ("横浜市港北区蛸井興屋1丁目2l番5号", "横浜市港北区蛸井興屋1-21-5"),
        ("横浜市港北区志徳6丁目I4番6号", "横浜市港北区志徳6-14-6"),
        ("横浜市港北区ダイ八ツ町6丁目9番7号", "横浜市港北区ダイハツ町6-9-7"),
        ("横浜市港北区メ口ン町1-2-3", "横浜市港北区メロン町1-2-3"),
    ],
)
def test_ocrs_look_alike_letters_in_an_address_read_as_what_they_stand_for(ocr, written):
    assert address.address_key(ocr) == address.address_key(written)
    assert address.town_key(ocr) == address.town_key(written)


@given(st.integers(1, 9), st.integers(1, 40), st.integers(1, 40), st.data())
def test_an_ocr_o_or_l_for_a_digit_never_changes_the_block(chome, ban, go, data):
    written = f"本町{chome}丁目{ban}番{go}号"
    swaps = {"0": ["O", "o"], "1": ["l", "I"]}
    ocr = "".join(
        data.draw(st.sampled_from([char, *swaps[char]])) if char in swaps else char
        for char in written
    )
    assert address.town_key(ocr) == address.town_key(written)
