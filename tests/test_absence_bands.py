"""Persistent and severe absence: decided on the exact share of sessions missed, the same on every page.

DfE: a pupil who misses 10% or more of possible sessions is persistently absent, 50% or
more severely. A setting is not "persistently absent": it has a persistent absence rate,
the share of its pupils who are.
"""

from datetime import date, timedelta
from fractions import Fraction

import pytest
import time_machine
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from attendance.models import AttendanceBatch, AttendanceMark, Session
from attendance.rules import absence_band
from casework.chronology import chronology
from core.models import Membership
from core.tokens import api_token_create
from tests.attendance_helpers import make_setting
from tests.factories import member_of

# A day in the summer term: the academic year from 1 September 2026 holds every mark below.
LATER = date(2027, 6, 30)
START = date(2026, 9, 1)


@pytest.mark.parametrize(
    ("attended", "possible", "band"),
    [
        (162, 180, "persistent"),  # 18 of 180 missed: exactly 10%
        (163, 180, ""),  # 17 of 180 missed
        (90, 180, "severe"),  # 90 of 180 missed: exactly 50%
        (91, 180, "persistent"),
        (9, 10, "persistent"),
        (8996, 10_000, "persistent"),  # 89.96% attended shows as 90.0%, yet 10.04% were missed
        (4996, 10_000, "severe"),  # 49.96% attended shows as 50.0%, yet 50.04% were missed
        (180, 180, ""),
        (0, 180, "severe"),
        (0, 0, ""),
    ],
)
def test_the_band_is_decided_on_the_exact_share_missed(attended, possible, band):
    assert absence_band(attended, possible) == band


@given(possible=st.integers(0, 100_000), data=st.data())
def test_the_band_agrees_with_exact_fractions_for_any_counts(possible, data):
    attended = data.draw(st.integers(0, possible))
    missed = Fraction(possible - attended, possible) if possible else Fraction(0)
    expected = "severe" if missed >= Fraction(1, 2) else "persistent" if missed >= Fraction(1, 10) else ""
    assert absence_band(attended, possible) == (expected if possible else "")


def _marks(setting, child, attended: int, possible: int) -> None:
    """`possible` sessions from 1 September, the first `attended` of them present, the rest unauthorised absence."""
    placement = child.placements.get()
    batch = AttendanceBatch.objects.create(
        provider=setting.provider,
        source=AttendanceBatch.Source.API,
        created_by=setting.manager,
        organisation=setting.provider.organisation,
    )
    sessions = [(START + timedelta(days=n // 2), Session.AM if n % 2 == 0 else Session.PM) for n in range(possible)]
    AttendanceMark.objects.bulk_create(
        AttendanceMark(
            placement=placement,
            child=child,
            provider=setting.provider,
            date=day,
            session=session,
            code=("/" if session == Session.AM else "\\") if n < attended else "O",
            batch=batch,
        )
        for n, (day, session) in enumerate(sessions)
    )


@pytest.fixture
def boundary(area):
    """Three pupils at one setting: 18 of 180 missed, 17 of 180 missed, 90 of 180 missed."""
    setting = make_setting(area, children=3, placed_from=START)
    persistent, not_persistent, severe = setting.children
    _marks(setting, persistent, 162, 180)
    _marks(setting, not_persistent, 163, 180)
    _marks(setting, severe, 90, 180)
    with time_machine.travel(LATER, tick=False):
        yield setting


def _tag_after(page: str, name: str) -> str:
    """The absence tag on the line that starts with a child's name, or ''."""
    line = page[page.index(name) :].split("</tr>")[0]
    for tag in ("Severe absence", "Persistent absence"):
        if tag in line:
            return tag
    return ""


@pytest.mark.django_db
def test_the_overview_by_child_bands_each_pupil_at_the_boundary(client, boundary, la_officer):
    persistent, not_persistent, severe = boundary.children
    client.force_login(la_officer)
    page = client.get(reverse("attendance_home"), {"period": "year"}).content.decode()
    assert _tag_after(page, persistent.full_name) == "Persistent absence"
    assert _tag_after(page, not_persistent.full_name) == ""
    assert _tag_after(page, severe.full_name) == "Severe absence"


@pytest.mark.django_db
def test_the_childs_attendance_page_bands_at_the_boundary(client, boundary, la_officer):
    persistent, not_persistent, severe = boundary.children
    client.force_login(la_officer)
    for child, tag in ((persistent, "Persistent absence"), (not_persistent, None), (severe, "Severe absence")):
        page = client.get(reverse("child_attendance", args=[child.public_id])).content.decode()
        heading = page[page.index(f"{boundary.provider.name}:") :].split("</h3>")[0]
        assert (tag in heading) if tag else ("absence" not in heading), child


@pytest.mark.django_db
def test_a_setting_shows_its_persistent_absence_rate_not_a_pupils_label(client, boundary, la_officer):
    client.force_login(la_officer)
    for by in ("provider", "type"):
        response = client.get(reverse("attendance_home"), {"period": "year", "by": by})
        [line] = list(response.context["lines"])
        assert (line.pupils, line.persistent, line.severe) == (3, 2, 1)
        row = response.content.decode().split("<tbody")[-1].split("</tr>")[0]
        assert "2 of 3 pupils (66.7%)" in row
        assert "1 of 3 pupils (33.3%)" in row
        assert "Persistent absence<" not in row
        assert "Severe absence<" not in row


@pytest.mark.django_db
def test_the_tracking_chronology_flags_a_month_at_exactly_one_session_in_ten_and_half(area, la_officer):
    setting = make_setting(area, children=3, placed_from=START)
    one_in_ten, half, fewer = setting.children
    # Twenty sessions each, all in September 2026.
    _marks(setting, one_in_ten, 18, 20)
    _marks(setting, half, 10, 20)
    _marks(setting, fewer, 19, 20)

    def flags(child):
        return [e.text for e in chronology(user=la_officer, child=child, today=LATER) if e.kind == "Attendance"]

    assert flags(one_in_ten) == ["Attendance in September 2026 was 90.0%: persistent absence (10% or more missed)"]
    assert flags(half) == ["Attendance in September 2026 was 50.0%: severe absence (50% or more missed)"]
    assert flags(fewer) == []


@pytest.mark.django_db
def test_the_api_gives_each_pupils_band_by_the_same_rule(client, boundary):
    key = api_token_create(
        user=member_of(boundary.provider.organisation, Membership.Role.OFFICE_MANAGER, username="mis"),
        organisation=boundary.provider.organisation,
        name="mis",
    )[1]
    response = client.get(
        reverse("api_v1:marks_list"),
        {"start": START.isoformat(), "end": (START + timedelta(days=200)).isoformat()},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200, response.content
    bands = {line["upn"]: line["absence"] for line in response.json()["children"]}
    persistent, not_persistent, severe = boundary.children
    assert bands == {persistent.upn: "persistent", not_persistent.upn: "", severe.upn: "severe"}
