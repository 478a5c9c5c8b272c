"""Building blocks for tests: a small municipality with one user per role."""

import csv
from datetime import date, timedelta
from pathlib import Path

from tsunagu.accounts.services import create_user
from tsunagu.core.models import Municipality, Organisation
from tsunagu.core.roles import Role
from tsunagu.people.matching.normalise import name_keys
from tsunagu.people.models import Household, HouseholdMember, KnownTo, Person, Sex

PASSWORD = "test-password-not-used-anywhere-else"
Kind = Organisation.Kind

ROLE_ORGANISATION = {
    "nurse": (Role.CENTER_STAFF, Kind.UNIT_MATERNAL_HEALTH),
    "caseworker": (Role.CENTER_STAFF, Kind.UNIT_CHILD_WELFARE),
    "supervisor": (Role.SUPERVISOR, Kind.CENTER),
    "partner": (Role.PARTNER, Kind.CAFETERIA),
    "provider": (Role.PROVIDER_STAFF, Kind.PROVIDER),
    "cgc": (Role.CGC_LIAISON, Kind.CGC),
    "editor": (Role.RESOURCE_EDITOR, Kind.SOCIAL_WELFARE_COUNCIL),
    "admin": (Role.ADMINISTRATOR, Kind.CENTER),
}


def municipality(code="24205", name="テスト市") -> Municipality:
    return Municipality.objects.create(code=code, name=name, prefecture="三重県")


def organisations(town: Municipality) -> dict[str, Organisation]:
    center = Organisation.objects.create(municipality=town, kind=Kind.CENTER, name="センター")
    made = {Kind.CENTER: center}
    for kind in (*Organisation.CENTER_UNITS,):
        made[kind] = Organisation.objects.create(
            municipality=town, kind=kind, name=kind.label, parent=center
        )
    for kind in (Kind.CAFETERIA, Kind.PROVIDER, Kind.CGC, Kind.SOCIAL_WELFARE_COUNCIL):
        made[kind] = Organisation.objects.create(municipality=town, kind=kind, name=kind.label)
    return made


def users(town: Municipality, prefix: str = "") -> dict[str, object]:
    """One user per role of the municipality, and the install's operator (of no municipality)."""
    orgs = organisations(town)
    made = {
        key: create_user(
            username=f"{prefix}{key}",
            password=PASSWORD,
            organisation=orgs[kind],
            role=role,
            display_name=f"{key} さん",
        )
        for key, (role, kind) in ROLE_ORGANISATION.items()
    }
    made["operator"] = create_user(
        username=f"{prefix}operator",
        password=PASSWORD,
        organisation=None,
        role=Role.OPERATOR,
        display_name="運用 さん",
    )
    return made


def person(town: Municipality, given: str, given_kana: str, born: date, **extra) -> Person:
    fields = {"family_name": "髙橋", "family_kana": "タカハシ", "sex": Sex.FEMALE, **extra}
    return Person.objects.create(
        municipality=town, given_name=given, given_kana=given_kana, birth_date=born, **fields
    )


def known_to(person: Person, *kinds) -> None:
    """The town's units of these kinds hold records about the person."""
    for organisation in Organisation.objects.filter(
        municipality=person.municipality, kind__in=kinds
    ):
        KnownTo.objects.create(person=person, organisation=organisation)


BOTH_UNITS = (Kind.UNIT_MATERNAL_HEALTH, Kind.UNIT_CHILD_WELFARE)


def family(town: Municipality, units=BOTH_UNITS) -> tuple[Household, Person, Person]:
    """髙橋 美咲 (mother) and 髙橋 結衣 (child, born 2019-04-01) in one household.

    Known to the given units (by default maternal health and child welfare).
    """
    household = Household.objects.create(municipality=town, address="テスト市本町1-2-3")
    mother = person(town, "美咲", "ミサキ", date(1990, 5, 1))
    child = person(town, "結衣", "ユイ", date(2019, 4, 1))
    for member, relationship in ((mother, "mother"), (child, "child")):
        HouseholdMember.objects.create(
            household=household, person=member, relationship=relationship
        )
        known_to(member, *units)
    return household, mother, child


