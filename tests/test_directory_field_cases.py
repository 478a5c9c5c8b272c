"""The directory's cases from the field (../shared/cases/directory, copied to
tests/data/directory): each file imports, and the finder shows each place open exactly when the
file says it is."""

from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from tsunagu.resources import finder, schedules
from tsunagu.resources.models import ServiceAtLocation
from tsunagu.resources.opendata import files

from . import factories

pytestmark = pytest.mark.django_db
CASES = Path(__file__).parent / "data" / "directory"


def _records(name: str):
    _kind, records = files.read((CASES / name).read_bytes())
    assert all(not r.errors for r in records), [str(e) for r in records for e in r.errors]
    return records


def _imported(town, name: str) -> dict[str, ServiceAtLocation]:
    factories.ensure_code_lists()
    call_command("resources", "--municipality", town.code, "import", str(CASES / name), verbosity=0)
    places = ServiceAtLocation.objects.select_related("service").prefetch_related("schedules")
    return {place.service.name: place for place in places}


def _listed(town, place, day: date) -> bool:
    query = finder.Query(municipality=town, when="date", on_date=day, moment=datetime(2026, 11, 1))
    return finder.search(query).filter(pk=place.pk).exists()


def _open_now(town, place, moment: datetime) -> bool:
    query = finder.Query(municipality=town, when="now", moment=moment)
    return finder.search(query).filter(pk=place.pk).exists()


# --- 09: one-piece addresses whose city name holds 市, 町 or 郡 ----------------------------

SPLITS = {
    "K001": ("三重県", "四日市市", "本町"),
    "K002": ("広島県", "廿日市市", "本町"),
    "K003": ("石川県", "野々市市", "本町"),
    "K004": ("北海道", "余市郡余市町", "黒川町"),
    "K005": ("宮城県", "柴田郡村田町", "大字村田字迫"),
    "K006": ("愛知県", "蒲郡市", "旭町"),
    "K007": ("奈良県", "大和郡山市", "北郡山町"),
    "K008": ("新潟県", "十日町市", "千歳町"),
    "K009": ("東京都", "町田市", "森野"),
}


def test_09_a_city_name_holding_shi_machi_or_gun_splits_at_the_city():
    found = {
        r.service_id: (r.location["prefecture"], r.location["city"], r.location["town"])
        for r in _records("09-city-split-ichi.csv")
    }
    assert found == SPLITS
    assert ("三重県", "四日市", "市本町") not in found.values()


# --- 12: open all day, and past midnight ---------------------------------------------------

ALL_DAY_MOMENTS = [datetime(2026, 11, 24, h, m) for h, m in ((0, 0), (3, 30), (12, 0), (23, 59))]


@pytest.mark.parametrize("name", ["hsds-00-00-and-20-02.json", "hsds-closes-2400.json"])
def test_12_hsds_all_day_is_open_all_day(town, name):
    places = _imported(town, f"12-24h-and-overnight/{name}")
    all_day = [p for n, p in places.items() if n.startswith("24時間")]
    assert all_day
    for place in all_day:
        assert all(_open_now(town, place, moment) for moment in ALL_DAY_MOMENTS)
        assert "24時間" in schedules.describe(place.schedules.get())


def test_12_hsds_20_to_02_runs_into_the_next_morning(town):
    night = _imported(town, "12-24h-and-overnight/hsds-00-00-and-20-02.json")["夜の居場所(テスト)"]
    _assert_friday_and_saturday_nights(town, night)


def test_12_municipal_csv_all_day_and_overnight(town):
    places = _imported(town, "12-24h-and-overnight/jp-opendata.csv")
    phone, night = places["子ども相談電話(テスト)"], places["夜の居場所(テスト)"]
    assert all(_open_now(town, phone, moment) for moment in ALL_DAY_MOMENTS)
    assert not schedules.is_irregular(list(phone.schedules.all()))  # not 不定期
    _assert_friday_and_saturday_nights(town, night)


def _assert_friday_and_saturday_nights(town, night):
    friday = date(2026, 11, 27)
    assert schedules.describe(night.schedules.get()) == "毎週 金・土 20:00〜翌2:00"
    assert _open_now(town, night, datetime(2026, 11, 27, 21, 0))  # Friday evening
    assert _open_now(town, night, datetime(2026, 11, 28, 1, 0))  # the next morning
    assert not _open_now(town, night, datetime(2026, 11, 28, 2, 0))  # closed at two
    assert not _open_now(town, night, datetime(2026, 11, 27, 1, 0))  # Thursday had no night
    assert _open_now(town, night, datetime(2026, 11, 29, 1, 30))  # after Saturday's
    assert _listed(town, night, friday) and not _listed(town, night, date(2026, 11, 26))


@pytest.mark.parametrize(
    "name",
    [
        "12-24h-and-overnight/hsds-00-00-and-20-02.json",
        "12-24h-and-overnight/hsds-closes-2400.json",
        "12-24h-and-overnight/jp-opendata.csv",
    ],
)
def test_12_no_file_ends_in_a_traceback(name):
    factories.ensure_code_lists()
    assert _records(name)


# --- 15: closed on national holidays (and 12/29–1/3 where stated) ---------------------------


def test_15_weekday_hours_kept_and_closed_on_holidays(town):
    places = _imported(town, "15-public-holiday-closure.csv")
    honmachi = places["子育てひろば本町(テスト)"]  # 祝日・年末年始は休み
    sakaemachi = places["子育てひろば栄町(テスト)"]  # 月～金(祝日を除く)
    for place in (honmachi, sakaemachi):
        assert not schedules.is_irregular(list(place.schedules.all()))
        assert _listed(town, place, date(2026, 11, 24))  # a Tuesday
        assert not _listed(town, place, date(2026, 11, 23))  # 勤労感謝の日
        assert not _listed(town, place, date(2027, 1, 11))  # 成人の日
        assert _open_now(town, place, datetime(2026, 11, 24, 9, 30))
        assert not _open_now(town, place, datetime(2026, 11, 24, 16, 0))
    assert not _listed(town, honmachi, date(2026, 12, 30))  # 年末年始
    assert _listed(town, sakaemachi, date(2026, 12, 30))  # no year-end closure stated
    words = [schedules.describe(s) for s in honmachi.schedules.all()]
    assert set(words) == {
        "毎週 月・火・水・木・金 09:00〜16:00",
        "祝日は休み",
        "年末年始(12/29〜1/3)は休み",
    }
