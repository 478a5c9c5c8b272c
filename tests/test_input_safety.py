"""Input that a person never types is refused before it reaches a query, and names hold
nothing that hides or reorders what a reader sees."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tsunagu.core.validators import kana_only, no_invisible_characters
from tsunagu.people.models import Person

from . import factories


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("value", ["タカ\x00ハシ", "a\x1bb", "\x7f", "x\u0085"])
@pytest.mark.parametrize(
    "url_name", ["people:person_list", "cases:case_list", "audit:access_log", "finder:index"]
)
def test_a_control_character_in_a_query_is_a_400_in_japanese(users, url_name, value):
    user = users["admin"] if url_name.startswith("audit") else users["supervisor"]
    response = _client(user).get(reverse(url_name), {"q": value, "username": value})
    assert response.status_code == 400
    assert "制御文字" in response.content.decode()


def test_the_api_answers_a_control_character_with_json(db):
    response = Client().get(reverse("hsds:services"), {"text": "食堂\x00"})
    assert response.status_code == 400
    assert "制御文字" in response.json()["detail"]


def test_a_posted_nul_is_refused_and_nothing_is_saved(users):
    form = {"family_name": "髙橋\x00", "given_name": "結衣", "sex": "female"}
    response = _client(users["nurse"]).post(reverse("people:person_create"), form)
    assert response.status_code == 400
    assert not Person.objects.exists()


def test_line_breaks_and_tabs_are_allowed_in_posted_text(users):
    form = {"family_name": "髙橋", "family_kana": "タカハシ", "notes": "一行目\r\n\t二行目"}
    response = _client(users["nurse"]).post(reverse("people:person_create"), form)
    assert response.status_code in (200, 302)
    assert response.status_code != 400


@pytest.mark.parametrize(
    "name", ["髙橋\u202e", "髙\u200b橋", "\u2066髙橋\u2069", "髙橋\ufeff", "髙\u200d橋"]
)
def test_names_refuse_bidi_overrides_and_zero_width_characters(name):
    with pytest.raises(ValidationError):
        no_invisible_characters(name)


@pytest.mark.parametrize(
    "kana", ["タカハシ", "たかはし", "ﾀｶﾊｼ", "ヴァレンティーナ・ロッシ", "タカハシ　ユイ"]
)
def test_kana_fields_accept_kana(kana):
    kana_only(kana)


@pytest.mark.parametrize("text", ["髙橋", "Takahashi", "タカハシ1", "タカハシ<"])
def test_kana_fields_refuse_anything_else(text):
    with pytest.raises(ValidationError):
        kana_only(text)


def test_the_person_form_explains_a_bad_reading_and_a_hidden_character(users):
    form = {"family_name": "髙\u200b橋", "family_kana": "高橋", "sex": "female"}
    response = _client(users["nurse"]).post(reverse("people:person_create"), form)
    page = response.content.decode()
    assert response.status_code == 200
    assert "見えない制御文字" in page and "フリガナはカタカナまたはひらがな" in page
    assert not Person.objects.exists()


def test_an_imported_or_saved_name_is_checked_on_the_model(town):
    person = factories.person(town, "結衣", "ユイ", None)
    person.family_name = "髙橋\u202e"
    with pytest.raises(ValidationError):
        person.full_clean()
