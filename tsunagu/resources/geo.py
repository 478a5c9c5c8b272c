"""Points on the map: validation (inside Japan, swapped pairs) and distances."""

import math

from django.core.exceptions import ValidationError

# Japan's extent with a margin: 20°N (沖ノ鳥島) to 46°N (択捉島), 122°E (与那国島) to 154°E
# (南鳥島).
LATITUDES = (20.0, 46.0)
LONGITUDES = (122.0, 154.0)
EARTH_RADIUS_M = 6_371_000
# A distance a child can go alone (seed 000: 「子どもがひとりで自転車に乗っていける距離」).
WALK_M = 1_000  # about 15 minutes on foot
CYCLE_M = 3_000  # about 15 minutes by bicycle


def _inside(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def point_problem(latitude, longitude) -> str:
    """What is wrong with a point, in Japanese; '' when it is fine or absent."""
    if latitude is None and longitude is None:
        return ""
    if latitude is None or longitude is None:
        return "緯度と経度は両方入力してください。"
    if _inside(latitude, LATITUDES) and _inside(longitude, LONGITUDES):
        return ""
    if _inside(longitude, LATITUDES) and _inside(latitude, LONGITUDES):
        return f"緯度と経度が入れ替わっているようです(緯度 {latitude}、経度 {longitude})。"
    return f"日本の範囲外の位置です(緯度 {latitude}、経度 {longitude})。"


def check_point(latitude, longitude) -> None:
    problem = point_problem(latitude, longitude)
    if problem:
        raise ValidationError({"latitude": problem})


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bounding_box(latitude: float, longitude: float, radius_m: float) -> dict:
    """Latitude/longitude ranges that hold every point within ``radius_m`` (a filter for the
    index; the exact distance is checked afterwards)."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(latitude)), 0.01)
    return {
        "latitude__range": (latitude - dlat, latitude + dlat),
        "longitude__range": (longitude - dlon, longitude + dlon),
    }
