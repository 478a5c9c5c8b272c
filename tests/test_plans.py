"""Support plans, conferences, the periodic review and hand-offs (issue 17)."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.cases import selectors as case_selectors
from tsunagu.cases import services as case_services
from tsunagu.cases.models import Case, CasePerson
from tsunagu.core.models import Organisation
from tsunagu.plans import services, summary
from tsunagu.plans.models import ActionItem, Conference, HandOff, PlanItem, PlanTask, SupportPlan
from tsunagu.plans.selectors import review_queue

from . import factories


@pytest.fixture
def case(users, family):
    _, mother, child = family
    return factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])


def _ready_plan(case, worker) -> SupportPlan:
    plan = services.start_plan(case, actor=worker)
    services.add_plan_item(plan, PlanItem(kind="other", name="家事支援"), actor=worker)
    services.add_plan_task(plan, PlanTask(party="family", what="毎朝の登校"), actor=worker)
    return services.edit_plan(
        plan,
        goal_short="毎日登校できる",
        review_on=timezone.localdate() + timedelta(days=90),
        agreed_on=timezone.localdate(),
        agreement="interview",
        agreed_by="母",
        actor=worker,
    )


# --- plans -----------------------------------------------------------------------------------


def test_a_plan_is_in_force_only_once_the_supervisor_approves_it(users, case):
    worker, supervisor = users["caseworker"], users["supervisor"]
    plan = services.start_plan(case, actor=worker)
    with pytest.raises(ValidationError, match=r"短期目標.*支援内容.*見直し予定日.*家族の同意"):
        services.submit_plan(plan, actor=worker)
    plan = _ready_plan_from(plan, worker)
    services.submit_plan(plan, actor=worker)
    with pytest.raises(ValidationError, match="変更できません"):
        services.edit_plan(plan, goal_short="別の目標", actor=worker)
    with pytest.raises(PermissionDenied):
        services.approve_plan(plan, actor=worker)
    services.approve_plan(plan, actor=supervisor)
    plan.refresh_from_db()
    assert plan.status == SupportPlan.Status.APPROVED and plan.approved_by == supervisor
    with pytest.raises(ValidationError, match="変更できません"):
        services.add_plan_item(plan, PlanItem(kind="other", name="追加"), actor=worker)


def _ready_plan_from(plan, worker):
    services.add_plan_item(plan, PlanItem(kind="other", name="家事支援"), actor=worker)
    return services.edit_plan(
        plan,
        goal_short="毎日登校できる",
        review_on=date(2027, 2, 24),
        agreed_on=date(2026, 11, 20),
        agreement="visit",
        agreed_by="母 髙橋 美咲",
        actor=worker,
    )


def test_a_new_version_starts_from_the_last_and_the_old_one_stays_readable(users, case):
    worker, supervisor = users["caseworker"], users["supervisor"]
    first = _ready_plan(case, worker)
    services.submit_plan(first, actor=worker)
    services.approve_plan(first, actor=supervisor)
    second = services.start_plan(case, actor=worker)
    assert second.version == 2 and second.based_on == first
    assert [i.title for i in second.items.all()] == ["家事支援"]
    assert second.goal_short == "毎日登校できる" and second.agreed_on is None
    with pytest.raises(ValidationError, match="作成中または承認待ち"):
        services.start_plan(case, actor=worker)
    second = services.edit_plan(
        second,
        agreed_on=timezone.localdate(),
        agreement="phone",
        agreed_by="母",
        goal_short="週4日登校",
        actor=worker,
    )
    services.submit_plan(second, actor=worker)
    services.approve_plan(second, actor=supervisor)
    first.refresh_from_db()
    assert first.status == SupportPlan.Status.SUPERSEDED and first.goal_short == "毎日登校できる"
    assert policy.can_view(worker, first)


def test_a_returned_version_goes_back_to_its_drafter_with_the_reason(users, case):
    plan = _ready_plan(case, users["caseworker"])
    services.submit_plan(plan, actor=users["caseworker"])
    with pytest.raises(ValidationError, match="理由"):
        services.return_plan(plan, " ", actor=users["supervisor"])
    services.return_plan(plan, "長期目標を家族と話し合って", actor=users["supervisor"])
    plan.refresh_from_db()
    assert plan.status == SupportPlan.Status.DRAFT and "長期目標" in plan.return_note


def test_a_directory_entry_or_a_catalogue_service_must_be_chosen_for_its_kind(users, case, town):
    plan = services.start_plan(case, actor=users["caseworker"])
    with pytest.raises(ValidationError, match="いずれか"):
        services.add_plan_item(plan, PlanItem(kind="directory"), actor=users["caseworker"])
    place = factories.resource(town, "本町こども食堂")
    item = services.add_plan_item(
        plan, PlanItem(kind="directory", resource=place.service), actor=users["caseworker"]
    )
    assert item.title == "本町こども食堂"


# --- conferences and the periodic review -------------------------------------------------


def _registered_cases(users, town, count: int, overdue_by: int = 10) -> list[Case]:
    """``count`` council-registered cases of the caseworker, each overdue for review."""
    worker, today = users["caseworker"], timezone.localdate()
    made = []
    for i in range(count):
        child = factories.person(town, f"子{i}", "コ", date(2018, 1, 1) + timedelta(days=i))
        factories.known_to(child, Organisation.Kind.UNIT_CHILD_WELFARE)
        case = factories.case(worker, [(child, "child")], title=f"世帯{i}")
        case_services.register_with_council(
            case, child, "support", on=today - timedelta(days=200), actor=worker
        )
        case.refresh_from_db()
        case.next_review_on = today - timedelta(days=overdue_by + i)
        case_services.record_review(
            case,
            reviewed_on=today - timedelta(days=120),
            next_on=case.next_review_on,
            actor=worker,
        )
        made.append(case)
    return made


def test_registering_a_case_sets_its_first_review_by_the_citys_interval(users, case, family, town):
    town.review_interval_months = 2
    town.save()
    case_services.register_with_council(
        case, family[2], "support", on=date(2026, 11, 1), actor=users["caseworker"]
    )
    case.refresh_from_db()
    assert case.next_review_on == date(2027, 1, 1)


def test_thirty_overdue_cases_are_reviewed_in_one_sitting(users, town, client):
    supervisor, worker, nurse = users["supervisor"], users["caseworker"], users["nurse"]
    cases = _registered_cases(users, town, 30)
    queue = list(review_queue(supervisor))
    assert {c.pk for c in cases} <= {c.pk for c in queue}
    client.force_login(supervisor)
    page = client.get("/plans/reviews/")
    assert page.status_code == 200 and page.content.decode().count("期限切れ") >= 30

    held_on = timezone.localdate()
    response = client.post(
        "/plans/reviews/agenda/",
        {"held_on": held_on.isoformat(), "case": [c.pk for c in cases]},
    )
    conference = Conference.objects.get(kind="practitioners")
    assert response.url == f"/plans/conferences/{conference.pk}/"
    assert conference.discussions.count() == 30
    for index, discussion in enumerate(conference.discussions.order_by("order")):
        prefix = f"d{discussion.pk}"
        owner = worker if index % 2 else nurse
        posted = client.post(
            f"/plans/conferences/{conference.pk}/cases/{discussion.pk}/decision/",
            {
                f"{prefix}-policy": "在宅で見守りを続ける",
                f"{prefix}-rank": "C",
                f"{prefix}-action1_what": "学校に出席状況を確認",
                f"{prefix}-action1_owner": owner.pk,
                f"{prefix}-action1_due_on": (held_on + timedelta(days=14)).isoformat(),
            },
            HTTP_HX_REQUEST="true",
        )
        assert posted.status_code == 200 and "決定を記録" in posted.content.decode()
    for case in cases:
        case.refresh_from_db()
        # The city's interval (three months) after the meeting.
        assert case.next_review_on == held_on + relativedelta(months=3)
        assert case.risk_rank == "C"
        assert case.registrations.get().last_reviewed_on == held_on
        assert case.activities.filter(kind="meeting").exists()
    assert list(review_queue(supervisor, held_on)) == []
    mine = case_selectors.due_for(worker, filters=case_selectors.DueFilters(worker=worker.pk))
    nurse_items = case_selectors.due_for(nurse, filters=case_selectors.DueFilters(worker=nurse.pk))
    assert sum(item.kind == "action_item" for item in mine) == 15
    assert sum(item.kind == "action_item" for item in nurse_items) == 15


def test_a_decision_cannot_be_recorded_twice(users, case):
    conference = services.hold_conference(
        Conference(kind="individual", held_on=timezone.localdate()),
        cases=[case],
        actor=users["caseworker"],
    )
    discussion = conference.discussions.get()
    services.record_decision(
        discussion, services.Decision(policy="見守り"), actor=users["caseworker"]
    )
    with pytest.raises(ValidationError, match="すでに記録"):
        services.record_decision(discussion, services.Decision(), actor=users["caseworker"])


def test_an_outside_member_sees_only_attended_conferences_and_their_cases(
    users, case, family, client
):
    worker, partner = users["caseworker"], users["partner"]
    today = timezone.localdate()
    other = factories.case(worker, [(family[1], "guardian")], title="別の世帯")
    attended = services.hold_conference(
        Conference(kind="individual", held_on=today), users=[partner], cases=[case], actor=worker
    )
    missed = services.hold_conference(
        Conference(kind="individual", held_on=today), cases=[other], actor=worker
    )
    client.force_login(partner)
    assert client.get(f"/plans/conferences/{attended.pk}/").status_code == 200
    assert client.get(f"/plans/conferences/{missed.pk}/").status_code == 404
    assert client.get(f"/api/conferences/{missed.pk}/").status_code == 404
    data = client.get(f"/api/conferences/{attended.pk}/").json()
    assert [c["case"] for c in data["cases"]] == [case.number]
    listed = client.get("/plans/conferences/").content.decode()
    assert f"/plans/conferences/{attended.pk}/" in listed
    assert f"/plans/conferences/{missed.pk}/" not in listed
    # Attending shows the discussion, never the case file.
    assert client.get(f"/cases/{case.pk}/").status_code == 403


# --- hand-offs -----------------------------------------------------------------------------


def test_a_referral_the_cgc_accepts_gives_its_liaison_the_case(users, case):
    cgc = users["cgc"]
    referral = services.request_handoff(
        case,
        "referral",
        counterpart=cgc.organisation,
        reason="一時保護の検討",
        actor=users["caseworker"],
    )
    assert policy.can_view(cgc, referral) and not policy.can_view(cgc, case)
    with pytest.raises(PermissionDenied):
        services.answer_handoff(referral, accept=True, actor=users["caseworker"])
    services.answer_handoff(referral, accept=True, actor=cgc)
    case.refresh_from_db()
    assert policy.can_view(cgc, case) and case.lead_agency == "cgc"
    assert policy.can_view(cgc, case.persons.get(role=CasePerson.Role.CHILD).person)


def test_a_returned_referral_does_not(users, case):
    cgc = users["cgc"]
    referral = services.request_handoff(
        case,
        "referral",
        counterpart=cgc.organisation,
        reason="一時保護の検討",
        actor=users["caseworker"],
    )
    with pytest.raises(ValidationError, match="返戻の理由"):
        services.answer_handoff(referral, accept=False, actor=cgc)
    services.answer_handoff(referral, accept=False, answer="在宅支援で対応可能", actor=cgc)
    referral.refresh_from_db()
    assert referral.status == HandOff.Status.RETURNED
    assert not policy.can_view(cgc, case)


def test_a_transfer_out_closes_the_case_and_its_summary_arrives_as_an_intake(
    users, case, other_town, client
):
    worker, supervisor = users["caseworker"], users["supervisor"]
    plan = _ready_plan(case, worker)
    case_services.write_restricted_note(case, "避難先: 〇〇シェルター", readers=[], actor=worker)
    transfer = services.request_handoff(
        case, "transfer_out", counterpart_municipality="静岡県浜松市", reason="転居", actor=worker
    )
    services.answer_handoff(transfer, accept=True, answer="受け入れ", actor=worker)
    for not_allowed in (users["nurse"], worker):  # closing the case is the supervisor's
        with pytest.raises(PermissionDenied):
            services.complete_handoff(transfer, actor=not_allowed)
    data = summary.case_summary(case, reason="転居", on=timezone.localdate())
    services.complete_handoff(transfer, actor=supervisor)
    case.refresh_from_db()
    plan.refresh_from_db()
    assert case.status == Case.Status.CLOSED and policy.can_view(worker, case)
    assert plan.status == SupportPlan.Status.CLOSED
    assert "シェルター" not in str(data)

    # The new city reads the file back: an intake of its unit with the summary attached.
    there = factories.users(other_town, prefix="hamamatsu-")
    factories.ensure_code_lists()
    from tsunagu.cases.models import ConsultationCategory

    category = ConsultationCategory.objects.filter(is_current=True).first()
    arrived = services.receive_transfer(
        data, category=category, raw=b"{}", actor=there["caseworker"]
    )
    assert arrived.intake.persons.count() == 2 and arrived.received_summary["case"]["number"]
    client.force_login(there["caseworker"])
    intake_page = client.get(f"/cases/intakes/{arrived.intake_id}/").content.decode()
    assert "移管(転入)で受け付けました" in intake_page and case.number in intake_page
    assert policy.can_view(there["caseworker"], arrived)
    assert not policy.can_view(there["caseworker"], case)
    with pytest.raises(ValidationError, match="ケース概要"):
        services.receive_transfer({"format": "x"}, category=category, actor=there["caseworker"])


# --- closing ------------------------------------------------------------------------------


def test_closing_a_case_closes_its_plans_and_action_items(users, case):
    worker, supervisor = users["caseworker"], users["supervisor"]
    plan = services.start_plan(case, actor=worker)
    conference = services.hold_conference(
        Conference(kind="individual", held_on=timezone.localdate()), cases=[case], actor=worker
    )
    action = services.Action("家庭訪問", timezone.localdate() + timedelta(days=3), owner=worker)
    services.record_decision(
        conference.discussions.get(), services.Decision(actions=[action]), actor=worker
    )
    request = case_services.request_closure(case, "目標を達成", actor=worker)
    case_services.decide_closure(request, approve=True, actor=supervisor)
    plan.refresh_from_db()
    assert plan.status == SupportPlan.Status.CLOSED
    assert ActionItem.objects.get().status == ActionItem.Status.CANCELLED
    assert not [i for i in case_selectors.due_for(worker) if i.kind == "action_item"]


def test_the_cgc_delegates_guidance_and_the_center_answers(users, case):
    cgc, worker = users["cgc"], users["caseworker"]
    referral = services.request_handoff(
        case, "referral", counterpart=cgc.organisation, reason="一時保護の検討", actor=worker
    )
    services.answer_handoff(referral, accept=True, actor=cgc)
    with pytest.raises(ValidationError, match="指導委託か援助依頼"):
        services.request_handoff(case, "transfer_out", reason="転居", actor=cgc)
    with pytest.raises(ValidationError, match="児童相談所から"):
        services.request_handoff(
            case, "delegation", counterpart=cgc.organisation, reason="在宅指導", actor=worker
        )
    delegation = services.request_handoff(
        case, "delegation", reason="在宅での指導を委託", actor=cgc
    )
    assert delegation.direction == HandOff.Direction.IN
    with pytest.raises(PermissionDenied):
        services.answer_handoff(delegation, accept=True, actor=cgc)
    services.answer_handoff(delegation, accept=True, answer="受けます", actor=worker)
    delegation.refresh_from_db()
    assert delegation.status == HandOff.Status.ACCEPTED


def test_an_item_and_a_role_come_off_a_draft_but_not_an_approved_version(users, case, client):
    worker = users["caseworker"]
    plan = _ready_plan(case, worker)
    item, task = plan.items.get(), plan.tasks.get()
    client.force_login(worker)
    client.post(f"/plans/{plan.pk}/tasks/{task.pk}/remove/")
    assert not plan.tasks.exists()
    services.submit_plan(plan, actor=worker)
    services.approve_plan(plan, actor=users["supervisor"])
    page = client.post(f"/plans/{plan.pk}/items/{item.pk}/remove/", follow=True)
    assert plan.items.filter(pk=item.pk).exists() and "変更できません" in page.content.decode()
