"""Seed 003's 事例紹介 end to end: an expectant mother past 30 weeks, no prenatal care, referred by
a private pregnancy SOS line, taken on by maternal health and child welfare together."""

from datetime import date

import pytest

from tests import factories
from tsunagu.cases.models import Case
from tsunagu.core.models import Organisation
from tsunagu.people.models import Person

from .conftest import sign_in

pytestmark = pytest.mark.browser


def _choose(page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).select_option(label=option)


def test_an_expectant_mother_referred_by_a_pregnancy_line(site, page):
    town = site["users"]["nurse"].organisation.municipality
    mother = factories.person(
        town, "さくら", "サクラ", date(2007, 6, 3), family_name="森", family_kana="モリ"
    )
    factories.known_to(mother, Organisation.Kind.UNIT_MATERNAL_HEALTH)
    url = site["url"]

    # The nurse takes the referral from the pregnancy line (a partner) as an intake, and finds
    # the mother among known persons from the name the line gave, in half-width kana.
    sign_in(page, url, "nurse")
    page.get_by_text("メニュー", exact=True).click()
    page.get_by_role("navigation", name="メニュー").get_by_role("link", name="相談受付").click()
    page.get_by_label("姓(フリガナ)").press_sequentially("ﾓﾘ")
    page.get_by_label("名(フリガナ)").press_sequentially("ｻｸﾗ")
    candidate = page.locator("#candidates .match").first
    candidate.get_by_text("森 さくら").wait_for()
    candidate.get_by_role("button", name="この人を関係者に加える").click()
    page.locator(".person-row").get_by_text("森 さくら").wait_for()
    _choose(page, "立場", "妊婦")
    _choose(page, "経路", "関係機関からの連絡")
    _choose(page, "相談者・通告者", "妊娠相談窓口")
    _choose(page, "相談種別", "保健相談")
    _choose(page, "緊急度", "当日中")
    page.get_by_label("内容").fill(
        "民間の妊娠SOS(LINE相談)から連絡。妊娠30週超、病院未受診、母子健康手帳未発行。"
        "経済的に困窮。両親には言えず、内密出産・特別養子縁組を希望。"
    )
    page.get_by_role("button", name="受付を登録").click()
    page.get_by_text("を登録しました").wait_for()

    # A new case, shared with child welfare; registered as 特定妊婦.
    page.get_by_label("ケース名").fill("森 さくらさん(特定妊婦)")
    page.get_by_role("button", name="新しいケースを開始").click()
    page.get_by_role("heading", name="森 さくらさん(特定妊婦)").wait_for()
    page.get_by_text("ケースの更新").click()
    _choose(page, "係", "児童福祉")
    page.get_by_role("button", name="係を追加").click()
    page.get_by_text("保存しました").wait_for()
    page.get_by_text("ケースの更新").click()
    _choose(page, "対象者", "森 さくら")
    _choose(page, "区分", "特定妊婦")
    page.get_by_role("button", name="要対協に登録").click()
    page.get_by_text("保存しました").wait_for()
    assert "特定妊婦" in page.locator("dl.facts").inner_text()

    # A joint visit, nurse and caseworker together.
    page.get_by_role("link", name="支援記録を入力").click()
    _choose(page, "種類", "同行訪問")
    page.get_by_label("caseworker さん").check()
    page.get_by_label("森 さくら").check()
    page.get_by_label("内容", exact=True).fill("保健師と同行訪問。産科受診に同行する約束をした。")
    page.get_by_label("次の対応", exact=True).fill("産科受診の同行")
    page.get_by_label("次の対応の期限").fill("2026-12-01")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("支援記録を保存しました").wait_for()

    # The urgency assessment.
    page.get_by_role("link", name="緊急度アセスメント").click()
    page.get_by_label("保護者に虐待につながるリスク要因がある").check()
    page.get_by_label("虐待につながるおそれのある家庭環境がある").check()
    page.get_by_role("button", name="判定して保存").click()
    page.get_by_text("緊急度アセスメント: 在宅での集中的支援").first.wait_for()
    case = Case.objects.get(title="森 さくらさん(特定妊婦)")

    # The caseworker (child welfare) sees the case and its joint visit.
    page.context.clear_cookies()
    sign_in(page, url, "caseworker")
    page.goto(f"{url}/cases/{case.pk}/")
    timeline = page.locator("ol.timeline").inner_text()
    assert "同行訪問" in timeline and "在宅での集中的支援" in timeline
    assert "受付 保健相談" in timeline

    # A partner is refused.
    page.context.clear_cookies()
    sign_in(page, url, "partner")
    response = page.goto(f"{url}/cases/{case.pk}/")
    assert response.status == 403
    assert "森" not in page.content()


def test_a_person_not_yet_known_is_registered_from_the_intake(site, page):
    url = site["url"]
    sign_in(page, url, "caseworker")
    page.goto(f"{url}/cases/intakes/new/")
    page.get_by_label("内容").fill("近所の方から、夜に子どもの泣き声が続くと連絡。")
    page.get_by_label("姓", exact=True).fill("青木")
    page.get_by_label("名", exact=True).fill("陽向")
    page.get_by_label("姓(フリガナ)").fill("アオキ")
    page.get_by_label("名(フリガナ)").fill("ヒナタ")
    page.locator("#candidates .no-match").wait_for()
    page.get_by_role("button", name="候補にいない人を新しく登録して加える").click()
    page.locator(".person-row").get_by_text("青木 陽向").wait_for()
    # What was typed before choosing the person is still there.
    assert "泣き声" in page.get_by_label("内容").input_value()
    _choose(page, "経路", "電話")
    _choose(page, "相談者・通告者", "近隣・知人")
    _choose(page, "相談種別", "育成相談 — 育児・しつけ相談")
    _choose(page, "緊急度", "数日内")
    page.get_by_role("button", name="受付を登録").click()
    page.get_by_text("を登録しました").wait_for()
    assert "青木 陽向" in page.content()
    child = Person.objects.get(family_name="青木", given_name="陽向")
    assert child.intake_roles.count() == 1
