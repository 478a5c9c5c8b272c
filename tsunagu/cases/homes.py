"""The center's home page: what the worker must do today and their cases' recent changes."""

from . import selectors

HOME_ITEMS = 10


def today(request) -> dict:
    """The worker's own open items (cases they are assigned to), most urgent first, and their
    cases changed most recently."""
    mine = selectors.DueItems(request.user, selectors.DueFilters(worker=request.user.pk))
    return {
        "due": mine.first(limit=HOME_ITEMS),
        "due_count": sum(mine.counts().values()),
        "cases": list(selectors.cases_for(request.user, mine=True)[:HOME_ITEMS]),
    }
