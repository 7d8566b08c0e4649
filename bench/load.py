"""`make bench-load`: the pages under load from 1, 4 and 16 officers at once, served as in production.

Builds the largest county's borough (BENCH_LOAD_CHILDREN, default 20,000 children with two years of history and their
attendance) in its own PostgreSQL database, `<BENCH_POSTGRES_URL>_load_<children>`; with BENCH_REUSE=1 a borough
already built there is used again. Then collects the static files and starts gunicorn with
`config.settings.production` on a free port of 127.0.0.1 (2 sync workers a core, `--preload`), signs the LA
officer in through the sign-in form and the second-factor form (one session per simulated user, each with a
backup code of a device added for the bench), and for each page and each number of users runs Locust headless
for BENCH_LOAD_SECONDS (default 20). Requests carry `X-Forwarded-Proto: https`, as the TLS-terminating proxy of
a real deployment sets it: the production settings are used unchanged.

Writes `<page>_rps_<users>_users_<children>`, `<page>_p95_ms_...` and `<page>_failures_...` into
bench/results.json beside `make bench`'s figures, prints them with their targets, and exits with an error when
more than MAX_FAILURE_RATIO of a run's requests did not answer 200. gunicorn is stopped whatever happens.
"""

import csv
import io
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CHILDREN = int(os.environ.get("BENCH_LOAD_CHILDREN", "20000"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "20"))
USERS = (1, 4, 16)
REUSE = os.environ.get("BENCH_REUSE") == "1"
ATTENDANCE = os.environ.get("BENCH_LOAD_ATTENDANCE", "1") == "1"
POSTGRES_URL = (
    os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/ap_oversight_bench") + f"_load_{CHILDREN}"
)
# DESIGN.md §7: one 2-core machine serves a borough; gunicorn's sync workers, two a core.
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 2))))
# More than this share of a run's requests answered with anything but 200 fails the bench.
MAX_FAILURE_RATIO = 0.02
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
BASE_DIR = Path(__file__).resolve().parent.parent
PROXY = {"X-Forwarded-Proto": "https"}
# The page's name in the figures -> its address; the child record's is found in the borough.
PAGES = {"dashboard": "/", "register": "/register/", "attendance": "/attendance/", "child": None}


def figure_names(page: str, users: int, children: int) -> tuple[str, str, str]:
    suffix = f"{users}_users_{children}"
    return f"{page}_rps_{suffix}", f"{page}_p95_ms_{suffix}", f"{page}_failures_{suffix}"


def figures_from_stats(stats_csv: str, *, page: str, users: int, children: int) -> dict:
    """Requests a second, 95th percentile (ms) and failures from Locust's `<prefix>_stats.csv`, its Aggregated row."""
    rows = {row["Name"]: row for row in csv.DictReader(io.StringIO(stats_csv))}
    row = rows["Aggregated"]
    rps, p95, failures = figure_names(page, users, children)
    requests = int(row["Request Count"])
    if not requests:
        raise RuntimeError(f"{page} at {users} users: no request was answered in the run")
    return {
        rps: round(float(row["Requests/s"]), 1),
        p95: round(float(row["95%"])),
        failures: int(row["Failure Count"]),
        f"{page}_requests_{users}_users_{children}": requests,
    }


def failures_too_many(figures: dict) -> list[str]:
    """The runs of which more than MAX_FAILURE_RATIO of the requests failed, named."""
    too_many = []
    for name, failed in figures.items():
        if "_failures_" not in name:
            continue
        requests = figures[name.replace("_failures_", "_requests_")]
        if failed > MAX_FAILURE_RATIO * requests:
            too_many.append(f"{name}: {failed} of {requests} requests")
    return too_many


