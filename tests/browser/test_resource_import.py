"""A resource editor loads a municipal CSV on the staff page: the background worker checks it
while the page waits and then shows the bad rows; nothing is applied until she chooses to skip
them, and the page follows the job to its end by itself."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.test_resource_opendata import BAD_CSV
from tsunagu.resources.models import Service

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_an_editor_checks_a_file_then_applies_it_without_the_bad_rows(site, page, tmp_path):
    path = tmp_path / "kodomo-shokudo.csv"
    path.write_bytes(BAD_CSV)
    sign_in(page, site["url"], "editor")
    page.get_by_text("メニュー", exact=True).click()
    page.get_by_role("link", name="オープンデータの取込み").click()
    page.get_by_label("ファイル").set_input_files(path)
    page.get_by_role("button", name="内容を確認する").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("取込みの確認: kodomo-shokudo.csv")
    expect(page.locator("#import-status")).to_have_text("確認待ち")
    assert factories.run_jobs() == 1  # the worker's turn; the page polls and shows the result
    errors = page.locator("#import-errors tbody tr")
    expect(errors.first).to_contain_text("名称は必須です")
    assert errors.first.locator("td").first.inner_text() == "3"
    expect(page.locator("#import-preview")).to_contain_text("新規 1 件")
    assert not Service.objects.exists()  # checking applies nothing

    page.get_by_role("button", name="エラーの行を除いて反映する").click()
    expect(page.locator("#import-status")).to_have_text("反映待ち")
    factories.run_jobs()
    expect(page.locator("#import-status")).to_have_text("反映済み")
    expect(page.locator("#import-outcome")).to_contain_text("エラーで除外 2 件")
    assert list(Service.objects.values_list("name", flat=True)) == ["本町こども食堂"]
