"""The council register (進行管理台帳) as an Excel workbook with Japanese headers."""

from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

REGISTER_HEADERS = [
    "ケース番号",
    "ケース名",
    "氏名",
    "フリガナ",
    "生年月日",
    "区分",
    "登録日",
    "リスクランク",
    "主担当機関",
    "前回の進行管理",
    "次回の進行管理",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_rows(registrations):
    for registration in registrations:
        case, person = registration.case, registration.person
        yield [
            case.number,
            case.title,
            str(person),
            person.kana,
            person.birth_date,
            registration.get_category_display(),
            registration.registered_on,
            case.risk_rank,
            case.get_lead_agency_display(),
            registration.last_reviewed_on,
            case.next_review_on,
        ]


def register_xlsx(registrations) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = "進行管理台帳"
    sheet.append(REGISTER_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in register_rows(registrations):
        sheet.append(row)
    for column, width in zip(
        "ABCDEFGHIJK", (12, 24, 16, 20, 12, 10, 12, 8, 12, 14, 14), strict=True
    ):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"register-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
