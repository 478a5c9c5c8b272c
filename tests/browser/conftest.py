"""Headless Debian Chromium driven by Playwright against the app served on a free port.

pytest-django's ``live_server`` serves the app (and its static files) on a free port of
127.0.0.1; the browser is the machine's own /usr/bin/chromium, never a downloaded one.
"""

import os

import pytest
from playwright.sync_api import sync_playwright

from tests import factories

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made from the
# test itself (creating users) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ja-JP")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A 375 px wide phone, as partners use."""
    context = browser.new_context(
        locale="ja-JP", viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site(live_server, transactional_db):
    factories.ensure_code_lists()
    town = factories.municipality()
    users = factories.users(town)
    factories.family(town)
    return {"url": live_server.url, "users": users}


def sign_in(page, base_url: str, username: str, password: str = factories.PASSWORD) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("利用者ID").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
