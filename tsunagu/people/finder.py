"""The matcher against the database: likely matches for one record being entered, and the scan.

Both use the same saved parameters (MatchModel, else the shipped default) as the batch command.
Nothing here looks at the viewer; selectors.find_matches decides what each viewer may see.
"""

import time
from calendar import monthrange
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from django.db.models import Count, Q

from .matching import model, reasons
from .matching.decisions import judge, names_agree
from .matching.normalise import name_keys
from .matching.prepare import birth_date_text, prepare, records_frame
from .models import HouseholdMember, MatchModel, OtherName, Person

CANDIDATE_LIMIT = 300
# A person whose name does not agree is offered from this probability on.
OFFER_PROBABILITY = 0.05
TF_REFRESH_SECONDS = 900


@dataclass
class Match:
    person_id: int
    probability: float
    decision: str
    reasons: list[dict]


def parameters_for(municipality_id: int | None) -> model.Parameters:
    """The newest saved parameters for the municipality (or shared ones), else the default."""
    saved = (
        MatchModel.objects.filter(Q(municipality_id=municipality_id) | Q(municipality=None))
        .order_by("-trained_at")
        .values_list("parameters", flat=True)
        .first()
    )
    return model.Parameters.from_dict(saved) if saved else model.Parameters.default()


_frequencies: dict[int, tuple[float, model.TermFrequencies, int]] = {}


def frequencies_for(municipality_id: int) -> tuple[model.TermFrequencies, int]:
    """How common each name is among the municipality's persons (cached for a while)."""
    cached = _frequencies.get(municipality_id)
    if cached and time.monotonic() - cached[0] < TF_REFRESH_SECONDS:
        return cached[1], cached[2]
    persons = Person.objects.filter(municipality_id=municipality_id, merged_into=None)
    total = persons.count()
    shares = {}
    for part in ("family", "given"):
        for suffix, field in (("kanji", f"key_{part}"), ("reading", f"key_{part}_reading")):
            counts = persons.exclude(**{field: ""}).values_list(field).annotate(n=Count("id"))
            shares[f"{part}_{suffix}"] = {value: n / max(total, 1) for value, n in counts}
        shares[f"{part}_exact"] = shares[f"{part}_kanji"]
    frequencies = model.TermFrequencies(shares, floor=1 / max(total, 1))
    _frequencies[municipality_id] = (time.monotonic(), frequencies, total)
    return frequencies, total


def forget_frequencies() -> None:
    """Drop the cached name frequencies (a test database reuses municipality ids)."""
    _frequencies.clear()


def person_record(person: Person, other_readings: str = "", household_members: str = "") -> dict:
    return {
        "id": str(person.pk),
        "family_name": person.family_name,
        "given_name": person.given_name,
        "family_kana": person.family_kana,
        "given_kana": person.given_kana,
        "birth_date": _birth_text(person),
        "sex": person.sex if person.sex != "unknown" else "",
        "postal_code": person.postal_code,
        "address": person.address,
        "phone": person.phone,
        "other_family_readings": other_readings,
        "household_members": household_members,
    }


def _birth_text(person: Person) -> str:
    if person.birth_date is None:
        return ""
    if person.birth_date_precision == "month":
        return person.birth_date.strftime("%Y-%m")
    return person.birth_date.isoformat()


def _month_range(birth: str) -> tuple[date, date] | None:
    if len(birth) < 7 or int(birth[:4]) < 1:
        return None
    year, month = int(birth[:4]), int(birth[5:7])
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def _day(birth: str) -> date | None:
    """The birth date typed, if it is a day of the calendar (2026-02-30 is not: the month
    range still finds the person)."""
    try:
        return date.fromisoformat(birth) if len(birth) == 10 else None
    except ValueError:
        return None


def _candidate_rules(keys: dict, birth: str) -> list[dict]:
    """Index lookups that may find the person, the most selective first."""
    family_r, given_r = keys["key_family_reading"], keys["key_given_reading"]
    family_k, given_k = keys["key_family"], keys["key_given"]
    born = _day(birth)
    month = _month_range(birth)
    rules = [
        ({"key_given_reading": given_r, "birth_date": born}, given_r and born),
        ({"key_family_reading": family_r, "birth_date": born}, family_r and born),
        ({"key_family": family_k, "key_given": given_k}, family_k and given_k),
        ({"key_family_reading": family_r, "key_given_reading": given_r}, family_r and given_r),
        # a mistyped day, or a date known only to the month
        ({"key_given_reading": given_r, "birth_date__range": month}, given_r and month),
    ]
    return [lookup for lookup, usable in rules if usable]


