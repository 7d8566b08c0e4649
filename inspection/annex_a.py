"""The Annex A return: the person-level lists inspectors ask for, pseudonymised, in one workbook.

Each sheet is defined once here, with its columns and what they mean; the workbook,
the zip of CSV files and the data dictionary sheet are all written from these
definitions. Rows hold no names, dates of birth, UPNs, addresses or free text.
"""

import io
import zipfile
from collections import defaultdict, namedtuple
from dataclasses import dataclass, field
from datetime import date

from attendance.rules import attendance_percentage, attendance_totals_between
from casework.models import Destination, EndReason
from children.models import EhcPlanStatus, age_on
from core.access import attendance_months_visible_to, children_visible_to, placements_visible_to
from core.codes import label
from core.csv_export import csv_text
from core.models import User
from core.periods import is_open_on, not_ended_by, recent_since
from core.xlsx_export import data_cells, workbook
from inspection.models import Inspection
from placements.models import (
    AttendancePattern,
    CommissionerType,
    PlacementStatus,
    ProvisionType,
    RegistrationType,
    placement_status,
)
from providers.models import Provider, Registration


@dataclass(frozen=True)
class Column:
    header: str
    meaning: str
    code_set: str = ""


@dataclass
class Sheet:
    name: str
    title: str
    as_at: date
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    empty_note: str = "No children meet this description on this date."
    counted: bool = False
    children: set = field(default_factory=set)  # public ids: the download goes on each child's access log

    @property
    def summary(self) -> str:
        """For a sheet of settings attended: how many rows, children and planned placements an inspector is counting."""
        if not self.counted:
            return ""
        status = self.columns.index(STATUS_COLUMN)
        planned = sum(1 for row in self.rows if row[status] == STATUS_WORDS[PlacementStatus.PLANNED])
        return (
            f"Rows: {len(self.rows)}. Children: {len({row[0] for row in self.rows})}. "
            f'Rows for placements planned but not started: {planned} (Status "{STATUS_WORDS[PlacementStatus.PLANNED]}").'
        )


