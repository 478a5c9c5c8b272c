import pytest
from django.test import Client
from django.urls import reverse

from tsunagu.audit.models import AccessLog, AppendOnlyError
from tsunagu.people.models import Person

from . import factories


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_reading_a_person_page_writes_an_access_log_row(users, family):
    _, _, child = family
    url = reverse("people:person_detail", kwargs={"pk": child.pk}) + "?purpose=家庭訪問の準備"
    response = _client(users["nurse"]).get(url)
    assert response.status_code == 200
    assert "髙橋 結衣" in response.content.decode()
    log = AccessLog.objects.get()
    assert (log.user, log.object_type, log.object_id) == (
        users["nurse"],
        "people.person",
        str(child.pk),
    )
    assert log.purpose == "家庭訪問の準備"


def test_a_refused_read_writes_no_view_row(users, family):
    _, _, child = family
    url = reverse("people:person_detail", kwargs={"pk": child.pk})
    assert _client(users["partner"]).get(url).status_code == 403
    assert not AccessLog.objects.exists()


def test_access_log_cannot_be_edited_or_deleted(users, family):
    _, _, child = family
    _client(users["nurse"]).get(reverse("people:person_detail", kwargs={"pk": child.pk}))
    log = AccessLog.objects.get()
    log.purpose = "書き換え"
    with pytest.raises(AppendOnlyError):
        log.save()
    with pytest.raises(AppendOnlyError):
        log.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.update(purpose="書き換え")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get().purpose == ""


def test_change_history_keeps_who_when_and_old_to_new(users, family):
    _, mother, _ = family
    client = _client(users["admin"])
    mother.address = "テスト市新町5-6"
    mother._history_user = users["caseworker"]
    mother.save()
    latest = mother.history.first()
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("address", "", "テスト市新町5-6")]
    # The administrator sees who changed which field of which record, and when — not the
    # values, nor the person's name: administrators read no person.
    page = client.get(reverse("audit:change_history"), {"username": "caseworker"}).content.decode()
    assert "住所" in page and f"#{mother.pk}" in page
    assert "テスト市新町5-6" not in page and "髙橋 美咲" not in page
    # Values are shown where the viewer may read the record: a user of its municipality.
    users["nurse"].display_name = "保健 花子"
    users["nurse"]._history_user = users["admin"]
    users["nurse"].save()
    page = client.get(reverse("audit:change_history"), {"username": "admin"}).content.decode()
    assert "nurse さん → 保健 花子" in page


def test_the_searches_stay_inside_the_viewers_municipality_and_are_logged(
    users, family, other_town
):
    neighbours = factories.users(other_town, prefix="n-")
    _, n_mother, n_child = factories.family(other_town)
    n_mother.address = "となり市本町1-1"
    n_mother._history_user = neighbours["caseworker"]
    n_mother.save()
    _client(neighbours["nurse"]).get(
        reverse("people:person_detail", kwargs={"pk": n_child.pk}) + "?purpose=訪問"
    )
    client = _client(users["admin"])
    changes = client.get(reverse("audit:change_history")).content.decode()
    assert "n-caseworker" not in changes
    theirs = {"model": "people.person", "object_id": n_mother.pk}
    assert (
        "該当する履歴はありません"
        in client.get(reverse("audit:change_history"), theirs).content.decode()
    )
    access = client.get(reverse("audit:access_log")).content.decode()
    assert "n-nurse" not in access
    searches = AccessLog.objects.filter(user=users["admin"], action=AccessLog.Action.SEARCH)
    assert {row.object_type for row in searches} == {"audit.change_history", "audit.accesslog"}


def test_administrator_searches_the_access_log(users, family):
    _, mother, child = family
    url = reverse("people:person_detail", kwargs={"pk": child.pk})
    _client(users["nurse"]).get(url + "?q=タカハシ")
    _client(users["caseworker"]).get(reverse("people:person_detail", kwargs={"pk": mother.pk}))
    page = _client(users["admin"]).get(
        reverse("audit:access_log"), {"username": "nurse", "object_type": "person"}
    )
    html = page.content.decode()
    # Who read which record, when: the record's name and the query it was found by are not
    # shown to an administrator, who may not read the person.
    assert f"people.person #{child.pk}" in html and f"#{mother.pk}<" not in html
    assert "髙橋 結衣" not in html and "タカハシ" not in html
    # The search itself is on the record too.
    assert AccessLog.objects.filter(user=users["admin"], action=AccessLog.Action.SEARCH).exists()


@pytest.mark.parametrize(
    "query",
    [
        {"page": "922337203685477580"},
        {"page": "-5"},
        {"object_id": "abc"},
        {"object_id": "99999999999999999999999"},
        {"date_from": "0001-01-01"},
        {"date_to": "9999-12-31"},
        {"model": "people.nothing"},
    ],
)
def test_search_parameters_never_make_a_server_error(users, query):
    client = _client(users["admin"])
    for name in ("audit:access_log", "audit:change_history"):
        assert client.get(reverse(name), query).status_code == 200, (name, query)


def test_bad_date_range_is_explained_in_japanese(users):
    page = _client(users["admin"]).get(
        reverse("audit:access_log"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert "開始日は終了日より前の日付にしてください。" in page.content.decode()


def test_history_is_kept_for_every_personal_data_model():
    from simple_history.models import registered_models

    from tsunagu.people.models import Household, HouseholdMember

    kept = set(registered_models.values())
    assert {Person, Household, HouseholdMember} <= kept
