"""Find-while-typing in a real browser: the match is offered, chosen, or kept hidden."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests import factories
from tsunagu.accounts.services import create_user
from tsunagu.core.models import Organisation

from .conftest import sign_in

pytestmark = pytest.mark.browser


def _type_yui(page, base_url: str) -> None:
    page.goto(f"{base_url}/people/new/")
    page.get_by_label("姓(フリガナ)").press_sequentially("ﾀｶﾊｼ")
    page.get_by_label("名(フリガナ)").press_sequentially("ﾕｲ")
    page.get_by_label("生年月日", exact=True).fill("2019-04-01")
    page.get_by_label("生年月日", exact=True).dispatch_event("input")


def test_typed_half_width_kana_is_matched_to_her_and_linked(site, page):
    sign_in(page, site["url"], "nurse")
    _type_yui(page, site["url"])
    match = page.locator(".match").first
    expect(match).to_contain_text("生年月日が一致")
    match.get_by_text("髙橋 結衣").wait_for()
    assert "姓の読みが一致" in match.inner_text()
    assert "生年月日が一致" in match.inner_text()
    match.get_by_role("button", name="この人です(既存の記録につなげる)").click()
    page.get_by_role("heading", name="髙橋 結衣").wait_for()
    assert "既存の記録(髙橋 結衣 さん)につなげました" in page.content()


def test_worker_without_access_sees_only_known_to_another_unit(site, page):
    town = site["users"]["nurse"].organisation.municipality
    unit = Organisation.objects.get(municipality=town, kind=Organisation.Kind.UNIT_DEVELOPMENT)
    create_user(
        username="dev",
        password=factories.PASSWORD,
        organisation=unit,
        role="center_staff",
        display_name="発達支援の職員",
    )
    sign_in(page, site["url"], "dev")
    _type_yui(page, site["url"])
    page.get_by_text("他の担当で把握されている人がいます").wait_for()
    panel = page.locator("#matches").inner_text()
    assert "統括支援員に確認してください" in panel
    assert "結衣" not in panel and "本町" not in panel
    assert page.get_by_role("button", name="この人です(既存の記録につなげる)").count() == 0


def test_a_worker_typing_kana_or_an_old_kanji_on_the_intake_form_is_offered_her(site, page):
    """ﾀｶﾊｼ ｴﾏ typed as a caller spells it offers every 高橋 絵馬 on record; 髙橋 絵馬 with her
    birth date puts the same person first, as 高橋 絵馬 does."""
    town = site["users"]["nurse"].organisation.municipality
    factories.crowd(town)
    for born in (date(2015, 6, 1), date(2017, 9, 9), date(2019, 12, 24)):
        ema = factories.person(
            town, "絵馬", "エマ", born, family_name="高橋", family_kana="タカハシ"
        )
        factories.known_to(ema, Organisation.Kind.UNIT_MATERNAL_HEALTH)
    sign_in(page, site["url"], "nurse")
    page.goto(f"{site['url']}/cases/intakes/new/")
    page.get_by_label("姓(フリガナ)").press_sequentially("ﾀｶﾊｼ")
    page.get_by_label("名(フリガナ)").press_sequentially("ｴﾏ")
    candidates = page.locator("#candidates .match")
    expect(candidates).to_have_count(3)
    assert all("高橋 絵馬" in text for text in candidates.all_inner_texts())
    page.screenshot(path="var/screenshots/intake-kana-only.png", full_page=True)

    def first_for(family: str) -> str:
        for label in ("姓(フリガナ)", "名(フリガナ)", "姓", "名"):
            page.get_by_label(label, exact=True).fill("")
        page.get_by_label("姓", exact=True).press_sequentially(family)
        page.get_by_label("名", exact=True).press_sequentially("絵馬")
        page.get_by_label("生年月日", exact=True).fill("2017-09-09")
        page.get_by_label("生年月日", exact=True).dispatch_event("input")
        expect(candidates.first).to_contain_text("2017")
        return candidates.first.inner_text()

    old_form = first_for("髙橋")
    page.screenshot(path="var/screenshots/intake-old-kanji.png", full_page=True)
    assert "高橋 絵馬" in old_form and "2017" in old_form
    # The same person with the same score; only the reason says 異体字.
    assert first_for("高橋").splitlines()[0] == old_form.splitlines()[0]
    assert "姓の異体字 髙/高" in old_form
