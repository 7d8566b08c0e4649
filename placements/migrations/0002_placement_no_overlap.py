"""No two placements of one child at one provider may overlap in dates.

Django cannot express a date-range rule on both databases. On PostgreSQL it is an
exclusion constraint, here; on SQLite it is a pair of triggers that
`core.sqlite_triggers` keeps (placements/apps.py). The service checks the same rule
first to give a helpful message; this is the guarantee under it.
"""

from django.db import migrations

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
            _run({"postgresql": POSTGRES_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD}),
        )
    ]
