"""Searching the two logs. Only administrators reach these (see rules.py)."""

import heapq
from dataclasses import dataclass
from datetime import datetime, time

from django.utils import timezone

from .history import history_models
from .models import AccessLog


def _day_bounds(data):
    start = end = None
    if data.get("date_from"):
        start = timezone.make_aware(datetime.combine(data["date_from"], time.min))
    if data.get("date_to"):
        end = timezone.make_aware(datetime.combine(data["date_to"], time.max))
    return start, end


def _by_date_and_user(qs, data, *, date_field: str, user_field: str):
    start, end = _day_bounds(data)
    if start:
        qs = qs.filter(**{f"{date_field}__gte": start})
    if end:
        qs = qs.filter(**{f"{date_field}__lte": end})
    if data.get("username"):
        qs = qs.filter(**{f"{user_field}__username": data["username"]})
    return qs


def search_access_log(viewer, data):
    qs = AccessLog.objects.select_related("user")
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


_KINDS = {"+": "作成", "~": "変更", "-": "削除"}


def _history_querysets(data):
    models = history_models()
    if data.get("model"):
        models = [m for m in models if m._meta.label_lower == data["model"]]
    for model in models:
        qs = model.history.select_related("history_user").order_by("-history_date", "-pk")
        qs = _by_date_and_user(qs, data, date_field="history_date", user_field="history_user")
        if data.get("object_id"):
            qs = qs.filter(**{model._meta.pk.attname: data["object_id"]})
        yield model, qs


def _as_change(model, record) -> Change:
    changes = []
    previous = record.prev_record
    if previous is not None:
        delta = record.diff_against(previous)
        changes = [
            (model._meta.get_field(c.field).verbose_name, c.old, c.new) for c in delta.changes
        ]
    return Change(
        at=record.history_date,
        user=record.history_user,
        kind=_KINDS.get(record.history_type, record.history_type),
        model_name=str(model._meta.verbose_name),
        object_id=str(getattr(record, model._meta.pk.attname)),
        object_repr=str(record.instance),
        changes=changes,
        reason=record.history_change_reason or "",
    )


def _tagged(model, records):
    for record in records:
        yield model, record


def search_change_history(viewer, data, *, offset: int, limit: int) -> tuple[list[Change], bool]:
    """One page of changes across every model with history, newest first."""
    streams = [_tagged(model, qs[: offset + limit + 1]) for model, qs in _history_querysets(data)]
    merged = heapq.merge(*streams, key=lambda pair: pair[1].history_date, reverse=True)
    page = [pair for _, pair in zip(range(offset + limit + 1), merged, strict=False)][offset:]
    has_next = len(page) > limit
    return [_as_change(model, record) for model, record in page[:limit]], has_next
