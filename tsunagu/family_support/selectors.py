"""Reads of family support services that depend on the viewer."""

from django.db.models import QuerySet

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.cases.models import Case

from .models import Decision


def decisions_for(viewer: User, case: Case | None = None) -> QuerySet:
    decisions = policy.scope(
        viewer, Decision.objects.select_related("offering", "provider", "child")
    )
    return decisions.filter(case=case) if case is not None else decisions


def case_panel(viewer: User, case: Case) -> dict:
    return {"decisions": list(decisions_for(viewer, case))}


def timeline_entries(viewer: User, case: Case, limit: int) -> list:
    return []
