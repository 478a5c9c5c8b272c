"""The city keeps its catalogue by fiscal year: next year copied from this one, a fee table
changed for new decisions only, a provider and its contract added."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from tests import factories
from tsunagu.family_support import catalogue, services
from tsunagu.family_support.models import Contract, Offering, Provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(users, family):
    _household, mother, child = family
    return factories.case(users["caseworker"], [(mother, "guardian"), (child, "child")])


def _home_visits(town, year: int) -> Offering:
    return Offering.objects.get(
        municipality=town, fiscal_year=year, legal_category="home_visit_support"
    )


def test_next_year_is_a_copy_with_menus_fees_and_contracts(users, town, case):
    factories.home_visit_decision(users["caseworker"], case, users["provider"].organisation)
    made = services.copy_year(town, 2026, actor=users["admin"])
    assert len(made) == len(catalogue.STANDARD)
    copy = _home_visits(town, 2027)
    assert copy.fee_for("tax_exempt") == 150 and copy.menu.count() == 5
    assert copy.contracts.get().unit_price == 3000
    with pytest.raises(ValidationError, match="すでにあります"):
        services.copy_year(town, 2026, actor=users["admin"])


def test_a_changed_fee_applies_to_new_decisions_only(users, town, case):
    first = factories.home_visit_decision(users["caseworker"], case, users["provider"].organisation)
    offering = first.offering
    client = Client()
    client.force_login(users["supervisor"])
    form = {
        "fiscal_year": 2026,
        "kind": offering.kind_id,
        "legal_category": offering.legal_category,
        "delivery": offering.delivery,
        "public_name": offering.public_name,
        "unit": offering.unit,
        "residents_only": "on",
        "per_use_limit": "2",
        "uses_limit": "4",
        "over_limit_rate": "1000",
        "fee_tax_exempt_all": "200",
        "fee_other_all": "600",
    }
    answer = client.post(reverse("family_support:offering_edit", args=[offering.pk]), form)
    assert answer.status_code == 302
    offering.refresh_from_db()
    assert offering.fee_for("tax_exempt") == 200
    with pytest.raises(ValidationError, match="生活保護世帯"):
        offering.fee_for("public_assistance")  # left empty: no rate any more
    second = services.decide(
        case,
        actor=users["caseworker"],
        child=first.child,
        offering=offering,
        provider=first.provider,
        starts_on=date(2026, 12, 1),
        ends_on=date(2027, 2, 28),
        tier="tax_exempt",
    )
    first.refresh_from_db()
    assert (first.fee_per_unit, second.fee_per_unit) == (150, 200)


def test_a_provider_and_its_contract_added_by_the_administrator(users, town):
    catalogue.load(town, 2026)
    client = Client()
    client.force_login(users["admin"])
    answer = client.post(
        reverse("family_support:provider_create"),
        {
            "name": "里親 森田家",
            "kind": "foster_carer",
            "capacity": 1,
            "current_placements": 0,
            "years_experience": 5,
            "is_active": "on",
            "weekends_only": "on",
        },
    )
    assert answer.status_code == 302
    carer = Provider.objects.get(name="里親 森田家")
    short_stay = Offering.objects.get(municipality=town, fiscal_year=2026, kind__code="short_stay")
    client.post(
        reverse("family_support:contract_save", args=[carer.pk]),
        {"offering": short_stay.pk, "unit_price": 7000, "management_fee_percent": "0"},
    )
    contract = Contract.objects.get(provider=carer)
    assert (contract.offering, contract.unit_price) == (short_stay, 7000)
    assert contract.management_fee_percent == Decimal(0)


def test_only_the_keepers_of_their_own_city_change_it(users, town, other_town):
    catalogue.load(town, 2026)
    offering = _home_visits(town, 2026)
    with pytest.raises(PermissionDenied):
        services.copy_year(town, 2026, actor=users["caseworker"])
    other = factories.users(other_town, prefix="o_")
    with pytest.raises(PermissionDenied):
        services.copy_year(town, 2026, actor=other["admin"])
    client = Client()
    client.force_login(other["admin"])
    assert (
        client.get(reverse("family_support:offering_edit", args=[offering.pk])).status_code == 404
    )
