"""`make bench`: measure on SQLite and PostgreSQL, print a table, write bench/results.json.

Each database is measured in its own process so that one's settings cannot leak
into the other's. Targets are printed beside the figures; no figure here has a
floor yet (the ingest benchmarks of later issues will).
"""

import json
import subprocess
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"
TARGETS_MS = {
    "dashboard_ms_p50_sqlite": 150,
    "register_ms_p50_sqlite": 150,
    "dashboard_ms_p50_postgres": 150,
    "register_ms_p50_postgres": 150,
}


def measure(backend: str) -> dict:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.measure", backend], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    results = {}
    for backend in ("sqlite", "postgres"):
        results.update(measure(backend))
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    width = max(len(name) for name in results)
    print(f"{'figure'.ljust(width)}  {'value':>10}  target")
    for name, value in sorted(results.items()):
        target = TARGETS_MS.get(name)
        verdict = "" if target is None else f"< {target} ms {'met' if value < target else 'MISSED'}"
        print(f"{name.ljust(width)}  {value:>10}  {verdict}")
    print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    main()
