"""The ingest benchmark: a register file of 100,000 marks, read, checked, compared and written.

The floor is what no ingest can beat on this machine: reading the same file with
Python's csv module and writing the same rows with PostgreSQL COPY into a bare table.
"""

import csv
import io
import time
from datetime import date, timedelta

from django.db import connection, transaction

from attendance.models import AttendanceMark
from attendance.reading import read_register_file
from attendance.services import marks_commit
from children.models import Child, EhcPlanStatus
from children.upn import check_letter
from core.models import Area, Membership, Organisation, OrganisationKind, User
from placements.models import AttendancePattern, MainRoll, Placement, ProvisionType, RegistrationType
from providers.models import Provider, Registration
from terms.calendar import SchoolCalendar, academic_year_of

CHILDREN = 500
DAYS = 100  # 500 children x 100 school days x 2 sessions = 100,000 marks
# Best of three: this machine is shared, and a floor is a best case by definition.
RUNS = 3


def _setting(area: Area, today: date, number: int = 1) -> tuple[Provider, User, list[Child]]:
    """A large setting with 500 children placed since two years ago."""
    organisation = Organisation.objects.create(
        name=f"Bench Pupil Referral Unit {number}",
        kind=OrganisationKind.AP_PROVIDER,
        area=area,
        urn=f"{999000 + number}",
    )
    provider = Provider.objects.create(
        organisation=organisation,
        registration=Registration.STATE_MAINTAINED,
        gias_establishment_type="14",
        offers_full_time=True,
        min_age=5,
        max_age=16,
        capacity=600,
        address="Bench Road",
        postcode="WA1 1AA",
        location_la=area.la_code,
    )
    manager = User.objects.create(username=f"bench-manager-{number}")
    Membership.objects.create(user=manager, organisation=organisation, role=Membership.Role.OFFICE_MANAGER)
    children = Child.objects.bulk_create(
        Child(
            area=area,
            upn=_upn(area.la_code, number * CHILDREN + i),
            first_name="Bench",
            last_name=f"Child {i}",
            date_of_birth=today - timedelta(days=365 * 13),
            gender="M",
            ethnicity="WBRI",
            sen_provision="N",
            ehc_plan_status=EhcPlanStatus.NONE,
        )
        for i in range(CHILDREN)
    )
    Placement.objects.bulk_create(
        Placement(
            child=child,
            provider=provider,
            provision_type=ProvisionType.PRU_OR_AP_ACADEMY,
            commissioner=Organisation.objects.filter(area=area, kind=OrganisationKind.LOCAL_AUTHORITY).first(),
            commissioner_type="local_authority",
            reason="apc_pex",
            start_date=today - timedelta(days=730),
            attendance_pattern=AttendancePattern.FULL_TIME,
            hours_per_week=25,
            registration_type=RegistrationType.SINGLE,
            main_roll=MainRoll.AP,
            created_by=manager,
        )
        for child in children
    )
    return provider, manager, children


def _upn(la_code: str, i: int) -> str:
    body = f"{la_code}{9000 + i // 1000:04d}26{i % 1000:03d}"
    return check_letter(body) + body


def _register_file(area: Area, children: list[Child], today: date) -> tuple[bytes, int]:
    start = date(academic_year_of(today) - 1, 9, 1)
    days = SchoolCalendar.load(area=area, start=start, end=today).days(start, today)[-DAYS - 1 : -1]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["UPN", "Date", "Session", "Mark"])
    codes = ["/", "/", "/", "/", "N", "I", "/", "K", "/", "B"]
    count = 0
    for n, day in enumerate(days):
        for i, child in enumerate(children):
            for session in ("AM", "PM"):
                writer.writerow([child.upn, f"{day:%d/%m/%Y}", session, codes[(n + i) % len(codes)]])
                count += 1
    return buffer.getvalue().encode(), count


def measure_ingest(backend: str, area: Area, today: date) -> dict:
    """Best of three runs of the ingest, each a new setting's file, against the best of three floors."""
    runs = []
    for number in range(1, RUNS + 1):
        provider, manager, children = _setting(area, today, number)
        content, count = _register_file(area, children, today)
        started = time.perf_counter()
        rows, problems = read_register_file(content, "bench.csv")
        plan, batch = marks_commit(user=manager, provider=provider, rows=rows, source="upload", today=today)
        runs.append(time.perf_counter() - started)
        assert not problems, problems
        assert not plan.problems, plan.problems[:3]
        assert batch.new_marks == count == AttendanceMark.objects.filter(provider=provider).count()
    elapsed = min(runs)
    figures = {f"ingest_marks_per_s_{backend}": round(count / elapsed), f"ingest_seconds_{backend}": round(elapsed, 2)}
    if backend == "postgres":
        floor = min(_floor_seconds(content, provider, batch.pk) for _ in range(RUNS))
        figures["ingest_floor_seconds_postgres"] = round(floor, 3)
        figures["ingest_floor_ratio_postgres"] = round(elapsed / floor, 2)
    return figures


def _floor_seconds(content: bytes, provider: Provider, batch_id: int) -> float:
    """Read the file with csv alone, then COPY the same typed rows into a bare table."""
    placements = dict(Placement.objects.filter(provider=provider).values_list("child__upn", "pk"))
    child_ids = dict(Placement.objects.filter(provider=provider).values_list("child__upn", "child_id"))
    started = time.perf_counter()
    records = list(csv.reader(io.StringIO(content.decode())))[1:]
    read = time.perf_counter() - started
    typed = [
        (
            placements[upn],
            child_ids[upn],
            provider.pk,
            date(int(d[6:]), int(d[3:5]), int(d[:2])),
            1 if s == "AM" else 2,
            code,
            batch_id,
        )
        for upn, d, s, code in records
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_floor (placement_id bigint, child_id bigint, provider_id bigint, date date, "
            "session smallint, code varchar(2), batch_id bigint)"
        )
        started = time.perf_counter()
        with cursor.copy("COPY bench_floor FROM STDIN") as copy:
            for row in typed:
                copy.write_row(row)
        written = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_floor")
    return read + written
