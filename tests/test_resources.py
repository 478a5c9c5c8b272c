"""The directory: what the public finder shows, staff pages, operators' changes and approval."""

from datetime import date, datetime, time
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tsunagu.core.models import Area
from tsunagu.resources import finder, furigana, services
from tsunagu.resources.models import ChangeRequest, Schedule, Service, Visibility

from . import factories

TUESDAY = datetime(2026, 11, 24, 16, 0)


@pytest.fixture
def directory(town, users):
    factories.ensure_code_lists()
    tuesday = Schedule(kind="weekly", byday="TU", opens_at=time(15), closes_at=time(19))
    saturday = Schedule(kind="monthly", byday="2SA,4SA", opens_at=time(11))
    return {
        "cafeteria": factories.resource(
            town,
            "本町こども食堂",
            ["eat"],
            [tuesday],
            operator=users["partner"].organisation,
            minimum_age=0,
            maximum_age=12,
            child_fee=100,
        ),
        "free_study": factories.resource(
            town,
            "まなびスペース",
            ["study", "eat"],
            [Schedule(**_fields(tuesday))],
            point=(35.05, 136.6),
            is_free=True,
            grade_from="J1",
            grade_to="H3",
        ),
        "saturday": factories.resource(
            town, "土曜ひろば", ["eat", "play"], [saturday], is_free=True
        ),
        "neighbour": factories.resource(
            town,
            "近所の協力者",
            ["eat", "talk"],
            [Schedule(**_fields(tuesday))],
            visibility=Visibility.STAFF,
        ),
    }


def _fields(schedule: Schedule) -> dict:
    return {k: getattr(schedule, k) for k in ("kind", "byday", "opens_at", "closes_at")}


def _names(town, **query) -> set[str]:
    found = finder.search(finder.Query(municipality=town, moment=TUESDAY, **query))
    return {place.service.name for place in found}


def test_the_finder_never_lists_a_staff_only_helper(town, directory):
    assert _names(town, categories=["eat"]) == {"本町こども食堂", "まなびスペース", "土曜ひろば"}
    assert "近所の協力者" not in _names(town, categories=["talk"], when="today")


def test_today_lists_only_places_open_today_and_now_needs_the_hours(town, directory):
    assert _names(town, categories=["eat"], when="today") == {"本町こども食堂", "まなびスペース"}
    late = finder.Query(municipality=town, when="now", moment=datetime(2026, 11, 24, 19, 30))
    assert not finder.search(late).exists()
    assert _names(town, when="date", on_date=date(2026, 11, 28)) == {"土曜ひろば"}


def test_age_grade_and_free_only(town, directory):
    assert _names(town, categories=["eat"], age=15) == {"まなびスペース", "土曜ひろば"}
    assert _names(town, categories=["eat"], grade="E3") == {"本町こども食堂", "土曜ひろば"}
    assert _names(town, categories=["eat"], free_only=True) == {"まなびスペース", "土曜ひろば"}
    # An age spans two school years: 12 may be 小6 or 中1, so a place for 中1–高3 counts.
    assert "まなびスペース" in _names(town, age=12)
    assert "まなびスペース" not in _names(town, age=11)


def test_near_a_point_within_a_childs_reach_nearest_first(town, directory):
    point = (35.049, 136.6)  # about 110 m from まなびスペース, 5.4 km from the others
    found = finder.search(finder.Query(municipality=town, point=point, radius_m=3000))
    assert [p.service.name for p in found] == ["まなびスペース"]
    wide = finder.search(finder.Query(municipality=town, point=point, radius_m=10_000))
    names = [p.service.name for p in wide]
    assert names[0] == "まなびスペース" and len(names) == 3
    assert finder.distance_text(found[0], point) == "110m"


def test_area_and_school_district(town, directory):
    region = Area.objects.create(municipality=town, kind="region", code="R1", name="中央地域")
    district = Area.objects.create(
        municipality=town, kind="elementary_district", code="E1", name="本町小学校区", parent=region
    )
    location = directory["saturday"].location
    location.region, location.school_district = region, district
    location.save()
    assert _names(town, region=region.pk) == {"土曜ひろば"}
    assert _names(town, school_district=district.pk) == {"土曜ひろば"}


