"""Files in and out: which format a file is, and the public directory as records."""

from ..finder import public_places
from . import hsds, jp
from .records import Record, record_of

FORMATS = {"jp-opendata": jp, "hsds": hsds}
# A file that is neither format, with the reason in Japanese.
UNREADABLE = (jp.LayoutError, hsds.HsdsError)


def read(data: bytes) -> tuple[str, list[Record]]:
    """The format of ``data`` (HSDS JSON or the municipal CSV) and its records, each text of
    which is checked here, for both formats, for control characters (an error of its row)."""
    if data.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] in (b"[", b"{"):
        kind, records = "hsds", hsds.read(data)
    else:
        kind, records = "jp-opendata", jp.read(data)
    for record in records:
        record.check_characters()
    return kind, records


def public_records(municipality) -> list[Record]:
    """Every public entry of the municipality: open data never carries a staff-only one."""
    places = (
        public_places()
        .filter(service__municipality=municipality)
        .select_related("service__organisation", "location")
        .prefetch_related("service__categories", "schedules")
        .order_by("pk")
    )
    return [record_of(place, row=n) for n, place in enumerate(places, start=1)]


def export(municipality, format_name: str) -> bytes:
    return FORMATS[format_name].write(public_records(municipality), municipality)
