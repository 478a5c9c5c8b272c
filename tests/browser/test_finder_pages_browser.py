"""On a 375 px phone: a search that finds nothing says 0 and leads on; a tap on the map
searches there and says so."""

from datetime import time, timedelta

from django.utils import timezone

from tests import factories
from tsunagu.core.models import Municipality
from tsunagu.resources.models import Schedule


def _cafeteria_open_tomorrow() -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    factories.resource(
        Municipality.objects.get(),
        "あしたの食堂",
        ["eat"],
        [Schedule(kind="opening", date=tomorrow, opens_at=time(10), closes_at=time(18))],
        point=(35.0, 136.6),
    )


def test_nothing_found_today_says_0_and_this_week_finds_it(site, phone):
    _cafeteria_open_tomorrow()
    phone.goto(f"{site['url']}/find/")
    phone.get_by_label("たべる", exact=True).check()
    phone.get_by_label("きょう", exact=True).check()
    phone.get_by_role("button", name="さがす", exact=True).click()

    assert phone.get_by_role("heading", name="0 けん").is_visible()
    assert phone.locator("#map").count() == 0  # no empty map
    this_week = phone.get_by_role("link", name="こんしゅう(7にちかん)で さがす")
    box = this_week.bounding_box()
    assert box["height"] >= 48 and box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert phone.get_by_role("link", name="ほかの しゅるい も みる").is_visible()

    this_week.click()
    assert phone.get_by_text("1 けん みつかりました").is_visible()
    assert phone.locator("ol.cards .card-title").all_inner_texts() == ["あしたの食堂"]
    assert phone.get_by_label("たべる", exact=True).is_checked()  # the rest of the search kept
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_tap_on_the_map_searches_near_it_and_says_so(site, phone):
    _cafeteria_open_tomorrow()
    phone.goto(f"{site['url']}/find/?what=eat&when=week")
    assert phone.locator("#near-line").count() == 0
    map_box = phone.locator("#map").bounding_box()
    with phone.expect_navigation():
        # Beside the one marker (the map's centre): a tap on the map, not on the place.
        phone.locator("#map").click(position={"x": 40, "y": map_box["height"] - 40})

    assert "near=map" in phone.url and "lat=" in phone.url
    line = phone.locator("#near-line")
    assert line.get_by_text("ちずで えらんだ ばしょ の ちかく").is_visible()
    assert phone.get_by_text("1 けん みつかりました").is_visible()

    line.get_by_role("link", name="ばしょ を けす").click()
    assert phone.locator("#near-line").count() == 0 and "lat=" not in phone.url
    assert phone.get_by_label("たべる", exact=True).is_checked()