@pytest.fixture
def tuesday_afternoon():
    """Tuesday 1 December 2026, 16:00 in Japan: the test cafeteria is open (it opens on
    Tuesdays, 15:00–19:00); set before the directory is made, as its openings are computed
    from the day they are saved."""
    moment = datetime(2026, 12, 1, 16, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    with time_machine.travel(moment, tick=False):
        yield moment


def test_public_pages_show_public_entries_and_hide_staff_only_ones(
    tuesday_afternoon, town, directory
):
    client = Client()
    page = client.get(reverse("finder:index"), {"what": "eat", "when": "today"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "本町こども食堂" in text and "近所の協力者" not in text
    place = client.get(reverse("finder:place", args=[directory["cafeteria"].pk]))
    assert "つぎに ひらく日" in place.content.decode()
    hidden = client.get(reverse("finder:place", args=[directory["neighbour"].pk]))
    assert hidden.status_code == 404


def _listed(page) -> list[str]:
    import re

    return re.findall(r'class="card-title"[^>]*>(?:<a[^>]*>)?([^<]+)<', page.content.decode())


def test_the_finder_pages_through_many_places_and_past_the_end_shows_the_last(town):
    factories.ensure_code_lists()
    for n in range(23):
        factories.resource(town, f"ひろば{n:02d}", ["play"], name_kana=f"ヒロバ{n:02d}")
    factories.resource(town, "近所の協力者", ["play"], visibility=Visibility.STAFF)
    client = Client()
    first = client.get(reverse("finder:index"), {"what": "play"})
    assert "23 けん みつかりました" in first.content.decode()
    assert _listed(first) == [f"ひろば{n:02d}" for n in range(20)]
    second = client.get(reverse("finder:index"), {"what": "play", "page": "2"})
    assert _listed(second) == ["ひろば20", "ひろば21", "ひろば22"]
    assert _listed(client.get(reverse("finder:index"), {"what": "play", "page": "9"})) == (
        _listed(second)
    )


def test_the_finder_page_filters_by_area(town, directory):
    region = Area.objects.create(municipality=town, kind="region", code="R1", name="中央地域")
    location = directory["saturday"].location
    location.region = region
    location.save()
    page = Client().get(reverse("finder:index"), {"region": str(region.pk)})
    assert _listed(page) == ["土曜ひろば"]
    assert f'<option value="{region.pk}" selected>中央地域</option>' in page.content.decode()


def test_finder_explains_a_swapped_point(town, directory):
    page = Client().get(reverse("finder:index"), {"lat": "136.6", "lon": "35.0"})
    assert "入れ替わっている" in page.content.decode()


def test_furigana_is_generated_and_an_editors_correction_is_kept():
    markup = furigana.generate("本町こども食堂")
    assert furigana.plain(markup) == "本町こども食堂" and "《しょくどう》" in markup
    corrected = markup.replace("《ほんちょう》", "《ほんまち》")
    html = furigana.as_html("本町こども食堂", corrected, True)
    assert "<ruby>本町<rt>ほんまち</rt></ruby>" in html
    assert furigana.problem("本町こども食堂", "｜本町《ほんまち》子ども食堂") != ""
    assert "<ruby>" not in furigana.as_html("<b>", "", True)


def test_an_operators_change_to_a_public_entry_waits_for_approval(users, directory):
    service = directory["cafeteria"].service
    proposed = Service.objects.get(pk=service.pk)
    proposed.phone = "0599-11-2222"
    closure = Schedule(kind="closed", date=date(2026, 12, 29), end_date=date(2027, 1, 3))
    kept = list(directory["cafeteria"].schedules.all())
    request = services.change_own_entry(service, proposed, [*kept, closure], actor=users["partner"])
    service.refresh_from_db()
    assert service.phone == "" and request.status == ChangeRequest.Status.PENDING
    services.decide_change(request, approve=True, actor=users["editor"])
    service.refresh_from_db()
    assert service.phone == "0599-11-2222"
    assert directory["cafeteria"].schedules.filter(kind="closed").exists()
    assert service.history.first().history_user == users["editor"]


def test_an_approval_after_the_field_changed_again_is_refused(users, directory):
    service = directory["cafeteria"].service
    proposed = Service.objects.get(pk=service.pk)
    proposed.phone = "0599-11-2222"
    request = services.change_own_entry(service, proposed, [], actor=users["partner"])
    Service.objects.filter(pk=service.pk).update(phone="0599-99-9999")
    with pytest.raises(ValidationError, match="電話番号"):
        services.decide_change(request, approve=True, actor=users["editor"])


def test_an_operator_cannot_change_another_organisations_entry(users, directory):
    other = directory["saturday"].service
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied from the policy
        services.change_own_entry(other, other, [], actor=users["partner"])


def test_staff_directory_lists_informal_helpers_and_exports_them(users, directory):
    client = Client()
    client.force_login(users["caseworker"])
    listing = client.get(reverse("resources:directory"), {"visibility": "staff"})
    assert "近所の協力者" in listing.content.decode()
    export = client.get(reverse("resources:directory_export"))
    sheet = load_workbook(BytesIO(export.content)).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert sheet["A1"].value == "名称" and "近所の協力者" in names and len(names) == 4


def test_entries_not_verified_for_a_year_are_listed_for_reverification(users, directory):
    stale = directory["saturday"].service
    Service.objects.filter(pk=stale.pk).update(last_verified_on=date(2020, 4, 1))
    Service.objects.exclude(pk=stale.pk).update(last_verified_on=date.today())
    client = Client()
    client.force_login(users["editor"])
    listing = client.get(reverse("resources:directory"), {"reverify": "1"}).content.decode()
    assert "土曜ひろば" in listing and "本町こども食堂" not in listing
    client.post(reverse("resources:service_verify", args=[stale.pk]))
    stale.refresh_from_db()
    assert stale.last_verified_on == date.today()
