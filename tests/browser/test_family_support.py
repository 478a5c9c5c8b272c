"""A caseworker decides helper visits (子育て世帯訪問支援事業, 家事支援, 2 h × 4 visits) for a
住民税非課税 family and prints the notice; the provider records the visits from a phone, one
with an urgent observation that reaches the key person; the fourth visit is accepted and a
fifth refused (issue 19)."""

from datetime import date
from io import BytesIO

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tests import factories
from tsunagu.core.fiscal import fiscal_year_of
from tsunagu.family_support import catalogue
from tsunagu.family_support.models import Decision, Tier, Usage
from tsunagu.people.models import Person
from tsunagu.watch.models import Alert

from .conftest import sign_in

pytestmark = pytest.mark.browser

SAID = "子どもが「お父さんにたたかれる」と話した。腕にあざ。"


def _city(site):
    users = site["users"]
    mother = Person.objects.get(given_name="美咲")
    child = Person.objects.get(given_name="結衣")
    case = factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    year = fiscal_year_of(timezone.localdate())
    offering = next(
        o
        for o in catalogue.load(case.municipality, year)
        if o.legal_category == "home_visit_support"
    )
    factories.service_provider(offering, organisation=users["provider"].organisation)
    return case, offering, year


def _record_visit(phone, base: str, child: str, day: date, *, urgent: bool = False):
    phone.goto(f"{base}/family-support/portal/")
    card = phone.locator(".user-card").filter(has_text=child)
    card.get_by_role("link", name="実績を記録する").click()
    phone.get_by_label("利用日", exact=True).fill(day.isoformat())
    phone.get_by_label("開始", exact=True).fill("10:00")
    phone.get_by_label("終了", exact=True).fill("12:00")
    phone.get_by_label("支援メニュー").select_option(label="家事支援")
    if urgent:
        phone.get_by_label("緊急(すぐに連絡が必要)").check()
        phone.get_by_label("気づいたこと").fill(SAID)
    phone.get_by_role("button", name="記録する").click()


def test_a_decision_printed_and_used_within_its_limits(site, page, phone):
    case, offering, year = _city(site)
    base = site["url"]
    fee = offering.fee_for(Tier.TAX_EXEMPT)

    # The caseworker decides from the case page.
    sign_in(page, base, "caseworker")
    page.goto(f"{base}/cases/{case.pk}/")
    page.get_by_role("link", name="利用を決定する").click()
    page.get_by_label("対象の子ども").select_option(label="髙橋 結衣(2019-04-01生)")
    page.get_by_label("事業", exact=True).select_option(label=f"{offering.public_name}({year}年度)")
    page.get_by_label("提供事業者").select_option(label="子育てヘルパーステーション ひだまり")
    page.get_by_label("開始日").fill(f"{year}-11-01")
    page.get_by_label("終了日").fill(f"{year + 1}-01-31")
    page.get_by_label("世帯区分").select_option(label="住民税非課税世帯")
    page.get_by_label("事業者にお願いすること").fill("家事支援。母の話を聞いてください。")
    page.get_by_role("button", name="決定する").click()
    expect(page.get_by_text("利用を決定しました")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("1回あたり 2時間まで、期間中 4回まで")
    page.screenshot(path="var/screenshots/family-support-decision.png", full_page=True)
    decision = Decision.objects.get()

    # The notice names the fee the table gives for the tier, read back from the PDF.
    pdf = page.context.request.get(f"{base}/family-support/decisions/{decision.pk}/notice.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.body())).pages)
    text = text.replace("\n", "").replace(" ", "")
    assert "利用決定通知書" in text and "髙橋美咲様" in text
    assert f"1時間あたり{fee:,}円(1回2時間で{fee * 2:,}円)" in text
    assert "住民税非課税世帯" in text and case.number not in text

    # The provider, on a phone: three visits, the second with an urgent observation.
    sign_in(phone, base, "provider")
    phone.get_by_role("link", name="利用者と実績の記録").first.click()
    expect(phone.locator(".user-card")).to_contain_text("髙橋 結衣")
    expect(phone.locator("body")).not_to_contain_text(case.number)
    for n, day in enumerate((2, 9, 16)):
        _record_visit(phone, base, "髙橋 結衣", date(year, 11, day), urgent=n == 1)
        expect(phone.locator(".messages")).to_contain_text("記録しました")
    expect(phone.locator(".messages")).not_to_contain_text("緊急")
    phone.screenshot(path="var/screenshots/family-support-portal-user.png", full_page=True)

    # The key person sees the alert, and the observation in it.
    alert = Alert.objects.get(case=case)
    assert alert.key_person == site["users"]["caseworker"]
    page.goto(f"{base}/watch/alerts/")
    row = page.locator("tr").filter(has_text="サービス提供事業者からの緊急の報告")
    expect(row).to_contain_text("子育てヘルパーステーション ひだまり")
    row.get_by_role("link").first.click()
    expect(page.locator("dl.facts")).to_contain_text(SAID)

    # The fourth visit is accepted; a fifth is refused with the reason.
    _record_visit(phone, base, "髙橋 結衣", date(year, 11, 23))
    expect(phone.locator(".messages")).to_contain_text("記録しました")
    expect(phone.locator(".user-card, dl.facts").first).to_contain_text("あと0回")
    _record_visit(phone, base, "髙橋 結衣", date(year, 11, 24))
    expect(phone.get_by_role("alert")).to_contain_text("利用回数の上限(4回)に達しています")
    phone.screenshot(path="var/screenshots/family-support-refused.png", full_page=True)
    assert Usage.objects.count() == 4
    assert sorted(Usage.objects.values_list("fee", flat=True)) == [fee * 2] * 4
