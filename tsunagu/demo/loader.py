"""Writes the demo city into the database, all or nothing."""

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history

from tsunagu.accounts.models import User
from tsunagu.accounts.services import create_user
from tsunagu.core.models import Area, Municipality, Organisation
from tsunagu.core.roles import Role
from tsunagu.people.models import Household, HouseholdMember, KnownTo, Person

from . import (
    casework,
    city,
    family_support,
    maternal,
    names,
    plans,
    population,
    resources,
    watch,
)

BATCH = 2000
HISTORY_REASON = "デモデータの作成"

Kind = Organisation.Kind

# One login per role (and per unit of the center, so unit-based access can be tried).
LOGINS = [
    ("hoken", Role.CENTER_STAFF, "unit_maternal_health", "保健師"),
    ("katei", Role.CENTER_STAFF, "unit_child_welfare", "ケースワーカー"),
    ("hattatsu", Role.CENTER_STAFF, "unit_development", "発達相談員"),
    ("tokatsu", Role.SUPERVISOR, "center", "統括支援員"),
    ("shokudo", Role.PARTNER, "cafeteria", "こども食堂 運営者"),
    ("jigyosha", Role.PROVIDER_STAFF, "provider", "事業者職員"),
    ("jiso", Role.CGC_LIAISON, "cgc", "児童相談所 連絡担当"),
    ("shakyo", Role.RESOURCE_EDITOR, "social_welfare_council", "地域福祉コーディネーター"),
    ("kanri", Role.ADMINISTRATOR, "center", "システム管理者"),
    ("unyou", Role.OPERATOR, None, "運用管理者"),  # of the install: no organisation
]
# The two other cafeterias that watch households with shokudo's (seed 000: three of twelve),
# made after the plans so that what a seed gave before stays the same.
WATCH_LOGINS = [
    ("shokudo2", Role.PARTNER, "cafeteria2", "こども食堂 運営者"),
    ("shokudo3", Role.PARTNER, "cafeteria3", "こども食堂 運営者"),
]
# The staff of the two other providers, who record helper visits and the hub's days (issue 19).
FAMILY_SUPPORT_LOGINS = [
    ("helper", Role.PROVIDER_STAFF, "provider2", "訪問支援員"),
    ("hiroba", Role.PROVIDER_STAFF, "provider3", "拠点職員"),
]


@dataclass
class Login:
    username: str
    password: str
    role: str
    organisation: str


@dataclass
class Summary:
    municipality: Municipality
    people: int
    households: int
    children: int
    organisations: int
    logins: list[Login]
    seconds: float


Progress = Callable[[str], None]


def restore_code_lists() -> None:
    """Put back the code lists that data migrations wrote, after a flush emptied every table
    (``demo --reset``; a transactional test's teardown)."""
    from importlib import import_module

    from django.apps import apps

    from tsunagu.cases.models import ConsultationCategory
    from tsunagu.plans.models import ServiceKind
    from tsunagu.resources.models import Category

    if not ConsultationCategory.objects.exists():
        import_module("tsunagu.cases.migrations.0002_code_lists").load(apps, None)
    if not Category.objects.exists():
        import_module("tsunagu.resources.migrations.0002_categories").add(apps, None)
        import_module("tsunagu.resources.migrations.0005_category_english").add_english(apps, None)
    if not ServiceKind.objects.exists():
        import_module("tsunagu.plans.migrations.0002_service_catalogue").add(apps, None)


def demo_municipality() -> Municipality | None:
    return Municipality.objects.filter(code__startswith=city.MUNICIPALITY["code"]).first()


def _geography(rng: Random, municipality: Municipality, shape) -> tuple[list, list[Area]]:
    regions = [
        Area.objects.create(
            municipality=municipality, kind=Area.Kind.REGION, code=f"R{i + 1}", name=n, name_kana=k
        )
        for i, (n, k) in enumerate(city.REGIONS)
    ]
    town_names = names.town_names(
        rng, shape.elementary_schools * shape.towns_per_elementary_district
    )
    districts, towns = [], []
    for d in range(shape.elementary_schools):
        block = town_names[d * shape.towns_per_elementary_district :][
            : shape.towns_per_elementary_district
        ]
        base_name = block[0][0]
        district = Area.objects.create(
            municipality=municipality,
            kind=Area.Kind.ELEMENTARY_DISTRICT,
            code=f"E{d + 1:02d}",
            name=f"{base_name.removesuffix('町')}小学校区",
            parent=regions[d % len(regions)],
        )
        districts.append(district)
        for t, (town, kana) in enumerate(block):
            towns.append(
                Area(
                    municipality=municipality,
                    kind=Area.Kind.TOWN,
                    code=f"T{d + 1:02d}{t + 1}",
                    name=town,
                    name_kana=kana,
                    parent=district,
                )
            )
    Area.objects.bulk_create(towns)
    for j in range(shape.junior_high_schools):
        Area.objects.create(
            municipality=municipality,
            kind=Area.Kind.JUNIOR_HIGH_DISTRICT,
            code=f"J{j + 1:02d}",
            name=f"{districts[j * len(districts) // shape.junior_high_schools].name[:-3]}中学校区",
            parent=regions[j % len(regions)],
        )
    return districts, list(Area.objects.filter(municipality=municipality, kind=Area.Kind.TOWN))


