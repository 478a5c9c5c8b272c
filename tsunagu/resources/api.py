"""The read-only HSDS 3 API of the public directory (/api/hsds/…): the Open Referral paths and
Page envelope, with the finder's filters (age, day, time, proximity) as extensions. Public data
only: a staff-only entry is never listed nor found by its id."""

import math
import re
import uuid
from datetime import date, datetime, time

from django.db.models import Q
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from tsunagu.access.policy import PUBLIC, requires

from . import finder, geo, openings, schedules
from .models import Category, ResourceOrganisation, Service
from .opendata import hsds
from .opendata.records import record_of

HSDS_VERSION = "3.0.1"
PER_PAGE, MAX_PER_PAGE = 50, 500


def _municipality():
    municipality = finder.public_municipality()
    if municipality is None:
        raise Http404
    return municipality


# Every parameter is bounded: a page number the database's OFFSET cannot hold, or a text it
# cannot store (NUL on PostgreSQL), is a 400 with the reason, never a server error.
MAX_PAGE = 100_000
MAX_TEXT = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _shown(text: str) -> str:
    """A value as an error message may repeat it: control characters escaped, cut short."""
    shown = _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)
    return shown if len(shown) <= 40 else shown[:40] + "…"


def _text(request, name: str) -> str:
    """A text parameter ('' when absent): at most MAX_TEXT characters, no control character."""
    text = request.query_params.get(name, "")
    if len(text) > MAX_TEXT:
        raise ValidationError({name: f"{MAX_TEXT}文字以内で指定してください。"})
    if _CONTROL.search(text):
        raise ValidationError({name: "制御文字(改行・NUL など)は使えません。"})
    return text


def _number(request, name: str, kind=float, low=None, high=None):
    text = _text(request, name)
    if text == "":
        return None
    try:
        value = kind(text)
    except ValueError as error:
        raise ValidationError({name: f"「{_shown(text)}」は数値ではありません。"}) from error
    if kind is float and not math.isfinite(value):
        raise ValidationError({name: f"「{_shown(text)}」は有限の数値ではありません。"})
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValidationError({name: f"{low}〜{high} の範囲で指定してください。"})
    return value


def _uuid(request, name: str) -> uuid.UUID | None:
    text = _text(request, name)
    if text == "":
        return None
    try:
        return uuid.UUID(text)
    except ValueError as error:
        raise ValidationError(
            {name: f"「{_shown(text)}」は id(UUID)の形ではありません。"}
        ) from error


def _page(request, items, total: int) -> dict:
    per_page = _number(request, "per_page", int, 1, MAX_PER_PAGE) or PER_PAGE
    number = _number(request, "page", int, 1, MAX_PAGE) or 1
    pages = max(1, math.ceil(total / per_page))
    start = (number - 1) * per_page
    contents = items(start, start + per_page)
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": number >= pages,
        "empty": not contents,
        "contents": contents,
    }


def _query(request, municipality) -> finder.Query:
    """The finder's query from the API's filters."""
    day_text = _text(request, "day")
    time_text = _text(request, "time")
    query = finder.Query(municipality=municipality)
    term = _text(request, "taxonomy_term_id")
    if term:
        query.categories = [_category_code(term)]
    age = _number(request, "age", int, 0, 120)
    query.age = age
    if day_text:
        query.when, query.on_date = "date", _day(day_text)
    if time_text:
        try:
            at = datetime.combine(query.on_date or date.today(), time.fromisoformat(time_text))
        except ValueError as error:
            raise ValidationError({"time": "HH:MM の形で指定してください。"}) from error
        query.when, query.moment = "now", at
    latitude = _number(request, "lat", float)
    longitude = _number(request, "lon", float)
    radius = _number(request, "radius", int, 1, 50_000)
    if (latitude is None) != (longitude is None):
        raise ValidationError({"lat": "lat と lon は両方指定してください。"})
    if latitude is not None:
        problem = geo.point_problem(latitude, longitude)
        if problem:
            raise ValidationError({"lat": problem})
        query.point = (latitude, longitude)
        query.radius_m = radius or geo.CYCLE_M
    return query


