"""The provider API (/api/family-support/): the provider's users (its own decisions only, with
what the decision allows and asks) and recording a use with the phone's idempotency key. The
same policy as the pages: another provider's decisions answer 404."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from tsunagu.access.policy import requires
from tsunagu.audit.models import AccessLog
from tsunagu.audit.services import log_bulk_access
from tsunagu.core.errors import message_of
from tsunagu.core.params import whole_number

from . import selectors, services
from .forms import UseForm
from .models import Decision, Usage
from .portal_views import decision_for
from .selectors import PortalRow
from .services import UseInput


def _decision_data(row: PortalRow) -> dict:
    decision = row.decision
    return {
        "id": decision.pk,
        "child": str(decision.child),
        "service": decision.offering.public_name,
        "unit": decision.offering.unit,
        "starts_on": decision.starts_on,
        "ends_on": decision.ends_on,
        "per_use_limit": decision.per_use_limit,
        "uses_limit": decision.uses_limit,
        "used": row.used,
        "running": row.running,
        "asks_provider": decision.asks_provider,
    }


def _use_data(usage: Usage) -> dict:
    return {
        "id": usage.pk,
        "key": str(usage.key),
        "decision": usage.decision_id,
        "used_on": usage.used_on,
        "amount": usage.amount,
        "status": usage.status,
        "fee": usage.fee,
        "concern": usage.concern,
    }


@requires("family_support.portal")
@extend_schema(operation_id="family_support_decisions_list", responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
def decision_list(request):
    """The provider's users: its own decisions, running ones first."""
    rows = selectors.portal_rows(request.user, timezone.localdate())
    log_bulk_access(
        request,
        Decision,
        [row.decision for row in rows],
        action=AccessLog.Action.LIST,
        purpose="提供事業者の利用者一覧(API)",
    )
    return Response({"results": [_decision_data(row) for row in rows]})


@requires("family_support.portal")
@extend_schema(responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
def decision_detail(request, pk: int):
    """One user of the provider; 404 for another provider's."""
    decision = decision_for(request, pk, "提供事業者の利用者(API)")
    return Response(_decision_data(selectors.portal_row(decision, timezone.localdate())))


class UseIn(serializers.Serializer):
    """The fields of the use form, as a phone sends them."""

    decision = serializers.IntegerField()
    key = serializers.UUIDField()
    used_on = serializers.DateField()
    starts_at = serializers.TimeField(required=False)
    ends_at = serializers.TimeField(required=False)
    attended = serializers.ChoiceField(choices=[("1", "利用あり"), ("0", "欠席・不在")])
    children = serializers.IntegerField()
    guardians = serializers.IntegerField()
    concern = serializers.ChoiceField(choices=Usage.Concern.choices)
    observation = serializers.CharField(required=False)


@requires("family_support.portal")
@extend_schema(request=UseIn, responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT})
@api_view(["POST"])
def use_create(request):
    """Record a use. 201 with the use when new; 200 with the use kept before when the key was
    sent already; 400 with the problems in Japanese (a use past the decision's limits among
    them); 404 for a decision of another provider."""
    data = request.data
    decision = decision_for(request, whole_number(str(data.get("decision", ""))), "利用実績(API)")
    form = UseForm(data, decision=decision)
    if not form.is_valid():
        return Response({"errors": form.errors.get_json_data()}, status=status.HTTP_400_BAD_REQUEST)
    fields = dict(form.cleaned_data)
    key = fields.pop("key")
    fields["nights"] = fields.get("nights") or 0
    try:
        usage, created = services.record_use(
            decision, UseInput(**fields), actor=request.user, key=key
        )
    except ValidationError as error:
        return Response({"errors": {"__all__": [{"message": message_of(error)}]}}, status=400)
    return Response(
        _use_data(usage), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
    )
