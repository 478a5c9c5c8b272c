"""Migrations are committed and every one of them can be undone."""

from io import StringIO

import pytest
from django.core.management import call_command

OUR_APPS = ["people", "audit", "accounts", "core"]


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_every_migration_reverses_and_reapplies():
    for app in OUR_APPS:  # highest first, so nothing still points at what is undone
        call_command("migrate", app, "zero", verbosity=0)
    call_command("migrate", verbosity=0)
    out = StringIO()
    call_command("showmigrations", *OUR_APPS, stdout=out)
    assert "[ ]" not in out.getvalue()
