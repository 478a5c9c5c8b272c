"""Open-data exchange: the municipal CSV in both layouts, HSDS 3 JSON, all or nothing."""

import json
from datetime import date, time
from io import BytesIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from tsunagu.resources import services
from tsunagu.resources.finder import public_places
from tsunagu.resources.models import DirectoryImport, Schedule, Service, Visibility
from tsunagu.resources.opendata import files, hsds, jp
from tsunagu.resources.opendata.records import record_of

from . import factories

DATA = Path(__file__).parent / "data"


@pytest.fixture
def directory(town, users):
    factories.ensure_code_lists()
    factories.resource(
        town,
        "本町こども食堂",
        ["eat", "study"],
        [
            Schedule(kind="weekly", byday="WE", opens_at=time(17), closes_at=time(19, 30)),
            Schedule(kind="monthly", byday="2SA,4SA", opens_at=time(11, 30)),
            Schedule(
                kind="closed", date=date(2026, 12, 29), end_date=date(2027, 1, 3), note="年末年始"
            ),
            Schedule(
                kind="opening", date=date(2026, 12, 24), opens_at=time(16), note="クリスマス会"
            ),
        ],
        minimum_age=6,
        maximum_age=12,
        child_fee=100,
        adult_fee=300,
        phone="0599-12-3456",
        description="みんなでごはん。",
        grade_from="E1",
        grade_to="E6",
        meal_tickets=True,
        languages="ja,pt",
        contact_name="山田",
        name_kana="ホンマチコドモショクドウ",
    )
    factories.resource(
        town,
        "ひなた",
        ["study"],
        [Schedule(kind="irregular", note="月1回程度")],
        is_free=True,
        point=None,
    )
    factories.resource(town, "近所の協力者", ["talk"], visibility=Visibility.STAFF)


def _contents(town, carried=None) -> list[dict]:
    places = public_places().filter(service__municipality=town).order_by("service__name")
    contents = [record_of(p).content() for p in places]
    if carried:
        for content in contents:
            for part, names in carried.items():
                content[part] = {k: v for k, v in content[part].items() if k in names}
    return contents


@pytest.mark.parametrize("format_name", ["hsds", "jp-opendata"])
def test_export_and_import_again_gives_the_same_directory(town, other_town, directory, format_name):
    data = files.export(town, format_name)
    kind, records = files.read(data)
    assert kind == format_name and len(records) == 2  # never the staff-only helper
    outcome = services.import_directory(other_town, records, actor=None)
    assert (outcome.created, outcome.unchanged) == (2, 0)
    carried = jp.CARRIED if format_name == "jp-opendata" else None
    assert _contents(other_town, carried) == _contents(town, carried)
    again = services.import_directory(other_town, files.read(data)[1], actor=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_hsds_export_validates_against_the_published_schema(town, directory):
    services_json = json.loads(files.export(town, "hsds"))
    assert [hsds.problems(s) for s in services_json] == [[], []]
    assert "近所の協力者" not in json.dumps(services_json, ensure_ascii=False)


def test_jp_export_is_utf8_with_bom_in_the_newer_layout(town, directory):
    data = files.export(town, "jp-opendata")
    assert data.startswith(b"\xef\xbb\xbf")
    header = data.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:5] == ["全国地方公共団体コード", "ID", "地方公共団体名", "名称", "名称_カナ"]


def test_the_open_referral_example_imports_without_error(town):
    factories.ensure_code_lists()
    kind, records = files.read((DATA / "hsds" / "service_full.json").read_bytes())
    outcome = services.import_directory(town, records, actor=None)
    assert kind == "hsds" and outcome.created == 1 and outcome.errors == []
    service = Service.objects.get(municipality=town)
    assert service.minimum_age is not None and service.places.get().schedules.exists()
    assert records[0].warnings  # its placeholder point (latitude 100) is left out, said so


