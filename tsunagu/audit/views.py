from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tsunagu.access.policy import requires

from . import selectors
from .forms import AccessLogSearchForm, ChangeHistorySearchForm
from .models import AccessLog
from .services import log_bulk_access, log_search

PAGE_SIZE = 50


# Past this, a page would be thousands of rows deep in every model's history: ask for a
# narrower search instead.
MAX_PAGE = 1000


def _page_number(request: HttpRequest) -> int:
    """The page asked for, 1 when it is not a number, at most MAX_PAGE."""
    try:
        return min(MAX_PAGE, max(1, int(request.GET.get("page", "1"))))
    except ValueError:
        return 1


def query_without_page(request: HttpRequest) -> str:
    """The current search as a query string, for the pagination links to extend."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@requires("audit.search")
def access_log(request: HttpRequest) -> HttpResponse:
    form = AccessLogSearchForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        page = Paginator(selectors.search_access_log(request.user, data), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        log_bulk_access(request, AccessLog, page.object_list, action=AccessLog.Action.SEARCH)
    entries = selectors.access_entries(request.user, page.object_list) if page else []
    return render(
        request,
        "audit/access_log.html",
        {"form": form, "page": page, "entries": entries, "query": query_without_page(request)},
    )


@requires("audit.search")
def change_history(request: HttpRequest) -> HttpResponse:
    form = ChangeHistorySearchForm(request.GET or None)
    changes, has_next, number = [], False, _page_number(request)
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        changes, has_next = selectors.search_change_history(
            request.user, data, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
        log_search(request, "audit.change_history", len(changes))
    return render(
        request,
        "audit/change_history.html",
        {
            "form": form,
            "changes": changes,
            "number": number,
            "has_next": has_next,
            "query": query_without_page(request),
        },
    )
