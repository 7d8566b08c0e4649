"""Registered settings from a Get Information about Schools (GIAS) establishment extract.

The LA downloads "all establishment data" (edubasealldata, about 50,000 rows for England, in
Windows-1252) and uploads it as it comes. Every row is read and checked; the open settings of the
types the directory takes (`directory` in core/reference/gias_establishment_types.csv: pupil
referral units, AP and special academies and free schools, independent and special schools, online
providers) are added or brought up to date, matched by URN, and the rest are left out. A row that
says what the directory already says changes nothing, so the same file twice changes nothing.

GIAS holds what registration says of a setting: its name, type, address, local authority, UKPRN
and place. Those follow the file. Ages, key stages and places are set from it when a setting is
added; after that they are the area's to keep (GIAS's ages are statutory, not what AP it offers).
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from core.access import may_import_establishments
from core.codes import code_set
from core.geo import grid_to_latlon, postcode_location
from core.imports import ImportPlan, ImportSpec, ImportWords, RowProblems
from core.models import AuditAction, Organisation, OrganisationKind, User
from core.spreadsheets import Problem, match_columns
from providers.models import GiasImport, Provider, key_stages_for
from providers.services import gias_import_write

# Every column of the GIAS "all establishment data" extract, in its order. A file may hold any of them, or
# leave out any but the required; a column not among them is refused, so that a file of something else
# (or a mistyped heading) never half-passes.
GIAS_COLUMNS = [
    "URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName",
    "TypeOfEstablishment (code)", "TypeOfEstablishment (name)", "EstablishmentTypeGroup (code)",
    "EstablishmentTypeGroup (name)", "EstablishmentStatus (code)", "EstablishmentStatus (name)",
    "ReasonEstablishmentOpened (code)", "ReasonEstablishmentOpened (name)", "OpenDate",
    "ReasonEstablishmentClosed (code)", "ReasonEstablishmentClosed (name)", "CloseDate",
    "PhaseOfEducation (code)", "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge",
    "Boarders (code)", "Boarders (name)", "NurseryProvision (name)", "OfficialSixthForm (code)",
    "OfficialSixthForm (name)", "Gender (code)", "Gender (name)", "ReligiousCharacter (code)",
    "ReligiousCharacter (name)", "ReligiousEthos (name)", "Diocese (code)", "Diocese (name)",
    "AdmissionsPolicy (code)", "AdmissionsPolicy (name)", "SchoolCapacity", "SpecialClasses (code)",
    "SpecialClasses (name)", "CensusDate", "NumberOfPupils", "NumberOfBoys", "NumberOfGirls", "PercentageFSM",
    "TrustSchoolFlag (code)", "TrustSchoolFlag (name)", "Trusts (code)", "Trusts (name)",
    "SchoolSponsorFlag (name)", "SchoolSponsors (name)", "FederationFlag (name)", "Federations (code)",
    "Federations (name)", "UKPRN", "FEHEIdentifier", "FurtherEducationType (name)", "OfstedLastInsp",
    "OfstedSpecialMeasures (code)", "OfstedSpecialMeasures (name)", "LastChangedDate", "Street", "Locality",
    "Address3", "Town", "County (name)", "Postcode", "SchoolWebsite", "TelephoneNum", "HeadTitle (name)",
    "HeadFirstName", "HeadLastName", "HeadPreferredJobTitle", "BSOInspectorateName (name)",
    "InspectorateReport", "DateOfLastInspectionVisit", "NextInspectionVisit", "TeenMoth (name)",
    "TeenMothPlaces", "CCF (name)", "SENPRU (name)", "EBD (name)", "PlacesPRU", "FTProv (name)",
    "EdByOther (name)", "Section41Approved (name)", "SEN1 (name)", "SEN2 (name)", "SEN3 (name)", "SEN4 (name)",
    "SEN5 (name)", "SEN6 (name)", "SEN7 (name)", "SEN8 (name)", "SEN9 (name)", "SEN10 (name)", "SEN11 (name)",
    "SEN12 (name)", "SEN13 (name)", "TypeOfResourcedProvision (name)", "ResourcedProvisionOnRoll",
    "ResourcedProvisionCapacity", "SenUnitOnRoll", "SenUnitCapacity", "GOR (code)", "GOR (name)",
    "DistrictAdministrative (code)", "DistrictAdministrative (name)", "AdministrativeWard (code)",
    "AdministrativeWard (name)", "ParliamentaryConstituency (code)", "ParliamentaryConstituency (name)",
    "UrbanRural (code)", "UrbanRural (name)", "GSSLACode (name)", "Easting", "Northing", "MSOA (name)",
    "LSOA (name)", "InspectorateName (name)", "SENStat", "SENNoStat", "BoardingEstablishment (name)",
    "PropsName", "PreviousLA (code)", "PreviousLA (name)", "PreviousEstablishmentNumber", "OfstedRating (name)",
    "RSCRegion (name)", "Country (name)", "UPRN", "SiteName", "QABName (code)", "QABName (name)",
    "EstablishmentAccredited (code)", "EstablishmentAccredited (name)", "QABReport", "CHNumber", "MSOA (code)",
    "LSOA (code)", "FSM", "AccreditationExpiryDate",
]  # fmt: skip
REQUIRED = frozenset(
    {
        "URN",
        "EstablishmentName",
        "TypeOfEstablishment (name)",
        "EstablishmentStatus (name)",
        "LA (code)",
        "Postcode",
        "StatutoryLowAge",
        "StatutoryHighAge",
    }
)
# The columns read; the others are checked for their heading only.
READ = [*sorted(REQUIRED), "Street", "Locality", "Address3", "Town", "UKPRN", "Easting", "Northing", "SchoolCapacity"]
# GIAS's own words for a setting that is open (EstablishmentStatus (name)); "Closed" and "Proposed to open" are not.
OPEN = frozenset({"Open", "Open, but proposed to close"})
MAX_BYTES = 100 * 1024 * 1024
URN = re.compile(r"^[0-9]{6}$")
UKPRN = re.compile(r"^[0-9]{8}$")
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
TITLES = {name: name for name in GIAS_COLUMNS}
# What the directory's age fields hold (Provider.min_age and max_age).
YOUNGEST, OLDEST = 4, 25


def _types_by_name() -> dict[str, tuple[str, str]]:
    """GIAS type name -> (its code, the registration the directory gives it, or "" for a type left out)."""
    return {c.label: (c.code, c.row.get("directory", "")) for c in code_set("gias_establishment_type").values()}


def decode_rows(content: bytes) -> tuple[str, list[Problem]]:
    """The file as text: UTF-8 (with or without a byte order mark), else Windows-1252, as GIAS saves it.

    A row that is neither, or that is UTF-8 in a file otherwise Windows-1252 (rows pasted from another
    file), is named, since reading it either way would change its letters without a word."""
    try:
        return content.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    lines, problems = [], []
    for number, line in enumerate(content.split(b"\n"), start=1):
        if max(line, default=0) < 0x80:
            lines.append(line.decode("ascii"))
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            problems.append(
                Problem(
                    number, "", "", "is saved as UTF-8 while other rows are Windows-1252: save the whole file again"
                )
            )
            continue
        try:
            lines.append(line.decode("cp1252"))
        except UnicodeDecodeError as error:
            byte = line[error.start : error.start + 1].hex().upper()
            problems.append(
                Problem(number, "", f"byte {byte}", "is not a character in UTF-8 or Windows-1252: the file is damaged")
            )
    return "\n".join(lines), problems


def read_gias(content: bytes, filename: str) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """Each row's cells by GIAS column name, numbered as in the file; or the problems that stop the file being read."""
    if len(content) > MAX_BYTES:
        size = getattr(content, "size", len(content))
        return [], [Problem(None, "", "", f"The file is {size / 2**20:.0f} MB, over the {MAX_BYTES // 2**20} MB limit")]
    if not content.strip():
        return [], [Problem(None, "", "", "The file is empty")]
    text, problems = decode_rows(content)
    if problems:
        return [], problems
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error):
        return [], [Problem(None, "", "", "The file has no heading row")]
    match = match_columns(header, {name: [name] for name in GIAS_COLUMNS}, optional=frozenset(GIAS_COLUMNS) - REQUIRED)
    if match.problems:
        return [], [Problem(1, "", "", rule) for rule in match.problems]
    where = [(name, match.index[name]) for name in READ if name in match.index]
    width = len(header)
    rows = []
    try:
        for number, record in enumerate(reader, start=2):
            if not record or not any(record):
                continue
            if len(record) != width:
                problems.append(
                    Problem(
                        number, "", "", f"has {len(record)} cells but the heading row has {width}: check its commas"
                    )
                )
                continue
            rows.append((number, {name: record[i].strip() for name, i in where}))
    except csv.Error:
        return [], [Problem(reader.line_num, "", "", "could not be read: its quotation marks do not pair up")]
    if not rows and not problems:
        problems.append(Problem(None, "", "", "The file has a heading row but no rows of data"))
    return rows, problems


