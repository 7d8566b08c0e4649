"""The monthly rollup of marks: whatever writes marks, and however, it always equals a recount of them.

Uploads (new marks and corrections), the API, a code changed in place, marks deleted and
moved to another day: after any sequence of them the rollup holds exactly what counting
the marks gives, and a percentage over any period read from it equals one counted from
the marks. On the real database (SQLite and PostgreSQL), no mocks.
"""

import json
from collections import Counter
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.db.models.functions import TruncMonth
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from attendance.ingest import RawMark
from attendance.models import AttendanceBatch, AttendanceMark, AttendanceMonth
from attendance.rollup import months_rebuild
from attendance.rules import attendance_totals, attendance_totals_between
from attendance.selectors import AttendanceLine, placements_attendance, worst_first
from attendance.services import marks_commit
from core.access import attendance_months_visible_to
from core.models import Membership, OrganisationKind
from core.tokens import api_token_create
from tests.attendance_helpers import TODAY, make_setting
from tests.factories import ChildFactory, OrganisationFactory, PlacementFactory, member_of

pytestmark = pytest.mark.django_db

FIRST_DAY = date(2026, 10, 12)  # a Monday: three weeks before half term, one after it, to TODAY (a Friday)
CODES = ["/", "L", "B", "I", "M", "N", "O", "X", "#", "U"]


def recount() -> dict:
    """The months counted in Python from the marks: (placement, month, code) -> (child, provider, per day)."""
    months: dict[tuple, list] = {}
    for placement, child, provider, day, code in AttendanceMark.objects.values_list(
        "placement_id", "child_id", "provider_id", "date", "code"
    ):
        days = months.setdefault((placement, day.replace(day=1), code), [child, provider, [0] * 31])[2]
        days[day.day - 1] += 1
    return {key: (child, provider, sum(days), *days) for key, (child, provider, days) in months.items()}


def held() -> dict:
    return {
        (p, month, code): tuple(rest)
        for p, month, code, *rest in AttendanceMonth.objects.values_list(
            "placement_id", "month", "code", "child_id", "provider_id", "sessions", *AttendanceMonth.DAYS
        )
    }


def counted(marks, *group_by) -> list:
    return sorted(attendance_totals(marks, *group_by), key=repr)


def from_months(months, start, end, *group_by) -> list:
    return sorted(attendance_totals_between(months, start, end, *group_by), key=repr)


@pytest.fixture
def setting(area):
    setting = make_setting(area, children=2, placed_from=date(2026, 9, 1))
    # A second placement of the first child at the same setting would break one mark per session: a third
    # child placed only from the half term instead, so a child's marks begin mid-period.
    late = ChildFactory(area=area, home_school=setting.school)
    PlacementFactory(child=late, provider=setting.provider, commissioner=setting.school, start_date=date(2026, 11, 2))
    setting.children.append(late)
    return setting


def _days(setting) -> list[date]:
    return setting.school_days(FIRST_DAY, TODAY)


def other(code: str, n: int) -> str:
    """A code other than `code` (never "/", which the afternoon reads as its own present mark, "\\")."""
    choices = [c for c in CODES if c not in ("/", code)]
    return choices[n % len(choices)]


marks_in = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 11), st.sampled_from(["AM", "PM"]), st.sampled_from(CODES)),
    min_size=1,
    max_size=12,
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("upload"), marks_in),
        st.tuples(st.just("api"), marks_in),
        st.tuples(st.just("correct"), st.integers(0, 10**6), st.integers(1, 4), st.integers(0, 10)),
        st.tuples(st.just("recode"), st.integers(0, 10**6), st.sampled_from(CODES)),
        st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 4)),
        st.tuples(st.just("move"), st.integers(0, 10**6), st.integers(-9, 9)),
    ),
    max_size=7,
)
periods = st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80)), min_size=1, max_size=4)


