"""The デジタル庁 自治体標準オープンデータセット CSV: the older 推奨データセット layout
(都道府県コード又は市区町村コード, NO, …, 住所, 方書, 緯度, 経度 …) and the newer one
(全国地方公共団体コード, ID, 地方公共団体名, 名称, 名称_カナ, … 緯度, 経度 …), with the column-name
variants municipalities use; Shift_JIS/CP932 or UTF-8 with or without BOM; written as UTF-8 with
BOM in the newer layout.
"""

import csv
import io
import re

from tsunagu.core.codes import normalise_municipality_code
from tsunagu.core.safe_cells import as_text_cell, from_text_cell

from .. import schedules
from ..models import Category
from . import addresses, jp_hours
from .records import (
    Record,
    category_codes,
    category_words,
    clean,
)

# Our key → the header names seen in municipal files (compared after NFKC, without spaces).
HEADERS = {
    "code": ["全国地方公共団体コード", "都道府県コード又は市区町村コード", "市区町村コード"],
    "id": ["ID", "NO", "No", "番号"],
    "municipality": ["地方公共団体名", "市区町村名"],
    "name": ["名称"],
    "name_kana": ["名称_カナ", "名称カナ", "名称(カナ)", "_名称(カナ)", "フリガナ"],
    "kind": ["種別"],
    "address": ["所在地_連結表記", "住所", "所在地"],
    "prefecture": ["所在地_都道府県"],
    "city": ["所在地_市区町村"],
    "town": ["所在地_町字"],
    "block": ["所在地_番地以下", "所在地_ー以下", "所在地_-以下"],
    "building": ["建物名等(方書)", "方書"],
    "latitude": ["緯度", "緯度(10進法)"],
    "longitude": ["経度", "経度(10進法)"],
    "phone": ["電話番号"],
    "email": ["連絡先メールアドレス", "メールアドレス"],
    "postal_code": ["郵便番号"],
    "organisation": ["団体名", "運営主体", "運営団体"],
    "ages": ["受入年齢", "対象年齢"],
    "fees": ["料金"],
    "weekdays": ["利用可能曜日", "開催曜日"],
    "opens": ["開始時間", "開催開始時間"],
    "closes": ["終了時間", "開催終了時間"],
    "schedule_note": ["利用可能日時特記事項", "利用可能時間特記事項", "開催日時特記事項"],
    "description": ["説明", "概要"],
    "url": ["URL", "ホームページ"],
    "accessibility": ["バリアフリー情報"],
    "capacity": ["収容定員", "定員"],
    "access": ["アクセス方法"],
}
# What we write: the newer layout's columns, with the 子育て施設一覧 ones we fill.
COLUMNS = [
    ("code", "全国地方公共団体コード"),
    ("id", "ID"),
    ("municipality", "地方公共団体名"),
    ("name", "名称"),
    ("name_kana", "名称_カナ"),
    ("kind", "種別"),
    ("address", "所在地_連結表記"),
    ("prefecture", "所在地_都道府県"),
    ("city", "所在地_市区町村"),
    ("town", "所在地_町字"),
    ("block", "所在地_番地以下"),
    ("building", "建物名等(方書)"),
    ("latitude", "緯度"),
    ("longitude", "経度"),
    ("phone", "電話番号"),
    ("email", "連絡先メールアドレス"),
    ("postal_code", "郵便番号"),
    ("organisation", "団体名"),
    ("ages", "受入年齢"),
    ("fees", "料金"),
    ("weekdays", "利用可能曜日"),
    ("opens", "開始時間"),
    ("closes", "終了時間"),
    ("schedule_note", "利用可能日時特記事項"),
    ("description", "説明"),
    ("url", "URL"),
]
# What the layout carries of an entry (the round trip keeps these).
CARRIED = {
    "service": [
        "name",
        "name_kana",
        "description",
        "minimum_age",
        "maximum_age",
        "is_free",
        "child_fee",
        "adult_fee",
        "phone",
        "email",
        "url",
    ],
    "location": [
        "name",
        "postal_code",
        "prefecture",
        "city",
        "town",
        "block",
        "building",
        "latitude",
        "longitude",
    ],
}


