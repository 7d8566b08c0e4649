"""The monthly rollup of marks (`AttendanceMonth`): how the database keeps it, and how to build it again.

Every write of marks keeps it true in its own transaction because the database does it,
not the writers: on PostgreSQL one statement trigger per INSERT, UPDATE or DELETE on the
marks table folds the statement's transition tables into the months it touches, set-based
(one INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE, whatever the number of rows,
so COPY of a term's file pays for one aggregate); on SQLite, which has no statement
triggers, row triggers do the same one mark at a time. A writer added later (an API, a
merge of two children, a demo generator, raw SQL) cannot forget it.

The trigger SQL lives in migration 0007 (PostgreSQL) and in `attendance/apps.py` via
`SQLITE_TRIGGERS` below (SQLite, where `core.sqlite_triggers` creates them after each
migrate). `months_rebuild` recounts the months of an area's placements from their marks,
for operations (`manage.py attendance_months_rebuild`).
"""

from django.db import connection

from attendance.models import AttendanceMark, AttendanceMonth

MARK_TABLE = AttendanceMark._meta.db_table
MONTH_TABLE = AttendanceMonth._meta.db_table
DAYS = AttendanceMonth.DAYS
COLUMNS = ("placement_id", "child_id", "provider_id", "month", "code", "sessions", *DAYS)

# The first day of a mark's month, and its day of the month (1 to 31), per database.
# (Date arithmetic, not date_trunc: that goes through a timestamp in the session's time zone.)
_PG_MONTH = "({d} - (extract(day FROM {d})::int - 1))"
_PG_DAY = "extract(day FROM {d})::int"
_SQLITE_MONTH = "date({d}, 'start of month')"
_SQLITE_DAY = "CAST(strftime('%d', {d}) AS integer)"


def _grouped_select(source: str, month: str, day: str, sign: str = "1", where: str = "") -> str:
    """Marks of `source` (with a `date` column) counted per placement, month and code, and per day of the month."""
    marks = (
        f"SELECT placement_id, child_id, provider_id, {month.format(d='date')} AS month, {day.format(d='date')} AS day, "  # noqa: S608
        f"code, {sign} AS n FROM {source} {where}"
    )
    key = "placement_id, child_id, provider_id, month, code"
    if sign != "1":
        # Changes and deletes (+1 and -1, a few rows at a time): a sum per day.
        counts = ", ".join(f"coalesce(sum(n) FILTER (WHERE day = {i}), 0)" for i in range(1, 32))
        return f"SELECT {key}, sum(n), {counts} FROM ({marks}) AS marks GROUP BY {key}"  # noqa: S608
    # New marks, a file of 100,000 at a time: 31 sums a mark cost five times the grouping itself
    # (measured), so each group's days are added up packed into three integers, four bits a day
    # (a placement has at most two marks a day), and unpacked once per group.
    packs = ", ".join(
        # (PostgreSQL sums bigints as numeric: cast back, which cannot overflow, each pack being under 2^60.)
        f"CAST(sum(CAST(1 AS bigint) << (4 * (day - {first}))) FILTER (WHERE day BETWEEN {first} AND {last}) "
        f"AS bigint) AS p{first}"
        for first, last in _PACKS
    )
    days = ", ".join(
        f"coalesce((p{first} >> {4 * (d - first)}) & 15, 0)" for first, last in _PACKS for d in range(first, last + 1)
    )
    return (
        f"SELECT {key}, sessions, {days} FROM (SELECT {key}, count(*) AS sessions, {packs} "  # noqa: S608
        f"FROM ({marks}) AS marks GROUP BY {key}) AS packed"
    )


# Days 1-15, 16-30 and 31: fifteen 4-bit counts fit in a signed 64-bit integer.
_PACKS = ((1, 15), (16, 30), (31, 31))


def _upsert(select: str) -> str:
    added = ", ".join(f"{c} = w.{c} + EXCLUDED.{c}" for c in ("sessions", *DAYS))
    return (
        f"INSERT INTO {MONTH_TABLE} AS w ({', '.join(COLUMNS)}) {select} "
        f"ON CONFLICT (placement_id, month, code) DO UPDATE SET {added}"
    )


def _take_away(select: str) -> str:
    """Subtract counts from the months that hold them. Never inserts: taking marks away from a month that is
    not held (the rollup emptied first, as `demo.wipe` empties every table) changes nothing."""
    taken = ", ".join(f"{c} = w.{c} + d.{c}" for c in ("sessions", *DAYS))
    return (
        f"UPDATE {MONTH_TABLE} AS w SET {taken} FROM ({select}) AS d ({', '.join(COLUMNS)}) "  # noqa: S608
        "WHERE w.placement_id = d.placement_id AND w.month = d.month AND w.code = d.code"
    )


# PostgreSQL: the statement's marks, +1 for each written and -1 for each removed, folded into their months.
# Rows whose count falls to 0 go; only the months the statement touched are looked at.
_PG_DELTA = {
    "DELETE": "SELECT placement_id, child_id, provider_id, date, code, -1 AS n FROM removed",
    "UPDATE": (
        "SELECT placement_id, child_id, provider_id, date, code, 1 AS n FROM written "
        "UNION ALL SELECT placement_id, child_id, provider_id, date, code, -1 FROM removed"
    ),
}


