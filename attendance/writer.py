"""Writing a plan's marks in bulk: COPY on PostgreSQL, executemany on SQLite.

Django's bulk_create is several times slower than COPY for the hundreds of thousands
of marks a term's file can hold (measured: docs/decisions.md), so the writes here
are plain SQL on the same connection, inside the caller's transaction.
"""

from django.db import connection

from attendance.models import AttendanceMark, AttendanceMarkChange

MARK_TABLE = AttendanceMark._meta.db_table
CHANGE_TABLE = AttendanceMarkChange._meta.db_table
MARK_COLUMNS = ("placement_id", "child_id", "provider_id", "date", "session", "code", "batch_id")


def insert_marks(new: list[tuple], *, provider_id: int, batch_id: int) -> None:
    """new: (placement_id, child_id, date, session, code) tuples."""
    rows = ((p, c, provider_id, d, s, code, batch_id) for p, c, d, s, code in new)
    _copy_or_insert(MARK_TABLE, MARK_COLUMNS, rows)


def update_marks(changed: list[tuple], *, batch_id: int) -> None:
    """changed: (mark id, old code, new code) tuples. Records each old value as a change."""
    if not changed:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE TEMPORARY TABLE attendance_changed (id bigint, code varchar(2)) ON COMMIT DROP")
            with cursor.copy("COPY attendance_changed (id, code) FROM STDIN") as copy:
                for pk, _old, new in changed:
                    copy.write_row((pk, new))
            cursor.execute(
                f"UPDATE {MARK_TABLE} m SET code = c.code, batch_id = %s FROM attendance_changed c WHERE m.id = c.id",  # noqa: S608
                [batch_id],
            )
            # Dropped now, not only at commit: a second correction in the same transaction makes it afresh.
            cursor.execute("DROP TABLE attendance_changed")
        else:
            cursor.executemany(
                f"UPDATE {MARK_TABLE} SET code = %s, batch_id = %s WHERE id = %s",  # noqa: S608
                [(new, batch_id, pk) for pk, _old, new in changed],
            )
    _copy_or_insert(
        CHANGE_TABLE,
        ("mark_id", "old_code", "new_code", "batch_id"),
        ((pk, old, new, batch_id) for pk, old, new in changed),
    )


def _copy_or_insert(table: str, columns: tuple[str, ...], rows) -> None:
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))  # noqa: S608
