"""Synthetic Japanese families seen through several local sources, with the truth kept.

One municipality's children and family center sees the same people through maternal health
(母子保健), child welfare (児童福祉), a volunteer-run cafeteria's list (こども食堂) and a
nursery provider (事業者). Each source writes people down in its own way and makes its own
mistakes; ``true_person`` says who each record really is.

Everything comes from one ``random.Random(seed)``, drawn in a fixed order, so a seed always
gives the same rows. Names and towns are real kanji–kana pairs from the gimei package's data.
"""

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import gimei
import pandas as pd
import yaml

from tsunagu.people.matching.prepare import INPUT_COLUMNS

COLUMNS = [*INPUT_COLUMNS, "true_person"]

_DATA = Path(gimei.__file__).parent / "data"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The most frequent surnames in Japan, in order; gimei's own list is roughly but not quite
# frequency-ordered, so these few are put first by hand.
_TOP_SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]

# Old and variant forms that registries and older systems keep (戸籍の字形, 旧字体).
_OLD_FORMS = {
    "高": "髙",
    "崎": "﨑",
    "辺": "邊邉",
    "斎": "齋",
    "沢": "澤",
    "浜": "濱",
    "吉": "𠮷",
    "島": "嶋",
    "国": "國",
    "桜": "櫻",
    "広": "廣",
    "富": "冨",
    "館": "舘",
    "徳": "德",
    "恵": "惠",
    "竜": "龍",
    "峰": "峯",
    "条": "條",
    "実": "實",
    "蔵": "藏",
}
# Distinct characters that people nevertheless confuse when copying a name by hand.
_CONFUSED = {"斎": "斉", "斉": "斎", "荻": "萩", "萩": "荻", "祐": "佑", "佑": "祐", "桧": "檜"}

# Kana that are misread or mistyped for one another on handwritten lists.
_KANA_SLIPS = {
    "シ": "ツ",
    "ツ": "シ",
    "ソ": "ン",
    "ン": "ソ",
    "ス": "ヌ",
    "ワ": "ウ",
    "ク": "ワ",
    "チ": "テ",
    "ナ": "メ",
    "ル": "レ",
    "ロ": "コ",
    "ガ": "カ",
    "ギ": "キ",
    "グ": "ク",
    "ゴ": "コ",
    "ジ": "シ",
    "ズ": "ス",
    "ダ": "タ",
    "ド": "ト",
    "バ": "ハ",
    "ブ": "フ",
    "ボ": "ホ",
}
_SMALL_KANA = {"ャ": "ヤ", "ュ": "ユ", "ョ": "ヨ", "ッ": "ツ", "ァ": "ア", "ィ": "イ", "ェ": "エ"}
_O_ROW = set("オコゴソゾトドノホボポモヨロョ")
_E_ROW = set("エケゲセゼテデネヘベペメレ")
_U_ROW = set("ウクグスズツヌフブプムユルュ")

_FULLWIDTH_DIGITS = str.maketrans("0123456789-", "０１２３４５６７８９－")
_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}

_BUILDINGS = ["コーポ", "ハイツ", "メゾン", "グランドール", "サンハイム", "パークハウス"]
_BUILDING_SUFFIX = ["さくら", "みどり", "ひかり", "若葉", "青葉", "第一", "第二", "東", "南"]

FEMALE, MALE = "female", "male"
FIRST_CHILD_FROM = dt.date(2007, 4, 2).toordinal()
LAST_BIRTH = dt.date(2025, 12, 31).toordinal()
YEAR = 365.25


@dataclass(frozen=True)
class Source:
    """How one source writes a person down: each number is the chance of that habit."""

    name: str
    kana_only: float
    kanji_only: float
    hiragana: float
    halfwidth: float
    kana_slip: float
    old_form: float
    confused: float
    space: float
    date_missing: float
    month_only: float
    digit_off: float
    day_month_swap: float
    phone_style: tuple[float, float, float, float]  # hyphens, digits, full-width, none
    address_style: str
    address_missing: float
    postal_missing: float
    sex_missing: float
    stale_address: float


