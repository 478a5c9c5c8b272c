"""The demo city's community resources, shaped on seeds 000 and 001.

Twelve cafeterias (three also deliver meals), children's places of the three kinds of seed 000
(open every weekday / weekly / monthly), parenting hubs, a food pantry, temporary care, and
informal helpers known only to staff. They are spread unevenly over the six areas, so that
some elementary-school districts have none (空白地区). Coordinates are fictional, on a grid
near the seed's city; area and school-district boundaries are drawn as simple blocks.
"""

from datetime import date, time, timedelta
from random import Random

from tsunagu.core.fiscal import fiscal_year_of
from tsunagu.core.models import Area, Municipality, Organisation
from tsunagu.resources import schedules
from tsunagu.resources import services as resource_services
from tsunagu.resources.models import (
    Category,
    Location,
    ResourceOrganisation,
    Schedule,
    Service,
    Visibility,
)

# The fictional city lies on a 3 × 2 grid of 4 km blocks (one per area) from this corner.
ORIGIN = (34.98, 136.55)
BLOCK_KM = 4.0
KM_LAT, KM_LON = 1 / 111.0, 1 / 91.0
# How many of each kind of place each area (地域) gets: the centre is well served, the hills
# (北山) and the coast (南浜) hardly at all.
AREA_WEIGHTS = [1, 3, 6, 3, 1, 2]


def _block(region_index: int) -> tuple[float, float, float, float]:
    """South, west, north, east of an area's block."""
    row, column = divmod(region_index, 3)
    south = ORIGIN[0] + row * BLOCK_KM * KM_LAT
    west = ORIGIN[1] + column * BLOCK_KM * KM_LON
    return south, west, south + BLOCK_KM * KM_LAT, west + BLOCK_KM * KM_LON


def _rectangle(south, west, north, east) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def draw_boundaries(municipality: Municipality) -> dict[int, tuple]:
    """Give each area and school district a block; returns each district's rectangle."""
    regions = list(Area.objects.filter(municipality=municipality, kind=Area.Kind.REGION))
    rectangles = {}
    for index, region in enumerate(regions):
        south, west, north, east = _block(index)
        region.boundary = _rectangle(south, west, north, east)
        region.save(update_fields=["boundary"])
        districts = list(
            Area.objects.filter(kind=Area.Kind.ELEMENTARY_DISTRICT, parent=region).order_by("code")
        )
        width = (east - west) / max(len(districts), 1)
        for k, district in enumerate(districts):
            box = (south, west + k * width, north, west + (k + 1) * width)
            district.boundary = _rectangle(*box)
            district.save(update_fields=["boundary"])
            rectangles[district.pk] = box
    return rectangles


def _weekly(days: str, opens: str, closes: str, note: str = "") -> Schedule:
    return Schedule(
        kind="weekly",
        byday=days,
        opens_at=time.fromisoformat(opens),
        closes_at=time.fromisoformat(closes),
        note=note,
    )


def _monthly(weeks: str, day: str, opens: str, closes: str) -> Schedule:
    return Schedule(
        kind="monthly",
        byday=schedules.byday_of([day], [int(n) for n in weeks.split(",")]),
        opens_at=time.fromisoformat(opens),
        closes_at=time.fromisoformat(closes),
    )


def _year_end(today: date) -> Schedule:
    year = fiscal_year_of(today)
    return Schedule(
        kind="closed",
        date=date(year, 12, 29),
        end_date=date(year + 1, 1, 3),
        note="年末年始",
    )


