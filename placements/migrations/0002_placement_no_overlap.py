"""No two placements of one child at one provider may overlap in dates.

Django cannot express a date-range rule on both databases, so it is written here:
an exclusion constraint on PostgreSQL, triggers on SQLite. The service checks the
same rule first to give a helpful message; this is the guarantee under it.
"""

from django.db import migrations

OVERLAP_SQLITE = """
SELECT 1 FROM placements_placement p
WHERE p.child_id = NEW.child_id AND p.provider_id = NEW.provider_id {exclude_self}
  AND p.start_date <= COALESCE(NEW.end_date, '9999-12-31')
  AND COALESCE(p.end_date, '9999-12-31') >= NEW.start_date
"""

SQLITE_FORWARD = [
    f"""CREATE TRIGGER placement_no_overlap_insert BEFORE INSERT ON placements_placement
    WHEN EXISTS ({OVERLAP_SQLITE.format(exclude_self="")})
    BEGIN SELECT RAISE(ABORT, 'placement_no_overlap'); END;""",
    f"""CREATE TRIGGER placement_no_overlap_update BEFORE UPDATE ON placements_placement
    WHEN EXISTS ({OVERLAP_SQLITE.format(exclude_self="AND p.id <> NEW.id")})
    BEGIN SELECT RAISE(ABORT, 'placement_no_overlap'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS placement_no_overlap_insert;",
    "DROP TRIGGER IF EXISTS placement_no_overlap_update;",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist;",
    """ALTER TABLE placements_placement ADD CONSTRAINT placement_no_overlap
    EXCLUDE USING gist (child_id WITH =, provider_id WITH =, daterange(start_date, end_date, '[]') WITH &&);""",
]
POSTGRES_BACKWARD = ["ALTER TABLE placements_placement DROP CONSTRAINT IF EXISTS placement_no_overlap;"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("placements", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