SOURCES = {
    # Maternal health copies from the resident register: official forms, old kanji kept.
    "boshi": Source(
        name="boshi",
        kana_only=0.0,
        kanji_only=0.04,
        hiragana=0.0,
        halfwidth=0.0,
        kana_slip=0.01,
        old_form=0.45,
        confused=0.0,
        space=0.02,
        date_missing=0.005,
        month_only=0.0,
        digit_off=0.01,
        day_month_swap=0.005,
        phone_style=(0.75, 0.2, 0.0, 0.05),
        address_style="official",
        address_missing=0.0,
        postal_missing=0.02,
        sex_missing=0.0,
        stale_address=0.0,
    ),
    # Child welfare caseworkers type what families say; some slips, folded kanji.
    "jido": Source(
        name="jido",
        kana_only=0.0,
        kanji_only=0.05,
        hiragana=0.05,
        halfwidth=0.0,
        kana_slip=0.03,
        old_form=0.1,
        confused=0.02,
        space=0.05,
        date_missing=0.02,
        month_only=0.02,
        digit_off=0.02,
        day_month_swap=0.02,
        phone_style=(0.35, 0.55, 0.0, 0.1),
        address_style="short",
        address_missing=0.03,
        postal_missing=0.1,
        sex_missing=0.02,
        stale_address=0.05,
    ),
    # The cafeteria's volunteers write names as children say them: kana, dates often vague.
    "shokudo": Source(
        name="shokudo",
        kana_only=0.5,
        kanji_only=0.0,
        hiragana=0.6,
        halfwidth=0.0,
        kana_slip=0.15,
        old_form=0.0,
        confused=0.03,
        space=0.15,
        date_missing=0.35,
        month_only=0.25,
        digit_off=0.05,
        day_month_swap=0.03,
        phone_style=(0.35, 0.2, 0.25, 0.2),
        address_style="town",
        address_missing=0.3,
        postal_missing=0.6,
        sex_missing=0.3,
        stale_address=0.3,
    ),
    # A nursery's older system: half-width katakana, addresses not updated after a move.
    "provider": Source(
        name="provider",
        kana_only=0.0,
        kanji_only=0.03,
        hiragana=0.0,
        halfwidth=0.7,
        kana_slip=0.02,
        old_form=0.2,
        confused=0.01,
        space=0.03,
        date_missing=0.02,
        month_only=0.0,
        digit_off=0.03,
        day_month_swap=0.02,
        phone_style=(0.6, 0.3, 0.0, 0.1),
        address_style="provider",
        address_missing=0.02,
        postal_missing=0.05,
        sex_missing=0.01,
        stale_address=0.5,
    ),
}
_SOURCE_WEIGHTS = {
    "child": {"boshi": 0.35, "jido": 0.3, "shokudo": 0.2, "provider": 0.15},
    "mother": {"boshi": 0.4, "jido": 0.3, "shokudo": 0.15, "provider": 0.15},
    "father": {"boshi": 0.1, "jido": 0.4, "shokudo": 0.2, "provider": 0.3},
}
# How many records a person has: about 45 % have more than one.
_RECORD_COUNTS = [1, 2, 3, 4]
_RECORD_COUNT_WEIGHTS = [0.55, 0.80, 0.93, 1.0]  # cumulative: 55/25/13/7 %


@dataclass(slots=True)
class Home:
    town: int
    chome: int
    ban: int
    go: int
    building: str


@dataclass(slots=True)
class Person:
    pid: int
    role: str
    sex: str
    family: tuple[str, str]
    given: tuple[str, str]
    birth: int
    phone: str
    home: Home
    later_family: tuple[str, str] | None = None
    later_home: Home | None = None


@dataclass(frozen=True)
class Pools:
    families: list[tuple[str, str]]
    family_weights: list[float]
    given: dict[str, list[tuple[str, str]]]
    given_weights: dict[str, list[float]]
    lookalikes: dict[tuple[str, str, int], list[tuple[str, str]]]
    prefecture: str
    city: str
    towns: list[str]
    postal: list[str]