@pytest.mark.parametrize(
    ("name", "rows"),
    [("kudamatsu-kosodate-new-layout.csv", 49), ("shunan-nursery-old-layout.csv", 14)],
)
def test_real_municipal_files_of_both_layouts_import_without_error(town, name, rows):
    factories.ensure_code_lists()
    kind, records = files.read((DATA / "jp-opendata" / name).read_bytes())
    outcome = services.import_directory(town, records, actor=None)
    assert kind == "jp-opendata" and outcome.created == rows and outcome.errors == []
    assert Service.objects.filter(municipality=town).count() == rows
    again = services.import_directory(
        town, files.read((DATA / "jp-opendata" / name).read_bytes())[1], actor=None
    )
    assert again.unchanged == rows


BAD_CSV = (
    "都道府県コード又は市区町村コード,NO,名称,住所,緯度,経度,利用可能曜日,開始時間,終了時間\r\n"
    "242055,1,本町こども食堂,三重県テスト市本町１－２,３５．０６,１３６．６８,月～金,15:30,20:00\r\n"
    "242055,2,,三重県テスト市新町3,35.1,136.7,,,\r\n"
    "242055,3,ひがし食堂,三重県テスト市東町4,136.7,35.1,,,\r\n"
).encode("cp932")


def test_a_bad_row_refuses_the_whole_file_with_row_column_value_and_expectation(town):
    factories.ensure_code_lists()
    records = jp.read(BAD_CSV)
    with pytest.raises(services.ImportRefused) as refused:
        services.import_directory(town, records, actor=None)
    messages = refused.value.messages
    assert "3行目「名称」: 「」— 名称は必須です" in messages
    assert any(
        m.startswith("4行目「緯度・経度」: 「136.7, 35.1」") and "入れ替わって" in m
        for m in messages
    )
    assert not Service.objects.exists()


def test_skipping_the_bad_rows_applies_the_rest(town):
    factories.ensure_code_lists()
    outcome = services.import_directory(town, jp.read(BAD_CSV), skip_bad=True, actor=None)
    assert (outcome.created, outcome.skipped) == (1, 2)
    service = Service.objects.get()
    place = service.places.select_related("location").get()
    assert (place.location.town, place.location.block) == ("本町", "１－２")  # as written
    assert place.location.latitude == 35.06
    weekly = place.schedules.get()
    assert (weekly.byday, weekly.opens_at) == ("MO,TU,WE,TH,FR", time(15, 30))


def test_the_command_dry_run_changes_nothing_and_refuses_bad_files(town, tmp_path, capsys):
    factories.ensure_code_lists()
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD_CSV)
    with pytest.raises(CommandError, match="何も反映していません"):
        call_command("resources", "--municipality", town.code, "import", str(path))
    call_command("resources", "--municipality", town.code, "import", str(path), "--dry-run")
    assert "新規 1 件" in capsys.readouterr().out and not Service.objects.exists()


