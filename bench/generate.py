"""Synthetic Japanese families seen through several local sources, with the truth kept.

One municipality's children and family center sees the same people through maternal health
(母子保健), child welfare (児童福祉), a volunteer-run cafeteria's list (こども食堂), a nursery
provider (事業者) and, in the ``report`` profile, a neighbourhood watch partner's kana list
(見守り) and scanned paper applications (申請書, read by OCR). Each source writes people down in
its own way and makes its own mistakes; the ``true_*`` columns say who each record really is.

How families are made and how sources write is a :class:`Profile`. ``PROFILES["tune"]`` is the
data the matcher's thresholds are chosen on; ``PROFILES["report"]`` is parameterised on its own
(more adults, marriages and divorces, more moves, missing and changed phones, a kana-only list,
OCR slips, 和暦 dates, varied address and phone notations) and is only reported on.

Everything comes from one ``random.Random(seed)``, drawn in a fixed order, so a seed and a
profile always give the same rows. A habit whose chance is 0 draws nothing, so the ``tune``
profile draws exactly as the generator did before profiles existed. Names and towns are real
kanji–kana pairs from the gimei package's data.
"""

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from pathlib import Path

import gimei
import pandas as pd
import yaml

from tsunagu.people.matching.prepare import INPUT_COLUMNS

# The truth kept beside each record for scoring; the worker passes the matchers INPUT_COLUMNS
# only. Names and dates here are the true ones, before any source's habit or slip.
TRUTH_COLUMNS = [
    "true_person",  # who the record is: P00000001
    "true_role",  # child, mother, father, or other (another adult of the family: a grandparent)
    "true_family_id",  # the family the person was generated in: F0000001
    "true_given_reading",  # the given name's reading, katakana
    "true_family_reading",  # the surname's reading at the time of the record
    "true_birth",  # YYYY-MM-DD
    "true_home_id",  # the home the record refers to (an old one when the source is stale)
    "true_surname_index",  # which of the person's surnames, in order of first use (0 = first)
    "true_period",  # the period of the person's life the record is from (0 = before any event)
]
COLUMNS = [*INPUT_COLUMNS, *TRUTH_COLUMNS]
# The columns of the generator before profiles: the tune profile still writes these the same.
FIRST_COLUMNS = [*INPUT_COLUMNS, "true_person"]

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

# What OCR reads one shape as: katakana and kanji that look alike (ロ/口, カ/力, ニ/二, ヘ/へ …),
# the long-vowel mark as a minus, a hyphen or 一, and digits as letters (0/O, 1/l/I).
_OCR_LOOKALIKES = {
    "ロ": "口",
    "口": "ロ",
    "カ": "力",
    "力": "カ",
    "ニ": "二",
    "二": "ニ",
    "ヘ": "へ",
    "へ": "ヘ",
    "エ": "工",
    "工": "エ",
    "ト": "卜",
    "タ": "夕",
    "夕": "タ",
    "ハ": "八",
    "八": "ハ",
    "ー": "−-一",
    "一": "ー",
    "0": "O",
    "1": "lI",
}
# A voiced kana read as the plain kana and a separate mark: ガ → カ゛, パ → ハ゜.
_DETACHED_MARK = {"\u3099": "゛", "\u309a": "゜"}
# Look-alikes of the hyphen in addresses: ‐ − ー － ―.
_DASHES = "‐−ー－―"

_FULLWIDTH_DIGITS = str.maketrans("0123456789-", "０１２３４５６７８９－")
_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
_KANJI_DIGITS = "〇一二三四五六七八九"

_BUILDINGS = ["コーポ", "ハイツ", "メゾン", "グランドール", "サンハイム", "パークハウス"]
_BUILDING_SUFFIX = ["さくら", "みどり", "ひかり", "若葉", "青葉", "第一", "第二", "東", "南"]
# The cities a data set may be in, and their landlines' area codes.
_CITIES = [("神奈川県", "横浜市港北区"), ("大阪府", "堺市北区"), ("埼玉県", "川口市")]
_AREA_CODES = {"横浜市港北区": "045", "堺市北区": "072", "川口市": "048"}
# The eras a birth date is written in (和暦): first day, name, initial.
_ERAS = [
    (dt.date(2019, 5, 1), "令和", "R"),
    (dt.date(1989, 1, 8), "平成", "H"),
    (dt.date(1926, 12, 25), "昭和", "S"),
]

FEMALE, MALE = "female", "male"
FIRST_CHILD_FROM = dt.date(2007, 4, 2).toordinal()
LAST_BIRTH = dt.date(2025, 12, 31).toordinal()
YEAR = 365.25

