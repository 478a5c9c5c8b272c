import re
from pathlib import Path

from django.test import Client
from django.urls import reverse

from . import factories


def test_ui_speaks_japanese_by_default(db):
    page = Client().get(reverse("accounts:login")).content.decode()
    assert '<html lang="ja">' in page and "ログイン" in page


def test_english_through_django_i18n(db):
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in page
    assert "Sign in" in page and "User ID" in page
    wrong = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert "The user ID or password is incorrect." in wrong.content.decode()


CATALOGUE = Path(__file__).resolve().parents[1] / "tsunagu/locale/en/LC_MESSAGES/django.po"


def test_the_english_catalogue_translates_every_string():
    """Every message of the templates and code has an English text that is not a guess
    (makemessages marks its guesses fuzzy, and Django does not use them)."""
    entries = CATALOGUE.read_text(encoding="utf-8").split("\n\n")[1:]
    untranslated = [e for e in entries if re.search(r'^msgstr(\[0\])? ""$(?!\n")', e, re.M)]
    guessed = [e for e in entries if "fuzzy" in e]
    assert untranslated == [] and guessed == []


def test_a_case_page_in_english(client, users, family):
    _, mother, child = family
    case = factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    client.force_login(users["caseworker"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Timeline" in page and "Record an activity" in page


def test_the_finder_and_the_staff_menu_in_english(client, users, town):
    factories.ensure_code_lists()
    factories.resource(town, "本町こども食堂", ["eat"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    finder = client.get(reverse("finder:index"), {"what": "eat"}).content.decode()
    assert "Find a place" in finder and "1 place found" in finder and "How old are you?" in finder
    client.force_login(users["editor"])
    directory = client.get(reverse("resources:directory")).content.decode()
    assert "Open-data import" in directory and "Community resource map" in directory


def test_choice_values_and_categories_in_english(client, users, family, town):
    _, mother, child = family
    case = factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    factories.ensure_code_lists()
    factories.resource(town, "本町こども食堂", ["eat"])
    client.force_login(users["caseworker"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Received" in page and "受理" not in page
    finder = client.get(reverse("finder:index"), {"what": "eat"}).content.decode()
    assert ">eat<" in finder and "たべる" not in finder


def test_the_language_menu_names_each_language_in_its_own_words(db):
    page = Client().get(reverse("accounts:login")).content.decode()
    assert ">English</option>" in page and "英語" not in page and ">日本語</option>" in page


def test_form_and_model_labels_in_english(client, users):
    client.force_login(users["nurse"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("people:person_create")).content.decode()
    assert "Family name (kana)" in page and "Postal code" in page and "姓(フリガナ)" not in page
