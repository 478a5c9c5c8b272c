"""Area boundaries from a GeoJSON file: a FeatureCollection of polygons in longitude and
latitude (WGS84 / JGD2011), one feature per area, such as a city's school districts."""

import json
from dataclasses import dataclass

from .. import geo

# Properties that hold an area's name when the file's own is not given.
NAME_PROPERTIES = ("name", "名称", "NAME", "Name")
POLYGONS = ("Polygon", "MultiPolygon")


class BoundaryError(ValueError):
    """The file is not GeoJSON of polygons (said in Japanese)."""


@dataclass
class Boundary:
    number: int  # the feature's place in the file, for messages
    name: str
    code: str
    geometry: dict


def _positions(geometry: dict):
    rings = geometry["coordinates"]
    polygons = rings if geometry["type"] == "MultiPolygon" else [rings]
    for polygon in polygons:
        for ring in polygon:
            yield from ring


def _geometry_problem(geometry) -> str:
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGONS:
        kind = geometry.get("type") if isinstance(geometry, dict) else geometry
        return f"図形が多角形(Polygon / MultiPolygon)ではありません({kind})。"
    try:
        positions = list(_positions(geometry))
        for longitude, latitude, *_ in positions:
            problem = geo.point_problem(float(latitude), float(longitude))
            if problem:
                return problem + "座標は経度・緯度の順(WGS84 / JGD2011)にしてください。"
    except (KeyError, TypeError, ValueError):
        return "座標の形が GeoJSON の多角形になっていません。"
    return "" if positions else "座標がありません。"


def _text(properties: dict, key: str | None, candidates=()) -> str:
    for name in (key,) if key else candidates:
        if properties.get(name) not in (None, ""):
            return str(properties[name]).strip()
    return ""


def read(data: bytes, name_property: str | None = None, code_property: str | None = None):
    """The file's boundaries and, in Japanese, what is wrong with its features."""
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BoundaryError(f"GeoJSON として読めません: {error}") from error
    if isinstance(parsed, dict) and parsed.get("type") == "Feature":
        parsed = {"type": "FeatureCollection", "features": [parsed]}
    if not isinstance(parsed, dict) or parsed.get("type") != "FeatureCollection":
        raise BoundaryError("GeoJSON の FeatureCollection ではありません。")
    boundaries, errors = [], []
    for number, feature in enumerate(parsed.get("features") or [], start=1):
        properties = (feature or {}).get("properties") or {}
        name = _text(properties, name_property, NAME_PROPERTIES)
        problem = _geometry_problem((feature or {}).get("geometry"))
        if not name:
            wanted = name_property or "・".join(NAME_PROPERTIES)
            problem = f"名称({wanted})がありません。" + problem
        if problem:
            errors.append(f"{number}番目の地物「{name}」: {problem}")
            continue
        code = _text(properties, code_property) if code_property else ""
        boundaries.append(Boundary(number, name, code, feature["geometry"]))
    if not boundaries and not errors:
        raise BoundaryError("地物(features)がありません。")
    return boundaries, errors