def test_the_rollup_equals_a_recount_of_the_marks_whatever_writes_them(client, setting, la_officer):
    days = _days(setting)
    key = api_token_create(user=setting.manager, organisation=setting.provider.organisation, name="MIS")[1]

    # Twelve days spread over the six weeks, so that later steps often meet the marks of earlier ones.
    spread = [days[d * len(days) // 12] for d in range(12)]
    late = [day for day in spread if day >= date(2026, 11, 2)]

    def rows(marks) -> list[RawMark]:
        """Rows a setting would send: the late child's only from its start, one row per child and session."""
        given = {}
        for c, d, session, code in marks:
            day = (late if c == 2 else spread)[d % (len(late) if c == 2 else 12)]
            given.setdefault((c, day, session), code)
        return [
            RawMark(n, setting.children[c].upn, f"{day:%d/%m/%Y}", session, code)
            for n, ((c, day, session), code) in enumerate(given.items(), start=2)
        ]

    def nth_mark(n: int):
        ids = list(AttendanceMark.objects.order_by("pk").values_list("pk", flat=True))
        return ids[n % len(ids)] if ids else None

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=steps, periods=periods)
    # Every kind of write at least once, whatever else is drawn.
    @example(
        steps=[
            ("upload", [(0, 0, "AM", "/"), (1, 3, "PM", "N"), (2, 11, "AM", "L")]),
            ("api", [(0, 5, "AM", "I"), (1, 0, "AM", "/")]),
            ("correct", 0, 2, 3),
            ("recode", 1, "M"),
            ("move", 0, 5),
            ("delete", 1, 1),
        ],
        periods=[(10, 40), (0, 80)],
    )
    def run(steps, periods):
        saved = transaction.savepoint()
        try:
            for step in steps:
                kind = step[0]
                if kind == "upload":
                    _plan, batch = marks_commit(
                        user=setting.manager,
                        provider=setting.provider,
                        rows=rows(step[1]),
                        source=AttendanceBatch.Source.UPLOAD,
                        today=TODAY,
                    )
                    wrote[kind] += batch is not None
                elif kind == "api":
                    items = [
                        {"upn": r.upn, "date": r.date, "session": r.session, "code": r.code} for r in rows(step[1])
                    ]
                    answer = client.post(
                        "/api/v1/attendance/marks",
                        json.dumps({"marks": items}),
                        content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {key}",
                    )
                    wrote[kind] += answer.status_code == 200
                elif kind == "correct" and (pk := nth_mark(step[1])):
                    # A setting sends some of its marks again with another code: a correction by upload.
                    upns = {child.pk: child.upn for child in setting.children}
                    school_days = set(days)
                    again = [
                        RawMark(
                            n, upns[child_id], f"{day:%d/%m/%Y}", "AM" if session == 1 else "PM", other(code, step[3])
                        )
                        for n, (child_id, day, session, code) in enumerate(
                            AttendanceMark.objects.filter(pk__gte=pk)
                            .order_by("pk")
                            .values_list("child_id", "date", "session", "code")[: step[2]],
                            start=2,
                        )
                        if day in school_days  # a mark moved out of term cannot be sent again
                    ]
                    _plan, batch = marks_commit(
                        user=setting.manager,
                        provider=setting.provider,
                        rows=again,
                        source=AttendanceBatch.Source.FORM,
                        today=TODAY,
                    )
                    wrote[kind] += batch is not None and batch.changed_marks > 0
                elif kind == "recode" and (pk := nth_mark(step[1])):
                    # As the demo's alerts correct a mark: a plain UPDATE, no batch, no change recorded.
                    AttendanceMark.objects.filter(pk=pk).update(code=step[2])
                elif kind == "delete" and (pk := nth_mark(step[1])):
                    doomed = list(AttendanceMark.objects.filter(pk__gte=pk).order_by("pk").values_list("pk", flat=True))
                    AttendanceMark.objects.filter(pk__in=doomed[: step[2]]).delete()
                elif kind == "move" and (pk := nth_mark(step[1])):
                    mark = AttendanceMark.objects.get(pk=pk)
                    to = mark.date + timedelta(days=step[2])
                    taken = AttendanceMark.objects.filter(
                        provider_id=mark.provider_id, child_id=mark.child_id, date=to, session=mark.session
                    ).exists()
                    if not taken:
                        # Weekends too: the rollup must not assume marks fall on school days.
                        AttendanceMark.objects.filter(pk=pk).update(date=to)
            assert held() == recount()
            months, marks = AttendanceMonth.objects.all(), AttendanceMark.objects.all()
            for a, b in periods:
                # From late September to mid December: whole months, months cut at either end, and within one.
                start = FIRST_DAY + timedelta(days=min(a, b) - 15)
                end = FIRST_DAY + timedelta(days=max(a, b) - 15)
                between = marks.filter(date__range=(start, end))
                assert from_months(months, start, end, "placement_id") == counted(between, "placement_id")
                assert from_months(months, start, end, "provider_id", "child_id") == counted(
                    between, "provider_id", "child_id"
                )
                assert from_months(months, start, None, "child_id") == counted(
                    marks.filter(date__gte=start), "child_id"
                )
            assert from_months(months, None, None, "placement_id") == counted(marks, "placement_id")
            since = FIRST_DAY + timedelta(days=periods[0][0] - 15)
            child = setting.children[0]
            by_month = from_months(months.filter(child=child), since, None, "month")
            direct = counted(marks.filter(child=child, date__gte=since).annotate(month=TruncMonth("date")), "month")
            assert by_month == direct
        finally:
            transaction.savepoint_rollback(saved)

    wrote = Counter()
    with time_machine.travel(TODAY, tick=False):
        run()
    # The sequences did reach the writes they are about: uploads, corrections and marks through the API.
    assert wrote["upload"]
    assert wrote["correct"]
    assert wrote["api"]


def test_the_pages_read_the_rollup_through_the_access_policy(setting, la_officer, other_school):
    days = _days(setting)
    rows = [
        RawMark(n, child.upn, f"{day:%d/%m/%Y}", session, "/" if n % 3 else "N")
        for n, (child, day, session) in enumerate(
            ((child, day, session) for child in setting.children[:2] for day in days for session in ("AM", "PM")),
            start=2,
        )
    ]
    marks_commit(
        user=setting.manager, provider=setting.provider, rows=rows, source=AttendanceBatch.Source.UPLOAD, today=TODAY
    )
    assert attendance_months_visible_to(user=la_officer).count() == AttendanceMonth.objects.count() > 0
    stranger = member_of(
        OrganisationFactory(kind=OrganisationKind.AP_PROVIDER, area=setting.provider.organisation.area),
        Membership.Role.OFFICE_MANAGER,
        username="stranger",
    )
    assert attendance_months_visible_to(user=stranger).count() == 0
    start, end = date(2026, 10, 14), date(2026, 11, 18)  # a Wednesday to a Wednesday
    lines = placements_attendance(user=la_officer, start=start, end=end)
    direct = {
        row["placement_id"]: (row["possible"], row["attended"], row["unauthorised"])
        for row in attendance_totals(AttendanceMark.objects.filter(date__range=(start, end)), "placement_id")
    }
    assert {pk: (line.possible, line.attended, line.unauthorised) for pk, line in lines.items()} == direct


def test_the_rollup_is_rebuilt_from_the_marks_for_operations(setting):
    days = _days(setting)
    rows = [RawMark(2 + i, setting.children[0].upn, f"{day:%d/%m/%Y}", "AM", "/") for i, day in enumerate(days)]
    marks_commit(
        user=setting.manager, provider=setting.provider, rows=rows, source=AttendanceBatch.Source.UPLOAD, today=TODAY
    )
    expected = held()
    AttendanceMonth.objects.all().delete()
    assert months_rebuild(area_id=setting.provider.organisation.area_id) == len(expected)
    assert held() == expected == recount()
    AttendanceMonth.objects.all().delete()
    call_command("attendance_months_rebuild", area=setting.provider.organisation.area.pk, stdout=None)
    assert held() == expected


@given(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)), max_size=40))
def test_worst_first_sorts_on_the_percentage_shown(counts):
    """The integer sort key orders lines exactly as their shown (rounded) percentages do, ties kept in order."""
    lines = [
        AttendanceLine(possible=possible, attended=min(attended, possible), authorised=0, unauthorised=0, label=str(n))
        for n, (attended, possible) in enumerate(counts)
    ]
    shown = sorted(lines, key=lambda line: (line.percentage is None, line.percentage or 0))
    assert [line.label for line in worst_first(lines)] == [line.label for line in shown]


def test_emptying_every_table_leaves_no_months_whatever_the_order(setting):
    """`demo.wipe` deletes the rollup before the marks: deleting marks then must not leave months behind."""
    from demo.wipe import borough_wipe

    days = _days(setting)
    rows = [RawMark(2 + i, setting.children[0].upn, f"{day:%d/%m/%Y}", "PM", "N") for i, day in enumerate(days)]
    marks_commit(
        user=setting.manager, provider=setting.provider, rows=rows, source=AttendanceBatch.Source.UPLOAD, today=TODAY
    )
    assert AttendanceMonth.objects.exists()
    AttendanceMonth.objects.all().delete()
    AttendanceMark.objects.all().delete()
    assert not AttendanceMonth.objects.exists()
    marks_commit(
        user=setting.manager, provider=setting.provider, rows=rows, source=AttendanceBatch.Source.UPLOAD, today=TODAY
    )
    borough_wipe()
    assert not AttendanceMonth.objects.exists()
    assert not AttendanceMark.objects.exists()
