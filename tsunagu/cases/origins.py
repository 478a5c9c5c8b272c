"""Intakes started from a page of a higher app (a partner's referral, つなぐ). The app
registers, for its kind of origin, how the intake form is filled in; the form carries the
origin (``"watch.referral:12"``) and, once saved, ``events.intake_received`` tells the app.
Nothing personal travels in the URL: the form asks the app, which reads through the policy."""

from collections.abc import Callable

from tsunagu.accounts.models import User

# kind → (viewer, key) → {"intake": initial fields, "person": the finder's initial fields},
# or None when the viewer may not start from it.
Prefill = Callable[[User, str], dict | None]
PREFILLS: dict[str, Prefill] = {}


def add_prefill(kind: str, prefill: Prefill) -> None:
    PREFILLS[kind] = prefill


def prefill_for(viewer: User, origin: str) -> dict:
    """What the intake form opens with for ``origin``: {"intake": {...}, "person": {...}},
    empty when the origin is unknown or not the viewer's to use."""
    kind, _, key = origin.partition(":")
    prefill = PREFILLS.get(kind)
    return (prefill(viewer, key) if prefill else None) or {}
