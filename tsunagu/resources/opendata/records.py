"""One directory entry in a neutral shape, between files and the database: what the readers
produce, the importer applies, and the writers take (a place: its service, location, schedules).
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import URLValidator, validate_email

from .. import geo, schedules
from ..models import OPERATOR_FIELDS, Category, Location, Schedule, Service, ServiceAtLocation

SERVICE_FIELDS = ("name", "name_kana", *OPERATOR_FIELDS)
LOCATION_FIELDS = (
    "name",
    "postal_code",
    "prefecture",
    "city",
    "town",
    "block",
    "building",
    "latitude",
    "longitude",
    "accessibility",
    "transportation",
)
SCHEDULE_FIELDS = schedules.FIELDS
# Kinds (種別) seen in municipal files, for the taxonomy; our own names and simple names too.
CATEGORY_WORDS = {
    "こども食堂": "eat",
    "子ども食堂": "eat",
    "子供食堂": "eat",
    "学習支援": "study",
    "自習室": "study",
    "児童館": "play",
    "遊び場": "play",
    "居場所": "rest",
    "子どもの居場所": "rest",
    "こどもの居場所": "rest",
    "フードパントリー": "food_pantry",
    "宅食": "meal_delivery",
    "子育て支援センター": "parenting_hub",
    "地域子育て支援拠点": "parenting_hub",
    "子育てひろば": "parenting_hub",
    "一時預かり": "temporary_care",
    "相談": "consultation",
    "相談窓口": "consultation",
}


@dataclass
class RowError:
    row: int
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        return f"{self.row}行目「{self.column}」: 「{self.value}」— {self.expected}"


@dataclass
class Record:
    """One place of one service, as read from a file (``row``: where, for messages)."""

    row: int
    source: str
    service_id: str
    location_id: str
    organisation: str
    service: dict = field(default_factory=dict)
    location: dict = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)
    schedules: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Open-data identifiers (UUID text) of the service, location and organisation, when known.
    uids: dict[str, str] = field(default_factory=dict)
    # The file's own word for the kind of place (種別), for a category the editor maps it to.
    kind_text: str = ""

    def in_dataset(self, dataset: str) -> None:
        """Key the entry by the publisher's dataset too (「jp-opendata:242993#こども食堂一覧」):
        an unrelated list whose row is also ID=1 replaces nothing of this one."""
        if dataset:
            self.source = f"{self.source}#{dataset}"[:100]

    def checked_point(self, column: str, latitude, longitude) -> tuple:
        """The point when it is one: a placeholder that is no place on Earth (latitude 100)
        is left out with a warning; a point outside Japan, or a swapped pair, is an error."""
        if latitude is None and longitude is None:
            return None, None
        problem = geo.point_problem(latitude, longitude)
        nowhere = (
            latitude is not None
            and longitude is not None
            and (abs(latitude) > 90 or abs(longitude) > 180)
        )
        if nowhere and "入れ替わって" not in problem:
            self.warnings.append(
                f"{self.row}行目「{column}」: 「{latitude}, {longitude}」は地球上の位置ではない"
                "ため、位置を取り込みませんでした(地図には出ません)。"
            )
            return None, None
        if problem:
            self.error(column, f"{latitude}, {longitude}", problem)
        return latitude, longitude

    def web_and_mail(self, url_column: str, url: str, mail_column: str, mail: str) -> tuple:
        """(web address, e-mail) as the entry can keep them: an e-mail written as the web site
        moves to e-mail; 「http//…」 and a bare domain are repaired; any other address that is
        none is dropped. Each change is a warning of the row, which is kept."""
        url, mail = url.strip(), mail.strip()
        if url and _is_mail(url.removeprefix("mailto:")):
            if not mail:
                mail = url.removeprefix("mailto:")
                self.warn(url_column, url, f"メールアドレスなので「{mail_column}」に移しました")
            else:
                self.warn(url_column, url, "メールアドレスなので取り込みませんでした")
            url = ""
        elif url:
            repaired = repaired_url(url)
            if not repaired:
                self.warn(url_column, url, "ウェブサイトのアドレスではないため取り込みませんでした")
            elif repaired != url:
                self.warn(url_column, url, f"「{repaired}」として取り込みました")
            url = repaired
        if mail and not _is_mail(mail):
            self.warn(mail_column, mail, "メールアドレスではないため取り込みませんでした")
            mail = ""
        return url, mail

    def warn(self, column: str, value, what: str) -> None:
        self.warnings.append(
            f"{self.row}行目「{visible(column)}」: 「{visible(str(value))}」— {what}"
        )

    def error(self, column: str, value, expected: str) -> None:
        self.errors.append(RowError(self.row, visible(str(column)), visible(str(value)), expected))

    def check_characters(self) -> None:
        """A control character in any text of the entry is an error of its row: NUL cannot be
        stored on PostgreSQL, and the others are no part of a name or an address. Tab, line
        feed and carriage return are kept in free text (説明, 備考 …)."""
        texts = [
            *((Service, k, v) for k, v in self.service.items()),
            *((Location, k, v) for k, v in self.location.items()),
            *((Schedule, k, v) for fields in self.schedules for k, v in fields.items()),
            ("運営主体", "", self.organisation),
            ("ID", "", self.service_id),
            ("ID", "", self.location_id),
            ("出典", "", self.source),
        ]
        reported = set()  # one cell is often several fields (名称 is also the place's name)
        for where, name, value in texts:
            refused = _CONTROL if name in FREE_TEXT else _CONTROL_OR_BREAK
            if isinstance(value, str) and value not in reported and refused.search(value):
                reported.add(value)
                self.error(
                    where if isinstance(where, str) else _label(where, name), value, CONTROL_MESSAGE
                )

    def content(self) -> dict:
        """What the entry says, without where it came from: equal contents mean no change."""
        return {
            "organisation": self.organisation,
            "service": {k: self.service.get(k, _EMPTY.get(k, "")) for k in SERVICE_FIELDS},
            "location": {k: self.location.get(k, _EMPTY.get(k, "")) for k in LOCATION_FIELDS},
            "categories": sorted(self.categories),
            "schedules": sorted(
                ({k: s.get(k, _EMPTY.get(k, "")) for k in SCHEDULE_FIELDS} for s in self.schedules),
                key=repr,
            ),
        }


_URL = URLValidator(schemes=["http", "https"])
_SCHEME_TYPO = re.compile(r"^(https?)(?::/|//|:|;//|：//)(?=[^/])", re.IGNORECASE)
_BARE_DOMAIN = re.compile(r"(?:[\w-]+\.)+[a-z]{2,}(?:[/?#]\S*)?", re.IGNORECASE)


def _is_mail(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


def repaired_url(text: str) -> str:
    """A web address as the forms take it: 「http//x.jp」 → http://x.jp, 「www.x.jp/a」 →
    https://www.x.jp/a; '' when the text is no web address (or longer than 200 characters)."""
    text = _SCHEME_TYPO.sub(lambda m: f"{m[1].lower()}://", text.strip())
    if _BARE_DOMAIN.fullmatch(text):
        text = f"https://{text}"
    try:
        _URL(text)
    except ValidationError:
        return ""
    return text if len(text) <= 200 else ""


