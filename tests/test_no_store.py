"""Personal-data pages and exports are never kept by a browser or proxy (no-store)."""

from django.test import Client
from django.urls import reverse

from . import factories


def test_personal_data_pages_and_exports_send_no_store(users, family):
    _, mother, child = family
    case = factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    client = Client()
    client.force_login(users["caseworker"])
    urls = [
        reverse("people:person_detail", kwargs={"pk": child.pk}),
        reverse("cases:case_detail", kwargs={"pk": case.pk}),
        reverse("cases:register_export"),
        reverse("cases:intake_print", kwargs={"pk": case.intakes.get().pk}),
        reverse("api_me"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers["Cache-Control"], url


def test_public_pages_may_be_cached(db):
    response = Client().get(reverse("finder:index"))
    assert "no-store" not in response.headers.get("Cache-Control", "")