# How a source writes a phone number, a birth date and the block of an address. A source's
# weights are over these, in this order; an empty tuple means the source's one old way.
PHONE_STYLES = ("hyphens", "digits", "fullwidth", "none", "international", "parentheses")
DATE_STYLES = ("iso", "slash", "fullwidth", "kanji", "wareki", "wareki_short")
BLOCK_STYLES = ("banchi", "hyphen", "mixed", "kanji", "banchi_no")


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
    phone_style: tuple[float, ...]  # weights over PHONE_STYLES
    address_style: str  # official, provider, short or town: what comes before the block
    address_missing: float
    postal_missing: float
    sex_missing: float
    stale_address: float
    address_fullwidth: float = 0.0  # digits and hyphens of the address written full-width
    date_styles: tuple[float, ...] = ()  # weights over DATE_STYLES; () = ISO
    block_styles: tuple[float, ...] = ()  # weights over BLOCK_STYLES; () = the style's own
    dash_lookalike: float = 0.0  # the address's hyphens written as ‐ − ー － or ―
    ocr_slip: float = 0.0  # per field: one OCR misreading (see _ocr_slip)


@dataclass(frozen=True)
class Profile:
    """Every number of one kind of data set: who the families are, what happens to them, and
    how each source writes them down."""

    name: str
    sources: dict[str, Source]
    # Role → source → weight: which sources a person of that role has records in.
    source_weights: dict[str, dict[str, float]]
    # Role → shares of 1, 2, 3 … records (from distinct sources).
    record_counts: dict[str, tuple[float, ...]]
    children: tuple[float, ...]  # shares of families with 1, 2, 3, 4 children
    child_gap_days: tuple[int, int]
    twins: float  # families whose first child is a twin
    twins_same_sex: float
    twins_lookalike: float  # same-sex twins with look-alike names (ユイ/ユナ)
    guardians: dict[str, float]  # couple, mother (alone), father (alone), partner (unmarried)
    mother_age: tuple[float, float]  # at the first child, years
    father_offset_days: tuple[int, int]  # father's birth minus mother's
    other_adult: float  # families with another adult recorded (a grandparent)
    other_adult_female: float
    other_adult_age: tuple[float, float]  # years older than the mother
    other_adult_same_surname: float  # a grandparent on the family surname's side
    other_adult_at_home: float  # lives in the family's home (and moves with it)
    namesake: float  # families reusing an earlier person's full name and birth year
    namesake_same_birth: float  # … and the very birth date
    family_phone_first_guardian: float  # children's phone: the first guardian's, else the last's
    landline: float  # children's phone: the home's landline instead
    phone_unknown: float  # people whose phone no source knows
    # "one turn": a family's events all happen at one moment, and each record is from before
    # or after it. "sequence": each event has its own moment, records spread over the periods.
    timeline: str
    surname_change: float  # one turn: mother (and children) take a new surname
    surname_follow: float  # children who change surname with their mother
    married_during: float  # sequence: couples marrying during the records (she had her own name)
    marriage: float  # sequence: single mothers and unmarried partners who marry
    divorce: float  # sequence: married mothers who divorce, back to the name before
    remarriage: float  # sequence: divorced mothers who marry again (a third surname)
    move: float  # households that move
    second_move: float  # sequence: … and move again
    phone_change_on_move: float  # sequence: a mobile number changed at a move
    building: float  # homes in a named building
    building_written: float
    postal_hyphen: float