def _other_name_persons(keys: dict) -> list[int]:
    if not (keys["key_family_reading"] and keys["key_given_reading"]):
        return []
    return list(
        OtherName.objects.filter(
            key_family_reading=keys["key_family_reading"],
            key_given_reading=keys["key_given_reading"],
        ).values_list("person_id", flat=True)[:CANDIDATE_LIMIT]
    )


def candidates(municipality_id: int, record: dict) -> list[Person]:
    """Persons sharing a blocking key with the record, at most CANDIDATE_LIMIT.

    One indexed query per rule, most selective first, so that a common name (サトウ ユイ) fills
    the limit only after the persons born that day have been taken.
    """
    keys = name_keys(
        record.get("family_name", ""),
        record.get("given_name", ""),
        record.get("family_kana", ""),
        record.get("given_kana", ""),
    )
    live = Person.objects.filter(municipality_id=municipality_id, merged_into=None)
    found = dict.fromkeys(_other_name_persons(keys))
    for lookup in _candidate_rules(keys, birth_date_text(record.get("birth_date"))):
        if len(found) >= CANDIDATE_LIMIT:
            break
        rows = live.filter(**lookup).values_list("pk", flat=True)[:CANDIDATE_LIMIT]
        found.update(dict.fromkeys(rows))
    ids = list(found)[:CANDIDATE_LIMIT]
    return list(live.filter(pk__in=ids)) if ids else []


def _other_readings(person_ids: list[int]) -> dict[int, str]:
    found: dict[int, list[str]] = {}
    names = OtherName.objects.filter(person_id__in=person_ids).exclude(key_family_reading="")
    for person_id, reading in names.values_list("person_id", "key_family_reading"):
        found.setdefault(person_id, []).append(reading)
    return {person_id: "|".join(readings) for person_id, readings in found.items()}


def find(municipality_id: int, record: dict, limit: int = 5) -> list[Match]:
    """The likeliest persons for one record, best first, each with its reasons."""
    found = candidates(municipality_id, record)
    if not found:
        return []
    others = _other_readings([p.pk for p in found])
    rows = [{**record, "id": "query"}] + [person_record(p, others.get(p.pk, "")) for p in found]
    frame = prepare(records_frame(rows))
    left = np.zeros(len(found), dtype=np.int64)
    right = np.arange(1, len(found) + 1)
    parameters = parameters_for(municipality_id)
    frequencies, population = frequencies_for(municipality_id)
    scores = model.score(parameters, frame, left, right, frequencies, max(population, 2))
    decisions, kinds = judge(parameters, scores)
    # While a worker types, a name alone is little evidence in a city: the persons whose name
    # agrees are offered however unlikely, most likely first (ﾀｶﾊｼ ｴﾏ finds every 高橋 絵馬).
    offered = (scores.probability >= OFFER_PROBABILITY) | names_agree(scores)
    order = [i for i in np.argsort(-scores.total, kind="stable") if offered[i]][:limit]
    return [
        Match(
            person_id=found[i].pk,
            probability=float(scores.probability[i]),
            decision=decisions[i],
            reasons=reasons.caution(kinds[i] if decisions[i] == "review" else "")
            + reasons.reasons_for(frame, 0, i + 1, scores.vectors[i], scores.weights[i]),
        )
        for i in order
    ]


def _household_members(municipality_id: int) -> dict[int, str]:
    """For each person, the others they have shared a household with ("|"-joined ids), a
    merged-away record counted as the person it was merged into."""
    rows = HouseholdMember.objects.filter(household__municipality_id=municipality_id)
    households: dict[int, set[int]] = {}
    for household_id, person_id, merged_into in rows.values_list(
        "household_id", "person_id", "person__merged_into_id"
    ):
        households.setdefault(household_id, set()).add(merged_into or person_id)
    found: dict[int, set[int]] = {}
    for members in households.values():
        for person_id in members:
            found.setdefault(person_id, set()).update(members - {person_id})
    return {pid: "|".join(map(str, sorted(ids))) for pid, ids in found.items() if ids}


def persons_frame(municipality_id: int) -> pd.DataFrame:
    """Every live person of a municipality as batch records (for the scan), oldest record first
    so that a pair's reasons read the same on every database."""
    persons = Person.objects.filter(municipality_id=municipality_id, merged_into=None)
    persons = persons.order_by("pk")
    others = _other_readings(list(persons.values_list("pk", flat=True)))
    members = _household_members(municipality_id)
    return records_frame(
        person_record(p, others.get(p.pk, ""), members.get(p.pk, "")) for p in persons.iterator()
    )
