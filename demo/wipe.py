"""Emptying the project's tables before a borough is built, so that a rebuild gives the same rows."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection


def project_models() -> list:
    """Every table the project owns (its apps, their history and through tables) plus sessions.

    Found rather than listed, so an app added next month is wiped too. Ordered so
    that a table is emptied before the tables it points at.
    """
    base = Path(settings.BASE_DIR).resolve()
    labels = set()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if base in path.parents and not ({".venv", "site-packages", "node_modules"} & set(path.parts)):
            labels.add(config.label)
    if apps.is_installed("django.contrib.sessions"):
        labels.add("sessions")
    models = sorted(
        (
            m
            for m in apps.get_models(include_auto_created=True)
            if m._meta.app_label in labels and m._meta.managed and not m._meta.proxy
        ),
        key=lambda m: m._meta.label,
    )
    # Edges: model -> models it points at (which must be emptied after it).
    points_at = {
        m: {f.related_model for f in m._meta.concrete_fields if f.is_relation and f.related_model is not m}
        for m in models
    }
    ordered, remaining = [], list(models)
    while remaining:
        pointed_at = {t for m in remaining for t in points_at[m]}
        ready = [m for m in remaining if m not in pointed_at] or remaining[:1]  # a cycle: break it
        ordered += ready
        remaining = [m for m in remaining if m not in ready]
    return ordered


def borough_wipe() -> None:
    """Empty every project table and restart its ids, so a rebuild gives the same rows."""
    models = project_models()
    tables = [m._meta.db_table for m in models]
    existing = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            if table in existing:
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 - table names from the app registry
        if connection.vendor == "sqlite":
            if (
                "sqlite_sequence" in existing
                or cursor.execute("SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'").fetchone()
            ):
                placeholders = ",".join(["%s"] * len(tables))
                cursor.execute(f"DELETE FROM sqlite_sequence WHERE name IN ({placeholders})", tables)  # noqa: S608
        else:
            for statement in connection.ops.sequence_reset_sql(
                no_style(), [m for m in models if m._meta.db_table in existing]
            ):
                cursor.execute(statement)
