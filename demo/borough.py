"""A synthetic borough for demonstrations, trials and benchmarks.

`borough_build` wipes the project's tables and fills them with one local area: its
schools, partners, AP providers, children whose mix resembles England's AP population,
two years of placements with their personalised plans (most, not all), practitioners'
involvements, suspensions and exclusions, the LA's panels with their referrals and decisions (the plan
of a placement that followed a decision names it; a sent referral keeps the record's figures once the
registers are written), pupils on part-time timetables, destination checks of the young people who left AP in Year 11 or later, and one
user of each kind. Each part is built by the module named for it
(`demo.area`, `demo.calendars`, `demo.organisations`, `demo.users`, `demo.children`, `demo.placements`,
`demo.involvements`, `demo.casework`, `demo.plans`, `demo.inspection`, `demo.panels`, `demo.reviews`,
`demo.destinations`, `demo.timetables`, `demo.oversight`, `demo.approvals`, `demo.checks`, `demo.quality`, `demo.attendance`), in the order below, sharing one `demo.context.Borough`.

The same seed gives the same borough, public ids included, so links stay stable between runs
(see `demo.context`; the casework has generators of its own seeded from the same seed).
Children, placements, involvements and casework are bulk-inserted: no per-row history or signals,
which is right for generated data and keeps 5,000 children well inside a minute.
"""

from datetime import date, timedelta

from django.db import connection, transaction

from casework.models import DestinationCheck, NextReview, PlacementExit, ReintegrationAttempt
from casework.services.next_reviews import next_reviews_refresh
from children.models import Child, Exclusion, Involvement
from core.models import Organisation
from demo.approvals import approvals_build, justifications_fill
from demo.area import areas_build
from demo.attendance import alert_correct_one, home_school_marks_build, marks_build, yesterdays_alerts_raise
from demo.calendars import calendars_build, calendars_link
from demo.casework import exclusions_build
from demo.checks import checks_build
from demo.children import child_recorded_twice_add, children_build
from demo.context import Borough
from demo.destinations import destination_checks_build
from demo.directory import directory_build
from demo.exits import exits_build
from demo.inspection import inspection_demo_build
from demo.involvements import caseload_assign, involvements_build
from demo.organisations import organisations_build, providers_build
from demo.oversight import registration_risk_placements
from demo.panels import panels_build, referral_figures_fill
from demo.placements import children_in_ap, current_placements, placements_build
from demo.plans import plans_build, plans_insert
from demo.quality import qa_build
from demo.reviews import objectives_by_placement, review_figures_fill, reviews_build, reviews_insert
from demo.timetables import part_time_timetables_build
from demo.users import DEMO_PASSWORD, USERS, memberships_build, users_build
from demo.visits import visits_build
from demo.wipe import borough_wipe
from placements.models import PartTimeTimetable, Placement
from placements.rules import SCHOOL_ARRANGED, arranged_by
from providers.models import ProviderApproval, ProviderCheck

# How far back reviews keep the record since the one before: every review of the last two years.
REVIEW_FIGURES_DAYS = 731

__all__ = ["DEMO_PASSWORD", "USERS", "borough_build", "borough_wipe"]


