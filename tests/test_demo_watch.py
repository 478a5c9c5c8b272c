"""The demo city's watching over, referrals and cafeteria network (tsunagu.demo.watch)."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from tests import factories
from tests.conftest import TEST_MOMENT
from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.cases.models import Assignment, Intake, Registration
from tsunagu.core.models import Organisation
from tsunagu.core.office_hours import add_office_minutes
from tsunagu.demo.watch import REPORT_DAYS
from tsunagu.watch import selectors, services
from tsunagu.watch.models import (
    Alert,
    Donation,
    Need,
    Network,
    NetworkMember,
    Referral,
    WatchAssignment,
    WatchReport,
)

Kind = Organisation.Kind


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    """One city for the module, built at the tests' moment (its "today"), rolled back after."""
    yield from factories.demo_city(django_db_blocker, seed=5, moment=TEST_MOMENT)


@pytest.fixture
def today(_built, db):
    return _built


def _share(queryset, **condition) -> float:
    return queryset.filter(**condition).count() / queryset.count()


def test_three_cafeterias_watch_households_of_registered_cases(today):
    assignments = WatchAssignment.objects.select_related("partner", "case")
    assert 10 <= assignments.count() <= 40
    partners = {a.partner for a in assignments}
    assert len(partners) == 3 and {p.kind for p in partners} == {Kind.CAFETERIA}
    shokudo = User.objects.get(username="shokudo")
    assert shokudo.organisation in partners
    registered = Registration.objects.filter(category__in=["protection", "support"])
    for assignment in assignments:
        assert registered.filter(case=assignment.case).exists()
        assert assignment.every_weeks in (1, 2) and assignment.look_for
        guardian = assignment.case.persons.filter(role="guardian").first()
        person = guardian.person if guardian else assignment.case.persons.first().person
        assert assignment.recipient_name == f"{person.family_name}様"
        assert assignment.delivery_address == person.address
        if assignment.case.status == "closed":  # moved away: the watching ended before
            assert assignment.ends_on and assignment.ends_on <= assignment.case.closed_on
        assert assignment.created_at.date() <= assignment.starts_on < today
    ended = assignments.exclude(ends_on=None)
    assert all(a.ended_reason and a.ends_on < today for a in ended)
    assert ended.filter(case__status="closed").exists()  # moved away
    assert ended.exclude(case__status="closed").exists()  # no longer needed
    food = assignments.filter(method__in=["meal_delivery", "pantry"]).count()
    assert food / assignments.count() >= 0.6
    assert WatchAssignment.history.count() == assignments.count()


def test_every_planned_visit_up_to_yesterday_is_reported_in_realistic_shares(today):
    reports = WatchReport.objects.all()
    assert 0.86 <= _share(reports, visited=True) <= 0.97
    visited = reports.filter(visited=True)
    assert 0.8 <= _share(visited, child_seen=True) < 1
    assert 0.78 <= _share(reports, concern="none") <= 0.92
    assert 0.05 <= _share(reports, concern="some") <= 0.18
    assert 0.01 <= _share(reports, concern="urgent") <= 0.06
    for check in WatchReport.CHECKS:
        assert _share(reports, **{check: True}) <= 0.08
    assert not reports.filter(visited=False, child_seen=True).exists()
    assert not reports.filter(visited=False, not_visited_reason="").exists()
    assert reports.values("key").distinct().count() == reports.count()
    yesterday = today - timedelta(days=1)
    for report in reports.select_related("assignment", "reported_by"):
        assert report.written_at <= report.received_at <= timezone.now()
        assert report.assignment.is_open_on(report.visit_on) and report.visit_on <= today
        assert report.reported_by.organisation_id == report.assignment.partner_id
    # Every planned visit was reported, but one the daily check found unreported.
    for assignment in WatchAssignment.objects.all():
        start = max(assignment.starts_on, today - timedelta(days=REPORT_DAYS))
        planned = set(assignment.visit_dates(start, yesterday))
        reported = set(assignment.reports.values_list("visit_on", flat=True))
        alerted = set(
            assignment.alerts.filter(reason="unreported").values_list("visit_on", flat=True)
        )
        assert planned <= reported | alerted
        assert selectors.unreported(sorted(alerted), reported) == sorted(alerted)
    assert WatchReport.history.filter(history_user__isnull=False).count() == reports.count()


def test_the_demo_partner_has_visits_due_today_and_sees_only_its_own_households(today):
    shokudo = User.objects.get(username="shokudo")
    visits = selectors.visits_for(shokudo, today)
    assert sum(visit.due_today for visit in visits) >= 2
    assert not any(visit.overdue for visit in visits)
    own = WatchAssignment.objects.filter(partner=shokudo.organisation_id)
    assert {v.assignment.pk for v in visits} == {a.pk for a in own if a.is_open_on(today)}
    seen = policy.scope(shokudo, WatchAssignment.objects.all())
    assert set(seen) == set(own) and seen.count() < WatchAssignment.objects.count()
    reports = policy.scope(shokudo, WatchReport.objects.all())
    assert set(reports) == set(WatchReport.objects.filter(assignment__in=own))


