"""The demo city's family support services (tsunagu.demo.family_support)."""

import pytest
from django.utils import timezone

from tests import factories
from tests.conftest import TEST_MOMENT
from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.cases.models import Assignment
from tsunagu.family_support.models import Decision, Offering, Usage
from tsunagu.watch.models import Alert


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    """One city for the module, built at the tests' moment (its "today"), rolled back after."""
    yield from factories.demo_city(django_db_blocker, seed=5, moment=TEST_MOMENT)


@pytest.fixture
def today(_built, db):
    return _built


def test_the_catalogue_of_this_year_and_the_last_with_decisions_and_uses(today):
    years = set(Offering.objects.values_list("fiscal_year", flat=True))
    assert len(years) == 2
    kinds = set(Decision.objects.values_list("offering__legal_category", flat=True))
    assert {"home_visit_support", "child_hub", "short_stay", "parenting_program"} <= kinds
    assert Usage.objects.count() > Decision.objects.count() * 3
    assert not Usage.objects.filter(used_on__gt=today).exists()


def test_no_decision_was_used_beyond_its_limits(today):
    for decision in Decision.objects.exclude(uses_limit=None):
        counted = decision.uses.filter(attended=True).exclude(status=Usage.Status.HELD)
        assert counted.count() <= decision.uses_limit, decision.number
        assert not counted.filter(used_on__lt=decision.starts_on).exists()
        assert not counted.filter(used_on__gt=decision.ends_on).exists()


def test_todays_urgent_observation_waits_for_the_key_person(today):
    alert = Alert.objects.get(reason=Alert.Reason.SERVICE_OBSERVATION)
    assert timezone.localdate(alert.raised_at) == today and alert.acknowledged_at is None
    key = Assignment.objects.get(case=alert.case, is_key_person=True, until=None)
    assert alert.key_person == key.worker and "ひだまり" in alert.source


def test_each_provider_login_sees_only_its_own_users(today):
    seen = {}
    for username in ("jigyosha", "helper", "hiroba"):
        user = User.objects.get(username=username)
        decisions = policy.scope(user, Decision.objects.all())
        assert decisions.exists(), username
        assert set(decisions.values_list("provider__organisation", flat=True)) == {
            user.organisation_id
        }
        seen[username] = set(decisions.values_list("pk", flat=True))
    assert not (seen["jigyosha"] & seen["helper"]) and not (seen["helper"] & seen["hiroba"])
