"""The public HSDS API fuzzed from its own OpenAPI document (schemathesis): whatever a client
sends, valid or not, the answer is never a server error, its status is one the document
declares, and its body fits the document. Then the document itself: JSON, shown inline, no
session, 400 and 404 declared on every operation."""

from datetime import time

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tsunagu.resources.models import Schedule, Visibility

from . import factories

OPENAPI = "/api/hsds/openapi.json"


@pytest.fixture
def demo_directory(town):
    """A small public directory like the demo city's, with staff-only entries beside it."""
    factories.ensure_code_lists()
    weekly = dict(kind="weekly", byday="TU,FR", opens_at=time(15), closes_at=time(19))
    factories.resource(
        town,
        "本町こども食堂",
        ["eat", "study"],
        [Schedule(**weekly), Schedule(kind="monthly", byday="2SA,4SA")],
        minimum_age=6,
        maximum_age=12,
        child_fee=100,
        phone="0599-12-3456",
    )
    factories.resource(town, "えきまえ学習室", ["study"], point=(35.01, 136.61), is_free=True)
    factories.resource(town, "ひなたの居場所", ["rest"], [Schedule(kind="irregular", note="月1回")])
    factories.resource(town, "子育てひろば", ["parenting_hub"], point=None)
    factories.resource(town, "近所の協力者", ["eat"], visibility=Visibility.STAFF)
    factories.resource(town, "見守りの家", ["rest"], visibility=Visibility.STAFF)


@pytest.fixture
def wsgi_app(db):
    """The project's WSGI application, answering in the test's transaction: as Django's test
    client does, a finished request does not close the connection (which would end the
    test's transaction on PostgreSQL and SQLite alike)."""
    from tsunagu.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def hsds_schema(demo_directory, wsgi_app):
    """The document as the app serves it, loaded through the app itself."""
    return schemathesis.openapi.from_wsgi(OPENAPI, wsgi_app)


# The operations of the document (a test below keeps this list equal to it).
PATHS = [
    "/api/hsds/",
    "/api/hsds/services",
    "/api/hsds/services/{uid}",
    "/api/hsds/organizations",
    "/api/hsds/taxonomies",
    "/api/hsds/taxonomy_terms",
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Every operation takes valid requests; those with parameters invalid ones too (the root has
# none to get wrong).
RUNS = [
    (path, mode)
    for path in PATHS
    for mode in GenerationMode
    if path != PATHS[0] or mode.is_positive
]


@pytest.mark.parametrize(("path", "mode"), RUNS, ids=str)
def test_the_public_api_never_errs_and_keeps_to_its_document(hsds_schema, path, mode):
    """Valid requests (positive) and requests the document does not allow (negative): 30 of
    each per operation, the same ones on every run (derandomized) so that CI reproduces."""
    operation = hsds_schema[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=30,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        case.call_and_validate(checks=CHECKS)

    call()


def test_the_fuzzed_operations_are_those_of_the_document(db):
    document = Client().get(OPENAPI).json()
    assert sorted(document["paths"]) == sorted(PATHS)


def test_the_document_is_json_shown_inline_without_a_session(db):
    response = Client().get(OPENAPI, HTTP_ACCEPT="application/yaml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'inline; filename="openapi.json"'
    document = response.json()
    assert "cookieAuth" not in str(document.get("components", {}).get("securitySchemes", {}))
    operations = [op for path in document["paths"].values() for op in path.values()]
    assert len(operations) == 6
    for operation in operations:
        assert not operation.get("security"), operation["operationId"]
        assert {"200", "400", "404"} <= operation["responses"].keys(), operation["operationId"]


def test_a_signed_in_session_changes_nothing_on_the_public_api(demo_directory, users):
    """The public operations read no session: staff signed in see the public entries only."""
    client = Client()
    client.force_login(users["editor"])
    names = [s["name"] for s in client.get("/api/hsds/services?per_page=500").json()["contents"]]
    assert len(names) == 4 and "近所の協力者" not in names and "見守りの家" not in names
