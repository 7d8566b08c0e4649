"""An upload is all or nothing: kill the ingest process part-way and nothing is half-written.

Runs against a database of its own (a SQLite file, or a scratch PostgreSQL database
when the suite runs on PostgreSQL), because the test's own transaction would hide
the dying process's writes.
"""

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

KILL_AFTER = [0.0, 0.1, 0.25, 0.4, 0.6, 0.9]


@pytest.fixture
def scratch_database(tmp_path):
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        return
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"crash_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def victim(database_url: str, *args: str, **kwargs):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tests.ingest_victim", *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def run(database_url: str, *args: str) -> str:
    process = victim(database_url, *args)
    out, _ = process.communicate(timeout=300)
    assert process.returncode == 0
    return out.strip()


@pytest.mark.django_db
def test_killing_the_ingest_part_way_leaves_nothing_half_written(scratch_database, tmp_path):
    path = str(tmp_path / "big.csv")
    expected = int(run(scratch_database, "setup", path).splitlines()[-1])
    outcomes = []
    for delay in KILL_AFTER:
        process = victim(scratch_database, "commit", path)
        assert process.stdout.readline().strip() == "ready"
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        stored = int(run(scratch_database, "count"))
        assert stored in (0, expected), f"killed after {delay}s: {stored} of {expected} marks were left"
        outcomes.append(stored)
        if stored:
            run(scratch_database, "reset")
    assert 0 in outcomes, "every run finished before it was killed; the test proved nothing"
