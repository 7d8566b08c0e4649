"""`python manage.py demo`: wipe the database and build a synthetic borough to try the service on."""

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.models import Area, User
from demo.borough import DEMO_PASSWORD, borough_build
from demo.survey import survey_demo_build
from inspection.models import Inspection


class Command(BaseCommand):
    help = "Delete every record and build a synthetic borough: schools, providers, children, two years of placements."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=300, help="How many children (default 300)")
        parser.add_argument(
            "--seed", type=int, default=2026, help="The same seed builds the same borough (default 2026)"
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="The port the server will listen on, for the sign-in link"
        )
        parser.add_argument(
            "--force", action="store_true", help="Run under settings other than a developer's (it deletes every record)"
        )

    def handle(self, *args, children, seed, port, force, **options):
        if children < 1:
            raise CommandError("--children must be at least 1.")
        if not (settings.DEMO_MAY_EMPTY_DATABASE or settings.DEBUG or force):
            raise CommandError(
                "This deletes every record in the database. It runs under a developer's settings "
                "(config.settings.local, as `make demo` uses) or with DEBUG on; add --force to run it anyway."
            )
        started = time.perf_counter()
        summary = borough_build(children=children, seed=seed)
        survey = survey_demo_build(
            area=Area.objects.get(name=summary["area"]),
            officer=User.objects.get(username="la-officer"),
            seed=seed,
            today=date.fromisoformat(summary["today"]),
            inspection=Inspection.objects.get(area__name=summary["area"]),
        )
        seconds = time.perf_counter() - started

        out = self.stdout
        out.write(self.style.SUCCESS(f"Built the demo borough of {summary['area']} (seed {seed}) in {seconds:.1f}s."))
        out.write(f"  children            {summary['children']:>6}")
        out.write(f"  in AP today         {summary['in_ap_today']:>6}")
        out.write(f"  providers           {summary['providers']:>6}  ({summary['out_of_area_providers']} out of area)")
        out.write(
            f"  placements          {summary['placements']:>6}  ({summary['open_placements']} open, "
            f"{summary['planned_placements']} planned, {summary['school_commissioned_placements']} arranged by schools)"
        )
        out.write(
            f"  personalised plans  {summary['plans']:>6}  "
            f"({summary['objectives']} objectives; {summary['open_placements_without_plan']} open placements without a plan)"
        )
        out.write(
            f"  exclusions          {summary['exclusions']:>6}  "
            f"(suspensions and {summary['permanent_exclusions']} permanent exclusions, last two years)"
        )
        out.write(f"  attendance marks    {summary['attendance_marks']:>6}  (every placement, start to end)")
        out.write(f"  open alerts         {summary['alerts']:>6}  (from the last school day's check)")
        out.write(f"  survey responses    {survey.responses.count():>6}  (a stakeholder survey, open now)")
        out.write("")
        out.write(f"Sign in at http://127.0.0.1:{port} with the password {DEMO_PASSWORD}:")
        rows = [("username", "who", "sees")] + [
            (s["username"], s["who"], f"{s['what']} ({s['children_seen']})") for s in summary["sign_ins"]
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        rows.insert(1, tuple("-" * w for w in widths))
        for username, who, sees in rows:
            out.write(f"  {username:<{widths[0]}}  {who:<{widths[1]}}  {sees}")