def _day(text: str) -> date:
    """A date (YYYY-MM-DD), or a weekday code (MO … SU): its next date from today."""
    code = text.upper()
    if code in schedules.WEEKDAYS:
        today = date.today()
        return date.fromordinal(
            today.toordinal() + (schedules.WEEKDAYS.index(code) - today.weekday()) % 7
        )
    try:
        day = date.fromisoformat(text)
    except ValueError as error:
        raise ValidationError({"day": "YYYY-MM-DD または MO〜SU で指定してください。"}) from error
    if abs((day - date.today()).days) > openings.FARTHEST_DAYS:
        raise ValidationError({"day": "前後1年以内の日付を指定してください。"})
    return day


def _category_code(value: str) -> str:
    for category in Category.objects.all():
        if value in (category.code, hsds.term_id(category.code)):
            return category.code
    raise ValidationError({"taxonomy_term_id": f"「{_shown(value)}」という分類はありません。"})


def _services_json(service_ids: list[int], municipality) -> list[dict]:
    """The HSDS services of ``service_ids``, in that order."""
    places = (
        finder.public_places()
        .filter(service__in=service_ids)
        .select_related("service__organisation", "location")
        .prefetch_related("service__categories", "schedules")
    )
    rank = {pk: n for n, pk in enumerate(service_ids)}
    ordered = sorted(places, key=lambda p: (rank[p.service_id], p.pk))
    return hsds.services_json([record_of(place) for place in ordered], municipality)


def _text_type() -> dict:
    return {"type": "string", "maxLength": MAX_TEXT}


def _integer(low: int, high: int) -> dict:
    return {"type": "integer", "minimum": low, "maximum": high}


SEARCH = OpenApiParameter("search", _text_type(), description="名称・説明に含まれる語")
PAGING = [
    OpenApiParameter("page", _integer(1, MAX_PAGE), description="ページ番号(1から)"),
    OpenApiParameter(
        "per_page", _integer(1, MAX_PER_PAGE), description=f"1ページの件数(既定 {PER_PAGE})"
    ),
]
SERVICE_FILTERS = [
    SEARCH,
    OpenApiParameter(
        "taxonomy_term_id", _text_type(), description="分類(taxonomy_term の id または code)"
    ),
    OpenApiParameter("organization_id", OpenApiTypes.UUID, description="運営主体の id"),
    OpenApiParameter("age", _integer(0, 120), description="拡張: この年齢のこどもが利用できるもの"),
    OpenApiParameter(
        "day", _text_type(), description="拡張: この日に開くもの(YYYY-MM-DD または MO〜SU)"
    ),
    OpenApiParameter("time", _text_type(), description="拡張: この時刻(HH:MM)に開いているもの"),
    OpenApiParameter(
        "lat",
        {"type": "number", "minimum": -90, "maximum": 90},
        description="拡張: 近さの基準の緯度(lon と組で)",
    ),
    OpenApiParameter(
        "lon",
        {"type": "number", "minimum": -180, "maximum": 180},
        description="拡張: 近さの基準の経度(lat と組で)",
    ),
    OpenApiParameter(
        "radius", _integer(1, 50_000), description="拡張: lat/lon からの距離(m、既定 3000)"
    ),
    *PAGING,
]
# What a refused request answers: the parameter and why (400), or what was not found (404).
ERROR_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    },
}
ERRORS = {
    400: OpenApiResponse(ERROR_SCHEMA, description="パラメータの誤り(パラメータ名 → 理由)"),
    404: OpenApiResponse(ERROR_SCHEMA, description="見つかりません(detail に理由)"),
}


class PageSerializer(serializers.Serializer):
    """HSDS's Page envelope; ``contents`` holds HSDS objects."""

    total_items = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    page_number = serializers.IntegerField()
    size = serializers.IntegerField()
    first_page = serializers.BooleanField()
    last_page = serializers.BooleanField()
    empty = serializers.BooleanField()
    contents = serializers.ListField(child=serializers.DictField())


@requires(PUBLIC)
@extend_schema(
    summary="HSDS API の情報",
    operation_id="hsds_root",
    responses={200: OpenApiTypes.OBJECT, **ERRORS},
    tags=["HSDS"],
)
@api_view(["GET"])
@authentication_classes([])  # public: no session, no cookie
def root(request):
    return Response(
        {
            "version": HSDS_VERSION,
            "profile": "https://docs.openreferral.org/en/3.0/",
            "openapi_url": request.build_absolute_uri("openapi.json"),
        }
    )


