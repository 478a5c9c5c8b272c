"""Watching over: partners' visit reports, the alerts they raise, escalation (issue 18)."""

import uuid
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tsunagu.accounts.models import User
from tsunagu.cases import selectors as case_selectors
from tsunagu.core.models import Organisation
from tsunagu.core.office_hours import add_office_minutes
from tsunagu.core.roles import Role
from tsunagu.watch import selectors, services
from tsunagu.watch.models import Alert, WatchAssignment, WatchReport

from . import factories

JST = timezone.get_fixed_timezone(9 * 60)


@pytest.fixture
def case(users, family):
    _, mother, child = family
    worker = users["caseworker"]
    worker.email = "caseworker@example.jp"
    worker.save()
    users["supervisor"].email = "tokatsu@example.jp"
    users["supervisor"].save()
    return factories.case(worker, [(child, "child"), (mother, "guardian")])


@pytest.fixture
def watched(users, case):
    return factories.watch_assignment(users["caseworker"], case, users["partner"].organisation)


@pytest.fixture
def other_partner(town):
    """A second cafeteria with its own volunteer, watching nothing of the first's."""
    cafeteria = Organisation.objects.create(
        municipality=town, kind=Organisation.Kind.CAFETERIA, name="北町こども食堂"
    )
    return User.objects.create_user(
        username="kitamachi", password="x", organisation=cafeteria, role=Role.PARTNER
    )


def _report(**fields) -> WatchReport:
    values = {"visit_on": timezone.localdate(), "visited": True, "child_seen": True}
    return WatchReport(**(values | {"concern": "none"} | fields))


# --- Reports: once, whatever the phone sends ---------------------------------------------------