def test_every_alert_is_what_the_rules_raise_and_most_were_handled(today):
    # A provider's urgent observation raises alerts too (the demo's family support, tested in
    # test_demo_family_support); here, the partners' visits.
    alerts = Alert.objects.exclude(reason=Alert.Reason.SERVICE_OBSERVATION)
    minutes = alerts.first().case.municipality.alert_ack_minutes
    for report in WatchReport.objects.select_related("assignment"):
        raised = set(report.alerts.values_list("reason", flat=True))
        assert raised == set(services._reasons(report)), report.pk
    for alert in alerts.select_related("report", "assignment", "case"):
        report = alert.report
        assert alert.case_id == alert.assignment.case_id
        if alert.reason == Alert.Reason.UNREPORTED:  # the daily check, two days after
            assert report is None and alert.visit_on
            assert timezone.localtime(alert.raised_at).hour == 8
            assert timezone.localdate(alert.raised_at) == alert.visit_on + timedelta(days=2)
        else:
            assert report.assignment_id == alert.assignment_id and alert.visit_on is None
            assert alert.raised_at == report.received_at
        key = Assignment.objects.filter(case=alert.case, is_key_person=True, until=None).first()
        assert alert.key_person_id == (key.worker_id if key else None)
        assert alert.unit_id
        if alert.reason == Alert.Reason.URGENT_REPORT:
            assert report.concern == "urgent"
            assert alert.acknowledge_by == add_office_minutes(alert.raised_at, minutes)
        else:
            assert alert.acknowledge_by is None
        if alert.acknowledged_at:
            assert alert.raised_at <= alert.acknowledged_at <= timezone.now()
        if alert.handled_at:
            assert alert.acknowledged_at <= alert.handled_at <= timezone.now()
            assert alert.handling_note and alert.handled_by and not alert.escalated_at
            if alert.acknowledge_by:
                assert alert.acknowledged_at <= alert.acknowledge_by
    still_open = alerts.filter(handled_at=None)
    assert still_open.count() == 2
    fresh = still_open.get(escalated_at=None)
    assert fresh.reason == "urgent_report" and fresh.acknowledged_at is None
    assert timezone.localdate(fresh.raised_at) == today
    escalated = still_open.exclude(escalated_at=None).get()
    assert escalated.reason == "urgent_report"
    assert escalated.escalated_at >= escalated.acknowledge_by
    assert escalated.acknowledged_by.username == "tokatsu"
    assert escalated.acknowledged_at >= escalated.escalated_at
    assert set(alerts.values_list("reason", flat=True)) == set(Alert.Reason) - {
        Alert.Reason.SERVICE_OBSERVATION
    }
    assert Alert.history.count() == Alert.objects.count()


def test_referrals_from_partners_are_received_as_intakes_and_reached(today):
    referrals = Referral.objects.select_related("partner", "intake")
    assert 12 <= referrals.count() <= 18
    assert {r.partner for r in referrals} == {a.partner for a in WatchAssignment.objects.all()}
    sent = referrals.filter(status="sent")
    assert 1 <= sent.count() <= 2 and not sent.exclude(intake=None).exists()
    assert referrals.filter(status="received", reach_by__lt=today).exists()  # overdue
    assert referrals.filter(status="reached").exists()
    assert referrals.filter(status="not_reached").exists()
    for referral in referrals.exclude(status="sent"):
        intake = referral.intake
        assert intake.channel == Intake.Channel.PARTNER_REPORT
        assert intake.source_organisation_id == referral.partner_id
        assert intake.unit_id == referral.unit_id
        assert intake.received_at == referral.received_at >= referral.sent_at
        assert referral.guardian_name in intake.summary
        assert referral.referred_by.organisation_id == referral.partner_id
        assert (referral.reached_on is not None) == (referral.status == "reached")
    # They took the place of as many of the year's consultations: numbers without gaps.
    for fiscal in {n.split("-")[0] for n in Intake.objects.values_list("number", flat=True)}:
        numbers = sorted(
            int(n.split("-")[1])
            for n in Intake.objects.filter(number__startswith=f"{fiscal}-").values_list(
                "number", flat=True
            )
        )
        assert numbers == list(range(1, len(numbers) + 1))


def test_the_cafeteria_network_shares_donations_never_beyond_what_was_given(today):
    network = Network.objects.get()
    assert network.name == f"{network.municipality.name}こども食堂ネットワーク"
    members = NetworkMember.objects.filter(network=network)
    kinds = list(members.values_list("organisation__kind", flat=True))
    assert kinds.count(Kind.CAFETERIA) == 12 and Kind.SOCIAL_WELFARE_COUNCIL in kinds
    assert all(member.profile for member in members)
    donations = Donation.objects.annotate(taken=Sum("claims__quantity"))
    assert 8 <= donations.count() <= 12
    full = [d for d in donations if d.taken == d.quantity]
    partial = [d for d in donations if (d.taken or 0) < d.quantity]
    assert full and partial
    for donation in donations:
        assert (donation.taken or 0) <= donation.quantity
        for claim in donation.claims.select_related("claimed_by"):
            assert donation.posted_at <= claim.claimed_at <= timezone.now()
            assert timezone.localdate(claim.claimed_at) <= donation.claim_until
            assert claim.organisation_id != donation.offered_by_id
            assert claim.claimed_by.organisation_id == claim.organisation_id
    center_user = User.objects.get(username="katei")
    offers = selectors.offers_in(center_user, network)
    assert len(offers) >= 2
    assert all(o.donation.expires_on is None or o.donation.expires_on > today for o in offers)
    needs = Need.objects.all()
    assert needs.count() == 5 and needs.filter(met=True).exists()
