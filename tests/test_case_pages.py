"""The case page's own forms, as a worker uses them: corrections of activities, workers and
the key person, restricted notes, registrations carried on and periodic reviews."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tsunagu.accounts.services import create_user
from tsunagu.cases import services
from tsunagu.cases.models import Activity, Case, Registration
from tsunagu.core.models import Organisation
from tsunagu.core.roles import Role

from . import factories


@pytest.fixture
def case(users, family):
    _, mother, child = family
    case = factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    services.add_unit(
        case,
        Organisation.objects.get(kind=Organisation.Kind.UNIT_MATERNAL_HEALTH),
        actor=users["supervisor"],
    )
    return case


def _update(client, case, *, what, **data):
    """Post one form of the case page to its own URL."""
    return client.post(f"/cases/{case.pk}/{what}/", data, follow=True)


def _activity_form(activity, **changes):
    data = {
        "kind": activity.kind,
        "occurred_at": timezone.localtime(activity.occurred_at).strftime("%Y-%m-%dT%H:%M"),
        "content": activity.content,
        "child_seen": "unknown",
        "version": "",
    }
    return data | changes


def test_the_author_corrects_an_activity_within_24_hours(client, users, case):
    activity = factories.activity(users["caseworker"], case)
    client.force_login(users["caseworker"])
    page = client.get(f"/cases/{case.pk}/activities/{activity.pk}/edit/")
    assert "支援記録の修正" in page.content.decode()
    version = page.context["form"].initial["version"]
    client.post(
        f"/cases/{case.pk}/activities/{activity.pk}/edit/",
        _activity_form(activity, content="母に電話。不在のため留守電に伝言。", version=version),
    )
    activity.refresh_from_db()
    assert activity.content == "母に電話。不在のため留守電に伝言。"
    assert case.activities.count() == 1


def test_after_24_hours_a_correction_is_an_amendment_and_the_original_stays(client, users, case):
    activity = factories.activity(users["caseworker"], case)
    Activity.objects.filter(pk=activity.pk).update(created_at=timezone.now() - timedelta(hours=25))
    client.force_login(users["caseworker"])
    page = client.get(f"/cases/{case.pk}/activities/{activity.pk}/edit/")
    assert "元の記録はそのまま残ります" in page.content.decode()
    client.post(
        f"/cases/{case.pk}/activities/{activity.pk}/edit/",
        _activity_form(activity, content="(訂正)電話の相手は母ではなく祖母。"),
    )
    activity.refresh_from_db()
    assert activity.content.startswith("母に電話")
    amendment = case.activities.get(amends=activity)
    assert amendment.content == "(訂正)電話の相手は母ではなく祖母。"
    assert "訂正" in client.get(f"/cases/{case.pk}/").content.decode()


def test_another_worker_can_only_amend(client, users, case):
    activity = factories.activity(users["caseworker"], case)
    client.force_login(users["supervisor"])
    page = client.get(f"/cases/{case.pk}/activities/{activity.pk}/edit/")
    assert "訂正の記録を追加します" in page.content.decode()


def test_a_stale_activity_edit_is_refused_and_says_what_changed(client, users, case):
    activity = factories.activity(users["caseworker"], case)
    client.force_login(users["caseworker"])
    version = client.get(f"/cases/{case.pk}/activities/{activity.pk}/edit/").context["form"]
    version = version.initial["version"]
    services.edit_activity(
        activity, content="別の画面で先に保存した内容", actor=users["caseworker"]
    )
    page = client.post(
        f"/cases/{case.pk}/activities/{activity.pk}/edit/",
        _activity_form(activity, content="古い画面からの保存", version=version),
    )
    assert "他の職員が更新しました" in page.content.decode()
    assert "別の画面で先に保存した内容" in page.content.decode()
    activity.refresh_from_db()
    assert activity.content == "別の画面で先に保存した内容"


def test_the_key_person_moves_to_the_new_one(client, users, case):
    client.force_login(users["caseworker"])
    _update(client, case, what="assignment", worker=users["caseworker"].pk, key_person="on")
    _update(client, case, what="assignment", worker=users["nurse"].pk, key_person="on")
    keys = case.assignments.filter(until=None, is_key_person=True)
    assert [a.worker for a in keys] == [users["nurse"]]
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"{users['nurse']}(キーパーソン)" in page


def test_a_restricted_note_shows_only_to_its_readers_on_the_case_page(client, users, case):
    client.force_login(users["caseworker"])
    _update(
        client, case, what="note", text="避難先: 〇〇シェルター", readers=[users["supervisor"].pk]
    )
    assert "〇〇シェルター" in client.get(f"/cases/{case.pk}/").content.decode()
    client.force_login(users["supervisor"])
    assert "〇〇シェルター" in client.get(f"/cases/{case.pk}/").content.decode()
    # The nurse works on the case too, but is not a named reader.
    client.force_login(users["nurse"])
    page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 200 and "〇〇シェルター" not in page.content.decode()


def test_a_registration_is_carried_on_and_reviewed(client, users, case, family):
    _, mother, child = family
    worker = users["caseworker"]
    first = services.register_with_council(
        case, mother, Registration.Category.EXPECTANT_MOTHER, on=date(2026, 4, 1), actor=worker
    )
    client.force_login(worker)
    _update(
        client,
        case,
        what="continue",
        registration=first.pk,
        person=child.pk,
        category=Registration.Category.SUPPORT,
        on="2026-06-10",
        reason="出産により要支援児童へ",
    )
    first.refresh_from_db()
    assert first.ended_on == date(2026, 6, 10)
    following = Registration.objects.get(continues=first)
    assert following.person == child

    version = client.get(f"/cases/{case.pk}/forms/").context["review_form"].initial["version"]
    page = _update(
        client,
        case,
        what="review",
        reviewed_on="2026-09-01",
        next_review_on="2026-12-01",
        version=version,
    )
    assert "保存しました" in page.content.decode()
    following.refresh_from_db()
    case.refresh_from_db()
    assert following.last_reviewed_on == date(2026, 9, 1)
    assert case.next_review_on == date(2026, 12, 1)
    version = client.get(f"/cases/{case.pk}/forms/").context["review_form"].initial["version"]
    refused = _update(
        client,
        case,
        what="review",
        reviewed_on="2026-12-01",
        next_review_on="2026-11-01",
        version=version,
    )
    assert "今回より後の日付" in refused.content.decode()


def test_a_review_is_refused_to_a_cgc_liaison(users, case):
    case.lead_agency = Case.LeadAgency.CGC
    case.save()
    with pytest.raises(PermissionDenied):
        services.record_review(
            case, reviewed_on=date(2026, 9, 1), next_on=date(2026, 12, 1), actor=users["cgc"]
        )


def test_a_restricted_note_names_only_staff_of_the_case(client, users, case):
    other = create_user(
        username="devstaff",
        password=factories.PASSWORD,
        organisation=Organisation.objects.get(kind=Organisation.Kind.UNIT_DEVELOPMENT),
        role=Role.CENTER_STAFF,
        display_name="発達 さん",
    )
    client.force_login(users["caseworker"])
    form = client.get(f"/cases/{case.pk}/forms/").context["note_form"]
    choices = set(form.fields["readers"].queryset)
    assert users["nurse"] in choices and users["supervisor"] in choices
    assert other not in choices
    page = _update(client, case, what="note", text="避難先: 〇〇", readers=[other.pk])
    assert "入力を確認" in page.content.decode()
    assert not case.restricted_notes.exists()


def test_the_register_marks_an_overdue_review(client, users, case):
    child = case.persons.get(role="child").person
    services.register_with_council(
        case,
        child,
        Registration.Category.SUPPORT,
        on=timezone.localdate(),
        actor=users["caseworker"],
    )
    Case.objects.filter(pk=case.pk).update(next_review_on=timezone.localdate() - timedelta(days=1))
    client.force_login(users["caseworker"])
    page = client.get("/cases/register/").content.decode()
    assert "期限切れ" in page and 'class="overdue"' in page


def test_the_due_list_puts_what_is_urgent_first_and_filters(client, users, family):
    from tsunagu.cases.models import Activity, Intake

    _, mother, child = family
    worker = users["caseworker"]
    today = timezone.localdate()
    urgent = factories.case(worker, [(child, "child")], title="A 世帯")
    routine = factories.case(worker, [(mother, "guardian")], title="B 世帯")
    closed = factories.case(worker, [(mother, "guardian")], title="終結 世帯")
    # The safety checks of the first two cases stay open; the closed case's is closed with it.
    Case.objects.filter(pk=urgent.pk).update(
        risk_rank="A", next_review_on=today + timedelta(days=10)
    )
    Case.objects.filter(pk=routine.pk).update(
        risk_rank="C", next_review_on=today - timedelta(days=365)
    )
    services.close_case(closed, "転出", actor=users["supervisor"])
    action = factories.activity(worker, urgent)
    Activity.objects.filter(pk=action.pk).update(
        next_action="家庭訪問", next_action_due=today - timedelta(days=3)
    )
    client.force_login(worker)
    page = client.get("/cases/due/")
    items = list(page.context["page"].object_list)
    kinds = [(i.kind, i.case.title if i.case else "") for i in items]
    safety = [k for k in kinds if k[0] == "safety_check"]
    assert ("safety_check", "終結 世帯") not in safety and len(safety) == 2
    # Open safety checks first, then overdue by severity (A before C) whatever their age,
    # then what comes next.
    assert kinds[2:] == [
        ("next_action", "A 世帯"),
        ("review", "B 世帯"),
        ("review", "A 世帯"),
    ]
    assert dict(page.context["counts"]) == {
        "安全確認": 2,
        "次の対応": 1,
        "進行管理": 2,
        "会議の対応事項": 0,
        "つなぐ": 0,
        "家庭支援事業のモニタリング": 0,
        "母子保健の要フォロー": 0,
    }
    reviews = client.get("/cases/due/", {"kind": "review"}).context["page"].object_list
    assert [i.kind for i in reviews] == ["review", "review"]
    nobody = client.get("/cases/due/", {"worker": users["nurse"].pk}).context["page"]
    assert list(nobody.object_list) == []
    unit = worker.organisation_id
    mine = client.get("/cases/due/", {"unit": unit}).context["page"].object_list
    assert len(mine) == len(items)
    assert Intake.objects.filter(case=closed, safety_checked_at=None).exists()


def test_who_looked_lists_one_row_per_person_day_and_purpose(client, users, case):
    worker = users["caseworker"]
    client.force_login(worker)
    for _ in range(3):
        client.get(f"/cases/{case.pk}/")
    client.get(f"/cases/{case.pk}/?purpose=家庭訪問の準備")
    client.force_login(users["supervisor"])
    page = client.get(f"/cases/{case.pk}/")
    rows = {(looked.user, looked.purpose): looked.count for looked in page.context["viewers"]}
    assert rows[(worker, "")] == 3 and rows[(worker, "家庭訪問の準備")] == 1
    assert len(page.context["viewers"]) == 3  # and the supervisor's own read


def test_the_supervisor_searches_the_access_log_of_the_center(client, users, case):
    client.force_login(users["caseworker"])
    client.get(f"/cases/{case.pk}/")
    client.force_login(users["supervisor"])
    page = client.get("/audit/access/", {"username": "caseworker"}).content.decode()
    # The supervisor may read the case: its name is shown (an administrator sees only its id).
    assert str(case) in page
