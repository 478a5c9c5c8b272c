from django.test import Client
from django.urls import reverse


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
