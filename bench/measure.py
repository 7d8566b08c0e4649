"""Measure the pages of one database: run as `python -m bench.measure sqlite|postgres [pages]`.

With `pages`, only the pages, each figure named for the borough's size (BENCH_CHILDREN, e.g.
`dashboard_ms_p50_postgres_20000`): the largest county's 20,000 children, measured in the same run.

Builds a 5,000-child borough with two years of placements, referrals and panel
decisions, then times the dashboard (and with every oversight flag), the register (whole and filtered), a child's
record, the LA's queue of referrals awaiting a panel and the registration test through Django's test client (the
whole request: middleware, access policy, queries, templates). On PostgreSQL it then writes the registers of last
school year and this one so far and times the attendance overview and every child's percentage over a year.
Prints one JSON object.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date

from bench.timing import p50_ms

CHILDREN = int(os.environ.get("BENCH_CHILDREN", "5000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "25"))
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/ap_oversight_bench")
PAGES_ONLY = sys.argv[2:] == ["pages"]
if PAGES_ONLY:  # its own database, so that the main borough's is left as it was
    POSTGRES_URL += f"_{CHILDREN}"
REGISTER = "/register/"
FILTERED_REGISTER = "/register/?period=current&need=SEMH&pattern=part_time&sort=-start"
REFERRAL_QUEUE = "/panels/queue/"


def _database_url(backend: str) -> str:
    if backend == "postgres":
        return POSTGRES_URL
    return f"sqlite:///{tempfile.mkdtemp(prefix='ap-bench-')}/bench.sqlite3"


def _sized(name: str) -> str:
    """A figure's name with the borough's size, unless it names it already."""
    return name if f"_{CHILDREN}" in name else f"{name}_{CHILDREN}"


def _p50_ms(client, url: str) -> float:
    return p50_ms(client, url, REPEATS)


def main(backend: str) -> None:
    os.environ["DATABASE_URL"] = _database_url(backend)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    if backend == "postgres":
        _recreate_postgres_database()
    call_command("migrate", verbosity=0)
    from bench.annex_a import measure_annex_a
    from bench.attendance import measure_attendance
    from bench.children_import import measure_children_import
    from bench.directory import measure_directory, measure_gias_import
    from bench.ingest import measure_ingest
    from bench.placements_import import measure_placements_import
    from children.models import Child
    from core.models import User
    from demo.borough import borough_build

    started = time.perf_counter()
    summary = borough_build(children=CHILDREN, seed=2026, attendance=False)
    build_s = time.perf_counter() - started
    if backend == "postgres":
        with connection.cursor() as cursor:
            # What autovacuum does soon after the borough's bulk writes: statistics for the planner, and the
            # visibility map that lets a query read a covering index alone (a borough in use has both).
            cursor.execute("VACUUM ANALYZE")
    client = Client()
    officer = User.objects.get(username="la-officer")
    client.force_login(officer)
    child = Child.objects.filter(placements__end_date=None).order_by("pk").first()
    figures = {
        f"dashboard_ms_p50_{backend}": _p50_ms(client, "/"),
        f"register_ms_p50_{backend}": _p50_ms(client, REGISTER),
        f"register_filtered_ms_p50_{backend}": _p50_ms(client, FILTERED_REGISTER),
        f"child_record_ms_p50_{backend}": _p50_ms(client, f"/children/{child.public_id}/"),
        f"referral_queue_ms_p50_{backend}": _p50_ms(client, REFERRAL_QUEUE),
        f"borough_build_s_{backend}": round(build_s, 1),
        f"borough_children_{backend}": summary.get("children", CHILDREN),
    }
    area = officer.primary_organisation.area
    figures |= _oversight(client, officer, area, backend)
    if not PAGES_ONLY:
        # Its own settings' registers, written before the borough's below.
        figures |= measure_ingest(backend, area, date.today())
    if backend == "postgres":
        # Two years of registers, then the attendance overview, every child's percentage over last year and the
        # Annex A workbook, whose figures name the borough's size.
        figures |= measure_attendance(client, officer, date.today(), REPEATS, CHILDREN)
        figures |= measure_annex_a(officer, date.today(), CHILDREN)
    if PAGES_ONLY:
        print(json.dumps({_sized(name): value for name, value in figures.items()}))
        return
    # Last: they add 5,000 children, then a placement for each, which the other figures must not see.
    figures |= measure_children_import(backend, officer, date.today())
    figures |= measure_placements_import(backend, officer, date.today())
    if backend == "postgres":
        # Last again: 376 more providers, then the settings of a GIAS extract of all England.
        figures |= measure_directory(client, officer, REPEATS)
        figures |= measure_gias_import(officer, date.today())
    print(json.dumps(figures))


def _oversight(client, officer, area, backend: str) -> dict:
    """The LA's dashboard with every oversight flag (the optional time limits turned on), and the registration test
    alone: every unregistered setting's hours summed across every commissioner."""
    from insight.oversight import Reads, registration_risk

    area.time_limits_flagged = True
    area.save(update_fields=["time_limits_flagged"])
    figures = {f"oversight_dashboard_ms_p50_{backend}": _p50_ms(client, "/")}
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        registration_risk(Reads(user=officer, today=date.today()))
        times.append((time.perf_counter() - start) * 1000)
    figures[f"registration_risk_ms_{backend}"] = round(statistics.median(times), 1)
    area.time_limits_flagged = False
    area.save(update_fields=["time_limits_flagged"])
    return figures


def _recreate_postgres_database() -> None:
    import psycopg

    name = POSTGRES_URL.rsplit("/", 1)[1]
    admin = POSTGRES_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main(sys.argv[1])
