"""Recount the monthly rollup of attendance marks from the marks, for one area or every area.

    .venv/bin/python manage.py attendance_months_rebuild --area 3

The database keeps the rollup true on every write of marks (attendance/rollup.py), so
this is for after a write that went round its triggers: a restore of the marks table
alone, or a trigger dropped by hand. One transaction; pages read the old weeks until it
commits.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from attendance.rollup import months_rebuild
from core.models import Area


class Command(BaseCommand):
    help = "Recount the monthly attendance rollup from the marks, for one area (--area) or all."

    def add_arguments(self, parser):
        parser.add_argument("--area", type=int, help="The id of the area; every area when left out")

    def handle(self, *args, area=None, **options):
        if area is not None and not Area.objects.filter(pk=area).exists():
            raise CommandError(f"There is no area {area}.")
        with transaction.atomic():
            written = months_rebuild(area_id=area)
        self.stdout.write(f"{written} months of attendance recounted from the marks.")
