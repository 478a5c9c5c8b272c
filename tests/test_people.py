"""Persons: registering, need-to-know lookups, merging and undoing, deciding 'different'."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tsunagu.access import policy
from tsunagu.audit.models import AccessLog
from tsunagu.core.models import Organisation
from tsunagu.people import selectors, services
from tsunagu.people.models import Household, HouseholdMember, KnownTo, MatchProposal, Person

from . import factories

Kind = Organisation.Kind
TYPED = {"family_kana": "ﾀｶﾊｼ", "given_kana": "ﾕｲ", "birth": "2019-04-01"}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def welfare_only(town, users):
    """髙橋 結衣's family, known to child welfare only (not to the maternal-health nurse)."""
    return factories.family(town, units=(Kind.UNIT_CHILD_WELFARE,))


def test_nurse_sees_only_persons_known_to_her_unit(users, welfare_only):
    _, _, child = welfare_only
    assert policy.can_view(users["caseworker"], child)
    assert policy.can_view(users["supervisor"], child)
    assert not policy.can_view(users["nurse"], child)


def test_lookup_shows_a_visible_match_with_reasons(users, family):
    response = _client(users["nurse"]).get(reverse("people:match_lookup"), TYPED)
    text = response.content.decode()
    assert "髙橋 結衣" in text and "姓の読みが一致" in text and "生年月日が一致" in text


def test_lookup_hides_a_match_outside_access_and_logs_it(users, welfare_only):
    _, _, child = welfare_only
    response = _client(users["nurse"]).get(reverse("people:match_lookup"), TYPED)
    text = response.content.decode()
    assert "他の担当で把握されている人がいます" in text
    assert "結衣" not in text and "本町" not in text
    row = AccessLog.objects.get(user=users["nurse"], action=AccessLog.Action.SEARCH)
    assert str(child.pk) in row.object_id.split(",") and "他の担当で把握 1件" in row.purpose


def test_registering_links_the_unit_and_validates_in_japanese(users):
    client = _client(users["nurse"])
    response = client.post(reverse("people:person_create"), {"family_name": "", "birth": "2019-13"})
    assert (
        "生年月日は 2019-04-01 または 2019-04 の形で入力してください。" in response.content.decode()
    )
    assert not Person.objects.exists()
    response = client.post(
        reverse("people:person_create"),
        {
            "family_name": "山田",
            "given_name": "花",
            "family_kana": "やまだ",
            "given_kana": "はな",
            "birth": "2020-05",
            "sex": "female",
        },
    )
    person = Person.objects.get()
    assert response.url == reverse("people:person_detail", args=[person.pk])
    assert person.birth_date == date(2020, 5, 1) and person.birth_date_precision == "month"
    assert KnownTo.objects.get(person=person).organisation == users["nurse"].organisation


def test_choosing_a_match_links_the_record_to_her(users, family):
    _, _, child = family
    response = _client(users["nurse"]).post(reverse("people:use_match", args=[child.pk]))
    assert response.url == reverse("people:person_detail", args=[child.pk])
    assert Person.objects.count() == 2


def test_resident_id_is_unique_within_a_municipality(users, town):
    first = Person(family_name="山田", resident_id="000123")
    services.register_person(first, actor=users["nurse"])
    with pytest.raises(ValidationError):
        services.register_person(
            Person(family_name="川田", resident_id="000123"), actor=users["nurse"]
        )
    services.register_person(Person(family_name="川田", resident_id=""), actor=users["nurse"])


def test_concurrent_edit_is_refused_not_overwritten(users, family):
    _, mother, _ = family
    seen = services.person_version(mother)
    first = Person.objects.get(pk=mother.pk)
    first.phone = "0590000000"
    services.update_person(first, seen_version=seen, actor=users["nurse"])
    second = Person.objects.get(pk=mother.pk)
    second.notes = "古い画面からの保存"
    with pytest.raises(ValidationError, match="他の職員が更新しました") as refused:
        services.update_person(second, seen_version=seen, actor=users["caseworker"])
    assert "電話番号:" in refused.value.messages[0] and "0590000000" in refused.value.messages[0]
    assert Person.objects.get(pk=mother.pk).notes == ""


def _duplicate_of(child, town):
    duplicate = factories.person(town, "結衣", "ユイ", child.birth_date)
    duplicate.family_name, duplicate.phone = "高橋", ""
    duplicate.save()
    factories.known_to(duplicate, Kind.UNIT_MATERNAL_HEALTH)
    return duplicate


