"""The maternal line: the notification's flags, the one step to a 特定妊婦 registration, the
birth putting the family on the visit list, the EPDS follow-up, the missed check-up followed up
and a child nobody has seen raised to child welfare exactly once."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests import factories
from tsunagu.access import policy
from tsunagu.cases.models import Intake, Registration
from tsunagu.cases.selectors import due_for
from tsunagu.core.models import Organisation
from tsunagu.maternal import schedule, selectors, services
from tsunagu.maternal.models import (
    Birth,
    Checkup,
    FollowStep,
    FollowUp,
    NewbornVisit,
    Pregnancy,
    UnseenChild,
)
from tsunagu.people.models import Person, Sex

pytestmark = pytest.mark.django_db

EPDS_12 = [1, 1, 2, 1, 1, 2, 1, 1, 2, 0]


def _today():
    return timezone.localdate()


@pytest.fixture
def mother(town):
    person = factories.person(town, "さくら", "サクラ", _today() - relativedelta(years=19))
    factories.known_to(person, Organisation.Kind.UNIT_MATERNAL_HEALTH)
    return person


def notify(nurse, mother, **extra) -> Pregnancy:
    today = _today()
    fields = {
        "notified_on": today,
        "weeks_at_notification": 10,
        "expected_on": today + timedelta(weeks=30),
        "prenatal_checkups": 1,
        "partner": Pregnancy.Partner.MARRIED,
        "feelings": Pregnancy.Feelings.GLAD,
        "support_after_birth": Pregnancy.Support.ENOUGH,
        "money": Pregnancy.Money.STABLE,
        **extra,
    }
    return services.record_notification(Pregnancy(mother=mother, **fields), actor=nurse)


def born(nurse, pregnancy, days_ago=10) -> Birth:
    child = Person(family_name="髙橋", given_name="ひなた", sex=Sex.FEMALE)
    birth = Birth(born_on=_today() - timedelta(days=days_ago), weeks=39, weight_g=3050)
    birth.place = Birth.Place.HOSPITAL
    return services.record_birth(pregnancy, birth, child, actor=nurse)


def test_a_late_notification_with_no_checkups_is_flagged(users, mother):
    today = _today()
    pregnancy = notify(
        users["nurse"],
        mother,
        weeks_at_notification=24,
        expected_on=today + timedelta(weeks=16),
        prenatal_checkups=0,
        partner=Pregnancy.Partner.NONE,
    )
    assert pregnancy.flag_codes == ["late", "no_checkups", "young", "no_partner"]
    assert pregnancy.contacts.get().kind == "notification"
    eight_months = FollowUp.objects.get(person=mother, kind=FollowUp.Kind.EIGHT_MONTHS)
    assert eight_months.due_on == pregnancy.expected_on - timedelta(weeks=8)
    assert eight_months.owner == users["nurse"]


def test_an_ordinary_notification_has_no_flags(users, town):
    grown = factories.person(town, "葵", "アオイ", _today() - relativedelta(years=31))
    factories.known_to(grown, Organisation.Kind.UNIT_MATERNAL_HEALTH)
    assert notify(users["nurse"], grown).flags == ""


def test_no_check_up_yet_is_a_sign_only_from_16_weeks(users, town):
    grown = factories.person(town, "葵", "アオイ", _today() - relativedelta(years=31))
    factories.known_to(grown, Organisation.Kind.UNIT_MATERNAL_HEALTH)
    assert notify(users["nurse"], grown, weeks_at_notification=10, prenatal_checkups=0).flags == ""


def test_a_caseworker_may_not_record_a_notification(users, mother):
    factories.known_to(mother, Organisation.Kind.UNIT_CHILD_WELFARE)
    with pytest.raises(PermissionDenied):
        notify(users["caseworker"], mother)


def test_registering_her_as_expectant_mother_opens_the_case_in_one_step(users, mother):
    pregnancy = notify(users["nurse"], mother, weeks_at_notification=24, prenatal_checkups=0)
    registration = services.register_expectant_mother(pregnancy, actor=users["nurse"])
    pregnancy.refresh_from_db()
    assert registration.category == Registration.Category.EXPECTANT_MOTHER
    assert registration.person == mother and pregnancy.case == registration.case
    assert pregnancy.intake.outcome == Intake.Outcome.NEW_CASE
    assert "妊娠22週以降の届出" in pregnancy.intake.summary
    with pytest.raises(ValidationError):
        services.register_expectant_mother(pregnancy, actor=users["nurse"])


def test_after_the_birth_the_registration_continues_as_the_childs(users, mother):
    pregnancy = notify(users["nurse"], mother)
    services.register_expectant_mother(pregnancy, actor=users["nurse"])
    birth = born(users["nurse"], pregnancy)
    following = Registration.objects.get(person=birth.child, ended_on=None)
    assert following.category == Registration.Category.SUPPORT
    assert following.continues.person == mother


def test_a_birth_puts_the_family_on_the_nurses_visit_list(users, mother):
    pregnancy = notify(users["nurse"], mother)
    birth = born(users["nurse"], pregnancy, days_ago=10)
    visit = birth.visit
    assert visit.status == NewbornVisit.Status.DUE
    assert visit.due_on == birth.born_on + relativedelta(months=4)
    assert list(selectors.visit_list(users["nurse"])) == [visit]
    pregnancy.refresh_from_db()
    assert pregnancy.status == Pregnancy.Status.BORN


def test_an_epds_of_12_puts_the_mother_on_the_due_list(users, mother):
    visit = born(users["nurse"], notify(users["nurse"], mother)).visit
    services.record_visit(
        visit, actor=users["nurse"], status="visited", on=_today(), answers={"epds": EPDS_12}
    )
    visit.refresh_from_db()
    assert visit.epds_score == 12 and visit.answers["epds"]["version"] == "1"
    items = [d for d in due_for(users["nurse"]) if d.kind == "maternal_follow_up"]
    assert [d.label for d in items] == [f"産後うつの疑い(EPDS): {mother}"]
    assert list(selectors.visit_list(users["nurse"])) == []


def test_an_epds_of_8_with_no_self_harm_needs_no_follow_up(users, mother):
    visit = born(users["nurse"], notify(users["nurse"], mother)).visit
    answers = {"epds": [1, 1, 1, 1, 1, 1, 1, 1, 0, 0]}
    services.record_visit(
        visit, actor=users["nurse"], status="visited", on=_today(), answers=answers
    )
    assert not FollowUp.objects.filter(kind=FollowUp.Kind.EPDS).exists()


def test_any_answer_on_self_harm_is_followed_up_whatever_the_total(users, mother):
    visit = born(users["nurse"], notify(users["nurse"], mother)).visit
    answers = {"epds": [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]}
    services.record_visit(
        visit, actor=users["nurse"], status="visited", on=_today(), answers=answers
    )
    assert FollowUp.objects.filter(kind=FollowUp.Kind.EPDS, person=mother).exists()


def test_an_incomplete_epds_is_refused_and_nothing_saved(users, mother):
    visit = born(users["nurse"], notify(users["nurse"], mother)).visit
    with pytest.raises(ValidationError, match="10項目"):
        services.record_visit(
            visit, actor=users["nurse"], status="visited", on=_today(), answers={"epds": [1] * 9}
        )
    visit.refresh_from_db()
    assert visit.status == NewbornVisit.Status.DUE


def test_a_refused_visit_goes_on_the_due_list_with_its_reason(users, mother):
    birth = born(users["nurse"], notify(users["nurse"], mother))
    with pytest.raises(ValidationError, match="理由"):
        services.record_visit(birth.visit, actor=users["nurse"], status="refused", on=_today())
    services.record_visit(
        birth.visit, actor=users["nurse"], status="refused", on=_today(), reason="母が体調不良"
    )
    follow_up = FollowUp.objects.get(person=birth.child, done_on=None)
    assert follow_up.reason == "訪問拒否: 母が体調不良"
    services.complete_follow_up(follow_up, "翌週に訪問できた", actor=users["nurse"])
    assert not [d for d in due_for(users["nurse"]) if d.kind == "maternal_follow_up"]


def test_the_second_benefit_waits_for_the_birth(users, mother):
    from tsunagu.maternal.models import Benefit

    pregnancy = notify(users["nurse"], mother)
    first = Benefit(kind=Benefit.Kind.PREGNANCY, amount_yen=50_000, paid_on=_today())
    services.record_benefit(pregnancy, first, actor=users["nurse"])
    with pytest.raises(ValidationError, match="すでに"):
        again = Benefit(kind=Benefit.Kind.PREGNANCY, amount_yen=50_000, paid_on=_today())
        services.record_benefit(pregnancy, again, actor=users["nurse"])
    with pytest.raises(ValidationError, match="出生"):
        child = Benefit(kind=Benefit.Kind.CHILD, amount_yen=50_000, paid_on=_today())
        services.record_benefit(pregnancy, child, actor=users["nurse"])


# --- check-ups and the child nobody has seen ---------------------------------------------


@pytest.fixture
def toddler(town):
    """A child of 2 years 1 month, known to maternal health."""
    child = factories.person(town, "蓮", "レン", _today() - relativedelta(years=2, months=1))
    factories.known_to(child, Organisation.Kind.UNIT_MATERNAL_HEALTH)
    return child


def _invite_and_miss(town, nurse, child):
    """Invite the child to each check-up at its month of age and mark it missed after."""
    born_on = child.birth_date
    for kind in schedule.load(town):
        invited = born_on + relativedelta(months=kind.invite_months)
        if invited <= _today():
            services.invite_checkups(kind, actor=nurse, on=invited)
    services.mark_missed(town.pk, actor=nurse, on=_today())


def _steps(nurse, checkup, kinds):
    for kind in kinds:
        step = FollowStep(kind=kind, result=FollowStep.Result.NOT_REACHED, on=_today())
        services.record_follow_step(checkup, step, actor=nurse)


ALL_STEPS = [
    FollowStep.Kind.LETTER,
    FollowStep.Kind.CALL,
    FollowStep.Kind.VISIT,
    FollowStep.Kind.AGENCY,
]


def test_a_child_nobody_has_seen_is_raised_to_child_welfare_exactly_once(users, town, toddler):
    nurse = users["nurse"]
    _invite_and_miss(town, nurse, toddler)
    missed = {c.kind.code: c for c in selectors.missed_list(nurse)}
    assert set(missed) == {"4m", "10m", "1y6m"}
    _steps(nurse, missed["4m"], ALL_STEPS[:3])
    assert not UnseenChild.objects.exists()  # the nursery and school not yet asked
    _steps(nurse, missed["1y6m"], ALL_STEPS[3:])
    report = UnseenChild.objects.get(child=toddler)
    welfare = Organisation.objects.get(municipality=town, kind=Organisation.Kind.UNIT_CHILD_WELFARE)
    assert report.intake.unit == welfare
    assert "居住実態が把握できない児童" in report.intake.summary
    _steps(nurse, missed["10m"], ALL_STEPS)  # more steps raise nothing more
    assert UnseenChild.objects.count() == 1
    assert Intake.objects.filter(persons__person=toddler).count() == 1
    assert report.intake in policy.scope(users["caseworker"], Intake.objects.all())
    assert all(c.raised for c in selectors.missed_list(nurse))


def test_a_child_seen_at_a_check_up_this_year_is_not_raised(users, town, toddler):
    nurse = users["nurse"]
    _invite_and_miss(town, nurse, toddler)
    missed = {c.kind.code: c for c in selectors.missed_list(nurse)}
    Checkup.objects.filter(pk=missed["10m"].pk).update(
        status=Checkup.Status.ATTENDED, attended_on=_today() - relativedelta(months=3)
    )
    _steps(nurse, missed["1y6m"], ALL_STEPS)
    assert not UnseenChild.objects.exists()


def test_a_sighting_closes_the_follow_up(users, town, toddler):
    nurse = users["nurse"]
    _invite_and_miss(town, nurse, toddler)
    checkup = selectors.missed_list(nurse).get(kind__code="1y6m")
    step = FollowStep(kind=FollowStep.Kind.AGENCY, result=FollowStep.Result.SEEN, on=_today())
    services.record_follow_step(checkup, step, actor=nurse)
    assert checkup.kind.code not in {c.kind.code for c in selectors.missed_list(nurse)}


def test_attending_records_findings_and_a_follow_up(users, town, toddler):
    nurse = users["nurse"]
    _invite_and_miss(town, nurse, toddler)
    checkup = Checkup.objects.get(child=toddler, kind__code="1y6m")
    services.record_checkup(
        checkup,
        actor=nurse,
        seen_on=_today(),
        development=Checkup.Finding.WATCH,
        follow_up_needed=True,
        notes="言葉の遅れ",
    )
    checkup.refresh_from_db()
    assert checkup.status == Checkup.Status.ATTENDED and checkup.resolved
    assert FollowUp.objects.get(person=toddler).kind == FollowUp.Kind.CHECKUP_FINDING


@pytest.mark.parametrize("born", ["2025-08-31", "2025-11-30", "2024-02-29"])
def test_a_child_born_at_a_months_end_is_invited_when_of_age(users, town, born):
    from datetime import date

    child = factories.person(town, "凛", "リン", date.fromisoformat(born))
    kind = next(k for k in schedule.load(town) if k.code == "4m")
    of_age = child.birth_date + relativedelta(months=kind.invite_months)
    nurse = users["nurse"]
    assert services.invite_checkups(kind, actor=nurse, on=of_age - timedelta(days=1)) == 0
    assert services.invite_checkups(kind, actor=nurse, on=of_age) == 1
    deadline = Checkup.objects.get(child=child).due_on
    assert deadline == child.birth_date + relativedelta(months=kind.due_months)


def test_invitations_are_not_sent_twice(users, town, toddler):
    kind = next(k for k in schedule.load(town) if k.code == "1y6m")
    on = toddler.birth_date + relativedelta(months=19)
    assert services.invite_checkups(kind, actor=users["nurse"], on=on) == 1
    assert services.invite_checkups(kind, actor=users["nurse"], on=on) == 0


# --- who sees what -----------------------------------------------------------------------


def test_child_welfare_sees_maternal_records_only_of_persons_on_its_cases(users, town, mother):
    pregnancy = notify(users["nurse"], mother)
    caseworker = users["caseworker"]
    assert not policy.scope(caseworker, Pregnancy.objects.all()).exists()
    factories.known_to(mother, Organisation.Kind.UNIT_CHILD_WELFARE)
    factories.case(caseworker, [(mother, "guardian")])
    assert list(policy.scope(caseworker, Pregnancy.objects.all())) == [pregnancy]
    assert not policy.may(caseworker, "maternal.change", pregnancy)


@pytest.mark.parametrize("role", ["partner", "provider", "cgc", "editor", "admin"])
def test_outside_roles_see_no_maternal_record(users, mother, role):
    notify(users["nurse"], mother)
    assert not policy.scope(users[role], Pregnancy.objects.all()).exists()


# --- postnatal care ------------------------------------------------------------------------


def test_postnatal_care_is_used_within_the_days_allowed(users, mother):
    from tsunagu.family_support.models import Provider
    from tsunagu.maternal.models import PostnatalCare, PostnatalCareUse

    nurse = users["nurse"]
    birth = born(nurse, notify(nurse, mother), days_ago=20)
    clinic = Provider.objects.create(
        municipality=mother.municipality, name="みなと助産院", kind=Provider.Kind.MATERNITY
    )
    care = services.apply_postnatal_care(
        birth,
        PostnatalCare(kind="stay", applied_on=_today() - timedelta(days=10), reason="眠れない"),
        actor=nurse,
    )
    with pytest.raises(ValidationError, match="日数"):
        services.decide_postnatal_care(care, actor=nurse, approve=True, on=_today())
    services.decide_postnatal_care(
        care,
        actor=nurse,
        approve=True,
        on=_today() - timedelta(days=5),
        provider=clinic,
        days_allowed=2,
        fee_per_day=2500,
    )
    for days_ago in (3, 2):
        use = PostnatalCareUse(used_on=_today() - timedelta(days=days_ago))
        services.record_postnatal_use(care, use, actor=nurse)
    care.refresh_from_db()
    assert care.status == PostnatalCare.Status.ENDED
    with pytest.raises(ValidationError, match="承認された"):
        services.record_postnatal_use(care, PostnatalCareUse(used_on=_today()), actor=nurse)
    assert care.uses.count() == 2


def test_postnatal_care_is_for_the_year_after_the_birth(users, mother):
    from tsunagu.maternal.models import PostnatalCare

    nurse = users["nurse"]
    birth = born(nurse, notify(nurse, mother), days_ago=20)
    late = PostnatalCare(kind="day", applied_on=birth.born_on + relativedelta(years=1, days=1))
    with pytest.raises(ValidationError, match="1年以内"):
        services.apply_postnatal_care(birth, late, actor=nurse)


def test_the_nurses_home_counts_her_visits_and_the_caseworkers_shows_none(client, users, mother):
    born(users["nurse"], notify(users["nurse"], mother))
    client.force_login(users["nurse"])
    assert "担当の全戸訪問 1件" in client.get("/center/").content.decode()
    client.force_login(users["caseworker"])
    assert "担当の全戸訪問" not in client.get("/center/").content.decode()


def test_a_caseworker_gets_404_on_a_pregnancy_of_no_case_of_hers(client, users, mother):
    pregnancy = notify(users["nurse"], mother)
    client.force_login(users["caseworker"])
    assert client.get(f"/maternal/pregnancies/{pregnancy.pk}/").status_code == 404
    assert mother.given_name not in client.get("/maternal/pregnancies/").content.decode()


def test_the_missed_list_exports_to_excel_with_the_childs_contact(client, users, town, toddler):
    from io import BytesIO

    from openpyxl import load_workbook

    _invite_and_miss(town, users["nurse"], toddler)
    client.force_login(users["nurse"])
    response = client.get("/maternal/checkups/missed.xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("受診期限", "氏名", "ふりがな")
    assert [r[1] for r in rows[1:]] == ["髙橋 蓮"] * 3
    assert {r[4] for r in rows[1:]} == {"4か月児健診", "10か月児健診", "1歳6か月児健診"}


def test_the_case_timeline_shows_the_maternal_line_of_its_persons(client, users, mother):
    pregnancy = notify(users["nurse"], mother, weeks_at_notification=24, prenatal_checkups=0)
    services.register_expectant_mother(pregnancy, actor=users["nurse"])
    visit = born(users["nurse"], pregnancy).visit
    services.record_visit(
        visit, actor=users["nurse"], status="visited", on=_today(), answers={"epds": EPDS_12}
    )
    client.force_login(users["nurse"])
    pregnancy.refresh_from_db()
    page = client.get(f"/cases/{pregnancy.case_id}/").content.decode()
    assert "妊娠届出(妊娠24週" in page and "気がかりな点: 妊娠22週以降の届出" in page
    assert "乳児家庭全戸訪問: 訪問済 EPDS 12点" in page
    assert f'href="/maternal/visits/{visit.pk}/"' in page


def test_the_eight_month_contact_recorded_from_the_page_closes_its_follow_up(client, users, mother):
    pregnancy = notify(users["nurse"], mother)
    client.force_login(users["nurse"])
    form = client.get(f"/maternal/pregnancies/{pregnancy.pk}/contacts/new/").content.decode()
    assert "伴走型相談支援を記録" in form
    posted = {
        "kind": "eight_months",
        "method": "phone",
        "on": _today().isoformat(),
        "notes": "元気",
    }
    response = client.post(f"/maternal/pregnancies/{pregnancy.pk}/contacts/new/", posted)
    assert response.status_code == 302 and response["Location"] == pregnancy.get_absolute_url()
    assert not FollowUp.objects.filter(kind=FollowUp.Kind.EIGHT_MONTHS, done_on=None).exists()
    paid = {"kind": "pregnancy", "amount_yen": "50000", "paid_on": _today().isoformat()}
    client.post(f"/maternal/pregnancies/{pregnancy.pk}/benefits/new/", paid)
    again = client.post(f"/maternal/pregnancies/{pregnancy.pk}/benefits/new/", paid)
    assert "妊娠時の給付はすでに支給されています。" in again.content.decode()
    assert pregnancy.benefits.count() == 1


def test_a_follow_up_is_marked_done_from_its_page(client, users, mother):
    birth = born(users["nurse"], notify(users["nurse"], mother))
    services.record_visit(
        birth.visit, actor=users["nurse"], status="not_possible", on=_today(), reason="不在"
    )
    follow_up = FollowUp.objects.get(person=birth.child)
    client.force_login(users["nurse"])
    url = f"/maternal/follow-ups/{follow_up.pk}/"
    response = client.post(url, {"note": "電話で母と話した"}, follow=True)
    assert "対応済みにしました。" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.done_note == "電話で母と話した"
    client.force_login(users["caseworker"])
    assert client.post(url, {"note": "x"}).status_code == 404


def test_a_pregnancy_ended_leaves_the_list_and_a_new_one_may_be_notified(client, users, mother):
    pregnancy = notify(users["nurse"], mother)
    client.force_login(users["nurse"])
    url = f"/maternal/pregnancies/{pregnancy.pk}/end/"
    posted = {"status": "ended", "on": _today().isoformat(), "reason": "妊娠10週で流産"}
    assert "妊娠の記録を終了しました。" in client.post(url, posted, follow=True).content.decode()
    pregnancy.refresh_from_db()
    assert pregnancy.status == Pregnancy.Status.ENDED and pregnancy.ended_on == _today()
    assert not selectors.pregnancies(users["nurse"]).exists()
    assert not FollowUp.objects.filter(person=mother, done_on=None).exists()
    again = client.post(url, posted, follow=True).content.decode()
    assert "妊娠中の記録だけを終了できます。" in again
    assert notify(users["nurse"], mother).status == Pregnancy.Status.EXPECTING


# --- from the review: the edges ------------------------------------------------------------


def test_an_epds_of_exactly_9_is_followed_up(users, mother):
    visit = born(users["nurse"], notify(users["nurse"], mother)).visit
    answers = {"epds": [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]}
    services.record_visit(
        visit, actor=users["nurse"], status="visited", on=_today(), answers=answers
    )
    assert FollowUp.objects.filter(kind=FollowUp.Kind.EPDS, person=mother).exists()


def test_a_child_known_only_to_child_welfare_is_followed_up_and_raised(users, town):
    """A child who moved in, on no list of the nurses': the invitation makes the child theirs."""
    child = factories.person(town, "湊", "ミナト", _today() - relativedelta(years=2, months=1))
    factories.known_to(child, Organisation.Kind.UNIT_CHILD_WELFARE)
    nurse = users["nurse"]
    _invite_and_miss(town, nurse, child)
    missed = selectors.missed_list(nurse).filter(child=child).first()
    _steps(nurse, missed, ALL_STEPS)
    assert UnseenChild.objects.filter(child=child).exists()