def _organisations(rng: Random, municipality: Municipality, shape, districts, towns) -> dict:
    def org(kind, name, **extra):
        return Organisation.objects.create(municipality=municipality, kind=kind, name=name, **extra)

    center = org(Kind.CENTER, city.CENTER)
    made = {"center": center}
    for kind, name in city.UNITS.items():
        made[kind] = org(kind, name, parent=center)
    made["cgc"] = org(Kind.CGC, city.CGC)
    made["social_welfare_council"] = org(Kind.SOCIAL_WELFARE_COUNCIL, city.SOCIAL_WELFARE_COUNCIL)
    providers = [org(Kind.PROVIDER, name) for name in city.PROVIDERS]
    made["provider"], made["provider2"], made["provider3"] = providers
    cafeterias = []
    for town in rng.sample(towns, shape.cafeterias):
        cafeterias.append(
            org(Kind.CAFETERIA, f"{town.name.removesuffix('町')}こども食堂", area=town.parent)
        )
    made["cafeteria"], made["cafeteria2"], made["cafeteria3"] = cafeterias[:3]
    for district in districts:
        org(Kind.SCHOOL, district.name.replace("小学校区", "小学校"), area=district)
    for area in Area.objects.filter(municipality=municipality, kind=Area.Kind.JUNIOR_HIGH_DISTRICT):
        org(Kind.SCHOOL, area.name.replace("中学校区", "中学校"), area=area)
    nursery_kinds = [("保育園", shape.nurseries), ("幼稚園", shape.kindergartens)]
    nursery_kinds.append(("認定こども園", shape.certified_centres))
    for suffix, count in nursery_kinds:
        for _ in range(count):
            town = towns[rng.randrange(len(towns))]
            org(Kind.NURSERY, f"{town.name.removesuffix('町')}{suffix}", area=town.parent)
    for name in city.HOSPITALS:
        org(Kind.HOSPITAL, name)
    for name in city.OTHER_PARTNERS:
        org(Kind.OTHER, name)
    return made


def _logins(rng: Random, organisations: dict, table: list = LOGINS) -> list[Login]:
    logins = []
    for username, role, org_key, title in table:
        family, family_kana = names.family_name(rng)
        given, given_kana = names.given_name(rng, rng.choice(("female", "male")))
        password = secrets.token_urlsafe(12)
        organisation = organisations[org_key] if org_key else None
        create_user(
            username=username,
            password=password,
            organisation=organisation,
            role=role,
            display_name=f"{family} {given}({title})",
            display_name_kana=f"{family_kana} {given_kana}",
        )
        logins.append(Login(username, password, role, _organisation_name(organisation)))
    return logins


def reset_demo_passwords() -> list[Login]:
    """New passwords for the demo logins of a city loaded earlier (none is ever fixed)."""
    logins = []
    for username, role, _, _ in LOGINS + WATCH_LOGINS + FAMILY_SUPPORT_LOGINS:
        user = User.objects.filter(username=username).select_related("organisation").first()
        if user is None:
            continue
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save(update_fields=["password"])
        logins.append(Login(username, password, role, _organisation_name(user.organisation)))
    return logins


def _organisation_name(organisation) -> str:
    return organisation.name if organisation else "(全体の運用)"


# Which households a unit holds records about: every family with a child under six is seen by
# maternal health (health checks reach all of them); a few are known to child welfare or
# developmental support.
UNIT_SHARES = {Kind.UNIT_CHILD_WELFARE: 0.04, Kind.UNIT_DEVELOPMENT: 0.02}


def _units_knowing(rng: Random, row, today: date, units: dict) -> list:
    youngest = max((m.birth_date for m in row.members), default=None)
    knowing = []
    if youngest and (today - youngest).days < 6 * 365:
        knowing.append(units[Kind.UNIT_MATERNAL_HEALTH])
    has_child = youngest and (today - youngest).days < 18 * 365
    for kind, share in UNIT_SHARES.items():
        if has_child and rng.random() < share:
            knowing.append(units[kind])
    return knowing


