"""つなぐ (referrals from partners), the cafeteria network's donations, and the monthly figures
per partner (issue 18)."""

import calendar
import contextlib
import re
import threading
from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tsunagu.accounts.models import User
from tsunagu.cases.models import ConsultationCategory, Intake
from tsunagu.cases.selectors import DueFilters, due_for
from tsunagu.core.models import Organisation
from tsunagu.core.roles import Role
from tsunagu.watch import figures, selectors, services
from tsunagu.watch.models import Donation, DonationClaim, Need, Referral

from . import factories


@pytest.fixture
def other_partner(town):
    cafeteria = Organisation.objects.create(
        municipality=town, kind=Organisation.Kind.CAFETERIA, name="北町こども食堂"
    )
    return User.objects.create_user(
        username="kitamachi", password="x", organisation=cafeteria, role=Role.PARTNER
    )


def _category():
    factories.ensure_code_lists()
    return ConsultationCategory.objects.filter(is_current=True, is_abuse=False).first()


# --- つなぐ -------------------------------------------------------------------------------------


def test_a_referral_becomes_an_intake_and_the_partner_sees_only_where_it_stands(users):
    referral = factories.referral(users["partner"])
    worker = users["caseworker"]
    assert referral.unit == worker.organisation  # the child-welfare window
    assert list(selectors.referrals_for(worker)) == [referral]
    assert list(selectors.referrals_for(users["nurse"])) == []
    due = due_for(worker, filters=DueFilters(kind="referral", unit=worker.organisation_id))
    assert [item.url for item in due] == [reverse("watch:referral_detail", args=[referral.pk])]

    intake = services.receive_referral(referral, actor=worker, category=_category(), urgency="soon")
    assert (intake.channel, intake.source) == (
        Intake.Channel.PARTNER_REPORT,
        Intake.Source.CAFETERIA,
    )
    assert intake.source_organisation == users["partner"].organisation
    assert "食費が足りず" in intake.summary and "口頭で同意" in intake.summary
    with pytest.raises(ValidationError, match="すでに"):
        services.receive_referral(referral, actor=worker, category=_category(), urgency="soon")

    partner = Client()
    partner.force_login(users["partner"])
    url = reverse("watch:referral_detail", args=[referral.pk])
    page = partner.get(url).content.decode()
    assert "センターが受け付けました" in page and intake.number not in page

    services.close_referral(referral, True, "母と面談", actor=worker, on=timezone.localdate())
    page = partner.get(url).content.decode()
    assert "つながりました" in page and "母と面談" not in page
    assert due_for(worker, filters=DueFilters(kind="referral")) == []


def test_a_referral_not_reached_in_time_is_overdue_on_the_units_due_list(users, town):
    town.referral_reach_days = 7
    town.save()
    referral = factories.referral(users["partner"])
    assert referral.reach_by == timezone.localdate() + timedelta(days=7)
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        (item,) = due_for(users["caseworker"], filters=DueFilters(kind="referral"))
        assert item.overdue and "森 さくら" in item.label


def test_a_referral_needs_the_guardians_consent(users):
    client = Client()
    client.force_login(users["partner"])
    response = client.post(
        reverse("watch:referral_create"),
        {
            "window": "maternal",
            "guardian_name": "森 さくら",
            "what_was_said": "妊娠中で不安が強い。",
            "consent": "spoken",
            "consent_on": timezone.localdate().isoformat(),
            "contact_by": "center_calls",
        },
    )
    assert response.status_code == 200 and "この項目は必須です" in response.content.decode()
    assert Referral.objects.count() == 0


def test_only_the_sending_partner_and_the_unit_see_a_referral(users, other_partner):
    referral = factories.referral(users["partner"], window="maternal")
    assert referral.unit.kind == Organisation.Kind.UNIT_MATERNAL_HEALTH
    client = Client()
    client.force_login(other_partner)
    assert client.get(reverse("watch:referral_detail", args=[referral.pk])).status_code == 404
    assert "森 さくら" not in client.get(reverse("watch:referral_list")).content.decode()
    with pytest.raises(PermissionDenied):
        services.receive_referral(
            referral, actor=users["caseworker"], category=_category(), urgency="soon"
        )


# --- The network --------------------------------------------------------------------------------


@pytest.fixture
def offer(users):
    partner = users["partner"].organisation
    network = factories.network(partner.municipality, partner)
    return services.offer_donation(
        Donation(network=network, item="米", quantity=30, unit="kg", donor="市内の米農家"),
        actor=users["supervisor"],
    )


def test_members_claim_shares_and_nobody_claims_more_than_is_left(users, offer):
    services.claim_share(offer, 20, actor=users["partner"])
    with pytest.raises(ValidationError, match="残りは 10kg"):
        services.claim_share(offer, 11, actor=users["partner"])
    services.claim_share(offer, 10, actor=users["partner"])
    assert services.claimed(offer) == 30
    assert selectors.offers_in(users["partner"], offer.network) == []
    assert offer.offered_by == users["supervisor"].organisation