TUNE_SOURCES = {
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
        address_fullwidth=0.5,
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
# The tune profile's sources, under their old name.
SOURCES = TUNE_SOURCES

# The report profile's sources were given their numbers from how such lists are kept, on their
# own, not copied from tune's and never chosen by looking at how any matcher scores.
REPORT_SOURCES = {
    # The resident register's copy: 和暦 dates as the register prints them, official blocks,
    # more old kanji folded away than in tune, some households' phone not on file.
    "boshi": Source(
        name="boshi",
        kana_only=0.0,
        kanji_only=0.06,
        hiragana=0.0,
        halfwidth=0.0,
        kana_slip=0.02,
        old_form=0.35,
        confused=0.01,
        space=0.04,
        date_missing=0.01,
        month_only=0.0,
        digit_off=0.015,
        day_month_swap=0.005,
        phone_style=(0.6, 0.15, 0.0, 0.15, 0.0, 0.1),
        address_style="official",
        address_missing=0.01,
        postal_missing=0.05,
        sex_missing=0.0,
        stale_address=0.05,
        date_styles=(0.5, 0.0, 0.0, 0.1, 0.4, 0.0),
        block_styles=(0.7, 0.0, 0.1, 0.1, 0.1),
    ),
    # Caseworkers typing: slashes and H27.4.1 dates, hyphens and look-alike dashes.
    "jido": Source(
        name="jido",
        kana_only=0.0,
        kanji_only=0.08,
        hiragana=0.08,
        halfwidth=0.0,
        kana_slip=0.05,
        old_form=0.05,
        confused=0.03,
        space=0.08,
        date_missing=0.03,
        month_only=0.03,
        digit_off=0.04,
        day_month_swap=0.03,
        phone_style=(0.3, 0.4, 0.05, 0.15, 0.05, 0.05),
        address_style="short",
        address_missing=0.05,
        postal_missing=0.2,
        sex_missing=0.03,
        stale_address=0.1,
        address_fullwidth=0.1,
        date_styles=(0.4, 0.3, 0.0, 0.1, 0.05, 0.15),
        block_styles=(0.2, 0.5, 0.25, 0.0, 0.05),
        dash_lookalike=0.15,
    ),
    # The cafeteria's volunteers: more kana-only, fewer dates, phones and addresses.
    "shokudo": Source(
        name="shokudo",
        kana_only=0.6,
        kanji_only=0.0,
        hiragana=0.5,
        halfwidth=0.0,
        kana_slip=0.2,
        old_form=0.0,
        confused=0.02,
        space=0.2,
        date_missing=0.45,
        month_only=0.2,
        digit_off=0.06,
        day_month_swap=0.04,
        phone_style=(0.25, 0.15, 0.2, 0.35, 0.0, 0.05),
        address_style="town",
        address_missing=0.4,
        postal_missing=0.7,
        sex_missing=0.4,
        stale_address=0.35,
        address_fullwidth=0.4,
        date_styles=(0.3, 0.4, 0.1, 0.2, 0.0, 0.0),
        block_styles=(0.1, 0.7, 0.2, 0.0, 0.0),
        dash_lookalike=0.3,
    ),
    # The nursery's older system: half-width katakana, slashed dates, stale addresses.
    "provider": Source(
        name="provider",
        kana_only=0.0,
        kanji_only=0.04,
        hiragana=0.0,
        halfwidth=0.8,
        kana_slip=0.03,
        old_form=0.25,
        confused=0.01,
        space=0.02,
        date_missing=0.02,
        month_only=0.0,
        digit_off=0.04,
        day_month_swap=0.03,
        phone_style=(0.5, 0.35, 0.0, 0.15, 0.0, 0.0),
        address_style="provider",
        address_missing=0.03,
        postal_missing=0.08,
        sex_missing=0.02,
        stale_address=0.6,
        date_styles=(0.6, 0.4, 0.0, 0.0, 0.0, 0.0),
        block_styles=(0.6, 0.4, 0.0, 0.0, 0.0),
        dash_lookalike=0.1,
    ),
    # A neighbourhood watch partner's list (見守り): names only in kana, as heard; 和暦 dates
    # or none; landlines in brackets; the address as people say it.
    "mimamori": Source(
        name="mimamori",
        kana_only=1.0,
        kanji_only=0.0,
        hiragana=0.3,
        halfwidth=0.0,
        kana_slip=0.15,
        old_form=0.0,
        confused=0.0,
        space=0.3,
        date_missing=0.5,
        month_only=0.2,
        digit_off=0.05,
        day_month_swap=0.02,
        phone_style=(0.4, 0.1, 0.1, 0.3, 0.0, 0.1),
        address_style="town",
        address_missing=0.3,
        postal_missing=0.8,
        sex_missing=0.2,
        stale_address=0.3,
        date_styles=(0.0, 0.1, 0.0, 0.3, 0.4, 0.2),
        block_styles=(0.0, 0.5, 0.0, 0.2, 0.3),
        dash_lookalike=0.2,
    ),
    # Paper applications (就学援助, 保育所入所) scanned and read by OCR: furigana in hiragana as
    # the forms ask, 和暦 dates, and OCR's misreadings in any field.
    "shinsei": Source(
        name="shinsei",
        kana_only=0.0,
        kanji_only=0.02,
        hiragana=0.5,
        halfwidth=0.0,
        kana_slip=0.02,
        old_form=0.15,
        confused=0.02,
        space=0.1,
        date_missing=0.02,
        month_only=0.0,
        digit_off=0.03,
        day_month_swap=0.01,
        phone_style=(0.6, 0.1, 0.0, 0.1, 0.0, 0.2),
        address_style="short",
        address_missing=0.02,
        postal_missing=0.1,
        sex_missing=0.05,
        stale_address=0.1,
        date_styles=(0.2, 0.0, 0.0, 0.3, 0.5, 0.0),
        block_styles=(0.5, 0.1, 0.3, 0.1, 0.0),
        dash_lookalike=0.1,
        ocr_slip=0.12,
    ),
}

_TUNE_RECORDS = (0.55, 0.25, 0.13, 0.07)  # about 45 % have more than one

PROFILES = {
    # The data the matcher is tuned on: the generator's numbers from before profiles.
    "tune": Profile(
        name="tune",
        sources=TUNE_SOURCES,
        source_weights={
            "child": {"boshi": 0.35, "jido": 0.3, "shokudo": 0.2, "provider": 0.15},
            "mother": {"boshi": 0.4, "jido": 0.3, "shokudo": 0.15, "provider": 0.15},
            "father": {"boshi": 0.1, "jido": 0.4, "shokudo": 0.2, "provider": 0.3},
        },
        record_counts={"child": _TUNE_RECORDS, "mother": _TUNE_RECORDS, "father": _TUNE_RECORDS},
        children=(0.4, 0.4, 0.15, 0.05),
        child_gap_days=(400, 2200),
        twins=0.05,
        twins_same_sex=0.6,
        twins_lookalike=0.5,
        guardians={"couple": 0.65, "mother": 0.25, "father": 0.04, "partner": 0.06},
        mother_age=(19, 42),
        father_offset_days=(-1500, 3000),
        other_adult=0.0,
        other_adult_female=0.0,
        other_adult_age=(0, 0),
        other_adult_same_surname=0.0,
        other_adult_at_home=0.0,
        namesake=0.06,
        namesake_same_birth=0.15,
        family_phone_first_guardian=0.8,
        landline=0.0,
        phone_unknown=0.0,
        timeline="one turn",
        surname_change=0.12,
        surname_follow=0.6,
        married_during=0.0,
        marriage=0.0,
        divorce=0.0,
        remarriage=0.0,
        move=0.15,
        second_move=0.0,
        phone_change_on_move=0.0,
        building=0.4,
        building_written=0.8,
        postal_hyphen=0.6,
    ),
    # The data reported on, parameterised on its own: see REPORT_SOURCES.
    "report": Profile(
        name="report",
        sources=REPORT_SOURCES,
        source_weights={
            "child": {
                "boshi": 0.3,
                "jido": 0.25,
                "shokudo": 0.15,
                "provider": 0.15,
                "mimamori": 0.05,
                "shinsei": 0.1,
            },
            "mother": {
                "boshi": 0.3,
                "jido": 0.25,
                "shokudo": 0.1,
                "provider": 0.1,
                "mimamori": 0.1,
                "shinsei": 0.15,
            },
            "father": {
                "boshi": 0.1,
                "jido": 0.3,
                "shokudo": 0.1,
                "provider": 0.2,
                "mimamori": 0.1,
                "shinsei": 0.2,
            },
            "other": {
                "jido": 0.35,
                "shokudo": 0.15,
                "provider": 0.1,
                "mimamori": 0.3,
                "shinsei": 0.1,
            },
        },
        record_counts={
            "child": (0.45, 0.28, 0.15, 0.08, 0.04),
            "mother": (0.3, 0.3, 0.2, 0.12, 0.08),
            "father": (0.4, 0.28, 0.17, 0.1, 0.05),
            "other": (0.5, 0.3, 0.15, 0.05),
        },
        children=(0.35, 0.4, 0.18, 0.07),
        child_gap_days=(365, 2500),
        twins=0.035,
        twins_same_sex=0.55,
        twins_lookalike=0.6,
        guardians={"couple": 0.7, "mother": 0.2, "father": 0.03, "partner": 0.07},
        mother_age=(18, 44),
        father_offset_days=(-3650, 730),
        other_adult=0.2,
        other_adult_female=0.7,
        other_adult_age=(20, 35),
        other_adult_same_surname=0.5,
        other_adult_at_home=0.5,
        namesake=0.08,
        namesake_same_birth=0.2,
        family_phone_first_guardian=0.7,
        landline=0.12,
        phone_unknown=0.08,
        timeline="sequence",
        surname_change=0.0,
        surname_follow=0.8,
        married_during=0.2,
        marriage=0.35,
        divorce=0.2,
        remarriage=0.35,
        move=0.3,
        second_move=0.35,
        phone_change_on_move=0.35,
        building=0.45,
        building_written=0.7,
        postal_hyphen=0.7,
    ),
}
# A different seed for each profile, so that their data sets differ even at equal numbers.
SEED_OFFSETS = {"tune": 0, "report": 1000}


@dataclass(slots=True)
class Home:
    town: int
    chome: int
    ban: int
    go: int
    building: str
    hid: int = 0


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
    family_id: int = 0
    # One entry per period of the person's life, from the first: what records of it show.
    families: list[tuple[str, str]] = field(default_factory=list)
    homes: list[Home] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)


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


