"""The percentages benchmark: every child of a 5,000-child borough over a year of marks.

The marks go in through the ingest's own writer (`demo.attendance.marks_build`, COPY), so the
database's triggers fill the monthly rollup as an upload would; the read is the overview's own
(`attendance_by_child`), which reads the rollup.
"""

import random
import statistics
import time
from datetime import date

from django.db import connection

from attendance.models import AttendanceMark, AttendanceMonth
from attendance.periods import Period
from attendance.selectors import attendance_by_child
from core.models import User
from demo.attendance import marks_build
from placements.models import Placement
from terms.calendar import academic_year_of

REPEATS = 5


def measure_percentages(officer: User, today: date) -> dict:
    """Write a full academic year of registers, then time the LA's by-child attendance for that year."""
    first = academic_year_of(today) - 1
    year = Period("custom", date(first, 9, 1), date(first + 1, 7, 31))
    placements = list(
        Placement.objects.open_during(year.start, year.end)
        .exclude(provider__organisation__name__startswith="Bench")
        .select_related("child__area", "provider")
    )
    marks_build(rng=random.Random(1), placements=placements, today=year.end, recorder=officer, start=year.start)
    with connection.cursor() as cursor:
        # What autovacuum does soon after a large write; without it the planner guesses from an empty table.
        cursor.execute("ANALYZE")
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        lines = attendance_by_child(user=officer, period=year, today=today)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "attendance_pct_5000_children_ms_postgres": round(statistics.median(times), 1),
        "attendance_marks_in_year_postgres": AttendanceMark.objects.filter(date__range=(year.start, year.end)).count(),
        "attendance_children_in_year_postgres": len({line.child.public_id for line in lines}),
        "attendance_rollup_rows_in_year_postgres": AttendanceMonth.objects.filter(
            month__range=(year.start, year.end)
        ).count(),
    }
