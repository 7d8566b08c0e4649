"""Files for providers: the register template."""

from datetime import date

from attendance.ingest import COLUMN_TITLES
from attendance.models import AttendanceMark, Session
from attendance.reading import NAME_COLUMN
from core.codes import code_set
from core.csv_export import csv_text
from core.xlsx_export import xlsx_form
from placements.models import Placement
from providers.models import Provider
from terms.calendar import SchoolCalendar


def template_placements(*, provider: Provider, start: date, end: date):
    """The placements a template names: the setting's, open on a day of it (the caller checked the setting is the user's)."""
    return Placement.objects.filter(provider=provider).open_during(start, end)


def template_rows(*, provider: Provider, start: date, end: date) -> tuple[list[str], list[list]]:
    """One row per child, school day and session from start to end, with any mark already recorded.

    It carries each child's name, because it is the setting's own register of its own
    children and a name is how a person checks they are marking the right child.
    """
    calendar = SchoolCalendar.load(organisation=provider.organisation, start=start, end=end)
    days = calendar.days(start, end)
    placements = list(
        template_placements(provider=provider, start=start, end=end)
        .select_related("child")
        .order_by("child__last_name", "child__first_name")
    )
    recorded = {
        (child_id, day, session): code
        for child_id, day, session, code in AttendanceMark.objects.filter(
            provider=provider, date__range=(start, end)
        ).values_list("child_id", "date", "session", "code")
    }
    rows = (
        [p.child.full_name, p.child.upn, f"{day:%d/%m/%Y}", session.name, recorded.get((p.child_id, day, session), "")]
        for day in days
        for p in placements
        if p.is_open_on(day)
        for session in Session
    )
    return [NAME_COLUMN["name"][0], *COLUMN_TITLES.values()], list(rows)


def template_file(*, provider: Provider, start: date, end: date, as_xlsx: bool) -> bytes | str:
    """The register template as CSV, or as a workbook whose Session and Mark columns offer only valid entries."""
    header, rows = template_rows(provider=provider, start=start, end=end)
    if not as_xlsx:
        return csv_text(header, rows)
    marks = [(c.code, c.label) for c in code_set("attendance").values()]
    sessions = [(s.name, "Morning" if s == Session.AM else "Afternoon") for s in Session]
    return xlsx_form(
        header, rows, sheet="Register", choices={COLUMN_TITLES["session"]: sessions, COLUMN_TITLES["code"]: marks}
    )