CAFETERIA_SCHEDULES = [
    [_weekly("WE", "17:00", "19:30")],
    [_monthly("2,4", "SA", "11:30", "13:30")],
    [_weekly("TU,FR", "16:30", "19:00")],
    [_monthly("1,3", "SU", "11:00", "13:30")],
    [_weekly("TH", "17:00", "19:00")],
    [_monthly("-1", "SA", "12:00", "14:00")],
]
PLACES = [
    # name, categories, schedules, free, grades, note
    (
        "放課後まなびスペース「ひなた」",
        ["study", "rest", "talk"],
        [_weekly("MO,TU,WE,TH,FR", "15:30", "20:00", "自習できます")],
        ("E1", "H3"),
        "常設・1か所型。宿題や自習ができ、話を聞くスタッフがいます。",
    ),
    (
        "公民館こどもひろば",
        ["play", "rest"],
        [_weekly("SA", "10:00", "15:00")],
        ("E1", "J3"),
        "週1・複数型。週末の居場所です。",
    ),
    (
        "まちかど寺子屋",
        ["study", "talk"],
        [_weekly("WE", "16:00", "18:30")],
        ("E3", "J3"),
        "地域の大人が勉強を見てくれます。",
    ),
    (
        "集会所あそびば",
        ["play"],
        [_monthly("2", "SU", "13:00", "16:00")],
        ("P", "E6"),
        "月1・多数型。近所の集会所で遊べます。",
    ),
    (
        "おてらの日曜ひろば",
        ["play", "rest", "eat"],
        [_monthly("3", "SU", "10:00", "14:00")],
        ("E1", "E6"),
        "月1回、お昼ごはんつき。",
    ),
    (
        "ユースのたまりば",
        ["rest", "talk"],
        [_weekly("FR", "17:00", "21:00")],
        ("J1", "H3"),
        "中高生のための居場所です。",
    ),
]
PARENT_RESOURCES = [
    # name, category, schedules, admission, ages
    (
        "子育て支援センター わかば",
        "parenting_hub",
        [_weekly("MO,TU,WE,TH,FR", "09:00", "16:00")],
        "anyone",
        (0, 3),
    ),
    (
        "親子ひろば ぽかぽか",
        "parenting_hub",
        [_weekly("TU,TH", "10:00", "15:00")],
        "anyone",
        (0, 6),
    ),
    (
        "フードパントリーわかば",
        "food_pantry",
        [_monthly("1", "SA", "10:00", "12:00")],
        "registered",
        (None, None),
    ),
    (
        "一時預かり ひだまり",
        "temporary_care",
        [_weekly("MO,WE,FR", "08:30", "17:00")],
        "registered",
        (0, 6),
    ),
    (
        "こども家庭センター 相談窓口",
        "consultation",
        [_weekly("MO,TU,WE,TH,FR", "08:30", "17:15")],
        "anyone",
        (None, None),
    ),
]
INFORMAL_HELPERS = [
    (
        "近所の見守り協力者(元保育士)",
        ["talk", "rest"],
        "自宅で放課後に子どもを受け入れてくれることがある。",
    ),
    ("民生委員・児童委員(地区担当)", ["talk"], "登下校の見守りと声かけ。"),
    ("商店街の「こども110番」の店", ["rest"], "困ったときに駆け込める店。"),
]


def _copy(schedule: Schedule) -> Schedule:
    """A fresh row from one of the templates above (they are shared between runs)."""
    fields = [f.name for f in Schedule._meta.concrete_fields if f.name not in ("id", "place")]
    return Schedule(**{name: getattr(schedule, name) for name in fields})


def _point(rng: Random, box: tuple) -> tuple[float, float]:
    south, west, north, east = box
    return (
        round(rng.uniform(south + 0.2 * (north - south), north - 0.2 * (north - south)), 6),
        round(rng.uniform(west + 0.2 * (east - west), east - 0.2 * (east - west)), 6),
    )


