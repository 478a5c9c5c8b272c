"""Input the community directory must refuse in words, never with a server error: the public
API's and the finder's query parameters, the staff directory's filters, and import files (a
cell too long for the CSV reader, JSON nested too deep, control characters in a cell)."""

import json

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tsunagu.resources import services
from tsunagu.resources.models import DirectoryImport, Service
from tsunagu.resources.opendata import files, hsds, jp

from . import factories

HUGE = "922337203685477580"  # a page of this number is an OFFSET past the 64-bit integer
HUGER = "9" * 30  # past any database integer
LIST_PATHS = ["services", "organizations", "taxonomies", "taxonomy_terms"]


@pytest.fixture
def directory(town):
    factories.ensure_code_lists()
    for n in range(3):
        factories.resource(town, f"こども食堂{n}", ["eat"])


def _without_the_middleware():
    """The views' own checks, without the middleware that refuses control characters in any
    query string first (each view must stand without it)."""
    return override_settings(
        MIDDLEWARE=[m for m in settings.MIDDLEWARE if "ControlCharacter" not in m]
    )


def _api(path, **params):
    with _without_the_middleware():
        return Client(raise_request_exception=False).get(f"/api/hsds/{path}", params)


# --- the public API -----------------------------------------------------------------------


@pytest.mark.parametrize("path", LIST_PATHS)
@pytest.mark.parametrize("page", [HUGE, HUGER, "1" * 5000, "100001", "0"])
def test_an_api_page_number_out_of_bounds_is_a_400(directory, path, page):
    response = _api(path, page=page)
    assert response.status_code == 400
    assert "page" in response.json()


def test_the_last_api_pages_still_answer(directory):
    assert _api("services", page="100000").json()["contents"] == []
    assert _api("services", page="2", per_page="2").json()["size"] == 1


@pytest.mark.parametrize("value", ["abc", "1234", "'; drop table", "x" * 300])
def test_an_organization_id_that_is_no_uuid_is_a_400_in_japanese(directory, value):
    response = _api("services", organization_id=value)
    assert response.status_code == 400
    assert "UUID" in str(response.json()) or "文字以内" in str(response.json())


def test_an_organization_id_finds_its_services(directory):
    organisation = Service.objects.get(name="こども食堂1").organisation
    page = _api("services", organization_id=str(organisation.uid)).json()
    assert [s["name"] for s in page["contents"]] == ["こども食堂1"]


def test_a_service_id_that_is_no_uuid_is_the_apis_404(directory):
    response = _api("services/not-a-uuid")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert "UUID" in response.json()["detail"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("search", "a\x00b"),
        ("search", "a\x1fb"),
        ("search", "a" * 201),
        ("taxonomy_term_id", "eat\x00"),
        ("day", "2026-01-01\x00"),
        ("age", "²"),
        ("age", HUGER),
        ("radius", "1e999"),
        ("lat", "1e999"),
        ("per_page", HUGE),
    ],
)
def test_any_other_bad_parameter_is_a_400(directory, name, value):
    params = {name: value}
    if name in ("lat", "radius"):
        params.update({"lat": "35.0", "lon": "136.6", name: value})
    response = _api("services", **params)
    assert response.status_code == 400 and name in response.json()


# --- the public finder ------------------------------------------------------------------


def _find(**params):
    return Client(raise_request_exception=False).get(reverse("finder:index"), params)


@pytest.mark.parametrize("page", [HUGE, HUGER, "9" * 5000])
def test_a_huge_finder_page_shows_the_last_page(directory, page):
    response = _find(what="eat", page=page)
    assert response.status_code == 200
    assert response.context["page"].number == 1 and len(response.context["cards"]) == 3


@pytest.mark.parametrize("page", ["²", "١", "-3", "1.5", "abc"])
def test_a_finder_page_that_is_no_number_shows_the_first(directory, page):
    response = _find(what="eat", page=page)
    assert response.status_code == 200 and response.context["page"].number == 1


@pytest.mark.parametrize("name", ["region", "district"])
@pytest.mark.parametrize("value", [HUGE, HUGER, "²"])
def test_a_huge_area_id_on_the_finder_is_a_form_error(directory, name, value):
    response = _find(**{name: value})
    assert response.status_code == 200
    assert name in response.context["form"].errors and not response.context["cards"]


def test_a_date_far_in_the_past_is_a_form_error_not_centuries_of_openings(directory):
    response = _find(when="date", on="0001-01-01")
    assert response.status_code == 200
    assert "まえの ひにち" in str(response.context["form"].errors["on"])


# --- the staff directory ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["region", "district"])
@pytest.mark.parametrize("value", [HUGE, HUGER, "²"])
def test_a_huge_area_id_in_the_staff_directory_is_ignored(directory, users, name, value):
    client = Client(raise_request_exception=False)
    client.force_login(users["editor"])
    response = client.get(reverse("resources:directory"), {name: value, "page": HUGER})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/resources/?q=a%00b&category=%00&visibility=%00&status=%00",
        "/api/hsds/services?search=a%00b",
        "/api/hsds/organizations?search=a%00b",
        "/api/hsds/services?taxonomy_term_id=%00",
        "/find/?what=a%00b&on=%00",
    ],
)
def test_a_nul_in_a_parameter_is_no_server_error_even_without_the_middleware(directory, users, url):
    """A middleware refuses control characters in every query string; each view here stands
    without it (on PostgreSQL a NUL in a query is an error of the database)."""
    client = Client(raise_request_exception=False)
    client.force_login(users["editor"])
    with _without_the_middleware():
        assert client.get(url).status_code in (200, 400)


