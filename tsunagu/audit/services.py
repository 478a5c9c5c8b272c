"""Writing the access log. Called in the same request as the read it records."""

from collections.abc import Iterable

from django.db.models import Model
from django.http import HttpRequest

from .models import AccessLog


def _object_type(obj_or_model: Model | type[Model]) -> str:
    return obj_or_model._meta.label_lower


def _client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: behind the reverse proxy it is set from X-Forwarded-For by the proxy
    # config described in the README, never trusted from a client header here.
    return request.META.get("REMOTE_ADDR") or None


def log_access(
    request: HttpRequest,
    obj: Model,
    *,
    action: str = AccessLog.Action.VIEW,
    purpose: str = "",
) -> AccessLog:
    """Record that ``request.user`` read one personal-data object."""
    return AccessLog.objects.create(
        user=request.user,
        action=action,
        object_type=_object_type(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        path=request.get_full_path()[:500],
        purpose=purpose[:200],
        ip_address=_client_ip(request),
    )


def log_bulk_access(
    request: HttpRequest,
    model: type[Model],
    objects: Iterable[Model],
    *,
    action: str,
    purpose: str = "",
) -> AccessLog:
    """Record a list, search or export: one row naming how many and which records."""
    ids = [str(o.pk) for o in objects]
    return AccessLog.objects.create(
        user=request.user,
        action=action,
        object_type=_object_type(model),
        object_id=",".join(ids)[:64] if len(ids) <= 5 else "",
        object_repr=f"{model._meta.verbose_name} {len(ids)}件",
        row_count=len(ids),
        path=request.get_full_path()[:500],
        purpose=purpose[:200],
        ip_address=_client_ip(request),
    )


def log_search(request: HttpRequest, what: str, row_count: int) -> AccessLog:
    """Record a search of something that is not one model's rows (the change history)."""
    return AccessLog.objects.create(
        user=request.user,
        action=AccessLog.Action.SEARCH,
        object_type=what[:100],
        object_repr=f"{row_count}件",
        row_count=row_count,
        path=request.get_full_path()[:500],
        ip_address=_client_ip(request),
    )
