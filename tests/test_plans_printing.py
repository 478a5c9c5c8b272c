"""The plans app's PDFs: the support plan's staff and family copies, the minutes of a
conference and the case summary of a 移管, read back as text."""

from datetime import date, time
from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tsunagu.cases import services as case_services
from tsunagu.core.wareki import both
from tsunagu.people.models import Sex
from tsunagu.plans import printing, services, summary
from tsunagu.plans.models import Conference, PlanItem, PlanTask

from . import factories

STAFF_NOTE = "父の飲酒について学校と情報共有中"
RESTRICTED = "母子の避難先はみどり荘201号室"
FATHER_ADDRESS = "テスト市北町9-9"
FATHER_PHONE = "090-3333-4444"
MOTHER_PHONE = "090-1111-2222"


def _text(pdf: bytes) -> str:
    """All pages' text, lines joined (a table cell wraps its text over lines)."""
    reader = PdfReader(BytesIO(pdf))
    width, height = (float(x) for x in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


@pytest.fixture
def plan_case(users, family, town):
    _, mother, child = family
    mother.phone = MOTHER_PHONE
    mother.save()
    father = factories.person(
        town,
        "健太",
        "ケンタ",
        date(1987, 8, 15),
        sex=Sex.MALE,
        address=FATHER_ADDRESS,
        phone=FATHER_PHONE,
    )
    factories.known_to(father, *factories.BOTH_UNITS)
    case = factories.case(
        users["caseworker"], [(child, "child"), (mother, "guardian"), (father, "guardian")]
    )
    return case, mother, child, father


@pytest.fixture
def plan(users, plan_case):
    case, _, child, _ = plan_case
    worker = users["caseworker"]
    plan = services.start_plan(case, actor=worker)
    plan = services.edit_plan(
        plan,
        actor=worker,
        child_wishes="ママと一緒にいたい",
        guardian_wishes="朝ごはんをきちんと食べさせたい",
        needs="朝の支度の手助け",
        strengths="祖母が近くに住んでいる",
        goal_short="毎朝登校できる",
        goal_long="家族が安心して暮らせる",
        staff_notes=STAFF_NOTE,
        review_on=date(2027, 2, 24),
        agreed_on=date(2026, 11, 20),
        agreement="interview",
        agreed_by="母 髙橋 美咲",
    )
    services.add_plan_item(
        plan,
        PlanItem(
            kind=PlanItem.Kind.OTHER,
            name="子育て世帯訪問支援",
            person=child,
            provider="訪問支援事業所",
            frequency="週1回",
            starts_on=date(2026, 12, 1),
            ends_on=date(2027, 3, 31),
            note="朝の支度を手伝う",
        ),
        actor=worker,
    )
    services.add_plan_item(
        plan,
        PlanItem(kind=PlanItem.Kind.OTHER, name="父への飲酒相談の紹介", staff_only=True),
        actor=worker,
    )
    services.add_plan_task(
        plan,
        PlanTask(party=PlanTask.Party.PARTNER, who="本町小学校", what="出席状況を毎週知らせる"),
        actor=worker,
    )
    services.add_plan_task(
        plan,
        PlanTask(party=PlanTask.Party.CHILD_WELFARE, what="父の様子を警察と共有", staff_only=True),
        actor=worker,
    )
    services.submit_plan(plan, actor=worker)
    plan = services.approve_plan(plan, actor=users["supervisor"])
    case_services.write_restricted_note(case, RESTRICTED, [], actor=worker)
    return plan


def test_the_staff_copy_of_a_plan_prints_everything(users, plan_case, plan):
    text = _text(printing.support_plan(plan, family_copy=False))
    for expected in (
        "サポートプラン(支援計画)",
        "第1版",
        "職員用",
        plan.case.number,
        plan.case.title,
        "三重県テスト市 センター",
        STAFF_NOTE,
        "子育て世帯訪問支援",
        "【職員用】父への飲酒相談の紹介",
        "父の様子を警察と共有",
        FATHER_ADDRESS,
        FATHER_PHONE,
        "テスト市本町1-2-3",  # the mother's household, she has no address of her own
        "supervisor さん",  # the approver
        both(timezone.localdate()),  # approved today
        "続柄: 母",
    ):
        assert expected in text, expected
    assert RESTRICTED not in text


def test_the_family_copy_leaves_out_what_the_family_must_not_read(users, plan_case, plan):
    _, mother, _, _ = plan_case
    text = _text(printing.support_plan(plan, family_copy=True, recipient=mother))
    for expected in (
        "サポートプラン(支援計画)",
        "ご家族用",
        plan.case.title,
        "毎朝登校できる",
        "家族が安心して暮らせる",
        "ママと一緒にいたい",
        "子育て世帯訪問支援",
        "週1回",
        "出席状況を毎週知らせる",
        "テスト市本町1-2-3",  # the recipient's address
        MOTHER_PHONE,
        "髙橋 結衣",
        "タカハシ ユイ",  # フリガナ
        "平成31年4月1日(2019-04-01)",  # the child's birth date in both calendars
        "令和9年2月24日(2027-02-24)",  # the review date
        "面接で説明し同意",
    ):
        assert expected in text, expected
    for absent in (
        STAFF_NOTE,
        "父への飲酒相談の紹介",
        "父の様子を警察と共有",
        "職員用のみ",
        FATHER_ADDRESS,
        FATHER_PHONE,
        RESTRICTED,
        "supervisor さん",
        plan.case.number,
    ):
        assert absent not in text, absent


def test_a_family_copy_with_no_recipient_prints_no_address_or_phone(users, plan_case, plan):
    text = _text(printing.support_plan(plan, family_copy=True))
    for absent in ("テスト市本町1-2-3", MOTHER_PHONE, FATHER_ADDRESS, FATHER_PHONE):
        assert absent not in text, absent
    assert "毎朝登校できる" in text


def test_a_note_longer_than_a_page_flows_over_pages(users, plan_case):
    case, *_ = plan_case
    worker = users["caseworker"]
    plan = services.start_plan(case, actor=worker)
    long_note = "朝の支度を手伝い、登校を見届ける。" * 300
    services.add_plan_item(
        plan, PlanItem(kind=PlanItem.Kind.OTHER, name="長い支援", note=long_note), actor=worker
    )
    services.edit_plan(plan, actor=worker, goal_short="登校する。\n" * 200)
    pdf = printing.support_plan(plan, family_copy=True)
    assert len(PdfReader(BytesIO(pdf)).pages) >= 3
    # Each page repeats the list's header: count a character only the note has, none lost.
    assert _text(pdf).count("届") == 300


def test_the_minutes_print_only_the_discussions_passed(users, plan_case, town):
    case, *_ = plan_case
    # Read back: the factories' organisations carry lazy (untranslated) names until loaded.
    users = {key: type(user).objects.get(pk=user.pk) for key, user in users.items()}
    other = factories.person(town, "蓮", "レン", date(2021, 6, 1), family_name="佐藤")
    factories.known_to(other, *factories.BOTH_UNITS)
    hidden = factories.case(users["caseworker"], [(other, "child")], title="佐藤 蓮さん世帯")
    conference = services.hold_conference(
        Conference(
            kind=Conference.Kind.INDIVIDUAL,
            held_on=date(2026, 11, 20),
            starts_at=time(14, 30),
            place="第1会議室",
            summary="2件を協議した。",
        ),
        actor=users["caseworker"],
        users=[users["supervisor"]],
        outsiders=[services.Outsider("本町 一郎", "本町小学校")],
        cases=[case, hidden],
        why="登校状況の悪化",
    )
    shown = services.record_decision(
        conference.discussions.get(case=case),
        services.Decision(
            notes="欠席が続いている。",
            policy="学校と連携して見守りを続ける",
            rank="C",
            actions=[
                services.Action(
                    what="学校に出席状況を確認", due_on=date(2026, 12, 4), owner_name="本町小学校"
                )
            ],
        ),
        actor=users["caseworker"],
    )
    services.record_decision(
        conference.discussions.get(case=hidden),
        services.Decision(policy="秘密の方針"),
        actor=users["caseworker"],
    )
    text = _text(printing.minutes(conference, conference.attendees.all(), [shown]))
    for expected in (
        "会議録",
        "個別ケース検討会議",
        "令和8年11月20日(2026-11-20)",
        "14:30",
        "第1会議室",
        "caseworker さん",
        "supervisor さん",
        "本町 一郎",
        "本町小学校",
        "2件を協議した。",
        case.number,
        case.title,
        "登校状況の悪化",
        "欠席が続いている。",
        "学校と連携して見守りを続ける",
        "C(軽度)",
        "学校に出席状況を確認",
        "令和8年12月4日(2026-12-04)",
        "未完了",
    ):
        assert expected in text, expected
    assert hidden.title not in text and hidden.number not in text and "秘密の方針" not in text


def test_the_case_summary_prints_from_the_transfer_file(users, plan_case, plan):
    case, *_ = plan_case
    factories.activity(users["caseworker"], case, content="母に電話。家庭訪問を約束した。")
    data = summary.case_summary(case, reason="母子が浜松市へ転出", on=timezone.localdate())
    text = _text(printing.case_summary(data))
    for expected in (
        "ケース概要(移管)",
        "三重県テスト市",
        "24205",
        "母子が浜松市へ転出",
        case.number,
        case.title,
        "髙橋 健太",
        "タカハシ ケンタ",
        FATHER_ADDRESS,
        "保護者",
        "昭和62年8月15日(1987-08-15)",
        "毎朝登校できる",
        "子育て世帯訪問支援",
        "母に電話。家庭訪問を約束した。",
    ):
        assert expected in text, expected
    assert "父への飲酒相談の紹介" not in text and STAFF_NOTE not in text


def test_a_malformed_summary_still_prints():
    text = _text(
        printing.case_summary(
            {"case": {"number": "X-1", "opened_on": "昨年"}, "persons": [{"family_name": "<b>"}]}
        )
    )
    assert "X-1" in text and "昨年" in text and "<b>" in text
