"""Imports of the maternal line from the city's other systems, all or nothing:

- births (住民基本台帳 出生): the child and the mother found or registered through the name
  matcher (名寄せ), the birth recorded on her pregnancy, the newborn visit put on the list;
- check-up lists (健康管理システム): who came to which infant check-up, with the findings, and
  who missed it.

A file is one transaction: when any row is refused, nothing is saved and every row's problem is
reported with its line (the header is line 1) and, where it is one, its column."""

import csv
import io
import json
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.core.history import as_actor
from tsunagu.core.models import Municipality
from tsunagu.core.wareki import read_date
from tsunagu.people import finder
from tsunagu.people import services as people_services
from tsunagu.people.matching.prepare import INPUT_COLUMNS, SEXES
from tsunagu.people.models import MatchProposal, Person, Sex

from . import services
from .models import Birth, Checkup, CheckupKind, Pregnancy

MOTHER_COLUMNS = [
    "mother_family_name",
    "mother_given_name",
    "mother_family_kana",
    "mother_given_kana",
    "mother_birth_date",
]
BIRTH_COLUMNS = [*INPUT_COLUMNS, *MOTHER_COLUMNS, "weeks", "weight_g", "place"]
BIRTH_OPTIONAL_COLUMNS = ["born_on"]
CHECKUP_COLUMNS = [*INPUT_COLUMNS, "checkup", "status"]
CHECKUP_OPTIONAL_COLUMNS = [
    "attended_on",
    "height_cm",
    "weight_g",
    "growth",
    "development",
    "follow_up_needed",
    "notes",
]

IMPORTED_PREGNANCY_NOTE = "住民基本台帳の出生から登録(届出面談の記録なし)"

# The matcher's spellings of sex, and an unknown one.
_SEXES = {**SEXES, "unknown": Sex.UNKNOWN, "不明": Sex.UNKNOWN, "": Sex.UNKNOWN}
_YES = {"1", "はい", "true", "yes", "y", "要", "あり", "○"}
_NO = {"0", "いいえ", "false", "no", "n", "不要", "なし", ""}
_CHECKUP_STATUSES = {
    "attended": Checkup.Status.ATTENDED,
    "受診": Checkup.Status.ATTENDED,
    "受診済": Checkup.Status.ATTENDED,
    "missed": Checkup.Status.MISSED,
    "未受診": Checkup.Status.MISSED,
}
_PERSON_FIELDS = [*(name for name in INPUT_COLUMNS if name != "id"), "resident_id"]


@dataclass
class ImportResult:
    """What an import did, or (``errors`` not empty) why it saved nothing.

    births: ``created`` births recorded, ``found`` rows whose child already had a birth
    (skipped), ``review`` persons registered beside a possible match queued for review,
    ``persons_created`` persons registered. check-ups: ``created`` check-ups added,
    ``updated`` existing invitations completed, ``found`` rows already recorded as given.
    ``errors``: (CSV line, Japanese message naming the line and the column)."""

    created: int = 0
    found: int = 0
    review: int = 0
    updated: int = 0
    persons_created: int = 0
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return not self.errors


# --- reading the file ----------------------------------------------------------------------


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), else Shift_JIS (cp932).

    Raises ValidationError when it is neither."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        "文字コードを判別できません(UTF-8 または Shift_JIS の CSV にしてください)。"
    )


def read_rows(data: bytes, required: Sequence[str]) -> list[dict[str, str]]:
    """The rows of a CSV file (bytes, UTF-8 or cp932) as dicts keyed by the header, each with
    its line in the file under ``"_line"`` (the header is line 1).

    Raises ValidationError when the file cannot be decoded or a required column is missing
    (all the missing ones listed)."""
    reader = csv.reader(io.StringIO(decode(data), newline=""))
    header = [name.strip().lstrip("\ufeff") for name in next(reader, [])]
    missing = [column for column in required if column not in header]
    if missing:
        raise ValidationError(f"CSV の見出しに次の列がありません: {', '.join(missing)}")
    rows = []
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        row = dict(zip(header, values, strict=False))
        row["_line"] = reader.line_num
        rows.append(row)
    return rows


# --- one row's values ----------------------------------------------------------------------


