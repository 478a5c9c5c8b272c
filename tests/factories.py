"""Building blocks for tests: a small municipality with one user per role."""

from datetime import date

from tsunagu.accounts.services import create_user
from tsunagu.core.models import Municipality, Organisation
from tsunagu.core.roles import Role
from tsunagu.people.models import Household, HouseholdMember, Person, Sex

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
    orgs = organisations(town)
    return {
        key: create_user(
            username=f"{prefix}{key}",
            password=PASSWORD,
            organisation=orgs[kind],
            role=role,
            display_name=f"{key} さん",
        )
        for key, (role, kind) in ROLE_ORGANISATION.items()
    }


def family(town: Municipality) -> tuple[Household, Person, Person]:
    household = Household.objects.create(municipality=town, address="テスト市本町1-2-3")
    mother = Person.objects.create(
        municipality=town,
        family_name="髙橋",
        given_name="美咲",
        family_kana="タカハシ",
        given_kana="ミサキ",
        birth_date=date(1990, 5, 1),
        sex=Sex.FEMALE,
    )
    child = Person.objects.create(
        municipality=town,
        family_name="髙橋",
        given_name="結衣",
        family_kana="タカハシ",
        given_kana="ユイ",
        birth_date=date(2019, 4, 1),
        sex=Sex.FEMALE,
    )
    HouseholdMember.objects.create(
        household=household, person=mother, relationship=HouseholdMember.Relationship.MOTHER
    )
    HouseholdMember.objects.create(
        household=household, person=child, relationship=HouseholdMember.Relationship.CHILD
    )
    return household, mother, child
