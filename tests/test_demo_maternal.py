"""The demo city's maternal line (tsunagu.demo.maternal), at the demo tests' scale 0.1: about
100 births a year."""

from datetime import timedelta

import pytest
from django.db.models import F

from tests import factories
from tests.conftest import TEST_MOMENT
from tsunagu.accounts.models import User
from tsunagu.core.models import Organisation
from tsunagu.maternal import selectors
from tsunagu.maternal.models import (
    Birth,
    Checkup,
    FollowUp,
    NewbornVisit,
    Pregnancy,
    UnseenChild,
)

SCALE = 0.1


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    """One city for the module, built at the tests' moment (its "today"), rolled back after."""
    yield from factories.demo_city(django_db_blocker, seed=20, moment=TEST_MOMENT)


@pytest.fixture
def today(_built, db):
    return _built


@pytest.fixture
def hoken(today):
    return User.objects.get(username="hoken")


def test_about_a_thousand_births_a_year_at_full_scale(today):
    for years_ago in range(1, 5):  # the four full years before this one
        since = today - timedelta(days=365 * (years_ago + 1))
        until = today - timedelta(days=365 * years_ago)
        born = Birth.objects.filter(born_on__gt=since, born_on__lte=until).count()
        assert 800 * SCALE <= born <= 1200 * SCALE, (years_ago, born)
    expecting = Pregnancy.objects.filter(status=Pregnancy.Status.EXPECTING).count()
    assert 500 * SCALE <= expecting <= 900 * SCALE


def test_most_families_are_visited_within_four_months(today):
    due = NewbornVisit.objects.filter(due_on__lt=today)
    in_time = due.filter(status=NewbornVisit.Status.VISITED, visited_on__lte=F("due_on"))
    assert 0.90 <= in_time.count() / due.count() <= 0.99
    not_visited = due.filter(
        status__in=[NewbornVisit.Status.REFUSED, NewbornVisit.Status.NOT_POSSIBLE]
    )
    assert not not_visited.filter(reason="").exists()


def test_check_up_attendance_between_90_and_98_percent(today):
    decided = Checkup.objects.exclude(status=Checkup.Status.INVITED)
    attended = decided.filter(status=Checkup.Status.ATTENDED).count()
    assert 0.90 <= attended / decided.count() <= 0.98
    codes = set(decided.values_list("kind__code", flat=True))
    assert {"4m", "10m", "1y6m", "3y"} <= codes


def test_the_nurse_has_visits_to_make_this_week_and_epds_follow_ups(today, hoken):
    visits = selectors.visit_list(hoken)
    assert visits.exists()
    assert visits.filter(due_on__lte=today + timedelta(days=7)).exists()
    assert not visits.filter(birth__born_on__gt=today).exists()
    epds = selectors.follow_ups(hoken).filter(kind=FollowUp.Kind.EPDS)
    assert epds.exists()
    assert "EPDS" in epds.first().reason


def test_a_child_nobody_has_seen_waits_and_others_were_raised_to_child_welfare(today, hoken):
    raised = UnseenChild.objects.select_related("intake__unit", "child")
    assert raised.exists()
    for report in raised:
        assert report.intake.unit.kind == Organisation.Kind.UNIT_CHILD_WELFARE
        assert not report.child.checkups.filter(status=Checkup.Status.ATTENDED).exists()
    missed = selectors.missed_list(hoken)
    assert missed.exists()
    waiting = missed.exclude(child__in=raised.values("child")).filter(step_count__gte=3)
    assert waiting.filter(
        child__checkups__kind__code="4m", child__checkups__status=Checkup.Status.MISSED
    ).exists()


def test_a_specified_expectant_mother_is_registered_on_her_case(today):
    special = Pregnancy.objects.filter(status=Pregnancy.Status.EXPECTING).exclude(case=None)
    registered = special.filter(case__registrations__category="expectant_mother")
    assert registered.exclude(intake=None).exists()  # services.register_expectant_mother