def test_a_child_seen_months_ago_is_raised_once_the_year_has_passed(users, town, toddler):
    nurse = users["nurse"]
    _invite_and_miss(town, nurse, toddler)
    missed = {c.kind.code: c for c in selectors.missed_list(nurse)}
    seen = Checkup.objects.filter(pk=missed["4m"].pk)
    seen.update(status=Checkup.Status.ATTENDED, attended_on=_today() - relativedelta(months=11))
    _steps(nurse, missed["1y6m"], ALL_STEPS)
    assert not UnseenChild.objects.exists()
    assert services.raise_the_unseen(town.pk, actor=nurse, on=_today()) == 0
    # Two months later the sighting is more than a year old: the day's run raises the child.
    later = _today() + relativedelta(months=2)
    assert services.raise_the_unseen(town.pk, actor=nurse, on=later) == 1
    assert services.raise_the_unseen(town.pk, actor=nurse, on=later) == 0


def test_a_caseworker_seeing_the_child_on_a_home_visit_counts(users, town, toddler):
    from tsunagu.cases.models import Activity
    from tsunagu.cases.services import record_activity

    factories.known_to(toddler, Organisation.Kind.UNIT_CHILD_WELFARE)
    case = factories.case(users["caseworker"], [(toddler, "child")])
    visit = Activity(
        kind=Activity.Kind.VISIT,
        occurred_at=timezone.now(),
        content="家庭訪問。本児を確認。",
        child_seen=True,
    )
    record_activity(case, visit, actor=users["caseworker"])
    nurse = users["nurse"]
    _invite_and_miss(town, nurse, toddler)
    _steps(nurse, selectors.missed_list(nurse).get(kind__code="1y6m"), ALL_STEPS)
    assert not UnseenChild.objects.exists()


