"""Searching the two logs (administrators, see rules.py), inside the viewer's municipality.

Who did what to which record, and when, is shown; what a record holds (a person's name, an
address before and after) only to a viewer whom the policy lets read that record. An
administrator reads no person or case, so sees field names without values for them.
"""

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, time

from django.apps import apps
from django.db.models import Model, QuerySet
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.core.params import whole_number

from .history import municipality_paths
from .models import AccessLog

HIDDEN = "(閲覧権限のない記録のため表示しません)"


def _day_bounds(data: dict) -> tuple[datetime | None, datetime | None]:
    start = end = None
    if data.get("date_from"):
        start = timezone.make_aware(datetime.combine(data["date_from"], time.min))
    if data.get("date_to"):
        end = timezone.make_aware(datetime.combine(data["date_to"], time.max))
    return start, end


def _by_date_and_user(qs: QuerySet, data: dict, *, date_field: str, user_field: str) -> QuerySet:
    start, end = _day_bounds(data)
    if start:
        qs = qs.filter(**{f"{date_field}__gte": start})
    if end:
        qs = qs.filter(**{f"{date_field}__lte": end})
    if data.get("username"):
        qs = qs.filter(**{f"{user_field}__username": data["username"]})
    return qs


def search_access_log(viewer: User, data: dict) -> QuerySet:
    """Access-log rows of the viewer's municipality's users, newest first (a queryset)."""
    qs = AccessLog.objects.select_related("user").filter(
        user__organisation__municipality_id=viewer.municipality_id
    )
    qs = _by_date_and_user(qs, data, date_field="at", user_field="user")
    if data.get("action"):
        qs = qs.filter(action=data["action"])
    if data.get("object_type"):
        qs = qs.filter(object_type__icontains=data["object_type"])
    if data.get("object_id"):
        qs = qs.filter(object_id=data["object_id"])
    return qs


@dataclass
class Change:
    at: datetime
    user: object
    kind: str
    model_name: str
    object_id: str
    object_repr: str
    changes: list[tuple[str, object, object]]
    reason: str
    values_shown: bool


_KINDS = {"+": "作成", "~": "変更", "-": "削除"}


def _history_querysets(viewer: User, data: dict) -> Iterator[tuple[type[Model], QuerySet]]:
    paths = municipality_paths()
    if data.get("model"):
        paths = {m: p for m, p in paths.items() if m._meta.label_lower == data["model"]}
    for model, path in paths.items():
        qs = model.history.filter(**{path: viewer.municipality_id})
        qs = qs.select_related("history_user").order_by("-history_date", "-pk")
        qs = _by_date_and_user(qs, data, date_field="history_date", user_field="history_user")
        if data.get("object_id"):
            qs = qs.filter(**{model._meta.pk.attname: data["object_id"]})
        yield model, qs


class _Readable:
    """Which records the viewer may read, asked of the policy once per record."""

    def __init__(self, viewer: User) -> None:
        self.viewer, self.known = viewer, {}

    def __call__(self, model: type[Model], pk: int) -> bool:
        key = (model, str(pk))
        if key not in self.known:
            visible = policy.scope(self.viewer, model._default_manager.filter(pk=pk))
            self.known[key] = visible.exists()
        return self.known[key]


def _as_change(model: type[Model], record: dict, readable: _Readable) -> Change:
    pk = getattr(record, model._meta.pk.attname)
    shown = readable(model, pk)
    changes = []
    previous = record.prev_record
    if previous is not None:
        delta = record.diff_against(previous)
        changes = [
            (
                model._meta.get_field(c.field).verbose_name,
                c.old if shown else None,
                c.new if shown else None,
            )
            for c in delta.changes
        ]
    return Change(
        at=record.history_date,
        user=record.history_user,
        kind=_KINDS.get(record.history_type, record.history_type),
        model_name=str(model._meta.verbose_name),
        object_id=str(pk),
        object_repr=str(record.instance) if shown else HIDDEN,
        changes=changes,
        reason=record.history_change_reason or "",
        values_shown=shown,
    )


def _tagged(model: type[Model], records: QuerySet) -> Iterator[tuple[type[Model], Model]]:
    for record in records:
        yield model, record


def search_change_history(
    viewer: User, data: dict, *, offset: int, limit: int
) -> tuple[list[Change], bool]:
    """One page of changes across every model with history in the viewer's municipality,
    newest first, and whether a next page exists. Values only where the viewer may read."""
    querysets = _history_querysets(viewer, data)
    streams = [_tagged(model, qs[: offset + limit + 1]) for model, qs in querysets]
    merged = heapq.merge(*streams, key=lambda pair: pair[1].history_date, reverse=True)
    page = [pair for _, pair in zip(range(offset + limit + 1), merged, strict=False)][offset:]
    has_next = len(page) > limit
    readable = _Readable(viewer)
    return [_as_change(model, record, readable) for model, record in page[:limit]], has_next


@dataclass
class AccessEntry:
    row: AccessLog
    object_repr: str
    path: str


def _model_of(label: str) -> type[Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def access_entries(viewer: User, rows: Iterable[AccessLog]) -> list[AccessEntry]:
    """Access-log rows as the viewer may see them: the record's name and the URL's query
    (which may hold a searched name) only when the viewer may read that record."""
    readable = _Readable(viewer)
    entries = []
    for row in rows:
        model = _model_of(row.object_type)
        single = row.row_count == 1 and whole_number(row.object_id) is not None
        shown = bool(model and single and readable(model, row.object_id))
        entries.append(
            AccessEntry(
                row=row,
                # A list's or search's row names only a count ("人 3件").
                object_repr=row.object_repr if shown or not single else "",
                path=row.path if shown else row.path.split("?", 1)[0],
            )
        )
    return entries
