"""The intake sheet (受付票) as an A4 PDF: dates in 和暦 and 西暦, names with フリガナ.

The font is IPAex Gothic (IPA Font License), embedded in the PDF so that it prints the same
everywhere; settings.TSUNAGU_PDF_FONT points to it (Debian: fonts-ipaexfont-gothic). Characters it
lacks (𠮷 and other MJ kanji of 住民記録 names) are set in the fallback font,
settings.TSUNAGU_PDF_FALLBACK_FONT (IPAmj Mincho, Debian: fonts-ipamj-mincho); without it the
sheet still prints, with a warning in the log.

The facts and the persons are tables; the summary, which has no length limit, flows below them as
paragraphs over as many pages as it needs. Every page carries the intake number, the print date
and the caution in its footer.
"""

import logging
from functools import cache
from html import escape
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tsunagu.core.wareki import both

FONT = "IPAexGothic"
FALLBACK = "Fallback"
CAUTION = "個人情報を含みます。取扱いに注意してください。"

logger = logging.getLogger(__name__)


def _to_unicode_cmap(fontname: str, subset) -> str:
    """reportlab's ToUnicode map with characters beyond the BMP (𠮷 U+20BB7) written as UTF-16
    surrogate pairs: reportlab writes <20BB7>, which readers reject, so the printed name could
    not be searched or copied. Only those lines change."""
    cmap = _reportlab_to_unicode_cmap(fontname, subset)
    for index, code in enumerate(subset):
        if code > 0xFFFF:
            utf16 = chr(code).encode("utf-16-be").hex().upper()
            cmap = cmap.replace(f"<{index:02X}> <{code:04X}>", f"<{index:02X}> <{utf16}>")
    return cmap


_reportlab_to_unicode_cmap = getattr(
    ttfonts.makeToUnicodeCMap, "reportlab", ttfonts.makeToUnicodeCMap
)
_to_unicode_cmap.reportlab = _reportlab_to_unicode_cmap
ttfonts.makeToUnicodeCMap = _to_unicode_cmap


@cache
def _font() -> str:
    path = Path(getattr(settings, "TSUNAGU_PDF_FONT", ""))
    if not path.is_file():
        raise ImproperlyConfigured(
            f"PDF 用の日本語フォントが見つかりません: {path}(fonts-ipaexfont-gothic を"
            "インストールするか、TSUNAGU_PDF_FONT を設定してください)"
        )
    pdfmetrics.registerFont(TTFont(FONT, str(path)))
    return FONT


@cache
def _fallback() -> str | None:
    """The fallback font's name once registered, or None (logged) when it cannot be loaded."""
    path = Path(getattr(settings, "TSUNAGU_PDF_FALLBACK_FONT", "") or "")
    try:
        pdfmetrics.registerFont(TTFont(FALLBACK, str(path)))
    except Exception as error:  # a missing, unreadable or CFF-outlined file
        logger.warning(
            "PDF の予備フォントを読み込めません(%s: %s)。主フォントにない文字は"
            "印字されません(fonts-ipamj-mincho をインストールするか、"
            "TSUNAGU_PDF_FALLBACK_FONT を設定してください)",
            path,
            error,
        )
        return None
    return FALLBACK


def _has(font: str, character: str) -> bool:
    return ord(character) in pdfmetrics.getFont(font).face.charToGlyph


def _markup(value) -> str:
    """Plain text as paragraph markup: escaped (reportlab reads markup), line breaks kept, and
    each run of characters the main font lacks but the fallback has set in the fallback."""
    main, fallback = _font(), _fallback()
    lines = []
    for line in str(value).split("\n"):
        runs: list[tuple[bool, str]] = []
        for character in line:
            other = fallback is not None and not _has(main, character) and _has(fallback, character)
            if runs and runs[-1][0] == other:
                runs[-1] = (other, runs[-1][1] + character)
            else:
                runs.append((other, character))
        lines.append(
            "".join(
                f'<font name="{fallback}">{escape(run)}</font>' if other else escape(run)
                for other, run in runs
            )
        )
    return "<br/>".join(lines)


def _styles():
    font = _font()
    return (
        ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=4 * mm),
        ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK"),
    )


