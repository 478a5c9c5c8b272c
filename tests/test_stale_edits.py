"""Every edit form carries the version it was opened at, and a POST without it saves nothing
(the probe found the person, activity and resource forms saving over others' changes)."""

import pytest
from django.test import Client
from django.urls import reverse

from tsunagu.resources.models import Service

from . import factories


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _as_posted(*forms) -> dict:
    """What a browser would send back from the page's forms, unchanged."""
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = "on" if value is True else str(value)
    return data


def test_a_person_edit_without_its_version_saves_nothing(users, family):
    _, mother, _ = family
    client = _client(users["nurse"])
    url = reverse("people:person_edit", kwargs={"pk": mother.pk})
    data = _as_posted(client.get(url).context["form"])
    data.pop("version")
    response = client.post(url, {**data, "address": "上書きされた住所"})
    assert response.status_code == 200
    assert "画面を開き直して" in response.content.decode()
    mother.refresh_from_db()
    assert mother.address != "上書きされた住所"
    version = client.get(url).context["form"].initial["version"]
    client.post(url, {**data, "address": "上書きされた住所", "version": version})
    mother.refresh_from_db()
    assert mother.address == "上書きされた住所"


def test_an_activity_edit_without_its_version_saves_nothing(users, family):
    _, mother, child = family
    case = factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    activity = factories.activity(users["caseworker"], case)
    client = _client(users["caseworker"])
    url = reverse("cases:activity_edit", kwargs={"pk": case.pk, "activity_pk": activity.pk})
    data = _as_posted(client.get(url).context["form"])
    data.pop("version")
    response = client.post(url, {**data, "content": "版なしの上書き"})
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.content != "版なしの上書き"
    version = client.get(url).context["form"].initial["version"]
    client.post(url, {**data, "content": "版ありの修正", "version": version})
    activity.refresh_from_db()
    assert activity.content == "版ありの修正"


@pytest.mark.parametrize("what", ["status", "rank"])
def test_a_case_update_without_its_version_saves_nothing(users, family, what):
    _, mother, child = family
    case = factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    client = _client(users["caseworker"])
    fields = {"status": {"status": "closed", "reason": "転出"}, "rank": {"rank": "A"}}[what]
    client.post(reverse(f"cases:case_{what}", kwargs={"pk": case.pk}), fields)
    case.refresh_from_db()
    assert case.status != "closed" and case.risk_rank != "A"


def test_a_resource_edit_without_its_version_saves_nothing(users, town):
    factories.ensure_code_lists()
    place = factories.resource(town, "本町こども食堂")
    client = _client(users["editor"])
    url = reverse("resources:service_edit", kwargs={"pk": place.service_id})
    page = client.get(url).context
    data = _as_posted(
        page["service_form"],
        page["location_form"],
        page["formset"].management_form,
        *page["formset"].forms,
    )
    version = data.pop("version", None) or str(page["version"])
    changed = {**data, "service-phone": "0599-99-9999"}
    response = client.post(url, changed, follow=True)
    assert "画面を開き直して" in response.content.decode()
    assert Service.objects.get(pk=place.service_id).phone != "0599-99-9999"
    # The same form with its version saves.
    client.post(url, {**changed, "version": version})
    assert Service.objects.get(pk=place.service_id).phone == "0599-99-9999"
