"""A process that ingests a big register file, for a test to kill part-way.

`python -m tests.ingest_victim setup FILE` builds a database with a setting and
writes its register file; `commit FILE` ingests it, printing "ready" just before it
starts; `count` prints how many marks are stored. DATABASE_URL says which database.
"""

import os
import sys


def main(command: str, path: str = "") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    from attendance.models import AttendanceMark
    from core.models import Area, User

    if command == "setup":
        call_command("migrate", verbosity=0)
        from bench.ingest import _register_file, _setting
        from terms.calendar import academic_year_of
        from terms.demo import standard_terms
        from terms.models import Closure, Term

        today = _today()
        area = Area.objects.create(name="Warrington", la_code="877", ons_code="E06000007")
        from core.models import Organisation, OrganisationKind

        Organisation.objects.create(name="Warrington Borough Council", kind=OrganisationKind.LOCAL_AUTHORITY, area=area)
        terms, closures = standard_terms(
            area.calendars.get(is_area_default=True),
            first_year=academic_year_of(today) - 1,
            last_year=academic_year_of(today),
        )
        Term.objects.bulk_create(terms)
        Closure.objects.bulk_create(closures)
        _provider, _manager, children = _setting(area, today)
        content, count = _register_file(area, children, today)
        with open(path, "wb") as f:
            f.write(content)
        print(count)
    elif command == "commit":
        from attendance.reading import read_register_file
        from attendance.services import marks_commit
        from providers.models import Provider

        with open(path, "rb") as f:
            rows, problems = read_register_file(f.read(), "big.csv")
        assert not problems, problems
        provider = Provider.objects.get(organisation__name="Bench Pupil Referral Unit 1")
        manager = User.objects.get(username="bench-manager-1")
        print("ready", flush=True)
        marks_commit(user=manager, provider=provider, rows=rows, source="upload", today=_today())
        print("done", flush=True)
    elif command == "count":
        print(AttendanceMark.objects.count())
    elif command == "reset":
        from attendance.models import AttendanceBatch

        AttendanceMark.objects.all().delete()
        AttendanceBatch.objects.all().delete()


def _today():
    from datetime import date

    return date.today()


if __name__ == "__main__":
    main(*sys.argv[1:])
