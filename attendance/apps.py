from django.apps import AppConfig

# A mark's placement must exist and its child and provider be the placement's own
# (PostgreSQL: a statement trigger, migration 0002).
_MATCH = """
WHEN NOT EXISTS (
    SELECT 1 FROM placements_placement p
    WHERE p.id = NEW.placement_id AND p.child_id = NEW.child_id AND p.provider_id = NEW.provider_id
)
BEGIN SELECT RAISE(ABORT, 'attendance mark does not match its placement'); END;"""


class AttendanceConfig(AppConfig):
    name = "attendance"

    def ready(self):
        from attendance.rollup import SQLITE_TRIGGERS
        from core.sqlite_triggers import register

        for event in ("INSERT", "UPDATE"):
            name = f"attendance_marks_{event.lower()}_match"
            register(name, f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {event} ON attendance_attendancemark {_MATCH}")
        # The monthly rollup follows every write of marks (attendance/rollup.py).
        for name, body in SQLITE_TRIGGERS.items():
            register(name, f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
