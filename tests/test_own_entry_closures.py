"""An operator's day off takes effect at once, even on a public entry (it only narrows when the
place is shown open); other changes to public data still wait for an editor."""

from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tsunagu.resources import finder, services
from tsunagu.resources.models import ChangeRequest, Schedule, Visibility

from . import factories


def _open_on(town, place, day: date) -> bool:
    query = finder.Query(municipality=town, when="date", on_date=day, moment=datetime(2026, 11, 1))
    return finder.search(query).filter(pk=place.pk).exists()


def _operated_place(town, users):
    factories.ensure_code_lists()
    return factories.resource(
        town,
        "みなと食堂",
        schedules=[Schedule(kind="weekly", byday="TU", opens_at=time(16), closes_at=time(19))],
        operator=users["partner"].organisation,
        visibility=Visibility.PUBLIC,
    )


def test_today_is_closed_at_once_from_the_operators_page(town, users, client):
    place = _operated_place(town, users)
    tuesday = date(2026, 11, 24)
    assert _open_on(town, place, tuesday)
    client.force_login(users["partner"])
    page = client.get(reverse("resources:own")).content.decode()
    assert "きょうは休み" in page
    done = client.post(
        reverse("resources:own_closure", args=[place.service.pk]),
        {"date": tuesday.isoformat()},
        follow=True,
    )
    assert "すぐにファインダーに反映されます" in done.content.decode()
    assert not _open_on(town, place, tuesday)
    assert _open_on(town, place, date(2026, 12, 1))
    assert not ChangeRequest.objects.exists()  # no approval needed


def test_a_closure_in_the_edit_form_applies_at_once_and_the_rest_waits(town, users):
    place = _operated_place(town, users)
    service = place.service
    proposed = type(service).objects.get(pk=service.pk)
    proposed.phone = "059-000-0000"
    rows = [*place.schedules.all(), Schedule(kind="closed", date=date(2026, 12, 1))]
    request = services.change_own_entry(service, proposed, rows, actor=users["partner"])
    assert not _open_on(town, place, date(2026, 12, 1))  # the day off, at once
    assert request is not None and list(request.changes["service"]) == ["phone"]
    assert "schedules" not in request.changes


def test_a_partner_cannot_close_another_organisations_place(town, users, client):
    factories.ensure_code_lists()
    other = factories.resource(town, "よその食堂", schedules=[])
    client.force_login(users["partner"])
    url = reverse("resources:own_closure", args=[other.service.pk])
    assert client.post(url, {"date": "2026-11-24"}).status_code == 404
    assert not Schedule.objects.filter(kind="closed").exists()


def test_closing_a_day_already_closed_says_so_and_adds_nothing(town, users):
    place = _operated_place(town, users)
    partner = users["partner"]
    services.post_closure(place.service, date(2026, 11, 24), actor=partner)
    with pytest.raises(ValidationError, match="もう休み"):
        services.post_closure(place.service, date(2026, 11, 24), actor=partner)
    assert place.schedules.filter(kind="closed").count() == 1
