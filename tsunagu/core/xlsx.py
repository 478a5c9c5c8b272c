"""Lists as Excel workbooks (what a municipality re-keys): a bold header row, frozen, with
column widths, sent as a download. Every text cell that could start a formula is written as
text (see tsunagu.core.safe_cells), whatever the export."""

from collections.abc import Iterable, Sequence
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .safe_cells import protect

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(
    title: str, headers: Sequence[str], rows: Iterable, widths: Sequence[int], filename: str
) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        protect(cell)
    for number, row in enumerate(rows, start=2):
        sheet.append(list(row))
        for cell in sheet[number]:
            protect(cell)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