def test_a_report_sent_twice_with_its_key_is_kept_once(users, watched):
    key = uuid.uuid4()
    first, created = services.file_report(
        watched, _report(concern="urgent"), key, actor=users["partner"]
    )
    again, created_again = services.file_report(
        watched, _report(concern="urgent"), key, actor=users["partner"]
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert WatchReport.objects.count() == 1
    assert Alert.objects.count() == 1


def test_a_key_used_for_another_household_is_refused(users, case, watched):
    other = factories.watch_assignment(users["caseworker"], case, users["partner"].organisation)
    key = uuid.uuid4()
    services.file_report(watched, _report(), key, actor=users["partner"])
    with pytest.raises(ValidationError, match="別の訪問先"):
        services.file_report(other, _report(), key, actor=users["partner"])


def test_a_visit_not_made_needs_its_reason(users, watched):
    report = WatchReport(visit_on=timezone.localdate(), visited=False, concern="none")
    with pytest.raises(ValidationError, match="理由"):
        services.file_report(watched, report, uuid.uuid4(), actor=users["partner"])
    assert WatchReport.objects.count() == 0


def test_a_report_on_an_ended_watch_or_in_the_future_is_refused(users, watched):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="未来"):
        services.file_report(
            watched, _report(visit_on=tomorrow), uuid.uuid4(), actor=users["partner"]
        )
    services.end_watch(
        watched, "転居", actor=users["caseworker"], on=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(PermissionDenied):
        services.file_report(watched, _report(), uuid.uuid4(), actor=users["partner"])


def test_only_the_watching_partner_files_reports(users, watched, other_partner):
    for actor in (other_partner, users["caseworker"], users["provider"]):
        with pytest.raises(PermissionDenied):
            services.file_report(watched, _report(), uuid.uuid4(), actor=actor)


def test_only_a_worker_on_the_case_asks_a_partner(users, case):
    for actor in (users["nurse"], users["partner"], users["cgc"]):
        with pytest.raises(PermissionDenied):
            factories.watch_assignment(actor, case, users["partner"].organisation)
    with pytest.raises(ValidationError, match="協力団体"):
        factories.watch_assignment(users["caseworker"], case, users["provider"].organisation)


# --- Alerts ----------------------------------------------------------------------------------


def test_an_urgent_report_alerts_the_key_person_and_the_unit(users, case, watched):
    report = factories.watch_report(watched, users["partner"], concern="urgent", injuries=True)
    alert = report.alerts.get()
    assert alert.reason == Alert.Reason.URGENT_REPORT
    assert alert.key_person == users["caseworker"]
    assert alert.unit == users["caseworker"].organisation
    assert alert.acknowledge_by == add_office_minutes(alert.raised_at, 60)
    factories.run_jobs()  # the mail goes from the job queue
    sent = [m for m in mail.outbox if "caseworker@example.jp" in m.to]
    assert len(sent) == 1
    assert case.number in sent[0].subject
    assert "髙橋" not in sent[0].body  # a mail names the case number, never a person


def test_a_child_not_seen_twice_in_a_row_and_a_missed_visit_raise_alerts(users, watched):
    today = timezone.localdate()
    factories.watch_report(
        watched, users["partner"], child_seen=False, on=today - timedelta(days=7)
    )
    assert Alert.objects.count() == 0
    second = factories.watch_report(watched, users["partner"], visited=False, on=today)
    assert set(second.alerts.values_list("reason", flat=True)) == {
        Alert.Reason.MISSED_VISIT,
        Alert.Reason.NOT_SEEN_TWICE,
    }
    assert all(alert.acknowledge_by is None for alert in second.alerts.all())


def test_the_key_person_acknowledges_then_handles_with_a_note(users, watched):
    alert = factories.watch_report(watched, users["partner"], concern="urgent").alerts.get()
    with pytest.raises(PermissionDenied):
        services.acknowledge_alert(alert, actor=users["nurse"])
    services.acknowledge_alert(alert, actor=users["caseworker"])
    with pytest.raises(ValidationError, match="対応の内容"):
        services.handle_alert(alert, "  ", actor=users["caseworker"])
    services.handle_alert(
        alert, "当日中に家庭訪問し、本人の安全を確認。", actor=users["caseworker"]
    )
    alert.refresh_from_db()
    assert alert.status == "対応済み"
    assert alert.history.first().history_user == users["caseworker"]
    assert selectors.alerts_for(users["caseworker"]).count() == 0


def test_an_urgent_alert_left_unacknowledged_escalates_to_the_supervisor(users, case, watched):
    alert = factories.watch_report(watched, users["partner"], concern="urgent").alerts.get()
    factories.run_jobs()  # the first mail; the escalation waits for its deadline
    assert Alert.objects.get().escalated_at is None
    mail.outbox.clear()
    with time_machine.travel(alert.acknowledge_by + timedelta(minutes=1), tick=False):
        factories.run_jobs()  # the check at the deadline, then its mail
        alert.refresh_from_db()
        assert alert.escalated_at is not None
        escalated = [m for m in mail.outbox if "未確認の緊急アラート" in m.subject]
        assert [m.to for m in escalated] == [["tokatsu@example.jp"]]
        home = selectors.home_panel(users["supervisor"])
        assert home["escalated"] == 1


def test_an_alert_acknowledged_in_time_does_not_escalate(users, watched):
    alert = factories.watch_report(watched, users["partner"], concern="urgent").alerts.get()
    services.acknowledge_alert(alert, actor=users["caseworker"])
    with time_machine.travel(alert.acknowledge_by + timedelta(minutes=1), tick=False):
        factories.run_jobs()
        alert.refresh_from_db()
    assert alert.escalated_at is None


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        # Tuesday 10:00 + 60 → 11:00
        (datetime(2026, 11, 24, 10, 0), 60, datetime(2026, 11, 24, 11, 0)),
        # Friday 17:00 + 30 → Monday 8:45 (office closes at 17:15)
        (datetime(2026, 11, 27, 17, 0), 30, datetime(2026, 11, 30, 8, 45)),
        # Saturday night → Monday 9:30
        (datetime(2026, 11, 28, 22, 0), 60, datetime(2026, 11, 30, 9, 30)),
        # Monday 2 November, before the holiday (文化の日 on Tuesday) → Wednesday
        (datetime(2026, 11, 2, 17, 0), 60, datetime(2026, 11, 4, 9, 15)),
        # The year-end closure (12/29–1/3): 1/4 2027 is a Monday
        (datetime(2026, 12, 28, 17, 15), 60, datetime(2027, 1, 4, 9, 30)),
    ],
)
def test_the_deadline_counts_office_hours_only(start, minutes, expected):
    assert add_office_minutes(start.replace(tzinfo=JST), minutes) == expected.replace(tzinfo=JST)


# --- What each side sees -------------------------------------------------------------------------


def test_the_case_timeline_shows_every_report(users, case, watched):
    factories.watch_report(watched, users["partner"], concern="some", hunger=True)
    with translation.override("ja"):
        entries = case_selectors.timeline_for(users["caseworker"], case, {"watch"})
        assert [entry.kind for entry in entries] == ["watch"]
        assert "空腹" in entries[0].body and "少し気になる" in entries[0].body


def test_todays_visits_show_only_what_the_delivery_needs(users, case, watched):
    client = Client()
    client.force_login(users["partner"])
    page = client.get(reverse("watch:visits")).content.decode()
    assert "髙橋様" in page and "テスト市本町1-2-3" in page and "下の子の服装" in page
    assert case.number not in page and case.title not in page
    rows = selectors.visits_for(users["partner"])
    assert [row.due_today for row in rows] == [True]  # weekly, from a week ago


