import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tsunagu.accounts.models import User
from tsunagu.core.models import Municipality

ARGS = [
    "--municipality-code", "24205",
    "--municipality-name", "桑名市",
    "--prefecture", "三重県",
    "--center-name", "桑名市子ども総合センター",
    "--username", "admin",
]  # fmt: skip


def _answers(monkeypatch, *answers):
    replies = iter(answers)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(replies))


def test_createadmin_makes_the_first_administrator(db, monkeypatch):
    _answers(
        monkeypatch, "長くて推測されにくいパスワード2026", "長くて推測されにくいパスワード2026"
    )
    call_command("createadmin", *ARGS)
    user = User.objects.get(username="admin")
    assert user.role == "administrator" and user.organisation.municipality.code == "242055"
    assert user.check_password("長くて推測されにくいパスワード2026")


def test_createadmin_refuses_a_weak_password_and_saves_nothing(db, monkeypatch):
    _answers(monkeypatch, "password", "password")
    with pytest.raises(CommandError):
        call_command("createadmin", *ARGS)
    assert not Municipality.objects.exists() and not User.objects.exists()


def test_createadmin_explains_a_bad_code(db, monkeypatch):
    _answers(monkeypatch, "x", "x")
    with pytest.raises(CommandError, match="検査数字"):
        call_command("createadmin", *[a if a != "24205" else "242056" for a in ARGS])


def test_createoperator_makes_the_installs_operator(db, monkeypatch):
    _answers(
        monkeypatch, "長くて推測されにくいパスワード2026", "長くて推測されにくいパスワード2026"
    )
    call_command("createoperator", "--username", "ops")
    user = User.objects.get(username="ops")
    assert user.role == "operator" and user.organisation is None
    assert not user.is_superuser and not user.is_staff


def test_createoperator_refuses_a_weak_password(db, monkeypatch):
    _answers(monkeypatch, "password", "password")
    with pytest.raises(CommandError):
        call_command("createoperator", "--username", "ops")
    assert not User.objects.exists()
