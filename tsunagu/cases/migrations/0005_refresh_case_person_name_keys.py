"""Case persons copy their persons' name keys again: the keys were made anew (people 0006),
and a record merged into another now carries the kept person's keys (the case search finds it
by the person's current name). A derived copy: going back needs nothing undone."""

from django.db import migrations, models

KEYS = ("key_family", "key_given", "key_family_reading", "key_given_reading")


def copy_name_keys(apps, schema_editor):
    CasePerson = apps.get_model("cases", "CasePerson")
    Person = apps.get_model("people", "Person")
    own = Person.objects.filter(pk=models.OuterRef("person_id"))
    kept = Person.objects.filter(merged_records=models.OuterRef("person_id"))
    CasePerson.objects.filter(person__merged_into=None).update(
        **{key: models.Subquery(own.values(key)[:1]) for key in KEYS}
    )
    CasePerson.objects.exclude(person__merged_into=None).update(
        **{key: models.Subquery(kept.values(key)[:1]) for key in KEYS}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_person_name_keys"),
        ("people", "0006_refresh_name_keys"),
    ]

    operations = [migrations.RunPython(copy_name_keys, migrations.RunPython.noop)]