def _cumulative(weights) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


@cache
def _cumulative_shares(shares: tuple[float, ...]) -> list[float]:
    # Rounded so that 0.55, 0.25, 0.13, 0.07 give exactly 0.55, 0.8, 0.93, 1.0.
    return [round(total, 9) for total in accumulate(shares)]


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
    prefecture, city = rng.choice(_CITIES)
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
    choices = [
        n
        for n in pools.lookalikes[(sex, name[1][:1], len(name[1]))]
        if n[1] != name[1] and n[0] != name[0]
    ]
    return rng.choice(choices) if choices else _given_name(rng, pools, sex)


def _sibling_name(rng: random.Random, pools: Pools, sex: str, siblings: list) -> tuple[str, str]:
    # Parents never give two of their children one name, in writing or in sound (潮 read シホ
    # and 潮 read シオ, or 博明 and 宏彰 both ヒロアキ, would be one name to them).
    taken = {part for sibling in siblings for part in sibling.given}
    while True:
        given = _given_name(rng, pools, sex)
        if given[0] not in taken and given[1] not in taken:
            return given


def _mobile(rng: random.Random) -> str:
    return f"{rng.choice(('090', '080', '070'))}{rng.randrange(10**8):08d}"


def _landline(rng: random.Random, pools: Pools) -> str:
    # Ten digits: the city's three-digit area code, a local exchange, a line number.
    return f"{_AREA_CODES[pools.city]}{rng.randint(200, 999)}{rng.randrange(10**4):04d}"