def test_a_partner_reaches_no_other_partners_household_report_or_case(
    users, case, watched, other_partner
):
    """Changing ids in URLs and the API: every one is 404 (or 403 for the case)."""
    report = factories.watch_report(watched, users["partner"], concern="urgent")
    client = Client()
    client.force_login(other_partner)
    for url in (
        reverse("watch:assignment_detail", args=[watched.pk]),
        reverse("watch:report_create", args=[watched.pk]),
        reverse("watch:report_detail", args=[report.pk]),
        reverse("api_watch_report", args=[report.pk]),
    ):
        assert client.get(url).status_code == 404, url
    posted = client.post(
        reverse("api_watch_report_create"),
        {
            "assignment": watched.pk,
            "key": str(uuid.uuid4()),
            "visit_on": "2026-11-24",
            "visited": "1",
            "child_seen": "1",
            "concern": "none",
        },
        content_type="application/json",
    )
    assert posted.status_code == 404
    assert "髙橋" not in client.get(reverse("watch:visits")).content.decode()
    assert "髙橋" not in client.get(reverse("watch:report_list")).content.decode()
    watcher = Client()
    watcher.force_login(users["partner"])
    assert watcher.get(reverse("cases:case_detail", args=[case.pk])).status_code == 403
    assert WatchReport.objects.count() == 1


def test_the_api_files_once_and_says_what_is_wrong_in_japanese(users, watched):
    client = Client()
    client.force_login(users["partner"])
    body = {
        "assignment": watched.pk,
        "key": str(uuid.uuid4()),
        "visit_on": timezone.localdate().isoformat(),
        "visited": "1",
        "child_seen": "1",
        "injuries": True,
        "concern": "urgent",
        "note": "腕にあざ",
        "written_at": "2026-11-24T00:30:00.000Z",
    }
    url = reverse("api_watch_report_create")
    first = client.post(url, body, content_type="application/json")
    second = client.post(url, body, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["checks"]["injuries"] is True
    wrong = client.post(
        url, {**body, "key": str(uuid.uuid4()), "visited": "0"}, content_type="application/json"
    )
    assert wrong.status_code == 400
    assert "理由" in str(wrong.json())
    assert WatchReport.objects.count() == 1


def test_the_plain_form_files_a_report_without_javascript(users, watched):
    client = Client()
    client.force_login(users["partner"])
    url = reverse("watch:report_create", args=[watched.pk])
    prefix = f"a{watched.pk}-"
    data = {
        f"{prefix}key": str(uuid.uuid4()),
        f"{prefix}visit_on": timezone.localdate().isoformat(),
        f"{prefix}visited": "1",
        f"{prefix}child_seen": "1",
        f"{prefix}concern": "none",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same form sent again
    assert WatchReport.objects.count() == 1


def test_the_service_worker_and_manifest_are_served_by_the_app(client):
    worker = client.get(reverse("watch:service_worker"))
    assert worker["Service-Worker-Allowed"] == "/"
    assert b"workbox-sw.js" in worker.content
    manifest = client.get(reverse("watch:manifest")).json()
    assert manifest["start_url"] == reverse("watch:visits")
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}


def test_a_center_worker_asks_a_partner_from_the_case_page(users, case):
    client = Client()
    client.force_login(users["caseworker"])
    url = reverse("watch:assign", args=[case.pk])
    form = client.get(url)
    assert "髙橋様" in form.content.decode()  # the guardian's family name, prefilled
    response = client.post(
        url,
        {
            "partner": users["partner"].organisation_id,
            "method": "meal_delivery",
            "recipient_name": "髙橋様",
            "delivery_address": "テスト市本町1-2-3",
            "every_weeks": "2",
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assignment = WatchAssignment.objects.get()
    assert assignment.history.first().history_user == users["caseworker"]
    day = assignment.starts_on
    assert assignment.visit_dates(day, day + timedelta(days=28)) == [
        day + timedelta(days=14 * n) for n in range(3)
    ]
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert str(users["partner"].organisation) in page


def test_a_planned_visit_nobody_reported_raises_one_alert_from_the_daily_check(users, watched):
    """Weekly since a week ago: last week's visit has no report. The daily check (queued with
    the first assignment for the next morning) raises it once, and queues itself again."""
    from django_tasks_db.models import DBTaskResult

    from tsunagu.watch.tasks import check_unreported_visits_task

    path = check_unreported_visits_task.module_path
    assert DBTaskResult.objects.filter(task_path=path, status="READY").count() == 1
    morning = timezone.localtime().replace(hour=8, minute=1) + timedelta(days=1)
    with time_machine.travel(morning, tick=False):
        factories.run_jobs()
    (alert,) = Alert.objects.filter(reason=Alert.Reason.UNREPORTED)
    assert alert.visit_on == watched.starts_on and alert.assignment == watched
    assert alert.key_person == users["caseworker"]
    assert DBTaskResult.objects.filter(task_path=path, status="READY").count() == 1
    assert services.raise_unreported_visits(timezone.localdate() + timedelta(days=1)) == 0


def test_a_report_sent_again_after_the_watch_ended_is_still_answered_once(users, watched):
    key = uuid.uuid4()
    first, _ = services.file_report(watched, _report(), key, actor=users["partner"])
    services.end_watch(watched, "転居", actor=users["caseworker"], on=timezone.localdate())
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        again, created = services.file_report(watched, _report(), key, actor=users["partner"])
    assert (again.pk, created) == (first.pk, False)