def intake(worker, persons, *, summary="登校時に空腹を訴え、衣服の汚れが続いている。"):
    """An abuse report about the persons, received by the worker's unit."""
    from django.utils import timezone

    from tsunagu.cases import services
    from tsunagu.cases.models import ConsultationCategory, Intake

    report = Intake(
        received_at=timezone.now(),
        channel=Intake.Channel.PHONE,
        source=Intake.Source.SCHOOL,
        category=ConsultationCategory.objects.get(code="care.abuse", is_current=True),
        abuse_neglect=True,
        urgency=Intake.Urgency.TODAY,
        summary=summary,
    )
    return services.receive_intake(report, persons, actor=worker)


def case(worker, persons, *, title="髙橋 美咲さん世帯"):
    """A case of the worker's unit, opened from an abuse report about the persons."""
    from tsunagu.cases import services

    return services.open_case(intake(worker, persons), title=title, actor=worker)


def activity(worker, case, content="母に電話。来週の家庭訪問を約束した。"):
    from django.utils import timezone

    from tsunagu.cases import services
    from tsunagu.cases.models import Activity

    entry = Activity(kind=Activity.Kind.CALL, occurred_at=timezone.now(), content=content)
    return services.record_activity(case, entry, actor=worker)


def ensure_code_lists() -> None:
    """Put back the code lists a data migration wrote, when a transactional test's flush has
    emptied the tables (pytest-django flushes after each such test)."""
    from tsunagu.demo.loader import restore_code_lists

    restore_code_lists()


def resource(
    town: Municipality,
    name: str,
    categories=("eat",),
    schedules=(),
    *,
    point=(35.0, 136.6),
    operator: Organisation | None = None,
    region=None,
    school_district=None,
    **fields,
):
    """A directory entry (service at one place) with its schedules, written directly."""
    from tsunagu.resources.models import (
        Category,
        Location,
        ResourceOrganisation,
        Service,
        ServiceAtLocation,
    )

    organisation = ResourceOrganisation.objects.create(
        municipality=town, name=f"{name}の会", operator=operator
    )
    service = Service.objects.create(
        municipality=town, organisation=organisation, name=name, **fields
    )
    service.categories.set(Category.objects.filter(code__in=categories))
    location = Location.objects.create(
        municipality=town,
        organisation=organisation,
        name=name,
        prefecture="三重県",
        city=town.name,
        town="本町",
        block="1-2-3",
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        region=region,
        school_district=school_district,
    )
    place = ServiceAtLocation.objects.create(service=service, location=location)
    for schedule in schedules:
        schedule.place = place
        schedule.save()
    return place


CROWD_SURNAMES = [("高橋", "タカハシ"), ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("田中", "タナカ")]
CROWD_GIVEN = [
    ("陽向", "ヒナタ"),
    ("律", "リツ"),
    ("結衣", "ユイ"),
    ("蓮", "レン"),
    ("芽依", "メイ"),
]
FILLER_PEOPLE = Path(__file__).resolve().parent / "data" / "matching" / "00-filler-people.csv"


def crowd(town: Municipality) -> None:
    """A city's register in small: 10,000 persons, 高橋 and エマ among the common names (but
    no 高橋 エマ), so that a name alone says little, as in a city of 139,000."""
    with FILLER_PEOPLE.open(encoding="utf-8", newline="") as handle:
        filler = [
            ((row["family_name"], row["family_kana"]), (row["given_name"], row["given_kana"]))
            for row in csv.DictReader(handle)
        ]
    common = [(f, g) for f in CROWD_SURNAMES for g in CROWD_GIVEN]
    common += [(f, ("恵麻", "エマ")) for f in CROWD_SURNAMES if f[0] != "高橋"]
    names = [*filler * 30, *common * 50]
    Person.objects.bulk_create(
        _crowd_person(town, family, given, date(2000, 1, 1) + timedelta(days=i % 9000))
        for i, (family, given) in enumerate(names)
    )


