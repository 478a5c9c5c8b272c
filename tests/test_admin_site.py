"""Django's admin site is the install's operator's: every admin URL for every role, what the
operator sees there (no personal data, no second-factor secret, nothing deleted), and the
administrator's own pages kept inside its municipality."""

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tsunagu.accounts.admin_site import OPERATOR_MODELS
from tsunagu.accounts.models import User
from tsunagu.core.models import Area, Municipality, Organisation

from . import factories
from .matrix import ANONYMOUS, ROLES, statuses_of


def _admin_patterns():
    (resolver,) = [
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "admin"
    ]

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield pattern

    return list(walk(resolver.url_patterns))


ADMIN_URL_NAMES = sorted({p.name for p in _admin_patterns()})
MODEL_URL = re.compile(r"^(?P<app>[a-z]+)_(?P<model>[a-z]+)_(?P<view>\w+)$")


def _operator_expects(name: str) -> int:
    """What the operator gets from a GET of an admin URL."""
    view = MODEL_URL.match(name)
    if name in ("logout",):
        return 405  # signing out is a POST
    if name == "login":
        return 302
    if name == "autocomplete":
        return 403  # only for a field that asks for it
    if name == "view_on_site":
        return 404  # no model here has a public page
    if view and view["view"] == "delete":
        return 403  # nothing is deleted from here
    if view and view["app"] == "axes" and view["view"] == "add":
        return 403  # sign-in records are evidence: read only
    return 200


def _url(name: str, objects: dict) -> str:
    if name == "accounts_user_simple_history":
        user = User.objects.get(pk=objects["accounts.user"])
        return reverse(f"admin:{name}", args=[user.pk, user.history.first().history_id])
    return reverse(f"admin:{name}", kwargs=_kwargs(name, objects))


def _kwargs(name: str, objects: dict) -> dict:
    view = MODEL_URL.match(name)
    if name == "app_list":
        return {"app_label": "core"}
    if name == "view_on_site":
        return {"content_type_id": 1, "object_id": 1}
    if view and view["view"] in ("change", "delete", "history"):
        return {"object_id": objects[f"{view['app']}.{view['model']}"]}
    if view and view["view"] == "password_change":
        return {"id": objects["accounts.user"]}
    return {}


def test_only_reference_data_and_accounts_are_on_the_admin_site():
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert registered == OPERATOR_MODELS
    assert TOTPDevice not in admin.site._registry


def _one_of_each(town, users) -> dict:
    seen = {"username": "nurse", "ip_address": "127.0.0.1", "user_agent": "test"}
    return {
        "core.municipality": town.pk,
        "core.area": Area.objects.create(municipality=town, kind="region", code="1", name="北").pk,
        "core.organisation": users["nurse"].organisation_id,
        "accounts.user": users["nurse"].pk,
        "axes.accessattempt": AccessAttempt.objects.create(failures_since_start=1, **seen).pk,
        "axes.accessfailurelog": AccessFailureLog.objects.create(**seen).pk,
        "axes.accesslog": AccessLog.objects.create(**seen).pk,
    }


@pytest.mark.parametrize("name", ADMIN_URL_NAMES)
def test_every_admin_url_for_every_role(name, users, town):
    objects = _one_of_each(town, users)
    seen = statuses_of(_url(name, objects), users)
    expected = dict.fromkeys(ROLES, 403) | {ANONYMOUS: 302, "operator": _operator_expects(name)}
    assert seen == expected


def test_the_operator_sees_no_personal_data_and_no_secret(users, town):
    _, mother, child = factories.family(town)
    factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    device = TOTPDevice.objects.create(user=users["nurse"], name="phone", confirmed=True)
    client = Client()
    client.force_login(users["operator"])
    objects = _one_of_each(town, users)
    for name in ADMIN_URL_NAMES:
        if _operator_expects(name) != 200:
            continue
        page = client.get(_url(name, objects)).content.decode()
        for secret in (child.given_name, mother.family_kana, "髙橋 美咲さん世帯", device.key):
            assert secret not in page, (name, secret)
    # A delete confirmation would list every row that cascades: it is never shown.
    delete = reverse("admin:core_municipality_delete", kwargs={"object_id": town.pk})
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Municipality.objects.filter(pk=town.pk).exists()


def test_the_operator_changes_a_user_through_the_admin(users):
    client = Client()
    client.force_login(users["operator"])
    url = reverse("admin:accounts_user_change", kwargs={"object_id": users["nurse"].pk})
    form = {
        "username": "nurse",
        "is_active": "on",
        "organisation": users["nurse"].organisation_id,
        "role": "center_staff",
        "display_name": "看護 花子",
        "display_name_kana": "",
        "_save": "1",
    }
    assert client.post(url, form).status_code == 302
    users["nurse"].refresh_from_db()
    assert users["nurse"].display_name == "看護 花子"
    assert users["nurse"].history.first().history_user == users["operator"]


