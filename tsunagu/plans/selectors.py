"""Reading plans, conferences and hand-offs for a viewer: every function applies the policy."""

from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.cases.models import Case, ClosureRequest, Intake, Registration
from tsunagu.core.roles import CENTER_ROLES, Role

from .models import ActionItem, Conference, HandOff, ServiceKind, SupportPlan

REVIEW_HORIZON_DAYS = 31
ATTENDING_ROLES = {
    *CENTER_ROLES,
    Role.CGC_LIAISON,
    Role.PARTNER,
    Role.PROVIDER_STAFF,
}  # the queue shows what falls due before next month's meeting


def plans_of(viewer: User, case: Case) -> QuerySet:
    """Every version of the case's plan the viewer may read, newest first."""
    return policy.scope(viewer, case.plans.all()).select_related("approved_by", "drafted_by")


def plans_waiting(viewer: User) -> QuerySet:
    """Versions waiting for the supervisor's approval, oldest request first."""
    plans = policy.scope(viewer, SupportPlan.objects.filter(status=SupportPlan.Status.SUBMITTED))
    return plans.select_related("case", "drafted_by").order_by("submitted_at")


def catalogue() -> QuerySet:
    return ServiceKind.objects.filter(is_current=True)


def review_horizon() -> date:
    """How far ahead the review queue looks by default: to next month's meeting."""
    return timezone.localdate() + timedelta(days=REVIEW_HORIZON_DAYS)


def review_queue(viewer: User, until: date | None = None) -> QuerySet:
    """Council-registered open cases due for periodic review (進行管理) by ``until`` (default:
    a month ahead), the longest overdue first; a case with no date yet is due now."""
    until = until or review_horizon()
    registered = Registration.objects.filter(case=OuterRef("pk"), ended_on=None)
    cases = policy.scope(viewer, Case.objects.exclude(status=Case.Status.CLOSED))
    return (
        cases.filter(Exists(registered))
        .filter(Q(next_review_on__lte=until) | Q(next_review_on=None))
        .order_by("next_review_on", "number")
    )


def overdue_reviews(viewer: User) -> int:
    """How many registered cases are past their review date."""
    return review_queue(viewer, timezone.localdate() - timedelta(days=1)).count()


def conferences_for(viewer: User, kind: str = "") -> QuerySet:
    """Conferences the viewer may see, newest first, with how many cases each discussed."""
    conferences = policy.scope(viewer, Conference.objects.all())
    if kind:
        conferences = conferences.filter(kind=kind)
    return conferences.annotate(case_count=Count("discussions")).order_by("-held_on", "-pk")


def discussions_for(viewer: User, conference: Conference) -> QuerySet:
    """The cases of the conference the viewer may see, in agenda order, with action items."""
    discussions = policy.scope(viewer, conference.discussions.all())
    return discussions.select_related("case", "decided_by").prefetch_related("action_items__owner")


def handoffs_for(viewer: User, status: str = "") -> QuerySet:
    handoffs = policy.scope(viewer, HandOff.objects.all())
    if status:
        handoffs = handoffs.filter(status=status)
    return handoffs.select_related("case", "intake", "counterpart", "requested_by")


def case_panel(viewer: User, case: Case) -> dict:
    """What the case page shows of plans, conferences and hand-offs."""
    discussions = policy.scope(viewer, case.discussions.all()).select_related("conference")
    items = policy.scope(viewer, case.action_items.filter(status=ActionItem.Status.OPEN))
    return {
        "case": case,
        "today": timezone.localdate(),
        "plans": list(plans_of(viewer, case)[:5]),
        "discussions": list(discussions.order_by("-conference__held_on")[:5]),
        "handoffs": list(
            policy.scope(
                viewer, HandOff.objects.filter(Q(case=case) | Q(intake__case=case))
            ).select_related("counterpart")
        ),
        "action_items": list(items.select_related("owner")),
        "may_change": policy.may(viewer, "plans.change", case),
        "may_hand_off": policy.may(viewer, "plans.handoff_request", case),
    }


def intake_panel(viewer: User, intake: Intake) -> dict:
    """A family moving in: the hand-off its intake arrived with, and the other city's summary."""
    return {"handoffs": list(policy.scope(viewer, intake.handoffs.all()))}


def supervisor_panel(viewer: User) -> dict:
    """The supervisor's home: overdue reviews, plans to approve, hand-offs to answer."""
    if not policy.allowed(viewer, "plans.review_queue"):
        return {"shown": False}
    return {
        "shown": True,
        "overdue_reviews": overdue_reviews(viewer),
        "plans_waiting": plans_waiting(viewer).count(),
        "closures_waiting": policy.scope(
            viewer, ClosureRequest.objects.filter(decided_at=None)
        ).count(),
    }


def staff_of(viewer: User) -> QuerySet:
    """Users of the viewer's municipality who may attend or own an action item: the center's
    staff, the cgc's liaison and the partners with an account."""
    return (
        User.objects.filter(organisation__municipality_id=viewer.municipality_id, is_active=True)
        .filter(role__in=ATTENDING_ROLES)
        .order_by("display_name_kana", "username")
    )
