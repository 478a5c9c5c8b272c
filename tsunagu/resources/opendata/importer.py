"""Applying records to the directory: each is found again by where it came from (source and
its id), so that importing the same file twice changes nothing."""

from dataclasses import dataclass, field

from tsunagu.core.history import as_actor, get_or_create_as

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

    def summary(self) -> str:
        return f"新規 {self.created} 件、更新 {self.updated} 件、変更なし {self.unchanged} 件" + (
            f"、エラーで除外 {self.skipped} 件" if self.skipped else ""
        )


def _existing_place(municipality, record: Record) -> ServiceAtLocation | None:
    return (
        ServiceAtLocation.objects.filter(
            service__municipality=municipality,
            service__source=record.source,
            service__external_id=record.service_id,
            location__source=record.source,
            location__external_id=record.location_id,
        )
        .select_related("service__organisation", "location")
        .prefetch_related("service__categories", "schedules")
        .first()
    )


def classify(municipality, record: Record) -> str:
    """'create', 'update' or 'same' for a valid record."""
    place = _existing_place(municipality, record)
    if place is None:
        return "create"
    return "same" if record_of(place).content() == record.content() else "update"


def upsert(actor, municipality, record: Record) -> str:
    kind = classify(municipality, record)
    if kind == "same":
        return kind
    organisation, _ = get_or_create_as(
        actor,
        ResourceOrganisation,
        municipality=municipality,
        name=record.organisation[:150] or record.service["name"][:150],
    )
    service = _find(Service, municipality, record.source, record.service_id) or _new(
        Service, municipality, record, "service", record.service_id
    )
    service.organisation = organisation
    for name in SERVICE_FIELDS:
        setattr(service, name, field_value(Service, name, record.service))
    if not service.pk:
        service.last_verified_on = None
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
        schedule = Schedule(place=place, **{k: field_value(Schedule, k, fields) for k in fields})
        as_actor(actor, schedule).save()
    return kind


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