@dataclass
class _State:
    """What the generator remembers across families: the next ids and past people."""

    next_pid: int = 0
    next_family: int = 0
    next_home: int = 0
    known: list[Person] = field(default_factory=list)

    def pid(self) -> int:
        self.next_pid += 1
        return self.next_pid

    def family_id(self) -> int:
        self.next_family += 1
        return self.next_family

    def home_id(self) -> int:
        self.next_home += 1
        return self.next_home


def _home(rng: random.Random, profile: Profile, pools: Pools, state: _State) -> Home:
    building = ""
    if rng.random() < profile.building:
        name = rng.choice(_BUILDINGS) + rng.choice(_BUILDING_SUFFIX)
        building = f"{name} {rng.randint(1, 5)}0{rng.randint(1, 9)}"
    return Home(
        rng.randrange(len(pools.towns)),
        rng.randint(1, 6),
        rng.randint(1, 30),
        rng.randint(1, 25),
        building,
        state.home_id(),
    )


def _children_births(rng: random.Random, profile: Profile) -> list[tuple[int, bool]]:
    """Birth dates (ordinals) of a family's children; True marks the second of twins."""
    count = rng.choices(range(1, len(profile.children) + 1), weights=profile.children)[0]
    birth = rng.randint(FIRST_CHILD_FROM, LAST_BIRTH - 400)
    births = [(birth, False)]
    if rng.random() < profile.twins:
        births.append((birth, True))
        count += 1
    while len(births) < count:
        birth += rng.randint(*profile.child_gap_days)
        if birth > LAST_BIRTH:
            break
        births.append((birth, False))
    return births


def _guardians(rng, profile, pools, state, family, first_birth, home):
    """The family's guardians, the kind of family (couple, mother, father, partner) and the
    mother's birth date (also when there is no mother, for a grandparent's age)."""
    mother_birth = first_birth - int(rng.uniform(*profile.mother_age) * YEAR)
    kind = rng.choices(list(profile.guardians), list(profile.guardians.values()))[0]
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
                mother_birth + rng.randint(*profile.father_offset_days), _mobile(rng), home,
            )
        )  # fmt: skip
    return people, kind, mother_birth


def _children(rng, profile, pools, state, family, births, home, phone) -> list[Person]:
    children: list[Person] = []
    for birth, second_twin in births:
        if second_twin:
            twin = children[-1]
            sex = twin.sex if rng.random() < profile.twins_same_sex else rng.choice((FEMALE, MALE))
            if sex == twin.sex and rng.random() < profile.twins_lookalike:
                given = _lookalike(rng, pools, sex, twin.given)
            else:
                given = _sibling_name(rng, pools, sex, children)
        else:
            sex = rng.choice((FEMALE, MALE))
            given = _sibling_name(rng, pools, sex, children)
        children.append(Person(state.pid(), "child", sex, family, given, birth, phone, home))
    return children


def _other_adult(rng, profile, pools, state, family, mother_birth, home) -> Person:
    """A grandparent (or another adult) of the family, living with it or not."""
    sex = FEMALE if rng.random() < profile.other_adult_female else MALE
    surname = family if rng.random() < profile.other_adult_same_surname else None
    surname = surname or _family_name(rng, pools)
    birth = mother_birth - int(rng.uniform(*profile.other_adult_age) * YEAR)
    if rng.random() >= profile.other_adult_at_home:
        home = _home(rng, profile, pools, state)
    given = _given_name(rng, pools, sex)
    return Person(state.pid(), "other", sex, surname, given, birth, _mobile(rng), home)


def _namesake_of(rng: random.Random, profile: Profile, state: _State) -> Person | None:
    """Now and then an earlier, unrelated person whose name and birth year one of this
    family will share (同姓同名)."""
    if not state.known or rng.random() >= profile.namesake:
        return None
    return state.known[rng.randrange(len(state.known))]


def _make_namesake(rng, profile: Profile, target: Person, people: list[Person]) -> None:
    for person in people:
        if person.sex == target.sex and person.role == target.role:
            person.given = target.given
            if rng.random() < profile.namesake_same_birth:
                person.birth = target.birth
            else:
                year = dt.date.fromordinal(target.birth).year
                person.birth = dt.date(year, 1, 1).toordinal() + rng.randrange(365)
            return


