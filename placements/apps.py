from django.apps import AppConfig

# No two placements of one child at one provider may overlap in dates (PostgreSQL:
# an exclusion constraint, migration 0002).
_OVERLAP = """
SELECT 1 FROM placements_placement p
WHERE p.child_id = NEW.child_id AND p.provider_id = NEW.provider_id {exclude_self}
  AND p.start_date <= COALESCE(NEW.end_date, '9999-12-31')
  AND COALESCE(p.end_date, '9999-12-31') >= NEW.start_date
"""


class PlacementsConfig(AppConfig):
    name = "placements"

    def ready(self):
        from core.sqlite_triggers import register

        for event, exclude_self in (("INSERT", ""), ("UPDATE", "AND p.id <> NEW.id")):
            name = f"placement_no_overlap_{event.lower()}"
            register(
                name,
                f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {event} ON placements_placement "
                f"WHEN EXISTS ({_OVERLAP.format(exclude_self=exclude_self)}) "
                "BEGIN SELECT RAISE(ABORT, 'placement_no_overlap'); END;",
            )