def main() -> None:
    os.environ["DATABASE_URL"] = POSTGRES_URL
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    started = time.perf_counter()
    _borough_ready()
    print(f"borough of {CHILDREN} children ready in {time.perf_counter() - started:.0f} s", flush=True)
    codes = _backup_codes(max(USERS))
    pages = {name: path or _child_path() for name, path in PAGES.items()}
    call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    os.environ["SITE_URL"] = f"https://127.0.0.1:{port}"
    logs = Path(tempfile.mkdtemp(prefix="ap-bench-load-"))
    server = _gunicorn_start(port, logs)
    figures = {}
    try:
        _wait_until_serving(base, server, logs)
        sessions = [_sign_in(base, code) for code in codes]
        _warm_up(base, sessions[0], pages.values())
        for page, path in pages.items():
            for users in USERS:
                _busy_warn(f"{page} at {users} users")
                figures |= _locust_run(base, page, path, users, sessions, logs)
                print(f"{page} at {users} users: {figures[figure_names(page, users, CHILDREN)[0]]} rps", flush=True)
    finally:
        _gunicorn_stop(server)
    from bench.run import results_merge, table_print

    results_merge(figures)
    table_print(figures)
    print(f"\nlogs in {logs}; {time.perf_counter() - started:.0f} s in all")
    too_many = failures_too_many(figures)
    if too_many:
        sys.exit("Too many requests did not answer 200 (see the logs):\n" + "\n".join(too_many))


def _borough_ready() -> None:
    """Build the borough in its own database, or, with BENCH_REUSE=1, use the one already built there."""
    from django.core.management import call_command
    from django.db import connection

    if REUSE and _borough_built():
        call_command("migrate", verbosity=0)
        return
    _recreate_database()
    call_command("migrate", verbosity=0)
    from demo.borough import borough_build

    borough_build(children=CHILDREN, seed=2026, attendance=ATTENDANCE)
    with connection.cursor() as cursor:
        # What autovacuum does soon after the borough's bulk writes, as `make bench` does (bench/measure.py).
        cursor.execute("VACUUM ANALYZE")


def _borough_built() -> bool:
    import psycopg

    name = POSTGRES_URL.rsplit("/", 1)[1]
    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
    with psycopg.connect(POSTGRES_URL) as conn:
        tables = conn.execute("SELECT to_regclass('core_user') IS NOT NULL").fetchone()[0]
        return tables and bool(conn.execute("SELECT 1 FROM core_user WHERE username = 'la-officer'").fetchone())


def _recreate_database() -> None:
    import psycopg

    name = POSTGRES_URL.rsplit("/", 1)[1]
    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _admin_url() -> str:
    return POSTGRES_URL.rsplit("/", 1)[0] + "/postgres"


def _backup_codes(count: int) -> list[str]:
    """A device of backup codes for the LA officer, one code a sign-in: production asks every sign-in for a code."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from core.models import User

    officer = User.objects.get(username="la-officer")
    StaticDevice.objects.filter(user=officer, name="Bench backup codes").delete()
    device = StaticDevice.objects.create(user=officer, name="Bench backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(count)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _child_path() -> str:
    """The record of a child in AP today, the first of the officer's by public id (the same borough, the same child)."""
    from core.access import children_visible_to
    from core.models import User

    officer = User.objects.get(username="la-officer")
    child = children_visible_to(user=officer).filter(placements__end_date__isnull=True).order_by("public_id").first()
    return child.get_absolute_url()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn_start(port: int, logs: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        "--preload",
        "--error-logfile",
        str(logs / "gunicorn.log"),
    ]
    # Its own process group, so that the master and its workers are stopped together.
    return subprocess.Popen(command, cwd=BASE_DIR, env=os.environ.copy(), start_new_session=True)  # noqa: S603


def _gunicorn_stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _wait_until_serving(base: str, server: subprocess.Popen, logs: Path) -> None:
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {(logs / 'gunicorn.log').read_text()[-2000:]}")
        try:
            if requests.get(f"{base}/sign-in/", headers=PROXY, timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.25)
    raise RuntimeError("gunicorn did not answer within a minute")


