"""A caseworker drafts a support plan with the family, the supervisor approves it, and the
family copy leaves out what only staff may read (issue 17)."""

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from tests import factories
from tsunagu.cases import services as case_services
from tsunagu.cases.models import CasePerson
from tsunagu.people.models import Person
from tsunagu.plans.models import SupportPlan

from .conftest import sign_in

pytestmark = pytest.mark.browser


def _family_case(site):
    users = site["users"]
    worker = users["caseworker"]
    town = worker.organisation.municipality
    mother = Person.objects.get(given_name="美咲")
    child = Person.objects.get(given_name="結衣")
    father = factories.person(
        town,
        "健一",
        "ケンイチ",
        date(1985, 4, 2),
        family_name="髙橋",
        family_kana="タカハシ",
        address="桑名市寿町9-9 シェルター秘匿",
        phone="0594-99-9999",
    )
    for person in (father,):
        factories.known_to(person, "unit_child_welfare")
    case = factories.case(worker, [(child, "child"), (mother, "guardian"), (father, "guardian")])
    case_services.write_restricted_note(
        case, "DV避難中。父に所在を知らせない", readers=[], actor=worker
    )
    factories.resource(town, "本町こども食堂")
    return case


def _choose(page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).select_option(label=option)


def _add_item(page, kind: str, **choices) -> None:
    form = page.locator("form.plan-item-form")
    form.get_by_label("種類", exact=True).select_option(label=kind)
    for label, value in choices.items():
        field = form.get_by_label(label, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        elif value is True:
            field.check()
        else:
            field.fill(value)
    form.get_by_role("button", name="支援内容を追加").click()
    page.get_by_text("支援内容を追加しました").wait_for()


def test_a_plan_drafted_approved_and_printed_for_the_family(site, page):
    case = _family_case(site)
    url = site["url"]
    sign_in(page, url, "caseworker")
    page.goto(f"{url}/cases/{case.pk}/")
    page.get_by_role("button", name="サポートプランを作る").click()
    page.get_by_text("サポートプラン第1版を作成しました").wait_for()

    page.get_by_label("子どもの思い・願い(本人の言葉で)").fill("「学校に毎日行きたい」")
    page.get_by_label("保護者の思い・願い(本人の言葉で)").fill("「朝ごはんを作れるようになりたい」")
    page.get_by_label("短期目標").fill("週4日は朝食を食べて登校する")
    page.get_by_label("長期目標").fill("母子で安定して暮らす")
    page.get_by_label("見直し予定日").fill("2027-02-24")
    page.get_by_label("家族の同意日").fill("2026-11-24")
    _choose(page, "同意の方法", "面接で説明し同意")
    page.get_by_label("同意した人").fill("母 髙橋 美咲")
    page.get_by_label("職員用メモ(家族用控えには印刷しません)").fill("父の飲酒時の暴言を警戒")
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_text("プランを保存しました").wait_for()

    _add_item(
        page,
        "家庭支援事業などのサービス",
        サービス="子育て世帯訪問支援事業",
        提供者="NPO法人ひだまり",
        頻度="週1回",
    )
    _add_item(page, "地域資源(こども食堂・居場所など)", 地域資源="本町こども食堂", 頻度="月2回")
    _add_item(page, "その他の支援", 名称="父の断酒会への参加", 職員用のみ=True)
    assert page.locator("table tbody tr").count() == 3

    page.get_by_role("button", name="統括支援員に承認を申請").click()
    page.get_by_text("統括支援員に承認を申請しました").wait_for()
    page.get_by_text("承認待ち").first.wait_for()

    # The supervisor approves it from the approvals list.
    page.context.clear_cookies()
    sign_in(page, url, "supervisor")
    page.goto(f"{url}/plans/approvals/")
    page.get_by_role("link", name=str(case)).click()
    page.get_by_role("button", name="この版を承認する").click()
    page.get_by_text("第1版を承認しました").wait_for()
    plan = SupportPlan.objects.get(case=case)
    assert plan.status == SupportPlan.Status.APPROVED

    # The family copy, for the mother.
    mother_link = case.persons.get(person__given_name="美咲")
    _choose(page, "渡す相手", f"{mother_link.person}({mother_link.get_role_display()})")
    recipient = page.get_by_label("渡す相手", exact=True).input_value()
    response = page.context.request.get(f"{url}/plans/{plan.pk}/family.pdf?recipient={recipient}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(response.body())).pages)
    squeezed = text.replace(" ", "").replace("\n", "")
    assert "週4日は朝食を食べて登校する" in squeezed and "本町こども食堂" in squeezed
    assert "子育て世帯訪問支援事業" in squeezed
    for staff_only in ("父の飲酒時の暴言を警戒", "断酒会", "寿町", "0594-99-9999", "DV避難中"):
        assert staff_only not in squeezed, staff_only
    assert CasePerson.objects.filter(case=case).count() == 3
