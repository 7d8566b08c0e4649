"""`make bench`: measure on SQLite and PostgreSQL, print a table, write the figures into bench/results.json.

The figures of `make bench-load` (bench/load.py) in the same file are kept; it prints with `table_print` too.

Each database is measured in its own process so that one's settings cannot leak
into the other's. Targets are printed beside the figures; no figure here has a
floor except the ingest, whose ratio to its floor (csv + COPY into a bare table,
measured in the same run) is `ingest_floor_ratio_postgres`, and the Annex A workbook,
whose ratio to writing the same prepared rows with xlsxwriter is `annex_a_floor_ratio`, and the GIAS import,
whose ratio to reading the same extract with the csv module is `gias_import_floor_ratio`.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"
LARGEST_COUNTY = 20_000
# figure -> (comparison, target)
TARGETS = {
    "dashboard_ms_p50_sqlite": ("<", 150),
    # The register as the LA opens it (every child of the borough, a page of 50), and filtered.
    "register_ms_p50_sqlite": ("<", 150),
    "register_filtered_ms_p50_sqlite": ("<", 150),
    "register_filtered_ms_p50_postgres": ("<", 150),
    "dashboard_ms_p50_postgres": ("<", 150),
    "register_ms_p50_postgres": ("<", 150),
    # The LA's referrals awaiting a panel: fast-tracked first, then the longest waiting.
    "referral_queue_ms_p50_sqlite": ("<", 150),
    "referral_queue_ms_p50_postgres": ("<", 150),
    # The LA's dashboard with every oversight flag, and the registration test across every commissioner.
    "oversight_dashboard_ms_p50_sqlite": ("<", 150),
    "oversight_dashboard_ms_p50_postgres": ("<", 150),
    "registration_risk_ms_postgres": ("<", 500),
    # The largest county: about 20,000 children with two years of history, built in the same run.
    "dashboard_ms_p50_postgres_20000": ("<", 150),
    "register_ms_p50_postgres_20000": ("<", 150),
    "oversight_dashboard_ms_p50_postgres_20000": ("<", 150),
    "ingest_marks_per_s_postgres": (">=", 50_000),
    "ingest_floor_ratio_postgres": ("<=", 4),
    "attendance_pct_5000_children_ms_postgres": ("<", 1000),
    # Issue 14: the largest county's pages, and every child's percentage over a year, read from the registers.
    "attendance_pct_20000_children_ms_postgres": ("<", 300),
    "attendance_overview_ms_p50_postgres": ("<", 150),
    "attendance_overview_ms_p50_postgres_20000": ("<", 150),
    "register_filtered_ms_p50_postgres_20000": ("<", 150),
    "child_record_ms_p50_postgres_20000": ("<", 150),
    "annex_a_seconds_5000": ("<", 5),
    "annex_a_seconds_20000": ("<", 5),
    "annex_a_floor_ratio": ("<=", 2),
    "annex_a_worker_rss_growth_mb": ("<", 50),
    # An area's whole list, checked while the officer waits, then imported.
    "children_import_check_s_5000_sqlite": ("<", 10),
    "children_import_check_s_5000_postgres": ("<", 10),
    "children_import_commit_s_5000_sqlite": ("<", 20),
    "children_import_commit_s_5000_postgres": ("<", 20),
    # One placement for each of those children, checked against their other placements in memory.
    "placements_import_check_s_5000_sqlite": ("<", 10),
    "placements_import_check_s_5000_postgres": ("<", 10),
    "placements_import_commit_s_5000_sqlite": ("<", 20),
    "placements_import_commit_s_5000_postgres": ("<", 20),
    # The directory searched by need, age, pattern, places free and distance, 400 providers (issue 13).
    "provider_directory_ms_p50_postgres": ("<", 150),
    # A GIAS extract of all England (50,000 establishments), checked and imported; its floor is reading the same
    # file with the csv module (`gias_import_floor_ratio`), which has no target of its own.
    "gias_import_s_50000": ("<", 30),
    # `make bench-load` (bench/load.py): the dashboard served by gunicorn to 16 officers at once, 20,000 children.
    "dashboard_rps_16_users_20000": (">=", 30),
    "dashboard_p95_ms_16_users_20000": ("<", 1000),
}


def measure(backend: str, pages_of: int | None = None) -> dict:
    """One database's figures; with `pages_of`, only the pages, on a borough of that many children."""
    pages = ["pages"] if pages_of else []
    sized = {"BENCH_CHILDREN": str(pages_of)} if pages_of else {}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.measure", backend, *pages],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ | sized,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    results = {}
    for backend in ("sqlite", "postgres"):
        results.update(measure(backend))
    results.update(measure("postgres", pages_of=LARGEST_COUNTY))
    results_merge(results)
    table_print(results)
    print(f"\nwritten to {RESULTS}")


def results_merge(figures: dict) -> None:
    """Write these figures into bench/results.json, keeping the others there (`make bench-load` writes its own)."""
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results.update(figures)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")


def verdict(name: str, value: float) -> str:
    """'< 150: met', '>= 30: MISSED', or nothing for a figure without a target."""
    if name not in TARGETS:
        return ""
    comparison, target = TARGETS[name]
    met = value < target if comparison == "<" else value <= target if comparison == "<=" else value >= target
    return f"{comparison} {target}: {'met' if met else 'MISSED'}"


def table_print(figures: dict) -> None:
    width = max(len(name) for name in figures)
    print(f"{'figure'.ljust(width)}  {'value':>10}  target")
    for name, value in sorted(figures.items()):
        print(f"{name.ljust(width)}  {value:>10}  {verdict(name, value)}")


if __name__ == "__main__":
    main()
