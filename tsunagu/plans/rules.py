"""Who may see and change plans, conferences and hand-offs (DOMAIN.md §3, issue 17).

- A plan follows its case: whoever sees the case reads its plans; center staff who work on
  the case draft them; only the supervisor approves a version (an approved one never changes).
- Conferences: the center's staff see the conferences of their municipality; a council member
  outside the center (a cgc liaison, a partner) sees only the conferences they attended, and
  of those only the cases discussed there. Center staff see the discussions of their own cases
  and of the conferences they attended.
- An action item is seen by its owner and by those who see its case; a partner who attended
  its conference reads it there too.
- A hand-off follows its case, and is seen by the organisation it is addressed to (the cgc
  reads a 送致 to answer it before it has the case). The side that did not ask answers it.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from tsunagu.access import navigation, policy
from tsunagu.cases.models import Case
from tsunagu.cases.rules import CASE_ROLES, case_filter, works_on
from tsunagu.cases.selectors import Due, DueSource, add_due_source
from tsunagu.core import panels
from tsunagu.core.roles import CENTER_ROLES, Role

from .models import (
    ActionItem,
    Attendee,
    Conference,
    Discussion,
    HandOff,
    HandOffDocument,
    PlanItem,
    PlanTask,
    SupportPlan,
)

# Council members who may be tsunagu users outside the center: they see only what they attended.
COUNCIL_ROLES = {*CASE_ROLES, Role.PARTNER, Role.PROVIDER_STAFF}


def _case_visible(user, prefix: str) -> Q:
    allowed = case_filter(user, prefix)
    return Q() if allowed is None else allowed


def _follows_case(prefix: str, municipality_field: str):
    def scope(user, queryset):
        if user.role not in CASE_ROLES:
            return queryset.none()
        queryset = policy.within_municipality(user, queryset, municipality_field)
        return queryset.filter(_case_visible(user, prefix))

    return scope


def _attended(user, conference_path: str) -> Q:
    attendance = Attendee.objects.filter(conference=OuterRef(conference_path), user=user.pk)
    return Q(Exists(attendance))


def _conference_scope(user, queryset):
    if user.role not in COUNCIL_ROLES:
        return queryset.none()
    queryset = policy.within_municipality(user, queryset)
    if user.role in CENTER_ROLES:
        return queryset
    return queryset.filter(_attended(user, "pk"))


def _discussion_scope(user, queryset):
    if user.role not in COUNCIL_ROLES:
        return queryset.none()
    queryset = policy.within_municipality(user, queryset, "conference__municipality")
    if user.role == Role.SUPERVISOR:
        return queryset
    seen = _attended(user, "conference_id")
    if user.role in CASE_ROLES:
        seen |= _case_visible(user, "case__")
    return queryset.filter(seen)


def _action_item_scope(user, queryset):
    """Its owner's, and those of the cases the user may see; a council member outside the
    case roles (a partner) also reads the items of the conferences attended. (Staff read
    those on the conference page, through its discussions.)"""
    if user.role not in COUNCIL_ROLES:
        return queryset.none()
    queryset = policy.within_municipality(user, queryset, "case__municipality")
    if user.role == Role.SUPERVISOR:
        return queryset
    seen = Q(owner=user.pk)
    if user.role in CASE_ROLES:
        seen |= _case_visible(user, "case__")
    else:
        seen |= _attended(user, "discussion__conference_id")
    return queryset.filter(seen)


def _handoff_scope(user, queryset):
    if user.role not in CASE_ROLES:
        return queryset.none()
    queryset = policy.within_municipality(user, queryset)
    if user.role == Role.SUPERVISOR:
        return queryset
    seen = Q(counterpart=user.organisation_id) | (
        Q(case__isnull=False) & _case_visible(user, "case__")
    )
    if user.role == Role.CENTER_STAFF:
        # A family moving in arrives as an intake: the unit that holds it sees its hand-off.
        seen |= Q(case__isnull=True, intake__unit=user.organisation_id)
    return queryset.filter(seen)


def _center_works_on(user, obj) -> bool:
    return user.role in CENTER_ROLES and works_on(user, obj.case_id)


def _plan_part_may_change(user, part) -> bool:
    return _center_works_on(user, part.plan)


def may_answer(user, handoff: HandOff) -> bool:
    """The side that did not ask answers: the cgc what the center sent it (by its own liaison);
    the center what came in, and what it sent to another municipality (no user of ours there)."""
    if handoff.status != HandOff.Status.REQUESTED:
        return False
    if handoff.direction == HandOff.Direction.OUT and handoff.counterpart_id:
        return user.role == Role.CGC_LIAISON and user.organisation_id == handoff.counterpart_id
    if user.role not in CENTER_ROLES or handoff.municipality_id != user.municipality_id:
        return False
    return handoff.case_id is None or works_on(user, handoff.case_id)


def may_request_handoff(user, case) -> bool:
    """Center staff who work on the case; the cgc on a case it works on (指導委託, 援助依頼)."""
    if user.role == Role.CGC_LIAISON:
        return policy.can_view(user, case)
    return works_on(user, case.pk)


def _may_complete_action(user, item: ActionItem) -> bool:
    return item.status == ActionItem.Status.OPEN and (
        item.owner_id == user.pk or _center_works_on(user, item)
    )


policy.register(
    SupportPlan,
    scope=_follows_case("case__", "case__municipality"),
    can_change=_center_works_on,
)
for _model in (PlanItem, PlanTask):
    policy.register(
        _model,
        scope=_follows_case("plan__case__", "plan__case__municipality"),
        can_change=_plan_part_may_change,
    )
policy.register(
    Conference,
    scope=_conference_scope,
    can_change=lambda user, conference: user.role in CENTER_ROLES,
)
policy.register(
    Attendee,
    scope=lambda user, queryset: queryset.filter(
        conference__in=_conference_scope(user, Conference.objects.all())
    ),
    can_change=lambda user, attendee: user.role in CENTER_ROLES,
)
policy.register(
    Discussion,
    scope=_discussion_scope,
    can_change=lambda user, discussion: user.role in CENTER_ROLES,
)
policy.register(ActionItem, scope=_action_item_scope, can_change=_may_complete_action)
policy.register(
    HandOff,
    scope=_handoff_scope,
    can_change=lambda user, handoff: may_answer(user, handoff) or _center_works_on(user, handoff),
)
policy.register(
    HandOffDocument,
    scope=lambda user, queryset: queryset.filter(
        handoff__in=_handoff_scope(user, HandOff.objects.all())
    ),
)

policy.allow("plans.view", CASE_ROLES)
policy.allow("plans.change", CENTER_ROLES, on=lambda user, case: works_on(user, case.pk))
policy.allow(
    "plans.approve",
    {Role.SUPERVISOR},
    on=lambda user, plan: plan.case.municipality_id == user.municipality_id,
)
policy.allow("plans.print", CASE_ROLES)
policy.allow("plans.conference_view", COUNCIL_ROLES)
policy.allow("plans.conference", CENTER_ROLES)
policy.allow("plans.review_queue", {Role.SUPERVISOR})
policy.allow("plans.action_complete", COUNCIL_ROLES, on=_may_complete_action)
policy.allow("plans.handoff_view", CASE_ROLES)
policy.allow("plans.handoff_request", CASE_ROLES, on=may_request_handoff)
policy.allow("plans.handoff_answer", CASE_ROLES, on=may_answer)


def _may_complete(user, handoff: HandOff) -> bool:
    """An accepted hand-off, by a worker on the case; a 移管 out closes the case, so only by
    whoever may close one (the supervisor)."""
    if handoff.status != HandOff.Status.ACCEPTED or not works_on(user, handoff.case_id):
        return False
    closes = handoff.kind == HandOff.Kind.TRANSFER_OUT
    return not closes or policy.may(user, "cases.approve_closure", handoff.case)


policy.allow("plans.handoff_complete", CENTER_ROLES, on=_may_complete)
policy.allow("plans.transfer_in", CENTER_ROLES)
policy.allow(
    "plans.handoff_export",
    CENTER_ROLES,
    on=lambda user, handoff: policy.can_view(user, handoff.case),
)
policy.allow(
    "plans.handoff_document",
    CASE_ROLES,
    on=lambda user, handoff: (
        user.organisation_id == handoff.counterpart_id
        or (user.role in CENTER_ROLES and policy.can_view(user, handoff))
    ),
)

navigation.add(_("会議"), "plans:conference_list", "plans.conference_view", order=20)
navigation.add(_("進行管理の対象"), "plans:review_queue", "plans.review_queue", order=17)
navigation.add(_("プランの承認"), "plans:approval_list", "plans.approve", order=19)
navigation.add(_("引継ぎ(送致・移管)"), "plans:handoff_list", "plans.handoff_view", order=22)

add_due_source(
    DueSource(
        "action_item",
        _("会議の対応事項"),
        lambda viewer: (
            policy.scope(viewer, ActionItem.objects.filter(status=ActionItem.Status.OPEN))
            .exclude(case__status=Case.Status.CLOSED)
            .select_related("case", "owner")
        ),
        case_path="case",
        due_field="due_on",
        rank_field="case__risk_rank",
        to_due=lambda item: Due(
            "action_item",
            f"{item.what}({item.owner_label})",
            item.due_on,
            item.case,
            rank=item.case.risk_rank,
        ),
        owner_field="owner",
    )
)


def _case_panel(request, case) -> dict:
    from .selectors import case_panel

    return case_panel(request.user, case)


def _intake_panel(request, intake) -> dict:
    from .selectors import intake_panel

    return intake_panel(request.user, intake)


def _supervisor_panel(request) -> dict:
    from .selectors import supervisor_panel

    return supervisor_panel(request.user)


panels.add("case", "plans/_case_panel.html", _case_panel)
panels.add("intake", "plans/_intake_panel.html", _intake_panel)
panels.add("home:center", "plans/_home_supervisor.html", _supervisor_panel, order=50)
