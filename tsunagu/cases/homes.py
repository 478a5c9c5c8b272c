"""The center's home page: what the worker must do today and their cases' recent changes."""

from . import selectors

HOME_ITEMS = 10


def today(request) -> dict:
    """The worker's own open items (cases they are assigned to), most urgent first, and their
    cases changed most recently."""
    mine = selectors.DueFilters(worker=request.user.pk)
    return {
        "due": selectors.due_for(request.user, limit=HOME_ITEMS, filters=mine),
        "due_count": sum(selectors.due_counts(request.user, mine).values()),
        "cases": list(selectors.cases_for(request.user, mine=True)[:HOME_ITEMS]),
    }
