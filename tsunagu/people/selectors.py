from dataclasses import dataclass

from django.db.models import Q, QuerySet

from tsunagu.access import policy
from tsunagu.accounts.models import User

from . import finder
from .matching import normalise
from .models import HouseholdMember, MatchProposal, Person, PersonMerge


def _current_members(person: Person) -> QuerySet:
    households = person.memberships.filter(valid_to__isnull=True).values("household")
    return HouseholdMember.objects.filter(household__in=households, valid_to__isnull=True)


def household_members_for(viewer: User, person: Person) -> QuerySet:
    """The current members of the person's households that the viewer may see."""
    members = policy.scope(viewer, _current_members(person))
    return members.select_related("person").order_by("person__birth_date")


def hidden_member_count(viewer: User, person: Person) -> int:
    """How many current members of the person's households the viewer may not see (the page
    says there are some, never who)."""
    members = _current_members(person)
    return members.count() - policy.scope(viewer, members).count()


@dataclass
class VisibleMatch:
    match: finder.Match
    person: Person | None  # None: known to another unit, not to be shown to this viewer

    @property
    def hidden(self) -> bool:
        return self.person is None


def find_matches(viewer: User, record: dict) -> list[VisibleMatch]:
    """Likely matches for a record being entered, from every unit's records.

    A match the viewer may not see keeps only the fact that it exists.
    """
    matches = finder.find(viewer.municipality_id, record)
    ids = [m.person_id for m in matches]
    visible = {p.pk: p for p in policy.scope(viewer, Person.objects.filter(pk__in=ids))}
    return [VisibleMatch(m, visible.get(m.person_id)) for m in matches]


def search_persons(viewer: User, text: str) -> QuerySet:
    """Persons the viewer may see whose name or reading starts with the text (variants folded)."""
    persons = policy.scope(viewer, Person.objects.filter(merged_into=None))
    words = normalise.nfkc(text).split()
    for word in words:
        kanji, reading = normalise.kanji_key(word), normalise.reading_key(word)
        persons = persons.filter(
            Q(key_family__startswith=kanji)
            | Q(key_given__startswith=kanji)
            | Q(key_family_reading__startswith=reading)
            | Q(key_given_reading__startswith=reading)
            | Q(other_names__key_family__startswith=kanji)
            | Q(other_names__key_family_reading__startswith=reading)
        )
    return persons.distinct().order_by("key_family_reading", "key_given_reading", "pk")


def merged_records_for(viewer: User, person: Person) -> QuerySet:
    return policy.scope(viewer, person.merged_records.all())


def merges_for(viewer: User, person: Person) -> QuerySet:
    merges = PersonMerge.objects.filter(Q(kept=person) | Q(absorbed=person))
    return policy.scope(viewer, merges).select_related("kept", "absorbed", "merged_by", "undone_by")


def open_proposals_for(viewer: User) -> QuerySet:
    """Open pairs from the scan where the viewer may see both records."""
    visible = policy.scope(viewer, Person.objects.all()).values("pk")
    proposals = MatchProposal.objects.filter(
        status=MatchProposal.Status.OPEN, person_low__in=visible, person_high__in=visible
    )
    return proposals.select_related("person_low", "person_high")
