"""The demo city's support plans, conferences and hand-offs (tsunagu.demo.plans)."""

from datetime import date, timedelta

import pytest

from tests import factories
from tsunagu.cases.models import Case, CaseOrganisation, ClosureRequest, Registration
from tsunagu.plans.models import (
    ActionItem,
    Conference,
    Discussion,
    HandOff,
    PlanItem,
    ServiceKind,
    SupportPlan,
)
from tsunagu.plans.summary import check_summary

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    """One city for the module (a build takes seconds), rolled back after it."""
    yield from factories.demo_city(django_db_blocker, seed=3, today=TODAY)


@pytest.fixture
def city(_built, db):
    return None


def _register():
    """Open cases with an open council registration."""
    return Case.objects.exclude(status=Case.Status.CLOSED).filter(
        pk__in=Registration.objects.filter(ended_on=None).values("case")
    )


def test_most_registered_cases_have_a_plan_made_with_the_family(city):
    register = _register()
    planned = register.filter(plans__isnull=False).distinct()
    assert planned.count() >= register.count() / 2
    in_force = SupportPlan.objects.filter(status=SupportPlan.Status.APPROVED)
    assert in_force.count() >= planned.count() / 2
    for plan in in_force.select_related("case"):
        assert plan.approved_by.username == "tokatsu" and plan.approved_at
        assert plan.agreed_on and plan.agreement and plan.goal_short and plan.review_on
        assert 2 <= plan.items.count() <= 4 and 2 <= plan.tasks.count() <= 3
    # A version before the one in force was superseded by it.
    for plan in SupportPlan.objects.filter(status=SupportPlan.Status.SUPERSEDED):
        assert plan.next_version.version == plan.version + 1
    kinds = set(PlanItem.objects.values_list("kind", flat=True))
    assert PlanItem.Kind.OTHER in kinds
    if ServiceKind.objects.exists():  # a transactional test's flush empties the catalogue
        assert PlanItem.Kind.CATALOGUE in kinds
    assert SupportPlan.history.count() >= SupportPlan.objects.count()


def test_a_year_of_conferences_in_the_seeds_rhythm(city):
    held = {kind: Conference.objects.filter(kind=kind) for kind in Conference.Kind.values}
    assert held["joint"].count() >= 45  # weekly
    assert 10 <= held["practitioners"].count() <= 12  # monthly
    assert 8 <= held["assessment"].count() <= 12  # monthly, one case each
    assert held["representatives"].count() == 1
    assert not Discussion.objects.filter(conference__kind="representatives").exists()
    for conference in held["assessment"]:
        assert conference.discussions.count() == 1
    # The cgc's liaison sits in the 実務者会議, with outsiders by name and organisation.
    for conference in held["practitioners"]:
        assert conference.attendees.filter(user__username="jiso").exists()
        assert conference.attendees.filter(user=None).exclude(organisation="").exists()
    # Action items: past ones mostly done, some still open.
    items = ActionItem.objects.all()
    assert items.filter(status="done").count() > items.filter(status="open").count() > 0
    assert all(i.owner_id or i.owner_name for i in items)
    assert Discussion.history.count() == Discussion.objects.count()


def test_review_dates_follow_the_latest_practitioners_meeting(city):
    for registration in Registration.objects.filter(ended_on=None).select_related("case"):
        latest = (
            Discussion.objects.filter(case=registration.case, conference__kind="practitioners")
            .order_by("-conference__held_on")
            .first()
        )
        assert registration.last_reviewed_on == (latest.conference.held_on if latest else None)
        if latest:
            assert latest.next_review_on == registration.case.next_review_on
    # ... but some were carried over and are overdue: the review queue has work.
    assert _register().filter(next_review_on__lt=TODAY).exists()


def test_hand_offs_with_the_cgc_and_other_cities(city):
    cgc = HandOff.objects.exclude(counterpart=None)
    assert cgc.filter(kind="referral", status="accepted").exists()
    assert cgc.filter(kind="referral", status="requested").exists()
    assert cgc.filter(kind="assistance", status="returned").exists()
    for handoff in cgc.filter(kind="referral", status="accepted").select_related("case"):
        assert handoff.case.lead_agency == Case.LeadAgency.CGC
        assert CaseOrganisation.objects.filter(
            case=handoff.case, organisation=handoff.counterpart, role="lead"
        ).exists()
    assert all(h.documents.exists() for h in cgc)
    moved = HandOff.objects.filter(kind="transfer_out", status="done").select_related("case")
    assert moved.exists()
    for handoff in moved:
        case = handoff.case
        assert case.status == Case.Status.CLOSED and case.closed_on == handoff.done_on
        assert ClosureRequest.objects.filter(case=case, approved=True).exists()
        assert case.status_changes.filter(status="closed").exists()
        assert not case.registrations.filter(ended_on=None).exists()
        assert not case.plans.filter(status__in=["approved", "draft", "submitted"]).exists()
    moved_in = HandOff.objects.get(kind="transfer_in")
    assert moved_in.intake and moved_in.intake.persons.count() == 2
    check_summary(moved_in.received_summary)
    assert moved_in.requested_on <= TODAY - timedelta(days=1)
