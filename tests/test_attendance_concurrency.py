"""Two uploads for one setting at the same moment give the result of one after the other (PostgreSQL)."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from attendance.models import AttendanceBatch, AttendanceMark, AttendanceMarkChange
from attendance.reading import read_register_file
from attendance.services import marks_commit
from tests.attendance_helpers import TODAY, make_setting, register_csv, week_of_marks

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite has one writer at a time by design"),
]


def test_two_uploads_at_once_are_serialised(area):
    import time_machine

    with time_machine.travel(TODAY, tick=True):
        setting = make_setting(area, children=20)
        rows = week_of_marks(setting, date(2026, 11, 2), date(2026, 11, 20))
        first = read_register_file(register_csv(rows), "a.csv")[0]
        second = read_register_file(register_csv([[*row[:3], "N"] for row in rows]), "b.csv")[0]
        start = threading.Barrier(2)
        outcomes, errors = {}, []

        def upload(name, marks):
            try:
                start.wait()
                plan, batch = marks_commit(
                    user=setting.manager, provider=setting.provider, rows=marks, source="upload", today=TODAY
                )
                outcomes[name] = (len(plan.new), len(plan.changed), batch.pk)
            except Exception as error:  # noqa: BLE001 - the test reports any failure of either thread
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=upload, args=args) for args in (("a", first), ("b", second))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert not errors
    total = len(rows)
    assert AttendanceMark.objects.count() == total
    (winner, loser) = sorted(outcomes, key=lambda name: outcomes[name][2])
    assert outcomes[winner][:2] == (total, 0), "the first to take the lock wrote every mark as new"
    assert outcomes[loser][:2] == (0, total), "the second saw them all and changed every one"
    final = set(AttendanceMark.objects.values_list("code", flat=True))
    assert final == ({"N"} if loser == "b" else {"/", "\\"})
    assert AttendanceMarkChange.objects.count() == total
    assert AttendanceBatch.objects.count() == 2
    assert connection.vendor == "postgresql"