def _one_turn(rng, profile: Profile, pools: Pools, state: _State, people: list[Person]) -> None:
    """A surname change and a move, both at one moment: records after it show the new state."""
    for person in people:
        person.families = [person.family, person.family]
        person.homes = [person.home, person.home]
        person.phones = [person.phone, person.phone]
    if rng.random() < profile.surname_change:
        new_name = _family_name(rng, pools)
        for person in people:
            if person.role == "mother" or (
                person.role == "child" and rng.random() < profile.surname_follow
            ):
                person.families[1] = new_name
    if rng.random() < profile.move:
        new_home = _home(rng, profile, pools, state)
        for person in people:
            person.homes[1] = new_home


def _sequence(rng, profile, pools, state, people: list[Person], kind: str) -> None:
    """Marriage, divorce, remarriage and moves, each at its own moment. On divorce the mother
    and the children who follow her go back to the name she had before (her maiden name, when
    the records never showed it), and the father moves out; a remarriage brings a third name.
    A move takes the household (not a father who left, nor a grandparent living apart) to a new
    home; a landline changes with it, a mobile now and then."""
    mother = next((p for p in people if p.role == "mother"), None)
    father = next((p for p in people if p.role == "father"), None)
    followers = {
        id(p) for p in people if p.role == "child" and rng.random() < profile.surname_follow
    }
    household = [p for p in people if p.home is people[0].home]
    steps = _steps(rng, profile, pools, people, kind, mother, followers)
    for person in people:
        person.families, person.homes, person.phones = (
            [person.family],
            [person.home],
            [person.phone],
        )
    changing = [p for p in people if p is mother or id(p) in followers]
    before: tuple[str, str] | None = None
    for step in steps:
        for person in people:
            person.families.append(person.families[-1])
            person.homes.append(person.homes[-1])
            person.phones.append(person.phones[-1])
        if step == "marriage":
            # She takes the father's name, or a new husband's when no father is recorded.
            before = mother.families[-1]
            new_name = father.families[-1] if father is not None else _family_name(rng, pools)
            _rename(changing, new_name)
        elif step == "divorce":
            _rename(changing, before or _family_name(rng, pools))
            if any(person is father for person in household):
                household = [person for person in household if person is not father]
                father.homes[-1] = _home(rng, profile, pools, state)
        elif step == "remarriage":
            _rename(changing, _family_name(rng, pools))
        else:
            _move(rng, profile, pools, state, household)


def _steps(rng, profile, pools, people, kind, mother, followers) -> list[str]:
    """The family's events in the order they happen."""
    steps = []
    if mother is not None:
        married = kind == "couple"
        if married and rng.random() < profile.married_during:
            # Married during the records: before it, she and the children who follow her
            # were on her own name.
            maiden = _family_name(rng, pools)
            for person in people:
                if person is mother or id(person) in followers:
                    person.family = maiden
            steps.append("marriage")
        elif not married and rng.random() < profile.marriage:
            steps.append("marriage")
        if (married or steps) and rng.random() < profile.divorce:
            steps.append("divorce")
            if rng.random() < profile.remarriage:
                steps.append("remarriage")
    if rng.random() < profile.move:
        steps.insert(rng.randint(0, len(steps)), "move")
        if rng.random() < profile.second_move:
            steps.insert(rng.randint(0, len(steps)), "move")
    return steps


def _rename(people: list[Person], name: tuple[str, str]) -> None:
    for person in people:
        person.families[-1] = name


def _move(rng, profile, pools, state, household: list[Person]) -> None:
    new_home = _home(rng, profile, pools, state)
    changed = {}
    for person in household:
        old = person.phones[-1]
        if not old or old in changed:
            continue
        if len(old) == 10:  # a landline belongs to the home: a new one with the new home
            changed[old] = _landline(rng, pools)
        elif person.role == "child":
            # A parent's mobile: changed with the parent's, or not at all when the parent
            # does not move (a father who left).
            continue
        else:
            changed[old] = _mobile(rng) if rng.random() < profile.phone_change_on_move else old
    for person in household:
        person.homes[-1] = new_home
        person.phones[-1] = changed.get(person.phones[-1], person.phones[-1])


def _family(rng: random.Random, profile: Profile, pools: Pools, state: _State) -> list[Person]:
    namesake = _namesake_of(rng, profile, state)
    family = namesake.family if namesake else _family_name(rng, pools)
    home = _home(rng, profile, pools, state)
    births = _children_births(rng, profile)
    guardians, kind, mother_birth = _guardians(
        rng, profile, pools, state, family, births[0][0], home
    )
    first = rng.random() < profile.family_phone_first_guardian
    phone = guardians[0].phone if first else guardians[-1].phone
    if profile.landline and rng.random() < profile.landline:
        phone = _landline(rng, pools)
    people = guardians + _children(rng, profile, pools, state, family, births, home, phone)
    if profile.other_adult and rng.random() < profile.other_adult:
        people.append(_other_adult(rng, profile, pools, state, family, mother_birth, home))
    if namesake:
        _make_namesake(rng, profile, namesake, people)
    if profile.phone_unknown:
        for person in people:
            if rng.random() < profile.phone_unknown:
                person.phone = ""
    family_id = state.family_id()
    for person in people:
        person.family_id = family_id
    if profile.timeline == "one turn":
        _one_turn(rng, profile, pools, state, people)
    else:
        _sequence(rng, profile, pools, state, people, kind)
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


