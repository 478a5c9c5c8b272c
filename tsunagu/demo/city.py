"""The shape of the demo city (若葉市, fictional), taken from seed 000 (a mid-size city).

Figures are the seed's: 139,712 people, 60,379 households, 21,686 children, 28 elementary
and 10 junior-high schools, 6 areas, 12 children's cafeterias.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CityShape:
    people: int = 139_712
    households: int = 60_379
    children: int = 21_686
    elementary_schools: int = 28
    junior_high_schools: int = 10
    towns_per_elementary_district: int = 5
    cafeterias: int = 12
    nurseries: int = 23
    kindergartens: int = 16
    certified_centres: int = 6

    def scaled(self, scale: float) -> "CityShape":
        """Population scaled; the city's structure (schools, areas, partners) stays whole."""
        return CityShape(
            people=max(20, round(self.people * scale)),
            households=max(8, round(self.households * scale)),
            children=max(5, round(self.children * scale)),
        )


MUNICIPALITY = {
    "code": "24299",
    "name": "若葉市",
    "name_kana": "ワカバシ",
    "prefecture": "三重県",
}
POSTAL_PREFIX = "519"
PHONE_AREA = "0599"

# (kanji, katakana) of the six planning areas (地域).
REGIONS = [
    ("北山地域", "キタヤマチイキ"),
    ("東野地域", "ヒガシノチイキ"),
    ("中央地域", "チュウオウチイキ"),
    ("西原地域", "ニシハラチイキ"),
    ("南浜地域", "ミナミハマチイキ"),
    ("川辺地域", "カワベチイキ"),
]

CENTER = "若葉市こども家庭センター"
UNITS = {
    "unit_maternal_health": "母子保健係",
    "unit_child_welfare": "家庭支援係",
    "unit_development": "子ども発達支援室",
}
CGC = "三重県中部児童相談所"
PROVIDERS = [
    "社会福祉法人 わかば学園(児童養護施設)",
    "子育てヘルパーステーション ひだまり",
    "NPO法人 親子のひろば",
]
HOSPITALS = ["若葉市民病院", "わかば産婦人科クリニック"]
SOCIAL_WELFARE_COUNCIL = "若葉市社会福祉協議会"
OTHER_PARTNERS = ["若葉市民生委員児童委員協議会", "NPO法人 子育て応援わかば"]
