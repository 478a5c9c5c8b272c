"""Directory imports as background jobs, at the size of a prefecture without stopping the center.

- **check** reads the file and compares it with the directory without writing a row (so the
  staff app never waits on it), keeping what the import would do in the staged import's report:
  new, replaced (with what each replaces), unchanged, and the rows in error.
- **apply** writes in short transactions (about ``TRANSACTION_SECONDS`` each, with a pause
  between them on SQLite, whose one writer at a time would otherwise starve the staff app's
  own writes: every page view logs its access), each logging what undoes it
  (ImportChange). A failure undoes what was written; an import whose worker died (no progress
  for ``STALLED_AFTER``) is undone by the next job or by ``tsunagu resources recover-imports``.
  So an import is still all or nothing, while other users write between its chunks.

Progress (done of total) is saved as the job goes; the import page shows it.
"""

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from tsunagu.core.models import Municipality

from . import openings
from .models import (
    DirectoryImport,
    ImportChange,
    Location,
    ResourceOrganisation,
    Service,
    ServiceAtLocation,
)
from .opendata import files, importer
from .opendata.records import Record

log = logging.getLogger(__name__)

# How long a transaction of an import lasts, about. SQLite has one writer at a time, so there it
# is what another request waits at most; PostgreSQL locks only the rows written.
TRANSACTION_SECONDS = {"sqlite": 0.12, "postgresql": 1.0}
SQLITE_PAUSE_SECONDS = 0.03  # between transactions: a waiting writer's turn on SQLite
PROGRESS_SECONDS = 1.0  # between progress saves while applying
PROGRESS_EVERY = 2000  # records between progress saves while checking
STALLED_AFTER = timedelta(minutes=5)
REPORTED = 1000  # errors, warnings and replaced entries listed in a report
Status = DirectoryImport.Status


def records_of(staged: DirectoryImport, *, validate: bool = True) -> tuple[str, list[Record]]:
    """The file's records, keyed by publisher and dataset, categories mapped, each checked as
    the models check them unless ``validate`` is off (the file was checked already, and its
    rows in error are listed in the report). Raises files.UNREADABLE for a file of neither
    format."""
    from .services import model_errors

    kind, records = files.read(bytes(staged.data))
    for record in records:
        record.in_dataset(staged.dataset)
        if not record.categories and staged.category_map.get(record.kind_text):
            record.categories = [staged.category_map[record.kind_text]]
        if validate and not record.errors:
            model_errors(record)
    return kind, records


def _progress(staged: DirectoryImport, done: int, **fields) -> None:
    staged.done = done
    staged.heartbeat_at = timezone.now()
    for name, value in fields.items():
        setattr(staged, name, value)
    staged.save(update_fields=["done", "heartbeat_at", *fields])


def check(staged: DirectoryImport) -> DirectoryImport:
    """Read and compare, writing nothing but the staged import's report and progress."""
    recover_stalled()
    _progress(staged, 0, status=Status.CHECKING)
    try:
        kind, records = records_of(staged)
    except files.UNREADABLE as error:
        _progress(staged, 0, status=Status.FAILED, failure=str(error))
        return staged
    _progress(staged, 0, file_format=kind, total=len(records))
    places = importer.existing(staged.municipality, [r for r in records if not r.errors])
    counts = {"create": 0, "update": 0, "same": 0}
    replaced = []
    for number, record in enumerate(records, start=1):
        if not record.errors:
            place = places.get(importer.key_of(record))
            kind_of_change = importer.classify(record, place)
            counts[kind_of_change] += 1
            if kind_of_change == "update" and len(replaced) < REPORTED:
                replaced.append(_replaced(record, place))
        if number % PROGRESS_EVERY == 0:
            _progress(staged, number)
    report = _report(kind, records, counts, replaced)
    _progress(staged, len(records), status=Status.CHECKED, report=report)
    return staged


def _replaced(record: Record, place: ServiceAtLocation) -> dict:
    return {
        "row": record.row,
        "name": record.service.get("name", ""),
        "was": place.service.name,
        "parts": importer.changed_parts(record, place),
    }


