"""Rules for the foundation's reference data (geography and organisations)."""

from django.db.models import QuerySet

from tsunagu.core.models import Area, Municipality, Organisation

from . import policy


def _own_municipality(user: policy.Viewer, queryset: QuerySet) -> QuerySet:
    return queryset.filter(pk=user.municipality_id)


def _within_municipality(user: policy.Viewer, queryset: QuerySet) -> QuerySet:
    return policy.within_municipality(user, queryset)


policy.register(Municipality, scope=_own_municipality)
policy.register(Area, scope=_within_municipality)
policy.register(Organisation, scope=_within_municipality)