def test_a_partner_outside_the_network_sees_and_claims_nothing(users, offer, other_partner):
    with pytest.raises(PermissionDenied):
        services.claim_share(offer, 1, actor=other_partner)
    client = Client()
    client.force_login(other_partner)
    assert client.get(reverse("watch:donation_detail", args=[offer.pk])).status_code == 404
    assert "米" not in client.get(reverse("watch:network")).content.decode()


def test_a_need_is_closed_by_its_poster_or_the_center(users, offer, town):
    need = services.post_need(Need(network=offer.network, what="おむつ"), actor=users["partner"])
    second = factories.network(town)  # another network the partner is not in
    with pytest.raises(PermissionDenied):
        services.post_need(Need(network=second, what="米"), actor=users["partner"])
    services.mark_need_met(need, actor=users["supervisor"])
    need.refresh_from_db()
    assert need.met


@pytest.mark.django_db(transaction=True)
def test_two_claims_on_the_last_share_at_once_leave_exactly_one_winner(town, monkeypatch):
    """On PostgreSQL (CI's second pass) as on SQLite: the row lock decides. Each claim, having
    counted what is left, waits up to two seconds for the other to have counted too: without
    the lock both count 5 left and both win; with it the second counts only after the first
    has committed."""
    users = factories.users(town)
    partner = users["partner"]
    second = User.objects.create_user(
        username="kitamachi",
        password="x",
        organisation=Organisation.objects.create(
            municipality=town, kind=Organisation.Kind.CAFETERIA, name="北町こども食堂"
        ),
        role=Role.PARTNER,
    )
    network = factories.network(town, partner.organisation, second.organisation)
    donation = services.offer_donation(
        Donation(network=network, item="お菓子", quantity=200, unit="個"), actor=partner
    )
    services.claim_share(donation, 195, actor=partner)
    start, won, refused, errors = threading.Barrier(2), [], [], []
    counted_together = threading.Barrier(2, timeout=2)
    count = services.claimed

    def count_then_wait(offer):
        taken = count(offer)
        # Broken when the other claim is held at the lock instead.
        with contextlib.suppress(threading.BrokenBarrierError):
            counted_together.wait()
        return taken

    monkeypatch.setattr(services, "claimed", count_then_wait)

    def claim(actor):
        try:
            start.wait()
            won.append(services.claim_share(donation, 5, actor=actor).organisation_id)
        except ValidationError as error:
            refused.append(str(error))
        except Exception as error:  # anything else is a failure of the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(actor,)) for actor in (partner, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [], (connection.vendor, errors)
    assert len(won) == 1 and len(refused) == 1, (connection.vendor, won, refused)
    assert "残りは 0個" in refused[0]
    assert DonationClaim.objects.filter(donation=donation).count() == 2
    assert services.claimed(donation) == 200


# --- Figures ------------------------------------------------------------------------------------