CHILD_COLUMNS = [
    Column("Pseudonymised id", "The child's id for this inspection only; the local authority can look it up"),
    Column("Age", "Age in whole years on the date the data represents"),
    Column("Sex", "As recorded in the school census", "gender"),
    Column("Ethnicity", "DfE ethnicity category", "ethnicity"),
    Column("SEN provision", "EHC plan, SEN support or none", "sen_provision"),
    Column("Primary SEN need", "DfE SEN type", "sen_primary_need"),
    Column("Secondary SEN need", "DfE SEN type", "sen_primary_need"),
    Column(
        "Health needs recorded", "Whether health needs relevant to education are recorded (the text is not exported)"
    ),
    Column("EHC plan status", "Has an EHC plan, had one, being assessed, or none"),
    Column("Looked after", "A child looked after by a local authority"),
]
# Annex A asks for the settings a child attends and has attended: a placement planned
# but not started is listed too, so the LA's plans are in view, and says it is not attended.
STATUS_WORDS = {
    PlacementStatus.ACTIVE: "Attending",
    PlacementStatus.ENDED: "Ended",
    PlacementStatus.PLANNED: "Planned, not started",
}
STATUS_COLUMN = Column(
    "Status",
    "Attending (placed there today), Ended, or Planned, not started (agreed, with a start date still to come; "
    "the child does not attend it yet). The line above the headings counts these rows.",
)
SETTING_COLUMNS = [
    Column("Setting", "The AP setting attended"),
    STATUS_COLUMN,
    Column("Setting URN", "Unique reference number in Get Information about Schools, where it has one"),
    Column("Registration", "State-maintained, independent registered or independent unregistered"),
    Column("Type of provision", "PRU or AP academy, independent AP, home or hospital tuition, online, outreach"),
    Column("In or out of area", "Whether the setting is in the area's own local authority"),
    Column("Journey time (minutes)", "From home to the setting, where recorded"),
    Column("Full or part time", "As commissioned"),
    Column("Hours a week", "Hours of education commissioned each week"),
    Column("Single or dual registration", "Dual: on the roll of the home school and the AP setting"),
    Column("Commissioner", "The organisation that commissioned the placement"),
    Column("Commissioner type", "Local authority, school, academy trust, health, social care or other"),
    Column("Reason for placement", "Primary reason for the placement", "ap_placement_reason"),
    Column("Start date", "First day of the placement"),
    Column("End date", "Last day of the placement, if it has ended"),
    Column("Attendance %", "Attended sessions as a percentage of possible sessions at this setting (DfE rules)"),
    Column("Residential", "Whether the child lives at the setting during the week"),
    Column("Outreach provider", "The setting providing outreach, where the placement is outreach"),
]
DESTINATION_COLUMNS = [
    Column("Reason the placement ended", "Why the child left the setting"),
    Column("Destination after leaving AP", "Where the child went next"),
    Column("Post-16 activity", "NCCIS activity code for a young person who left at 16", "post16_activity"),
]
DSR_COLUMNS = [
    Column("Pseudonymised id", CHILD_COLUMNS[0].meaning),
    Column("Age", CHILD_COLUMNS[1].meaning),
    Column("On the dynamic support register", "Whether the child is on the dynamic support register"),
    Column("Date of last CETR", "Care, education and treatment review"),
    Column("Current education provision", "The settings the child attends now"),
    Column("Primary SEN need", "DfE SEN type", "sen_primary_need"),
    Column("Health needs recorded", CHILD_COLUMNS[7].meaning),
    Column("EHC plan status", CHILD_COLUMNS[8].meaning),
]
PROVIDER_COLUMNS = [
    Column("Setting", "Name of the setting offering AP"),
    Column("State-maintained or independent", "Registration status"),
    Column("URN", "Unique reference number in Get Information about Schools"),
    Column("Establishment type", "GIAS establishment type", "gias_establishment_type"),
    Column("AP setting type", "For a setting with no URN or UKPRN", "ap_setting_type"),
    Column("Offers outreach", "Whether it offers AP as outreach"),
    Column("Offer", "Full time, part time, outreach, online, home or hospital tuition, health service"),
    Column("Specialisms", "What it specialises in"),
    Column("Ages", "Youngest to oldest age taken"),
    Column("Places", "Capacity"),
    Column("Local authority it is in", "Where the setting is", "la"),
    Column("In or out of area", "Whether it is in the area's own local authority"),
    Column("Residential", "Whether children live there during the week"),
    Column("Children placed today", "Children of the area placed there today"),
]


EHC_LABELS = dict(EhcPlanStatus.choices)
REGISTRATION_LABELS = dict(Registration.choices)
PLACEMENT_LABELS = {
    name: dict(choices.choices)
    for name, choices in {
        "provision_type": ProvisionType,
        "attendance_pattern": AttendancePattern,
        "registration_type": RegistrationType,
        "commissioner_type": CommissionerType,
        "end_reason": EndReason,
        "destination": Destination,
    }.items()
}


def _yes(value) -> str:
    return "Yes" if value else "No"


@dataclass
class _Data:
    """Everything the sheets need, read in a fixed number of queries."""

    children: dict
    placements_by_child: dict
    attendance: dict
    providers: list
    placed_today: dict


# A return has thousands of rows: they are read as plain tuples, not model instances.
PlacementRow = namedtuple(
    "PlacementRow",
    "pk child_id provider_id setting urn registration commissioner outreach provision_type out_of_area "
    "journey_minutes attendance_pattern hours_per_week registration_type commissioner_type reason start_date "
    "end_date residential end_reason destination post16_activity",
)
PLACEMENT_LOOKUPS = (
    "pk",
    "child_id",
    "provider_id",
    "provider__organisation__name",
    "provider__organisation__urn",
    "provider__registration",
    "commissioner__name",
    "outreach_provider__organisation__name",
    *PlacementRow._fields[8:-3],
    # How the placement ended, where the child went: its exit (casework.PlacementExit), if recorded.
    "exit__reason",
    "exit__destination",
    "exit__post16_activity",
)
ChildRow = namedtuple(
    "ChildRow",
    "pk public_id date_of_birth gender ethnicity sen_provision sen_primary_need sen_secondary_need health_needs "
    "ehc_plan_status looked_after on_dynamic_support_register last_cetr_date",
)


