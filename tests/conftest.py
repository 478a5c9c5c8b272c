import pytest

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
