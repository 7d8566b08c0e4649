"""Where places are, for the directory's "within so many miles of a postcode": no network, no map service.

A postcode is placed at the centre of its district (the outward code, as WA1 of WA1 1UH), from
`reference/outcode_centroids.csv`, derived from Ordnance Survey's Code-Point Open (SOURCES.md). A
district is a few miles across at most, which is as near as "within N miles" needs. Settings that Get
Information about Schools places by easting and northing are converted with the Ordnance Survey's
own formulae (A guide to coordinate systems in Great Britain, annex C, and its Helmert transformation).
"""

import csv
import math
import re
from functools import cache

from core.codes import REFERENCE_DIR

EARTH_RADIUS_MILES = 3958.8
# A full postcode, or its district alone: the outward code is 2 to 4 characters, the inward 3.
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})?$")


def outcode_of(postcode: str) -> str | None:
    """The district of a postcode (WA1 of "wa1 1uh"), or None if it is not shaped like one."""
    match = POSTCODE.match(" ".join(postcode.upper().split()))
    return match.group(1) if match else None


@cache
def outcode_centroids() -> dict[str, tuple[float, float]]:
    with open(REFERENCE_DIR / "outcode_centroids.csv", encoding="utf-8", newline="") as f:
        return {row["outcode"]: (float(row["latitude"]), float(row["longitude"])) for row in csv.DictReader(f)}


def postcode_location(postcode: str) -> tuple[float, float] | None:
    """Latitude and longitude of the postcode's district, or None for a postcode no district of Great Britain has."""
    outcode = outcode_of(postcode)
    return outcode_centroids().get(outcode) if outcode else None


def miles_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance (haversine) between two (latitude, longitude) points, in miles."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(centre: tuple[float, float], miles: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) of a box that holds every point within `miles` of `centre`: a cheap first cut
    in SQL before the exact distance. Longitude degrees shrink towards the pole, so the box widens with latitude."""
    lat, lon = centre
    dlat = math.degrees(miles / EARTH_RADIUS_MILES)
    dlon = math.degrees(miles / (EARTH_RADIUS_MILES * max(math.cos(math.radians(abs(lat) + dlat)), 1e-6)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


# Airy 1830 (OSGB36) and the National Grid's projection.
_AIRY_A, _AIRY_B = 6377563.396, 6356256.909
_F0, _LAT0, _LON0, _N0, _E0 = 0.9996012717, math.radians(49), math.radians(-2), -100000.0, 400000.0
_WGS84_A, _WGS84_B = 6378137.0, 6356752.3142
# OSGB36 to WGS84: translations (m), scale (ppm), rotations (arc seconds).
_HELMERT = (446.448, -125.157, 542.060, -20.4894, 0.1502, 0.2470, 0.8421)


def _meridional_arc(lat: float) -> float:
    n = (_AIRY_A - _AIRY_B) / (_AIRY_A + _AIRY_B)
    dl, sl = lat - _LAT0, lat + _LAT0
    return (
        _AIRY_B
        * _F0
        * (
            (1 + n + 5 / 4 * n**2 + 5 / 4 * n**3) * dl
            - (3 * n + 3 * n**2 + 21 / 8 * n**3) * math.sin(dl) * math.cos(sl)
            + (15 / 8 * n**2 + 15 / 8 * n**3) * math.sin(2 * dl) * math.cos(2 * sl)
            - 35 / 24 * n**3 * math.sin(3 * dl) * math.cos(3 * sl)
        )
    )


def _grid_to_osgb36(easting: float, northing: float) -> tuple[float, float]:
    a, e2 = _AIRY_A, 1 - (_AIRY_B / _AIRY_A) ** 2
    lat = (northing - _N0) / (a * _F0) + _LAT0
    while abs(northing - _N0 - _meridional_arc(lat)) >= 0.00001:
        lat += (northing - _N0 - _meridional_arc(lat)) / (a * _F0)
    sin_lat, cos_lat, tan_lat = math.sin(lat), math.cos(lat), math.tan(lat)
    nu = a * _F0 / math.sqrt(1 - e2 * sin_lat**2)
    rho = a * _F0 * (1 - e2) / (1 - e2 * sin_lat**2) ** 1.5
    eta2 = nu / rho - 1
    t2, sec = tan_lat**2, 1 / cos_lat
    vii = tan_lat / (2 * rho * nu)
    viii = tan_lat / (24 * rho * nu**3) * (5 + 3 * t2 + eta2 - 9 * t2 * eta2)
    ix = tan_lat / (720 * rho * nu**5) * (61 + 90 * t2 + 45 * t2**2)
    x = sec / nu
    xi = sec / (6 * nu**3) * (nu / rho + 2 * t2)
    xii = sec / (120 * nu**5) * (5 + 28 * t2 + 24 * t2**2)
    xiia = sec / (5040 * nu**7) * (61 + 662 * t2 + 1320 * t2**2 + 720 * t2**3)
    de = easting - _E0
    return (
        lat - vii * de**2 + viii * de**4 - ix * de**6,
        _LON0 + x * de - xi * de**3 + xii * de**5 - xiia * de**7,
    )


def grid_to_latlon(easting: float, northing: float) -> tuple[float, float]:
    """A National Grid easting and northing (metres, OSGB36) as WGS84 latitude and longitude in degrees, to a few metres."""
    lat, lon = _grid_to_osgb36(easting, northing)
    e2 = 1 - (_AIRY_B / _AIRY_A) ** 2
    nu = _AIRY_A / math.sqrt(1 - e2 * math.sin(lat) ** 2)
    x1 = nu * math.cos(lat) * math.cos(lon)
    y1 = nu * math.cos(lat) * math.sin(lon)
    z1 = nu * (1 - e2) * math.sin(lat)
    tx, ty, tz, s, rx, ry, rz = _HELMERT
    s = s * 1e-6
    rx, ry, rz = (math.radians(r / 3600) for r in (rx, ry, rz))
    x2 = tx + (1 + s) * x1 - rz * y1 + ry * z1
    y2 = ty + rz * x1 + (1 + s) * y1 - rx * z1
    z2 = tz - ry * x1 + rx * y1 + (1 + s) * z1
    e2 = 1 - (_WGS84_B / _WGS84_A) ** 2
    p = math.hypot(x2, y2)
    lat = math.atan2(z2, p * (1 - e2))
    for _ in range(10):
        nu = _WGS84_A / math.sqrt(1 - e2 * math.sin(lat) ** 2)
        lat = math.atan2(z2 + e2 * nu * math.sin(lat), p)
    return math.degrees(lat), math.degrees(math.atan2(y2, x2))