def _upload(client, name: str, data: bytes):
    """Upload on the import page, let the worker check it, and open its page again."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.post(
        reverse("resources:import_upload"), {"file": SimpleUploadedFile(name, data)}, follow=True
    )
    factories.run_jobs()
    return client.get(page.request["PATH_INFO"])


def test_the_import_page_applies_nothing_until_the_bad_rows_are_skipped(town, users, client):
    factories.ensure_code_lists()
    client.force_login(users["editor"])
    checked = _upload(client, "bad.csv", BAD_CSV)
    staged = DirectoryImport.objects.get()
    assert checked.request["PATH_INFO"] == reverse("resources:import_detail", args=[staged.pk])
    assert "名称は必須です" in checked.content.decode()
    assert not Service.objects.exists()

    apply = reverse("resources:import_apply", args=[staged.pk])
    refused = client.post(apply, follow=True)
    assert "エラーの行が 2 件あるため、何も反映していません" in refused.content.decode()
    assert not Service.objects.exists()

    client.post(apply, {"skip_bad": "1"})
    factories.run_jobs()
    staged.refresh_from_db()
    assert staged.status == DirectoryImport.Status.APPLIED and staged.applied_by == users["editor"]
    assert Service.objects.count() == 1
    again = client.post(apply, {"skip_bad": "1"}, follow=True)
    assert "すでに反映済み" in again.content.decode() and Service.objects.count() == 1

    errors = client.get(reverse("resources:import_errors", args=[staged.pk]))
    sheet = load_workbook(BytesIO(errors.content)).active
    assert [c.value for c in sheet[2]][:2] == [3, "名称"]


def test_the_import_page_refuses_a_file_it_cannot_read(town, users, client):
    client.force_login(users["editor"])
    page = _upload(client, "photo.csv", b"\x89PNG\r\n\x1a\n\x00\xff\xfe\x81")
    assert "取込みに失敗しました。何も反映していません。" in page.content.decode()
    assert DirectoryImport.objects.get().status == DirectoryImport.Status.FAILED


def test_an_import_stays_within_its_municipality(town, other_town, users, client):
    factories.ensure_code_lists()
    staged = services.stage_import("ok.csv", BAD_CSV, actor=users["editor"])
    factories.run_jobs()
    neighbour = factories.users(other_town, prefix="n-")["editor"]
    client.force_login(neighbour)
    assert client.get(reverse("resources:import_detail", args=[staged.pk])).status_code == 404
    assert client.post(reverse("resources:import_apply", args=[staged.pk])).status_code == 404
    assert not Service.objects.exists()


def _district(name: str, west: float, **properties) -> dict:
    ring = [[west, 35.0], [west + 0.01, 35.0], [west + 0.01, 35.01], [west, 35.01], [west, 35.0]]
    return {
        "type": "Feature",
        "properties": {"name": name, **properties},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def _geojson(tmp_path, *features) -> str:
    path = tmp_path / f"{len(list(tmp_path.iterdir()))}.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return str(path)


def test_school_district_boundaries_load_from_geojson_all_or_nothing(town, users, tmp_path):
    from tsunagu.core.models import Area
    from tsunagu.resources import selectors

    known = Area.objects.create(
        municipality=town, kind="elementary_district", code="E1", name="本町小学校区"
    )
    load = ["resources", "--municipality", town.code, "boundaries"]
    kind = ["--kind", "elementary_district"]
    swapped = _district("西小学校区", 136.6)
    swapped["geometry"]["coordinates"][0][1] = [35.0, 136.61]
    path = _geojson(tmp_path, _district("本町小学校区", 136.6), _district("新町小学校区", 136.7))
    with pytest.raises(CommandError, match="何も反映していません"):
        call_command(*load, path, *kind)
    known.refresh_from_db()
    assert known.boundary is None

    bad = _geojson(tmp_path, _district("本町小学校区", 136.6), swapped)
    with pytest.raises(CommandError, match="1 件のエラー"):
        call_command(*load, bad, *kind)
    assert Area.objects.filter(boundary__isnull=False).count() == 0

    call_command(*load, path, *kind, "--create")
    known.refresh_from_db()
    assert known.boundary["type"] == "Polygon"
    assert Area.objects.get(name="新町小学校区").boundary is not None
    drawn = selectors.boundaries_for(users["nurse"])
    assert {f["properties"]["name"] for f in drawn[0]["features"]} == {
        "本町小学校区",
        "新町小学校区",
    }


def test_boundaries_match_by_code_when_the_file_has_codes(town, tmp_path, capsys):
    from tsunagu.core.models import Area

    Area.objects.create(municipality=town, kind="region", code="R1", name="中央地域")
    path = _geojson(tmp_path, _district("中央", 136.6, code="R1"))
    call_command(
        "resources", "--municipality", town.code, "boundaries", path,
        "--kind", "region", "--code-property", "code",
    )  # fmt: skip
    assert "更新 1 件、追加 0 件" in capsys.readouterr().out
    assert Area.objects.get(code="R1").boundary is not None
