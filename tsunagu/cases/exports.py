"""The council register (進行管理台帳) as an Excel workbook with Japanese headers."""

from django.http import HttpResponse
from django.utils import timezone

from tsunagu.core.xlsx import xlsx_response

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
    return xlsx_response(
        "進行管理台帳",
        REGISTER_HEADERS,
        register_rows(registrations),
        (12, 24, 16, 20, 12, 10, 12, 8, 12, 14, 14),
        f"register-{timezone.localdate():%Y%m%d}.xlsx",
    )
