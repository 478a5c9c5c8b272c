"""Writing the directory: one function per domain action. simple-history records who changed
what; an operator's change to a public entry waits for a resource editor's approval."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.core.history import as_actor, refuse_if_stale
from tsunagu.core.models import Municipality

from . import furigana, schedules
from .models import (
    OPERATOR_FIELDS,
    Category,
    ChangeRequest,
    DirectoryImport,
    Location,
    ResourceOrganisation,
    Schedule,
    Service,
    ServiceAtLocation,
)

if TYPE_CHECKING:  # imported where used: the importer imports this module
    from .opendata.importer import Outcome as ImportOutcome
    from .opendata.records import Record

SCHEDULE_FIELDS = schedules.FIELDS


def reverify_after() -> timedelta:
    return timedelta(days=30 * getattr(settings, "TSUNAGU_RESOURCE_REVERIFY_MONTHS", 12))


@dataclass
class Entry:
    """One directory entry as the editor's form has it: the service, its first place and the
    schedules there."""

    service: Service
    location: Location
    schedules: list[Schedule] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)


def refresh_ruby(service: Service, location: Location | None) -> None:
    """Generate furigana for texts that changed, keeping an editor's correction of the rest."""
    for obj, text_field, ruby_field in (
        (service, "name", "name_ruby"),
        (service, "description", "description_ruby"),
        (location, "address", "address_ruby"),
    ):
        if obj is None:
            continue
        text, ruby = getattr(obj, text_field), getattr(obj, ruby_field)
        if not ruby or furigana.plain(ruby) != text:
            setattr(obj, ruby_field, furigana.generate(text, obj.municipality_id))


def _check(entry: Entry) -> None:
    errors = []
    for obj in (entry.service, entry.location, *entry.schedules):
        try:
            obj.full_clean(exclude=["organisation", "municipality", "place", "categories"])
        except ValidationError as error:
            errors += error.messages
    for text_field, ruby_field in (("name", "name_ruby"), ("description", "description_ruby")):
        problem = furigana.problem(
            getattr(entry.service, text_field), getattr(entry.service, ruby_field)
        )
        if problem:
            errors.append(problem)
    if errors:
        raise ValidationError(errors)


def _store(entry: Entry, *, actor: User) -> Service:
    service, location = entry.service, entry.location
    refresh_ruby(service, location)
    _check(entry)
    location.municipality_id = service.municipality_id
    location.organisation_id = service.organisation_id
    as_actor(actor, location).save()
    as_actor(actor, service).save()
    if entry.categories:
        service.categories.set(entry.categories)
    place, _ = ServiceAtLocation.objects.get_or_create(service=service, location=location)
    _replace_schedules(place, entry.schedules, actor=actor)
    return service


def _replace_schedules(place: ServiceAtLocation, rows: list[Schedule], *, actor: User) -> None:
    """The place's schedules become ``rows``: kept rows are saved, the others deleted."""
    kept = [s.pk for s in rows if s.pk and s.place_id == place.pk]
    for gone in place.schedules.exclude(pk__in=kept):
        as_actor(actor, gone).delete()
    for schedule in rows:
        if schedule.place_id != place.pk:
            schedule.pk = None
        schedule.place = place
        as_actor(actor, schedule).save()


@transaction.atomic
def create_entry(organisation: ResourceOrganisation | str, entry: Entry, *, actor: User) -> Service:
    """A new entry of an existing organisation, or of a new one named ``organisation`` (made
    in the same transaction, so a refused entry leaves no organisation behind).

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    policy.require(actor, "resources.edit_entry")
    if isinstance(organisation, str):
        if not organisation.strip():
            raise ValidationError("運営主体を選ぶか、新しい運営主体の名称を入力してください。")
        organisation = as_actor(
            actor,
            ResourceOrganisation(municipality_id=actor.municipality_id, name=organisation.strip()),
        )
        organisation.save()
    entry.service.organisation = organisation
    entry.service.municipality_id = actor.municipality_id
    entry.service.last_verified_on = timezone.localdate()
    return _store(entry, actor=actor)


@transaction.atomic
def update_entry(entry: Entry, seen_version: int | None, *, actor: User) -> Service:
    """An editor's change, applied at once (refused when the screen is stale).

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    current = Service.objects.select_for_update().get(pk=entry.service.pk)
    policy.require(actor, "resources.edit_entry", current)
    refuse_if_stale(current, seen_version, "この地域資源")
    return _store(entry, actor=actor)