def _read(user: User, today: date) -> _Data:
    placements = [
        PlacementRow(*values)
        for values in placements_visible_to(user=user).order_by("start_date").values_list(*PLACEMENT_LOOKUPS)
    ]
    by_child = defaultdict(list)
    for placement in placements:
        by_child[placement.child_id].append(placement)
    # Every child the user may see: cheaper than naming thousands of ids in a query.
    children = {
        values[0]: ChildRow(*values) for values in children_visible_to(user=user).values_list(*ChildRow._fields)
    }
    # Only the children the lists hold: in AP now or in the last six months.
    in_return = placements_visible_to(user=user).filter(not_ended_by(recent_since(today))).values("child_id")
    attendance = {
        row["placement_id"]: attendance_percentage(row["attended"], row["possible"])
        for row in attendance_totals_between(
            attendance_months_visible_to(user=user).filter(child_id__in=in_return), None, None, "placement_id"
        )
    }
    placed_today = defaultdict(set)
    for placement in placements:
        if _is_current(placement, today):
            placed_today[placement.provider_id].add(placement.child_id)
    areas = [o.area_id for o in user.organisations]
    providers = list(Provider.objects.filter(organisation__area_id__in=areas).select_related("organisation__area"))
    return _Data(children, by_child, attendance, providers, placed_today)


def _is_current(placement: PlacementRow, today: date) -> bool:
    return is_open_on(placement.start_date, placement.end_date, today)


def _child_cells(inspection: Inspection, child, today: date) -> list:
    return [
        inspection.pseudonym(child.public_id),
        age_on(child.date_of_birth, today),
        label("gender", child.gender),
        label("ethnicity", child.ethnicity),
        label("sen_provision", child.sen_provision),
        label("sen_primary_need", child.sen_primary_need),
        label("sen_primary_need", child.sen_secondary_need),
        _yes(child.health_needs),
        EHC_LABELS.get(child.ehc_plan_status, ""),
        _yes(child.looked_after),
    ]


def _setting_cells(placement: PlacementRow, attendance: dict, today: date) -> list:
    percentage = attendance.get(placement.pk)
    return [
        placement.setting,
        STATUS_WORDS[placement_status(placement.start_date, placement.end_date, today)],
        placement.urn,
        REGISTRATION_LABELS[placement.registration],
        PLACEMENT_LABELS["provision_type"][placement.provision_type],
        "Out of area" if placement.out_of_area else "In area",
        placement.journey_minutes if placement.journey_minutes is not None else "",
        PLACEMENT_LABELS["attendance_pattern"][placement.attendance_pattern],
        float(placement.hours_per_week),
        PLACEMENT_LABELS["registration_type"][placement.registration_type],
        placement.commissioner,
        PLACEMENT_LABELS["commissioner_type"][placement.commissioner_type],
        label("ap_placement_reason", placement.reason),
        placement.start_date,
        placement.end_date or "",
        float(percentage) if percentage is not None else "",
        _yes(placement.residential),
        placement.outreach or "",
    ]


