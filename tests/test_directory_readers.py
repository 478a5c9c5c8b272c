"""The directory's file readers: HSDS 3 schedules survive export → import → export unchanged,
and neither reader lets an exception escape, whatever the file (random bytes, or real files
mutated)."""

import json
import random
from datetime import date, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tsunagu.resources import schedules, services
from tsunagu.resources.models import Location, Schedule, Service
from tsunagu.resources.opendata import files, hsds

from . import factories

DATA = Path(__file__).parent / "data"
REAL_FILES = [
    path
    for folder in ("hsds", "jp-opendata", "directory")
    for path in sorted((DATA / folder).rglob("*"))
    if path.suffix in (".csv", ".json")
]

# Every field of the HSDS 3 schedule schema that a schedule can carry (the ids of its service,
# location and place are those of the entry it is nested in).
EVERY_FIELD = [
    Schedule(
        kind="weekly",
        byday="SA",
        interval=2,
        dtstart=date(2026, 1, 10),
        until=date(2027, 3, 27),
        wkst="SU",
        opens_at=time(10),
        closes_at=time(12),
        timezone=9,
        description="第1・第3土曜ではなく、1月10日から隔週の土曜日",
        note="雨天でも開催",
        schedule_link="https://example.jp/schedule",
        attending_type="予約制",
    ),
    Schedule(kind="monthly", byday="2SA,4SA,-1FR", opens_at=time(11, 30), closes_at=time(14)),
    Schedule(kind="monthly", bymonthday="1,15,-1", count=12, dtstart=date(2026, 4, 1)),
    Schedule(kind="weekly", byday="MO", byweekno="1,2,-1", opens_at=time(9)),
    Schedule(kind="monthly", byday="TU", byyearday="100,200", interval=3, dtstart=date(2026, 1, 1)),
    Schedule(
        kind="weekly",
        byday="MO,TU,WE",
        valid_from=date(2026, 7, 20),
        valid_to=date(2026, 8, 31),
        opens_at=time(9),
        closes_at=time(17),
    ),
    Schedule(kind="weekly", byday="FR,SA", opens_at=time(20), closes_at=time(2)),
    Schedule(kind="weekly", byday="MO,TU,WE,TH,FR,SA,SU", opens_at=time(0), closes_at=time(0)),
    Schedule(kind="opening", date=date(2026, 12, 24), opens_at=time(16), note="クリスマス会"),
    Schedule(kind="closed", date=date(2026, 12, 29), end_date=date(2027, 1, 3)),
    Schedule(kind="holidays"),
    Schedule(kind="year_end"),
    Schedule(kind="irregular", description="月に1回ほど。日程はお知らせします"),
    Schedule(kind="weekly", byday="SA", interval=2, description="隔週(始まりの日は書かれていない)"),
]


@pytest.mark.django_db
def test_hsds_schedules_round_trip_losslessly(town):
    """Export, import into an empty directory, export again: the same bytes."""
    factories.ensure_code_lists()
    factories.resource(town, "日程のすべて", schedules=EVERY_FIELD)
    first = files.export(town, "hsds")
    Service.objects.all().delete()
    Location.objects.all().delete()
    _kind, records = files.read(first)
    assert not [e for r in records for e in r.errors]
    services.import_directory(town, records, actor=None)
    assert files.export(town, "hsds") == first
    written = _schedules_of(first)
    assert len(written) == len(EVERY_FIELD)
    schema = json.loads((hsds.SCHEMA_DIR / "schedule.json").read_text())["properties"]
    nested = {"service_id", "location_id", "service_at_location_id", "metadata"}
    assert set(schema) - nested <= {field for s in written for field in s}  # every field tried


def _schedules_of(data: bytes) -> list[dict]:
    services_ = json.loads(data)
    return [
        s
        for service in services_
        for place in service["service_at_locations"]
        for s in place["schedules"]
    ]


def test_a_rule_without_its_first_date_is_shown_as_irregular_never_wider():
    every_other = schedules.View({"kind": "weekly", "byday": "SA", "interval": 2})
    assert schedules.is_irregular([every_other])
    assert schedules.openings_between([every_other], date(2026, 11, 1), date(2026, 11, 30)) == []
    assert schedules.describe(every_other).startswith("不定期")


