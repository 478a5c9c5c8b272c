"""The conference API (/api/conferences/<id>/): the minutes as data, for a council member's
own tools. The same policy as the page: an outside member reads only conferences they
attended, and of those only the cases discussed there."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from tsunagu.access.policy import requires
from tsunagu.audit.models import AccessLog
from tsunagu.audit.services import log_bulk_access
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.cases.models import Case

from . import selectors
from .models import Conference


@requires("plans.conference_view")
@extend_schema(responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
def conference(request, pk: int):
    """One conference: kind, date, attendees, and the cases the viewer may see with their
    decisions and action items."""
    meeting = get_object_for_viewer(request, Conference.objects.all(), pk=pk, purpose="会議(API)")
    discussions = list(selectors.discussions_for(request.user, meeting))
    log_bulk_access(
        request, Case, [d.case for d in discussions], action=AccessLog.Action.API, purpose="会議"
    )
    return Response(
        {
            "id": meeting.pk,
            "kind": meeting.kind,
            "kind_name": meeting.get_kind_display(),
            "held_on": meeting.held_on,
            "place": meeting.place,
            "attendees": [
                {"name": str(a.user) if a.user_id else a.name, "organisation": a.organisation}
                for a in meeting.attendees.select_related("user")
            ],
            "cases": [
                {
                    "case": d.case.number,
                    "title": d.case.title,
                    "policy": d.policy,
                    "rank": d.rank,
                    "lead_agency": d.lead_agency,
                    "next_review_on": d.next_review_on,
                    "decided": d.decided_at is not None,
                    "action_items": [
                        {"what": i.what, "owner": i.owner_label, "due_on": i.due_on}
                        for i in d.action_items.all()
                    ],
                }
                for d in discussions
            ],
        }
    )
