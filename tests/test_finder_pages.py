"""The finder's pages as a new user meets them: nothing found says 0 and offers a wider search,
a point chosen on the map is named and can be cleared, the top page leads to the finder, and
furigana reads the city's own place names, one reading per word."""

import json
import re
from datetime import time, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tsunagu.core.models import Area
from tsunagu.resources import furigana
from tsunagu.resources.models import Schedule

POINT = (35.0, 136.6)


def _opens_on(day) -> list[Schedule]:
    return [Schedule(kind="opening", date=day, opens_at=time(10), closes_at=time(18))]


@pytest.fixture
def tomorrows_cafeteria(town):
    """One cafeteria, open tomorrow only: nothing today, one this week."""
    factories.ensure_code_lists()
    tomorrow = timezone.localdate() + timedelta(days=1)
    return factories.resource(town, "あしたの食堂", ["eat"], _opens_on(tomorrow), point=POINT)


def _get(client, **query) -> str:
    return client.get(reverse("finder:index"), query).content.decode()


def _ways_on(page: str) -> dict[str, dict]:
    """The links offered when nothing was found: label → their query."""
    found = re.findall(r'<ul class="ways-on">(.*?)</ul>', page, re.S)
    links = re.findall(r'<a class="button button-large" href="([^"]*)">([^<]*)</a>', found[0])
    return {label: parse_qs(urlsplit(unescape(href)).query) for href, label in links}


def test_nothing_found_says_0_and_offers_this_week_a_wider_distance_and_every_kind(
    client, tomorrows_cafeteria
):
    query = {"what": "eat", "when": "today", "lat": POINT[0], "lon": POINT[1], "radius": "1000"}
    page = _get(client, **query, age="9")

    assert "0 けん" in page and 'id="map"' not in page  # no empty map
    ways = _ways_on(page)
    assert list(ways) == [
        "こんしゅう(7にちかん)で さがす",
        "じてんしゃで いける(3km) まで ひろげる",
        "ほかの しゅるい も みる",
    ]
    rest = {"lat": ["35.0"], "lon": ["136.6"], "age": ["9"]}
    this_week, wider, every_kind = ways.values()
    assert this_week == {**rest, "what": ["eat"], "when": ["week"], "radius": ["1000"]}
    assert wider == {**rest, "what": ["eat"], "when": ["today"], "radius": ["3000"]}
    assert every_kind == {**rest, "when": ["today"], "radius": ["1000"]}

    found = _get(client, **{k: v[0] for k, v in this_week.items()})
    assert "1 けん みつかりました" in found and "あしたの食堂" in found and 'id="map"' in found


def test_a_day_searched_widens_to_its_week_and_the_farthest_distance_to_anywhere(
    client, tomorrows_cafeteria
):
    today = timezone.localdate().isoformat()
    page = _get(client, when="date", on=today, lat="35.0", lon="136.6", radius="3000", near="map")
    ways = _ways_on(page)
    assert list(ways) == ["こんしゅう(7にちかん)で さがす", "ばしょ を きめずに さがす"]
    assert "on" not in ways["こんしゅう(7にちかん)で さがす"]  # the week, not that day
    anywhere = ways["ばしょ を きめずに さがす"]
    assert anywhere == {"when": ["date"], "on": [today]}
    assert "1 けん みつかりました" in _get(client, when="week")


def test_nothing_to_widen_still_says_0(client, town):
    factories.ensure_code_lists()
    page = _get(client, free="on")
    assert "0 けん" in page and "じょうけんを かえて さがしてみてね" in page
    assert 'class="ways-on"' not in page


def test_a_point_chosen_on_the_map_is_named_above_the_results_and_can_be_cleared(
    client, tomorrows_cafeteria
):
    page = _get(client, what="eat", when="week", lat="35.001", lon="136.6", near="map")
    line = re.search(r'<p class="near-line" id="near-line">(.*?)</p>', page, re.S)[1]
    assert "ちずで えらんだ ばしょ の ちかく" in line and "じてんしゃで いける(3km)" in line
    assert page.index('id="near-line"') < page.index("1 けん みつかりました")
    # The next search from the form still says the point came from the map.
    assert '<input type="hidden" name="near" value="map">' in page
    clear = re.search(r'href="([^"]*)">ばしょ を けす</a>', line)[1]
    assert parse_qs(urlsplit(unescape(clear)).query) == {"what": ["eat"], "when": ["week"]}
    assert "near-line" not in _get(client, what="eat", when="week")

    here = _get(client, what="eat", lat="35.001", lon="136.6", near="here")
    assert "いま いる ばしょ の ちかく" in here