# --- import files ---------------------------------------------------------------------------

HEADER = "全国地方公共団体コード,ID,名称,住所,緯度,経度,説明\r\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(rows)).encode("utf-8")


def _upload(client, name: str, data: bytes):
    """Upload on the import page, let the worker check it, and open its page again."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.post(
        reverse("resources:import_upload"), {"file": SimpleUploadedFile(name, data)}, follow=True
    )
    factories.run_jobs()
    return client.get(page.request["PATH_INFO"])


def test_a_csv_cell_over_the_readers_limit_is_a_file_error(town, users, client):
    factories.ensure_code_lists()
    data = _csv("242055,1,本町食堂,三重県テスト市本町1-2,35.06,136.6," + "あ" * 131_073 + "\r\n")
    with pytest.raises(jp.LayoutError, match="2行目に 131,072 文字を超えるセルがあります"):
        files.read(data)
    client.force_login(users["editor"])
    page = _upload(client, "long.csv", data)
    assert "2行目に 131,072 文字を超えるセルがあります" in page.content.decode()
    assert DirectoryImport.objects.get().status == DirectoryImport.Status.FAILED
    assert not Service.objects.exists()


def test_json_nested_ten_thousand_deep_is_a_file_error(town, users, client):
    factories.ensure_code_lists()
    deep = b"[" * 10_000 + b"]" * 10_000
    inside = json.dumps({"id": "x", "name": "a", "attributes": [0]}).replace(
        "[0]", "[" * 5_000 + "]" * 5_000
    )
    for data in (deep, inside.encode()):
        with pytest.raises(hsds.HsdsError, match="入れ子が深すぎます"):
            files.read(data)
    client.force_login(users["editor"])
    page = _upload(client, "deep.json", deep)
    assert "JSON の入れ子が深すぎます" in page.content.decode()
    assert DirectoryImport.objects.get().status == DirectoryImport.Status.FAILED


@pytest.mark.parametrize(
    ("cell", "column"),
    [
        ("本町\x00食堂", "名称"),
        ("本町\x07食堂", "名称"),
        ("本町\n食堂", "名称"),
        ("ID\x00", "ID"),
    ],
)
def test_a_control_character_in_a_csv_cell_is_a_row_error(town, cell, column):
    factories.ensure_code_lists()
    row = ["242055", "1", "本町食堂", "三重県テスト市本町1-2", "35.06", "136.6", "みんなで"]
    row[{"名称": 2, "ID": 1}[column]] = cell
    _, records = files.read(_csv(",".join(f'"{c}"' for c in row) + "\r\n"))
    (error,) = records[0].errors
    assert (error.row, error.column) == (2, column)
    assert "制御文字" in error.expected and "\x00" not in error.value
    with pytest.raises(services.ImportRefused):
        services.import_directory(town, records, actor=None)
    assert not Service.objects.exists()


def test_tabs_and_line_breaks_stay_in_free_text(town):
    factories.ensure_code_lists()
    _, records = files.read(
        _csv('242055,1,本町食堂,三重県テスト市本町1-2,35.06,136.6,"朝\r\n夕\t"\r\n')
    )
    assert records[0].errors == []
    services.import_directory(town, records, actor=None)
    assert Service.objects.get().description == "朝\r\n夕"


def test_a_nul_in_an_hsds_value_is_a_row_error_and_kept_out_of_the_report(town, users):
    factories.ensure_code_lists()
    service = {"id": "ab\x00c", "name": "本町\x00食堂", "status": "active", "description": "x"}
    staged = services.stage_import("nul.json", json.dumps(service).encode(), actor=users["editor"])
    factories.run_jobs()
    staged.refresh_from_db()
    errors = staged.report["errors"]
    assert {e["column"] for e in errors} >= {"ID", "名称"}
    assert all("制御文字" in e["expected"] for e in errors if e["column"] in ("ID", "名称"))
    assert "\x00" not in json.dumps(staged.report, ensure_ascii=False)
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    "service",
    [
        {"minimum_age": "abc"},
        {"organization": "a text"},
        {"service_at_locations": [1]},
        {"service_at_locations": [{"schedules": [{"opens_at": "25:99"}]}]},
        {"cost_options": [{"option": "こども", "amount": "x"}]},
    ],
)
def test_an_hsds_value_of_the_wrong_type_is_a_row_error(town, service):
    factories.ensure_code_lists()
    _, records = files.read(json.dumps({"id": "x", "name": "a", **service}).encode())
    assert records and all(r.errors for r in records)


@pytest.mark.parametrize(
    ("column", "cell"),
    [("受入年齢", "1" * 5000 + "歳から"), ("利用可能日時特記事項", "2026/13/45")],
)
def test_a_csv_value_no_reader_can_take_is_kept_as_words(town, column, cell):
    factories.ensure_code_lists()
    data = f"名称,住所,{column}\r\n本町食堂,三重県テスト市本町1-2,{cell}\r\n".encode()
    _, records = files.read(data)
    assert records[0].errors == []
