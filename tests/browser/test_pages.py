import pytest
from playwright.sync_api import expect

from tsunagu.people.models import Person

from .conftest import sign_in

pytestmark = pytest.mark.browser

HOMES = {
    "nurse": ("/center/", "センター業務"),
    "caseworker": ("/center/", "センター業務"),
    "supervisor": ("/center/", "センター業務"),
    "partner": ("/partner/", "協力団体ホーム"),
    "provider": ("/provider/", "サービス提供事業者ホーム"),
    "cgc": ("/cgc/", "児童相談所 連絡ホーム"),
    "editor": ("/editor/", "地域資源の編集"),
    "admin": ("/system/", "システム管理"),
}


@pytest.mark.parametrize("role", sorted(HOMES))
def test_each_role_signs_in_and_lands_on_its_home(site, page, role):
    path, heading = HOMES[role]
    sign_in(page, site["url"], role)
    expect(page).to_have_url(site["url"] + path)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_wrong_password_shows_a_japanese_error(site, page):
    sign_in(page, site["url"], "nurse", "not-the-password")
    expect(page.get_by_role("alert")).to_have_text("利用者IDまたはパスワードが正しくありません。")


def test_lock_out_after_repeated_failures(site, page):
    for _ in range(5):
        sign_in(page, site["url"], "caseworker", "not-the-password")
    sign_in(page, site["url"], "caseworker")
    expect(page.get_by_role("heading", level=1)).to_have_text("ログインを一時停止しています")
    expect(page).not_to_have_url(site["url"] + "/center/")


def test_partner_opening_a_staff_page_gets_403(site, page):
    sign_in(page, site["url"], "partner")
    expect(page).to_have_url(site["url"] + "/partner/")
    child = Person.objects.get(given_name="結衣")
    for path in ("/center/", f"/people/{child.pk}/", "/audit/access/"):
        response = page.goto(site["url"] + path)
        assert response.status == 403, path
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "このページを表示する権限がありません"
        )
    assert "髙橋" not in page.content()


def _has_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def test_no_page_scrolls_sideways_on_a_375px_phone(site, phone):
    url = site["url"]
    for path in ("/", "/login/"):
        phone.goto(url + path)
        assert not _has_horizontal_scroll(phone), path
    child = Person.objects.get(given_name="結衣")
    pages = {
        "nurse": ["/center/", f"/people/{child.pk}/", "/account/2fa/setup/"],
        "partner": ["/partner/"],
        "provider": ["/provider/"],
        "cgc": ["/cgc/"],
        "editor": ["/editor/"],
        "admin": ["/system/", "/audit/access/", "/audit/changes/"],
    }
    for role, paths in pages.items():
        phone.context.clear_cookies()
        sign_in(phone, url, role)
        for path in paths:
            phone.goto(url + path)
            assert not _has_horizontal_scroll(phone), f"{role} {path}"
        # The menu opens within the screen too.
        phone.get_by_text("メニュー", exact=True).click()
        assert not _has_horizontal_scroll(phone), f"{role} menu"


def test_person_page_shows_the_household(site, page):
    sign_in(page, site["url"], "caseworker")
    child = Person.objects.get(given_name="結衣")
    page.goto(f"{site['url']}/people/{child.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("髙橋 結衣")
    expect(page.get_by_role("link", name="髙橋 美咲")).to_be_visible()


def test_a_long_organisation_list_can_be_searched(site, page):
    from tsunagu.core.models import Municipality, Organisation

    town = Municipality.objects.get()
    for n in range(20):
        Organisation.objects.create(
            municipality=town, kind=Organisation.Kind.SCHOOL, name=f"第{n + 1}小学校"
        )
    Organisation.objects.create(municipality=town, kind=Organisation.Kind.SCHOOL, name="本町小学校")
    sign_in(page, site["url"], "caseworker")
    page.goto(site["url"] + "/cases/intakes/new/")
    search = page.get_by_placeholder("名称で絞り込み")
    search.fill("本町")
    shown = page.locator("select[name=source_organisation] option:not([hidden])")
    expect(shown).to_have_count(2)  # the empty choice and 本町小学校(学校)
    expect(shown.nth(1)).to_have_text("本町小学校(学校)")
