"""A mark's placement must exist, and its child and provider must be that placement's own.

Checked by the database once per statement over all the rows it wrote (PostgreSQL,
a statement trigger with a transition table, so COPY of 100,000 marks pays for one
join rather than 300,000 foreign-key look-ups). On SQLite, which has no statement
triggers, a per-row trigger that `core.sqlite_triggers` keeps (attendance/apps.py).
"""

from django.db import migrations

MESSAGE = "attendance mark does not match its placement"

POSTGRES_FORWARD = [
    f"""CREATE FUNCTION attendance_marks_match_placements() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- A file holds a few hundred placements many times over: check each once.
        IF EXISTS (
            SELECT 1 FROM (SELECT DISTINCT placement_id, child_id, provider_id FROM written) w
            LEFT JOIN placements_placement p
              ON p.id = w.placement_id AND p.child_id = w.child_id AND p.provider_id = w.provider_id
            WHERE p.id IS NULL
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
    END $$;""",
    """CREATE TRIGGER attendance_marks_inserted_match AFTER INSERT ON attendance_attendancemark
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION attendance_marks_match_placements();""",
    """CREATE TRIGGER attendance_marks_updated_match AFTER UPDATE ON attendance_attendancemark
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION attendance_marks_match_placements();""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS attendance_marks_inserted_match ON attendance_attendancemark;",
    "DROP TRIGGER IF EXISTS attendance_marks_updated_match ON attendance_attendancemark;",
    "DROP FUNCTION IF EXISTS attendance_marks_match_placements();",
]
def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("attendance", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD}),
        )
    ]
