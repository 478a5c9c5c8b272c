"""Households and persons of the demo city, generated from one seeded random source."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random

from tsunagu.people.models import HouseholdMember, Sex

from . import names
from .city import PHONE_AREA, POSTAL_PREFIX

Rel = HouseholdMember.Relationship


@dataclass
class PersonRow:
    family: tuple[str, str]
    given: tuple[str, str]
    sex: str
    birth_date: date
    relationship: str


@dataclass
class HouseholdRow:
    town_index: int
    address: str
    postal_code: str
    phone: str
    members: list[PersonRow] = field(default_factory=list)


def _birth_date(rng: Random, today: date, age: int) -> date:
    return today - timedelta(days=age * 365 + rng.randrange(365))


def _person(rng: Random, today: date, family, sex: str, age: int, rel: str) -> PersonRow:
    return PersonRow(family, names.given_name(rng, sex), sex, _birth_date(rng, today, age), rel)


def _phone(rng: Random) -> str:
    if rng.random() < 0.6:
        return f"090-{rng.randrange(10000):04d}-{rng.randrange(10000):04d}"
    return f"{PHONE_AREA}-{rng.randrange(20, 99)}-{rng.randrange(10000):04d}"


def _household(rng: Random, towns: list[tuple[str, str]]) -> HouseholdRow:
    index = rng.randrange(len(towns))
    town = towns[index][0]
    address = f"{town}{rng.randint(1, 4)}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号"
    if rng.random() < 0.3:
        address += f" {rng.randint(1, 5)}0{rng.randint(1, 8)}号室"
    return HouseholdRow(index, address, f"{POSTAL_PREFIX}-{index:04d}", _phone(rng))


def _family(rng: Random, today: date, towns, children: int) -> HouseholdRow:
    household = _household(rng, towns)
    family = names.family_name(rng)
    oldest = rng.randint(0, 17)
    ages = [oldest]
    for _ in range(children - 1):
        ages.append(max(0, ages[-1] - rng.randint(1, 5)))
    mother_age = oldest + rng.randint(20, 40)
    shape = rng.random()
    if shape >= 0.02:  # all but single fathers
        household.members.append(_person(rng, today, family, Sex.FEMALE, mother_age, Rel.MOTHER))
    if shape < 0.90:  # both parents, or a single father
        father_age = mother_age + rng.randint(-3, 6)
        household.members.append(_person(rng, today, family, Sex.MALE, father_age, Rel.FATHER))
    for age in ages:
        sex = rng.choice((Sex.FEMALE, Sex.MALE))
        household.members.append(_person(rng, today, family, sex, age, Rel.CHILD))
    if rng.random() < 0.06:
        sex = rng.choice((Sex.FEMALE, Sex.MALE))
        age = min(95, mother_age + rng.randint(22, 35))
        household.members.append(_person(rng, today, family, sex, age, Rel.GRANDPARENT))
    return household


def _adults(rng: Random, today: date, towns, size: int) -> HouseholdRow:
    household = _household(rng, towns)
    family = names.family_name(rng)
    head_age = rng.randint(18, 95)
    head_sex = rng.choice((Sex.FEMALE, Sex.MALE))
    household.members.append(_person(rng, today, family, head_sex, head_age, Rel.HEAD))
    for position in range(1, size):
        if position == 1 and head_age >= 25:
            sex = Sex.MALE if head_sex == Sex.FEMALE else Sex.FEMALE
            age = max(18, min(95, head_age + rng.randint(-5, 5)))
            household.members.append(_person(rng, today, family, sex, age, Rel.SPOUSE))
        else:
            sex = rng.choice((Sex.FEMALE, Sex.MALE))
            age = max(18, min(60, head_age - rng.randint(20, 35)))
            household.members.append(_person(rng, today, family, sex, age, Rel.OTHER))
    return household


def generate(rng: Random, shape, towns: list[tuple[str, str]], today: date):
    """Yield households until the shape's children, people and households are reached."""
    children_left = shape.children
    people = households = 0
    while children_left > 0:
        count = min(children_left, rng.choices((1, 2, 3, 4), weights=(38, 42, 16, 4))[0])
        household = _family(rng, today, towns, count)
        children_left -= count
        people += len(household.members)
        households += 1
        yield household
    rest_households = max(0, shape.households - households)
    rest_people = max(rest_households, shape.people - people)
    sizes = [1] * rest_households
    for _ in range(rest_people - rest_households):
        sizes[rng.randrange(rest_households)] += 1
    for size in sizes:
        yield _adults(rng, today, towns, min(size, 8))
