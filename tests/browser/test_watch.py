"""A cafeteria volunteer files an urgent report from a phone with no connection; it arrives
once when the connection returns, and the caseworker handles the alert (issue 18)."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tsunagu.people.models import Person
from tsunagu.watch.models import Alert, WatchReport

from .conftest import sign_in

pytestmark = pytest.mark.browser


def _watched_case(site):
    users = site["users"]
    mother = Person.objects.get(given_name="美咲")
    child = Person.objects.get(given_name="結衣")
    case = factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    factories.watch_assignment(users["caseworker"], case, users["partner"].organisation)
    return case


def test_an_urgent_report_written_offline_arrives_once_and_is_handled(site, phone, page):
    case = _watched_case(site)
    base = site["url"]

    # The volunteer, on a phone: today's visits, then the connection drops.
    sign_in(phone, base, "partner")
    phone.get_by_role("link", name="今日の訪問(見守り報告)").click()
    card = phone.locator("article.visit-card").filter(has_text="髙橋様")
    expect(card.get_by_text("今日の訪問")).to_be_visible()
    expect(card).not_to_contain_text(case.number)
    expect(phone.locator("#connection")).to_have_text("オンライン")
    phone.context.set_offline(True)
    expect(phone.locator("#connection")).to_contain_text("オフライン")

    card.get_by_label("けが・あざ").check()
    card.get_by_label("緊急").check()
    card.get_by_label("気づいたこと").fill("右腕に新しいあざ。本人は「転んだ」と言う。")
    card.get_by_role("button", name="報告する").click()
    outbox = phone.locator("#outbox")
    expect(outbox).to_be_visible()
    expect(outbox).to_contain_text("髙橋様")
    expect(phone.locator("#connection")).to_contain_text("未送信 1 件")
    phone.screenshot(path="var/screenshots/watch-offline.png", full_page=True)
    assert WatchReport.objects.count() == 0

    # Back online: the waiting report goes, once.
    phone.context.set_offline(False)
    expect(outbox).to_be_hidden()
    expect(card.locator(".visit-sent")).to_be_visible()
    phone.reload()  # the page sends what waits when it opens: nothing waits any more
    expect(phone.locator("#connection")).to_have_text("オンライン")
    assert WatchReport.objects.count() == 1
    report = WatchReport.objects.get()
    assert (report.concern, report.injuries) == ("urgent", True)

    # The partner cannot open the case.
    response = phone.goto(f"{base}/cases/{case.pk}/")
    assert response.status == 403

    # The key person sees the alert, acknowledges it and handles it.
    sign_in(page, base, "caseworker")
    page.goto(f"{base}/center/")
    page.get_by_role("link", name=re.compile("未確認 1件")).click()
    page.get_by_role("link", name=re.compile(r"\d{4}-\d{2}-\d{2}")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("緊急の報告")
    expect(page.get_by_text("右腕に新しいあざ")).to_be_visible()
    page.get_by_role("button", name="確認した").click()
    expect(page.get_by_text("アラートを確認済みにしました。")).to_be_visible()
    page.get_by_label("対応の内容").fill("同日、児童福祉担当2名で家庭訪問。本人の安全を確認。")
    page.get_by_role("button", name="対応済みにする").click()
    expect(page.get_by_text("対応済みにしました。")).to_be_visible()
    alert = Alert.objects.get()
    assert alert.handled_at is not None and alert.escalated_at is None

    # The report is on the case timeline.
    page.goto(f"{base}/cases/{case.pk}/")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("見守り報告")
    expect(timeline).to_contain_text("右腕に新しいあざ")