@transaction.atomic
def verify_entry(service: Service, *, actor: User) -> Service:
    """The entry was checked with its operator and is still right (最終確認日).

    Raises PermissionDenied when the policy refuses the actor."""
    policy.require(actor, "resources.edit", service)
    service.last_verified_on = timezone.localdate()
    as_actor(actor, service).save(update_fields=["last_verified_on", "updated_at"])
    return service


def _schedule_rows(place: ServiceAtLocation | None) -> list[dict]:
    if place is None:
        return []
    return [
        {name: _json(getattr(s, name)) for name in SCHEDULE_FIELDS} for s in place.schedules.all()
    ]


def _json(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


def operator_changes(
    service: Service, proposed: Service, proposed_schedules: list[Schedule]
) -> dict:
    """What an operator's form changes: {"service": {field: [old, new]}, "schedules": …}."""
    changed = {
        name: [_json(getattr(service, name)), _json(getattr(proposed, name))]
        for name in OPERATOR_FIELDS
        if getattr(service, name) != getattr(proposed, name)
    }
    place = service.places.first()
    before = _schedule_rows(place)
    after = [
        {name: _json(getattr(s, name)) for name in SCHEDULE_FIELDS} for s in proposed_schedules
    ]
    found = {"service": changed}
    if sorted(map(repr, before)) != sorted(map(repr, after)):  # the same rows in any order
        found["schedules"] = [before, after]
    return found


@transaction.atomic
def change_own_entry(
    service: Service, proposed: Service, proposed_schedules: list, *, actor: User
) -> ChangeRequest | None:
    """An operator's change to its own entry: applied at once to a staff-only entry; to a public
    one it waits for an editor (a ChangeRequest). Returns the request, or None when applied.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    policy.require(actor, "resources.own", service)
    for schedule in proposed_schedules:
        problem = schedules.problem(schedule)
        if problem:
            raise ValidationError(problem)
    changes = operator_changes(service, proposed, proposed_schedules)
    if not changes["service"] and "schedules" not in changes:
        raise ValidationError("変更された項目がありません。")
    if not service.is_public:
        _apply(service, changes, actor=actor)
        return None
    closures = _new_closures(proposed_schedules)
    if closures:  # a day off only narrows what the public sees: at once, without approval
        for closure in closures:
            _add_closure(service, closure, actor=actor)
        changes = operator_changes(service, proposed, proposed_schedules)
        if not changes["service"] and "schedules" not in changes:
            return None
    if ChangeRequest.objects.filter(service=service, status=ChangeRequest.Status.PENDING).exists():
        raise ValidationError(
            "この資源には承認待ちの変更申請があります。承認されるまでお待ちください。"
        )
    return ChangeRequest.objects.create(service=service, requested_by=actor, changes=changes)


def _new_closures(proposed_schedules: list) -> list[Schedule]:
    return [s for s in proposed_schedules if s.kind == Schedule.Kind.CLOSED and not s.pk]


def _add_closure(service: Service, closure: Schedule, *, actor: User) -> None:
    closure.place = service.places.first()
    as_actor(actor, closure).save()  # the openings index follows (signals)


@transaction.atomic
def post_closure(
    service: Service, first: date, last: date | None = None, note: str = "", *, actor: User
) -> Schedule:
    """An operator's day off (きょうは休み) or days off, shown at once even on a public entry:
    it only narrows when the place is shown open.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the days are refused."""
    policy.require(actor, "resources.own", service)
    closure = Schedule(kind=Schedule.Kind.CLOSED, date=first, end_date=last, note=note)
    problem = schedules.problem(closure)
    if problem:
        raise ValidationError(problem)
    place = service.places.first()
    if place is None:
        raise ValidationError("実施場所が登録されていません。編集担当にご連絡ください。")
    last_day = last or first
    if all(
        schedules.closed_on(place.schedules.all(), first + timedelta(days=n))
        for n in range((last_day - first).days + 1)
    ):
        raise ValidationError("その日はもう休みになっています。")
    _add_closure(service, closure, actor=actor)
    return closure


def _apply(service: Service, changes: dict, *, actor: User) -> None:
    for name, (_, new) in changes["service"].items():
        setattr(service, name, Service._meta.get_field(name).to_python(new))
    refresh_ruby(service, None)
    service.full_clean(exclude=["organisation", "municipality", "categories"])
    as_actor(actor, service).save()
    if "schedules" in changes:
        place = service.places.first()
        rows = [schedule_from(row) for row in changes["schedules"][1]]
        _replace_schedules(place, rows, actor=actor)


def schedule_from(row: dict) -> Schedule:
    schedule = Schedule()
    for name in SCHEDULE_FIELDS:
        setattr(schedule, name, Schedule._meta.get_field(name).to_python(row.get(name)))
    return schedule


@transaction.atomic
def decide_change(
    request: ChangeRequest, approve: bool, note: str = "", *, actor: User
) -> ChangeRequest:
    """An editor approves or returns an operator's change request.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    request = ChangeRequest.objects.select_for_update().get(pk=request.pk)
    policy.require(actor, "resources.approve", request)
    if request.status != ChangeRequest.Status.PENDING:
        raise ValidationError("この申請はすでに処理されています。")
    if approve:
        service = Service.objects.select_for_update().get(pk=request.service_id)
        stale = [
            name
            for name, (old, _) in request.changes["service"].items()
            if _json(getattr(service, name)) != old
        ]
        if stale:
            raise ValidationError(
                "申請の後に、この項目が変更されています: "
                + "、".join(str(Service._meta.get_field(n).verbose_name) for n in stale)
                + "。差し戻して、運営者に申請し直してもらってください。"
            )
        _apply(service, request.changes, actor=actor)
        service.last_verified_on = timezone.localdate()
        as_actor(actor, service).save(update_fields=["last_verified_on", "updated_at"])
    request.status = ChangeRequest.Status.APPROVED if approve else ChangeRequest.Status.REJECTED
    request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
    request.save()
    return request


class ImportRefused(ValidationError):
    """Rows with errors, and the user did not choose to skip them: nothing was applied."""


UNREADABLE_RULE = "この日程は読み取れないため、原文のまま「不定期」として表示します"


def model_errors(record: Record) -> None:
    """The record's values checked as the models check them (lengths, e-mail, ranges), each
    problem an error of its row; an unreadable rule a warning (shown as 不定期)."""
    from .opendata.importer import field_value

    checks = (
        (Service, record.service, ["organisation", "municipality", "categories"]),
        (Location, record.location, ["organisation", "municipality"]),
        *((Schedule, fields, ["place"]) for fields in record.schedules),
    )
    for model, values, exclude in checks:
        obj = model(**{k: field_value(model, k, values) for k in values})
        absent = [f.name for f in model._meta.fields if f.name not in values]
        try:
            obj.clean_fields(exclude=[*exclude, *absent])  # what the file gave, only
            if model is not Schedule:
                obj.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                label = model._meta.get_field(name).verbose_name if name != "__all__" else "—"
                record.error(str(label), values.get(name, ""), " ".join(messages))
    low, high = record.service.get("minimum_age"), record.service.get("maximum_age")
    if low is not None and high is not None and low > high:
        record.error("対象年齢", f"{low}〜{high}", "下限が上限より大きくなっています")
    for fields in record.schedules:
        schedule = schedules.View(fields)
        problem = schedules.problem(schedule, entered=False)
        if problem:
            record.error("開催日程", schedules.describe(schedule), problem)
        elif not schedules.evaluable(schedule) and schedule.kind != "irregular":
            record.warn("開催日程", schedules.describe(schedule), UNREADABLE_RULE)


@transaction.atomic
def import_directory(
    municipality: Municipality,
    records: list,
    *,
    actor: User | None,
    skip_bad: bool = False,
    dry_run: bool = False,
) -> ImportOutcome:
    """Apply a file's records at once, in one transaction (the operator's command, and the
    tests; the staff page imports in the background, see importing.py): with any bad row,
    nothing is applied unless the user chose to skip the bad rows. ``dry_run`` reports what
    would happen and changes nothing. ``actor`` is None for the server operator's command.

    Raises PermissionDenied when the policy refuses the actor; ImportRefused with the rows'
    errors."""
    from . import importing
    from .opendata import importer

    if actor is not None:
        policy.require(actor, "resources.import")
        policy.require_visible(actor, municipality)  # its own municipality only
    for record in records:
        if not record.errors:
            model_errors(record)
    bad = [r for r in records if r.errors]
    outcome = importer.Outcome(errors=[e for r in bad for e in r.errors], skipped=len(bad))
    if bad and not skip_bad and not dry_run:
        raise ImportRefused([str(e) for e in outcome.errors])
    importing.write(municipality, [r for r in records if not r.errors], actor, outcome)
    if dry_run:
        transaction.set_rollback(True)
    return outcome


MAX_IMPORT_BYTES = 50 * 1024 * 1024  # a prefecture's 100,000 rows fit


@transaction.atomic
def stage_import(filename: str, data: bytes, *, actor: User, dataset: str = "") -> DirectoryImport:
    """The staff page's first step: keep the file and check it in the background (reading
    only; importing.check), for an editor to confirm. ``dataset`` names the publisher's list
    the file is (こども食堂一覧 …): its rows replace only that list's entries.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the file is refused."""
    from .tasks import check_import_task

    policy.require(actor, "resources.import")
    if not data.strip():
        raise ValidationError("空のファイルです。")
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(
            f"ファイルが大きすぎます(上限 {MAX_IMPORT_BYTES // 1024 // 1024} MB)。"
        )
    staged = DirectoryImport.objects.create(
        municipality=actor.organisation.municipality,
        filename=filename[:200],
        dataset=dataset.strip()[:40],
        data=data,
        uploaded_by=actor,
    )
    check_import_task.enqueue(staged.pk)  # a row of the same transaction as the import
    return staged


@transaction.atomic
def map_categories(staged: DirectoryImport, mapping: dict, *, actor: User) -> DirectoryImport:
    """The editor's choice of a category for each kind of place (種別) the file names and we do
    not know, checked again with it.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the import is not waiting for a decision or a category is unknown."""
    from .models import Category
    from .tasks import check_import_task

    policy.require(actor, "resources.import", staged)
    if staged.status != DirectoryImport.Status.CHECKED:
        raise ValidationError("確認が終わった取込みだけ分類を選べます。")
    known = set(Category.objects.values_list("code", flat=True))
    chosen = {kind: code for kind, code in mapping.items() if code}
    if set(chosen.values()) - known:
        raise ValidationError("分類を選び直してください。")
    staged.category_map = chosen
    staged.status = DirectoryImport.Status.QUEUED
    staged.save(update_fields=["category_map", "status"])
    check_import_task.enqueue(staged.pk)  # a row of the same transaction as the import
    return staged


@transaction.atomic
def apply_import(staged: DirectoryImport, *, actor: User, skip_bad: bool) -> DirectoryImport:
    """The second step: apply the checked file in the background (importing.apply), all or
    nothing unless the editor chose to skip the bad rows. The file is read again then, so a
    directory changed meanwhile is seen as it is.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the import is not waiting to be applied."""
    from .tasks import apply_import_task

    staged = DirectoryImport.objects.select_for_update().get(pk=staged.pk)
    policy.require(actor, "resources.import", staged)
    if staged.status == DirectoryImport.Status.APPLIED:
        raise ValidationError("このファイルはすでに反映済みです。")
    if staged.status != DirectoryImport.Status.CHECKED:
        raise ValidationError("確認が終わってから反映してください。")
    if staged.report.get("bad_rows") and not skip_bad:
        raise ValidationError(
            f"エラーの行が {staged.report['bad_rows']} 件あるため、何も反映していません。"
        )
    staged.status = DirectoryImport.Status.APPLY_QUEUED
    staged.skip_bad = skip_bad
    staged.applied_by = actor
    staged.save(update_fields=["status", "skip_bad", "applied_by"])
    apply_import_task.enqueue(staged.pk)  # a row of the same transaction as the import
    return staged


@transaction.atomic
def load_boundaries(
    municipality: Municipality, kind: str, boundaries: dict, *, create: bool = False
) -> dict:
    """Give the municipality's areas of ``kind`` their boundaries, found by code when the file
    has codes, else by name. An area not found is an error, and nothing is applied, unless
    ``create`` adds it. Returns how many were updated and created."""
    from tsunagu.core.models import Area

    areas = list(Area.objects.filter(municipality=municipality, kind=kind))
    by_code = {a.code: a for a in areas}
    by_name = {a.name: a for a in areas}
    errors, seen, counts = [], set(), {"updated": 0, "created": 0}
    for boundary in boundaries:
        key = boundary.code or boundary.name
        if key in seen:
            errors.append(
                f"{boundary.number}番目の地物「{boundary.name}」: 同じ地区が2回あります。"
            )
            continue
        seen.add(key)
        area = by_code.get(boundary.code) if boundary.code else by_name.get(boundary.name)
        if area is None and not create:
            errors.append(
                f"{boundary.number}番目の地物「{boundary.name}」: この{Area.Kind(kind).label}は"
                "登録されていません(--create で追加できます)。"
            )
            continue
        if area is None:
            area = Area(municipality=municipality, kind=kind, code=key, name=boundary.name)
            counts["created"] += 1
        else:
            counts["updated"] += 1
        area.boundary = boundary.geometry
        area.save()
    if errors:
        raise ValidationError(errors)
    return counts


def due_for_verification(on: date | None = None) -> date:
    """Entries last verified before this date are listed for re-verification."""
    return (on or timezone.localdate()) - reverify_after()
