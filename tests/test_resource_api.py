"""The HSDS API of the public directory: Open Referral paths, Page envelope, our filters."""

from datetime import time

import pytest
from django.test import Client

from tsunagu.resources.models import Schedule, Visibility
from tsunagu.resources.opendata import hsds

from . import factories


@pytest.fixture
def directory(town):
    factories.ensure_code_lists()
    tuesday = dict(kind="weekly", byday="TU", opens_at=time(15), closes_at=time(19))
    return {
        "cafeteria": factories.resource(
            town, "本町こども食堂", ["eat"], [Schedule(**tuesday)], minimum_age=6, maximum_age=12
        ),
        "far": factories.resource(town, "遠くのひろば", ["play"], point=(35.3, 136.9)),
        "neighbour": factories.resource(
            town, "近所の協力者", ["eat"], [Schedule(**tuesday)], visibility=Visibility.STAFF
        ),
    }


def _get(path, **params):
    response = Client().get(f"/api/hsds/{path}", params)
    return response.status_code, response.json()


def test_services_come_in_the_page_envelope_and_validate(directory):
    status, page = _get("services")
    assert status == 200
    assert {k: page[k] for k in ("total_items", "total_pages", "page_number", "first_page")} == {
        "total_items": 2,
        "total_pages": 1,
        "page_number": 1,
        "first_page": True,
    }
    assert [s["name"] for s in page["contents"]] == ["本町こども食堂", "遠くのひろば"]
    assert all(hsds.problems(s) == [] for s in page["contents"])


def test_a_staff_only_entry_is_never_listed_nor_found(directory):
    _, page = _get("services", per_page=500)
    assert "近所の協力者" not in str(page)
    hidden = directory["neighbour"].service.uid
    assert Client().get(f"/api/hsds/services/{hidden}").status_code == 404
    shown = directory["cafeteria"].service.uid
    status, service = _get(f"services/{shown}")
    assert status == 200 and service["id"] == str(shown)


def test_age_day_time_and_proximity_filters(directory):
    def names(**params):
        return [s["name"] for s in _get("services", **params)[1]["contents"]]

    assert names(age=10, day="TU") == ["本町こども食堂"]
    assert names(age=15, day="TU") == []
    assert names(day="TU", time="16:00") == ["本町こども食堂"]
    assert names(day="TU", time="20:00") == []
    assert names(lat=35.3, lon=136.9, radius=1000) == ["遠くのひろば"]
    assert names(taxonomy_term_id=hsds.term_id("play")) == ["遠くのひろば"]


def test_bad_filters_are_explained(directory):
    status, body = _get("services", lat="136.9", lon="35.3")
    assert status == 400 and "入れ替わって" in str(body)
    status, body = _get("services", day="someday")
    assert status == 400 and "YYYY-MM-DD" in str(body)


def test_organizations_taxonomies_and_the_openapi_document(directory):
    _, organisations = _get("organizations")
    assert organisations["total_items"] == 2
    _, terms = _get("taxonomy_terms")
    assert "たべる" in str(terms) or "食事" in str(terms)
    status, document = _get("openapi.json", format="json")
    assert status == 200
    paths = set(document["paths"])
    assert {"/api/hsds/services", "/api/hsds/services/{uid}", "/api/hsds/organizations"} <= paths
    names = {p["name"] for p in document["paths"]["/api/hsds/services"]["get"]["parameters"]}
    assert {"age", "day", "time", "lat", "lon", "radius", "page", "per_page"} <= names
