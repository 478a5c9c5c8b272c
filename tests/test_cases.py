"""Cases: intake, the case file, council registration, activities, assessments and access."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.cases import selectors as cases_selectors
from tsunagu.cases import services
from tsunagu.cases.models import (
    Activity,
    AssessmentForm,
    Case,
    CaseOrganisation,
    ConsultationCategory,
    Intake,
    Registration,
)
from tsunagu.core.models import Organisation
from tsunagu.people import services as people_services

from . import factories
from .matrix import rights

Kind = Organisation.Kind


def _category(code: str) -> ConsultationCategory:
    return ConsultationCategory.objects.get(code=code, is_current=True)


def _intake(actor, persons, *, category="care.abuse", received_at=None) -> Intake:
    intake = Intake(
        received_at=received_at or timezone.now(),
        channel=Intake.Channel.PHONE,
        source=Intake.Source.SCHOOL,
        category=_category(category),
        abuse_neglect=category == "care.abuse",
        urgency=Intake.Urgency.TODAY,
        summary="登校時に空腹を訴え、衣服の汚れが続いている。",
    )
    return services.receive_intake(intake, persons, actor=actor)


@pytest.fixture
def case(users, family):
    _, mother, child = family
    intake = _intake(users["caseworker"], [(child, "child"), (mother, "guardian")])
    return services.open_case(intake, title="髙橋 美咲さん世帯", actor=users["caseworker"])


@pytest.mark.django_db
def test_the_national_category_list_is_data_with_its_groups():
    groups = set(ConsultationCategory.objects.values_list("group", flat=True))
    assert groups == {"養護相談", "保健相談", "障害相談", "非行相談", "育成相談", "その他の相談"}
    assert _category("upbringing.school_refusal").name == "不登校相談"
    assert list(
        ConsultationCategory.objects.filter(is_abuse=True).values_list("name", flat=True)
    ) == ["児童虐待相談"]


def test_an_abuse_report_is_due_for_a_safety_check_within_48_hours(users, family):
    _, _, child = family
    received = timezone.now() - timedelta(hours=1)
    intake = _intake(users["caseworker"], [(child, "child")], received_at=received)
    assert intake.is_abuse_report and intake.safety_check_due == received + timedelta(hours=48)
    assert intake.number.endswith("-00001") and intake.abuse_types == ["ネグレクト"]
    second = _intake(users["caseworker"], [(child, "child")], category="upbringing.parenting")
    assert second.number.endswith("-00002") and second.safety_check_due is None


def test_sighting_the_child_settles_the_safety_check(users, case):
    intake = case.intakes.get()
    assert intake.safety_checked_at is None
    seen = Activity(
        kind=Activity.Kind.VISIT,
        occurred_at=timezone.now(),
        content="家庭訪問。本人の姿を確認、外傷なし。",
        child_seen=True,
    )
    services.record_activity(case, seen, actor=users["caseworker"])
    intake.refresh_from_db()
    assert intake.safety_checked_at == seen.occurred_at


def test_an_abuse_report_cannot_be_closed_with_advice_only(users, family):
    intake = _intake(users["caseworker"], [(family[2], "child")])
    with pytest.raises(ValidationError):
        services.close_with_advice(intake, "助言", actor=users["caseworker"])


def test_case_is_seen_by_its_units_the_supervisor_and_a_cgc_co_worker_only(users, case):
    assert policy.can_view(users["caseworker"], case)
    expected = rights(view={"caseworker", "supervisor"}, change={"caseworker", "supervisor"})
    assert {
        r: (policy.can_view(u, case), policy.can_change(u, case)) for r, u in users.items()
    } == (expected)
    services.add_unit(case, users["nurse"].organisation, actor=users["caseworker"])
    cgc = users["cgc"].organisation
    services.involve_organisation(
        case, cgc, CaseOrganisation.Role.CO_WORKER, actor=users["caseworker"]
    )
    seen = {role for role, user in users.items() if policy.can_view(user, case)}
    assert seen == {"caseworker", "nurse", "supervisor", "cgc"}
    assert not policy.can_change(users["cgc"], case)
    # ... and the persons of the case, through the case
    child = case.persons.get(role="child").person
    seen = {role for role, user in users.items() if policy.can_view(user, child)}
    assert seen == {"caseworker", "nurse", "supervisor", "cgc"}


def test_a_unit_added_to_the_case_sees_its_persons(users, town, case):
    development = Organisation.objects.get(municipality=town, kind=Kind.UNIT_DEVELOPMENT)
    child = case.persons.get(role="child").person
    worker = users["nurse"]
    worker.organisation = development
    worker.save()
    assert not policy.can_view(worker, child)
    services.add_unit(case, development, actor=users["caseworker"])
    assert policy.can_view(worker, child) and policy.can_view(worker, case)


def test_break_the_glass_needs_a_reason_and_expires(users, case):
    nurse = users["nurse"]
    assert not policy.can_view(nurse, case)
    with pytest.raises(ValidationError):
        services.break_glass(case, "確認", actor=nurse)
    grant = services.break_glass(case, "夜間に救急外来から照会があったため確認する", actor=nurse)
    assert policy.can_view(nurse, case)
    assert grant.expires_at - grant.started_at == timedelta(hours=3)
    grant.expires_at = timezone.now() - timedelta(seconds=1)
    grant.save()
    assert not policy.can_view(nurse, case)
    with pytest.raises(PermissionDenied):
        services.break_glass(
            case, "夜間に救急外来から照会があったため確認する", actor=users["partner"]
        )


def test_break_the_glass_reads_but_never_writes(users, case, client):
    """緊急閲覧 is reading only: a nurse who broke the glass cannot record, rank or close, on
    the pages or through the services, until she is assigned to the case."""
    nurse = users["nurse"]
    services.break_glass(case, "夜間に救急外来から照会があったため確認する", actor=nurse)
    assert policy.can_view(nurse, case) and not policy.can_change(nurse, case)
    with pytest.raises(PermissionDenied):
        factories.activity(nurse, case, content="緊急閲覧中の記録")
    with pytest.raises(PermissionDenied):
        services.change_rank(case, Case.Rank.A, reason="緊急閲覧中", actor=nurse)
    client.force_login(nurse)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    client.post(f"/cases/{case.pk}/rank/", {"rank": "A", "version": 1})
    case.refresh_from_db()
    assert case.risk_rank == "" and not case.activities.exists()
    assert client.get(f"/cases/{case.pk}/activities/new/").status_code in (403, 404)
    # Once assigned, she works on the case like any of its workers.
    services.assign_worker(case, nurse, actor=users["caseworker"])
    assert policy.can_change(nurse, case)
    factories.activity(nurse, case, content="担当として記録")
    assert case.activities.count() == 1


def test_an_expectant_mothers_registration_continues_as_her_childs(users, case):
    mother = case.persons.get(role="guardian").person
    child = case.persons.get(role="child").person
    first = services.register_with_council(
        case,
        mother,
        Registration.Category.EXPECTANT_MOTHER,
        on=date(2026, 1, 10),
        actor=users["caseworker"],
    )
    with pytest.raises(ValidationError):
        services.register_with_council(
            case,
            mother,
            Registration.Category.SUPPORT,
            on=date(2026, 2, 1),
            actor=users["caseworker"],
        )
    following = services.continue_registration(
        first,
        person=child,
        category=Registration.Category.SUPPORT,
        on=date(2026, 3, 2),
        reason="出産",
        actor=users["caseworker"],
    )
    first.refresh_from_db()
    assert first.ended_on == date(2026, 3, 2) and following.continues == first
    assert list(case.registrations.values_list("category", flat=True)) == [
        "expectant_mother",
        "support",
    ]


def test_an_activity_is_editable_by_its_author_for_24_hours_then_only_amended(users, case):
    worker = users["caseworker"]
    activity = services.record_activity(
        case,
        Activity(kind=Activity.Kind.CALL, occurred_at=timezone.now(), content="母に電話。"),
        actor=worker,
    )
    services.edit_activity(activity, content="母に電話。不在。", actor=worker)
    with pytest.raises(PermissionDenied):
        services.edit_activity(activity, content="上書き", actor=users["supervisor"])
    Activity.objects.filter(pk=activity.pk).update(created_at=timezone.now() - timedelta(hours=25))
    activity.refresh_from_db()
    with pytest.raises(ValidationError):
        services.edit_activity(activity, content="後から書き換え", actor=worker)
    amendment = services.amend_activity(
        activity,
        Activity(kind=Activity.Kind.CALL, occurred_at=activity.occurred_at, content="訂正: 留守電"),
        actor=worker,
    )
    activity.refresh_from_db()
    assert activity.content == "母に電話。不在。" and amendment.amends == activity


def test_the_urgency_assessment_level_follows_the_versioned_items(users, case):
    form = AssessmentForm.objects.get(kind="urgency", is_current=True)
    done = services.record_assessment(
        case, form, {"repeats": True, "home_risk": True}, actor=users["caseworker"]
    )
    assert done.level == "保護・集中的支援の検討"
    calm = services.record_assessment(case, form, {"home_risk": False}, actor=users["caseworker"])
    assert calm.level == "在宅での見守り"
    with pytest.raises(ValidationError):
        services.record_assessment(case, form, {"no_such_item": True}, actor=users["caseworker"])


def test_a_stale_edit_of_the_case_is_refused(users, case):
    seen = services.case_version(case)
    services.change_rank(case, Case.Rank.B, reason="通告の継続", actor=users["supervisor"])
    with pytest.raises(ValidationError, match="他の職員が更新") as refused:
        services.change_rank(case, Case.Rank.C, seen_version=seen, actor=users["caseworker"])
    # The refusal says what the other worker changed, and who.
    assert "リスクランク: (空欄) → B" in refused.value.messages[0]
    assert str(users["supervisor"]) in refused.value.messages[0]
    case.refresh_from_db()
    assert case.risk_rank == "B" and case.rank_changes.count() == 1


def test_closing_needs_a_reason_and_the_supervisors_approval(users, case):
    worker, supervisor = users["caseworker"], users["supervisor"]
    with pytest.raises(ValidationError, match="終結の申請"):
        services.change_status(case, Case.Status.CLOSED, reason="転出", actor=worker)
    with pytest.raises(ValidationError, match="理由"):
        services.request_closure(case, " ", actor=worker)
    request = services.request_closure(case, "支援の目標を達成", actor=worker)
    with pytest.raises(ValidationError, match="すでに申請"):
        services.request_closure(case, "もう一度", actor=worker)
    with pytest.raises(PermissionDenied):
        services.decide_closure(request, approve=True, actor=worker)
    case.refresh_from_db()
    assert case.status != Case.Status.CLOSED
    services.decide_closure(request, approve=True, actor=supervisor)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.closed_on == timezone.localdate()


def test_a_refused_closure_leaves_the_case_open_and_says_why(users, case):
    request = services.request_closure(case, "連絡が取れない", actor=users["caseworker"])
    with pytest.raises(ValidationError, match="理由"):
        services.decide_closure(request, approve=False, actor=users["supervisor"])
    services.decide_closure(
        request, approve=False, note="安全確認が済むまで継続", actor=users["supervisor"]
    )
    case.refresh_from_db()
    assert case.status != Case.Status.CLOSED
    assert case.closure_requests.get().decision_note == "安全確認が済むまで継続"


def test_a_closed_case_reopens_with_its_history(users, case, family):
    worker, child = users["caseworker"], family[2]
    services.register_with_council(case, child, "support", on=timezone.localdate(), actor=worker)
    services.close_case(case, "転出", actor=users["supervisor"])
    assert case.registrations.get().ended_on == timezone.localdate()
    with pytest.raises(ValidationError, match="再開の理由"):
        services.reopen_case(case, "", actor=worker)
    services.reopen_case(case, "転入により再開", actor=worker)
    statuses = list(case.status_changes.values_list("status", flat=True))
    assert statuses == ["received", "closed", "supporting"]
    assert services.case_version(case) > 0
    assert cases_selectors.cases_for(worker, text=case.number).get() == case


def test_a_restricted_note_is_read_only_by_the_named_workers(users, case):
    note = services.write_restricted_note(
        case, "避難先: 〇〇シェルター", readers=[], actor=users["caseworker"]
    )
    assert policy.can_view(users["caseworker"], note)
    assert not policy.can_view(users["supervisor"], note)


def test_the_register_exports_to_xlsx_with_japanese_headers(client, users, case):
    from io import BytesIO

    from openpyxl import load_workbook

    child = case.persons.get(role="child").person
    services.register_with_council(
        case, child, Registration.Category.SUPPORT, on=date(2026, 4, 1), actor=users["caseworker"]
    )
    client.force_login(users["caseworker"])
    response = client.get("/cases/register.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("ケース番号", "ケース名", "氏名", "フリガナ", "生年月日", "区分")
    assert rows[1][2] == "髙橋 結衣" and rows[1][5] == "要支援児童"


def test_case_search_finds_a_person_by_kana_and_old_kanji(client, users, case):
    client.force_login(users["caseworker"])
    for text in ("ﾀｶﾊｼ", "高橋 結衣", case.number):
        page = client.get("/cases/", {"q": text}).content.decode()
        assert case.title in page, text
    assert case.title not in client.get("/cases/", {"q": "スズキ"}).content.decode()


def test_case_search_follows_a_change_of_name(client, users, family, case):
    _, mother, _ = family
    seen = people_services.person_version(mother)
    mother.family_name, mother.family_kana = "鈴木", "スズキ"
    people_services.update_person(mother, seen_version=seen, actor=users["caseworker"])
    client.force_login(users["caseworker"])
    assert case.title in client.get("/cases/", {"q": "すずき"}).content.decode()


def test_the_due_list_shows_an_overdue_safety_check(client, users, family):
    _, _, child = family
    received = timezone.now() - timedelta(hours=50)
    intake = _intake(users["caseworker"], [(child, "child")], received_at=received)
    client.force_login(users["caseworker"])
    page = client.get("/cases/due/").content.decode()
    assert f"安全確認 {intake.number}" in page and "期限切れ" in page
    client.force_login(users["nurse"])
    assert intake.number not in client.get("/cases/due/").content.decode()


def test_opening_an_outside_case_asks_for_a_reason_and_is_logged(client, users, case):
    from tsunagu.audit.models import AccessLog

    client.force_login(users["nurse"])
    assert client.get(f"/cases/{case.pk}/").url == f"/cases/{case.pk}/break-glass/"
    reason = "夜間に救急外来から照会があったため確認する"
    response = client.post(f"/cases/{case.pk}/break-glass/", {"reason": reason})
    assert response.status_code == 302
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert AccessLog.objects.filter(user=users["nurse"], purpose__contains="緊急閲覧").exists()
    client.force_login(users["supervisor"])
    assert reason in client.get("/cases/break-glass/").content.decode()
    assert "nurse さん" in client.get(f"/cases/{case.pk}/").content.decode()


def test_intake_to_case_through_the_pages(client, users, family, town):
    _, mother, child = family
    client.force_login(users["caseworker"])
    form = client.get(f"/cases/intakes/new/?person={child.pk}&person={mother.pk}")
    assert "髙橋 結衣" in form.content.decode()
    category = _category("care.abuse")
    data = {
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": "phone",
        "source": "school",
        "category": category.pk,
        "urgency": "today",
        "summary": "顔にあざがある。",
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-person": child.pk,
        "form-0-role": "child",
        "form-1-person": mother.pk,
        "form-1-role": "guardian",
        "form-person": [child.pk, mother.pk],
    }
    refused = client.post("/cases/intakes/new/", data)
    assert "虐待の種類を1つ以上選んでください" in refused.content.decode()
    saved = client.post("/cases/intakes/new/", {**data, "abuse_physical": "on"})
    intake = Intake.objects.get()
    assert saved.url == f"/cases/intakes/{intake.pk}/"
    assert set(intake.persons.values_list("role", flat=True)) == {"child", "guardian"}
    opened = client.post(f"/cases/intakes/{intake.pk}/open/", {"title": "髙橋さん世帯"})
    case = Case.objects.get()
    assert opened.url == f"/cases/{case.pk}/"
    nurse_unit = users["nurse"].organisation
    client.post(f"/cases/{case.pk}/unit/", {"unit": nurse_unit.pk})
    for path in (
        f"/cases/{case.pk}/",
        f"/cases/{case.pk}/activities/new/",
        f"/cases/{case.pk}/assessments/urgency/",
        f"/cases/{case.pk}/assessments/home_support/",
    ):
        assert client.get(path).status_code == 200, path
    client.force_login(users["nurse"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "顔にあざがある。" in page and "母子保健" in page


def test_a_long_timeline_shows_the_newest_entries_and_a_link_to_older_ones(client, users, case):
    start = timezone.now() - timedelta(days=100)
    Activity.objects.bulk_create(
        Activity(
            case=case,
            kind=Activity.Kind.CALL,
            occurred_at=start + timedelta(days=day),
            author=users["caseworker"],
            content=f"電話 {day:03d}",
        )
        for day in range(60)
    )
    client.force_login(users["caseworker"])
    page = client.get(f"/cases/{case.pk}/", {"kind": "activity"}).content.decode()
    assert "電話 059" in page and "電話 010" in page and "電話 009" not in page
    assert "さらに古い記録を表示" in page
    older = client.get(f"/cases/{case.pk}/", {"kind": "activity", "more": 2}).content.decode()
    assert "電話 000" in older and "さらに古い記録を表示" not in older


def test_the_intake_sheet_prints_as_a4_with_both_calendars_and_furigana(client, users, case):
    from io import BytesIO

    from pypdf import PdfReader

    from tsunagu.audit.models import AccessLog

    intake = case.intakes.get()
    client.force_login(users["caseworker"])
    response = client.get(f"/cases/intakes/{intake.pk}/print.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(BytesIO(response.content))
    width, height = (float(x) for x in pdf.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf.pages[0].extract_text()
    for expected in (
        "受付票",
        intake.number,
        "髙橋 結衣",
        "タカハシ ユイ",
        "平成31年4月1日",
        "2019-04-01",
    ):
        assert expected in text, expected
    assert AccessLog.objects.filter(action="print", object_id=str(intake.pk)).exists()


def test_an_intake_takes_only_persons_the_worker_may_see(client, users, town):
    hidden = factories.person(town, "蓮", "レン", date(2020, 5, 5), family_name="秘匿")
    factories.known_to(hidden, Kind.UNIT_MATERNAL_HEALTH)
    client.force_login(users["caseworker"])
    refused = client.post(
        "/cases/intakes/new/",
        {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0", "add_person": str(hidden.pk)},
    )
    assert refused.status_code == 404
    client.force_login(users["nurse"])
    added = client.post(
        "/cases/intakes/new/",
        {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0", "add_person": str(hidden.pk)},
    )
    assert added.status_code == 200
    assert "秘匿 蓮" in added.content.decode() and 'value="' + str(hidden.pk) in (
        added.content.decode()
    )


def test_case_search_finds_a_merged_record_by_the_persons_current_name(client, users, case):
    child = case.persons.get(role="child").person
    newer = factories.person(
        child.municipality,
        "結衣",
        "ユイ",
        child.birth_date,
        family_name="鈴木",
        family_kana="スズキ",
    )
    client.force_login(users["caseworker"])

    def found(text: str) -> bool:
        return case.title in client.get("/cases/", {"q": text}).content.decode()

    assert not found("鈴木 結衣")
    merge = people_services.merge_persons(newer, child, actor=users["supervisor"])
    assert found("鈴木 結衣") and found("すずき")
    seen = people_services.person_version(newer)
    newer.family_name, newer.family_kana = "中島", "ナカジマ"
    people_services.update_person(newer, seen_version=seen, actor=users["supervisor"])
    assert found("中島 結衣")
    people_services.undo_merge(merge, actor=users["supervisor"])
    assert not found("中島 結衣") and found("髙橋 結衣")


@pytest.mark.parametrize(
    ("written", "typed"), [("齋藤", "斉藤"), ("斉藤", "齋藤"), ("斎藤", "斉藤")]
)
def test_case_search_finds_often_confused_kanji_both_ways(client, users, family, written, typed):
    _, mother, child = family
    for person in (mother, child):
        seen = people_services.person_version(person)
        person.family_name, person.family_kana = written, "サイトウ"
        people_services.update_person(person, seen_version=seen, actor=users["caseworker"])
    case = factories.case(users["caseworker"], [(child, "child")], title="ケースA")
    client.force_login(users["caseworker"])
    assert case.title in client.get("/cases/", {"q": typed}).content.decode()
    assert case.title not in client.get("/cases/", {"q": "佐藤"}).content.decode()
