"""Formula injection (CSV injection): a text that starts like a formula reaches every
spreadsheet and CSV export as text, never as a live formula (tsunagu.core.safe_cells)."""

import csv
import io
from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tsunagu.cases import services as case_services
from tsunagu.cases.models import Registration
from tsunagu.core.safe_cells import as_text_cell, from_text_cell
from tsunagu.resources.models import DirectoryImport, Service

from . import factories

FORMULA = '=HYPERLINK("http://example.com/x","y")'
CSV_FORMULA = '"' + FORMULA.replace('"', '""') + '"'  # as one CSV cell


def _sheet(response):
    assert response.status_code == 200
    return load_workbook(BytesIO(response.content)).active


def _no_formula(sheet) -> None:
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (FORMULA, "'" + FORMULA),
        ("+81 599 12 3456", "'+81 599 12 3456"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("本町こども食堂", "本町こども食堂"),
        ("'80年代", "'80年代"),
        (-3.5, -3.5),
        (None, None),
        (date(2026, 4, 1), date(2026, 4, 1)),
    ],
)
def test_only_text_that_starts_like_a_formula_is_quoted_and_reads_back(value, written):
    assert as_text_cell(value) == written
    if isinstance(value, str):
        assert from_text_cell(as_text_cell(value)) == value


def test_the_register_xlsx_shows_a_formula_like_case_title_as_text(client, users, family):
    _, mother, child = family
    case = factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    case.title = FORMULA
    case.save(update_fields=["title"])
    case_services.register_with_council(
        case, child, Registration.Category.SUPPORT, on=date(2026, 4, 1), actor=users["caseworker"]
    )
    client.force_login(users["caseworker"])
    sheet = _sheet(client.get(reverse("cases:register_export")))
    _no_formula(sheet)
    assert sheet["B2"].value == FORMULA and sheet["B2"].data_type == "s"
    assert sheet["B2"].quotePrefix  # what Excel marks when one types '=…


def test_the_directory_xlsx_shows_formula_like_text_as_text_and_numbers_as_numbers(
    client, users, town
):
    factories.ensure_code_lists()
    factories.resource(town, FORMULA, ["eat"], phone="+81-599-12-3456", point=(-33.9, 151.2))
    client.force_login(users["caseworker"])
    sheet = _sheet(client.get(reverse("resources:directory_export")))
    _no_formula(sheet)
    headers = [c.value for c in sheet[1]]
    row = dict(zip(headers, sheet[2], strict=True))
    assert row["名称"].value == FORMULA and row["名称"].data_type == "s"
    assert row["電話番号"].value == "+81-599-12-3456"
    assert (row["緯度"].value, row["緯度"].data_type) == (-33.9, "n")  # a negative number stays


def test_the_import_error_workbook_shows_the_rejected_formula_as_text(client, users, town):
    factories.ensure_code_lists()
    data = (
        "全国地方公共団体コード,ID,名称,住所,緯度,経度\r\n"
        f"242055,1,{CSV_FORMULA},三重県テスト市本町1,=1+1,136.6\r\n"
    ).encode()
    client.force_login(users["editor"])
    client.post(reverse("resources:import_upload"), {"file": SimpleUploadedFile("evil.csv", data)})
    factories.run_jobs()
    staged = DirectoryImport.objects.get()
    sheet = _sheet(client.get(reverse("resources:import_errors", args=[staged.pk])))
    _no_formula(sheet)
    rejected = sheet["C2"]  # the 緯度 the reader refused, as it was in the file
    assert (rejected.value, rejected.data_type) == ("=1+1", "s")


def test_the_open_data_csv_quotes_formula_like_text_and_imports_back_unchanged(
    town, other_town, users, tmp_path
):
    factories.ensure_code_lists()
    factories.resource(
        town,
        FORMULA,
        ["eat"],
        phone="+81-599-12-3456",
        description="-まずはお電話を",
    )
    out = tmp_path / "export.csv"
    call_command(
        "resources", "--municipality", town.code, "export", "--format", "jp-opendata", str(out)
    )
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["名称"] == "'" + FORMULA
    assert row["電話番号"] == "'+81-599-12-3456"
    assert row["説明"] == "'-まずはお電話を"
    assert row["緯度"] == "35.0"  # numbers are not quoted

    call_command("resources", "--municipality", other_town.code, "import", str(out))
    service = Service.objects.get(municipality=other_town)
    assert service.name == FORMULA
    assert (service.phone, service.description) == ("+81-599-12-3456", "-まずはお電話を")
