"""The report API (/api/watch/reports/): what the visits page sends from a phone, with the
phone's idempotency key, so a report sent again after a lost connection is kept once; and one
report read back. The same policy as the pages: a partner reaches only its organisation's
households and reports."""

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from tsunagu.access.policy import SIGNED_IN, requires
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.core.errors import message_of

from . import services
from .forms import ReportForm
from .models import WatchAssignment, WatchReport


def _as_data(report: WatchReport) -> dict:
    return {
        "id": report.pk,
        "key": str(report.key),
        "assignment": report.assignment_id,
        "visit_on": report.visit_on,
        "visited": report.visited,
        "not_visited_reason": report.not_visited_reason,
        "child_seen": report.child_seen,
        "checks": {name: getattr(report, name) for name in WatchReport.CHECKS},
        "concern": report.concern,
        "note": report.note,
        "received_at": report.received_at,
    }


YES_NO = [("1", "はい"), ("0", "いいえ")]


class ReportIn(serializers.Serializer):
    """The fields of the report form, as the visits page sends them."""

    assignment = serializers.IntegerField()
    key = serializers.UUIDField()
    visit_on = serializers.DateField()
    visited = serializers.ChoiceField(choices=YES_NO)
    child_seen = serializers.ChoiceField(choices=YES_NO, required=False)
    concern = serializers.CharField()


@requires("watch.visits")
@extend_schema(request=ReportIn, responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT})
@api_view(["POST"])
def report_create(request):
    """File a visit report. 201 with the report when new; 200 with the report kept before
    when the key was sent already; 400 with the problems in Japanese; 404 for a household the
    partner does not watch."""
    data = request.data
    assignment = get_object_for_viewer(
        request,
        WatchAssignment.objects.select_related("partner"),
        pk=_int(data.get("assignment")),
        purpose="見守り報告(API)",
    )
    form = ReportForm(data)
    if not form.is_valid():
        return Response({"errors": form.errors.get_json_data()}, status=status.HTTP_400_BAD_REQUEST)
    try:
        report, created = services.file_report(
            assignment, form.save(commit=False), form.cleaned_data["key"], actor=request.user
        )
    except ValidationError as error:
        return Response({"errors": {"__all__": [{"message": message_of(error)}]}}, status=400)
    return Response(
        _as_data(report), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@requires(SIGNED_IN)
@extend_schema(responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
def report_detail(request, pk: int):
    """One report the viewer may see (a partner: its organisation's)."""
    report = get_object_for_viewer(
        request, WatchReport.objects.all(), pk=pk, purpose="見守り報告(API)"
    )
    return Response(_as_data(report))
