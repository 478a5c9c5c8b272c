import pytest

from tsunagu.people import finder

from . import factories


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