@dataclass
class GiasRow:
    """One establishment as the directory would hold it, or None in `values` for a row it leaves out."""

    urn: str
    name: str = ""
    type_code: str = ""
    registration: str = ""
    la_code: str = ""
    address: str = ""
    postcode: str = ""
    ukprn: str = ""
    youngest: int = YOUNGEST
    oldest: int = YOUNGEST
    capacity: int = 0
    location: tuple[float, float] | None = None
    taken: bool = False
    problems: list[Problem] = field(default_factory=list)


def gias_row(number: int, cells: dict[str, str], types: dict | None = None, areas: set | None = None) -> GiasRow:
    """Read one row of an extract. Every row's URN is checked; the rest only of a row the directory takes."""
    types = _types_by_name() if types is None else types
    areas = set(code_set("la")) if areas is None else areas
    problem = RowProblems(number, cells, TITLES)
    row = GiasRow(urn=cells.get("URN", ""), problems=problem)
    if not URN.match(row.urn):
        problem("URN", "must be the establishment's 6-digit URN")
    type_name = cells.get("TypeOfEstablishment (name)", "")
    if type_name not in types:
        problem("TypeOfEstablishment (name)", "is not an establishment type of Get Information about Schools")
        return row
    row.type_code, row.registration = types[type_name]
    row.taken = bool(row.registration) and cells.get("EstablishmentStatus (name)", "") in OPEN
    if not row.taken:
        return row
    row.name = " ".join(cells.get("EstablishmentName", "").split())
    if not row.name:
        problem("EstablishmentName", "is empty: every setting needs its name")
    elif len(row.name) > 200:
        problem("EstablishmentName", "is longer than 200 characters")
    row.la_code = cells.get("LA (code)", "")
    if row.la_code not in areas:
        problem("LA (code)", "is not the 3-digit code of a local authority in England")
    row.postcode = " ".join(cells.get("Postcode", "").upper().split())
    if not POSTCODE.match(row.postcode):
        problem("Postcode", "must be a full postcode, like WA1 1UH")
    row.address = ", ".join(
        p for p in (cells.get(k, "").strip() for k in ("Street", "Locality", "Address3", "Town")) if p
    )
    row.address = row.address[:300] or row.postcode
    row.ukprn = cells.get("UKPRN", "")
    if row.ukprn and not UKPRN.match(row.ukprn):
        problem("UKPRN", "must be 8 digits, or left empty")
    low, high = _whole(cells.get("StatutoryLowAge", "")), _whole(cells.get("StatutoryHighAge", ""))
    if low is None:
        problem("StatutoryLowAge", "must be a whole number of years")
    if high is None:
        problem("StatutoryHighAge", "must be a whole number of years")
    if low is not None and high is not None:
        if high < low:
            problem("StatutoryHighAge", "must be the same as or more than the statutory low age")
        # The directory's ages run from 4 (reception) to 25 (the oldest with an EHC plan); a nursery's 2 is 4 there.
        row.youngest = min(max(low, YOUNGEST), OLDEST)
        row.oldest = min(max(high, row.youngest), OLDEST)
    row.capacity = _whole(cells.get("SchoolCapacity", "")) or 0
    easting, northing = _whole(cells.get("Easting", "")), _whole(cells.get("Northing", ""))
    if easting and northing:
        latitude, longitude = grid_to_latlon(easting, northing)
        row.location = (round(latitude, 6), round(longitude, 6))
    else:
        row.location = postcode_location(row.postcode)
    return row


