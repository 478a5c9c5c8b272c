"""The figures of a fiscal year (家庭支援事業の実績), on screen and as Excel for the subsidy
report: the viewer's municipality, every service by provider and month, the year's totals
and the previous year's. Aggregates only (no child, family or person named), so no access
log entry."""

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from tsunagu.access.policy import requires
from tsunagu.core.fiscal import fiscal_year_of
from tsunagu.core.params import whole_number
from tsunagu.core.xlsx import xlsx_response

from . import figures

# The years a request may ask for.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _year(request: HttpRequest) -> int:
    """The fiscal year asked for (?year=2026), else the current one."""
    text = request.GET.get("year", "")
    if text:
        year = whole_number(text, low=FIRST_YEAR, high=LAST_YEAR)
        if year is not None:
            return year
        messages.warning(
            request, "年度は 2026 のように西暦で指定してください。今年度を表示します。"
        )
    return fiscal_year_of(timezone.localdate())


@requires("family_support.figures")
def figure_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    municipality = request.user.municipality_id
    years = figures.fiscal_years(municipality, year)
    return render(
        request,
        "family_support/figures.html",
        {
            "figures": figures.year_figures(municipality, year),
            "columns": [label for _name, label in figures.COLUMNS],
            "years": [(y, figures.fiscal_year_name(y)) for y in years],
        },
    )


HEADERS = ["事業", "単位", "事業者", "期間"]
YEAR, PREVIOUS, ALL = "年度計", "前年度計", "計"


def rows(result: figures.YearFigures) -> list[list]:
    """The Excel rows, one a line of figures: each service's months and year (事業者 計),
    the previous year's total of the service, then each provider's months and year; last the
    city's total and its previous year."""
    lines = []
    for service in result.services:
        head = [service.name, str(service.offering.get_unit_display())]
        for month, row in service.month_rows:
            lines.append([*head, ALL, _month(month), *row.values])
        lines.append([*head, ALL, YEAR, *service.year.values])
        if service.previous is not None:
            lines.append([*head, ALL, PREVIOUS, *service.previous.values])
        for provider in service.providers:
            for month, row in provider.month_rows:
                lines.append([*head, provider.label, _month(month), *row.values])
            lines.append([*head, provider.label, YEAR, *provider.year.values])
    lines.append(["合計", "", "", YEAR, *result.total.values])
    lines.append(["合計", "", "", PREVIOUS, *result.previous_total.values])
    return lines


def _month(month: date) -> str:
    return f"{month.year}年{month.month}月"


@requires("family_support.figures")
def figure_export(request: HttpRequest) -> HttpResponse:
    """The workbook, in Japanese whatever the page's language (it goes into the report)."""
    year = _year(request)
    result = figures.year_figures(request.user.municipality_id, year)
    with translation.override("ja"):
        headers = [*HEADERS, *(str(label) for _name, label in figures.COLUMNS)]
        lines = rows(result)
    return xlsx_response(
        f"{year}年度",
        headers,
        lines,
        [34, 10, 28, 12, *([10] * len(figures.COLUMNS))],
        f"kateishien-jisseki-{year}.xlsx",
    )
