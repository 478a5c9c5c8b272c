"""Splitting a one-piece address against the list of Japan's municipalities (addresses.split).

The field case 09-city-split-ichi.csv holds city names with 市, 町, 郡 or 村 inside them, which a
regular expression cut in the wrong place (四日市 / 市本町, 蒲郡 / 市旭町).
"""

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.resources.opendata import addresses
from tsunagu.resources.opendata.addresses import AddressParts, split

CASE = Path(__file__).resolve().parent / "data" / "directory" / "09-city-split-ichi.csv"

# ID → (prefecture, city, town, block, 全国地方公共団体コード)
EXPECTED = {
    "K001": ("三重県", "四日市市", "本町", "9-9", "242021"),
    "K002": ("広島県", "廿日市市", "本町", "8-8", "342131"),
    "K003": ("石川県", "野々市市", "本町", "7-7", "172120"),
    "K004": ("北海道", "余市郡余市町", "黒川町", "6-6", "014087"),
    "K005": ("宮城県", "柴田郡村田町", "大字村田字迫", "5", "043222"),
    "K006": ("愛知県", "蒲郡市", "旭町", "4-4", "232149"),
    "K007": ("奈良県", "大和郡山市", "北郡山町", "3-3", "292036"),
    "K008": ("新潟県", "十日町市", "千歳町", "2-2", "152102"),
    "K009": ("東京都", "町田市", "森野", "1-1", "132098"),
}


def _rows():
    with CASE.open(encoding="utf-8", newline="") as lines:
        return list(csv.DictReader(lines))


def test_the_case_file_is_the_one_expected():
    assert [row["ID"] for row in _rows()] == list(EXPECTED)


@pytest.mark.parametrize("row", _rows(), ids=lambda row: row["ID"])
def test_field_case_cities_with_ichi_machi_gun_mura_inside(row):
    parts = split(row["住所"])
    assert parts == AddressParts(*EXPECTED[row["ID"]], uncertain="")
    assert (parts.city, parts.town) != ("四日市", "市本町")
    assert re.fullmatch(r"\d{6}", parts.code)


@pytest.mark.parametrize("row", _rows(), ids=lambda row: row["ID"])
def test_field_case_without_the_prefecture(row):
    prefecture, city, town, block, code = EXPECTED[row["ID"]]
    parts = split(row["住所"].removeprefix(prefecture))
    assert parts == AddressParts("", city, town, block, code, "")


def test_a_prefecture_less_address_finds_its_city():
    assert split("四日市市本町9-9") == AddressParts("", "四日市市", "本町", "9-9", "242021")


def test_a_city_written_without_its_district_is_kept_as_written():
    parts = split("北海道余市町黒川町6-6")
    assert (parts.city, parts.town, parts.code, parts.uncertain) == (
        "余市町",
        "黒川町",
        "014087",
        "",
    )
    assert split("東京都三宅村阿古1").city == "三宅村"


def test_the_longest_name_wins():
    assert split("奈良県大和郡山市北郡山町3-3").city == "大和郡山市"
    assert split("神奈川県大和市中央1-1").city == "大和市"
    assert split("千葉県市川市八幡1-1").city == "市川市"
    assert split("山梨県西八代郡市川三郷町市川大門1").city == "西八代郡市川三郷町"


def test_designated_cities_with_and_without_a_ward():
    assert split("神奈川県横浜市中区本町1-1") == AddressParts(
        "神奈川県", "横浜市中区", "本町", "1-1", "141046"
    )
    assert split("横浜市本町1-1") == AddressParts("", "横浜市", "本町", "1-1", "141003")
    parts = split("神奈川県横浜市中央区本町1-1")  # 横浜市 has no 中央区
    assert parts.city == "横浜市"
    assert parts.uncertain == "区名が横浜市の区の一覧にありません"


@pytest.mark.parametrize(
    ("address", "names"),
    [
        ("府中市宮西町1-1", "東京都府中市、広島県府中市"),
        ("伊達市梁川町1", "北海道伊達市、福島県伊達市"),
        ("大阪府北区梅田1-1", "大阪府大阪市北区、大阪府堺市北区"),
    ],
)
def test_a_name_shared_by_municipalities_is_returned_and_flagged(address, names):
    parts = split(address)
    assert parts.city == address[len(parts.prefecture) :][: len(parts.city)]
    assert parts.city in {"府中市", "伊達市", "北区"}
    assert parts.code == ""
    assert parts.uncertain == f"同じ名前の市区町村が複数あります: {names}"


