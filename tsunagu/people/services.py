"""Writing persons: one function per action. simple-history records who changed what."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.core.history import (
    as_actor,
    get_or_create_as,
    refuse_if_stale,
    save_each_as,
    version_of,
)
from tsunagu.core.models import Organisation

from .models import CannotLink, KnownTo, MatchProposal, OtherName, Person, PersonMerge


def _unit_of(*, actor: User) -> Organisation:
    """The unit the actor's knowledge is recorded under (the center itself for the supervisor)."""
    return actor.organisation


@transaction.atomic
def register_person(person: Person, other_names: list[OtherName] = (), *, actor: User) -> Person:
    """A new person, known from now on to the actor's unit.

    Raises ValidationError (its message in Japanese) when the data or the moment is refused."""
    person.municipality_id = actor.municipality_id
    person.full_clean()
    as_actor(actor, person).save()
    for name in other_names:
        name.person = person
        name.full_clean()
        as_actor(actor, name).save()
    as_actor(
        actor, KnownTo(person=person, organisation=_unit_of(actor=actor), added_by=actor)
    ).save()
    return person


@transaction.atomic
def update_person(person: Person, *, actor: User, seen_version: int) -> Person:
    """Save an edit, refusing it if someone else saved the person since the form was opened.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    policy.require(actor, "people.change", person)
    # The row lock makes the version check and the save one step against a second editor.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    refuse_if_stale(person, seen_version, "この人の情報")
    person.full_clean()
    as_actor(actor, person).save()
    return person


def person_version(person: Person) -> int:
    return version_of(person)


@transaction.atomic
def add_other_name(person: Person, name: OtherName, *, actor: User) -> OtherName:
    """A former surname, alias or other spelling of the person.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    policy.require(actor, "people.change", person)
    name.person = person
    name.full_clean()
    as_actor(actor, name).save()
    return name


@transaction.atomic
def link_to_unit(person: Person, *, actor: User) -> KnownTo:
    """The actor's unit now also holds records about this (already visible) person."""
    return record_known_to(person, _unit_of(actor=actor), actor=actor)


def record_known_to(person: Person, organisation: Organisation, *, actor: User) -> KnownTo:
    """The unit holds records about the person (e.g. it works on a case of theirs)."""
    link, _ = get_or_create_as(
        actor, KnownTo, person=person, organisation=organisation, defaults={"added_by": actor}
    )
    return link


def _pair(a: Person, b: Person) -> tuple[Person, Person]:
    return (a, b) if a.pk < b.pk else (b, a)


@transaction.atomic
def merge_persons(
    kept: Person,
    absorbed: Person,
    *,
    actor: User,
    score: float | None = None,
    reasons: list | tuple = (),
) -> PersonMerge:
    """Record that two records are one person. Nothing is deleted; see undo_merge.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    kept = Person.objects.select_for_update().get(pk=kept.pk)
    absorbed = Person.objects.select_for_update().get(pk=absorbed.pk)
    for person in (kept, absorbed):
        policy.require(actor, "people.review", person)
    if kept.pk == absorbed.pk or kept.merged_into_id or absorbed.merged_into_id:
        raise ValidationError("すでに統合された記録は、統合先の記録で操作してください。")
    if absorbed.merged_records.exists():
        raise ValidationError("統合先になっている記録は、吸収される側にできません。")
    low, high = _pair(kept, absorbed)
    if CannotLink.objects.filter(person_low=low, person_high=high).exists():
        raise ValidationError("この2人は別人と判断されています。")
    absorbed.merged_into = kept
    as_actor(actor, absorbed).save(update_fields=["merged_into"])
    _settle_proposal(low, high, MatchProposal.Status.MERGED, actor=actor)
    return PersonMerge.objects.create(
        kept=kept, absorbed=absorbed, merged_by=actor, score=score, reasons=list(reasons)
    )


@transaction.atomic
def undo_merge(merge: PersonMerge, *, actor: User) -> PersonMerge:
    """Undo a merge: the absorbed record is a person of its own again.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise ValidationError("この統合はすでに取り消されています。")
    absorbed = merge.absorbed
    policy.require(actor, "people.review", absorbed)
    absorbed.merged_into = None
    as_actor(actor, absorbed).save(update_fields=["merged_into"])
    merge.undone_by, merge.undone_at = actor, timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    low, high = _pair(merge.kept, absorbed)
    _settle_proposal(low, high, MatchProposal.Status.OPEN, actor=actor)
    return merge


@transaction.atomic
def mark_different(a: Person, b: Person, note: str = "", *, actor: User) -> CannotLink:
    """Two records are different people: remembered, and never proposed again.

    Raises PermissionDenied when the policy refuses the actor."""
    for person in (a, b):
        policy.require(actor, "people.review", person)
    low, high = _pair(a, b)
    link, _ = get_or_create_as(
        actor,
        CannotLink,
        person_low=low,
        person_high=high,
        defaults={"decided_by": actor, "note": note},
    )
    _settle_proposal(low, high, MatchProposal.Status.DIFFERENT, actor=actor)
    return link


def _settle_proposal(low: Person, high: Person, status: str, *, actor: User) -> None:
    proposals = MatchProposal.objects.filter(person_low=low, person_high=high)
    save_each_as(actor, proposals, status=status)
