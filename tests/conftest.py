import os
from datetime import datetime

import pytest
import time_machine

from tsunagu.people import finder

from . import factories

# Every test starts at this moment (the clock then runs on), so no test reads the wall clock:
# a Tuesday morning in Japan by default. CI runs the PostgreSQL pass at another moment — a
# Sunday at 23:59 JST on 31 December — so a test that depends on the day, the week or the year
# fails in CI instead of on someone's Monday.
TEST_MOMENT = datetime.fromisoformat(
    os.environ.get("TSUNAGU_TEST_MOMENT") or "2026-11-24T10:00:00+09:00"
)


@pytest.fixture(autouse=True)
def _fixed_moment():
    with time_machine.travel(TEST_MOMENT, tick=True):
        yield TEST_MOMENT


@pytest.fixture
def town(db):
    return factories.municipality()


@pytest.fixture
def other_town(db):
    return factories.municipality(code="24202", name="となり市")


@pytest.fixture
def users(town):
    """One user per role, keyed by a short name (nurse, caseworker, supervisor, …)."""
    return factories.users(town)


@pytest.fixture
def family(town, users):
    return factories.family(town)


@pytest.fixture(autouse=True)
def _fresh_name_frequencies():
    """Each test's persons are counted afresh: the finder caches name frequencies per
    municipality id, and a new test database hands the same ids out again."""
    finder.forget_frequencies()
