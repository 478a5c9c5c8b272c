"""The monthly figures per partner, on screen and as Excel for the subsidy report."""

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tsunagu.access.policy import requires
from tsunagu.core.xlsx import xlsx_response

from . import figures


def _month(request: HttpRequest) -> date:
    """The month asked for (?month=2026-11), else this month."""
    text = request.GET.get("month", "")
    if text:
        try:
            return date.fromisoformat(f"{text}-01")
        except ValueError:
            messages.warning(request, "月は 2026-11 の形で指定してください。今月を表示します。")
    return timezone.localdate().replace(day=1)


@requires("watch.figures")
def figure_list(request: HttpRequest) -> HttpResponse:
    month = _month(request)
    rows = figures.monthly(request.user, month)
    return render(
        request,
        "watch/figures.html",
        {"month": month, "rows": rows, "headers": figures.HEADERS},
    )


@requires("watch.figures")
def figure_export(request: HttpRequest) -> HttpResponse:
    month = _month(request)
    rows = [row.row for row in figures.monthly(request.user, month)]
    return xlsx_response(
        f"{month:%Y年%m月}",
        figures.HEADERS,
        rows,
        [24, *([12] * (len(figures.HEADERS) - 1))],
        f"mimamori-{month:%Y-%m}.xlsx",
    )
