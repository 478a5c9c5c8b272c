"""The directory's taxonomy, as data: what a child looks for, and what a parent does."""

from django.db import migrations

CATEGORIES = [
    # code, name, simple name (what a child reads), description, audience
    ("eat", "食事", "たべる", "こども食堂など、ごはんを食べられるところ", "children"),
    ("study", "学習", "べんきょう", "学習支援、自習スペース", "children"),
    ("play", "遊び", "あそぶ", "遊び場、体験活動", "children"),
    ("rest", "休息・居場所", "やすむ", "ほっとできる場所", "children"),
    ("talk", "話を聞く", "はなす", "話を聞いてくれる大人がいるところ", "children"),
    ("food_pantry", "フードパントリー", "たべものをもらう", "食品の無料配布", "parents"),
    ("meal_delivery", "宅食(食事の配達)", "ごはんのおとどけ", "家庭への食事・食品の配達", "parents"),
    ("parenting_hub", "子育て支援拠点", "こそだてひろば", "親子で過ごせるひろば、子育て相談", "parents"),
    ("consultation", "相談窓口", "そうだん", "子育てや暮らしの相談", "parents"),
    ("temporary_care", "一時預かり", "あずける", "こどもを一時的に預かる", "parents"),
]


def add(apps, schema_editor):
    Category = apps.get_model("resources", "Category")
    for order, (code, name, simple, description, audience) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "simple_name": simple,
                "description": description,
                "audience": audience,
                "order": order,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("resources", "Category").objects.filter(
        code__in=[row[0] for row in CATEGORIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
