"""A mid-size city's catalogue of family support services, as data, and the function that
writes it for one fiscal year; a new fiscal year copied from the last.

The limits and fees follow the municipal cases of the national guidebook (seed 002): helper
visits of about 2 hours × 4 visits (the 藤枝市 and 玉東町 cases), fee tiers with the 所得割
77,101円 threshold, and a short-stay table by age band (2歳未満 / 2歳以上) of 1,100 / 1,000
円 a day for 住民税非課税 and 5,000 / 2,750 円 for others (玉東町). Where the seed leaves a
figure to the city (the helper's hourly fee), the values are this demo city's."""

from decimal import Decimal

from django.db import transaction

from tsunagu.core.models import Municipality
from tsunagu.plans.models import ServiceKind

from .models import AgeBand, FeeRate, MenuItem, Offering, Tier, Unit

L = Offering.LegalCategory
D = Offering.Delivery
FREE = {tier: 0 for tier in Tier.values}


def _fees(**by_tier: int | tuple[int, int]) -> dict:
    """Fee per unit by tier; a pair is (2歳未満, 2歳以上)."""
    return {**FREE, **by_tier}


STANDARD = [
    {
        "kind": "home_visit_support",
        "legal_category": L.HOME_VISIT_SUPPORT,
        "delivery": D.CONTRACTED,
        "public_name": "子育て世帯訪問支援(ヘルパー派遣)",
        "internal_name": "子育て世帯訪問支援事業",
        "unit": Unit.HOUR,
        "per_use_limit": Decimal(2),
        "uses_limit": 4,
        "over_limit_rate": 1000,
        "menu": ["家事支援", "育児支援", "登校支援", "除雪補助", "傾聴・相談"],
        "fees": _fees(tax_exempt=150, low_income_levy=300, other=600),
    },
    {
        "kind": "child_hub",
        "legal_category": L.CHILD_HUB,
        "delivery": D.CONTRACTED,
        "public_name": "こどもの拠点(児童育成支援拠点)",
        "internal_name": "児童育成支援拠点事業",
        "unit": Unit.DAY,
        "min_age": 6,
        "max_age": 18,
        "menu": ["食事", "学習支援", "生活習慣", "課外活動", "送迎"],
        "fees": FREE,
    },
    {
        "kind": "parenting_program",
        "legal_category": L.PARENTING_PROGRAM,
        "delivery": D.DISPATCHED,
        "public_name": "ペアレント・トレーニング講座",
        "internal_name": "親子関係形成支援事業",
        "unit": Unit.SESSION,
        "uses_limit": 8,
        "menu": ["講義", "ロールプレイ", "個別相談"],
        "fees": FREE,
    },
    {
        "kind": "short_stay",
        "legal_category": L.SHORT_STAY,
        "delivery": D.CONTRACTED,
        "public_name": "ショートステイ(短期入所生活援助)",
        "internal_name": "子育て短期支援事業(短期入所生活援助)",
        "unit": Unit.NIGHT,
        "max_age": 17,
        "per_use_limit": Decimal(7),
        "menu": ["宿泊", "通学支援", "通院付き添い"],
        "fees": _fees(tax_exempt=(1100, 1000), low_income_levy=(1100, 1000), other=(5000, 2750)),
    },
    {
        "kind": "twilight_stay",
        "legal_category": L.SHORT_STAY,
        "delivery": D.CONTRACTED,
        "public_name": "トワイライトステイ(夜間養護等)",
        "internal_name": "子育て短期支援事業(夜間養護等)",
        "unit": Unit.VISIT,
        "max_age": 17,
        "menu": ["夕食", "入浴", "学習"],
        "fees": _fees(tax_exempt=300, low_income_levy=300, other=750),
    },
    {
        "kind": "nurturing_visit",
        "legal_category": L.NURTURING_VISIT,
        "delivery": D.DIRECT,
        "public_name": "養育支援訪問",
        "internal_name": "養育支援訪問事業",
        "unit": Unit.VISIT,
        "needs_registration": True,
        "menu": ["育児指導", "栄養指導", "産後の体調確認"],
        "fees": FREE,
    },
    {
        "kind": "temporary_care",
        "legal_category": L.TEMPORARY_CARE,
        "delivery": D.REGISTERED,
        "public_name": "一時預かり",
        "internal_name": "一時預かり事業",
        "unit": Unit.HOUR,
        "max_age": 5,
        "per_use_limit": Decimal(8),
        "menu": ["一時預かり"],
        "fees": _fees(low_income_levy=150, other=300),
    },
    {
        "kind": "watch_program",
        "legal_category": L.WATCH_PROGRAM,
        "delivery": D.CONTRACTED,
        "public_name": "見守り訪問(宅食)",
        "internal_name": "支援対象児童等見守り強化事業",
        "unit": Unit.VISIT,
        "needs_registration": True,
        "menu": ["食事の配達", "声かけ"],
        "fees": FREE,
    },
    {
        "kind": "local_grief_care",
        "kind_name": "グリーフケア訪問(市独自)",
        "legal_category": L.LOCAL,
        "delivery": D.DISPATCHED,
        "public_name": "グリーフケア訪問",
        "internal_name": "市独自事業 グリーフケア",
        "unit": Unit.VISIT,
        "uses_limit": 6,
        "menu": ["グリーフケア"],
        "fees": FREE,
    },
]


@transaction.atomic
def load(municipality: Municipality, fiscal_year: int, entries: list[dict] = STANDARD) -> list:
    """Write ``entries`` as the city's offerings of ``fiscal_year`` with their menus and fee
    tables; an offering already there (by public name) is left as it is. Returns the
    offerings in catalogue order."""
    offerings = []
    for entry in entries:
        entry = dict(entry)
        menu, fees = entry.pop("menu"), entry.pop("fees")
        code, kind_name = entry.pop("kind"), entry.pop("kind_name", "")
        kind, _ = ServiceKind.objects.get_or_create(
            code=code, defaults={"name": kind_name or code, "category": "local", "order": 90}
        )
        offering, created = Offering.objects.get_or_create(
            municipality=municipality,
            fiscal_year=fiscal_year,
            public_name=entry.pop("public_name"),
            defaults={"kind": kind, **entry},
        )
        if created:
            MenuItem.objects.bulk_create(
                MenuItem(offering=offering, name=name, order=i) for i, name in enumerate(menu)
            )
            FeeRate.objects.bulk_create(_rates(offering, fees))
        offerings.append(offering)
    return offerings


def _rates(offering: Offering, fees: dict) -> list[FeeRate]:
    rates = []
    for tier, amount in fees.items():
        if isinstance(amount, tuple):
            for band, value in zip((AgeBand.UNDER_2, AgeBand.FROM_2), amount, strict=True):
                rates.append(FeeRate(offering=offering, tier=tier, age_band=band, amount=value))
        else:
            rates.append(FeeRate(offering=offering, tier=tier, amount=amount))
    return rates
