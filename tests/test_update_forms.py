"""A form never changes a field the worker did not touch: each update form, posted back as
the page showed it with one change, changes that field and nothing else."""

import pytest
from django.test import Client
from django.urls import reverse

from tsunagu.cases.models import Case

from . import factories
from .test_stale_edits import _as_posted

IGNORED = {"updated_at", "created_at"}


def _values(obj) -> dict:
    obj.refresh_from_db()
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.name not in IGNORED
    }


def _changed(before: dict, after: dict) -> set[str]:
    return {name for name in before if before[name] != after[name]}


@pytest.fixture
def case(users, family):
    _, mother, child = family
    return factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])


def _case_form(client, case, name: str) -> dict:
    page = client.get(reverse("cases:case_forms", kwargs={"pk": case.pk}))
    return _as_posted(page.context[name])


@pytest.mark.parametrize(
    ("what", "form", "change", "field"),
    [
        ("rank", "rank_form", {"lead_agency": "cgc"}, "lead_agency"),
        ("rank", "rank_form", {"rank": "B"}, "risk_rank"),
        ("status", "status_form", {"status": "supporting", "reason": "支援開始"}, "status"),
        ("review", "review_form", {"reviewed_on": "2026-11-20"}, "next_review_on"),
    ],
)
def test_a_case_update_changes_only_what_was_changed(users, case, what, form, change, field):
    assert case.risk_rank == "" and case.lead_agency == ""
    client = Client()
    client.force_login(users["caseworker"])
    data = _case_form(client, case, form)
    before = _values(case)
    client.post(reverse(f"cases:case_{what}", kwargs={"pk": case.pk}), {**data, **change})
    assert _changed(before, _values(case)) == {field}


def test_a_person_edit_changes_only_the_address(users, family):
    _, mother, _ = family
    client = Client()
    client.force_login(users["nurse"])
    url = reverse("people:person_edit", kwargs={"pk": mother.pk})
    data = _as_posted(client.get(url).context["form"])
    before = _values(mother)
    client.post(url, {**data, "address": "テスト市新町1-2"})
    changed = _changed(before, _values(mother))
    assert changed == {"address"}, changed


def test_an_activity_correction_changes_only_its_content(users, case):
    activity = factories.activity(users["caseworker"], case)
    client = Client()
    client.force_login(users["caseworker"])
    url = reverse("cases:activity_edit", kwargs={"pk": case.pk, "activity_pk": activity.pk})
    data = _as_posted(client.get(url).context["form"])
    before = _values(activity)
    client.post(url, {**data, "content": "母に電話。不在。"})
    assert _changed(before, _values(activity)) == {"content"}


def test_the_rank_form_offers_no_rank_and_no_lead_agency_yet(users, case):
    client = Client()
    client.force_login(users["caseworker"])
    form = client.get(reverse("cases:case_forms", kwargs={"pk": case.pk})).context["rank_form"]
    assert form["rank"].value() == "" and form["lead_agency"].value() == ""
    assert ("", "未評価") in form.fields["rank"].choices
    assert ("", "未定") in form.fields["lead_agency"].choices
    assert Case.objects.get(pk=case.pk).risk_rank == ""
