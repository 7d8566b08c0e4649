"""The Annex A benchmark: the workbook for a borough, against writing the same rows with xlsxwriter alone."""

import gc
import io
import time
from datetime import date, timedelta

import xlsxwriter

from core.models import User
from inspection.annex_a import annex_a_sheets, workbook_bytes
from inspection.models import Inspection

RUNS = 3


def measure_annex_a(officer: User, today: date, children: int) -> dict:
    inspection = Inspection.objects.create(
        area=officer.primary_organisation.area,
        notified_on=today,
        visit_starts_on=today + timedelta(days=7),
        visit_ends_on=today + timedelta(days=11),
        lead_inspector="Bench",
        created_by=officer,
    )
    whole, floor = [], []
    gc.collect()
    rss_before = _rss_mb()
    for _ in range(RUNS):
        started = time.perf_counter()
        sheets = annex_a_sheets(user=officer, inspection=inspection, today=today)
        workbook_bytes(sheets, inspection=inspection)
        whole.append(time.perf_counter() - started)
        floor.append(_floor(sheets))
    rows = sum(len(sheet.rows) for sheet in sheets)
    del sheets
    gc.collect()
    # What a worker keeps after three exports: issue 14 asks that its memory return.
    growth = _rss_mb() - rss_before
    return {
        "annex_a_worker_rss_growth_mb": round(growth, 1),
        f"annex_a_seconds_{children}": round(min(whole), 2),
        "annex_a_floor_seconds": round(min(floor), 3),
        "annex_a_floor_ratio": round(min(whole) / min(floor), 2),
        "annex_a_rows": rows,
    }


def _floor(sheets) -> float:
    """The same rows, already prepared, written with xlsxwriter in constant-memory mode."""
    prepared = [[[v.isoformat() if isinstance(v, date) else v for v in row] for row in sheet.rows] for sheet in sheets]
    started = time.perf_counter()
    book = xlsxwriter.Workbook(io.BytesIO(), {"constant_memory": True})
    for sheet, rows in zip(sheets, prepared, strict=True):
        page = book.add_worksheet(sheet.name)
        for number, row in enumerate(rows):
            page.write_row(number, 0, row)
    book.close()
    return time.perf_counter() - started


def _rss_mb() -> float:
    """This process's resident memory now (Linux), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return kb / 1024
