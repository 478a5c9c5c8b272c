"""Open Referral HSDS 3 JSON: full services (organization, service_at_locations with their
location and schedules), validated against the published schema (hsds-3.0.1/, CC BY-SA 4.0).

What HSDS has no field for (kana, school grades, who may come, meal tickets, our categories) is
written as attributes of taxonomy "tsunagu"; every schedule also carries its description in
words, which tsunagu reads back exactly, while other publishers' schedules are read from
freq/byday/opens_at.
"""

import json
import re
import uuid
from datetime import date, datetime, time, timedelta, timezone
from functools import cache, lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .. import schedules
from .records import Record, clean

SCHEMA_DIR = Path(__file__).resolve().parent / "hsds-3.0.1"
NAMESPACE = uuid.UUID("6f2c1c1e-8f3a-4f0e-9d8e-1b7a2f5d0c11")  # tsunagu's own uuid5 namespace
TAXONOMY = "tsunagu"
CATEGORY_TAXONOMY = "tsunagu-category"
EXTRA_FIELDS = {
    "name_kana": "名称(カナ)",
    "grade_from": "対象学年(から)",
    "grade_to": "対象学年(まで)",
    "admission": "利用できる人",
    "is_free": "無料",
    "meal_tickets": "食事券が使える",
    "capacity": "定員",
}


class HsdsError(ValueError):
    """The file is not HSDS 3 JSON (said in Japanese)."""