@requires(PUBLIC)
@extend_schema(
    summary="公開中のサービス(地域資源)の一覧",
    operation_id="hsds_services_list",
    parameters=SERVICE_FILTERS,
    responses={200: PageSerializer, **ERRORS},
    tags=["HSDS"],
)
@api_view(["GET"])
@authentication_classes([])  # public: no session, no cookie
def services(request):
    municipality = _municipality()
    places = finder.search(_query(request, municipality))
    term = _text(request, "search")
    if term:
        places = places.filter(
            Q(service__name__icontains=term) | Q(service__description__icontains=term)
        )
    organisation = _uuid(request, "organization_id")
    if organisation:
        places = places.filter(service__organisation__uid=organisation)
    # One query for the matching services in order (a count and a page query would each
    # evaluate the filters).
    ordered = list(dict.fromkeys(places.values_list("service", flat=True)))
    return Response(
        _page(request, lambda a, b: _services_json(ordered[a:b], municipality), len(ordered))
    )


@requires(PUBLIC)
@extend_schema(
    summary="サービス1件(HSDS の完全な形)",
    operation_id="hsds_service_get",
    parameters=[
        OpenApiParameter(
            "uid", OpenApiTypes.UUID, OpenApiParameter.PATH, description="サービスの id"
        )
    ],
    responses={200: OpenApiTypes.OBJECT, **ERRORS},
    tags=["HSDS"],
)
@api_view(["GET"])
@authentication_classes([])  # public: no session, no cookie
def service(request, uid: str):
    municipality = _municipality()
    try:
        uid = uuid.UUID(uid)
    except ValueError as error:
        raise NotFound(f"「{_shown(uid)}」は id(UUID)の形ではありません。") from error
    found = Service.objects.filter(
        municipality=municipality, uid=uid, pk__in=finder.public_places().values("service")
    )
    contents = _services_json(list(found.values_list("pk", flat=True)), municipality)
    if not contents:
        raise Http404
    return Response(contents[0])


def _organisation_json(organisation) -> dict:
    found = {
        "id": str(organisation.uid),
        "name": organisation.name,
        "description": organisation.description,
    }
    if organisation.email:
        found["email"] = organisation.email
    if organisation.website:
        found["website"] = organisation.website
    return found


@requires(PUBLIC)
@extend_schema(
    summary="公開中のサービスを運営する団体の一覧",
    operation_id="hsds_organizations_list",
    parameters=[SEARCH, *PAGING],
    responses={200: PageSerializer, **ERRORS},
    tags=["HSDS"],
)
@api_view(["GET"])
@authentication_classes([])  # public: no session, no cookie
def organizations(request):
    municipality = _municipality()
    public = finder.public_places().filter(service__municipality=municipality)
    found = ResourceOrganisation.objects.filter(
        pk__in=public.values("service__organisation")
    ).order_by("name", "pk")
    term = _text(request, "search")
    if term:
        found = found.filter(name__icontains=term)
    return Response(
        _page(
            request,
            lambda a, b: [_organisation_json(o) for o in found[a:b]],
            found.count(),
        )
    )


@requires(PUBLIC)
@extend_schema(
    summary="分類体系の一覧",
    operation_id="hsds_taxonomies_list",
    parameters=PAGING,
    responses={200: PageSerializer, **ERRORS},
    tags=["HSDS"],
)
@api_view(["GET"])
@authentication_classes([])  # public: no session, no cookie
def taxonomies(request):
    items = [hsds.taxonomy_json()]
    return Response(_page(request, lambda a, b: items[a:b], len(items)))


@requires(PUBLIC)
@extend_schema(
    summary="分類(taxonomy term)の一覧",
    operation_id="hsds_taxonomy_terms_list",
    parameters=PAGING,
    responses={200: PageSerializer, **ERRORS},
    tags=["HSDS"],
)
@api_view(["GET"])
@authentication_classes([])  # public: no session, no cookie
def taxonomy_terms(request):
    items = [hsds.term_json(c) for c in Category.objects.all()]
    return Response(_page(request, lambda a, b: items[a:b], len(items)))
