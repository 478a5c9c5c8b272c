"""Applying records to the directory: each is found again by where it came from (its source,
which names the publisher and the dataset, and its id), so that importing the same file twice
changes nothing. New entries are written in bulk (with their history rows naming the actor);
changed ones one by one."""

from dataclasses import dataclass, field

from tsunagu.core import bulk
from tsunagu.core.history import as_actor, bulk_create_as, get_or_create_as

from ..models import (
    Category,
    Location,
    ResourceOrganisation,
    Schedule,
    Service,
    ServiceAtLocation,
)
from .records import LOCATION_FIELDS, SERVICE_FIELDS, Record, RowError, record_of


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    place_ids: list[int] = field(default_factory=list)  # the places written

    def summary(self) -> str:
        return f"新規 {self.created} 件、更新 {self.updated} 件、変更なし {self.unchanged} 件" + (
            f"、エラーで除外 {self.skipped} 件" if self.skipped else ""
        )


def key_of(record: Record) -> tuple[str, str, str]:
    return (record.source, record.service_id, record.location_id)


def existing(municipality, records: list[Record]) -> dict[tuple, ServiceAtLocation]:
    """The places of the directory that ``records`` would replace, by their key (one query per
    thousand sources and ids, whatever the number of records)."""
    found: dict[tuple, ServiceAtLocation] = {}
    ids = sorted({r.service_id for r in records})
    sources = sorted({r.source for r in records})
    for start in range(0, len(ids), 900):  # SQLite's limit of parameters
        places = (
            ServiceAtLocation.objects.filter(
                service__municipality=municipality,
                service__source__in=sources,
                service__external_id__in=ids[start : start + 900],
            )
            .select_related("service__organisation", "location")
            .prefetch_related("service__categories", "schedules")
        )
        for place in places:
            found[(place.service.source, place.service.external_id, place.location.external_id)] = (
                place
            )
    return found


def classify(record: Record, place: ServiceAtLocation | None) -> str:
    """'create', 'update' or 'same' for a valid record and the place it would replace."""
    if place is None:
        return "create"
    return "same" if record_of(place).content() == record.content() else "update"


def changed_parts(record: Record, place: ServiceAtLocation) -> list[str]:
    """Which parts of an entry an update replaces ("service.name", "schedules" …)."""
    before, after = record_of(place).content(), record.content()
    found = []
    for part in ("organisation", "categories", "schedules"):
        if before[part] != after[part]:
            found.append(part)
    for part in ("service", "location"):
        found += [f"{part}.{k}" for k in after[part] if before[part].get(k) != after[part][k]]
    return found


def upsert(actor, municipality, record: Record, verified_on=None) -> None:
    """Write one record over the entry of its key (or as a new one); importing counts as
    verifying the entry on ``verified_on``."""
    organisation, _ = get_or_create_as(
        actor, ResourceOrganisation, municipality=municipality, name=_organisation_name(record)
    )
    service = _find(Service, municipality, record.source, record.service_id) or _new(
        Service, municipality, record, "service", record.service_id
    )
    service.organisation = organisation
    for name in SERVICE_FIELDS:
        setattr(service, name, field_value(Service, name, record.service))
    service.last_verified_on = verified_on
    as_actor(actor, service).save()
    service.categories.set(Category.objects.filter(code__in=record.categories))
    location = _find(Location, municipality, record.source, record.location_id) or _new(
        Location, municipality, record, "location", record.location_id
    )
    location.organisation = organisation
    for name in LOCATION_FIELDS:
        setattr(location, name, field_value(Location, name, record.location))
    as_actor(actor, location).save()
    place, _ = ServiceAtLocation.objects.get_or_create(service=service, location=location)
    for old in place.schedules.all():
        as_actor(actor, old).delete()
    for fields in record.schedules:
        as_actor(actor, schedule_of(place, fields)).save()


def schedule_of(place: ServiceAtLocation, fields: dict) -> Schedule:
    return Schedule(place=place, **{k: field_value(Schedule, k, fields) for k in fields})