def test_municipal_roles_read_no_admin_site_and_administrators_no_case_data(users, town):
    from tsunagu.access import policy
    from tsunagu.cases.models import Case, Intake
    from tsunagu.people.models import Person

    _, mother, child = factories.family(town)
    factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    for role in ("admin", "operator"):
        for model in (Person, Case, Intake):
            assert not policy.scope(users[role], model.objects.all()).exists(), (role, model)
    assert not users["admin"].is_superuser and not users["admin"].is_staff


def _manage(users):
    client = Client()
    client.force_login(users["admin"])
    return client


def test_an_administrator_manages_only_its_own_municipality(users, other_town):
    neighbours = factories.users(other_town, prefix="n-")
    client = _manage(users)
    listed = client.get(reverse("administration:user_list")).content.decode()
    assert "nurse さん" in listed and "n-nurse" not in listed and "運用 さん" not in listed
    for url_name in ("administration:user_edit", "administration:user_password"):
        assert client.get(reverse(url_name, args=[neighbours["nurse"].pk])).status_code == 404
    reset = reverse("administration:user_reset_second_factor", args=[neighbours["nurse"].pk])
    assert client.post(reset).status_code == 404
    other_org = neighbours["nurse"].organisation_id
    assert (
        client.get(reverse("administration:organisation_edit", args=[other_org])).status_code == 404
    )
    # Registering a user in another municipality's organisation is refused by the form.
    response = client.post(
        reverse("administration:user_create"),
        {
            "username": "intruder",
            "display_name": "侵入 者",
            "organisation": other_org,
            "role": "supervisor",
            "password1": "a-long-enough-password-1",
            "password2": "a-long-enough-password-1",
        },
    )
    assert response.status_code == 200 and not User.objects.filter(username="intruder").exists()
    # And the operator's role cannot be given from these pages.
    form = response.context["form"]
    assert "operator" not in dict(form.fields["role"].choices)


def test_an_administrator_registers_a_user_and_resets_a_lost_phone(users):
    client = _manage(users)
    response = client.post(
        reverse("administration:user_create"),
        {
            "username": "hoken2",
            "display_name": "保健 次郎",
            "display_name_kana": "ホケン ジロウ",
            "organisation": users["nurse"].organisation_id,
            "role": "center_staff",
            "password1": "a-long-enough-password-1",
            "password2": "a-long-enough-password-1",
        },
    )
    assert response.status_code == 302
    made = User.objects.get(username="hoken2")
    assert made.check_password("a-long-enough-password-1")
    assert made.history.get().history_user == users["admin"]

    TOTPDevice.objects.create(user=users["nurse"], name="phone", confirmed=True)
    reset = reverse("administration:user_reset_second_factor", args=[users["nurse"].pk])
    assert client.post(reset).status_code == 302
    assert not TOTPDevice.objects.filter(user=users["nurse"]).exists()
    latest = users["nurse"].history.first()
    assert latest.history_user == users["admin"]
    assert latest.history_change_reason == "2段階認証のリセット(管理者)"


def test_an_administrator_cannot_lock_itself_out_and_a_stale_edit_is_refused(users):
    client = _manage(users)
    admin_user = users["admin"]
    url = reverse("administration:user_edit", args=[admin_user.pk])
    page = client.get(url)
    version = page.context["form"].initial["version"]
    fields = {
        "display_name": "管理 さん",
        "organisation": admin_user.organisation_id,
        "role": "supervisor",
        "is_active": "on",
        "version": version,
    }
    refused = client.post(url, fields)
    assert "自分自身の役割" in refused.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.role == "administrator"

    nurse_url = reverse("administration:user_edit", args=[users["nurse"].pk])
    stale = client.get(nurse_url).context["form"].initial["version"]
    fields = {
        "display_name": "新しい名前",
        "organisation": users["nurse"].organisation_id,
        "role": "center_staff",
        "is_active": "on",
    }
    assert client.post(nurse_url, {**fields, "version": stale}).status_code == 302
    again = client.post(nurse_url, {**fields, "display_name": "別の名前", "version": stale})
    assert "他の職員が更新しました" in again.content.decode()
    without = client.post(nurse_url, {**fields, "display_name": "版なし"})
    assert without.status_code == 200
    users["nurse"].refresh_from_db()
    assert users["nurse"].display_name == "新しい名前"


def test_an_administrator_edits_organisations_and_settings(users, town):
    client = _manage(users)
    created = client.post(
        reverse("administration:organisation_create"),
        {
            "name": "みなと子ども食堂",
            "kind": "cafeteria",
            "name_kana": "",
            "address": "",
            "phone": "",
        },
    )
    assert created.status_code == 302
    assert Organisation.objects.get(name="みなと子ども食堂").municipality == town
    url = reverse("administration:municipality_settings")
    version = client.get(url).context["form"].initial["version"]
    saved = client.post(
        url,
        {
            "name": "テスト市",
            "name_kana": "テストシ",
            "review_interval_months": 2,
            "alert_ack_minutes": 30,
            "referral_reach_days": 10,
            "version": version,
        },
    )
    assert saved.status_code == 302
    town.refresh_from_db()
    assert town.name_kana == "テストシ" and town.review_interval_months == 2
    assert (town.alert_ack_minutes, town.referral_reach_days) == (30, 10)
    assert town.history.first().history_user == users["admin"]
