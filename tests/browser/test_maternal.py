"""A nurse records a notification at 24 weeks with no check-ups so far; the flags show; she
registers the mother as 特定妊婦 from the flag; after the birth the newborn visit is on her list;
an EPDS of 12 puts the mother on her due list (issue 20)."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tsunagu.cases.models import Registration
from tsunagu.core.models import Organisation

from .conftest import sign_in

pytestmark = pytest.mark.browser

EPDS_12 = [1, 1, 2, 1, 1, 2, 1, 1, 2, 0]


def test_a_late_notification_to_the_epds_follow_up(site, page):
    town = site["users"]["nurse"].organisation.municipality
    today = timezone.localdate()
    mother = factories.person(town, "さくら", "サクラ", today - relativedelta(years=24))
    factories.known_to(mother, Organisation.Kind.UNIT_MATERNAL_HEALTH)
    base = site["url"]

    sign_in(page, base, "nurse")
    page.goto(f"{base}/people/{mother.pk}/")
    page.get_by_role("link", name="妊娠届出・面談を記録する").click()
    page.get_by_label("届出時の妊娠週数").fill("24")
    page.get_by_label("出産予定日").fill((today + timedelta(weeks=16)).isoformat())
    page.get_by_label("これまでの妊婦健診の受診回数").fill("0")
    page.get_by_label("婚姻している").check()
    page.get_by_label("戸惑いもある").check()
    page.get_by_label("少しいる").check()
    page.get_by_label("不安がある").check()
    page.get_by_label("面談の記録").fill("仕事が忙しく受診できていなかった。")
    page.get_by_role("button", name="記録する").click()

    flags = page.get_by_role("region", name="気がかりな点")
    expect(flags).to_contain_text("妊娠22週以降の届出")
    expect(flags).to_contain_text("妊婦健診の未受診")
    page.screenshot(path="var/screenshots/maternal-flags.png", full_page=True)
    pregnancy_url = page.url

    flags.get_by_role("button", name="特定妊婦として要対協に登録する").click()
    expect(page.get_by_text("特定妊婦として要対協に登録し")).to_be_visible()
    registration = Registration.objects.get(person=mother)
    assert registration.category == Registration.Category.EXPECTANT_MOTHER
    assert f"/cases/{registration.case_id}/" in page.url

    page.goto(pregnancy_url)
    page.get_by_role("link", name="出生を記録する").click()
    page.get_by_label("出生日").fill(today.isoformat())
    page.get_by_label("在胎週数").fill("37")
    page.get_by_label("出生体重(g)").fill("2650")
    page.get_by_label("出生場所").select_option(label="病院")
    page.get_by_label("子どもの名", exact=True).fill("ひなた")
    page.get_by_label("性別").select_option(label="女")
    page.get_by_role("button", name="記録する").click()
    expect(page.get_by_text("乳児家庭全戸訪問の一覧に入りました")).to_be_visible()

    page.goto(f"{base}/maternal/visits/")
    row = page.get_by_role("row").filter(has_text="髙橋 ひなた")
    expect(row).to_contain_text((today + relativedelta(months=4)).isoformat())
    page.screenshot(path="var/screenshots/maternal-visit-list.png", full_page=True)
    row.get_by_role("link", name="髙橋 ひなた").click()
    page.get_by_label("訪問済").check()
    for number, score in enumerate(EPDS_12, start=1):
        page.locator(f"#id_epds_{number}").select_option(str(score))
    page.get_by_role("button", name="記録する").click()
    expect(page.get_by_text("訪問を記録しました")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("12点")

    page.goto(f"{base}/cases/due/")
    expect(page.get_by_role("link", name="産後うつの疑い(EPDS): 髙橋 さくら")).to_be_visible()
    page.screenshot(path="var/screenshots/maternal-due-list.png", full_page=True)
    following = Registration.objects.get(continues=registration)
    assert following.person.given_name == "ひなた"
