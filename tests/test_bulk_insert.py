"""Bulk inserts of an import: keys that later saves never collide with, history naming who."""

import pytest
from django.db import transaction

from tsunagu.core.history import bulk_create_as
from tsunagu.resources.models import ResourceOrganisation


@pytest.mark.django_db
def test_bulk_rows_get_keys_that_a_later_save_never_reuses(town, users):
    with transaction.atomic():
        made = bulk_create_as(
            users["editor"],
            ResourceOrganisation,
            [ResourceOrganisation(municipality=town, name=f"会{n}") for n in range(3)],
        )
    later = ResourceOrganisation.objects.create(municipality=town, name="あとの会")
    keys = [o.pk for o in made]
    assert len(set(keys)) == 3 and later.pk not in keys
    assert {o.pk: o.name for o in ResourceOrganisation.objects.filter(pk__in=keys)} == {
        o.pk: o.name for o in made
    }
    history = ResourceOrganisation.history.filter(id__in=keys)
    assert {(h.history_type, h.history_user) for h in history} == {("+", users["editor"])}
