"""Database rules that SQLite can only hold as triggers, kept outside migrations.

Django changes a SQLite table by building a new one and renaming it; that silently
drops the table's triggers, and fails outright while another table's trigger names
it. So on SQLite the triggers are dropped before `migrate` and created again after
it. Apps register theirs in `AppConfig.ready`. PostgreSQL holds the same rules as
constraints and triggers in the apps' migrations, where they survive table changes.
"""

from django.db import connection
from django.db.models.signals import post_migrate, pre_migrate

_TRIGGERS: dict[str, str] = {}


def register(name: str, create_sql: str) -> None:
    """`create_sql` must start "CREATE TRIGGER IF NOT EXISTS <name>"."""
    _TRIGGERS[name] = create_sql


def _drop(**kwargs) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for name in _TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def _create(**kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for sql in _TRIGGERS.values():
            table = sql.split(" ON ", 1)[1].split()[0]
            if table in existing:
                cursor.execute(sql)


def connect() -> None:
    pre_migrate.connect(_drop, dispatch_uid="sqlite_triggers_drop")
    post_migrate.connect(_create, dispatch_uid="sqlite_triggers_create")