def _whole(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


@dataclass
class GiasPlan(ImportPlan):
    organisations_changed: list = field(default_factory=list)


# A provider's fields that follow GIAS on every import.
FOLLOWS_GIAS = ("registration", "gias_establishment_type", "ukprn", "address", "postcode", "location_la")


def plan_gias(*, user: User, upload: GiasImport, rows: list[tuple[int, dict[str, str]]], today: date) -> GiasPlan:
    """What the extract would add and bring up to date in the directory, or every problem that stops it."""
    plan = GiasPlan()
    area = user.primary_organisation.area
    types, areas = _types_by_name(), set(code_set("la"))
    # Every organisation with a URN: a file of all England names most of them, more than a query's IN list may hold.
    known = {o.urn: o for o in Organisation.objects.exclude(urn="").select_related("provider")}
    seen: dict[str, int] = {}
    for number, cells in rows:
        row = gias_row(number, cells, types, areas)
        if row.urn in seen:
            row.problems.append(Problem(number, "URN", row.urn, f"is also on row {seen[row.urn]}: one row per URN"))
        seen.setdefault(row.urn, number)
        if not row.taken or row.problems:
            plan.problems += row.problems
            plan.left_out += not row.taken
            continue
        organisation = known.get(row.urn)
        if organisation is None:
            plan.add(_new_provider(row, area), None)
            continue
        provider = getattr(organisation, "provider", None)
        if provider is None or organisation.area_id != area.pk:
            whose = "another area's" if organisation.area_id != area.pk else f"{organisation.name}, not a provider"
            plan.problems.append(Problem(number, "URN", row.urn, f"is the URN of {whose} in the register"))
            continue
        _update(plan, organisation, provider, row)
    return plan


def _values(row: GiasRow) -> dict:
    latitude, longitude = row.location or (None, None)
    return {
        "registration": row.registration,
        "gias_establishment_type": row.type_code,
        "ukprn": row.ukprn,
        "address": row.address,
        "postcode": row.postcode,
        "location_la": row.la_code,
        "latitude": latitude,
        "longitude": longitude,
    }


def _new_provider(row: GiasRow, area) -> Provider:
    organisation = Organisation(name=row.name, kind=OrganisationKind.AP_PROVIDER, area=area, urn=row.urn)
    return Provider(
        organisation=organisation,
        min_age=row.youngest,
        max_age=row.oldest,
        key_stages=key_stages_for(row.youngest, row.oldest),
        capacity=row.capacity,
        offers_full_time=True,
        residential=False,
        **_values(row),
    )


def _update(plan: GiasPlan, organisation: Organisation, provider: Provider, row: GiasRow) -> None:
    values = _values(row)
    changed = [name for name, value in values.items() if getattr(provider, name) != value]
    for name in changed:
        setattr(provider, name, values[name])
    if organisation.name != row.name:
        organisation.name = row.name
        plan.organisations_changed.append(organisation)
        changed.append("organisation")  # its name, which the check page shows as the organisation's
    plan.add(provider, changed)


GIAS_IMPORT = ImportSpec(
    name="gias_import",
    path="providers/gias-import",
    model=GiasImport,
    columns={name: [name] for name in GIAS_COLUMNS},
    required=REQUIRED,
    plan=plan_gias,
    write=gias_import_write,
    checked=AuditAction.GIAS_IMPORT_CHECKED,
    read=read_gias,
    describe=lambda provider: f"{provider.organisation.urn} {provider.organisation.name}",
    scope=lambda user: {} if may_import_establishments(user) else None,
    page="providers/gias_import.html",
    page_context=lambda user: {"required": sorted(REQUIRED)},
    after="provider_list",
    max_bytes=MAX_BYTES,
    words=ImportWords(
        title="Import settings from Get Information about Schools",
        one="setting",
        many="settings",
        label="Establishment extract",
        hint="The CSV file of all establishment data from Get Information about Schools, up to 100 MB, as it comes",
        verb="import",
        done="{added} added to the directory and {changed} brought up to date.",
    ),
)