def _sign_in(base: str, code: str) -> str:
    """Sign the LA officer in as a person does: the sign-in form, then the code form; returns the session id."""
    import requests

    from demo.users import DEMO_PASSWORD

    cookies: dict[str, str] = {}
    # The session and CSRF cookies are Secure, which a client on plain HTTP keeps but never sends: sent by hand.
    http = requests.Session()

    def step(method: str, path: str, data: dict | None = None) -> requests.Response:
        headers = PROXY | {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        if data is not None:  # Django checks where a form over HTTPS was sent from
            headers |= {"Origin": base.replace("http:", "https:"), "Referer": base.replace("http:", "https:") + path}
        response = http.request(method, base + path, headers=headers, data=data, allow_redirects=False, timeout=30)
        cookies.update(response.cookies.get_dict())
        return response

    def form_token(response: requests.Response) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)

    page = step("GET", "/sign-in/")
    answer = step(
        "POST",
        "/sign-in/",
        {"csrfmiddlewaretoken": form_token(page), "username": "la-officer", "password": DEMO_PASSWORD},
    )
    if answer.status_code != 302:
        raise RuntimeError(f"the sign-in form answered {answer.status_code}")
    page = step("GET", "/sign-in/code/?next=/")
    answer = step("POST", "/sign-in/code/", {"csrfmiddlewaretoken": form_token(page), "code": code, "next": "/"})
    if answer.status_code != 302 or step("GET", "/").status_code != 200:
        raise RuntimeError(f"the code form answered {answer.status_code}, or the dashboard did not open after it")
    return cookies["sessionid"]


def _warm_up(base: str, session: str, paths) -> None:
    """Each worker renders each page a few times before anything is timed (templates compiled, connections open)."""
    import requests

    headers = PROXY | {"Cookie": f"sessionid={session}"}
    urls = [base + path for path in paths for _ in range(3 * WORKERS)]
    with ThreadPoolExecutor(WORKERS) as pool:
        for response in pool.map(
            lambda url: requests.get(url, headers=headers, allow_redirects=False, timeout=60), urls
        ):
            if response.status_code != 200:
                raise RuntimeError(f"{response.url} answered {response.status_code} before the load began")


def _busy_warn(run: str) -> None:
    """Say so when other work keeps the cores busy just before a run (gunicorn idle): its figures are then too low."""
    stat = Path("/proc/stat")
    if not stat.exists():
        return

    def times() -> tuple[int, int]:
        fields = [int(f) for f in stat.read_text().split("\n", 1)[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]  # all, idle and waiting for I/O

    all_before, idle_before = times()
    time.sleep(1)
    all_after, idle_after = times()
    busy = 1 - (idle_after - idle_before) / max(all_after - all_before, 1)
    if busy > 0.2:
        print(f"warning: the cores were {busy:.0%} busy with other work just before {run}", flush=True)


def _locust_run(base: str, page: str, path: str, users: int, sessions: list[str], logs: Path) -> dict:
    prefix = logs / f"{page}_{users}"
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        base,
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{SECONDS}s",
        "--csv",
        str(prefix),
        # At the end of the time, each user finishes the request it is waiting for, which is counted: the slow
        # requests are the likeliest to be in flight then, and dropping them would flatter the 95th percentile.
        "--stop-timeout",
        "60",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--logfile",
        str(prefix) + ".log",
    ]
    env = os.environ | {"BENCH_LOAD_PATH": path, "BENCH_LOAD_NAME": page, "BENCH_LOAD_SESSIONS": ",".join(sessions)}
    # Locust exits with 1 when any request failed: the failures are counted from its figures below.
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=SECONDS + 180)  # noqa: S603
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        raise RuntimeError(f"Locust wrote no figures for {page} at {users} users: see {prefix}.log")
    return figures_from_stats(stats.read_text(), page=page, users=users, children=CHILDREN)


if __name__ == "__main__":
    main()