class _Row:
    """One row's values read one column at a time; each problem kept with its column."""

    def __init__(self, index: int, data: dict):
        self.line = int(data.get("_line") or index + 2)
        self.data = data
        self.problems: list[str] = []

    def text(self, column: str) -> str:
        return unicodedata.normalize("NFKC", str(self.data.get(column) or "")).strip()

    def fail(self, column: str, message: str) -> None:
        shown = str(self.data.get(column) or "").strip()
        self.problems.append(f"{column}「{shown}」{message}" if shown else f"{column}: {message}")

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            self.problems.append(f"{column}: 入力されていません。")
        return value

    def day(self, column: str, *, required: bool = True, not_after: date | None = None):
        value = self.text(column)
        if not value:
            if required:
                self.problems.append(f"{column}: 入力されていません。")
            return None
        read = read_date(value)
        try:
            found = date(*read) if read and read[2] is not None else None
        except ValueError:
            found = None
        if found is None:
            self.fail(column, "は日付ではありません。")
        elif not_after and found > not_after:
            self.fail(column, "は未来の日付です。")
            return None
        return found

    def whole(self, column: str, low: int, high: int, *, required: bool = True):
        value = self.text(column).replace(",", "")
        if not value:
            if required:
                self.problems.append(f"{column}: 入力されていません。")
            return None
        try:
            number = int(value)
        except ValueError:
            self.fail(column, "は整数ではありません。")
            return None
        if not low <= number <= high:
            self.fail(column, f"は {low}〜{high} の範囲で入力してください。")
            return None
        return number

    def decimal(self, column: str, low: int, high: int):
        value = self.text(column).replace(",", "")
        if not value:
            return None
        try:
            number = Decimal(value).quantize(Decimal("0.1"))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.fail(column, "は数値ではありません。")
            return None
        if not low <= number <= high:
            self.fail(column, f"は {low}〜{high} の範囲で入力してください。")
            return None
        return number

    def choice(self, column: str, choices, *, required: bool = True) -> str:
        value = self.text(column)
        if not value:
            if required:
                self.problems.append(f"{column}: 入力されていません。")
            return ""
        for code, label in choices.choices:
            if value.lower() == code or value == str(label):
                return code
        shown = "、".join(f"{code}({label})" for code, label in choices.choices)
        self.fail(column, f"は選べる値ではありません(選べる値: {shown})。")
        return ""

    def mapped(self, column: str, values: dict, allowed: str):
        value = self.text(column)
        if not value and "" not in values:
            self.problems.append(f"{column}: 入力されていません。")
            return None
        found = values.get(value.lower(), values.get(value))
        if found is None:
            self.fail(column, f"は選べる値ではありません(選べる値: {allowed})。")
        return found

    def person(self, prefix: str, birth_date: date | None, **fields) -> Person:
        """An unsaved person of the row's columns (``prefix`` for the mother's), checked."""
        person = Person(
            family_name=self.required(f"{prefix}family_name"),
            given_name=self.text(f"{prefix}given_name"),
            family_kana=self.text(f"{prefix}family_kana"),
            given_kana=self.text(f"{prefix}given_kana"),
            birth_date=birth_date,
            **fields,
        )
        try:
            person.full_clean(exclude=["municipality"], validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = "id" if name == "resident_id" else f"{prefix}{name}"
                if any(problem.startswith(f"{column}:") for problem in self.problems):
                    continue  # said already (an empty required column)
                self.problems.extend(f"{column}: {message}" for message in messages)
        return person

    def errors(self) -> list[tuple[int, str]]:
        return [(self.line, f"{self.line}行目: {problem}") for problem in self.problems]


def _record(person: Person) -> dict:
    """A person as the matcher's input record (prepare.INPUT_COLUMNS)."""
    record = {name: str(getattr(person, name) or "") for name in INPUT_COLUMNS if name != "id"}
    record["id"] = "import"
    record["sex"] = "" if person.sex == Sex.UNKNOWN else person.sex
    return record


def _plain(value):
    """The matcher's reasons as JSON (numpy numbers become floats)."""
    return json.loads(json.dumps(value, default=float))


# --- finding or registering a person -------------------------------------------------------


@dataclass
class _Found:
    person: Person
    created: bool = False
    review: bool = False


def _best_match(municipality: Municipality, person: Person) -> finder.Match | None:
    matches = finder.find(municipality.pk, _record(person), limit=1)
    return matches[0] if matches else None


def _find_or_register(municipality: Municipality, person: Person, *, actor: User) -> _Found:
    """The person the matcher is sure of ("same"); else the person registered, and a possible
    match ("review") queued as a proposal for the review page (people:review)."""
    match = _best_match(municipality, person)
    if match and match.decision == "same":
        found = Person.objects.get(pk=match.person_id)
        people_services.record_known_to(found, actor.organisation, actor=actor)
        return _Found(found)
    people_services.register_person(person, actor=actor)
    if match is None or match.decision != "review":
        return _Found(person, created=True)
    low, high = sorted((person.pk, match.person_id))
    MatchProposal.objects.get_or_create(
        person_low_id=low,
        person_high_id=high,
        defaults={
            "score": round(match.probability, 4),
            "decision": match.decision,
            "reasons": _plain(match.reasons),
        },
    )
    return _Found(person, created=True, review=True)


def _run(
    rows: list[dict],
    parse: Callable[[_Row], object],
    apply: Callable[[_Row, object, ImportResult], None],
) -> ImportResult:
    """Every row parsed and applied inside one transaction, each row in a savepoint so that
    the problems of every row are found; any problem rolls the whole file back."""
    result = ImportResult(rows=len(rows))
    with transaction.atomic():
        for index, data in enumerate(rows):
            row = _Row(index, data)
            parsed = parse(row)
            if not row.problems:
                try:
                    with transaction.atomic():
                        apply(row, parsed, result)
                except ValidationError as error:
                    row.problems.extend(error.messages)
            result.errors.extend(row.errors())
        if result.errors:
            transaction.set_rollback(True)
            return ImportResult(rows=len(rows), errors=result.errors)
    return result


def _missing_columns(rows: list[dict], required: Sequence[str]) -> None:
    missing = sorted({c for row in rows for c in required if c not in row}, key=required.index)
    if missing:
        raise ValidationError(f"CSV の見出しに次の列がありません: {', '.join(missing)}")


# --- births --------------------------------------------------------------------------------


@dataclass
class _BirthRow:
    child: Person
    mother: Person
    born_on: date
    weeks: int
    weight_g: int
    place: str


def _parse_birth(row: _Row) -> _BirthRow:
    today = timezone.localdate()
    birth_date = row.day("birth_date", not_after=today)
    born_on = row.day("born_on", required=False, not_after=today) if row.text("born_on") else None
    sex = row.mapped("sex", _SEXES, "女、男、female、male、空欄") or Sex.UNKNOWN
    contact = {
        "postal_code": row.text("postal_code"),
        "address": row.text("address"),
        "phone": row.text("phone"),
    }
    child = row.person("", birth_date, sex=sex, resident_id=row.text("id"), **contact)
    mother_born = row.day("mother_birth_date", not_after=today)
    mother = row.person("mother_", mother_born, sex=Sex.FEMALE, **contact)
    return _BirthRow(
        child=child,
        mother=mother,
        born_on=born_on or birth_date,
        weeks=row.whole("weeks", 12, 45),
        weight_g=row.whole("weight_g", 100, 7000),
        place=row.choice("place", Birth.Place),
    )


def _pregnancy_for(mother: Person, parsed: _BirthRow, *, actor: User) -> Pregnancy:
    """Her open pregnancy; else the one whose birth was that day (twins); else one created
    from the birth, marked as registered from the resident registry with nothing asked."""
    open_one = Pregnancy.objects.filter(mother=mother, status=Pregnancy.Status.EXPECTING).first()
    if open_one:
        return open_one
    twins = Pregnancy.objects.filter(
        mother=mother, status=Pregnancy.Status.BORN, births__born_on=parsed.born_on
    ).first()
    if twins:
        return twins
    pregnancy = Pregnancy(
        municipality_id=mother.municipality_id,
        mother=mother,
        notified_on=parsed.born_on,
        weeks_at_notification=parsed.weeks,
        expected_on=parsed.born_on,
        partner=Pregnancy.Partner.UNKNOWN,
        feelings=Pregnancy.Feelings.UNKNOWN,
        # The model has no "unknown" for these two: the middle choices, raising no flag; the
        # interview notes say that nothing was asked.
        support_after_birth=Pregnancy.Support.SOME,
        money=Pregnancy.Money.WORRIED,
        interviewed_by=actor,
        unit=actor.organisation,
        nurse=actor,
        interview_minutes=0,
        interview_notes=IMPORTED_PREGNANCY_NOTE,
        checkup_vouchers=0,
    )
    pregnancy.full_clean()
    as_actor(actor, pregnancy).save()
    people_services.record_known_to(mother, pregnancy.unit, actor=actor)
    return pregnancy


def _child_of_row(municipality: Municipality, child: Person, *, actor: User) -> _Found:
    if child.resident_id:
        known = Person.objects.filter(
            municipality=municipality, resident_id=child.resident_id, merged_into=None
        ).first()
        if known:
            # The maternal unit now holds records about the child (and may then see them).
            people_services.record_known_to(known, actor.organisation, actor=actor)
            return _Found(known)
    found = _find_or_register(municipality, child, actor=actor)
    if not found.created and child.resident_id and not found.person.resident_id:
        found.person.resident_id = child.resident_id
        as_actor(actor, found.person).save(update_fields=["resident_id"])
    return found


def import_births(municipality: Municipality, rows: list[dict], *, actor: User) -> ImportResult:
    """Births from the resident registry (住民基本台帳 出生), all or nothing.

    ``rows``: dicts keyed by BIRTH_COLUMNS (the child's INPUT_COLUMNS, its ``id`` kept as the
    resident id 宛名番号; the mother's name, kana and birth date; ``weeks``, ``weight_g``,
    ``place`` as a Birth.Place value or label) and optionally ``born_on`` (defaults to
    ``birth_date``); a ``_line`` key gives the row's line (else its index + 2).

    The child and the mother are each the person the matcher is sure of ("same"), else newly
    registered (known to the actor's unit), with a possible match ("review") queued for the
    review page. The birth goes on the mother's open pregnancy, else on one created from it;
    a child who already has a birth is counted as found and left alone (a re-import changes
    nothing).

    Raises PermissionDenied when the actor may not keep the city's check-ups
    (``maternal.checkups``); ValidationError when a required column is missing. A refused row
    is not raised: the result's ``errors`` name every refused row, and nothing is saved."""
    policy.require(actor, "maternal.checkups", municipality)
    _missing_columns(rows, BIRTH_COLUMNS)

    def apply(row: _Row, parsed: _BirthRow, result: ImportResult) -> None:
        child = _child_of_row(municipality, parsed.child, actor=actor)
        if Birth.objects.filter(child=child.person).exists():
            result.found += 1
            return
        mother = _find_or_register(municipality, parsed.mother, actor=actor)
        pregnancy = _pregnancy_for(mother.person, parsed, actor=actor)
        birth = Birth(
            born_on=parsed.born_on,
            weeks=parsed.weeks,
            weight_g=parsed.weight_g,
            place=parsed.place,
        )
        services.record_birth(pregnancy, birth, child.person, actor=actor)
        result.created += 1
        for found in (child, mother):
            result.persons_created += found.created
            result.review += found.review

    return _run(rows, _parse_birth, apply)


# --- check-ups -----------------------------------------------------------------------------


@dataclass
class _CheckupRow:
    child: Person
    kind: CheckupKind | None
    status: str
    attended_on: date | None
    findings: dict


def _parse_checkup(row: _Row, kinds: dict[str, CheckupKind]) -> _CheckupRow:
    today = timezone.localdate()
    birth_date = row.day("birth_date", not_after=today)
    sex = row.mapped("sex", _SEXES, "女、男、female、male、空欄") or Sex.UNKNOWN
    child = row.person(
        "",
        birth_date,
        sex=sex,
        postal_code=row.text("postal_code"),
        address=row.text("address"),
        phone=row.text("phone"),
    )
    named = row.required("checkup")
    kind = kinds.get(named.lower()) or kinds.get(named)
    if named and kind is None:
        shown = "、".join(sorted({f"{k.code}({k.name})" for k in kinds.values()}))
        row.fail("checkup", f"はこの市の健診ではありません(選べる値: {shown})。")
    status = row.mapped("status", _CHECKUP_STATUSES, "attended(受診)、missed(未受診)")
    attended_on = row.day(
        "attended_on", required=status == Checkup.Status.ATTENDED, not_after=today
    )
    follow_up = row.mapped(
        "follow_up_needed",
        {**dict.fromkeys(_YES, True), **dict.fromkeys(_NO, False)},
        "1、0、はい、いいえ",
    )
    findings = {
        "height_cm": row.decimal("height_cm", 20, 200),
        "weight_g": row.whole("weight_g", 500, 60000, required=False),
        "growth": row.choice("growth", Checkup.Finding, required=False),
        "development": row.choice("development", Checkup.Finding, required=False),
        "follow_up_needed": bool(follow_up),
        "notes": str(row.data.get("notes") or "").strip(),
    }
    return _CheckupRow(child, kind, status, attended_on, findings)


def _checked_child(municipality: Municipality, child: Person) -> Person:
    shown = f"{child}({child.birth_date or '生年月日不明'})"
    match = _best_match(municipality, child)
    if match is None or match.decision not in ("same", "review"):
        raise ValidationError(f"子ども {shown} が見つかりません。")
    if match.decision != "same":
        raise ValidationError(
            f"子ども {shown} を確実に特定できません(似た人がいます)。"
            "名寄せ・氏名の確認をしてから取り込んでください。"
        )
    return Person.objects.get(pk=match.person_id)


def import_checkups(municipality: Municipality, rows: list[dict], *, actor: User) -> ImportResult:
    """An infant check-up list from the health system (健康管理システム), all or nothing.

    ``rows``: dicts keyed by CHECKUP_COLUMNS (the child's INPUT_COLUMNS, ``checkup`` as a
    CheckupKind code or name of the city, ``status`` attended/missed or 受診/未受診) and
    optionally CHECKUP_OPTIONAL_COLUMNS (``attended_on``, needed when attended;
    ``height_cm``, ``weight_g``, ``growth`` and ``development`` as Checkup.Finding values or
    labels, ``follow_up_needed`` 1/0 or はい/いいえ, ``notes``).

    The child must be the person the matcher is sure of ("same"): a child not found, or only
    possibly found, is a refused row (a check-up is never put on a guessed child). The child's
    check-up of that kind is completed (services.record_checkup, whose follow-up goes on the
    actor's due list) or marked missed, or created when the child has none; one already
    recorded as the file gives it is counted as found.

    Raises PermissionDenied when the actor may not keep the city's check-ups
    (``maternal.checkups``); ValidationError when a required column is missing. A refused row
    is not raised: the result's ``errors`` name every refused row, and nothing is saved."""
    policy.require(actor, "maternal.checkups", municipality)
    _missing_columns(rows, CHECKUP_COLUMNS)
    kinds = {}
    for kind in CheckupKind.objects.filter(municipality=municipality):
        kinds[kind.name] = kind
        kinds[kind.code.lower()] = kind

    def apply(row: _Row, parsed: _CheckupRow, result: ImportResult) -> None:
        child = _checked_child(municipality, parsed.child)
        people_services.record_known_to(child, actor.organisation, actor=actor)
        checkup = Checkup.objects.filter(child=child, kind=parsed.kind).first()
        attended = parsed.status == Checkup.Status.ATTENDED
        if checkup is None:
            checkup = _new_checkup(child, parsed, actor=actor)
            result.created += 1
        elif checkup.status == Checkup.Status.ATTENDED:
            if attended and checkup.attended_on == parsed.attended_on:
                result.found += 1
                return
            raise ValidationError(
                f"{parsed.kind}は {checkup.attended_on:%Y-%m-%d} の受診として記録済みです。"
            )
        elif checkup.status == Checkup.Status.MISSED and not attended:
            result.found += 1
            return
        else:
            result.updated += 1
        if attended:
            services.record_checkup(
                checkup, actor=actor, seen_on=parsed.attended_on, **parsed.findings
            )
        elif checkup.status != Checkup.Status.MISSED:
            checkup.status = Checkup.Status.MISSED
            as_actor(actor, checkup).save(update_fields=["status"])

    return _run(rows, lambda row: _parse_checkup(row, kinds), apply)


def _new_checkup(child: Person, parsed: _CheckupRow, *, actor: User) -> Checkup:
    """The child's invitation, as the schedule would have made it (invited at the kind's month
    of age, or on the day seen if earlier), missed when the file says so."""
    kind = parsed.kind
    born = child.birth_date or parsed.child.birth_date
    invited_on = born + relativedelta(months=kind.invite_months)
    if parsed.attended_on and parsed.attended_on < invited_on:
        invited_on = parsed.attended_on
    checkup = Checkup(
        municipality_id=child.municipality_id,
        child=child,
        kind=kind,
        invited_on=min(invited_on, timezone.localdate()),
        due_on=born + relativedelta(months=kind.due_months),
        status=(
            Checkup.Status.INVITED
            if parsed.status == Checkup.Status.ATTENDED
            else Checkup.Status.MISSED
        ),
    )
    checkup.full_clean()
    as_actor(actor, checkup).save()
    return checkup


# What each kind of file holds: its required columns, its importer, its name in messages.
KINDS = {
    "births": (BIRTH_COLUMNS, import_births, "出生"),
    "checkups": (CHECKUP_COLUMNS, import_checkups, "乳幼児健診"),
}
