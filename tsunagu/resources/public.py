"""The public finder (no login): public entries only, in words a child reads."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagu.access.policy import PUBLIC, requires

from . import finder, furigana, geo, schedules
from .forms import FinderForm

# How the point searched near was chosen (the finder's ``near``, set by map.js).
NEAR_WORDS = {
    "map": gettext_lazy("ちずで えらんだ ばしょ の ちかく"),
    "here": gettext_lazy("いま いる ばしょ の ちかく"),
    "": gettext_lazy("えらんだ ばしょ の ちかく"),
}

PAGE_SIZE = 20
# The farthest page asked for that reaches the database (its OFFSET overflows on a number of
# twenty digits); past the end is the last page anyway.
MAX_PAGE = 100_000


def map_settings() -> dict:
    return {"tiles": settings.TSUNAGU_MAP_TILES, "attribution": settings.TSUNAGU_MAP_ATTRIBUTION}


def _municipality():
    municipality = finder.public_municipality()
    if municipality is None:
        raise Http404
    return municipality


def _marker(place, with_ruby: bool) -> dict | None:
    location = place.location
    if not location.has_point:
        return None
    return {
        "lat": location.latitude,
        "lon": location.longitude,
        "name": place.service.name,
        "url": reverse("finder:place", args=[place.pk]) + ("?ruby=on" if with_ruby else ""),
    }


def _card(row: dict, point, with_ruby: bool, today) -> dict:
    place = row["place"]
    service = place.service
    return {
        **row,
        "today": bool(row["next"]) and row["next"][0].day == today,
        "free_for_children": service.is_free or service.child_fee == 0,
        "name": furigana.as_html(service.name, service.name_ruby, with_ruby),
        "address": furigana.as_html(place.location.address, place.location.address_ruby, with_ruby),
        "distance": finder.distance_text(place, point),
        "irregular": schedules.is_irregular(row["schedules"]),
        "paused": finder.temporarily_closed(place),
    }


@requires(PUBLIC)
def finder_page(request):
    municipality = _municipality()
    form = FinderForm(request.GET or None, municipality=municipality)
    cards, page, point, searched, asked = [], None, None, bool(request.GET), None
    # The first visit shows the questions; the list comes with a search.
    if searched and form.is_valid():
        query = form.query(municipality, timezone.localtime().replace(tzinfo=None))
        point = query.point
        page = _page(query, request.GET.get("page", ""))
        places = finder.places_in_order(page.object_list)
        rows = finder.with_openings(municipality, places, query.moment.date())
        with_ruby = bool(form.cleaned_data.get("ruby"))
        cards = [_card(row, point, with_ruby, query.moment.date()) for row in rows]
        asked = _asked(query)
    markers = [m for m in (_marker(c["place"], form.data.get("ruby") == "on") for c in cards) if m]
    found_none = page is not None and page.paginator.count == 0
    return render(
        request,
        "resources/finder.html",
        {
            "municipality": municipality,
            "form": form,
            "cards": cards,
            "page": page,
            "searched": searched,
            "markers": markers,
            "point": point,
            "extent": None if markers or point else _extent(municipality),
            "near": _near(request, form) if point else None,
            "found_none": found_none,
            "asked": asked,
            "ways_on": _ways_on(request, form) if found_none else [],
            "map": map_settings(),
            "query_without_page": _without_page(request),
            "choices": {
                name: _choices(form, name)
                for name in ("what", "when", "radius", "region", "district", "grade")
            },
        },
    )


def _asked(query: finder.Query) -> dict | None:
    """When the search asked about, in words (「きょう 11/23(月)」), and whether that day is a
    national holiday, when most places are closed: a child who finds nothing learns why."""
    days = query.days()
    if not days:
        return None
    first, last = days[0], days[-1]
    words = {"now": _("いま"), "today": _("きょう"), "week": _("こんしゅう")}.get(query.when, "")
    return {
        "words": words,
        "first": first,
        "last": last if last != first else None,
        "holiday": len(days) == 1 and schedules.is_holiday(first),
    }


def _extent(municipality) -> list | None:
    """The corners of the box around the city's public places: where the map opens when it
    has nothing to show yet, so that a tap on it chooses a point in the city."""
    box = (
        finder.public_places()
        .filter(service__municipality=municipality, location__latitude__isnull=False)
        .aggregate(
            south=Min("location__latitude"),
            west=Min("location__longitude"),
            north=Max("location__latitude"),
            east=Max("location__longitude"),
        )
    )
    if box["south"] is None:
        return None
    return [[box["south"], box["west"]], [box["north"], box["east"]]]


def _page(query, asked: str):
    """The page asked for (the last one when past the end), holding its place ids."""
    number = _page_number(asked)
    ids, total = finder.page_of(query, number, PAGE_SIZE)
    # The paginator only counts and numbers pages here: a range is as long as the matches.
    page = Paginator(range(total), PAGE_SIZE).get_page(number)
    if page.number != number:
        ids, _ = finder.page_of(query, page.number, PAGE_SIZE)
    page.object_list = ids
    return page


def _page_number(asked: str) -> int:
    """1 for anything but ASCII digits (「²」 is a digit to str.isdigit, not to int), at most
    MAX_PAGE."""
    if not (asked.isascii() and asked.isdigit()):
        return 1
    return max(1, min(int(asked), MAX_PAGE)) if len(asked) <= 9 else MAX_PAGE


def _choices(form, name: str) -> list[dict]:
    """A field's options with whether each is chosen: the template writes the inputs itself
    (a widget template per option costs more than the whole search)."""
    chosen = form.data.getlist(name) if hasattr(form.data, "getlist") else []
    if not chosen and form[name].initial not in (None, ""):
        chosen = [str(form[name].initial)]
    return [
        {"value": str(value), "label": label, "checked": str(value) in chosen}
        for value, label in form.fields[name].choices
    ]


def _query_with(request, drop=(), **values) -> str:
    """A link to this search ('?…') without its page and ``drop``, with ``values``."""
    query = request.GET.copy()
    for name in ("page", *drop):
        query.pop(name, None)
    for name, value in values.items():
        query.setlist(name, [value])
    return "?" + query.urlencode()


def _radius_labels(form) -> dict[int, str]:
    return {int(value): str(label) for value, label in form.fields["radius"].choices}


def _near(request, form) -> dict:
    """The line above the results when a point is searched near: how it was chosen, how far,
    and a link that searches without it."""
    radius = form.cleaned_data.get("radius") or geo.CYCLE_M
    how = request.GET.get("near", "")
    return {
        "how": how if how in NEAR_WORDS else "",
        "words": NEAR_WORDS.get(how, NEAR_WORDS[""]),
        "radius": _radius_labels(form).get(radius, ""),
        "clear": _query_with(request, drop=("lat", "lon", "near")),
    }


def _ways_on(request, form) -> list[dict]:
    """When nothing was found: the same search a little wider, one link per condition that
    can be widened (the rest of the query kept)."""
    data, ways = form.cleaned_data, []
    if data.get("when") in ("now", "today", "date"):
        ways.append(
            {
                "label": _("こんしゅう(7にちかん)で さがす"),
                "url": _query_with(request, ("on",), when="week"),
            }
        )
    if data.get("lat") is not None:
        radii = _radius_labels(form)
        wider = [r for r in sorted(radii) if r > (data.get("radius") or geo.CYCLE_M)]
        if wider:
            ways.append(
                {
                    "label": _("%(radius)s まで ひろげる") % {"radius": radii[wider[0]]},
                    "url": _query_with(request, radius=str(wider[0])),
                }
            )
        else:
            ways.append(
                {
                    "label": _("ばしょ を きめずに さがす"),
                    "url": _query_with(request, ("lat", "lon", "near", "radius")),
                }
            )
    if data.get("what"):
        ways.append({"label": _("ほかの しゅるい も みる"), "url": _query_with(request, ("what",))})
    if data.get("region") or data.get("district"):
        ways.append(
            {
                "label": _("ほかの ちいき も みる"),
                "url": _query_with(request, ("region", "district")),
            }
        )
    return ways


def _without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@requires(PUBLIC)
def place_page(request, pk: int):
    municipality = _municipality()
    place = get_object_or_404(
        finder.public_places()
        .filter(service__municipality=municipality)
        .select_related("service__organisation", "location"),
        pk=pk,
    )
    with_ruby = request.GET.get("ruby") == "on"
    today = timezone.localdate()
    rows = finder.with_openings(municipality, [place], today, limit=8)
    card = _card(rows[0], None, with_ruby, today)
    service = place.service
    return render(
        request,
        "resources/place.html",
        {
            "card": card,
            "place": place,
            "service": service,
            "with_ruby": with_ruby,
            "description": furigana.as_html(
                service.description, service.description_ruby, with_ruby
            ),
            "described": [schedules.describe(s) for s in card["schedules"] if s.kind != "closed"],
            "markers": [m for m in [_marker(place, with_ruby)] if m],
            "map": map_settings(),
        },
    )