def test_the_monthly_figures_match_a_hand_count(users, family):
    _, mother, child = family
    case = factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    partner, worker = users["partner"], users["caseworker"]
    today = timezone.localdate()
    first = today.replace(day=1)
    days = calendar.monthrange(first.year, first.month)[1]
    # Weekly and fortnightly from the month's first day: the 1st, 8th, 15th, 22nd (29th) and
    # the 1st, 15th (29th).
    since = (today - first).days
    weekly = factories.watch_assignment(worker, case, partner.organisation, days_ago=since)
    factories.watch_assignment(worker, case, partner.organisation, every_weeks=2, days_ago=since)
    planned = len(range(0, days, 7)) + len(range(0, days, 14))
    factories.watch_report(weekly, partner, on=first)
    factories.watch_report(weekly, partner, on=first, child_seen=False, concern="some")
    factories.watch_report(weekly, partner, on=first, visited=False)
    urgent = factories.watch_report(weekly, partner, on=first, concern="urgent")
    services.acknowledge_alert(urgent.alerts.get(), actor=worker)

    (row,) = figures.monthly(users["supervisor"], today)
    assert (row.households, row.planned) == (2, planned)
    assert (row.made, row.not_made, row.children_seen) == (3, 1, 2)
    assert row.concern == {"none": 2, "some": 1, "urgent": 1}
    assert row.alerts == 2  # the visit not made, the urgent report
    assert row.acknowledged_minutes is not None and row.acknowledged_minutes < 1

    client = Client()
    client.force_login(users["supervisor"])
    response = client.get(reverse("watch:figure_export"), {"month": f"{today:%Y-%m}"})
    sheet = load_workbook(BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == figures.HEADERS
    assert [cell.value for cell in sheet[2]][1:10] == [2, planned, 3, 1, 2, 2, 1, 1, 2]


def test_a_partner_sees_only_its_own_figures(users, family, other_partner):
    _, mother, child = family
    case = factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    mine = factories.watch_assignment(users["caseworker"], case, users["partner"].organisation)
    factories.watch_assignment(users["caseworker"], case, other_partner.organisation)
    factories.watch_report(mine, users["partner"])
    rows = figures.monthly(users["partner"], timezone.localdate())
    assert [row.partner for row in rows] == [users["partner"].organisation]
    assert len(figures.monthly(users["supervisor"], timezone.localdate())) == 2


def test_another_partner_changing_ids_reaches_nothing(users, family, other_partner):
    """Every watch URL and API endpoint that takes an id, with the ids of the first partner's
    household, report, referral, donation, need and alert: the second partner (in no network)
    gets 403, 404 or 405 — and the id-less pages show none of it. 0 leaks."""
    from django.urls import get_resolver

    _, mother, child = family
    case = factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    objects = factories.watch_objects(users, case)
    ids = {
        "assignments": objects["watch_assignment"],
        "reports": objects["watch_report"],
        "referrals": objects["watch_referral"],
        "donations": objects["donation"],
        "needs": objects["need"],
        "alerts": objects["watch_alert"],
        "network": objects["network"],
        "cases": case.pk,
    }
    client = Client()
    client.force_login(other_partner)
    watch = get_resolver().url_patterns
    seen = {}
    for name, url in _watch_urls(watch, ids):
        response = client.get(url)
        seen[name] = response.status_code
        if response.status_code == 200 and "spreadsheet" not in response["Content-Type"]:
            body = response.content.decode()
            assert "髙橋" not in body and "森 さくら" not in body and "米" not in body, name
    leaks = {
        name: status
        for name, status in seen.items()
        if "<" in name and status not in (403, 404, 405)
    }
    assert leaks == {}, seen
    # The forms that only take a POST: posted to, they refuse too, and change nothing.
    posted = {
        name: client.post(url, {"quantity": 1, "note": "x", "reached": "1"}).status_code
        for name, url in _watch_urls(watch, ids)
        if seen[name] == 405 and "api/" not in name
    }
    assert posted and set(posted.values()) <= {403, 404}, posted
    assert DonationClaim.objects.count() == 0 and not Need.objects.filter(met=True).exists()
    assert len([name for name in seen if "<" in name]) >= 15


def _watch_urls(patterns, ids, prefix=""):
    """(pattern, URL) of every watch page and API route, its ids taken from ``ids`` by the
    path segment before each converter (``/watch/referrals/<int:pk>/`` → ``referrals``)."""
    import re

    from django.urls import URLPattern, URLResolver

    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _watch_urls(pattern.url_patterns, ids, route)
        elif isinstance(pattern, URLPattern) and "watch" in route:

            def fill(match, route=route):
                before = route[: match.start()].rstrip("/").split("/")[-1]
                return str(ids[before])

            yield route, "/" + re.sub(r"<int:\w+>", fill, route)


def test_the_councils_coordinator_works_in_the_network_the_council_belongs_to(users, town):
    """社協 coordinates many a cafeteria network: its editor sees and posts there, not
    elsewhere."""
    editor = users["editor"]
    member = factories.network(town, editor.organisation)
    other = factories.network(town)
    assert list(selectors.networks_for(editor)) == [member]
    services.post_need(Need(network=member, what="ボランティアの運転手"), actor=editor)
    with pytest.raises(PermissionDenied):
        services.post_need(Need(network=other, what="米"), actor=editor)


def test_the_unit_takes_a_referral_in_through_the_intake_form_with_the_family(
    users, family, client
):
    """「相談受付の画面を開く」 opens the intake form filled from the referral, its person finder
    looking for the guardian; the intake saved there, with the mother found, is the
    referral's."""
    _, mother, _ = family
    referral = factories.referral(users["partner"], guardian_name="髙橋 美咲")
    client.force_login(users["caseworker"])
    page = client.get(reverse("watch:referral_detail", args=[referral.pk])).content.decode()
    link = re.search(r'href="(/cases/intakes/new/\?[^"]+)"', page).group(1).replace("&amp;", "&")
    form = client.get(link)
    assert form.status_code == 200, (link, form.status_code)
    assert form.context["form"].initial["summary"].startswith("協力団体(")
    assert form.context["finder"].initial["family_name"] == "髙橋"
    origin = form.context["origin"]
    data = {
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": "partner_report",
        "source": "cafeteria",
        "category": _category().pk,
        "urgency": "soon",
        "summary": form.context["form"].initial["summary"],
        "origin": origin,
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-person": mother.pk,
        "form-0-role": "guardian",
        "form-person": [mother.pk],
    }
    saved = client.post("/cases/intakes/new/", data)
    intake = Intake.objects.get()
    assert saved.url == f"/cases/intakes/{intake.pk}/"
    referral.refresh_from_db()
    assert (referral.intake, referral.status) == (intake, Referral.Status.RECEIVED)
    assert list(intake.persons.values_list("person", flat=True)) == [mother.pk]
    # The same origin again (the form sent twice): a second intake, the referral unchanged.
    client.post("/cases/intakes/new/", data)
    referral.refresh_from_db()
    assert referral.intake == intake