def _crowd_person(town, family: tuple[str, str], given: tuple[str, str], born: date) -> Person:
    # bulk_create skips save(), where the name keys are made.
    keys = name_keys(family[0], given[0], family[1], given[1])
    return Person(
        municipality=town,
        family_name=family[0],
        family_kana=family[1],
        given_name=given[0],
        given_kana=given[1],
        birth_date=born,
        **keys,
    )


def run_jobs() -> int:
    """Run the queued background jobs (directory imports) to the end, as `tsunagu db_worker`
    does, inside the test's transaction (the worker command closes connections between jobs,
    which a test's transaction cannot survive). Returns how many ran."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    count = 0
    while True:
        with transaction.atomic():  # as the worker claims a job: locked, then marked its own
            result = DBTaskResult.objects.ready().get_locked()
            if result is None:
                return count
            result.claim("tests")
        try:
            value = result.task.call(*result.task_result.args, **result.task_result.kwargs)
        except Exception as error:
            result.set_failed(error)
            raise
        result.set_successful(value)
        count += 1


def plan_objects(users: dict, case) -> dict[str, int]:
    """A draft plan of the case, a conference on it (attended by the caseworker, the
    supervisor and the partner) with a decision and an action item, another conference nobody
    outside the center attended, a 送致 to the cgc with a document, and a 移管 out."""
    from datetime import timedelta

    from django.utils import timezone

    from tsunagu.plans import services as plans
    from tsunagu.plans.models import Conference, PlanItem, PlanTask

    worker, today = users["caseworker"], timezone.localdate()
    plan = plans.start_plan(case, actor=worker)
    item = plans.add_plan_item(plan, PlanItem(kind="other", name="家事支援"), actor=worker)
    task = plans.add_plan_task(
        plan, PlanTask(party="child_welfare", what="月1回の家庭訪問"), actor=worker
    )
    attended = plans.hold_conference(
        Conference(kind="individual", held_on=today),
        users=[users["supervisor"], users["partner"]],
        cases=[case],
        actor=worker,
    )
    discussion = attended.discussions.get()
    action = plans.Action("学校に出席状況を確認", today + timedelta(days=7), owner=worker)
    plans.record_decision(
        discussion, plans.Decision(policy="在宅で見守り", actions=[action]), actor=worker
    )
    other = plans.hold_conference(
        Conference(kind="joint", held_on=today), cases=[case], actor=users["supervisor"]
    )
    document = plans.Document("送致書", today, b"%PDF-1.4", "soushi.pdf", "application/pdf")
    referral = plans.request_handoff(
        case,
        "referral",
        counterpart=users["cgc"].organisation,
        reason="一時保護の検討を依頼",
        documents=[document],
        actor=worker,
    )
    transfer = plans.request_handoff(
        case, "transfer_out", counterpart_municipality="静岡県浜松市", reason="転居", actor=worker
    )
    return {
        "plan": plan.pk,
        "plan_item": item.pk,
        "plan_task": task.pk,
        "conference": attended.pk,
        "other_conference": other.pk,
        "discussion": discussion.pk,
        "action_item": discussion.action_items.get().pk,
        "referral": referral.pk,
        "document": referral.documents.get().pk,
        "transfer": transfer.pk,
    }


def watch_report(
    assignment, partner_user, *, concern="none", child_seen=True, visited=True, on=None, **checks
):
    """A visit report filed by the partner's user (a fresh idempotency key)."""
    import uuid

    from django.utils import timezone

    from tsunagu.watch import services as watch
    from tsunagu.watch.models import WatchReport

    report = WatchReport(
        visit_on=on or timezone.localdate(),
        visited=visited,
        not_visited_reason="" if visited else "absent",
        child_seen=child_seen and visited,
        concern=concern,
        **checks,
    )
    return watch.file_report(assignment, report, uuid.uuid4(), actor=partner_user)[0]