def _load(filename: str) -> dict:
    # CSafeLoader is the safe loader, in C; ruff cannot tell it from an unsafe one.
    return yaml.load((_DATA / filename).read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


@cache
def _name_lists() -> tuple[list[tuple[str, str]], dict[str, list[tuple[str, str]]]]:
    names = _load("names.yml")
    seen: dict[str, tuple[str, str]] = {}
    for kanji, _, kana in names["last_name"]:
        seen.setdefault(kanji, (kanji, kana))
    families = [seen[k] for k in _TOP_SURNAMES] + [
        pair for k, pair in seen.items() if k not in _TOP_SURNAMES
    ]
    given = {
        sex: sorted({(kanji, kana) for kanji, _, kana in names["first_name"][sex]})
        for sex in (FEMALE, MALE)
    }
    return families, given


@cache
def _towns() -> list[str]:
    towns = _load("addresses.yml")["addresses"]["town"]
    return sorted({kanji for kanji, _, _ in towns if 2 <= len(kanji) <= 5})


def _pools(rng: random.Random) -> Pools:
    families, given = _name_lists()
    # Zipf-like: 佐藤 about 1.5 % of people, the top ten about 13 %; near the real country's
    # shares, a little steeper because gimei stops at 500 surnames.
    family_weights = _cumulative([1 / (rank + 25) ** 1.1 for rank in range(len(families))])
    given_weights = {}
    for sex, names in given.items():
        # Gimei lists names alphabetically; popularity is a fixed shuffle, not the seed's.
        order = list(range(len(names)))
        random.Random(len(names)).shuffle(order)  # noqa: S311
        weights = [0.0] * len(names)
        for rank, index in enumerate(order):
            weights[index] = 1 / (rank + 20)
        given_weights[sex] = _cumulative(weights)
    lookalikes: dict[tuple[str, str, int], list[tuple[str, str]]] = {}
    for sex, names in given.items():
        for name in names:
            lookalikes.setdefault((sex, name[1][:1], len(name[1])), []).append(name)
    prefecture, city = rng.choice(
        [("神奈川県", "横浜市港北区"), ("大阪府", "堺市北区"), ("埼玉県", "川口市")]
    )
    towns = rng.sample(_towns(), 400)
    area = rng.randrange(100, 990)
    postal = [f"{area:03d}{code:04d}" for code in rng.sample(range(1, 9999), len(towns))]
    return Pools(
        families, family_weights, given, given_weights, lookalikes, prefecture, city, towns, postal
    )


def _family_name(rng: random.Random, pools: Pools) -> tuple[str, str]:
    return rng.choices(pools.families, cum_weights=pools.family_weights)[0]


def _given_name(rng: random.Random, pools: Pools, sex: str) -> tuple[str, str]:
    return rng.choices(pools.given[sex], cum_weights=pools.given_weights[sex])[0]


def _lookalike(rng: random.Random, pools: Pools, sex: str, name: tuple[str, str]):
    # Twins are often given names that sound alike: ユイ and ユナ, ハルト and ハルキ.
    # Never the same reading: no parents call both twins ユイ.
    choices = [n for n in pools.lookalikes[(sex, name[1][:1], len(name[1]))] if n[1] != name[1]]
    return rng.choice(choices) if choices else _given_name(rng, pools, sex)


def _mobile(rng: random.Random) -> str:
    return f"{rng.choice(('090', '080', '070'))}{rng.randrange(10**8):08d}"


def _home(rng: random.Random, pools: Pools) -> Home:
    building = ""
    if rng.random() < 0.4:
        name = rng.choice(_BUILDINGS) + rng.choice(_BUILDING_SUFFIX)
        building = f"{name} {rng.randint(1, 5)}0{rng.randint(1, 9)}"
    return Home(
        rng.randrange(len(pools.towns)),
        rng.randint(1, 6),
        rng.randint(1, 30),
        rng.randint(1, 25),
        building,
    )


@dataclass
class _State:
    """What the generator remembers across families: the next id and past people."""

    next_pid: int = 0
    known: list[Person] = field(default_factory=list)

    def pid(self) -> int:
        self.next_pid += 1
        return self.next_pid


def _children_births(rng: random.Random) -> list[tuple[int, bool]]:
    """Birth dates (ordinals) of a family's children; True marks the second of twins."""
    count = rng.choices([1, 2, 3, 4], weights=[0.4, 0.4, 0.15, 0.05])[0]
    birth = rng.randint(FIRST_CHILD_FROM, LAST_BIRTH - 400)
    births = [(birth, False)]
    if rng.random() < 0.05:
        births.append((birth, True))
        count += 1
    while len(births) < count:
        birth += rng.randint(400, 2200)
        if birth > LAST_BIRTH:
            break
        births.append((birth, False))
    return births


def _guardians(rng, pools, state, family, first_birth, home) -> list[Person]:
    mother_birth = first_birth - int(rng.uniform(19, 42) * YEAR)
    kind = rng.choices(["couple", "mother", "father", "partner"], [0.65, 0.25, 0.04, 0.06])[0]
    people = []
    if kind != "father":
        people.append(
            Person(
                state.pid(), "mother", FEMALE, family, _given_name(rng, pools, FEMALE),
                mother_birth, _mobile(rng), home,
            )
        )  # fmt: skip
    if kind != "mother":
        # An unmarried partner keeps his own surname.
        surname = _family_name(rng, pools) if kind == "partner" else family
        people.append(
            Person(
                state.pid(), "father", MALE, surname, _given_name(rng, pools, MALE),
                mother_birth + rng.randint(-1500, 3000), _mobile(rng), home,
            )
        )  # fmt: skip
    return people


def _children(rng, pools, state, family, births, home, phone) -> list[Person]:
    children: list[Person] = []
    for birth, second_twin in births:
        if second_twin:
            twin = children[-1]
            sex = twin.sex if rng.random() < 0.6 else rng.choice((FEMALE, MALE))
            if sex == twin.sex and rng.random() < 0.5:
                given = _lookalike(rng, pools, sex, twin.given)
            else:
                given = _given_name(rng, pools, sex)
        else:
            sex = rng.choice((FEMALE, MALE))
            given = _given_name(rng, pools, sex)
        children.append(Person(state.pid(), "child", sex, family, given, birth, phone, home))
    return children


def _namesake_of(rng: random.Random, state: _State) -> Person | None:
    """Now and then an earlier, unrelated person whose name and birth year one of this
    family will share (同姓同名)."""
    if not state.known or rng.random() >= 0.06:
        return None
    return state.known[rng.randrange(len(state.known))]


def _make_namesake(rng: random.Random, target: Person, people: list[Person]) -> None:
    for person in people:
        if person.sex == target.sex and (person.role == "child") == (target.role == "child"):
            person.given = target.given
            if rng.random() < 0.15:
                person.birth = target.birth
            else:
                year = dt.date.fromordinal(target.birth).year
                person.birth = dt.date(year, 1, 1).toordinal() + rng.randrange(365)
            return


def _life_events(rng: random.Random, pools: Pools, people: list[Person]) -> None:
    """Marriage, divorce and moves: later records of these people show the new state."""
    if rng.random() < 0.12:
        new_name = _family_name(rng, pools)
        for person in people:
            if person.role == "mother" or (person.role == "child" and rng.random() < 0.6):
                person.later_family = new_name
    if rng.random() < 0.15:
        new_home = _home(rng, pools)
        for person in people:
            person.later_home = new_home


def _family(rng: random.Random, pools: Pools, state: _State) -> list[Person]:
    namesake = _namesake_of(rng, state)
    family = namesake.family if namesake else _family_name(rng, pools)
    home = _home(rng, pools)
    births = _children_births(rng)
    guardians = _guardians(rng, pools, state, family, births[0][0], home)
    phone = guardians[0].phone if rng.random() < 0.8 else guardians[-1].phone
    people = guardians + _children(rng, pools, state, family, births, home, phone)
    if namesake:
        _make_namesake(rng, namesake, people)
    _life_events(rng, pools, people)
    state.known.extend(people)
    return people


# --- how a source writes things down -----------------------------------------------------


@cache
def _halfwidth_table() -> dict[str, str]:
    table = {}
    for code in range(0xFF66, 0xFF9E):
        half = chr(code)
        table[unicodedata.normalize("NFKC", half)] = half
        for mark in "ﾞﾟ":
            composed = unicodedata.normalize("NFKC", half + mark)
            if len(composed) == 1:
                table[composed] = half + mark
    return table


def halfwidth(kana: str) -> str:
    table = _halfwidth_table()
    return "".join(table.get(char, char) for char in kana)


def hiragana(kana: str) -> str:
    return kana.translate(_HIRAGANA)


def _lengthens(before: str, char: str) -> bool:
    # サトウ → サトー, ユウキ → ユーキ, ケイコ → ケーコ: a vowel that only lengthens the one before.
    return (
        (char in "ウオ" and before in _O_ROW)
        or (char == "イ" and before in _E_ROW)
        or (char == "ウ" and before in _U_ROW)
    )


def _kana_slip(rng: random.Random, kana: str) -> str:
    """One realistic slip: a long vowel written ー, a small kana made big, a kana misread
    or dropped."""
    for i in range(1, len(kana)):
        if _lengthens(kana[i - 1], kana[i]) and rng.random() < 0.6:
            return kana[:i] + "ー" + kana[i + 1 :]
    smalls = [i for i, char in enumerate(kana) if char in _SMALL_KANA]
    if smalls and rng.random() < 0.5:
        i = rng.choice(smalls)
        return kana[:i] + _SMALL_KANA[kana[i]] + kana[i + 1 :]
    slips = [i for i, char in enumerate(kana) if char in _KANA_SLIPS]
    if slips and rng.random() < 0.6:
        i = rng.choice(slips)
        return kana[:i] + _KANA_SLIPS[kana[i]] + kana[i + 1 :]
    if len(kana) >= 3:
        i = rng.randrange(1, len(kana))
        return kana[:i] + kana[i + 1 :]
    return kana


def _old_form(rng: random.Random, kanji: str) -> str:
    out = []
    for char in kanji:
        forms = _OLD_FORMS.get(char)
        out.append(rng.choice(forms) if forms else char)
    written = "".join(out)
    if "々" in written and rng.random() < 0.5:
        written = written.replace("々", written[written.index("々") - 1], 1)
    return written


def _confuse(rng: random.Random, kanji: str) -> str:
    spots = [i for i, char in enumerate(kanji) if char in _CONFUSED]
    if not spots:
        return kanji
    i = rng.choice(spots)
    return kanji[:i] + _CONFUSED[kanji[i]] + kanji[i + 1 :]


def _space(rng: random.Random, text: str) -> str:
    if len(text) < 2:
        return text + " "
    i = rng.randrange(1, len(text))
    return text[:i] + rng.choice((" ", "\u3000")) + text[i:]


def _write_kanji(rng: random.Random, source: Source, kanji: str) -> str:
    roll = rng.random()
    if roll < source.old_form:
        kanji = _old_form(rng, kanji)
    elif roll < source.old_form + source.confused:
        kanji = _confuse(rng, kanji)
    if rng.random() < source.space:
        kanji = _space(rng, kanji)
    return kanji


def _write_kana(rng: random.Random, source: Source, kana: str, script: str) -> str:
    if rng.random() < source.kana_slip:
        kana = _kana_slip(rng, kana)
    if script == "hiragana":
        kana = hiragana(kana)
    elif script == "halfwidth":
        kana = halfwidth(kana)
    if rng.random() < source.space:
        kana = _space(rng, kana)
    return kana


def _names(rng, source: Source, family: tuple[str, str], given: tuple[str, str]) -> list[str]:
    """family_name, given_name, family_kana, given_kana as this source writes them."""
    roll = rng.random()
    kanji = roll >= source.kana_only
    kana = roll < 1 - source.kanji_only
    # One writer, one script: a record is all hiragana, all half-width or all katakana.
    roll = rng.random()
    script = (
        "hiragana"
        if roll < source.hiragana
        else "halfwidth"
        if roll < source.hiragana + source.halfwidth
        else "katakana"
    )
    return [
        _write_kanji(rng, source, family[0]) if kanji else "",
        _write_kanji(rng, source, given[0]) if kanji else "",
        _write_kana(rng, source, family[1], script) if kana else "",
        _write_kana(rng, source, given[1], script) if kana else "",
    ]


def _digit_off(rng: random.Random, date: dt.date) -> dt.date:
    # One digit of the written date off by one, still a real date (1985 → 1986, 12 → 13).
    for _ in range(4):
        field = rng.choice(("year", "month", "day"))
        step = rng.choice((-1, 1))
        try:
            if field == "year":
                return date.replace(year=date.year + step)
            if field == "month":
                return date.replace(month=date.month + step)
            return date.replace(day=date.day + step)
        except ValueError:
            continue
    return date


def _birth_date(rng: random.Random, source: Source, birth: int) -> str:
    date = dt.date.fromordinal(birth)
    roll = rng.random()
    if roll < source.date_missing:
        return ""
    roll -= source.date_missing
    if roll < source.month_only:
        return f"{date.year:04d}-{date.month:02d}"
    roll -= source.month_only
    if roll < source.digit_off:
        date = _digit_off(rng, date)
    elif roll < source.digit_off + source.day_month_swap and date.day <= 12:
        date = date.replace(month=date.day, day=date.month)
    return date.isoformat()


def _phone(rng: random.Random, source: Source, phone: str) -> str:
    style = rng.choices(range(4), weights=source.phone_style)[0]
    hyphenated = f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
    return (hyphenated, phone, hyphenated.translate(_FULLWIDTH_DIGITS), "")[style]


def _address(rng: random.Random, source: Source, pools: Pools, home: Home) -> tuple[str, str]:
    if rng.random() < source.address_missing:
        return "", ""
    town = pools.towns[home.town]
    building = f" {home.building}" if home.building and rng.random() < 0.8 else ""
    style = source.address_style
    if style in ("official", "provider"):
        block = f"{home.chome}丁目{home.ban}番{home.go}号"
        prefix = pools.prefecture + pools.city if style == "official" else pools.city
        address = f"{prefix}{town}{block}{building.replace(' ', '') + '号室' if building else ''}"
    else:
        block = f"{home.chome}-{home.ban}-{home.go}"
        address = f"{pools.city if style == 'short' else ''}{town}{block}{building}"
        if style == "town" and rng.random() < 0.5:
            address = address.translate(_FULLWIDTH_DIGITS)
    postal = pools.postal[home.town]
    if rng.random() < source.postal_missing:
        postal = ""
    elif rng.random() < 0.6:
        postal = f"{postal[:3]}-{postal[3:]}"
    return postal, address


def _sources_for(rng: random.Random, role: str, count: int) -> list[Source]:
    weights = dict(_SOURCE_WEIGHTS[role])
    chosen = []
    for _ in range(count):
        name = rng.choices(list(weights), weights=list(weights.values()))[0]
        chosen.append(SOURCES[name])
        del weights[name]
    return chosen


def _records(rng: random.Random, pools: Pools, person: Person) -> list[list[str]]:
    count = rng.choices(_RECORD_COUNTS, cum_weights=_RECORD_COUNT_WEIGHTS)[0]
    # The record from which on a life event shows; records before it are from before.
    turn = rng.randint(1, count) if count > 1 else rng.randint(0, 1)
    records = []
    for index, source in enumerate(_sources_for(rng, person.role, count)):
        later = index >= turn
        family = person.later_family if later and person.later_family else person.family
        home = person.home
        if later and person.later_home and rng.random() >= source.stale_address:
            home = person.later_home
        postal, address = _address(rng, source, pools, home)
        sex = "" if rng.random() < source.sex_missing else person.sex
        records.append(
            [
                *_names(rng, source, family, person.given),
                _birth_date(rng, source, person.birth),
                sex,
                postal,
                address,
                _phone(rng, source, person.phone),
                f"P{person.pid:08d}",
            ]
        )
    return records


def generate(n_records: int, seed: int = 1) -> pd.DataFrame:
    """``n_records`` source records of synthetic families, shuffled, every field a string."""
    rng = random.Random(seed)  # noqa: S311 — reproducible test data, not secrets
    pools = _pools(rng)
    state = _State()
    rows: list[list[str]] = []
    while len(rows) < n_records:
        for person in _family(rng, pools, state):
            rows.extend(_records(rng, pools, person))
    del rows[n_records:]
    rng.shuffle(rows)
    width = max(8, len(str(n_records)))
    for number, row in enumerate(rows, start=1):
        row.insert(0, f"R{number:0{width}d}")
    return pd.DataFrame(rows, columns=COLUMNS, dtype=object)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """The same frame always gives the same bytes: fixed column order, no index, LF."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