def test_scan_proposes_review_merges_and_undo_restores(users, family, town):
    _, _, child = family
    duplicate = _duplicate_of(child, town)
    call_command("match", "--database", "--municipality", town.code)
    proposal = MatchProposal.objects.get()
    assert {proposal.person_low, proposal.person_high} == {child, duplicate}
    client = _client(users["supervisor"])
    assert "姓の異体字 髙/高" in client.get(reverse("people:review")).content.decode()
    client.post(reverse("people:review_decide", args=[proposal.pk]), {"decision": "same"})
    absorbed = Person.objects.get(pk=proposal.person_high_id)
    assert absorbed.merged_into_id == proposal.person_low_id
    assert absorbed.history.count() >= 2  # both records and their histories are kept
    merge = absorbed.merges_absorbed.get()
    client.post(reverse("people:merge_undo", args=[merge.pk]))
    absorbed.refresh_from_db()
    assert absorbed.merged_into is None and Person.objects.count() == 3


def test_scan_links_a_child_recorded_twice_through_her_mother(family, town):
    _, mother, child = family
    # Child welfare's own household record: the same mother, another address, no phone.
    duplicate = _duplicate_of(child, town)
    elsewhere = Household.objects.create(municipality=town, address="テスト市新町5-6")
    for member, relationship in ((mother, "mother"), (duplicate, "child")):
        HouseholdMember.objects.create(
            household=elsewhere, person=member, relationship=relationship
        )
    call_command("match", "--database", "--municipality", town.code)
    proposal = MatchProposal.objects.get()
    assert {proposal.person_low, proposal.person_high} == {child, duplicate}
    assert proposal.decision == "same"
    shared = next(r for r in proposal.reasons if r["code"] == "household.shared_member")
    assert shared["text"] == "同じ世帯員がいる" and shared["weight"] > 0


def test_name_and_birth_date_with_nothing_against_them_are_the_same_child(family, town):
    _, _, child = family
    _duplicate_of(child, town)
    call_command("match", "--database", "--municipality", town.code)
    assert MatchProposal.objects.get().decision == "same"


def test_name_and_birth_date_with_another_phone_and_home_wait_for_review(family, town):
    """Namesakes born the same day leave this evidence, and so does a family that moved and
    changed phones: a person decides."""
    _, _, child = family
    child.phone, child.address = "090-1111-2222", "テスト市本町1-2-3"
    child.save()
    duplicate = _duplicate_of(child, town)
    duplicate.phone, duplicate.address = "080-3333-4444", "テスト市新町5-6"
    duplicate.save()
    call_command("match", "--database", "--municipality", town.code)
    assert MatchProposal.objects.get().decision == "review"


def test_different_is_remembered_and_never_proposed_again(users, family, town):
    _, _, child = family
    duplicate = _duplicate_of(child, town)
    call_command("match", "--database", "--municipality", town.code)
    proposal = MatchProposal.objects.get()
    _client(users["supervisor"]).post(
        reverse("people:review_decide", args=[proposal.pk]), {"decision": "different"}
    )
    MatchProposal.objects.all().delete()
    call_command("match", "--database", "--municipality", town.code)
    assert not MatchProposal.objects.exists()
    with pytest.raises(ValidationError, match="別人"):
        services.merge_persons(child, duplicate, actor=users["supervisor"])


def test_search_finds_variants_and_kana(users, family):
    found = selectors.search_persons(users["nurse"], "ﾀｶﾊｼ ﾕ")
    assert [p.given_name for p in found] == ["結衣"]
    assert selectors.search_persons(users["nurse"], "高橋").count() == 2


def test_the_review_page_says_why_a_likely_pair_waits(users, family, town):
    """A mother and her daughter given the same name: the page warns before anyone merges."""
    _, mother, _ = family
    daughter = factories.person(town, "美咲", "ミサキ", date(2015, 8, 8))
    for person in (mother, daughter):
        person.phone, person.address = "090-1234-5678", "テスト市本町1-2-3"
        person.save()
    call_command("match", "--database", "--municipality", town.code)
    page = _client(users["supervisor"]).get(reverse("people:review")).content.decode()
    assert "同じ名前の親子・きょうだいの可能性があります" in page
