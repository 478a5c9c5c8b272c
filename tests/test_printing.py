"""The intake sheet (受付票) PDF: a long summary flows onto further pages, and characters the main
font lacks (𠮷) print in the fallback font."""

import logging
import re
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFont

from tsunagu.cases import printing
from tsunagu.core.models import Organisation

from . import factories

YOSHI = "\U00020bb7"  # 𠮷 (つちよし), not in IPAex Gothic


@pytest.fixture(autouse=True)
def _fresh_fallback():
    printing._fallback.cache_clear()
    yield
    printing._fallback.cache_clear()


def _pdf(client, users, persons, summary="登校時に空腹を訴えている。") -> PdfReader:
    case = factories.case(users["caseworker"], persons)
    intake = case.intakes.get()
    intake.summary = summary
    intake.save(update_fields=["summary"])
    client.force_login(users["caseworker"])
    response = client.get(reverse("cases:intake_print", args=[intake.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return PdfReader(BytesIO(response.content))


def _base_fonts(pdf: PdfReader) -> set[str]:
    return {
        str(font.get_object()["/BaseFont"])
        for page in pdf.pages
        for font in page["/Resources"]["/Font"].values()
    }


def test_a_3000_character_summary_flows_onto_further_pages_with_the_caution_on_each(
    client, users, family
):
    _, mother, child = family
    summary = "\n".join(["登校時に空腹を訴え、衣服の汚れが続いている。" * 10] * 14)[:3000]
    pdf = _pdf(client, users, [(child, "child"), (mother, "guardian")], summary)
    assert len(pdf.pages) >= 2
    texts = [page.extract_text() for page in pdf.pages]
    assert all(printing.CAUTION in text for text in texts)
    assert "髙橋 結衣" in texts[0] and "内容" in texts[0]
    footer = re.compile(rf"^受付票 .*{printing.CAUTION}\n\d+ ページ\n")
    body = "".join(footer.sub("", text, count=1) for text in texts).replace("\n", "")
    assert body.count("衣服の汚れ") == summary.count("衣服の汚れ")  # none of it is lost


def test_a_character_the_main_font_lacks_prints_in_the_fallback_font(client, users, town):
    child = factories.person(
        town, "太郎", "タロウ", date(2019, 4, 1), family_name=f"{YOSHI}田", family_kana="ヨシダ"
    )
    factories.known_to(child, Organisation.Kind.UNIT_CHILD_WELFARE)
    pdf = _pdf(client, users, [(child, "child")])
    fallback = TTFont("probe", printing.settings.TSUNAGU_PDF_FALLBACK_FONT).face.name
    assert any(name.endswith(fallback.decode()) for name in _base_fonts(pdf)), _base_fonts(pdf)
    assert f"{YOSHI}田 太郎" in pdf.pages[0].extract_text()


def test_without_the_fallback_font_the_sheet_still_prints_and_says_so(
    client, users, town, settings, caplog
):
    settings.TSUNAGU_PDF_FALLBACK_FONT = "/nonexistent/font.ttf"
    child = factories.person(
        town, "太郎", "タロウ", date(2019, 4, 1), family_name=f"{YOSHI}田", family_kana="ヨシダ"
    )
    factories.known_to(child, Organisation.Kind.UNIT_CHILD_WELFARE)
    with caplog.at_level(logging.WARNING, logger="tsunagu.cases.printing"):
        pdf = _pdf(client, users, [(child, "child")])
    assert "太郎" in pdf.pages[0].extract_text()
    assert "fonts-ipamj-mincho" in caplog.text


def test_the_sheet_names_the_center_the_case_and_has_approval_boxes(client, users, family):
    from pypdf import PdfReader

    from . import factories

    _, mother, child = family
    case = factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    client.force_login(users["caseworker"])
    pdf = client.get(f"/cases/intakes/{case.intakes.get().pk}/print.pdf").content
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "センター" in text  # the center (the unit's parent organisation)
    assert case.number in text
    for approver in ("統括支援員", "係長", "担当"):
        assert approver in text
