"""Short-stay matching (子育て短期支援事業): the places a worker is offered for a child's stay,
with the reasons for and against each, and the pages from the search to the agency's answer.

The stays are on fixed dates (a Friday–Sunday and a Tuesday–Thursday in January 2027), so
nothing here depends on the day the tests run."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tsunagu.core.models import Area
from tsunagu.family_support import catalogue, services
from tsunagu.family_support.matching import candidates, school_district_of
from tsunagu.family_support.models import Contract, Provider, StayRequest
from tsunagu.people.models import Sex

pytestmark = pytest.mark.django_db

FRIDAY, SUNDAY = date(2027, 1, 8), date(2027, 1, 10)
TUESDAY, THURSDAY = date(2027, 1, 12), date(2027, 1, 14)
Kind = Provider.Kind


@pytest.fixture
def case(users, family):
    _household, mother, child = family
    return factories.case(users["caseworker"], [(mother, "guardian"), (child, "child")])


@pytest.fixture
def districts(town):
    """Two elementary school districts, each with one town (町丁目)."""
    made = {}
    for code, name in (("E01", "本町"), ("E02", "西町")):
        district = Area.objects.create(
            municipality=town,
            kind=Area.Kind.ELEMENTARY_DISTRICT,
            code=code,
            name=f"{name}小学校区",
        )
        Area.objects.create(
            municipality=town, kind=Area.Kind.TOWN, code=f"T{code}", name=name, parent=district
        )
        made[name] = district
    return made


def place(town, name, kind, **extra):
    return Provider.objects.create(municipality=town, name=name, kind=kind, **extra)


def find(town, *, age=7, sex=Sex.FEMALE, starts_on=FRIDAY, ends_on=SUNDAY, **needs):
    return candidates(
        town,
        child_age_years=age,
        sex=sex,
        needs_medical_care=needs.get("medical", False),
        needs_development_support=needs.get("development", False),
        starts_on=starts_on,
        ends_on=ends_on,
        district=needs.get("district"),
    )


def by_name(found):
    return {candidate.provider.name: candidate for candidate in found}


def fitting(found):
    return [candidate.provider.name for candidate in found if candidate.fits]


# --- the matching rules -------------------------------------------------------------------


def test_an_infant_goes_to_the_infant_home(town):
    place(town, "みずほ乳児院", Kind.INFANT_HOME, capacity=4)
    place(town, "光明童園", Kind.CHILDRENS_HOME, capacity=4)
    place(town, "里親 佐藤さん", Kind.FOSTER_CARER)
    found = find(town, age=0)
    assert fitting(found) == ["みずほ乳児院"]
    assert "2歳未満の子どもは乳児院に依頼します" in by_name(found)["みずほ乳児院"].reasons[0]
    home = by_name(found)["光明童園"]
    assert not home.fits and any("2歳未満の子どもは乳児院に依頼します" in r for r in home.against)


def test_a_carer_who_takes_infants_is_offered_after_the_infant_home(town):
    place(town, "みずほ乳児院", Kind.INFANT_HOME, capacity=4)
    place(town, "里親 佐藤さん", Kind.FOSTER_CARER, min_age=0, years_experience=20)
    assert fitting(find(town, age=1)) == ["みずほ乳児院", "里親 佐藤さん"]


def test_a_school_child_is_not_offered_the_infant_home(town):
    place(town, "みずほ乳児院", Kind.INFANT_HOME, capacity=4)
    place(town, "光明童園", Kind.CHILDRENS_HOME, capacity=4)
    found = find(town, age=7)
    assert fitting(found) == ["光明童園"]
    assert by_name(found)["みずほ乳児院"].against == [
        "乳児院は2歳未満の子どもの受入先です(子どもは7歳)。"
    ]


def test_a_place_outside_its_ages_is_not_offered(town):
    place(town, "光明童園", Kind.CHILDRENS_HOME, capacity=4, max_age=12)
    found = find(town, age=15)
    assert not found[0].fits and found[0].against == ["受入は2〜12歳です(子どもは15歳)。"]


def test_a_weekends_only_carer_takes_friday_to_sunday_but_not_tuesday_to_thursday(town):
    place(town, "週末里親 田中さん", Kind.FOSTER_CARER, weekends_only=True)
    weekend = find(town, starts_on=FRIDAY, ends_on=SUNDAY)[0]
    assert weekend.fits
    assert "週末のみの里親です。泊まりがすべて金曜・土曜の夜なので受け入れられます。" in (
        weekend.reasons
    )
    weekdays = find(town, starts_on=TUESDAY, ends_on=THURSDAY)[0]
    assert not weekdays.fits
    assert weekdays.against == [
        "週末(金曜・土曜の夜)のみの里親です。1/12(火)・1/13(水)の夜は受け入れられません。"
    ]


def test_a_weekends_only_carer_does_not_take_a_stay_running_into_sunday_night(town):
    place(town, "週末里親 田中さん", Kind.FOSTER_CARER, weekends_only=True)
    monday = SUNDAY + timedelta(days=1)
    found = find(town, starts_on=FRIDAY, ends_on=monday)[0]
    assert not found.fits and "1/10(日)の夜は受け入れられません" in found.against[0]


def test_a_carer_in_the_childs_school_district_ranks_first_among_fitting_carers(town, districts):
    here, there = districts["本町"], districts["西町"]
    place(town, "里親 西町の鈴木さん", Kind.FOSTER_CARER, district=there, years_experience=10)
    place(town, "里親 本町の高橋さん", Kind.FOSTER_CARER, district=here, years_experience=1)
    place(town, "里親 山田さん", Kind.FOSTER_CARER, years_experience=5)
    found = find(town, district=here)
    assert fitting(found) == ["里親 本町の高橋さん", "里親 西町の鈴木さん", "里親 山田さん"]
    assert "子どもの小学校区(本町小学校区)にあり、学校を変えずに通えます。" in found[0].reasons
    assert "所在は西町小学校区です(通学には送迎が必要です)。" in found[1].reasons


def test_a_full_facility_is_not_fitting(users, case, family, town):
    _household, _mother, child = family
    full = place(town, "光明童園", Kind.CHILDRENS_HOME, capacity=2, current_placements=1)
    services.request_stay(
        case,
        actor=users["caseworker"],
        child=child,
        provider=full,
        starts_on=SUNDAY - timedelta(days=1),
        ends_on=SUNDAY + timedelta(days=1),
    )
    found = find(town)[0]
    assert not found.fits and found.places_left == 0
    assert found.against == [
        "この期間は空きがありません(定員2人・受入中1人・この期間の依頼1件。"
        "定員は他市町村・一時保護と共用です)。"
    ]


def test_a_declined_request_or_one_ending_as_the_stay_begins_holds_no_place(
    users, case, family, town
):
    _household, _mother, child = family
    home = place(town, "光明童園", Kind.CHILDRENS_HOME, capacity=1)
    before = services.request_stay(
        case,
        actor=users["caseworker"],
        child=child,
        provider=home,
        starts_on=FRIDAY - timedelta(days=2),
        ends_on=FRIDAY,  # picked up the morning this stay begins
    )
    declined = services.request_stay(
        case,
        actor=users["caseworker"],
        child=child,
        provider=home,
        starts_on=FRIDAY,
        ends_on=SUNDAY,
    )
    services.answer_stay(declined, actor=users["caseworker"], answer="declined", answered_on=FRIDAY)
    found = find(town)[0]
    assert found.fits and found.places_left == 1
    assert before.answer == StayRequest.Answer.PENDING


def test_medical_care_needs_a_place_that_gives_it(town):
    place(town, "光明童園", Kind.CHILDRENS_HOME, capacity=4)
    place(town, "医療型の児童養護施設", Kind.CHILDRENS_HOME, capacity=4, medical_care=True)
    found = find(town, medical=True)
    assert fitting(found) == ["医療型の児童養護施設"]
    assert "医療的ケアに対応しています。" in found[0].reasons
    assert by_name(found)["光明童園"].against == ["医療的ケアに対応していません。"]


def test_developmental_needs_go_to_a_facility_that_gives_support(town, districts):
    place(town, "里親 高橋さん", Kind.FOSTER_CARER)
    place(
        town,
        "里親 研修済みの鈴木さん",
        Kind.FOSTER_CARER,
        development_support=True,
        years_experience=15,
    )
    place(town, "光明童園", Kind.CHILDRENS_HOME, capacity=4, development_support=True)
    found = find(town, development=True)
    assert fitting(found) == ["光明童園", "里親 研修済みの鈴木さん"]
    assert by_name(found)["里親 高橋さん"].against == [
        "発達特性への対応がありません(専門性が必要な子どもは施設に依頼します)。"
    ]


def test_a_place_for_one_sex_only(town):
    place(town, "男子寮", Kind.CHILDRENS_HOME, capacity=4, accepts_sex=Sex.MALE)
    girl = find(town, sex=Sex.FEMALE)[0]
    assert not girl.fits and girl.against == ["受入は男の子だけです。"]
    assert find(town, sex=Sex.MALE)[0].fits
    unknown = find(town, sex=Sex.UNKNOWN)[0]
    assert unknown.fits and "子どもの性別を確認してください" in unknown.reasons[1]


def test_other_places_are_offered_only_under_a_short_stay_contract(town, other_town):
    offerings = catalogue.load(town, 2026)
    short_stay = next(o for o in offerings if o.legal_category == "short_stay")
    helpers = next(o for o in offerings if o.legal_category == "home_visit_support")
    nursery = place(town, "夜間保育園 陽だまり", Kind.NPO)
    Contract.objects.create(offering=short_stay, provider=nursery, unit_price=5000)
    agency = place(town, "子育てヘルパー", Kind.NPO)
    Contract.objects.create(offering=helpers, provider=agency, unit_price=3000)
    place(town, "受託をやめた里親", Kind.FOSTER_CARER, is_active=False)
    place(other_town, "となり市の乳児院", Kind.INFANT_HOME, capacity=4)
    assert [c.provider.name for c in find(town)] == ["夜間保育園 陽だまり"]
    # A contract of another fiscal year does not count: the stay of April 2027 is in 2027.
    assert find(town, starts_on=date(2027, 4, 2), ends_on=date(2027, 4, 4)) == []


def test_the_childs_school_district_is_read_from_the_household_town(family, districts):
    household, _mother, child = family
    assert school_district_of(child) is None
    household.town = districts["本町"].children.get()
    household.save()
    assert school_district_of(child) == districts["本町"]


# --- the pages ----------------------------------------------------------------------------


def _search(starts_on=FRIDAY, ends_on=SUNDAY, **extra) -> dict:
    return {"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), **extra}


def test_the_search_shows_the_places_with_their_reasons(client, users, case, family, districts):
    household, _mother, child = family
    household.town = districts["本町"].children.get()
    household.save()
    place(case.municipality, "週末里親 田中さん", Kind.FOSTER_CARER, weekends_only=True)
    place(case.municipality, "里親 本町の高橋さん", Kind.FOSTER_CARER, district=districts["本町"])
    client.force_login(users["caseworker"])
    url = reverse("family_support:stay_search", args=[case.pk])
    page = client.get(url).content.decode()
    # The child and the school district are filled in from the case.
    assert f'<option value="{child.pk}" selected>' in page
    assert f'<option value="{districts["本町"].pk}" selected>' in page
    page = client.post(url, _search(TUESDAY, THURSDAY, child=child.pk)).content.decode()
    assert "2泊" in page and "里親 本町の高橋さん" in page
    assert "学校を変えずに通えます" in page  # the district came from the household
    assert "1/12(火)・1/13(水)の夜は受け入れられません" in page
    assert page.count("この受入先に依頼する") == 1


def test_the_search_refuses_dates_out_of_order(client, users, case, family):
    client.force_login(users["caseworker"])
    page = client.post(
        reverse("family_support:stay_search", args=[case.pk]),
        _search(SUNDAY, FRIDAY, child=family[2].pk),
    ).content.decode()
    assert "終了日は開始日と同じ日か、それより後にしてください。" in page
    assert "受入先の候補" not in page


def test_a_request_is_saved_and_its_answer_recorded(client, users, case, family, districts):
    child = family[2]
    carer = place(case.municipality, "里親 本町の高橋さん", Kind.FOSTER_CARER)
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("family_support:stay_request", args=[case.pk]),
        _search(
            child=child.pk,
            needs_development_support="False",
            district=districts["本町"].pk,
            provider=carer.pk,
            agency="里親支援センター",
            note="送迎は母が行う。",
        ),
    )
    stay = StayRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("family_support:stay_detail", args=[stay.pk])
    assert (stay.case, stay.child, stay.provider) == (case, child, carer)
    assert (stay.starts_on, stay.ends_on, stay.district) == (FRIDAY, SUNDAY, districts["本町"])
    assert stay.agency == "里親支援センター" and stay.requested_by == users["caseworker"]
    assert stay.answer == StayRequest.Answer.PENDING
    page = client.get(response["Location"]).content.decode()
    assert "里親支援センター" in page and "回答を記録する" in page and "2泊" in page

    today = timezone.localdate()
    answer_url = reverse("family_support:stay_answer", args=[stay.pk])
    client.post(answer_url, {"answer": "accepted", "answered_on": today, "note": "受入可"})
    stay.refresh_from_db()
    assert (stay.answer, stay.answered_on) == (StayRequest.Answer.ACCEPTED, today)
    assert stay.note == "送迎は母が行う。\n受入可"
    page = client.get(response["Location"]).content.decode()
    assert "受入可" in page and "回答を記録する" not in page

    again = client.post(
        answer_url, {"answer": "declined", "answered_on": today}, follow=True
    ).content.decode()
    assert "この依頼には回答が記録されています。" in again
    stay.refresh_from_db()
    assert stay.answer == StayRequest.Answer.ACCEPTED


def test_an_answer_dated_before_the_request_is_refused(client, users, case, family):
    carer = place(case.municipality, "里親 高橋さん", Kind.FOSTER_CARER)
    stay = services.request_stay(
        case,
        actor=users["caseworker"],
        child=family[2],
        provider=carer,
        starts_on=FRIDAY,
        ends_on=SUNDAY,
    )
    client.force_login(users["caseworker"])
    page = client.post(
        reverse("family_support:stay_answer", args=[stay.pk]),
        {"answer": "accepted", "answered_on": stay.requested_on - timedelta(days=1)},
        follow=True,
    ).content.decode()
    assert "回答日は依頼日" in page
    stay.refresh_from_db()
    assert stay.answer == StayRequest.Answer.PENDING


def test_a_place_that_does_not_fit_is_refused_with_the_reason(client, users, case, family):
    weekends = place(case.municipality, "週末里親 田中さん", Kind.FOSTER_CARER, weekends_only=True)
    client.force_login(users["caseworker"])
    page = client.post(
        reverse("family_support:stay_request", args=[case.pk]),
        _search(TUESDAY, THURSDAY, child=family[2].pk, provider=weekends.pk),
    ).content.decode()
    assert "「週末里親 田中さん」はこの条件では受け入れられません" in page
    assert "1/12(火)・1/13(水)の夜は受け入れられません" in page
    assert not StayRequest.objects.exists()


def test_only_workers_on_the_case_search_and_request(client, users, case):
    url = reverse("family_support:stay_search", args=[case.pk])
    client.force_login(users["provider"])
    assert client.get(url).status_code == 403
    client.force_login(users["partner"])
    assert client.get(url).status_code == 403
