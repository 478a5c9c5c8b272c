"""A provider's staff see the users of their own provider's decisions only — by page and by
API — and never the case."""

import uuid
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tsunagu.accounts.services import create_user
from tsunagu.core.models import Organisation
from tsunagu.core.roles import Role
from tsunagu.family_support import services
from tsunagu.family_support.models import Usage
from tsunagu.family_support.services import UseInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(users, family):
    _household, mother, child = family
    case = factories.case(users["caseworker"], [(mother, "guardian"), (child, "child")])
    return factories.home_visit_decision(users["caseworker"], case, users["provider"].organisation)


@pytest.fixture
def other_provider(town):
    """Staff of a second provider of the same city, with no decision for this family."""
    organisation = Organisation.objects.create(
        municipality=town, kind=Organisation.Kind.PROVIDER, name="ほかの事業所"
    )
    return create_user(
        username="other_provider",
        password=factories.PASSWORD,
        organisation=organisation,
        role=Role.PROVIDER_STAFF,
        display_name="ほかの 事業所さん",
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_provider_sees_its_user_and_the_other_provider_does_not(
    users, decision, other_provider
):
    own, other = _client(users["provider"]), _client(other_provider)
    child = str(decision.child)
    assert child in own.get(reverse("family_support:portal")).content.decode()
    assert child not in other.get(reverse("family_support:portal")).content.decode()
    for name in ("family_support:portal_user", "family_support:usage_create"):
        url = reverse(name, args=[decision.pk])
        assert own.get(url).status_code == 200
        assert other.get(url).status_code == 404


def test_by_api_too(users, decision, other_provider):
    own, other = _client(users["provider"]), _client(other_provider)
    listed = own.get(reverse("api_family_support_decisions")).json()["results"]
    assert [row["id"] for row in listed] == [decision.pk]
    assert other.get(reverse("api_family_support_decisions")).json()["results"] == []
    url = reverse("api_family_support_decision", args=[decision.pk])
    assert own.get(url).json()["child"] == str(decision.child)
    assert other.get(url).status_code == 404
    use = {
        "decision": decision.pk,
        "key": str(uuid.uuid4()),
        "used_on": "2026-11-02",
        "starts_at": "10:00",
        "ends_at": "12:00",
        "attended": "1",
        "children": 1,
        "guardians": 1,
        "concern": "none",
    }
    assert other.post(reverse("api_family_support_use"), use).status_code == 404
    assert not Usage.objects.exists()
    created = own.post(reverse("api_family_support_use"), use)
    assert created.status_code == 201 and created.json()["fee"] == 300
    assert own.post(reverse("api_family_support_use"), use).status_code == 200
    assert Usage.objects.count() == 1


def test_a_use_the_other_provider_recorded_is_not_found(users, decision, other_provider):
    usage, _ = services.record_use(
        decision, UseInput(used_on=date(2026, 11, 2), amount=2), actor=users["provider"]
    )
    url = reverse("family_support:usage_detail", args=[usage.pk])
    assert _client(users["provider"]).get(url).status_code == 200
    assert _client(other_provider).get(url).status_code == 404


def test_the_provider_never_reaches_the_case(users, decision):
    client = _client(users["provider"])
    assert client.get(reverse("cases:case_detail", args=[decision.case_id])).status_code == 403
    detail = client.get(reverse("family_support:decision_detail", args=[decision.pk]))
    assert detail.status_code == 302
    assert detail["Location"] == reverse("family_support:portal_user", args=[decision.pk])