def test_the_first_map_opens_on_the_city_so_that_a_tap_chooses_a_point_in_it(
    client, town, tomorrows_cafeteria
):
    factories.resource(town, "きたの食堂", point=(35.02, 136.61))
    page = _get(client)
    extent = re.search(r'<script id="map-extent" type="application/json">(.*?)</script>', page)
    assert json.loads(extent[1]) == [[35.0, 136.6], [35.02, 136.61]]


def test_the_top_page_leads_children_and_parents_to_the_finder(db):
    page = Client().get("/").content.decode()
    link = re.search(r'<a [^>]*href="/find/"[^>]*>([^<]*)</a>', page)
    assert link and link[1] == "ちかくの こども食堂・いばしょ を さがす"
    assert "こども・ほごしゃ の かたへ" in page and "ログインは いりません" in page


@pytest.fixture
def wakaba(town):
    """テスト市 read as 若葉市 with two towns from its areas' kana."""
    town.name, town.name_kana = "若葉市", "ワカバシ"
    town.save()
    for code, name, kana in (("T1", "下一光町", "シモイカリチョウ"), ("T2", "平町", "タイラマチ")):
        Area.objects.create(municipality=town, kind="town", code=code, name=name, name_kana=kana)
    return town


def test_a_place_name_and_address_read_the_city_town_names(client, wakaba):
    # SudachiPy alone read 市下 いちした and 下一光 したかずみつ.
    assert furigana.generate("若葉市下一光町2-9", wakaba) == (
        "｜若葉市《わかばし》｜下一光町《しもいかりちょう》2-9"
    )
    assert furigana.generate("三重県若葉市平町4-7", wakaba.pk) == (
        "｜三重県《みえけん》｜若葉市《わかばし》｜平町《たいらまち》4-7"
    )

    factories.ensure_code_lists()
    place = factories.resource(wakaba, "下一光こども食堂", ["eat"])
    service, location = place.service, place.location
    location.city, location.town = "若葉市", "下一光町"
    service.name_ruby = furigana.generate(service.name, wakaba)
    location.address_ruby = furigana.generate(location.address, wakaba)
    service.save()
    location.save()
    page = client.get(reverse("finder:place", args=[place.pk]), {"ruby": "on"}).content.decode()
    name = "<ruby>下一光<rt>しもいかり</rt></ruby>こども<ruby>食堂<rt>しょくどう</rt></ruby>"
    assert name in page
    assert "<ruby>下一光町<rt>しもいかりちょう</rt></ruby>1-2-3" in page

    # An editor's correction is what the page shows.
    service.name_ruby = "｜下一光《しもひかり》こども｜食堂《しょくどう》"
    service.save()
    page = client.get(reverse("finder:place", args=[place.pk]), {"ruby": "on"}).content.decode()
    assert "<ruby>下一光<rt>しもひかり</rt></ruby>" in page


def test_an_area_added_or_renamed_is_read_at_once(wakaba):
    assert "しもいかり" in furigana.generate("下一光こども食堂", wakaba)
    area = Area.objects.create(
        municipality=wakaba, kind="town", code="T3", name="木葉下町", name_kana="アボッケチョウ"
    )
    assert furigana.generate("木葉下こども食堂", wakaba).startswith("｜木葉下《あぼっけ》")
    area.name_kana = "コノハシタチョウ"
    area.save()
    assert furigana.generate("木葉下こども食堂", wakaba).startswith("｜木葉下《このはした》")


def test_a_name_read_two_ways_in_the_city_is_left_to_the_dictionary():
    names = furigana.names_of([("上野町", "ウエノチョウ"), ("上野地区", "カミノチク")])
    assert names.readings == {"上野町": "うえのちょう", "上野地区": "かみのちく"}


def test_ruby_is_one_element_per_word_never_one_per_character():
    markup = furigana.generate("お弁当の宅食と宿題", names=furigana.PlaceNames({}))
    assert markup == "お｜弁当《べんとう》の｜宅食《たくしょく》と｜宿題《しゅくだい》"
    html = furigana.as_html("お弁当の宅食と宿題", markup, True)
    assert "<ruby>宅食<rt>たくしょく</rt></ruby>" in html
    # Markup stored before, one kanji a reading, shows as one word too.
    stored = furigana.as_html("宅食", "｜宅《たく》｜食《しょく》", True)
    assert stored == "<ruby>宅食<rt>たくしょく</rt></ruby>"
    for base in re.findall(r"<ruby>([^<]*)<rt>", html + stored):
        assert len(base) > 1