def test_no_run_of_the_check_ups_for_a_day_to_come(users, town):
    with pytest.raises(ValidationError, match="未来"):
        services.run_checkup_day(town, actor=users["nurse"], on=_today() + timedelta(days=1))


def test_no_registration_as_expectant_mother_after_the_birth(users, mother):
    pregnancy = notify(users["nurse"], mother)
    born(users["nurse"], pregnancy)
    with pytest.raises(ValidationError, match="妊娠中"):
        services.register_expectant_mother(pregnancy, actor=users["nurse"])


def test_registering_after_the_center_put_her_intake_on_a_case_uses_that_case(users, mother):
    from tsunagu.cases import services as case_services

    pregnancy = notify(users["nurse"], mother)
    intake = services.open_intake(pregnancy, actor=users["nurse"])
    case = case_services.open_case(intake, actor=users["nurse"], title="髙橋 さくらさん世帯")
    registration = services.register_expectant_mother(pregnancy, actor=users["nurse"])
    assert registration.case == case


def test_the_mothers_questionnaires_are_not_seen_through_a_case_of_the_child_only(
    client, users, mother
):
    birth = born(users["nurse"], notify(users["nurse"], mother))
    services.record_visit(
        birth.visit, actor=users["nurse"], status="visited", on=_today(), answers={"epds": EPDS_12}
    )
    factories.known_to(birth.child, Organisation.Kind.UNIT_CHILD_WELFARE)
    factories.case(users["caseworker"], [(birth.child, "child")])
    client.force_login(users["caseworker"])
    assert client.get(f"/maternal/visits/{birth.visit.pk}/").status_code == 404


