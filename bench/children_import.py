"""The children import benchmark: checking and then importing a list of 5,000 new children."""

import csv
import io
import time
from datetime import date

from children.imports import CHILDREN_IMPORT
from children.upn import check_letter
from core.imports import ImportSpec, import_check, import_commit
from core.models import User

ROWS = 5000


def _upn(serial: int) -> str:
    # Allocation year "98" keeps these clear of the demo borough's UPNs.
    body = f"877{serial % 10000:04d}98{serial // 10000:03d}"
    return check_letter(body) + body


def _file(today: date) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["UPN", "First name", "Last name", "Date of birth", "Gender", "Ethnicity", "SEN provision"])
    for i in range(ROWS):
        born = date(today.year - 10 - i % 6, 1 + i % 12, 1 + i % 28)
        writer.writerow([_upn(i), "Bench", f"Child{i}", born.strftime("%d/%m/%Y"), "MF"[i % 2], "WBRI", "NKE"[i % 3]])
    return out.getvalue().encode()


def measure_import(spec: ImportSpec, content: bytes, backend: str, officer: User, today: date) -> dict:
    """Seconds to check a file that adds ROWS records, then to import it."""
    started = time.perf_counter()
    upload, plan = import_check(spec=spec, user=officer, filename="bench.csv", content=content, today=today)
    checked = time.perf_counter() - started
    if plan.problems or len(plan.new) != ROWS:
        raise RuntimeError(f"The bench file should add {ROWS} {spec.words.many}: {plan.problems[:3]}")
    started = time.perf_counter()
    import_commit(spec=spec, user=officer, upload=upload, today=today)
    imported = time.perf_counter() - started
    return {
        f"{spec.name}_check_s_{ROWS}_{backend}": round(checked, 2),
        f"{spec.name}_commit_s_{ROWS}_{backend}": round(imported, 2),
    }


def measure_children_import(backend: str, officer: User, today: date) -> dict:
    return measure_import(CHILDREN_IMPORT, _file(today), backend, officer, today)
