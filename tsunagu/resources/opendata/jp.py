"""The デジタル庁 自治体標準オープンデータセット CSV: the older 推奨データセット layout
(都道府県コード又は市区町村コード, NO, …, 住所, 方書, 緯度, 経度 …) and the newer one
(全国地方公共団体コード, ID, 地方公共団体名, 名称, 名称_カナ, … 緯度, 経度 …), with the column-name
variants municipalities use; Shift_JIS/CP932 or UTF-8 with or without BOM; written as UTF-8 with
BOM in the newer layout.
"""

import csv
import io
import re
from datetime import time

from tsunagu.core.codes import normalise_municipality_code
from tsunagu.core.safe_cells import as_text_cell, from_text_cell

from .. import schedules
from ..models import Category
from .records import (
    Record,
    ScheduleView,
    category_codes,
    category_words,
    clean,
    split_address,
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
DAY_CHARACTERS = dict(zip("月火水木金土日", schedules.WEEKDAYS, strict=True))


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
        cells = {
            key: clean(from_text_cell(row[i])) if i < len(row) else "" for key, i in columns.items()
        }
        record = _record(number, cells, rows[0], columns, words)
        key = (record.source, record.service_id)
        if key in seen:
            record.error(
                _name(rows[0], columns, "id"), record.service_id, f"{seen[key]}行目と同じIDです"
            )
        seen.setdefault(key, number)
        records.append(record)
    return records


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
    record.location = _location(record, cells, column)
    record.categories = category_codes(cells.get("kind", ""), words)
    record.schedules = _schedules(cells)
    return record


def _service(cells: dict) -> dict:
    service = {
        "name": cells.get("name", ""),
        "name_kana": cells.get("name_kana", ""),
        "description": cells.get("description", ""),
        "phone": cells.get("phone", ""),
        "email": cells.get("email", ""),
        "url": _web_address(cells.get("url", "")),
    }
    service.update(_ages(cells.get("ages", "")))
    service.update(_fees(cells.get("fees", "")))
    capacity = cells.get("capacity", "")
    if capacity.isdecimal() and len(capacity) <= 9:  # what int() reads (「²」 is a digit)
        service["capacity"] = int(capacity)
    return service


def _web_address(text: str) -> str:
    """A bare domain (「example.jp/page」) as an https address, as the forms take it."""
    if text and re.fullmatch(r"[\w-]+(\.[\w-]+)+(/\S*)?", text):
        return f"https://{text}"
    return text


def _location(record: Record, cells: dict, column) -> dict:
    location = {"name": cells.get("name", ""), "postal_code": cells.get("postal_code", "")}
    if cells.get("town") or cells.get("city"):
        for key in ("prefecture", "city", "town", "block"):
            location[key] = cells.get(key, "").replace("ｰ", "-")
    else:
        location.update(split_address(cells.get("address", "")))
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
        match = pattern.fullmatch(text)
        if match:
            found = {name: int(value) for name, value in zip(fields, match.groups(), strict=True)}
            if not fields:
                found["minimum_age"] = 0  # from some months old
            low, high = found.get("minimum_age"), found.get("maximum_age")
            if low is None or high is None or low <= high:
                return found
    return {"eligibility_description": text} if text else {}


_FEE = re.compile(r"(こども|子ども|子供|おとな|大人)\s*(\d[\d,]{0,14})\s*円")


def _fees(text: str) -> dict:
    if not text:
        return {}
    if text == "無料":
        return {"is_free": True}
    found = {}
    for who, amount in _FEE.findall(text):
        key = "adult_fee" if who in ("おとな", "大人") else "child_fee"
        found[key] = int(amount.replace(",", ""))
    return found or {"fees_description": text}


def _weekday_codes(text: str) -> str | None:
    """MO,TU… for 「月火水」「月～金」「月・水・金曜日」「毎日」「平日」; None for free text."""
    text = text.replace("曜日", "").replace("曜", "")
    text = {"毎日": "月~日", "平日": "月~金"}.get(text, text)
    text = re.sub(r"[~〜～ー-]", "~", text)
    codes: list[str] = []
    for part in re.split(r"[・、,/\s]+", text):
        if re.fullmatch(r"[月火水木金土日]~[月火水木金土日]", part):
            first, last = (list(DAY_CHARACTERS).index(c) for c in part.split("~"))
            codes += list(schedules.WEEKDAYS[first : last + 1])
        elif part and all(c in DAY_CHARACTERS for c in part):
            codes += [DAY_CHARACTERS[c] for c in part]
        elif part:
            return None
    return ",".join(dict.fromkeys(codes))


def _time_of(text: str) -> time | None:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::\d{2})?", text)
    return time(int(match[1]), int(match[2])) if match and int(match[1]) < 24 else None


def _schedules(cells: dict) -> list[dict]:
    found, free_text = [], []
    days, opens, closes = cells.get("weekdays", ""), cells.get("opens", ""), cells.get("closes", "")
    codes = _weekday_codes(days) if days else None
    if codes:
        opens_at, closes_at = _time_of(opens), _time_of(closes)
        if (opens and opens_at is None) or (closes and closes_at is None):
            free_text.append(f"{days} {opens}〜{closes}")
        else:
            found.append(_weekly(codes, opens_at, closes_at))
    elif days or opens or closes:
        free_text.append(" ".join(x for x in (days, opens and f"{opens}〜{closes}") if x))
    for part in filter(None, (p.strip() for p in cells.get("schedule_note", "").split(" / "))):
        try:
            parsed = schedules.parse(part)
        except ValueError:  # the words of a schedule with a date or time that is none
            parsed = None
        if parsed:
            found.append(parsed)
        else:
            free_text.append(part)
    if free_text:
        found.append({"kind": "irregular", "note": " / ".join(free_text)[:200]})
    return found


def _weekly(codes: str, opens_at, closes_at) -> dict:
    return {"kind": "weekly", "weekdays": codes, "opens_at": opens_at, "closes_at": closes_at}


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
    plain = [
        r
        for r in rows
        if r["kind"] == "weekly" and not (r.get("note") or r.get("valid_from") or r.get("valid_to"))
    ]
    cells = {}
    rest = rows
    if len(plain) == 1:
        weekly = plain[0]
        cells["weekdays"] = "".join(
            dict(zip(schedules.WEEKDAYS, "月火水木金土日", strict=True))[c]
            for c in schedules.codes(weekly["weekdays"])
        )
        cells["opens"] = f"{weekly['opens_at']:%H:%M}" if weekly.get("opens_at") else ""
        cells["closes"] = f"{weekly['closes_at']:%H:%M}" if weekly.get("closes_at") else ""
        rest = [r for r in rows if r is not weekly]
    cells["schedule_note"] = " / ".join(schedules.describe(ScheduleView(r)) for r in rest)
    return cells
