"""Context while taking an intake: a person's page lists their cases and intakes, a household
says when some members are hidden, and deciding an intake shows the persons' existing cases."""

from django.test import Client
from django.urls import reverse

from tsunagu.cases import services
from tsunagu.cases.models import ConsultationCategory, Intake
from tsunagu.people.models import Household, HouseholdMember

from . import factories


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_person_page_lists_the_viewers_cases_and_says_others_exist(users, family, town):
    _, mother, child = family
    case = factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    page = _client(users["caseworker"]).get(reverse("people:person_detail", args=[child.pk]))
    html = page.content.decode()
    assert case.number in html and "他の担当が扱うケースがあります" not in html
    # The nurse sees the child (maternal health knows the family) but not the case.
    nurse = _client(users["nurse"]).get(reverse("people:person_detail", args=[child.pk]))
    html = nurse.content.decode()
    assert case.number not in html and "他の担当が扱うケースがあります" in html


def test_a_household_with_members_the_viewer_may_not_see_says_so(users, family, town):
    household, mother, _ = family
    stranger = factories.person(town, "蓮", "レン", None)
    HouseholdMember.objects.create(household=household, person=stranger, relationship="other")
    page = _client(users["nurse"]).get(reverse("people:person_detail", args=[mother.pk]))
    html = page.content.decode()
    assert "他に閲覧できない世帯員がいます" in html and "蓮" not in html
    assert Household.objects.count() == 1


def test_deciding_an_intake_shows_the_childs_existing_case(users, family):
    _, mother, child = family
    worker = users["caseworker"]
    case = factories.case(worker, [(child, "child"), (mother, "guardian")])
    second = services.receive_intake(
        Intake(
            received_at=case.intakes.get().received_at,
            channel=Intake.Channel.PHONE,
            source=Intake.Source.SCHOOL,
            category=ConsultationCategory.objects.get(code="care.abuse", is_current=True),
            urgency=Intake.Urgency.TODAY,
            summary="再度の連絡。",
        ),
        [(child, "child")],
        actor=worker,
    )
    page = _client(worker).get(reverse("cases:intake_detail", args=[second.pk]))
    html = page.content.decode()
    assert "関係する人の既存のケース" in html and case.number in html
    # The join form is filled with the child's open case.
    assert page.context["join_form"].initial["number"] == case.number