def _text(value, style) -> Paragraph:
    """A paragraph of plain text, in the fallback font where the main font has no glyph."""
    return Paragraph(_markup(value), style)


def _paragraphs(value, style) -> list[Paragraph]:
    """Free text of any length as paragraphs (one per line), which flow onto further pages:
    reportlab splits a paragraph between pages, but never a table cell."""
    lines = str(value).replace("\r\n", "\n").split("\n")
    return [_text(line, style) if line.strip() else Spacer(1, style.leading) for line in lines]


def _footer(number: str):
    printed = f"受付票 {number} 印刷 {both(timezone.localdate())} — {CAUTION}"

    def draw(canvas, document):
        canvas.saveState()
        canvas.setFont(_font(), 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(document.leftMargin, 8 * mm, printed)
        canvas.drawRightString(
            document.pagesize[0] - document.rightMargin, 8 * mm, f"{document.page} ページ"
        )
        canvas.restoreState()

    return draw


def _table(rows, widths, cell, **options) -> Table:
    table = Table(
        [[v if isinstance(v, Paragraph) else _text(v, cell) for v in row] for row in rows],
        colWidths=widths,
        **options,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _birth(person) -> str:
    return both(person.birth_date, month_only=person.birth_date_precision == "month")


# The approval boxes (決裁欄) of a municipal form: who saw the sheet, each with room for a seal.
APPROVERS = ("統括支援員", "係長", "担当")


def _header(intake, title, cell) -> Table:
    """The center's name and the title on the left, the approval boxes on the right."""
    center = intake.unit.parent if intake.unit and intake.unit.parent_id else intake.unit
    heading = [_text(str(center or ""), cell), _text(f"受付票 {intake.number}", title)]
    boxes = Table(
        [[_text(name, cell) for name in APPROVERS], ["", "", ""]],
        colWidths=[21 * mm] * len(APPROVERS),
        rowHeights=[6 * mm, 15 * mm],
    )
    boxes.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ]
        )
    )
    layout = Table([[heading, boxes]], colWidths=[117 * mm, 63 * mm])
    layout.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return layout


def intake_sheet(intake, links) -> bytes:
    title, cell = _styles()
    received = timezone.localtime(intake.received_at)
    facts = [
        ["受付番号", intake.number],
        ["ケース番号", intake.case.number if intake.case_id else "(ケース未開始)"],
        ["受付日時", f"{both(received.date())} {received:%H:%M}"],
        ["受付者", f"{intake.received_by}({intake.unit})"],
        ["経路", intake.get_channel_display()],
        [
            "相談者・通告者",
            " ".join(
                filter(
                    None,
                    [
                        intake.get_source_display(),
                        str(intake.source_organisation or ""),
                        intake.caller_name,
                    ],
                )
            ),
        ],
        ["相談種別", str(intake.category)],
        ["虐待の種類", "、".join(intake.abuse_types) or "—"],
        ["緊急度", intake.get_urgency_display()],
    ]
    if intake.safety_check_due:
        due = timezone.localtime(intake.safety_check_due)
        facts.append(["安全確認の期限", f"{both(due.date())} {due:%H:%M}"])
    persons = [["立場", "氏名", "フリガナ", "生年月日", "住所"]] + [
        [
            link.get_role_display(),
            str(link.person),
            link.person.kana,
            _birth(link.person),
            link.person.address,
        ]
        for link in links
    ]
    person_table = _table(
        persons, [16 * mm, 30 * mm, 34 * mm, 52 * mm, 48 * mm], cell, repeatRows=1
    )
    person_table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))
    body = ParagraphStyle("body", parent=cell, leftIndent=2 * mm, rightIndent=2 * mm)
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"受付票 {intake.number}",
    )
    footer = _footer(intake.number)
    document.build(
        [
            _header(intake, title, cell),
            Spacer(1, 3 * mm),
            _table(facts, [35 * mm, 145 * mm], cell),
            Spacer(1, 5 * mm),
            _text("関係する人", cell),
            person_table,
            Spacer(1, 5 * mm),
            _table([["内容"]], [180 * mm], cell),
            Spacer(1, 2 * mm),
            *_paragraphs(intake.summary, body),
        ],
        onFirstPage=footer,
        onLaterPages=footer,
    )
    return buffer.getvalue()
