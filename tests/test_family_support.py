"""Family support services: the decision reads its fee from the table, the provider's
records stay within what the decision allows, and an urgent observation reaches the key
person as an alert."""

import uuid
from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tsunagu.core.fiscal import fiscal_year_of
from tsunagu.family_support import services
from tsunagu.family_support.models import Decision, Usage
from tsunagu.family_support.services import UseInput
from tsunagu.watch.models import Alert

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(users, family):
    _household, mother, child = family
    return factories.case(users["caseworker"], [(mother, "guardian"), (child, "child")])


@pytest.fixture
def decision(users, case):
    return factories.home_visit_decision(users["caseworker"], case, users["provider"].organisation)


def _visit(day: int, **extra) -> UseInput:
    return UseInput(used_on=date(2026, 11, day), starts_at=time(10), ends_at=time(12), **extra)


def test_the_decision_takes_the_standard_limits_and_the_tables_fee(decision):
    assert (decision.per_use_limit, decision.uses_limit) == (Decimal(2), 4)
    assert decision.fee_per_unit == 150  # 住民税非課税, per hour
    assert decision.fee_per_use == 300
    assert decision.number.startswith(f"S{fiscal_year_of(timezone.localdate())}-")


def test_four_visits_are_accepted_and_a_fifth_refused(users, decision):
    for day in (2, 9, 16, 23):
        usage, created = services.record_use(decision, _visit(day), actor=users["provider"])
        assert created and usage.status == Usage.Status.ACCEPTED and usage.fee == 300
    with pytest.raises(ValidationError, match="上限"):
        services.record_use(decision, _visit(24), actor=users["provider"])
    assert decision.uses.count() == 4


def test_a_visit_past_the_standard_time_is_charged_the_surcharge(users, decision):
    entry = UseInput(used_on=date(2026, 11, 2), starts_at=time(10), ends_at=time(13))
    usage, _ = services.record_use(decision, entry, actor=users["provider"])
    assert usage.amount == 3 and usage.over_limit == 1
    assert usage.fee == 2 * 150 + 1000


def test_an_extendable_decision_holds_the_extra_visit_for_approval(users, decision):
    decision.extendable = True
    decision.save()
    for day in (2, 9, 16, 23):
        services.record_use(decision, _visit(day), actor=users["provider"])
    held, _ = services.record_use(decision, _visit(24), actor=users["provider"])
    assert held.status == Usage.Status.HELD
    services.approve_use(held, actor=users["caseworker"])
    held.refresh_from_db()
    assert held.status == Usage.Status.APPROVED and held.approved_by == users["caseworker"]


def test_an_urgent_observation_raises_an_alert_to_the_key_person(users, decision):
    said = "子どもが「お父さんにたたかれる」と話した。"
    usage, _ = services.record_use(
        decision, _visit(2, concern="urgent", observation=said), actor=users["provider"]
    )
    alert = Alert.objects.get(case=decision.case)
    assert alert.reason == Alert.Reason.SERVICE_OBSERVATION and alert.is_urgent
    assert alert.summary == said and str(usage.pk) in alert.link
    assert alert.acknowledge_by is not None


def test_the_same_key_sent_twice_keeps_one_record(users, decision):
    key = uuid.uuid4()
    first, created = services.record_use(decision, _visit(2), actor=users["provider"], key=key)
    again, created_again = services.record_use(
        decision, _visit(2), actor=users["provider"], key=key
    )
    assert created and not created_again and first.pk == again.pk


def test_outside_the_decided_dates_or_in_the_future_is_refused(users, decision):
    with pytest.raises(ValidationError, match="期間"):
        services.record_use(
            decision,
            UseInput(used_on=date(2026, 9, 30), amount=Decimal(2)),
            actor=users["provider"],
        )


def test_another_providers_staff_cannot_record(users, other_town, decision):
    other = factories.users(other_town, prefix="o_")
    with pytest.raises(PermissionDenied):
        services.record_use(decision, _visit(2), actor=other["provider"])


