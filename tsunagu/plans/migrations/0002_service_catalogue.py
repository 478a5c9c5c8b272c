"""The catalogue of services a plan may name (DOMAIN.md §1, the family support services of the
Child Welfare Act as revised in 2024, and the maternal-health and welfare services a center
combines with them). A city adds its own as rows."""

from django.db import migrations

SERVICES = [
    ("home_visit_support", "子育て世帯訪問支援事業", "family_support"),
    ("child_hub", "児童育成支援拠点事業", "family_support"),
    ("parenting_program", "親子関係形成支援事業", "family_support"),
    ("short_stay", "子育て短期支援事業(ショートステイ)", "family_support"),
    ("twilight_stay", "子育て短期支援事業(トワイライトステイ)", "family_support"),
    ("nurturing_visit", "養育支援訪問事業", "family_support"),
    ("temporary_care", "一時預かり事業", "family_support"),
    ("watch_program", "支援対象児童等見守り強化事業", "family_support"),
    ("pregnant_life_support", "妊産婦等生活援助事業", "family_support"),
    ("postnatal_care", "産後ケア事業", "maternal"),
    ("companion_support", "伴走型相談支援", "maternal"),
    ("newborn_visit", "乳児家庭全戸訪問事業", "maternal"),
    ("checkup_follow_up", "乳幼児健診の事後フォロー", "maternal"),
    ("family_support_center", "ファミリー・サポート・センター事業", "welfare"),
    ("nursery", "保育所等の利用", "welfare"),
    ("after_school_club", "放課後児童クラブ", "welfare"),
    ("development_support", "児童発達支援・放課後等デイサービス", "welfare"),
    ("livelihood_consultation", "生活困窮者自立相談支援", "welfare"),
    ("public_assistance", "生活保護", "welfare"),
    ("single_parent_support", "ひとり親家庭等の自立支援", "welfare"),
]


def add(apps, schema_editor):
    ServiceKind = apps.get_model("plans", "ServiceKind")
    for order, (code, name, category) in enumerate(SERVICES, start=1):
        ServiceKind.objects.update_or_create(
            code=code, defaults={"name": name, "category": category, "order": order}
        )


def remove(apps, schema_editor):
    apps.get_model("plans", "ServiceKind").objects.filter(
        code__in=[code for code, _, _ in SERVICES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