def _ocr_slip(rng: random.Random, text: str) -> str:
    """One OCR misreading: a voicing mark read apart (ガ → カ゛), a look-alike shape (ロ → 口,
    カ → 力, ー → −, 0 → O, 1 → l), or, when nothing looks alike, a character not read at all."""
    spots = [
        i
        for i, char in enumerate(text)
        if char in _OCR_LOOKALIKES or unicodedata.normalize("NFD", char)[-1] in _DETACHED_MARK
    ]
    if spots:
        i = rng.choice(spots)
        char = text[i]
        if char in _OCR_LOOKALIKES:
            misread = rng.choice(_OCR_LOOKALIKES[char])
        else:
            base, mark = unicodedata.normalize("NFD", char)
            misread = base + _DETACHED_MARK[mark]
        return text[:i] + misread + text[i + 1 :]
    if len(text) >= 3:
        i = rng.randrange(len(text))
        return text[:i] + text[i + 1 :]
    return text


def _ocr(rng: random.Random, source: Source, text: str) -> str:
    if source.ocr_slip and text and rng.random() < source.ocr_slip:
        return _ocr_slip(rng, text)
    return text


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
    return _ocr(rng, source, kanji)


def _write_kana(rng: random.Random, source: Source, kana: str, script: str) -> str:
    if rng.random() < source.kana_slip:
        kana = _kana_slip(rng, kana)
    if script == "hiragana":
        kana = hiragana(kana)
    elif script == "halfwidth":
        kana = halfwidth(kana)
    if rng.random() < source.space:
        kana = _space(rng, kana)
    return _ocr(rng, source, kana)


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


def wareki(date: dt.date, short: bool = False, month_only: bool = False) -> str:
    """A date in the Japanese era calendar: 平成27年4月1日 (元年 for the first year), or
    short, H27.4.1."""
    start, era, initial = next(era for era in _ERAS if date >= era[0])
    year = date.year - start.year + 1
    if short:
        return f"{initial}{year}.{date.month}" + ("" if month_only else f".{date.day}")
    written = "元" if year == 1 else str(year)
    return f"{era}{written}年{date.month}月" + ("" if month_only else f"{date.day}日")


def _format_date(style: str, date: dt.date, month_only: bool) -> str:
    if style == "slash":
        return f"{date.year}/{date.month}" + ("" if month_only else f"/{date.day}")
    if style == "kanji":
        return f"{date.year}年{date.month}月" + ("" if month_only else f"{date.day}日")
    if style in ("wareki", "wareki_short"):
        return wareki(date, short=style == "wareki_short", month_only=month_only)
    iso = f"{date.year:04d}-{date.month:02d}" if month_only else date.isoformat()
    return iso.translate(_FULLWIDTH_DIGITS) if style == "fullwidth" else iso


def _birth_date(rng: random.Random, source: Source, birth: int) -> str:
    date = dt.date.fromordinal(birth)
    roll = rng.random()
    if roll < source.date_missing:
        return ""
    roll -= source.date_missing
    month_only = roll < source.month_only
    if not month_only:
        roll -= source.month_only
        if roll < source.digit_off:
            date = _digit_off(rng, date)
        elif roll < source.digit_off + source.day_month_swap and date.day <= 12:
            date = date.replace(month=date.day, day=date.month)
    style = "iso"
    if source.date_styles:
        style = rng.choices(DATE_STYLES[: len(source.date_styles)], source.date_styles)[0]
    return _ocr(rng, source, _format_date(style, date, month_only))


def _phone(rng: random.Random, source: Source, phone: str) -> str:
    style = PHONE_STYLES[rng.choices(range(len(source.phone_style)), source.phone_style)[0]]
    if not phone or style == "none":
        return ""
    if style == "digits":
        return _ocr(rng, source, phone)
    # A mobile is 090-1234-5678, a landline with a three-digit area code 045-123-4567.
    cut = 7 if len(phone) == 11 else 6
    area, local, line = phone[:3], phone[3:cut], phone[cut:]
    if style == "international":
        written = f"+81 {area[1:]}-{local}-{line}"
    elif style == "parentheses":
        written = f"({area}){local}-{line}" if cut == 6 else f"{area}({local}){line}"
    else:
        written = f"{area}-{local}-{line}"
        if style == "fullwidth":
            written = written.translate(_FULLWIDTH_DIGITS)
    return _ocr(rng, source, written)


def _kanji_number(number: int) -> str:
    """1–99 in kanji numerals as addresses write them: 三, 十二, 二十五."""
    tens, ones = divmod(number, 10)
    written = ("" if tens < 2 else _KANJI_DIGITS[tens]) + ("十" if tens else "")
    return written + (_KANJI_DIGITS[ones] if ones else "")


