"""The change history (django-simple-history) as the services use it: who made the next save,
and refusing a save from a stale screen."""

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from . import bulk


def as_actor(actor, obj):
    """Mark ``obj`` so that the history row of its next save names ``actor``."""
    obj._history_user = actor
    return obj


def version_of(obj) -> int:
    """Grows with every saved change of ``obj`` (its newest history row): a form carries the
    version it was opened at, so that a save from a stale screen can be refused."""
    latest = obj.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return latest or 0


IGNORED_FIELDS = {"updated_at", "created_at"}


def _shown(field, value) -> str:
    if value in (None, ""):
        return "(空欄)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def changes_since(obj, seen_version: int) -> list[str]:
    """What others saved on ``obj`` after ``seen_version``, one line each in Japanese:
    「状況: 受理 → 支援中(山田 太郎、11/24 10:30)」."""
    seen = obj.history.filter(history_id=seen_version).first()
    lines = []
    for record in obj.history.filter(history_id__gt=seen_version).order_by("history_id"):
        if seen is None:
            seen = record
            continue
        who = record.history_user or "—"
        when = record.history_date.astimezone().strftime("%m/%d %H:%M")
        for change in record.diff_against(seen).changes:
            if change.field in IGNORED_FIELDS:
                continue
            field = obj._meta.get_field(change.field)
            lines.append(
                f"{field.verbose_name}: {_shown(field, change.old)} → "
                f"{_shown(field, change.new)}({who}、{when})"
            )
        seen = record
    return lines


def refuse_if_stale(obj, seen_version: int | None, what: str) -> None:
    """Refuse a save from a screen opened before someone else's change, saying what changed."""
    if seen_version is None or version_of(obj) == seen_version:
        return
    changed = changes_since(obj, seen_version)
    detail = (" 変更された内容: " + " / ".join(changed)) if changed else ""
    raise ValidationError(
        f"{what}は、編集を始めた後に他の職員が更新しました。{detail}"
        " 最新の内容を確認してから、もう一度入力してください。"
    )


def get_or_create_as(actor, model, defaults: dict | None = None, **lookup):
    """``model.objects.get_or_create`` whose new row's history names ``actor`` (a queryset's
    get_or_create saves with no actor). Returns (row, created)."""
    found = model._default_manager.filter(**lookup).first()
    if found is not None:
        return found, False
    made = model(**lookup, **(defaults or {}))
    as_actor(actor, made).save()
    return made, True


def save_each_as(actor, queryset, **values) -> int:
    """Set ``values`` on each row of ``queryset`` through its save, so that each change has
    its history row naming ``actor`` (a queryset's update() writes none). Returns the count."""
    count = 0
    for row in queryset:
        for name, value in values.items():
            setattr(row, name, value)
        as_actor(actor, row).save(update_fields=list(values))
        count += 1
    return count


def bulk_create_as(actor, model, objs: list) -> list:
    """New rows of ``model`` inserted in bulk (tsunagu.core.bulk), each with its history row
    naming ``actor`` (history_type "+"), copied inside the database (INSERT … SELECT from the
    rows just made): a prefecture's directory import writes a hundred thousand entries, and
    building a history object per row in Python doubled its time. Returns the rows, with
    their primary keys."""
    created = bulk.insert(model, objs)
    history = model.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in model._meta.concrete_fields)
    extra = ", ".join(
        quote(c)
        for c in ("history_date", "history_type", "history_user_id", "history_change_reason")
    )
    pks = [obj.pk for obj in created]
    with connection.cursor() as cursor:
        for start in range(0, len(pks), 900):  # within SQLite's 999 parameters
            chunk = pks[start : start + 900]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({columns}, {extra}) "  # noqa: S608 - names from the models
                f"SELECT {columns}, %s, '+', %s, NULL FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({marks})",
                [timezone.now(), getattr(actor, "pk", None), *chunk],
            )
    return created
