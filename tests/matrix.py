"""The permission matrix helper: roles × actions × objects, asserted in one sweep."""

from dataclasses import dataclass, field

from django.test import Client
from django.urls import reverse

from tsunagu.access import policy

ANONYMOUS = "anonymous"
ROLES = [
    "nurse",
    "caseworker",
    "supervisor",
    "partner",
    "provider",
    "cgc",
    "editor",
    "admin",
    "operator",
]
EVERYONE = [ANONYMOUS, *ROLES]
CENTER = {"nurse", "caseworker", "supervisor"}


@dataclass
class Page:
    """Expected HTTP status of one URL for every role (anonymous included)."""

    statuses: dict[str, int]
    kwargs: dict = field(default_factory=dict)

    @classmethod
    def for_roles(cls, allowed, *, ok=200, anonymous=302, denied=403, **kwargs) -> "Page":
        statuses = {role: ok if role in allowed else denied for role in ROLES}
        statuses[ANONYMOUS] = anonymous
        return cls(statuses, kwargs)

    @classmethod
    def same_for_all(cls, status, *, anonymous=None, **kwargs) -> "Page":
        statuses = dict.fromkeys(ROLES, status)
        statuses[ANONYMOUS] = status if anonymous is None else anonymous
        return cls(statuses, kwargs)


def page_statuses(url_name: str, page: Page, users: dict, resolve_kwargs) -> dict[str, int]:
    """GET the URL as every role; return the statuses actually seen."""
    return statuses_of(reverse(url_name, kwargs=resolve_kwargs(page.kwargs)), users)


def statuses_of(url: str, users: dict) -> dict[str, int]:
    """The status of a GET of ``url`` as every role (anonymous included)."""
    seen = {}
    for role in EVERYONE:
        client = Client()
        if role != ANONYMOUS:
            client.force_login(users[role])
        seen[role] = client.get(url).status_code
    return seen


def object_rights(users: dict, obj) -> dict[str, tuple[bool, bool]]:
    """(may view, may change) of every role for one object, as the one policy decides."""
    return {
        role: (policy.can_view(users[role], obj), policy.can_change(users[role], obj))
        for role in ROLES
    }


def rights(view: set[str], change: set[str]) -> dict[str, tuple[bool, bool]]:
    return {role: (role in view, role in change) for role in ROLES}
