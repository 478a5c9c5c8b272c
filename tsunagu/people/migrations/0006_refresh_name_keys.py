"""Name keys made again with the folds added since they were stored (kana iteration marks,
invisible marks, detached voicing marks, dashes after kana, further MJ folds).

Only derived comparison keys change; names as written are untouched, so going back needs
nothing undone."""

from django.db import migrations

from tsunagu.people.matching.normalise import name_keys

BATCH = 2000


def refresh(apps, schema_editor):
    for model_name in ("Person", "OtherName"):
        model = apps.get_model("people", model_name)
        changed = []
        for row in model.objects.order_by("pk").iterator(chunk_size=BATCH):
            keys = name_keys(row.family_name, row.given_name, row.family_kana, row.given_kana)
            if any(getattr(row, field) != value for field, value in keys.items()):
                for field, value in keys.items():
                    setattr(row, field, value)
                changed.append(row)
        model.objects.bulk_update(changed, list(keys_fields()), batch_size=BATCH)


def keys_fields() -> tuple[str, ...]:
    return (
        "key_family",
        "key_given",
        "key_family_reading",
        "key_given_reading",
        "reading_inferred",
    )


class Migration(migrations.Migration):
    dependencies = [("people", "0005_name_validators")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
