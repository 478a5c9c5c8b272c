"""Production settings: safe by construction, refusing to start half-configured."""

import os
import secrets
import subprocess
import sys

import pytest

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "tsunagu.settings.production",
    "DJANGO_ALLOWED_HOSTS": "tsunagu.example.jp",
    "DATABASE_URL": "postgres://tsunagu@127.0.0.1:5432/tsunagu",
}


def _tsunagu(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("DATABASE_URL", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "tsunagu", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_passes_check_deploy_with_no_warning():
    result = _tsunagu(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": secrets.token_urlsafe(60)}
    env.pop(missing)
    result = _tsunagu("check", **env)
    assert result.returncode != 0
    assert f"環境変数 {missing} が設定されていません" in result.stderr


def test_console_command_runs_management_commands():
    result = _tsunagu("help", "demo")
    assert result.returncode == 0, result.stderr
    assert "--scale" in result.stdout and "若葉市" in result.stdout


@pytest.mark.parametrize("value", ["maybe", "ture", "2"])
def test_an_unreadable_yes_no_setting_stops_the_start(value):
    """TSUNAGU_REQUIRE_2FA=maybe once meant 'off' in silence: now the start stops and says why."""
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": secrets.token_urlsafe(60)}
    result = _tsunagu("check", **env, TSUNAGU_REQUIRE_2FA=value)
    assert result.returncode != 0
    assert "環境変数 TSUNAGU_REQUIRE_2FA の値" in result.stderr


@pytest.mark.parametrize(("value", "required"), [("true", True), ("off", False), ("1", True)])
def test_the_second_factor_setting_reads_the_usual_spellings(value, required):
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": secrets.token_urlsafe(60)}
    code = "from django.conf import settings; print(settings.TSUNAGU_REQUIRE_2FA)"
    result = _tsunagu("shell", "-c", code, **env, TSUNAGU_REQUIRE_2FA=value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(str(required))


def test_the_demo_is_served_with_debug_off_and_its_static_files():
    """`make demo` serves with DEBUG off (a public 404 once listed every URL of the app); the
    stylesheet still arrives (WhiteNoise from the apps' folders)."""
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    assert "TSUNAGU_DEBUG=false $(BIN)/tsunagu runserver" in makefile
    code = (
        "from django.conf import settings; from django.test import Client; "
        "c = Client(SERVER_NAME='localhost'); "
        "print(settings.DEBUG, c.get('/no-such-page/').status_code, "
        "b'URLconf' in c.get('/no-such-page/').content, "
        "c.get('/static/tsunagu/tsunagu.css').status_code)"
    )
    result = _tsunagu(
        "shell",
        "-c",
        code,
        DJANGO_SETTINGS_MODULE="tsunagu.settings.development",
        TSUNAGU_DEBUG="false",
        TSUNAGU_VAR_DIR=os.environ.get("TSUNAGU_VAR_DIR", "var"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False 404 False 200"
