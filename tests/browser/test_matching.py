"""Find-while-typing in a real browser: the match is offered, chosen, or kept hidden."""

import pytest

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