@cache
def _validator() -> Draft202012Validator:
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT202012))
        for path in SCHEMA_DIR.glob("*.json")
    ]
    schema = json.loads((SCHEMA_DIR / "service.json").read_text())
    return Draft202012Validator(
        schema,
        registry=Registry().with_resources(resources),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def problems(service: dict) -> list[str]:
    """Where a service object breaks the HSDS 3 schema ('path: message'); [] when valid."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(service)'}: {error.message}"
        for error in sorted(_validator().iter_errors(service), key=lambda e: list(e.path))
    ]


@lru_cache(maxsize=100_000)  # pure, and hashed for every part of every service listed
def _id(kind: str, key: str) -> str:
    try:
        return str(uuid.UUID(key))
    except ValueError:
        return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


# --- writing ----------------------------------------------------------------------------


def write(records: list[Record], municipality) -> bytes:
    return json.dumps(services_json(records, municipality), ensure_ascii=False, indent=1).encode(
        "utf-8"
    )


def services_json(records: list[Record], municipality) -> list[dict]:
    """Full HSDS services, one per service, each with all its places among ``records``."""
    from ..models import Category

    categories = {c.code: c for c in Category.objects.all()}
    services: dict[str, dict] = {}
    for record in records:
        key = record.uids.get("service") or _id(
            "service", f"{municipality.code}:{record.service_id}"
        )
        if key not in services:
            services[key] = _service(key, record, municipality, categories)
        services[key]["service_at_locations"].append(_place(key, record, municipality))
    return list(services.values())


def _service(key: str, record: Record, municipality, categories: dict) -> dict:
    s = record.service
    organisation = record.uids.get("organization") or _id(
        "organization", f"{municipality.code}:{record.organisation}"
    )
    found = {
        "id": key,
        "name": s["name"],
        "description": s["description"],
        "status": s["status"],
        "organization": {"id": organisation, "name": record.organisation, "description": ""},
        "phones": [{"id": _id("phone", key), "number": s["phone"]}] if s["phone"] else [],
        "contacts": (
            [{"id": _id("contact", key), "name": s["contact_name"]}] if s["contact_name"] else []
        ),
        "languages": [
            {"id": _id("language", f"{key}:{code}"), "code": code}
            for code in filter(None, (c.strip() for c in s["languages"].split(",")))
        ],
        "cost_options": [
            {
                "id": _id("cost", f"{key}:{who}"),
                "option": label,
                "amount": s[who],
                "currency": "JPY",
            }
            for who, label in (("child_fee", "こども"), ("adult_fee", "おとな"))
            if s[who] is not None
        ],
        "attributes": _attributes(key, record, categories),
        "service_at_locations": [],
    }
    for field_ in ("url", "email", "fees_description", "eligibility_description"):
        if s[field_]:
            found[field_] = s[field_]
    for field_ in ("minimum_age", "maximum_age"):
        if s[field_] is not None:
            found[field_] = s[field_]
    return found


def term_id(code: str) -> str:
    return _id("term", f"category:{code}")


def taxonomy_json() -> dict:
    return {
        "id": _id("taxonomy", CATEGORY_TAXONOMY),
        "name": "tsunagu 地域資源の分類",
        "description": "こども食堂・居場所などの地域資源の分類(たべる・べんきょう …)",
        "version": "1",
    }


def term_json(category) -> dict:
    return {
        "id": term_id(category.code),
        "code": category.code,
        "name": category.name,
        "description": category.description or category.simple_name,
        "taxonomy": CATEGORY_TAXONOMY,
        "taxonomy_id": taxonomy_json()["id"],
    }


def _attributes(key: str, record: Record, categories: dict) -> list[dict]:
    found = [
        {
            "id": _id("attribute", f"{key}:category:{code}"),
            "taxonomy_term": term_json(categories[code]),
            "value": "true",
        }
        for code in record.categories
        if code in categories
    ]
    for field_, label in EXTRA_FIELDS.items():
        value = record.service.get(field_)
        if value in (None, "", False):
            continue
        found.append(
            {
                "id": _id("attribute", f"{key}:{field_}"),
                "taxonomy_term": {
                    "id": _id("term", field_),
                    "code": field_,
                    "name": label,
                    "description": label,
                    "taxonomy": TAXONOMY,
                },
                "value": str(value).lower() if isinstance(value, bool) else str(value),
            }
        )
    return found


def _place(service_key: str, record: Record, municipality) -> dict:
    location = record.location
    location_key = record.uids.get("location") or _id(
        "location", f"{municipality.code}:{record.location_id}"
    )
    found = {
        "id": _id("service_at_location", f"{service_key}:{location_key}"),
        "location": {
            "id": location_key,
            "location_type": "physical",
            "name": location["name"],
            "addresses": [
                {
                    "id": _id("address", location_key),
                    "address_1": f"{location['town']} {location['block']}".strip(),
                    "address_2": location["building"],
                    "city": location["city"],
                    "state_province": location["prefecture"],
                    "postal_code": location["postal_code"],
                    "country": "JP",
                    "address_type": "physical",
                }
            ],
            "accessibility": (
                [
                    {
                        "id": _id("accessibility", location_key),
                        "description": location["accessibility"],
                    }
                ]
                if location["accessibility"]
                else []
            ),
        },
        "schedules": [_schedule(location_key, n, row) for n, row in enumerate(record.schedules)],
    }
    if location["transportation"]:
        found["location"]["transportation"] = location["transportation"]
    if location["latitude"] is not None:
        found["location"]["latitude"] = location["latitude"]
        found["location"]["longitude"] = location["longitude"]
    return found


# HSDS schedule fields that are ours as they are (text, or numbers).
PLAIN_SCHEDULE_FIELDS = ("byday", "bymonthday", "byweekno", "byyearday", "wkst", "count")
SCHEDULE_TEXT_FIELDS = ("schedule_link", "attending_type")
# Our kinds HSDS has no field for, carried as an attribute of the schedule.
KIND_CODE = "schedule_kind"


def _schedule(location_key: str, number: int, row: dict) -> dict:
    """One schedule as HSDS 3: the rule's fields as they are; an extra date or a closure as
    valid_from–valid_to with our kind as an attribute; the words in ``description`` (the
    publisher's own, else ours)."""
    view = schedules.View(row)
    key = _id("schedule", f"{location_key}:{number}")
    found = {"id": key, "description": view.description or schedules.describe(view)}
    if view.kind in schedules.RECURRING:
        found["freq"] = "WEEKLY" if view.kind == "weekly" else "MONTHLY"
        if view.interval != 1:
            found["interval"] = view.interval
    for field_ in PLAIN_SCHEDULE_FIELDS:
        if getattr(view, field_):
            found[field_] = getattr(view, field_)
    for field_ in ("dtstart", "until", "valid_from", "valid_to"):
        if getattr(view, field_):
            found[field_] = getattr(view, field_).isoformat()
    if view.kind in ("opening", "closed") and view.date:
        found["valid_from"] = view.date.isoformat()
        found["valid_to"] = (view.end_date or view.date).isoformat()
    if view.opens_at is not None:
        found["opens_at"] = f"{view.opens_at:%H:%M}"
    if view.closes_at is not None:
        # Midnight as the end of the day: 24:00 (ISO 8601), never read as a zero-length day.
        closing = f"{view.closes_at:%H:%M}"
        found["closes_at"] = "24:00" if closing == "00:00" else closing
    if view.timezone is not None:
        found["timezone"] = view.timezone
    if view.note:
        found["notes"] = view.note
    for field_ in SCHEDULE_TEXT_FIELDS:
        if getattr(view, field_):
            found[field_] = getattr(view, field_)
    if view.kind not in (*schedules.RECURRING, "irregular"):
        found["attributes"] = [_kind_attribute(key, view.kind)]
    return found


def _kind_attribute(key: str, kind: str) -> dict:
    return {
        "id": _id("attribute", f"{key}:kind"),
        "taxonomy_term": {
            "id": _id("term", KIND_CODE),
            "code": KIND_CODE,
            "name": "日程の種類",
            "description": "臨時の開催日(opening)・休み(closed)・祝日は休み(holidays)・"
            "年末年始は休み(year_end)",
            "taxonomy": TAXONOMY,
        },
        "value": kind,
    }


# --- reading ----------------------------------------------------------------------------


# HSDS nests a service about eight deep; a file far deeper is no directory (and would exhaust
# the stack of the JSON parser and of the schema's validator).
MAX_DEPTH = 64


def _depth(value) -> int:
    """How deep ``value`` nests (iteratively: the file may nest far deeper than the stack)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                break
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return deepest


def read(data: bytes) -> list[Record]:
    try:
        return _read(data)
    except RecursionError as error:  # a nesting the depth check did not see in time
        raise HsdsError(_too_deep()) from error


def _too_deep() -> str:
    return f"JSON の入れ子が深すぎます({MAX_DEPTH}段まで)。HSDS のファイルではありません。"


def _read(data: bytes) -> list[Record]:
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise HsdsError(f"JSON として読めません: {error}") from error
    except RecursionError as error:
        raise HsdsError(_too_deep()) from error
    if _depth(parsed) > MAX_DEPTH:
        raise HsdsError(_too_deep())
    if isinstance(parsed, dict) and "contents" in parsed:
        parsed = parsed["contents"]  # an API page
    services = parsed if isinstance(parsed, list) else [parsed]
    records = []
    for number, service in enumerate(services, start=1):
        if not isinstance(service, dict):
            raise HsdsError(f"{number}件目: サービスのオブジェクトではありません。")
        records += _records(number, service)
    return records


def _records(number: int, service: dict) -> list[Record]:
    found_problems = problems(service)
    places = service.get("service_at_locations") or [{"location": None, "schedules": []}]
    records = []
    for place in places if isinstance(places, list) else [{}]:
        try:
            record = _record(number, service, place)
        except (AttributeError, TypeError, ValueError, OverflowError) as error:
            # A value of the wrong type (a text for a number, a list for an object): the row
            # is in error, with the schema's messages when it has any.
            record = Record(
                row=number, source="hsds", service_id="", location_id="", organisation=""
            )
            if not found_problems:
                record.error("HSDS", service.get("id", ""), f"読み取れない値があります: {error}")
        for problem in found_problems:
            record.error("HSDS", service.get("id", ""), f"スキーマに合いません: {problem}")
        records.append(record)
    return records


def _attribute_values(service: dict) -> tuple[list[str], dict]:
    categories, extras = [], {}
    for attribute in service.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {}
        if term.get("taxonomy") == CATEGORY_TAXONOMY:
            categories.append(term.get("code", ""))
        elif term.get("taxonomy") == TAXONOMY and term.get("code") in EXTRA_FIELDS:
            extras[term["code"]] = attribute.get("value", "")
    return categories, extras


def _record(number: int, service: dict, place: dict) -> Record:
    location = place.get("location") or {}
    categories, extras = _attribute_values(service)
    record = Record(
        row=number,
        source="hsds",
        service_id=str(service.get("id", "")),
        location_id=str(location.get("id") or service.get("id", "")),
        organisation=clean((service.get("organization") or {}).get("name", "")),
        categories=categories,
        uids={
            "service": _uuid_or_empty(service.get("id")),
            "location": _uuid_or_empty(location.get("id")),
        },
    )
    costs = {c.get("option"): c.get("amount") for c in service.get("cost_options") or []}
    phones = service.get("phones") or []
    contacts = service.get("contacts") or []
    record.service = {
        "name": clean(service.get("name")),
        "description": service.get("description") or "",
        "status": service.get("status") or "active",
        "url": service.get("url") or "",
        "email": service.get("email") or "",
        "fees_description": service.get("fees_description") or "",
        "eligibility_description": service.get("eligibility_description") or "",
        "minimum_age": _whole(service.get("minimum_age")),
        "maximum_age": _whole(service.get("maximum_age")),
        "phone": phones[0].get("number", "") if phones else "",
        "contact_name": (contacts[0].get("name") or "") if contacts else "",
        "languages": ",".join(
            language.get("code") or "" for language in service.get("languages") or []
        ).strip(","),
        "child_fee": _whole(costs.get("こども")),
        "adult_fee": _whole(costs.get("おとな")),
        "name_kana": extras.get("name_kana", ""),
        "grade_from": extras.get("grade_from", ""),
        "grade_to": extras.get("grade_to", ""),
        "admission": extras.get("admission") or "anyone",
        "is_free": extras.get("is_free") == "true",
        "meal_tickets": extras.get("meal_tickets") == "true",
        "capacity": _whole(extras.get("capacity")),
    }
    record.location = _location(location, record.service["name"])
    record.location["latitude"], record.location["longitude"] = record.checked_point(
        "location/latitude・longitude",
        _number(location.get("latitude")),
        _number(location.get("longitude")),
    )
    record.schedules = [
        _schedule_fields(s, record.warnings, f"{number}件目 schedules[{n}]")
        for n, s in enumerate(place.get("schedules") or [])
    ]
    return record


def _uuid_or_empty(value) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return ""


def _number(value) -> float | None:
    return None if value in (None, "") else float(value)


def _whole(value):
    if value in (None, ""):
        return None
    return int(float(value))


def _location(location: dict, fallback_name: str) -> dict:
    addresses = location.get("addresses") or [{}]
    address = addresses[0]
    town, _, block = (address.get("address_1") or "").partition(" ")
    accessibility = location.get("accessibility") or []
    return {
        "name": location.get("name") or fallback_name,
        "postal_code": address.get("postal_code") or "",
        "prefecture": address.get("state_province") or "",
        "city": address.get("city") or "",
        "town": town,
        "block": block,
        "building": address.get("address_2") or "",
        "latitude": location.get("latitude"),
        "longitude": location.get("longitude"),
        "accessibility": (accessibility[0].get("description") or "") if accessibility else "",
        "transportation": location.get("transportation") or "",
    }


_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
JST = timezone(timedelta(hours=9))


def _clock(text) -> time | None:
    """An HSDS time (HH:MM, with seconds and a UTC offset or Z) in Japan's time; 24:00 is the
    end of the day (midnight). Raises ValueError when it is no time."""
    if text in (None, ""):
        return None
    match = _CLOCK.fullmatch(str(text).strip())
    if not match:
        raise ValueError(text)
    hour, minute = int(match[1]), int(match[2])
    if (hour, minute) == (24, 0):
        return time(0, 0)
    moment = datetime.combine(date(2000, 1, 3), time(hour, minute))  # ValueError past 23:59
    if match[4]:
        offset = match[4].replace("Z", "+00:00")
        offset = offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"
        moment = datetime.fromisoformat(f"{moment:%Y-%m-%dT%H:%M}{offset}").astimezone(JST)
    return moment.time()


def _date(text) -> date | None:
    return date.fromisoformat(str(text)[:10]) if text not in (None, "") else None


def _kind_of(schedule: dict) -> str:
    for attribute in schedule.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {}
        ours = term.get("taxonomy") == TAXONOMY and term.get("code") == KIND_CODE
        if ours and attribute.get("value") in ("opening", "closed", "holidays", "year_end"):
            return attribute["value"]
    freq = str(schedule.get("freq") or "").upper()
    if freq in ("WEEKLY", "MONTHLY"):
        return freq.lower()
    one_day = schedule.get("valid_from") and schedule.get("valid_from") == schedule.get("valid_to")
    if one_day and schedule.get("opens_at") and not schedule.get("byday"):
        return "opening"  # a single session on one day
    return "irregular"


def _schedule_fields(schedule: dict, warnings: list[str], where: str) -> dict:
    """Every HSDS field of a schedule, kept as written; one we cannot read makes the schedule
    不定期 with the publisher's words (and a warning), never a wider one."""
    if not isinstance(schedule, dict):
        warnings.append(f"{where}: 日程がオブジェクトではないため取り込みませんでした。")
        return {"kind": "irregular", "description": str(schedule)[:500]}
    try:
        ours = schedules.parse(str(schedule.get("description") or ""))
        fields = _hsds_fields(schedule)
    except (ValueError, TypeError, OverflowError, AttributeError):
        words = schedule.get("description") or json.dumps(schedule, ensure_ascii=False)
        warnings.append(
            f"{where}: 日程の値が読めないため「不定期」として取り込みました({str(words)[:80]})。"
        )
        return {"kind": "irregular", "description": str(words)[:2000]}
    if ours and fields["kind"] == "irregular" and ours["kind"] != "irregular":
        return ours  # tsunagu's own words, from an export that carried no kind
    if fields["description"] == schedules.describe(schedules.View({**fields, "description": ""})):
        fields["description"] = ""  # our words for the rule, not the publisher's
    return fields


def _hsds_fields(schedule: dict) -> dict:
    kind = _kind_of(schedule)
    fields = {
        "kind": kind,
        "byday": ",".join(schedules.codes(str(schedule.get("byday") or ""))),
        "interval": _whole(schedule.get("interval")) or 1,
        "bymonthday": str(schedule.get("bymonthday") or ""),
        "byweekno": str(schedule.get("byweekno") or ""),
        "byyearday": str(schedule.get("byyearday") or ""),
        "dtstart": _date(schedule.get("dtstart")),
        "until": _date(schedule.get("until")),
        "count": _whole(schedule.get("count")),
        "wkst": str(schedule.get("wkst") or ""),
        "valid_from": _date(schedule.get("valid_from")),
        "valid_to": _date(schedule.get("valid_to")),
        "opens_at": _clock(schedule.get("opens_at")),
        "closes_at": _clock(schedule.get("closes_at")),
        "timezone": _number(schedule.get("timezone")),
        "description": str(schedule.get("description") or ""),
        "note": str(schedule.get("notes") or "")[:200],
        "schedule_link": str(schedule.get("schedule_link") or ""),
        "attending_type": str(schedule.get("attending_type") or "")[:200],
    }
    if kind in ("opening", "closed"):
        fields["date"], fields["end_date"] = fields.pop("valid_from"), fields.pop("valid_to")
        if kind == "opening":
            fields["end_date"] = None
    return fields