def postgres_function(operation: str) -> str:
    name = f"attendance_months_follow_{operation.lower()}"
    if operation == "INSERT":
        upsert = _upsert(_grouped_select("written", _PG_MONTH, _PG_DAY))
    elif operation == "DELETE":
        upsert = _take_away(_grouped_select(f"({_PG_DELTA[operation]}) AS delta", _PG_MONTH, _PG_DAY, sign="n"))
    else:
        upsert = _upsert(_grouped_select(f"({_PG_DELTA[operation]}) AS delta", _PG_MONTH, _PG_DAY, sign="n"))
    emptied = ""
    if operation != "INSERT":
        emptied = (
            f"DELETE FROM {MONTH_TABLE} w USING (SELECT DISTINCT placement_id, "  # noqa: S608
            f"{_PG_MONTH.format(d='date')} AS month, code FROM removed) r "
            "WHERE w.placement_id = r.placement_id AND w.month = r.month AND w.code = r.code "
            "AND w.sessions = 0;"
        )
    return (
        # Memory enough to group a large file's marks without spilling to disk (measured: 200,000 marks).
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql SET work_mem = '64MB' AS $$\n"
        f"BEGIN\n    {upsert};\n    {emptied}\n    RETURN NULL;\nEND $$;"
    )


_PG_REFERENCING = {
    "INSERT": ("INSERT", "NEW TABLE AS written"),
    # PostgreSQL takes no column list with transition tables: an update of the batch alone nets to nothing.
    "UPDATE": ("UPDATE", "OLD TABLE AS removed NEW TABLE AS written"),
    "DELETE": ("DELETE", "OLD TABLE AS removed"),
}

POSTGRES_FORWARD = [
    statement
    for operation, (event, referencing) in _PG_REFERENCING.items()
    for statement in (
        postgres_function(operation),
        f"CREATE TRIGGER attendance_months_follow_{operation.lower()} AFTER {event} ON {MARK_TABLE} "
        f"REFERENCING {referencing} FOR EACH STATEMENT "
        f"EXECUTE FUNCTION attendance_months_follow_{operation.lower()}();",
    )
]
POSTGRES_BACKWARD = [
    statement
    for operation in _PG_REFERENCING
    for statement in (
        f"DROP TRIGGER IF EXISTS attendance_months_follow_{operation.lower()} ON {MARK_TABLE};",
        f"DROP FUNCTION IF EXISTS attendance_months_follow_{operation.lower()}();",
    )
]


def _sqlite_add(row: str) -> str:
    day = _SQLITE_DAY.format(d=f"{row}.date")
    values = ", ".join(
        [
            f"{row}.placement_id",
            f"{row}.child_id",
            f"{row}.provider_id",
            _SQLITE_MONTH.format(d=f"{row}.date"),
            f"{row}.code",
            "1",
            *(f"({day} = {i})" for i in range(1, 32)),
        ]
    )
    added = ", ".join(f"{c} = {c} + excluded.{c}" for c in ("sessions", *DAYS))
    return (
        f"INSERT INTO {MONTH_TABLE} ({', '.join(COLUMNS)}) VALUES ({values}) "  # noqa: S608
        f"ON CONFLICT (placement_id, month, code) DO UPDATE SET {added};"
    )


def _sqlite_remove(row: str) -> str:
    day = _SQLITE_DAY.format(d=f"{row}.date")
    key = f"placement_id = {row}.placement_id AND month = {_SQLITE_MONTH.format(d=f'{row}.date')} AND code = {row}.code"
    taken = ", ".join(f"{c} = {c} - ({day} = {i})" for i, c in enumerate(DAYS, start=1))
    return (
        f"UPDATE {MONTH_TABLE} SET sessions = sessions - 1, {taken} WHERE {key}; "  # noqa: S608
        f"DELETE FROM {MONTH_TABLE} WHERE {key} AND sessions = 0;"
    )


SQLITE_TRIGGERS = {
    "attendance_months_follow_insert": f"AFTER INSERT ON {MARK_TABLE} BEGIN {_sqlite_add('NEW')} END",
    "attendance_months_follow_update": (
        f"AFTER UPDATE OF placement_id, child_id, provider_id, date, code ON {MARK_TABLE} "
        f"BEGIN {_sqlite_remove('OLD')} {_sqlite_add('NEW')} END"
    ),
    "attendance_months_follow_delete": f"AFTER DELETE ON {MARK_TABLE} BEGIN {_sqlite_remove('OLD')} END",
}


def rebuild_sql(vendor: str, placements_where: str = "") -> list[str]:
    """Statements that recount the months from the marks, for the placements `placements_where` names (or all)."""
    month, day = (_PG_MONTH, _PG_DAY) if vendor == "postgresql" else (_SQLITE_MONTH, _SQLITE_DAY)
    where = f"WHERE {placements_where}" if placements_where else ""
    select = _grouped_select(MARK_TABLE, month, day, where=where)
    return [
        f"DELETE FROM {MONTH_TABLE} {where}",  # noqa: S608
        f"INSERT INTO {MONTH_TABLE} ({', '.join(COLUMNS)}) {select}",  # noqa: S608
    ]


def months_rebuild(*, area_id: int | None = None) -> int:
    """Recount the monthly rollup of an area's placements (every area's when None) from their marks.

    For operations: the triggers keep the rollup true, so this is needed only after a
    write that went round them (a restore of the marks table alone, a trigger dropped by
    hand). Runs in the caller's transaction; returns the number of month rows written.
    """
    params = []
    where = ""
    if area_id is not None:
        where = "placement_id IN (SELECT p.id FROM placements_placement p JOIN children_child c ON c.id = p.child_id WHERE c.area_id = %s)"
        params = [area_id]
    delete, insert = rebuild_sql(connection.vendor, where)
    with connection.cursor() as cursor:
        cursor.execute(delete, params)
        cursor.execute(insert, params)
        return cursor.rowcount
