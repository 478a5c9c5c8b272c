import pytest
from django.test import Client
from django.urls import reverse

from tsunagu.audit.models import AccessLog, AppendOnlyError
from tsunagu.people.models import Person


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
    page = client.get(reverse("audit:change_history"), {"username": "caseworker"}).content.decode()
    assert "テスト市新町5-6" in page and "住所" in page
    assert "髙橋 美咲" in page


def test_administrator_searches_the_access_log(users, family):
    _, mother, child = family
    _client(users["nurse"]).get(reverse("people:person_detail", kwargs={"pk": child.pk}))
    _client(users["caseworker"]).get(reverse("people:person_detail", kwargs={"pk": mother.pk}))
    page = _client(users["admin"]).get(
        reverse("audit:access_log"), {"username": "nurse", "object_type": "person"}
    )
    html = page.content.decode()
    assert "髙橋 結衣" in html and "髙橋 美咲" not in html
    # The search itself is on the record too.
    assert AccessLog.objects.filter(user=users["admin"], action=AccessLog.Action.SEARCH).exists()


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