class _Builder:
    def __init__(self, rng: Random, municipality: Municipality, editor, today: date):
        self.rng, self.municipality, self.editor, self.today = rng, municipality, editor, today
        self.rectangles = draw_boundaries(municipality)
        self.districts = list(
            Area.objects.filter(municipality=municipality, kind=Area.Kind.ELEMENTARY_DISTRICT)
            .select_related("parent")
            .order_by("code")
        )
        regions = list(Area.objects.filter(municipality=municipality, kind=Area.Kind.REGION))
        weighted = []
        for region, weight in zip(regions, AREA_WEIGHTS, strict=True):
            inside = [d for d in self.districts if d.parent_id == region.pk]
            # The better served an area, the more of its districts hold places.
            weighted += [(d, weight) for d in inside[: max(1, weight * len(inside) // 6)]]
        self.choices = weighted
        self.categories = {c.code: c for c in Category.objects.all()}

    def district(self, prefer: Area | None = None) -> Area:
        if prefer is not None:
            return prefer
        districts, weights = zip(*self.choices, strict=True)
        return self.rng.choices(districts, weights=weights)[0]

    def add(self, organisation, name, categories, schedules, district=None, **fields) -> Service:
        district = self.district(district)
        latitude, longitude = _point(self.rng, self.rectangles[district.pk])
        town = self.rng.choice(list(district.children.all()) or [district])
        location = Location(
            name=fields.pop("place_name", name),
            postal_code=f"519-{self.rng.randrange(100, 999):03d}0",
            prefecture=self.municipality.prefecture,
            city=self.municipality.name,
            town=town.name,
            block=f"{self.rng.randrange(1, 30)}-{self.rng.randrange(1, 20)}",
            latitude=latitude,
            longitude=longitude,
            region=district.parent,
            school_district=district,
        )
        verified = fields.pop(
            "verified_on", self.today - timedelta(days=self.rng.randrange(10, 300))
        )
        service = Service(name=name, **fields)
        entry = resource_services.Entry(
            service,
            location,
            [_copy(s) for s in schedules],
            [self.categories[c] for c in categories],
        )
        made = resource_services.create_entry(organisation, entry, actor=self.editor)
        Service.objects.filter(pk=made.pk).update(last_verified_on=verified)
        return made


def build_resources(rng: Random, municipality: Municipality, editor, today: date) -> dict:
    """The demo directory; returns counts by kind."""
    builder = _Builder(rng, municipality, editor, today)
    counts = {"こども食堂": 0, "宅食": 0, "居場所": 0, "子育て支援": 0, "職員のみ": 0}
    cafeterias = Organisation.objects.filter(
        municipality=municipality, kind=Organisation.Kind.CAFETERIA
    ).order_by("pk")
    for k, cafeteria in enumerate(cafeterias):
        owner = ResourceOrganisation.objects.create(
            municipality=municipality, name=cafeteria.name, operator=cafeteria
        )
        district = cafeteria.area if cafeteria.area_id in builder.rectangles else None
        schedules = CAFETERIA_SCHEDULES[k % len(CAFETERIA_SCHEDULES)] + [_year_end(today)]
        free_for_children = k % 3 != 2
        builder.add(
            owner,
            cafeteria.name,
            ["eat", "study"] if k % 4 == 0 else ["eat"],
            schedules,
            district,
            description="みんなで一緒にごはんを食べましょう。宿題を持ってきてもOK。",
            child_fee=None if free_for_children else 100,
            adult_fee=300,
            is_free=False,
            fees_description="こどもは無料" if free_for_children else "",
            meal_tickets=k % 2 == 0,
            minimum_age=0,
            maximum_age=18,
            phone=f"0599-{rng.randrange(20, 99)}-{rng.randrange(1000, 9999)}",
            # One entry has gone long unverified (re-verification list).
            **({"verified_on": today - timedelta(days=420)} if k == 5 else {}),
        )
        counts["こども食堂"] += 1
        if k < 3:  # seed 000: three of the twelve cafeterias deliver meals (宅食)
            builder.add(
                owner,
                f"{cafeteria.name} お弁当の宅食",
                ["meal_delivery"],
                [_weekly("SA", "11:00", "13:00", "ご自宅にお届け")],
                district,
                place_name=cafeteria.name,
                admission="referral",
                is_free=True,
                description="こども家庭センターからの紹介で、ご家庭にお弁当を届けます。",
            )
            counts["宅食"] += 1
    network = ResourceOrganisation.objects.create(
        municipality=municipality, name="わかば子どもの居場所ネットワーク"
    )
    for name, categories, schedules, grades, description in PLACES:
        builder.add(
            network,
            name,
            categories,
            schedules,
            is_free=True,
            grade_from=grades[0],
            grade_to=grades[1],
            description=description,
        )
        counts["居場所"] += 1
    hubs = ResourceOrganisation.objects.create(
        municipality=municipality, name="NPO法人 子育て応援わかば"
    )
    for name, category, schedules, admission, (low, high) in PARENT_RESOURCES:
        builder.add(
            hubs,
            name,
            [category],
            schedules,
            admission=admission,
            is_free=category != "temporary_care",
            adult_fee=2000 if category == "temporary_care" else None,
            minimum_age=low,
            maximum_age=high,
        )
        counts["子育て支援"] += 1
    neighbours = ResourceOrganisation.objects.create(
        municipality=municipality, name="地域の協力者(インフォーマル)"
    )
    for name, categories, description in INFORMAL_HELPERS:
        builder.add(
            neighbours,
            name,
            categories,
            [Schedule(kind="irregular", note="本人と調整")],
            visibility=Visibility.STAFF,
            admission="referral",
            is_free=True,
            description=description,
        )
        counts["職員のみ"] += 1
    return counts
