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


@pytest.mark.django_db(transaction=True)
def test_stored_name_keys_are_made_again_with_the_new_folds():
    """A key stored before the kana iteration marks were folded (みすゞ) is made again."""
    from datetime import date

    from tests import factories
    from tsunagu.people.models import Person

    town = factories.municipality()
    person = factories.person(
        town, "みすゞ", "みすゞ", date(2017, 3, 9), family_name="小野寺", family_kana="オノデラ"
    )
    assert person.key_given_reading == "ミスズ"
    Person.objects.filter(pk=person.pk).update(key_given_reading="ミスゞ")
    call_command("migrate", "people", "0005", verbosity=0)
    call_command("migrate", verbosity=0)
    person.refresh_from_db()
    assert person.key_given_reading == "ミスズ"