def test_every_other_saturday_from_its_first_date():
    rule = schedules.View(
        {"kind": "weekly", "byday": "SA", "interval": 2, "dtstart": date(2026, 11, 7)}
    )
    days = [
        o.day.day for o in schedules.openings_between([rule], date(2026, 11, 1), date(2026, 11, 30))
    ]
    assert days == [7, 21]


def test_a_summer_only_room_is_closed_in_january():
    summer = schedules.View(
        {
            "kind": "weekly",
            "byday": "MO",
            "valid_from": date(2026, 7, 20),
            "valid_to": date(2026, 8, 31),
        }
    )
    assert not schedules.open_on([summer], date(2027, 1, 18))
    assert schedules.open_on([summer], date(2026, 7, 20))


# --- no exception escapes a reader -----------------------------------------------------------


def _read(data: bytes) -> None:
    try:
        _kind, records = files.read(data)
    except files.UNREADABLE as error:
        assert str(error)  # a reason in Japanese for the whole file
        return
    for record in records:
        for error in record.errors:
            assert str(error)


def _mutated(data: bytes, seed: int, edits: int) -> bytes:
    rng = random.Random(seed)  # noqa: S311 - reproducible mutations, not secrets
    data = bytearray(data)
    for _ in range(edits):
        at = rng.randrange(len(data) + 1)
        choice = rng.random()
        if choice < 0.4 and data:
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif choice < 0.7:
            data[at:at] = rng.choice(
                [b",", b'"', b"\n", b"24:00", b"\x00", b"{", b"]", b"\xe3\x80"]
            )
        else:
            del data[at : at + rng.randrange(1, 8)]
    return bytes(data)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _json_mutated(tree, seed: int, value):
    """A real HSDS file with one value somewhere in it replaced (a wrong type, a bad time …)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible mutations, not secrets
    node = tree
    for _ in range(rng.randrange(1, 8)):
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        children = [(k, v) for k, v in children if isinstance(v, dict | list) and v]
        if not children:
            break
        _key, node = rng.choice(children)
    keys = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))
    if keys:
        node[rng.choice(keys)] = value
    return tree


common = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.django_db
@common
@given(data=st.binary(max_size=400))
def test_random_bytes_never_raise(data):
    _read(data)
    _read(b"\xef\xbb\xbf" + data)
    _read(b"[" + data)


@pytest.mark.django_db
@common
@given(path=st.sampled_from(REAL_FILES), seed=st.integers(0, 2**32), edits=st.integers(1, 12))
def test_mutated_real_files_never_raise(path, seed, edits):
    _read(_mutated(path.read_bytes(), seed, edits))


@pytest.mark.django_db
@common
@given(
    path=st.sampled_from([p for p in REAL_FILES if p.suffix == ".json"]),
    seed=st.integers(0, 2**32),
    value=JSON_VALUES,
)
def test_hsds_with_any_value_anywhere_never_raises(path, seed, value):
    tree = json.loads(path.read_text(encoding="utf-8-sig"))
    _read(json.dumps(_json_mutated(tree, seed, value), ensure_ascii=False).encode())


@pytest.mark.django_db
@common
@given(
    cells=st.lists(
        st.sampled_from(
            [
                "月～金(祝日を除く)",
                "毎日",
                "金・土",
                "24:00",
                "2:00",
                "25:30",
                "9時",
                "99:99",
                "祝日・年末年始は休み",
                "年末年始(12/28～1/4)休み",
                "隔週",
                "第2土曜",
                "",
                "ｰ",
                "http//example.jp",
                "info@example.jp",
                "こども無料・おとな300円",
                "①㈱",
            ]
        )
        | st.text(max_size=12),
        min_size=4,
        max_size=4,
    )
)
def test_any_words_in_the_schedule_columns_never_raise(cells):
    header = (
        "全国地方公共団体コード,ID,名称,住所,利用可能曜日,開始時間,終了時間,利用可能日時特記事項\n"
    )
    row = ",".join(f'"{c.replace(chr(34), "")}"' for c in cells)
    _read(f"{header}242993,X1,テスト,三重県若葉市本町1,{row}\n".encode())
