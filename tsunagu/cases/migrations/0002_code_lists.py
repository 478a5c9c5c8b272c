"""The code lists as data: the national consultation kinds and the first assessment forms.

The rows are written out here rather than read from a file, so that this migration means the
same thing forever; a later edition is a later migration that adds rows and retires these.
"""

from django.db import migrations

EDITION = "福祉行政報告例(令和6年度)"

# (code, group, name, is_abuse): the kinds of consultation of the national statistics
# (児童相談所における相談の種類別受付件数), which the municipal center reports in too.
CATEGORIES = [
    ("care.abuse", "養護相談", "児童虐待相談", True),
    ("care.other", "養護相談", "その他の相談", False),
    ("health", "保健相談", "保健相談", False),
    ("disability.physical", "障害相談", "肢体不自由相談", False),
    ("disability.sensory", "障害相談", "視聴覚障害相談", False),
    ("disability.speech", "障害相談", "言語発達障害等相談", False),
    ("disability.severe", "障害相談", "重症心身障害相談", False),
    ("disability.intellectual", "障害相談", "知的障害相談", False),
    ("disability.developmental", "障害相談", "発達障害相談", False),
    ("delinquency.pre", "非行相談", "ぐ犯行為等相談", False),
    ("delinquency.offence", "非行相談", "触法行為等相談", False),
    ("upbringing.behaviour", "育成相談", "性格行動相談", False),
    ("upbringing.school_refusal", "育成相談", "不登校相談", False),
    ("upbringing.aptitude", "育成相談", "適性相談", False),
    ("upbringing.parenting", "育成相談", "育児・しつけ相談", False),
    ("other", "その他の相談", "その他の相談", False),
]

URGENCY = {
    "kind": "urgency",
    "version": "1",
    "title": "緊急度アセスメント",
    "definition": {
        "type": "yes_no",
        "items": [
            {"code": "asks_protection", "text": "子ども・保護者が保護を求めている"},
            {"code": "imminent", "text": "訴えている状況が差し迫っている"},
            {
                "code": "serious_harm",
                "text": "すでに重大な結果がある(性的虐待、頭部・腹部の外傷、骨折、火傷、窒息など)",
            },
            {"code": "next_serious", "text": "次に何か起これば重大な結果が生じる可能性が高い"},
            {"code": "repeats", "text": "虐待が繰り返される可能性が高い"},
            {"code": "symptoms", "text": "虐待の影響と思われる症状が子どもに表れている"},
            {"code": "guardian_risk", "text": "保護者に虐待につながるリスク要因がある"},
            {"code": "home_risk", "text": "虐待につながるおそれのある家庭環境がある"},
        ],
        "levels": [
            {
                "if_any": ["asks_protection", "imminent", "serious_harm"],
                "level": "緊急保護の検討",
            },
            {"if_any": ["next_serious", "repeats"], "level": "保護・集中的支援の検討"},
            {"if_any": ["symptoms", "guardian_risk", "home_risk"], "level": "在宅での集中的支援"},
        ],
        "otherwise": "在宅での見守り",
    },
}

HOME_SUPPORT = {
    "kind": "home_support",
    "version": "1",
    "title": "在宅支援アセスメント",
    "definition": {
        "type": "rated_domains",
        "scale": ["問題なし", "軽度", "中度", "重度"],
        "domains": [
            {
                "code": "child",
                "title": "子どもの状況",
                "items": [
                    {"code": "health", "text": "健康・発育・発達"},
                    {"code": "emotion", "text": "情緒・行動"},
                    {"code": "daily_life", "text": "生活習慣(食事・睡眠・清潔)"},
                    {"code": "attendance", "text": "登園・登校の状況"},
                ],
            },
            {
                "code": "guardian",
                "title": "保護者の状況",
                "items": [
                    {"code": "health", "text": "心身の健康"},
                    {"code": "skills", "text": "養育の知識・技術"},
                    {"code": "relationship", "text": "子どもへの関わり"},
                    {"code": "finances", "text": "経済状況"},
                ],
            },
            {
                "code": "environment",
                "title": "養育環境",
                "items": [
                    {"code": "housing", "text": "住居"},
                    {"code": "kin", "text": "親族・地域の支え"},
                    {"code": "agencies", "text": "関係機関とのつながり"},
                ],
            },
        ],
        "levels": [
            {"if_max_at_least": 3, "level": "支援の必要度: 高"},
            {"if_max_at_least": 2, "level": "支援の必要度: 中"},
        ],
        "otherwise": "支援の必要度: 低",
    },
}


def load(apps, schema_editor):
    Category = apps.get_model("cases", "ConsultationCategory")
    Form = apps.get_model("cases", "AssessmentForm")
    for order, (code, group, name, is_abuse) in enumerate(CATEGORIES, start=1):
        Category.objects.create(
            edition=EDITION, code=code, group=group, name=name, is_abuse=is_abuse, order=order
        )
    for form in (URGENCY, HOME_SUPPORT):
        Form.objects.create(**form)


def unload(apps, schema_editor):
    apps.get_model("cases", "ConsultationCategory").objects.filter(edition=EDITION).delete()
    Form = apps.get_model("cases", "AssessmentForm")
    for form in (URGENCY, HOME_SUPPORT):
        Form.objects.filter(kind=form["kind"], version=form["version"]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
