"""The demo's local area, the areas some of its children are looked after by, and addresses in them."""

from core.codes import code_set
from core.models import Area
from demo.context import Borough

HOME_LA = "877"  # Warrington
# Areas whose children some of ours are looked after by (placed here by them).
OTHER_LAS = ["876", "896"]  # Halton, Cheshire West and Chester
# Postcode districts, so addresses look as if they are where the LA code says.
POSTCODE_DISTRICTS = {
    "877": ["WA1", "WA2", "WA3", "WA4", "WA5"],
    "876": ["WA7", "WA8"],
    "342": ["WA9", "WA10", "WA11"],
    "359": ["WN1", "WN2", "WN3", "WN5"],
    "358": ["M32", "M33", "M41"],
    "896": ["CH1", "CH2", "CW7", "CW8"],
    "895": ["CW1", "CW2", "SK11"],
}
STREET_SUFFIXES = ["Road", "Street", "Lane", "Avenue", "Close", "Drive", "Way", "Crescent", "Grove", "Terrace"]


def areas_build(b: Borough) -> None:
    """The home area and the other areas, each named and coded from the LA code set."""
    b.area = _area_create(HOME_LA)
    b.other_areas = [_area_create(code) for code in OTHER_LAS]


def _area_create(la_code: str) -> Area:
    row = code_set("la")[la_code]
    return Area.objects.create(name=row.label, la_code=la_code, ons_code=row.row["ons_code"])


def address(b: Borough, la_code: str) -> tuple[str, str]:
    """A street address and a postcode in a district of the given LA."""
    town = code_set("la")[la_code].label
    street = f"{b.fake.building_number()} {b.fake.last_name()} {b.rng.choice(STREET_SUFFIXES)}"
    district = b.rng.choice(POSTCODE_DISTRICTS.get(la_code, POSTCODE_DISTRICTS[HOME_LA]))
    inward = b.fake.postcode().split()[-1]  # Faker's outward code may be anywhere in the UK
    return f"{street}, {town}", f"{district} {inward}"
