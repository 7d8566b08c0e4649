"""Run the daily attendance check. Call it from cron or a systemd timer every few minutes in the school day.

    */10 8-16 * * 1-5  cd /srv/ap-oversight && .venv/bin/python manage.py attendance_alerts

It does nothing before an area's check time or on a day that is not a school day,
and running it again raises nothing twice.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from attendance.alerts import alerts_raise


class Command(BaseCommand):
    help = "Raise today's attendance alerts for children in AP with no morning mark or an unexplained absence."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="Run as if it were this time (ISO 8601), to catch up or to test")

    def handle(self, *args, at=None, **options):
        now = timezone.now()
        if at:
            now = parse_datetime(at)
            if now is None:
                self.stderr.write("--at must be a date and time like 2026-11-20T10:45")
                return
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        raised = alerts_raise(now=now)
        self.stdout.write(f"{len(raised)} new alert{'s' if len(raised) != 1 else ''} raised.")