def test_the_prefecture_decides_a_shared_name():
    assert split("東京都府中市宮西町1-1") == AddressParts(
        "東京都", "府中市", "宮西町", "1-1", "132063"
    )
    assert split("広島県府中市府川町1").code == "342084"
    assert split("福島県伊達市梁川町1").code == "072133"


def test_a_city_not_in_the_prefecture_written_is_flagged():
    parts = split("三重県町田市森野1-1")
    assert (parts.prefecture, parts.city, parts.town, parts.code) == (
        "三重県",
        "町田市",
        "森野",
        "",
    )
    assert parts.uncertain == "市区町村名が都道府県と合いません: 東京都町田市"


@pytest.mark.parametrize(
    ("address", "city", "town", "block"),
    [
        ("三重県若葉市本町1-5-2", "若葉市", "本町", "1-5-2"),  # fictional: a guess by the ending
        ("若葉市本町1-5-2", "若葉市", "本町", "1-5-2"),
        ("本町1-5-2", "", "本町", "1-5-2"),
    ],
)
def test_an_unknown_city_is_flagged(address, city, town, block):
    parts = split(address)
    assert (parts.city, parts.town, parts.block, parts.code) == (city, town, block, "")
    assert parts.uncertain == "市区町村名が全国地方公共団体の一覧にありません"


def test_the_text_is_kept_as_written():
    parts = split("三重県　四日市市 本町９－９ ㈱テスト①")
    assert parts == AddressParts("三重県", "四日市市", "本町", "９－９ ㈱テスト①", "242021")
    parts = split("三重県四日市市本町①-2")
    assert (parts.town, parts.block) == ("本町", "①-2")
    parts = split("山梨県南ｱﾙﾌﾟｽ市小笠原1-1")  # half-width kana, ﾌﾟ is two characters
    assert (parts.city, parts.code) == ("南ｱﾙﾌﾟｽ市", "192082")
    assert split("千葉県袖ヶ浦市坂戸市場1").city == "袖ヶ浦市"  # the list writes 袖ケ浦市


@pytest.mark.parametrize(
    ("address", "town", "block"),
    [
        ("三重県四日市市本町一丁目5番地2", "本町", "一丁目5番地2"),
        ("宮城県仙台市青葉区一番町四丁目1-1", "一番町", "四丁目1-1"),
        ("北海道札幌市中央区北1条西2丁目", "北1条西", "2丁目"),
        ("大分県宇佐市四日市1", "四日市", "1"),
        ("宮城県柴田郡村田町大字村田字迫", "大字村田字迫", ""),
    ],
)
def test_town_and_block(address, town, block):
    parts = split(address)
    assert (parts.town, parts.block, parts.uncertain) == (town, block, "")


def test_empty_text():
    assert split("") == AddressParts()
    assert split("　 ") == AddressParts()


def test_the_list_is_whole_and_its_names_do_not_collide_when_compared():
    rows = addresses.municipalities()
    assert 1_890 <= len(rows) <= 1_950
    assert len({row.code for row in rows}) == len(rows)
    assert len({row.prefecture for row in rows}) == 47
    compared = {(row.prefecture, addresses._compare(row.city)) for row in rows}
    assert len(compared) == len(rows)
    for row in rows:
        assert split(row.prefecture + row.city + "本町1").code == row.code, row


@given(st.text(max_size=30))
def test_the_parts_are_the_text_without_the_spaces_between_them(text):
    parts = split(text)
    joined = parts.prefecture + parts.city + parts.town + parts.block
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", text)
    for part in (parts.prefecture, parts.city, parts.town, parts.block):
        assert part in text


def test_the_files_own_municipality_is_the_city_even_when_not_in_the_list():
    found = split("三重県若葉市本町2-2-2", own="若葉市")
    assert (found.prefecture, found.city, found.town, found.block) == (
        "三重県",
        "若葉市",
        "本町",
        "2-2-2",
    )
    assert found.uncertain == ""
    assert split("三重県若葉市本町2-2-2").uncertain  # without it, unknown: flagged
    assert split("三重県四日市市本町9-9", own="若葉市").city == "四日市市"  # another city