def watch_assignment(worker, case, partner, *, every_weeks=1, days_ago=7):
    """The partner organisation watching the case's household, every week since a week ago."""
    from datetime import timedelta

    from django.utils import timezone

    from tsunagu.watch import services as watch
    from tsunagu.watch.models import WatchAssignment

    assignment = WatchAssignment(
        partner=partner,
        recipient_name="髙橋様",
        delivery_address="テスト市本町1-2-3",
        contact_phone="0594-00-0000",
        method="meal_delivery",
        look_for="下の子の服装",
        every_weeks=every_weeks,
        starts_on=timezone.localdate() - timedelta(days=days_ago),
    )
    return watch.assign_watch(case, assignment, actor=worker)


def watch_objects(users: dict, case) -> dict[str, int]:
    """The partner's cafeteria watching the case's household, with an urgent report that
    raised an alert."""
    assignment = watch_assignment(users["caseworker"], case, users["partner"].organisation)
    report = watch_report(assignment, users["partner"], concern="urgent", injuries=True)
    return {
        "watch_assignment": assignment.pk,
        "watch_report": report.pk,
        "watch_alert": report.alerts.get().pk,
    } | network_objects(users)


def referral(partner_user, *, window="welfare", **fields):
    """A family the partner sends to the center, with the guardian's spoken consent."""
    from django.utils import timezone

    from tsunagu.watch import services as watch
    from tsunagu.watch.models import Referral

    values = {
        "window": window,
        "guardian_name": "森 さくら",
        "children": "小2の女の子",
        "contact_phone": "090-0000-0000",
        "what_was_said": "母がひとりで育児。食費が足りず、夜は子どもだけで過ごす日がある。",
        "consent": "spoken",
        "consent_on": timezone.localdate(),
        "contact_by": "center_calls",
    }
    return watch.refer_family(Referral(**(values | fields)), actor=partner_user)


def network(town, *organisations):
    """The city's cafeteria network with the organisations as members."""
    from django.utils import timezone

    from tsunagu.watch.models import Network, NetworkMember

    made = Network.objects.create(municipality=town, name="テスト市こども食堂ネットワーク")
    for organisation in organisations:
        NetworkMember.objects.create(
            network=made,
            organisation=organisation,
            profile="毎週水曜に開所",
            joined_on=timezone.localdate(),
        )
    return made


def network_objects(users: dict) -> dict[str, int]:
    """The partner's cafeteria in the network, with a donation offer, a need and a referral."""
    from tsunagu.watch import services as watch
    from tsunagu.watch.models import Donation, Need

    partner = users["partner"]
    made = network(partner.organisation.municipality, partner.organisation)
    donation = watch.offer_donation(
        Donation(network=made, item="米", quantity=30, unit="kg"), actor=partner
    )
    need = watch.post_need(Need(network=made, what="おむつ(Mサイズ)"), actor=partner)
    return {
        "network": made.pk,
        "donation": donation.pk,
        "need": need.pk,
        "watch_referral": referral(partner).pk,
    }


def service_provider(
    offering, name="子育てヘルパーステーション ひだまり", organisation=None, **extra
):
    """A provider under contract for ``offering`` (unit price 3,000 円, 10 % management fee)."""
    from decimal import Decimal

    from tsunagu.family_support.models import Contract, Provider

    provider = Provider.objects.create(
        municipality=offering.municipality,
        name=name,
        kind=extra.pop("kind", Provider.Kind.NPO),
        organisation=organisation,
        **extra,
    )
    Contract.objects.create(
        offering=offering,
        provider=provider,
        unit_price=3000,
        management_fee_percent=Decimal(10),
    )
    return provider


def home_visit_decision(worker, case, provider_org, *, tier="tax_exempt", fiscal_year=2026):
    """子育て世帯訪問支援 (2 h × 4 visits) for the case's first child, by the city's standard
    catalogue, with the provider whose staff sign in as ``provider_org``."""
    from tsunagu.family_support import catalogue, services

    offerings = catalogue.load(case.municipality, fiscal_year)
    offering = next(o for o in offerings if o.legal_category == "home_visit_support")
    provider = service_provider(offering, organisation=provider_org)
    child = case.persons_queryset().last()
    start = date(fiscal_year, 10, 1)
    return services.decide(
        case,
        actor=worker,
        child=child,
        offering=offering,
        provider=provider,
        starts_on=start,
        ends_on=date(fiscal_year + 1, 3, 31),
        tier=tier,
        asks_provider="週1回、家事支援。母の話を聞いてください。",
    )