def borough_build(*, children: int, seed: int, today: date | None = None, attendance: bool = True) -> dict:
    """Wipe the project's data and build a synthetic borough; the same seed gives the same borough."""
    today = today or date.today()
    b = Borough.seeded(seed, today)
    with transaction.atomic():
        borough_wipe()
        areas_build(b)
        calendars_build(b)
        organisations_build(b)
        providers_build(b)
        directory = directory_build(
            seed=seed, providers=[i.provider for i in b.providers], schools=[s.org for s in b.schools]
        )
        calendars_link(b)
        users_build(b)

        plans = children_build(b, children)
        Child.objects.bulk_create([p.child for p in plans], batch_size=500)
        placements = placements_build(b, plans)
        _placements_insert(placements)
        involvements = involvements_build(b, plans)
        caseload_assign(b, involvements, plans, "social-worker", b.social_care, Involvement.Role.SOCIAL_WORKER, 10)
        caseload_assign(b, involvements, plans, "health-practitioner", b.health, Involvement.Role.CAMHS, 8)
        Involvement.objects.bulk_create(involvements, batch_size=500)
        in_ap = children_in_ap(plans, placements)
        exclusions = exclusions_build(
            seed=seed, today=today, area=b.area, children=in_ap, recorder=b.users["la-officer"]
        )
        Exclusion.objects.bulk_create(exclusions, batch_size=500)
        personalised_plans = plans_build(
            seed=seed, today=today, placements=placements, children=in_ap, recorder=b.users["la-officer"]
        )

        current = current_placements(placements, today)
        inspection_demo_build(
            area=b.area,
            officer=b.users["la-officer"],
            inspector=b.users["inspector"],
            children=list({id(p.child): p.child for p in current}.values()),
            today=today,
            seed=seed,
        )
        sign_ins = memberships_build(b, placements)
        school_lead = b.users["school-lead"]
        timetables = part_time_timetables_build(
            seed=seed,
            today=today,
            placements=placements,
            recorders={school_lead.primary_organisation.pk: school_lead},
            officer=b.users["la-officer"],
        )
        PartTimeTimetable.objects.bulk_create(timetables, batch_size=500)
        child_recorded_twice_add(b, plans)
        # The plans are inserted after the panels: a placement that followed a decision has its plan name it.
        panels = panels_build(b, plans, placements, [plan for plan, _ in personalised_plans])
        plans_insert(personalised_plans)
        reviews, progress = reviews_build(
            seed=seed,
            today=today,
            placements=placements,
            objectives=objectives_by_placement(personalised_plans),
            recorder=b.users["la-officer"],
        )
        reviews_insert(reviews, progress)
        destination_checks = destination_checks_build(
            seed=seed, today=today, placements=placements, recorder=b.users["la-officer"]
        )
        DestinationCheck.objects.bulk_create(destination_checks, batch_size=500)
        exits, attempts = exits_build(
            seed=seed,
            today=today,
            placements=placements,
            schools=[s.org for s in b.schools],
            recorder=b.users["la-officer"],
        )
        PlacementExit.objects.bulk_create(exits, batch_size=500)
        ReintegrationAttempt.objects.bulk_create(attempts, batch_size=500)
        # A child in care at an unregistered setting over 18 hours a week: the registration test's flag.
        risky = registration_risk_placements(b, placements)
        Placement.objects.bulk_create(risky)
        placements += risky
        visits = visits_build(
            seed=seed,
            today=today,
            placements=placements,
            officer=b.users["la-officer"],
            recorders={school_lead.primary_organisation.pk: school_lead},
        )
        approvals = approvals_build(
            today=today, providers=[i.provider for i in b.providers], officer=b.users["la-officer"]
        )
        ProviderApproval.objects.bulk_create(approvals)
        justified = justifications_fill(today=today, placements=placements, approvals=approvals)
        Placement.objects.bulk_update(justified, ["provider_justification"], batch_size=500)
        checks = checks_build(
            today=today,
            providers=[i.provider for i in b.providers],
            officer=b.users["la-officer"],
            manager=b.users["provider-manager"],
        )
        ProviderCheck.objects.bulk_create(checks, batch_size=500)
        quality = qa_build(
            seed=seed,
            today=today,
            area=b.area,
            placements=placements,
            officer=b.users["la-officer"],
            school_lead=school_lead,
            health=(b.users["health-practitioner"], b.health),
            social=(b.users["social-worker"], b.social_care),
        )
        # Written in bulk, past the services: each open placement's next review is worked out once here.
        next_reviews_refresh(children_of_area=b.area.pk)
        current += current_placements(risky, today)
        marks = (
            marks_build(rng=b.rng, placements=placements, today=today, recorder=b.users["la-officer"])
            if attendance
            else 0
        )
        alerts = 0
        if attendance:
            home_school_marks_build(placements=placements, today=today, recorder=b.users["la-officer"])
            raised = yesterdays_alerts_raise(area=b.area, today=today)
            alert_correct_one(alerts=raised)
            alerts = len(raised)
            # What the record held when each referral was sent, from the registers just written.
            panels["referrals_with_figures"] = referral_figures_fill()
            review_figures_fill(since=today - timedelta(days=REVIEW_FIGURES_DAYS))
        planned = {id(plan.placement) for plan, _ in personalised_plans}
        summary = {
            "seed": seed,
            "today": today.isoformat(),
            "area": b.area.name,
            "children": len(plans),
            "recorded_twice": 1,  # one of them, added again by a school they moved to
            "in_ap_today": len({id(p.child) for p in current}),
            "providers": len(b.providers),
            "provider_approvals": len(approvals),
            "provider_checks": len(checks),
            **quality,
            **directory,
            "out_of_area_providers": sum(1 for i in b.providers if i.provider.location_la != b.area.la_code),
            "schools": len(b.schools),
            "organisations": Organisation.objects.count(),
            "placements": len(placements),
            "open_placements": sum(1 for p in placements if p.end_date is None and p.start_date <= today),
            "planned_placements": sum(1 for p in placements if p.start_date > today),
            "school_commissioned_placements": sum(
                1 for p in placements if arranged_by(p.commissioner_type) == SCHOOL_ARRANGED
            ),
            "part_time_timetables": len(timetables),
            "part_time_timetables_running": sum(1 for t in timetables if t.end_date is None),
            "involvements": len(involvements),
            "exclusions": len(exclusions),
            "permanent_exclusions": sum(e.is_permanent for e in exclusions),
            "plans": len(personalised_plans),
            "objectives": sum(len(objectives) for _, objectives in personalised_plans),
            "reviews": len(reviews),
            "objectives_reviewed": len(progress),
            "visits": len(visits),
            "reviews_overdue": NextReview.objects.filter(
                due_on__lt=today, placement__in=Placement.objects.open_on(today)
            ).count(),
            "destination_checks": len(destination_checks),
            "exits": len(exits),
            "reintegration_attempts": len(attempts),
            "reintegration_outcomes_due": sum(1 for a in attempts if a.outcomes_due(today)),
            "open_placements_without_plan": sum(1 for p in current if p.end_date is None and id(p) not in planned),
            "attendance_marks": marks,
            "alerts": alerts,
            **panels,
            "users": len(b.users),
            "sign_ins": sign_ins,
        }
    return summary


def _placements_insert(placements: list[Placement]) -> None:
    """Insert the placements; on SQLite, with statistics taken once the first few thousand are in.

    SQLite's overlap check (a trigger: no two placements of a child at one provider at once) looks a
    child's placements up by whichever index its planner guesses. Without statistics it guesses the
    provider's, so each insert reads every placement the provider has, and a borough of 50,000
    children took minutes; with them it looks up the child's one or two.
    """
    first, rest = placements[:2000], placements[2000:]
    Placement.objects.bulk_create(first, batch_size=500)
    if rest and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE placements_placement")
    Placement.objects.bulk_create(rest, batch_size=500)