def _report(kind: str, records: list[Record], counts: dict, replaced: list) -> dict:
    errors = [e for r in records for e in r.errors]
    kinds = sorted({r.kind_text for r in records if not r.categories and not r.errors})
    return {
        "format": kind,
        "rows": len(records),
        "created": counts["create"],
        "updated": counts["update"],
        "unchanged": counts["same"],
        "bad_rows": sum(1 for r in records if r.errors),
        "error_count": len(errors),
        "errors": [vars(e) for e in errors[:REPORTED]],
        "warnings": [w for r in records for w in r.warnings][:REPORTED],
        "replaced": replaced,
        "uncategorised": kinds,
        "bad_row_numbers": sorted({r.row for r in records if r.errors}),
    }


def in_short_transactions(
    items: list,
    work: Callable[[list, object], None],
    progress: Callable[[int], None] | None = None,
    prepare: Callable[[list], object] = lambda chunk: None,
) -> None:
    """Call ``work(chunk, prepare(chunk))`` on successive slices of ``items``, each in its own
    transaction (``prepare`` runs before it, holding no lock), sized so that each lasts about
    TRANSACTION_SECONDS of the database; ``progress`` hears how many are done."""
    size, done = 50, 0
    pause = connection.vendor == "sqlite" and not connection.in_atomic_block
    target = TRANSACTION_SECONDS.get(connection.vendor, 0.1)
    while done < len(items):
        chunk = items[done : done + size]
        prepared = prepare(chunk)
        began = time.monotonic()
        with transaction.atomic():
            work(chunk, prepared)
        elapsed = max(time.monotonic() - began, 0.001)
        done += len(chunk)
        if progress is not None:
            progress(done)
        # Towards the target, never more than doubling: a quick chunk of easy rows must not
        # make the next one of hard rows hold the lock for seconds.
        size = max(10, min(5000, 2 * size, int(size * target / elapsed)))
        if pause:
            time.sleep(SQLITE_PAUSE_SECONDS)


def apply(staged: DirectoryImport, actor) -> DirectoryImport:
    """Write the checked file, all or nothing (unless its bad rows are to be skipped)."""
    recover_stalled()
    _progress(staged, 0, status=Status.APPLYING, failure="")
    try:
        outcome = _write(staged, actor)
    except Exception as error:  # whatever broke, nothing stays applied
        log.exception("import %s failed; undoing it", staged.pk)
        undo(staged)
        _progress(staged, 0, status=Status.FAILED, failure=_failure(error))
        return staged
    staged.changes.all().delete()
    _progress(
        staged,
        staged.total,
        status=Status.APPLIED,
        applied_at=timezone.now(),
        applied_by=actor,
        outcome=outcome.summary(),
    )
    return staged


def _failure(error: Exception) -> str:
    messages = getattr(error, "messages", None)
    return " ".join(messages) if messages else f"{type(error).__name__}: {error}"


def _write(staged: DirectoryImport, actor) -> importer.Outcome:
    from .services import ImportRefused

    _kind, records = records_of(staged, validate=False)
    checked_bad = set(staged.report.get("bad_row_numbers", []))
    bad = [r for r in records if r.errors or r.row in checked_bad]
    if bad and not staged.skip_bad:
        raise ImportRefused([f"{len(bad)} 行にエラーがあります。"])
    outcome = importer.Outcome(skipped=len(bad))
    good = [r for r in records if not (r.errors or r.row in checked_bad)]
    write(staged.municipality, good, actor, outcome, staged, later_openings=True)
    return outcome


def write(
    municipality: Municipality,
    records: list[Record],
    actor,
    outcome: importer.Outcome,
    staged: DirectoryImport | None = None,
    *,
    later_openings: bool = False,
) -> None:
    """Write valid records in short transactions (within the
    caller's, if any) logging what undoes it when ``staged`` is given, then the openings of
    the places written (or, ``later_openings``, as a job of their own: at the size of a
    prefecture, millions of rows of the finder's index). Counts go to ``outcome``."""
    places = importer.existing(municipality, records)
    today = timezone.localdate()

    def work(chunk: list[Record], _prepared: object) -> None:
        _write_chunk(municipality, actor, chunk, places, today, outcome, staged)

    saved = time.monotonic()

    def progress(done: int) -> None:
        nonlocal saved
        if staged is not None and time.monotonic() - saved >= PROGRESS_SECONDS:
            _progress(staged, outcome.skipped + done)
            saved = time.monotonic()

    in_short_transactions(records, work, progress)
    if later_openings:
        from .tasks import refresh_openings_task

        refresh_openings_task.enqueue(municipality.pk, outcome.place_ids)
    else:
        refresh_openings(municipality.pk, outcome.place_ids)