# Control characters: never in an imported text; tab and line breaks only in free text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f]")
FREE_TEXT = frozenset(
    {
        "description",
        "eligibility_description",
        "fees_description",
        "accessibility",
        "transportation",
        "note",
    }
)
CONTROL_MESSAGE = "制御文字(NUL など)が含まれています。取り除いてください"


def visible(text: str) -> str:
    """A text with its control characters written out (\\x00), for messages and reports (a NUL
    cannot be kept in the report either)."""
    return _CONTROL_OR_BREAK.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


# What an absent value is in the database, per field (the rest are text: '').
_EMPTY = {
    **dict.fromkeys(
        (
            "minimum_age",
            "maximum_age",
            "child_fee",
            "adult_fee",
            "capacity",
            "latitude",
            "longitude",
            "date",
            "end_date",
            "opens_at",
            "closes_at",
            "valid_from",
            "valid_to",
            "dtstart",
            "until",
            "count",
            "timezone",
        )
    ),
    "interval": 1,
    "is_free": False,
    "meal_tickets": False,
    "status": Service.Status.ACTIVE,
    "admission": Service.Admission.ANYONE,
}


def record_of(place: ServiceAtLocation, row: int = 0) -> Record:
    """The record of a place in the database (for export, and to tell what an import changes)."""
    service, location = place.service, place.location
    return Record(
        row=row,
        source=service.source,
        service_id=service.external_id or str(service.pk),
        location_id=location.external_id or str(location.pk),
        organisation=service.organisation.name,
        service={k: getattr(service, k) for k in SERVICE_FIELDS},
        location={k: getattr(location, k) for k in LOCATION_FIELDS},
        categories=[c.code for c in service.categories.all()],
        schedules=[schedule_fields(s) for s in place.schedules.all()],
        uids={
            "service": str(service.uid),
            "location": str(location.uid),
            "organization": str(service.organisation.uid),
        },
    )


def schedule_fields(schedule: Schedule) -> dict:
    return {k: getattr(schedule, k) for k in SCHEDULE_FIELDS}


def category_words() -> dict[str, str]:
    """Every word that names one of our categories (names, simple names, municipal kinds)."""
    words = {}
    for category in Category.objects.all():
        words[category.name] = words[category.simple_name] = category.code
    return {**words, **CATEGORY_WORDS}


def category_codes(text: str, words: dict[str, str]) -> list[str]:
    """Our category codes named in a kind text (「こども食堂・学習支援」)."""
    found = []
    for part in re.split(r"[・、,/／\s]+", clean(text)):
        code = words.get(part)
        if code and code not in found:
            found.append(code)
    return found


def clean(value) -> str:
    """A cell as text: NFKC (full-width digits, colons and spaces), trimmed."""
    return unicodedata.normalize("NFKC", str(value or "")).strip()
