"""A child on a phone finds a place to eat today, and staff-only helpers never show."""

from datetime import time, timedelta

from django.utils import timezone

from tests import factories
from tsunagu.core.models import Municipality
from tsunagu.resources.models import Schedule, Visibility
from tsunagu.resources.schedules import WEEKDAYS


def _weekly(day) -> list[Schedule]:
    code = WEEKDAYS[day.weekday()]
    return [Schedule(kind="weekly", byday=code, opens_at=time(0, 0), closes_at=time(23, 59))]


def test_a_child_finds_a_cafeteria_open_today_for_her_age(site, phone):
    town = Municipality.objects.get()
    today = timezone.localdate()
    factories.resource(
        town, "本町こども食堂", ["eat"], _weekly(today), minimum_age=6, maximum_age=12
    )
    factories.resource(town, "ちいさな子の食堂", ["eat"], _weekly(today), maximum_age=5)
    factories.resource(town, "あしたの食堂", ["eat"], _weekly(today + timedelta(days=1)))
    factories.resource(town, "近所の協力者", ["eat"], _weekly(today), visibility=Visibility.STAFF)

    phone.goto(f"{site['url']}/find/")
    phone.get_by_label("たべる", exact=True).check()
    phone.get_by_label("きょう", exact=True).check()
    phone.get_by_label("なんさい?").fill("10")
    search = phone.get_by_role("button", name="さがす", exact=True)
    assert search.bounding_box()["height"] >= 48  # big enough for a thumb
    phone.get_by_role("button", name="さがす", exact=True).click()

    results = phone.locator("ol.cards .card-title")
    assert results.all_inner_texts() == ["本町こども食堂"]
    assert phone.get_by_text("1 けん みつかりました").is_visible()
    assert phone.locator("#map .leaflet-interactive").count() == 1  # its marker, on a blank map

    results.first.click()
    assert phone.get_by_role("heading", name="本町こども食堂").is_visible()
    openings = phone.locator("ul.openings li").all_inner_texts()
    assert openings and openings[0].startswith(f"{today.month}/{today.day}")
    assert len(openings) >= 2  # the next weeks too

    for path in ("/find/", "/find/?what=eat", "/find/?what=eat&when=today"):
        phone.goto(f"{site['url']}{path}")
        assert "近所の協力者" not in phone.content()
