"""The intake sheet (受付票) as an A4 PDF: dates in 和暦 and 西暦, names with フリガナ.

The font is IPAex Gothic (IPA Font License), embedded in the PDF so that it prints the same
everywhere; settings.TSUNAGU_PDF_FONT points to it (Debian: fonts-ipaexfont-gothic).
"""

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
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tsunagu.core.wareki import both

FONT = "IPAexGothic"
CAUTION = "個人情報を含みます。取扱いに注意してください。"


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


def _styles():
    font = _font()
    return (
        ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=4 * mm),
        ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=13),
        ParagraphStyle("small", fontName=font, fontSize=7.5, leading=10, textColor=colors.grey),
    )


def _text(value, style) -> Paragraph:
    """A paragraph of plain text: reportlab reads markup, so the text is escaped first."""
    return Paragraph(escape(str(value)).replace("\n", "<br/>"), style)


def _table(rows, widths, cell) -> Table:
    table = Table(
        [[v if isinstance(v, Paragraph) else _text(v, cell) for v in row] for row in rows],
        colWidths=widths,
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


def intake_sheet(intake, links) -> bytes:
    title, cell, small = _styles()
    received = timezone.localtime(intake.received_at)
    facts = [
        ["受付番号", intake.number],
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
    person_table = _table(persons, [16 * mm, 30 * mm, 34 * mm, 52 * mm, 48 * mm], cell)
    person_table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))
    summary = _text(intake.summary, cell)
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
    document.build(
        [
            _text(f"受付票 {intake.number}", title),
            _table(facts, [35 * mm, 145 * mm], cell),
            Spacer(1, 5 * mm),
            _text("関係する人", cell),
            person_table,
            Spacer(1, 5 * mm),
            _table([["内容", summary]], [35 * mm, 145 * mm], cell),
            Spacer(1, 3 * mm),
            _text(f"印刷 {both(timezone.localdate())} — {CAUTION}", small),
        ]
    )
    return buffer.getvalue()