def _block(style: str, home: Home) -> str:
    chome, ban, go = home.chome, home.ban, home.go
    if style == "hyphen":
        return f"{chome}-{ban}-{go}"
    if style == "mixed":
        return f"{chome}丁目{ban}-{go}"
    if style == "kanji":
        return f"{_kanji_number(chome)}丁目{_kanji_number(ban)}番{_kanji_number(go)}号"
    if style == "banchi_no":
        return f"{chome}丁目{ban}番地の{go}"
    return f"{chome}丁目{ban}番{go}号"


def _address(rng, source: Source, profile: Profile, pools: Pools, home: Home) -> tuple[str, str]:
    if rng.random() < source.address_missing:
        return "", ""
    town = pools.towns[home.town]
    written = home.building and rng.random() < profile.building_written
    building = f" {home.building}" if written else ""
    style = source.address_style
    official = style in ("official", "provider")
    if source.block_styles:
        block_style = rng.choices(BLOCK_STYLES[: len(source.block_styles)], source.block_styles)
        block = _block(block_style[0], home)
    else:
        block = _block("banchi" if official else "hyphen", home)
    if official:
        prefix = pools.prefecture + pools.city if style == "official" else pools.city
        address = f"{prefix}{town}{block}{building.replace(' ', '') + '号室' if building else ''}"
    else:
        address = f"{pools.city if style == 'short' else ''}{town}{block}{building}"
    if source.dash_lookalike and rng.random() < source.dash_lookalike:
        address = address.replace("-", rng.choice(_DASHES))
    if source.address_fullwidth and rng.random() < source.address_fullwidth:
        address = address.translate(_FULLWIDTH_DIGITS)
    address = _ocr(rng, source, address)
    postal = pools.postal[home.town]
    if rng.random() < source.postal_missing:
        postal = ""
    elif rng.random() < profile.postal_hyphen:
        postal = f"{postal[:3]}-{postal[3:]}"
    return postal, address


def _sources_for(rng: random.Random, profile: Profile, role: str, count: int) -> list[Source]:
    weights = dict(profile.source_weights[role])
    chosen = []
    for _ in range(count):
        name = rng.choices(list(weights), weights=list(weights.values()))[0]
        chosen.append(profile.sources[name])
        del weights[name]
    return chosen


def _record_periods(rng: random.Random, profile: Profile, person: Person, count: int):
    """The period each of the person's records is from, in the order of its sources."""
    if profile.timeline == "one turn":
        # The record from which on a life event shows; records before it are from before.
        turn = rng.randint(1, count) if count > 1 else rng.randint(0, 1)
        return [int(index >= turn) for index in range(count)]
    last = len(person.families) - 1
    if not last:
        return [0] * count
    return sorted(rng.randint(0, last) for _ in range(count))


def _surname_indexes(person: Person) -> list[int]:
    first_use: dict[tuple[str, str], int] = {}
    return [first_use.setdefault(name, len(first_use)) for name in person.families]


def _records(rng: random.Random, profile: Profile, pools: Pools, person: Person):
    counts = profile.record_counts[person.role]
    count = rng.choices(range(1, len(counts) + 1), cum_weights=_cumulative_shares(counts))[0]
    periods = _record_periods(rng, profile, person, count)
    surname_index = _surname_indexes(person)
    records = []
    for index, source in enumerate(_sources_for(rng, profile, person.role, count)):
        period = periods[index]
        family = person.families[period]
        home = person.homes[period]
        if home is not person.homes[0] and rng.random() < source.stale_address:
            # Not updated since the move before: the last home before this one.
            home = next(h for h in reversed(person.homes[:period]) if h is not home)
        postal, address = _address(rng, source, profile, pools, home)
        sex = "" if rng.random() < source.sex_missing else person.sex
        records.append(
            [
                *_names(rng, source, family, person.given),
                _birth_date(rng, source, person.birth),
                sex,
                postal,
                address,
                _phone(rng, source, person.phones[period]),
                f"P{person.pid:08d}",
                person.role,
                f"F{person.family_id:07d}",
                person.given[1],
                family[1],
                dt.date.fromordinal(person.birth).isoformat(),
                f"H{home.hid:08d}",
                str(surname_index[period]),
                str(period),
            ]
        )
    return records


def profile_named(profile: "str | Profile") -> Profile:
    return PROFILES[profile] if isinstance(profile, str) else profile


def generate(n_records: int, seed: int = 1, profile: "str | Profile" = "tune") -> pd.DataFrame:
    """``n_records`` source records of synthetic families, shuffled, every field a string:
    the INPUT_COLUMNS and, beside them, the TRUTH_COLUMNS."""
    profile = profile_named(profile)
    rng = random.Random(seed)  # noqa: S311 — reproducible test data, not secrets
    pools = _pools(rng)
    state = _State()
    rows: list[list[str]] = []
    while len(rows) < n_records:
        for person in _family(rng, profile, pools, state):
            rows.extend(_records(rng, profile, pools, person))
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
