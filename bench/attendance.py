"""The attendance benchmarks: two school years of registers, then the LA's attendance overview and every child's
percentage over last school year.

The marks go in through the ingest's own writer (`demo.attendance.marks_build`, COPY), so the database's triggers
fill the monthly rollup as an upload would; the reads are the overview's own, which read the rollup.
"""

import random
import statistics
import time
from datetime import date

from django.db import connection

from attendance.models import AttendanceMark, AttendanceMonth
from attendance.periods import Period
from attendance.selectors import attendance_by_child
from bench.timing import p50_ms
from core.models import User
from demo.attendance import marks_build
from placements.models import Placement
from terms.calendar import academic_year_of

REPEATS = 5


def measure_attendance(client, officer: User, today: date, repeats: int, children: int) -> dict:
    """Write every placement's registers from the start of last school year to today, then time the attendance
    overview as the LA opens it (this half term, by child) and the LA's by-child attendance over last year.

    The percentages' figures are named for the borough's size, `children`, as issue 14 names them."""
    first = academic_year_of(today) - 1
    last_year = Period("custom", date(first, 9, 1), date(first + 1, 7, 31))
    placements = list(
        Placement.objects.open_during(last_year.start, today)
        .exclude(provider__organisation__name__startswith="Bench")
        .select_related("child__area", "provider")
    )
    started = time.perf_counter()
    marks_build(rng=random.Random(1), placements=placements, today=today, recorder=officer, start=last_year.start)
    written_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        # What autovacuum does soon after a large write; without it the planner guesses from an empty table.
        cursor.execute("VACUUM ANALYZE")
    overview_ms = p50_ms(client, "/attendance/", repeats)
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        lines = attendance_by_child(user=officer, period=last_year, today=today)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "attendance_overview_ms_p50_postgres": overview_ms,
        f"attendance_pct_{children}_children_ms_postgres": round(statistics.median(times), 1),
        f"attendance_marks_{children}_children_postgres": AttendanceMark.objects.count(),
        f"attendance_marks_written_s_{children}_children_postgres": round(written_s, 1),
        f"attendance_children_in_year_{children}_children_postgres": len({line.child.public_id for line in lines}),
        f"attendance_rollup_rows_{children}_children_postgres": AttendanceMonth.objects.count(),
    }