def annex_a_sheets(*, user: User, inspection: Inspection, today: date) -> list[Sheet]:
    """The sheets of the return, as the person asking may see the data."""
    data = _read(user, today)
    now = Sheet(
        "In AP now",
        "Children currently in AP (including outreach): one row for each setting they attend, attended or are due to start",
        today,
        CHILD_COLUMNS + SETTING_COLUMNS,
        counted=True,
    )
    recent = Sheet(
        "In AP last 6 months",
        "Children in AP in the last 6 months who are not in AP now: one row for each setting",
        today,
        CHILD_COLUMNS + SETTING_COLUMNS + DESTINATION_COLUMNS,
        counted=True,
    )
    for child_id, placements in data.placements_by_child.items():
        child = data.children.get(child_id)
        if child is None:
            continue
        child_cells = _child_cells(inspection, child, today)
        if any(_is_current(p, today) for p in placements):
            now.children.add(child.public_id)
            now.rows += [child_cells + _setting_cells(p, data.attendance, today) for p in placements]
        elif (max((p.end_date for p in placements if p.end_date), default=None) or date.min) >= recent_since(today):
            recent.children.add(child.public_id)
            recent.rows += [
                child_cells
                + _setting_cells(p, data.attendance, today)
                + [
                    PLACEMENT_LABELS["end_reason"].get(p.end_reason, ""),
                    PLACEMENT_LABELS["destination"].get(p.destination, ""),
                    label("post16_activity", p.post16_activity or ""),
                ]
                for p in placements
            ]
    dsr = Sheet(
        "DSR and CETR",
        "Children on the dynamic support register or with a CETR in the last 6 months",
        today,
        DSR_COLUMNS,
    )
    for child in data.children.values():
        if child.on_dynamic_support_register or (child.last_cetr_date and child.last_cetr_date >= recent_since(today)):
            current = [p.setting for p in data.placements_by_child.get(child.pk, []) if _is_current(p, today)]
            dsr.children.add(child.public_id)
            dsr.rows.append(
                [
                    inspection.pseudonym(child.public_id),
                    age_on(child.date_of_birth, today),
                    _yes(child.on_dynamic_support_register),
                    child.last_cetr_date or "",
                    "; ".join(current) or "None recorded",
                    label("sen_primary_need", child.sen_primary_need),
                    _yes(child.health_needs),
                    EHC_LABELS.get(child.ehc_plan_status, ""),
                ]
            )
    providers = Sheet(
        "Providers",
        "Settings offering AP, state-maintained or independent",
        today,
        PROVIDER_COLUMNS,
        empty_note="No settings recorded.",
    )
    for provider in sorted(data.providers, key=lambda p: p.name):
        providers.rows.append(
            [
                provider.name,
                provider.get_registration_display(),
                provider.organisation.urn,
                label("gias_establishment_type", provider.gias_establishment_type),
                label("ap_setting_type", provider.ap_setting_type),
                _yes(provider.offers_outreach),
                ", ".join(provider.offer_labels),
                ", ".join(provider.specialism_labels),
                f"{provider.min_age} to {provider.max_age}",
                provider.capacity,
                label("la", provider.location_la),
                "In area" if provider.in_area else "Out of area",
                _yes(provider.residential),
                len(data.placed_today.get(provider.pk, ())),
            ]
        )
    return [now, recent, dsr, providers, _dictionary([now, recent, dsr, providers], today)]


def _dictionary(sheets: list[Sheet], today: date) -> Sheet:
    dictionary = Sheet(
        "Data dictionary",
        "What every column means",
        today,
        [Column("Sheet", ""), Column("Column", ""), Column("Meaning", ""), Column("Code set", "")],
    )
    for sheet in sheets:
        dictionary.rows += [[sheet.name, c.header, c.meaning, c.code_set] for c in sheet.columns]
    return dictionary


def _cell(value):
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def workbook_bytes(sheets: list[Sheet], *, inspection: Inspection) -> bytes:
    """An Excel workbook, written row by row in constant memory; no cell can be a formula."""
    buffer = io.BytesIO()
    book = workbook(buffer, constant_memory=True)
    bold = book.add_format({"bold": True})
    for sheet in sheets:
        page = book.add_worksheet(sheet.name)
        page.write_string(0, 0, sheet.title, bold)
        page.write_string(
            1, 0, f"Data as at {sheet.as_at:%d/%m/%Y}. {inspection}. Lead inspector: {inspection.lead_inspector}."
        )
        if sheet.summary:
            page.write_string(2, 0, sheet.summary, bold)
        for col, column in enumerate(sheet.columns):
            page.write_string(3, col, column.header, bold)
        if not sheet.rows:
            page.write_string(4, 0, sheet.empty_note)
        for row_number, row in enumerate(sheet.rows, start=4):
            page.write_row(row_number, 0, data_cells(_cell(value) for value in row))
    book.close()
    return buffer.getvalue()


def csv_zip_bytes(sheets: list[Sheet], *, inspection: Inspection) -> bytes:
    """The same sheets as CSV files in a zip, each opening with its title and date."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, sheet in enumerate(sheets, start=1):
            rows = [[sheet.title], [f"Data as at {sheet.as_at:%d/%m/%Y}"]]
            rows += [[sheet.summary]] if sheet.summary else []
            rows += [[c.header for c in sheet.columns]]
            rows += [[_cell(v) for v in row] for row in sheet.rows] or [[sheet.empty_note]]
            archive.writestr(f"{number}-{sheet.name.lower().replace(' ', '-')}.csv", csv_text(rows[0], rows[1:]))
    return buffer.getvalue()
