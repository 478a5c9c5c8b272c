"""The one way a view reads a personal-data object: policy check, then access log."""

from django.http import Http404

from tsunagu.access import policy

from .services import log_access


def get_object_for_viewer(request, queryset, *, purpose: str = "", **lookup):
    """The object, if the viewer may see it (404 otherwise, so existence is not revealed)."""
    obj = policy.scope(request.user, queryset).filter(**lookup).first()
    if obj is None:
        raise Http404
    log_access(request, obj, purpose=purpose or request.GET.get("purpose", ""))
    return obj