def test_a_caseworker_who_reads_a_visit_may_not_record_it(client, users, mother):
    birth = born(users["nurse"], notify(users["nurse"], mother))
    factories.known_to(mother, Organisation.Kind.UNIT_CHILD_WELFARE)
    factories.case(users["caseworker"], [(mother, "guardian")])
    client.force_login(users["caseworker"])
    url = f"/maternal/visits/{birth.visit.pk}/"
    assert client.get(url).status_code == 200
    posted = {"status": "visited", "on": _today().isoformat()}
    assert client.post(url, posted).status_code == 403
    birth.visit.refresh_from_db()
    assert birth.visit.status == NewbornVisit.Status.DUE


def test_the_second_benefit_is_paid_after_a_pregnancy_ended(users, mother):
    from tsunagu.maternal.models import Benefit

    pregnancy = notify(users["nurse"], mother)
    services.end_pregnancy(
        pregnancy, actor=users["nurse"], status="ended", on=_today(), reason="死産"
    )
    second = Benefit(kind=Benefit.Kind.CHILD, amount_yen=50_000, paid_on=_today())
    services.record_benefit(pregnancy, second, actor=users["nurse"])
    with pytest.raises(ValidationError, match="人数まで"):
        again = Benefit(kind=Benefit.Kind.CHILD, amount_yen=50_000, paid_on=_today())
        services.record_benefit(pregnancy, again, actor=users["nurse"])


def test_a_person_id_that_is_not_a_number_is_not_found(client, users):
    client.force_login(users["nurse"])
    assert client.get("/maternal/pregnancies/new/?person=abc").status_code == 404