def test_monitoring_extends_or_ends_the_decision(users, decision):
    services.record_monitoring(
        decision,
        actor=users["caseworker"],
        held_on=date(2026, 11, 20),
        outcome="extend",
        extend_to=date(2027, 3, 31),
        extend_uses=8,
    )
    decision.refresh_from_db()
    assert decision.uses_limit == 8 and decision.next_monitoring_on == date(2027, 2, 20)
    services.record_monitoring(
        decision,
        actor=users["caseworker"],
        held_on=date(2026, 11, 24),
        outcome="end",
        note="目標達成",
    )
    decision.refresh_from_db()
    assert decision.status == Decision.Status.ENDED and decision.ended_on == date(2026, 11, 24)


def test_the_monitoring_is_due_to_the_caseworker_and_on_the_timeline(client, users, decision):
    from tsunagu.cases.selectors import due_for, timeline_for

    due = [d for d in due_for(users["caseworker"]) if d.kind == "service_monitoring"]
    assert [d.due for d in due] == [date(2027, 1, 1)]
    assert decision.offering.public_name in due[0].label
    services.record_use(
        decision,
        _visit(2, concern="note", observation="部屋が片付いてきた"),
        actor=users["provider"],
    )
    titles = [e.title for e in timeline_for(users["caseworker"], decision.case, {"family_support"})]
    assert any(t.startswith("利用決定") for t in titles)
    assert any("提供事業者の気づき" in t for t in titles)
    client.force_login(users["caseworker"])
    assert client.get(reverse("cases:due_list")).status_code == 200


def test_an_ended_decision_takes_after_care_contacts_only(users, decision):
    services.record_monitoring(
        decision, actor=users["caseworker"], held_on=date(2026, 11, 20), outcome="end"
    )
    with pytest.raises(ValidationError, match="アフターケア"):
        services.record_monitoring(
            decision, actor=users["caseworker"], held_on=date(2026, 11, 24), outcome="continue"
        )
    services.record_monitoring(
        decision,
        actor=users["caseworker"],
        held_on=date(2026, 11, 24),
        outcome="after_care",
        note="電話。母は仕事を始めた。",
    )
    assert decision.monitorings.count() == 2


def test_a_service_for_registered_families_needs_a_registration(users, case):
    from tsunagu.family_support import catalogue

    offerings = catalogue.load(case.municipality, 2026)
    nurturing = next(o for o in offerings if o.legal_category == "nurturing_visit")
    provider = factories.service_provider(nurturing)
    with pytest.raises(ValidationError, match="要対協"):
        services.decide(
            case,
            actor=users["caseworker"],
            child=case.persons_queryset().last(),
            offering=nurturing,
            provider=provider,
            starts_on=date(2026, 11, 1),
            ends_on=date(2027, 1, 31),
            tier="other",
        )


def test_a_decision_made_from_an_application_closes_it(client, users, case):
    from tsunagu.family_support import catalogue
    from tsunagu.family_support.models import Application

    year = fiscal_year_of(timezone.localdate())
    offering = next(
        o for o in catalogue.load(case.municipality, year) if o.legal_category == "child_hub"
    )
    provider = factories.service_provider(offering, name="こどもの拠点 ひなた")
    child = case.persons_queryset().last()
    client.force_login(users["caseworker"])
    client.post(
        reverse("family_support:application_create", args=[case.pk]),
        {
            "child": child.pk,
            "offering": offering.pk,
            "route": "recommended",
            "received_on": f"{year}-11-10",
            "interview_on": f"{year}-11-12",
        },
    )
    application = Application.objects.get()
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    url = reverse("family_support:decision_create", args=[case.pk]) + f"?from={application.pk}"
    assert url in page
    form = client.get(url).context["form"]
    assert form.initial["offering"] == offering.pk and form.initial["child"] == child.pk
    answer = client.post(
        url,
        {
            "child": child.pk,
            "offering": offering.pk,
            "provider": provider.pk,
            "starts_on": f"{year}-12-01",
            "ends_on": f"{year + 1}-03-31",
            "tier": "other",
            "application": application.pk,
        },
    )
    assert answer.status_code == 302
    application.refresh_from_db()
    assert application.status == "decided"
    assert Decision.objects.get().application == application


def test_an_absence_needs_no_times_and_uses_nothing(users, decision):
    absent, _ = services.record_use(
        decision, UseInput(used_on=date(2026, 11, 2), attended=False), actor=users["provider"]
    )
    assert (absent.amount, absent.fee, absent.counts) == (0, 0, False)
    for day in (9, 16, 23, 24):
        services.record_use(decision, _visit(day), actor=users["provider"])