def _write_chunk(municipality, actor, chunk, places: dict, today, outcome, staged) -> None:
    new, unchanged, undo = [], [], []
    for record in chunk:
        place = places.get(importer.key_of(record))
        change = importer.classify(record, place)
        if change == "create":
            new.append(record)
        elif change == "same":
            unchanged.append(place.service_id)
        else:
            undo.append(_before(place))
            importer.upsert(actor, municipality, record, verified_on=today)
            outcome.place_ids.append(place.pk)
            outcome.updated += 1
    if new:
        made = importer.create_all(actor, municipality, new, today)
        undo.append({"created": vars(made)})
        outcome.place_ids += made.places
        outcome.created += len(new)
    # Importing counts as verifying: a date, not personal data, on the unchanged entries.
    Service.objects.filter(pk__in=unchanged).update(last_verified_on=today)
    outcome.unchanged += len(unchanged)
    if staged is not None:
        ImportChange.objects.bulk_create([ImportChange(staged=staged, undo=u) for u in undo])


def _before(place: ServiceAtLocation) -> dict:
    record = importer.record_of(place)
    return {
        "record": {
            "source": record.source,
            "service_id": record.service_id,
            "location_id": record.location_id,
            **record.content(),
        },
        "verified": place.service.last_verified_on,
    }


def refresh_openings(municipality_id: int, place_ids: list[int]) -> None:
    """The finder's index of openings for the places written, in short transactions too."""
    window = openings.computed_days(municipality_id)
    if window is None:
        return  # computed for the whole municipality at its first search
    in_short_transactions(
        place_ids,
        openings.replace_rows,
        prepare=lambda chunk: openings.rows_of(chunk, window),
    )


def undo(staged: DirectoryImport) -> None:
    """Take back every change the import logged, newest first (a chunk at a time)."""
    changes = list(staged.changes.order_by("-pk"))
    for change in changes:
        with transaction.atomic():
            if "created" in change.undo:
                _delete_created(change.undo["created"])
            else:
                _restore(staged, change.undo)
            change.delete()


def _delete_created(made: dict) -> None:
    ServiceAtLocation.objects.filter(pk__in=made["places"]).delete()
    Service.objects.filter(pk__in=made["services"]).delete()
    Location.objects.filter(pk__in=made["locations"], places__isnull=True).delete()
    unused = ResourceOrganisation.objects.filter(
        pk__in=made["organisations"], services__isnull=True, locations__isnull=True
    )
    unused.delete()


def _restore(staged: DirectoryImport, before: dict) -> None:
    fields = before["record"]
    record = Record(
        row=0,
        source=fields["source"],
        service_id=fields["service_id"],
        location_id=fields["location_id"],
        organisation=fields["organisation"],
        service=fields["service"],
        location=fields["location"],
        categories=fields["categories"],
        schedules=fields["schedules"],
    )
    importer.upsert(None, staged.municipality, record, verified_on=before.get("verified"))


def recover_stalled() -> int:
    """Undo the imports whose worker stopped while applying (no progress for a while), and
    close the checks that stopped likewise (they wrote nothing but their progress)."""
    before = timezone.now() - STALLED_AFTER
    stalled = DirectoryImport.objects.filter(
        status__in=[Status.APPLYING, Status.CHECKING], heartbeat_at__lt=before
    )
    count = 0
    for staged in stalled:
        if staged.status == Status.APPLYING:
            undo(staged)
            failure = "反映の途中で処理が止まったため、反映した分を取り消しました。"
        else:
            failure = "確認の途中で処理が止まりました。もう一度取り込んでください。"
        _progress(staged, 0, status=Status.FAILED, failure=failure)
        count += 1
    return count
