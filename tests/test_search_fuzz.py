"""A hypothesis fuzz of the staff pages' search and paging parameters: whatever a query string
holds, the answer is a page, a 400 or a 404 — never a server error. Runs on SQLite and, in CI,
on PostgreSQL (where a NUL or an out-of-range integer reaches the database differently)."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import factories

# Each page as its role uses it, with the parameters its view reads.
PAGES = [
    ("supervisor", "people:person_list", {}, ["q", "page"]),
    ("supervisor", "people:review", {}, ["page"]),
    (
        "nurse",
        "people:match_lookup",
        {},
        ["family_name", "given_name", "family_kana", "given_kana", "birth", "sex", "pick"],
    ),
    ("caseworker", "cases:case_list", {}, ["q", "status", "mine", "page"]),
    ("caseworker", "cases:due_list", {}, ["page"]),
    ("caseworker", "cases:register", {}, ["page"]),
    ("supervisor", "cases:break_glass_list", {}, ["page"]),
    ("caseworker", "cases:intake_create", {}, ["person"]),
    ("caseworker", "cases:case_detail", {"pk": "case"}, ["kind", "more"]),
    (
        "admin",
        "audit:access_log",
        {},
        ["username", "date_from", "date_to", "object_id", "action", "object_type", "page"],
    ),
    (
        "admin",
        "audit:change_history",
        {},
        ["username", "date_from", "date_to", "object_id", "model", "page"],
    ),
    ("admin", "administration:user_list", {}, ["q", "page"]),
    ("admin", "administration:organisation_list", {}, ["page"]),
    (
        "editor",
        "resources:directory",
        {},
        ["q", "category", "visibility", "region", "district", "status", "reverify", "page"],
    ),
    ("editor", "resources:staff_map", {}, ["q", "category", "region", "district"]),
]

NASTY = [
    "",
    "0",
    "-1",
    "²",
    "١٢",
    "1e9",
    "922337203685477580",
    "9" * 40,
    "0x10",
    " 1",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "\u202eabc",
    "タカハシ",
    "' OR 1=1 --",
    "%",
    "_",
    "a" * 5000,
]
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(alphabet=st.characters(blacklist_categories=["Cc", "Cs"]), max_size=40),
)
QUERIES = st.lists(st.tuples(st.integers(0, 7), VALUES), max_size=6)


@pytest.fixture
def clients(users, family):
    _, mother, child = family
    case = factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    factories.ensure_code_lists()
    made = {}
    for role in {role for role, *_ in PAGES}:
        made[role] = Client()
        made[role].force_login(users[role])
    return made, {"case": case.pk}


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=QUERIES)
def test_staff_search_parameters_never_make_a_server_error(clients, query):
    made, objects = clients
    for role, url_name, kwargs, names in PAGES:
        url = reverse(url_name, kwargs={k: objects[v] for k, v in kwargs.items()})
        params = [(names[i % len(names)], value) for i, value in query]
        status = made[role].get(url, params).status_code
        assert status in (200, 302, 400, 404), (url_name, params, status)


@pytest.mark.parametrize("value", NASTY)
def test_each_awkward_value_in_each_parameter(clients, value):
    """The hypothesis run samples; this sweep tries every awkward value in every parameter."""
    made, objects = clients
    for role, url_name, kwargs, names in PAGES:
        url = reverse(url_name, kwargs={k: objects[v] for k, v in kwargs.items()})
        for name in names:
            status = made[role].get(url, {name: value}).status_code
            assert status in (200, 302, 400, 404), (url_name, name, value, status)
