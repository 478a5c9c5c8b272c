"""Reads of the directory that depend on the viewer; each goes through the access policy."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.core.models import Area

from . import services
from .models import ChangeRequest, DirectoryImport, Service, ServiceAtLocation


@dataclass
class DirectoryFilters:
    text: str = ""
    category: str = ""
    visibility: str = ""
    region: int | None = None
    school_district: int | None = None
    status: str = ""
    reverify: bool = False


def services_for(viewer: User) -> QuerySet:
    return policy.scope(viewer, Service.objects.all())


def directory(viewer: User, filters: DirectoryFilters) -> QuerySet:
    """Every entry the viewer may see (informal helpers included for staff), filtered."""
    found = services_for(viewer).select_related("organisation")
    if filters.text:
        found = found.filter(
            Q(name__icontains=filters.text)
            | Q(name_kana__icontains=filters.text)
            | Q(organisation__name__icontains=filters.text)
        )
    if filters.category:
        found = found.filter(categories__code=filters.category)
    if filters.visibility:
        found = found.filter(visibility=filters.visibility)
    if filters.status:
        found = found.filter(status=filters.status)
    for field, value in (
        ("region", filters.region),
        ("school_district", filters.school_district),
    ):
        if value:
            found = found.filter(
                Exists(
                    ServiceAtLocation.objects.filter(
                        service=OuterRef("pk"), **{f"location__{field}": value}
                    )
                )
            )
    if filters.reverify:
        found = found.filter(
            Q(last_verified_on=None) | Q(last_verified_on__lt=services.due_for_verification())
        )
    return found.prefetch_related("categories", "places__location").order_by("name", "pk")


def map_places(viewer: User) -> QuerySet:
    """Every place of the viewer's directory that has a point (the staff map)."""
    return (
        policy.scope(viewer, ServiceAtLocation.objects.all())
        .filter(location__latitude__isnull=False)
        .select_related("service", "location")
        .prefetch_related("service__categories")
    )


def boundaries_for(viewer: User) -> list[dict]:
    """Loaded area and school-district boundaries of the viewer's municipality, as GeoJSON."""
    groups = []
    areas = Area.objects.filter(municipality=viewer.municipality_id, boundary__isnull=False)
    for kind, colour in ((Area.Kind.REGION, "#495057"), (Area.Kind.ELEMENTARY_DISTRICT, "#1971c2")):
        features = [
            {"type": "Feature", "geometry": area.boundary, "properties": {"name": area.name}}
            for area in areas.filter(kind=kind)
        ]
        if features:
            groups.append({"name": kind.label, "colour": colour, "features": features})
    return groups


def own_services(viewer: User) -> QuerySet:
    """The entries of the organisations the viewer's partner organisation operates."""
    return services_for(viewer).filter(organisation__operator=viewer.organisation_id)


def change_requests_for(viewer: User, status: str = ChangeRequest.Status.PENDING) -> QuerySet:
    return (
        policy.scope(viewer, ChangeRequest.objects.all())
        .filter(status=status)
        .select_related("service", "requested_by")
    )


def imports_for(viewer: User) -> QuerySet:
    """The open-data uploads of the viewer's municipality, newest first, without their files."""
    return policy.scope(viewer, DirectoryImport.objects.defer("data")).select_related(
        "uploaded_by", "applied_by"
    )