class LayoutError(ValueError):
    """The file is not a CSV of either layout (said in Japanese)."""


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LayoutError("文字コードを判別できません(UTF-8 または Shift_JIS の CSV にしてください)。")


def _header_key(name: str) -> str:
    return re.sub(r"\s+", "", clean(name)).lstrip("?\ufeff")


_LOOKUP = {_header_key(v): key for key, variants in HEADERS.items() for v in variants}


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    for index, name in enumerate(header):
        key = _LOOKUP.get(_header_key(name))
        if key and key not in found:
            found[key] = index
    if "name" not in found or not ({"address", "town", "latitude"} & found.keys()):
        raise LayoutError(
            "自治体標準オープンデータセットの列が見つかりません(「名称」と「住所」または"
            "「所在地_連結表記」「緯度」などの列が必要です)。"
        )
    return found


def _rows(text: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text))
    try:
        return list(reader)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise LayoutError(
                f"{reader.line_num}行目に {csv.field_size_limit():,} 文字を超えるセルがあります"
                "(CSV として読めません)。"
            ) from error
        raise LayoutError(f"{reader.line_num}行目が CSV として読めません({error})。") from error


def read(data: bytes) -> list[Record]:
    rows = _rows(decode(data))
    if not rows:
        raise LayoutError("空のファイルです。")
    columns = _columns(rows[0])
    words = category_words()
    records, seen = [], {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # the templates' rows of bare commas
        cells = {key: _cell(key, row[i]) if i < len(row) else "" for key, i in columns.items()}
        record = _record(number, cells, rows[0], columns, words)
        key = (record.source, record.service_id)
        if key in seen:
            record.error(
                _name(rows[0], columns, "id"), record.service_id, f"{seen[key]}行目と同じIDです"
            )
        seen.setdefault(key, number)
        records.append(record)
    return records


# Cells that are codes, numbers or addresses: compared after NFKC. Every other cell is text a
# person reads, stored as written (㈱ and ① stay; only keys and search fields normalise).
KEYED = frozenset(
    {"code", "id", "latitude", "longitude", "email", "url", "capacity", "postal_code"}
)


def _cell(key: str, text: str) -> str:
    text = from_text_cell(text)
    return clean(text) if key in KEYED else text.strip()


def _name(header, columns, key) -> str:
    return header[columns[key]] if key in columns else HEADERS[key][0]


def _record(number: int, cells: dict, header, columns, words: dict) -> Record:
    code = cells.get("code", "")
    external = cells.get("id") or f"{cells.get('name', '')}@{cells.get('address', '')}"
    record = Record(
        row=number,
        source=f"jp-opendata:{code}" if code else "jp-opendata",
        service_id=external,
        location_id=external,
        organisation=cells.get("organisation") or cells.get("name", ""),
    )
    column = lambda key: _name(header, columns, key)  # noqa: E731 - a short local helper
    if code:
        try:
            normalise_municipality_code(code)
        except Exception as error:
            record.error(column("code"), code, " ".join(getattr(error, "messages", [str(error)])))
    if not cells.get("name"):
        record.error(column("name"), "", "名称は必須です")
    record.service = _service(cells)
    record.service["url"], record.service["email"] = record.web_and_mail(
        column("url"), cells.get("url", ""), column("email"), cells.get("email", "")
    )
    record.location = _location(record, cells, column)
    record.categories = category_codes(cells.get("kind", ""), words)
    record.kind_text = cells.get("kind", "")
    record.schedules = _schedules(cells)
    return record


def _service(cells: dict) -> dict:
    service = {
        "name": cells.get("name", ""),
        "name_kana": cells.get("name_kana", ""),
        "description": cells.get("description", ""),
        "phone": cells.get("phone", ""),
    }
    service.update(_ages(cells.get("ages", "")))
    service.update(_fees(cells.get("fees", "")))
    capacity = cells.get("capacity", "")
    if capacity.isdecimal() and len(capacity) <= 9:  # what int() reads (「²」 is a digit)
        service["capacity"] = int(capacity)
    return service


def _location(record: Record, cells: dict, column) -> dict:
    location = {"name": cells.get("name", ""), "postal_code": cells.get("postal_code", "")}
    if cells.get("town") or cells.get("city"):
        for key in ("prefecture", "city", "town", "block"):
            location[key] = cells.get(key, "")
    else:
        parts = addresses.split(cells.get("address", ""), own=cells.get("municipality", ""))
        location.update(
            prefecture=parts.prefecture, city=parts.city, town=parts.town, block=parts.block
        )
        if parts.uncertain:
            record.warn(
                column("address"),
                cells.get("address", ""),
                f"市区町村と町字の分け方を確かめてください({parts.uncertain})",
            )
    location["building"] = cells.get("building", "")
    location["transportation"] = cells.get("access", "")
    location["accessibility"] = cells.get("accessibility", "")
    latitude = _number(record, column("latitude"), cells.get("latitude", ""))
    longitude = _number(record, column("longitude"), cells.get("longitude", ""))
    location["latitude"], location["longitude"] = record.checked_point(
        f"{column('latitude')}・{column('longitude')}", latitude, longitude
    )
    return location


def _number(record: Record, column: str, text: str) -> float | None:
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        record.error(column, text, "10進数で入力してください(例: 35.0667)")
        return None


_AGE_PATTERNS = [
    # At most three digits: an age, and a number int() reads (not 5,000 digits).
    (
        re.compile(r"(\d{1,3})歳?[~〜から]+(\d{1,3})歳(?:まで|以下)?"),
        ("minimum_age", "maximum_age"),
    ),
    (re.compile(r"(\d{1,3})歳(?:から|以上|[~〜])"), ("minimum_age",)),
    (re.compile(r"(\d{1,3})歳(?:まで|以下)"), ("maximum_age",)),
    (re.compile(r"\d+[ヶかカケ]月(?:から|以上|[~〜])"), ()),
]


def _ages(text: str) -> dict:
    """Ages of a simple 受入年齢 (「3歳から」「6歳〜12歳」); anything else is kept as words."""
    for pattern, fields in _AGE_PATTERNS:
        match = pattern.fullmatch(clean(text))
        if match:
            found = {name: int(value) for name, value in zip(fields, match.groups(), strict=True)}
            if not fields:
                found["minimum_age"] = 0  # from some months old
            low, high = found.get("minimum_age"), found.get("maximum_age")
            if low is None or high is None or low <= high:
                return found
    return {"eligibility_description": text} if text else {}


_CHILD = (
    r"こども|子ども|子供|児童|小学生以下|小学生|中学生以下|中学生|中高生|高校生以下|高校生"
    r"|18歳以下|未就学児|幼児"
)
_ADULT = r"おとな|大人|保護者|一般|成人"
_FEE = re.compile(rf"({_CHILD}|{_ADULT})(?:は|:)?\s*(無料|\d[\d,]{{0,14}}\s*円)")


def _fees(text: str) -> dict:
    """The child's and the adult's price (「こども無料・おとな300円」 → 0 and 300); 「無料」 alone
    is free for everyone. The publisher's words are kept whenever they say more than that."""
    if not text:
        return {}
    words = clean(text)
    if words in ("無料", "無償", "0円"):
        return {"is_free": True}
    found: dict = {}
    for who, amount in _FEE.findall(words):
        key = "adult_fee" if re.fullmatch(_ADULT, who) else "child_fee"
        price = 0 if amount == "無料" else int(re.sub(r"[^\d]", "", amount))
        found[key] = min(price, found.get(key, price))  # the lowest a child pays
    if _fees_text(found) != text:
        found["fees_description"] = text[:300]
    return found


def _schedules(cells: dict) -> list[dict]:
    return jp_hours.read(
        cells.get("weekdays", ""),
        cells.get("opens", ""),
        cells.get("closes", ""),
        cells.get("schedule_note", ""),
    )


# --- writing ----------------------------------------------------------------------------


def write(records: list[Record], municipality) -> bytes:
    """The newer layout; a text cell a spreadsheet could run as a formula (「=…」「-…」) is
    written behind a single quote, which read() takes off again (tsunagu.core.safe_cells)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for _, name in COLUMNS])
    names = dict(Category.objects.values_list("code", "name"))
    for record in records:
        cells = _cells(record, municipality, names)
        writer.writerow([as_text_cell(cells.get(key, "")) for key, _ in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def _cells(record: Record, municipality, category_names: dict) -> dict:
    service, location = record.service, record.location
    cells = {
        "code": municipality.code,
        "id": record.location_id,
        "municipality": municipality.name,
        "name": service["name"],
        "name_kana": service["name_kana"],
        "kind": "・".join(category_names[c] for c in record.categories if c in category_names),
        "address": "".join(location[k] for k in ("prefecture", "city", "town", "block")),
        "organisation": record.organisation,
        "ages": _ages_text(service),
        "fees": _fees_text(service),
        "description": service["description"],
        "phone": service["phone"],
        "email": service["email"],
        "url": service["url"],
        **{
            k: location[k]
            for k in ("prefecture", "city", "town", "block", "building", "postal_code")
        },
        "latitude": "" if location["latitude"] is None else location["latitude"],
        "longitude": "" if location["longitude"] is None else location["longitude"],
    }
    cells.update(_schedule_cells(record.schedules))
    return cells


def _ages_text(service: dict) -> str:
    low, high = service.get("minimum_age"), service.get("maximum_age")
    if low is not None and high is not None:
        return f"{low}歳〜{high}歳"
    if low is not None:
        return f"{low}歳から"
    return f"{high}歳まで" if high is not None else ""


def _fees_text(service: dict) -> str:
    if service.get("fees_description"):
        return service["fees_description"]
    if service.get("is_free"):
        return "無料"
    parts = [
        f"{who} {service[key]}円"
        for who, key in (("こども", "child_fee"), ("おとな", "adult_fee"))
        if service.get(key) is not None
    ]
    return "、".join(parts)


def _schedule_cells(rows: list[dict]) -> dict:
    """One plain weekly schedule goes in 利用可能曜日/開始時間/終了時間; every other one is
    written in words in 利用可能日時特記事項 (which the reader parses back)."""
    views = [schedules.View(r) for r in rows]
    plain = [
        v
        for v in views
        if v.kind == "weekly"
        and v.interval == 1
        and not any(getattr(v, f) for f in PLAIN_EXCEPT)
        and schedules.rule(v) is not None
    ]
    cells = {}
    rest = views
    if len(plain) == 1:
        weekly = plain[0]
        cells["weekdays"] = "".join(
            schedules.WEEKDAY_NAMES[c] for c in schedules.weekdays_of(weekly)
        )
        cells["opens"] = f"{weekly.opens_at:%H:%M}" if weekly.opens_at else ""
        cells["closes"] = _closing_text(weekly) if weekly.closes_at is not None else ""
        rest = [v for v in views if v is not weekly]
    cells["schedule_note"] = " / ".join(map(_words, rest))
    return cells


def _words(schedule) -> str:
    """A schedule in words; one known only by the publisher's words, in those words."""
    if schedule.kind == "irregular" and schedule.description:
        return schedule.description
    return schedules.describe(schedule)


# A weekly rule with any of these is written in words, not in the three plain columns.
PLAIN_EXCEPT = (
    "note",
    "description",
    "valid_from",
    "valid_to",
    "bymonthday",
    "byweekno",
    "byyearday",
    "dtstart",
    "until",
    "count",
)


def _closing_text(weekly) -> str:
    """終了時間 as timetables write it: past midnight as 24:00 and later (2:00 → 26:00)."""
    if schedules.past_midnight(weekly.opens_at, weekly.closes_at):
        return f"{weekly.closes_at.hour + 24}:{weekly.closes_at:%M}"
    return f"{weekly.closes_at:%H:%M}"
