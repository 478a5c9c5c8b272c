"""Each role's home shows what they can do today, and promises nothing the product lacks."""

from django.test import Client
from django.urls import reverse

from tsunagu.cases.models import Case

from . import factories


def _home(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("accounts:home"), follow=True).content.decode()


def test_the_center_home_shows_the_workers_day(users, family):
    _, mother, child = family
    case = factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    page = _home(users["caseworker"])
    # The new abuse report's 48-hour safety check, and the case just opened.
    assert "今日の対応" in page and f"安全確認 {case.intakes.get().number}" in page
    assert "担当ケースの最近の動き" in page and case.title in page
    assert "支援計画" not in page  # not built yet: not promised
    # A nurse not on the case has nothing due.
    assert "担当ケースに期限の近い対応はありません" in _home(users["nurse"])
    assert Case.objects.count() == 1


def test_partner_and_provider_homes_promise_only_what_exists(users):
    partner = _home(users["partner"])
    for name in ("watch:visits", "watch:report_list", "resources:own"):
        assert reverse(name) in partner
    provider = _home(users["provider"])
    assert "準備中" not in provider
    for name in ("family_support:portal", "finder:index"):
        assert reverse(name) in provider
