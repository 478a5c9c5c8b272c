"""Reads of the maternal line that depend on the viewer (the policy applied)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.cases.models import Case, CasePerson
from tsunagu.cases.selectors import Entry
from tsunagu.people.models import Person, Sex

from . import flags
from .models import Checkup, FollowStep, FollowUp, NewbornVisit, Pregnancy, UnseenChild


def pregnancies(
    viewer: User, *, flagged_only: bool = False, expecting_only: bool = True
) -> QuerySet:
    """The pregnancies the viewer may see, the newest notification first."""
    rows = policy.scope(viewer, Pregnancy.objects.all()).select_related("mother", "nurse")
    if expecting_only:
        rows = rows.filter(status=Pregnancy.Status.EXPECTING)
    if flagged_only:
        rows = rows.exclude(flags="")
    return rows.order_by("-notified_on", "-pk")


def visit_list(viewer: User, *, mine: bool = True) -> QuerySet:
    """The newborn visits still to make (乳児家庭全戸訪問), the soonest due first: the viewer's
    own (``mine``) or every one the viewer may see."""
    rows = policy.scope(viewer, NewbornVisit.objects.filter(status=NewbornVisit.Status.DUE))
    if mine:
        rows = rows.filter(nurse=viewer)
    return rows.select_related("birth__child", "birth__pregnancy__mother", "nurse").order_by(
        "due_on", "pk"
    )


def missed_list(viewer: User) -> QuerySet:
    """The missed check-ups still being followed up, the oldest first, each with how many
    follow-up steps it has had."""
    rows = policy.scope(
        viewer, Checkup.objects.filter(status=Checkup.Status.MISSED, resolved=False)
    )
    # The steps counted in a subquery, not a GROUP BY over every column: the open-misses index
    # then gives the order and the database stops at the page.
    steps = (
        FollowStep.objects.filter(checkup=OuterRef("pk"))
        .order_by()
        .values("checkup")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        rows.select_related("child", "kind")
        .annotate(
            step_count=Coalesce(Subquery(steps, output_field=IntegerField()), Value(0)),
            raised=Exists(UnseenChild.objects.filter(child=OuterRef("child"))),
        )
        .order_by("due_on", "pk")
    )


def follow_ups(viewer: User, *, mine: bool = True) -> QuerySet:
    rows = policy.scope(viewer, FollowUp.objects.filter(done_on=None))
    if mine:
        rows = rows.filter(owner=viewer)
    return rows.select_related("person").order_by("due_on", "pk")


@dataclass
class PersonMaternal:
    pregnancies: list
    births: list
    checkups: list
    follow_ups: list


def person_panel(viewer: User, person: Person) -> dict:
    """The maternal records of one person the viewer may see: her pregnancies, the child's
    birth, visit and check-ups, the open follow-ups."""
    if not policy.allowed(viewer, "maternal.view"):
        return {"maternal": None, "may_notify": False}
    as_mother = policy.scope(viewer, Pregnancy.objects.filter(mother=person))
    as_child = policy.scope(viewer, Checkup.objects.filter(child=person)).select_related("kind")
    visits = policy.scope(viewer, NewbornVisit.objects.filter(birth__child=person))
    open_follow_ups = policy.scope(viewer, FollowUp.objects.filter(person=person, done_on=None))
    found = PersonMaternal(
        pregnancies=list(as_mother.order_by("-notified_on")),
        births=list(visits.select_related("birth__pregnancy")),
        checkups=list(as_child.order_by("kind__invite_months")),
        follow_ups=list(open_follow_ups),
    )
    expecting = any(p.status == Pregnancy.Status.EXPECTING for p in found.pregnancies)
    may_notify = (
        person.sex != Sex.MALE
        and not expecting
        and policy.may(viewer, "maternal.record", viewer.organisation)
    )
    return {"maternal": found if any(vars(found).values()) else None, "may_notify": may_notify}


def home_panel(viewer: User) -> dict:
    """The keeper's counts on the center's home: her visits (and those due within two weeks)
    and the city's missed check-ups being followed up."""
    if not policy.may(viewer, "maternal.record", viewer.organisation):
        return {"keeper": False}
    visits = visit_list(viewer)
    soon = timezone.localdate() + timedelta(days=14)
    return {
        "keeper": True,
        "visits": visits.count(),
        "visits_due_soon": visits.filter(due_on__lte=soon).count(),
        "missed": missed_list(viewer).count(),
    }


def timeline_entries(viewer: User, case: Case, limit: int) -> list:
    """The maternal line of the case's persons on its timeline (the viewer's maternal scope
    applied): notifications, births, newborn visits, check-ups, postnatal care."""
    persons = CasePerson.objects.filter(case=case).values("person")

    entries = []
    for p in policy.scope(viewer, Pregnancy.objects.filter(mother__in=persons))[:limit]:
        concerns = "、".join(flags.labels(p))
        body = f"気がかりな点: {concerns}" if concerns else ""
        title = f"妊娠届出(妊娠{p.weeks_at_notification}週、出産予定 {p.expected_on:%Y-%m-%d})"
        entries.append(Entry.dated("maternal", p.notified_on, title, body, p))
    visits = policy.scope(
        viewer,
        NewbornVisit.objects.filter(
            Q(birth__child__in=persons) | Q(birth__pregnancy__mother__in=persons)
        ),
    ).select_related("birth__child")
    for v in visits[:limit]:
        birth = v.birth
        entries.append(
            Entry.dated(
                "maternal",
                birth.born_on,
                f"出生 {birth.child}({birth.weeks}週・{birth.weight_g}g)",
                "",
                v,
            )
        )
        if v.status != NewbornVisit.Status.DUE:
            epds = f" EPDS {v.epds_score}点" if v.epds_score is not None else ""
            title = f"乳児家庭全戸訪問: {v.get_status_display()}{epds}"
            entries.append(Entry.dated("maternal", v.visited_on or v.due_on, title, v.reason, v))
    checkups = policy.scope(
        viewer,
        Checkup.objects.filter(child__in=persons).exclude(status=Checkup.Status.INVITED),
    ).select_related("kind", "child")
    for c in checkups.order_by("-due_on")[:limit]:
        title = f"{c.kind}: {c.get_status_display()}({c.child})"
        entries.append(Entry.dated("maternal", c.attended_on or c.due_on, title, c.notes, c))
    return entries