@dataclass
class Created:
    """The rows one bulk create made (their ids, for the undo log)."""

    organisations: list[int] = field(default_factory=list)
    services: list[int] = field(default_factory=list)
    locations: list[int] = field(default_factory=list)
    places: list[int] = field(default_factory=list)


def create_all(actor, municipality, records: list[Record], verified_on) -> Created:
    """New entries for ``records`` (none of whose keys is in the directory yet), in bulk: a
    few statements per table, each history row naming ``actor``."""
    made = Created()
    organisations = _organisations(actor, municipality, records, made)
    services: dict[tuple, Service] = {}
    locations: dict[tuple, Location] = {}
    for record in records:
        organisation = organisations[_organisation_name(record)]
        services.setdefault(
            (record.source, record.service_id),
            _filled(
                _new(Service, municipality, record, "service", record.service_id),
                SERVICE_FIELDS,
                record.service,
                organisation=organisation,
                last_verified_on=verified_on,
            ),
        )
        locations.setdefault(
            (record.source, record.location_id),
            _filled(
                _new(Location, municipality, record, "location", record.location_id),
                LOCATION_FIELDS,
                record.location,
                organisation=organisation,
            ),
        )
    for model, rows in ((Service, services), (Location, locations)):
        bulk_create_as(actor, model, list(rows.values()))
    made.services = [s.pk for s in services.values()]
    made.locations = [loc.pk for loc in locations.values()]
    places = bulk.insert(
        ServiceAtLocation,
        [
            ServiceAtLocation(
                service=services[(r.source, r.service_id)],
                location=locations[(r.source, r.location_id)],
            )
            for r in records
        ],
    )
    made.places = [p.pk for p in places]
    schedules = [
        schedule_of(p, f) for p, r in zip(places, records, strict=True) for f in r.schedules
    ]
    bulk_create_as(actor, Schedule, schedules)
    categories = dict(Category.objects.values_list("code", "pk"))
    through = Service.categories.through
    links = {
        (services[(r.source, r.service_id)].pk, categories[code])
        for r in records
        for code in r.categories
        if code in categories
    }
    bulk.insert(through, [through(service_id=s, category_id=c) for s, c in sorted(links)])
    return made


def _organisation_name(record: Record) -> str:
    return record.organisation[:150] or record.service["name"][:150]


def _organisations(actor, municipality, records, made: Created) -> dict[str, ResourceOrganisation]:
    names = sorted({_organisation_name(r) for r in records})
    found = {}
    for start in range(0, len(names), 900):
        found.update(
            (o.name, o)
            for o in ResourceOrganisation.objects.filter(
                municipality=municipality, name__in=names[start : start + 900]
            ).order_by("pk")
        )
    missing = [
        ResourceOrganisation(municipality=municipality, name=n) for n in names if n not in found
    ]
    bulk_create_as(actor, ResourceOrganisation, missing)
    made.organisations = [o.pk for o in missing]
    return found | {o.name: o for o in missing}


def _filled(obj, names, values: dict, **more):
    for name in names:
        setattr(obj, name, field_value(type(obj), name, values))
    for name, value in more.items():
        setattr(obj, name, value)
    return obj


def _new(model, municipality, record: Record, kind: str, external_id: str):
    """A new row, keeping the file's open-data id when it has one that is free."""
    obj = model(municipality=municipality, source=record.source, external_id=external_id)
    uid = record.uids.get(kind)
    if uid and not model.objects.filter(uid=uid).exists():
        obj.uid = uid
    return obj


def _find(model, municipality, source: str, external_id: str):
    return model.objects.filter(
        municipality=municipality, source=source, external_id=external_id
    ).first()


def field_value(model, name: str, values: dict):
    field_ = model._meta.get_field(name)
    value = values.get(name)
    if value is None:
        return None if field_.null else field_.get_default()
    return field_.to_python(value)