def _save_population(
    rng: Random, municipality, rows, towns, units: dict, today: date, progress: Progress
) -> tuple[int, int]:
    households, persons, members, known = [], [], [], []
    for row in rows:
        town = towns[row.town_index]
        household = Household(
            municipality=municipality,
            postal_code=row.postal_code,
            address=f"{city.MUNICIPALITY['name']}{row.address}",
            town=town,
            phone=row.phone,
        )
        households.append(household)
        for member in row.members:
            person = Person(
                municipality=municipality,
                family_name=member.family[0],
                given_name=member.given[0],
                family_kana=member.family[1],
                given_kana=member.given[1],
                birth_date=member.birth_date,
                sex=member.sex,
                postal_code=row.postal_code,
                address=household.address,
                town=town,
                phone=row.phone,
            )
            person.refresh_keys()
            persons.append(person)
            members.append((household, person, member.relationship))
        known += [
            (person, unit)
            for unit in _units_knowing(rng, row, today, units)
            for person in persons[len(persons) - len(row.members) :]
        ]
    progress(f"  生成: {len(households):,} 世帯 / {len(persons):,} 人")
    _bulk(Household, households, progress, "世帯")
    _bulk(Person, persons, progress, "人")
    links = [HouseholdMember(household=h, person=p, relationship=rel) for h, p, rel in members]
    _bulk(HouseholdMember, links, progress, "世帯員")
    _bulk(KnownTo, [KnownTo(person=p, organisation=u) for p, u in known], progress, "関与")
    return len(households), len(persons)


def _bulk(model, objects: list, progress: Progress, label: str) -> None:
    step = max(BATCH, len(objects) // 10)
    for start in range(0, len(objects), step):
        bulk_create_with_history(
            objects[start : start + step],
            model,
            batch_size=BATCH,
            default_change_reason=HISTORY_REASON,
        )
        done = min(start + step, len(objects))
        progress(f"  保存: {label} {done:,}/{len(objects):,}")


@transaction.atomic
def build_city(*, seed: int, scale: float, today: date, progress: Progress) -> Summary:
    started = time.monotonic()
    rng = Random(seed)
    shape = city.CityShape()
    population_shape = shape.scaled(scale)
    municipality = Municipality.objects.create(**city.MUNICIPALITY)
    progress(f"{municipality} を作成しています(seed={seed}, scale={scale})")
    districts, towns = _geography(rng, municipality, shape)
    progress(f"  地区: 地域 {len(city.REGIONS)} / 小学校区 {len(districts)} / 町 {len(towns)}")
    organisations = _organisations(rng, municipality, shape, districts, towns)
    progress(f"  組織: {Organisation.objects.filter(municipality=municipality).count()}")
    logins = _logins(rng, organisations)
    town_pairs = [(t.name, t.name_kana) for t in towns]
    rows = population.generate(rng, population_shape, town_pairs, today)
    household_count, person_count = _save_population(
        rng, municipality, rows, towns, organisations, today, progress
    )
    users = {u.username: u for u in User.objects.filter(username__in=[x[0] for x in LOGINS])}
    made = casework.build_casework(
        rng,
        municipality,
        organisations,
        users,
        today,
        scale,
        lambda model, objects, label: _bulk(model, objects, progress, label),
        progress,
    )
    progress("  相談・ケース: " + " / ".join(f"{k} {v:,}" for k, v in made.items()))
    directory = resources.build_resources(Random(seed + 6), municipality, users["shakyo"], today)
    progress("  地域資源: " + " / ".join(f"{k} {v}" for k, v in directory.items()))
    # After the casework (its register) and the directory (entries a plan may name).
    made = plans.build_plans(
        rng,
        municipality,
        organisations,
        users,
        today,
        scale,
        lambda model, objects, label: _bulk(model, objects, progress, label),
        progress,
    )
    progress("  プラン・会議・引継ぎ: " + " / ".join(f"{k} {v:,}" for k, v in made.items()))
    logins += _logins(rng, organisations, WATCH_LOGINS)
    users |= {u.username: u for u in User.objects.filter(username__in=[x[0] for x in WATCH_LOGINS])}
    # After the plans (cases closed on moving away end their watching).
    made = watch.build_watch(
        rng,
        municipality,
        organisations,
        users,
        today,
        scale,
        lambda model, objects, label: _bulk(model, objects, progress, label),
        progress,
    )
    progress(
        "  見守り・つなぐ・食堂ネットワーク: " + " / ".join(f"{k} {v:,}" for k, v in made.items())
    )
    logins += _logins(rng, organisations, FAMILY_SUPPORT_LOGINS)
    provider_logins = [x[0] for x in FAMILY_SUPPORT_LOGINS]
    users |= {u.username: u for u in User.objects.filter(username__in=provider_logins)}
    made = family_support.build_family_support(
        Random(seed + 19),
        municipality,
        organisations,
        users,
        today,
        lambda model, objects, label: _bulk(model, objects, progress, label),
        progress,
    )
    progress("  家庭支援事業: " + " / ".join(f"{k} {v:,}" for k, v in made.items()))
    made = maternal.build_maternal(
        Random(seed + 20), municipality, organisations, users, today, scale, progress
    )
    progress("  母子保健: " + " / ".join(f"{k} {v:,}" for k, v in made.items()))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics after the bulk load
    adult_from = today - timedelta(days=18 * 365 + 4)
    children = Person.objects.filter(municipality=municipality, birth_date__gt=adult_from).count()
    return Summary(
        municipality=municipality,
        people=person_count,
        households=household_count,
        children=children,
        organisations=Organisation.objects.filter(municipality=municipality).count(),
        logins=logins,
        seconds=time.monotonic() - started,
    )