def family_support_objects(users: dict, case) -> dict[str, int]:
    """A home-visit decision for the case's child with the provider user's organisation, one
    use recorded, and a short-stay request to an infant home."""
    from tsunagu.family_support import services
    from tsunagu.family_support.models import Provider
    from tsunagu.family_support.services import UseInput

    decision = home_visit_decision(users["caseworker"], case, users["provider"].organisation)
    usage, _ = services.record_use(
        decision, UseInput(used_on=date(2026, 11, 2), amount=2), actor=users["provider"]
    )
    infant_home = Provider.objects.create(
        municipality=case.municipality, name="わかば乳児院", kind=Provider.Kind.INFANT_HOME
    )
    stay = services.request_stay(
        case,
        actor=users["caseworker"],
        child=decision.child,
        provider=infant_home,
        starts_on=date(2026, 12, 4),
        ends_on=date(2026, 12, 6),
    )
    return {
        "decision": decision.pk,
        "usage": usage.pk,
        "stay": stay.pk,
        "offering": decision.offering_id,
        "service_provider": decision.provider_id,
    }


def demo_city(django_db_blocker, *, seed: int, moment=None, today: date | None = None):
    """Build the demo city at scale 0.1 for a module's tests (at ``moment``, when given) and
    roll it back after them; yields the city's "today". Use as ``yield from`` in a
    module-scoped fixture."""
    from contextlib import nullcontext

    import time_machine
    from django.db import transaction
    from django.utils import timezone

    from tsunagu.demo import loader

    travel = time_machine.travel(moment, tick=False) if moment else nullcontext()
    with travel, django_db_blocker.unblock(), transaction.atomic():
        ensure_code_lists()
        day = today or timezone.localdate()
        loader.build_city(seed=seed, scale=0.1, today=day, progress=lambda _: None)
        yield day
        transaction.set_rollback(True)


def maternal_objects(users: dict, case) -> dict[str, int]:
    """The case's guardian's pregnancy recorded by the nurse, a birth with its newborn visit,
    a missed check-up of the case's child and a follow-up."""
    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    from tsunagu.maternal import schedule, services
    from tsunagu.maternal.models import Birth, FollowUp, PostnatalCare, Pregnancy

    nurse = users["nurse"]
    mother = case.persons.get(role="guardian").person
    child = case.persons.get(role="child").person
    today = timezone.localdate()
    pregnancy = services.record_notification(
        Pregnancy(
            mother=mother,
            notified_on=today - relativedelta(months=8),
            weeks_at_notification=9,
            expected_on=today - relativedelta(days=20),
            partner=Pregnancy.Partner.MARRIED,
            feelings=Pregnancy.Feelings.GLAD,
            support_after_birth=Pregnancy.Support.ENOUGH,
            money=Pregnancy.Money.STABLE,
        ),
        actor=nurse,
    )
    baby = Person(family_name=mother.family_name, given_name="陽", sex=Sex.MALE)
    birth = services.record_birth(
        pregnancy,
        Birth(born_on=today - relativedelta(days=20), weeks=39, weight_g=3100, place="hospital"),
        baby,
        actor=nurse,
    )
    kind = next(k for k in schedule.load(case.municipality) if k.code == "4m")
    on = child.birth_date + relativedelta(months=kind.invite_months)
    services.invite_checkups(kind, actor=nurse, on=on)
    services.mark_missed(case.municipality_id, actor=nurse, on=today)
    care = services.apply_postnatal_care(
        birth, PostnatalCare(kind="day", applied_on=today), actor=nurse
    )
    return {
        "pregnancy": pregnancy.pk,
        "birth": birth.pk,
        "postnatal_care": care.pk,
        "newborn_visit": birth.visit.pk,
        "checkup": child.checkups.get(kind=kind).pk,
        "follow_up": FollowUp.objects.filter(person=mother).first().pk,
    }
