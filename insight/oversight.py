"""The oversight flags: what needs the LA's attention today, each raised and cleared by the records alone.

Each flag is a function of (user, area, today) returning the rows behind it: a child, the setting, and the
dates or hours that raise it. They start from the access policy, cost a fixed number of queries however many
children, and are read by the LA for its area.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, Max, OuterRef, Q

from casework.models import PersonalisedPlan
from children.models import PERMANENT_EXCLUSION, Exclusion
from core.access import children_visible_to, placements_visible_to
from core.codes import code_set
from core.models import Area, User
from insight.flag_rules import (
    SUSPENSION_SESSIONS_BEYOND_FIVE_DAYS,
    ChildAtSetting,
    compulsory_school_age,
    full_time_here,
    is_without_education_today,
    must_register,
    past_sixth_day,
    school_days_without_education,
    suspension_last_day,
)
from placements.models import (
    AttendancePattern,
    EndReason,
    MainRoll,
    PartTimeTimetable,
    ProvisionType,
    RegistrationType,
)
from placements.rules import FULL_TIME_HOURS
from providers.models import Provider, Registration
from terms.calendar import SchoolCalendar

# How far back the sixth-day count looks for an exclusion or a placement's end that left a child without education.
SIXTH_DAY_LOOK_BACK = timedelta(days=365)
# A placement that ended this way leaves the child to be placed again; other endings say where the child went.
ENDINGS_THAT_LEAVE_A_GAP = [EndReason.ANOTHER_AP, EndReason.BROKE_DOWN, EndReason.OTHER]
# The proposed limits for non-school AP (DfE consultation response, August 2025): not law.
TIME_LIMIT_FULL_TIME = timedelta(weeks=12)
TIME_LIMIT_SESSIONS_ALONGSIDE_SCHOOL = 4
NO_SEN = next(c.code for c in code_set("sen_provision").values() if c.label == "No special educational need")
# A lunchtime suspension is counted in lunchtimes, each half a day: never "beyond five days" in sessions.
SUSPENSIONS_IN_SESSIONS = [
    c.code for c in code_set("exclusion_type").values() if c.row["length_counted_in"] == "sessions"
]


@dataclass
class FlagRow:
    child: object
    setting: str
    detail: str


@dataclass(frozen=True)
class Flag:
    key: str
    title: str
    explanation: str
    rows: Callable[..., list[FlagRow]]


def _open_placements(user: User, today: date):
    return (
        placements_visible_to(user=user, today=today)
        .open_on(today)
        .select_related("child", "provider__organisation")
        .order_by("child__last_name", "child__first_name", "pk")
    )


def past_planned_end(*, user: User, area: Area, today: date) -> list[FlagRow]:
    """Placements still open after their planned end."""
    return [
        FlagRow(
            p.child,
            p.provider.name,
            f"Planned to end {p.planned_end_date:%-d %B %Y}, {(today - p.planned_end_date).days} days ago",
        )
        for p in _open_placements(user, today).filter(planned_end_date__lt=today)
    ]


def plan_past_its_time(*, user: User, area: Area, today: date) -> list[FlagRow]:
    """Open placements whose plan has run out: every objective's date passed, or an off-site direction's maximum."""
    placements = (
        _open_placements(user, today)
        .annotate(last_target=Max("personalised_plan__objectives__target_date"))
        .filter(
            Q(last_target__lt=today)
            | Q(personalised_plan__off_site_direction=True, personalised_plan__maximum_end_date__lt=today)
        )
        .select_related("personalised_plan")
    )
    rows = []
    for p in placements:
        plan = p.personalised_plan
        said = []
        if plan.off_site_direction and plan.maximum_end_date and plan.maximum_end_date < today:
            said.append(f"Off-site direction's maximum period ended {plan.maximum_end_date:%-d %B %Y}")
        if p.last_target and p.last_target < today:
            said.append(f"Last objective was due {p.last_target:%-d %B %Y}")
        rows.append(FlagRow(p.child, p.provider.name, "; ".join(said)))
    return rows


def below_minimum_hours(*, user: User, area: Area, today: date) -> list[FlagRow]:
    """Home or hospital tuition, or a part-time placement, with fewer hours than the area's minimum."""
    placements = _open_placements(user, today).filter(
        Q(provision_type=ProvisionType.HOME_OR_HOSPITAL_TUITION) | Q(attendance_pattern=AttendancePattern.PART_TIME),
        hours_per_week__lt=area.minimum_hours,
    )
    return [
        FlagRow(
            p.child,
            p.provider.name,
            f"{p.hours_per_week} hours a week ({p.get_provision_type_display().lower() if p.provision_type == ProvisionType.HOME_OR_HOSPITAL_TUITION else 'part time'}); the area's minimum is {area.minimum_hours}",
        )
        for p in placements
    ]


def below_full_time(*, user: User, area: Area, today: date) -> list[FlagRow]:
    """Children whose hours across every open placement are under full time with no reason recorded.

    Only children on an AP setting's roll: a child on the home school's roll is the school's to educate the rest
    of the week (it tells the LA of a part-time timetable there). A part-time placement with a personalised
    plan records why.
    """
    placements = _open_placements(user, today).annotate(
        has_plan=Exists(PersonalisedPlan.objects.filter(placement=OuterRef("pk")))
    )
    by_child = defaultdict(list)
    for p in placements:
        by_child[p.child_id].append(p)
    rows = []
    for held in by_child.values():
        hours = sum((p.hours_per_week for p in held), Decimal(0))
        if hours >= FULL_TIME_HOURS or not any(p.main_roll == MainRoll.AP for p in held):
            continue
        if any(p.attendance_pattern == AttendancePattern.PART_TIME and p.has_plan for p in held):
            continue
        settings = ", ".join(p.provider.name for p in held)
        rows.append(FlagRow(held[0].child, settings, f"{hours} hours a week in all; full time is {FULL_TIME_HOURS}"))
    return rows


def timetables_overdue(*, user: User, area: Area, today: date) -> list[FlagRow]:
    """Part-time timetables still running past their time limit or their review date."""
    timetables = (
        PartTimeTimetable.objects.filter(child__in=children_visible_to(user=user, today=today), end_date=None)
        .filter(Q(time_limit__lt=today) | Q(review_date__lt=today))
        .select_related("child", "school")
        .order_by("child__last_name", "child__first_name", "pk")
    )
    rows = []
    for t in timetables:
        said = [f"Time limit {t.time_limit:%-d %B %Y}" + (" passed" if t.time_limit < today else "")]
        if t.review_date < today:
            said.append(f"review due {t.review_date:%-d %B %Y}")
        rows.append(FlagRow(t.child, t.school.name, f"{', '.join(said)}; {t.hours_per_week} hours a week"))
    return rows


def without_education(*, user: User, area: Area, today: date) -> list[FlagRow]:
    """Children without a placement from the sixth school day after a permanent exclusion, a suspension beyond
    five days, or a placement that ended in a move or a breakdown, counted on the area's calendar."""
    since = today - SIXTH_DAY_LOOK_BACK
    visible = children_visible_to(user=user, today=today)
    gaps = []  # (child_id, first day without, last day it can last, what started it, where)
    for e in (
        Exclusion.objects.filter(child__in=visible, start_date__range=(since, today))
        .filter(
            Q(category=PERMANENT_EXCLUSION)
            | Q(category__in=SUSPENSIONS_IN_SESSIONS, sessions__gt=SUSPENSION_SESSIONS_BEYOND_FIVE_DAYS)
        )
        .select_related("school")
    ):
        gaps.append((e.child_id, e.start_date, e.sessions, e.get_category_display(), e.school.name))
    placements = placements_visible_to(user=user, today=today)
    for p in placements.filter(
        end_date__range=(since, today - timedelta(days=1)), end_reason__in=ENDINGS_THAT_LEAVE_A_GAP
    ).select_related("provider__organisation"):
        gaps.append(
            (
                p.child_id,
                p.end_date + timedelta(days=1),
                None,
                f"Placement ended ({p.get_end_reason_display().lower()})",
                p.provider.name,
            )
        )
    if not gaps:
        return []
    spans = defaultdict(list)
    for child_id, start, end in placements.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=since), child_id__in={g[0] for g in gaps}
    ).values_list("child_id", "start_date", "end_date"):
        spans[child_id].append((start, end))
    calendar = SchoolCalendar.load(area=area, start=since, end=today)
    worst = {}
    for child_id, first, sessions, cause, where in gaps:
        # The next education: a placement open on the first day without, or the earliest to start after it.
        starts = [max(start, first) for start, end in spans[child_id] if end is None or end >= first]
        next_start = min(starts) if starts else None
        last = (
            suspension_last_day(first=first, sessions=sessions, is_school_day=calendar.is_school_day, until=today)
            if sessions
            else None
        )
        if not is_without_education_today(today=today, next_start=next_start, last=last):
            continue
        days = school_days_without_education(
            first=first, today=today, next_start=next_start, last=last, is_school_day=calendar.is_school_day
        )
        if past_sixth_day(days) and days > worst.get(child_id, (0,))[0]:
            worst[child_id] = (days, first, cause, where)
    children = visible.in_bulk(list(worst))
    rows = [
        FlagRow(children[child_id], where, f"{days} school days without education since {first:%-d %B %Y}: {cause}")
        for child_id, (days, first, cause, where) in worst.items()
    ]
    return sorted(rows, key=lambda r: (r.child.last_name, r.child.first_name, r.child.pk))


def registration_risk(*, user: User, area: Area, today: date) -> list[FlagRow]:
    """The children behind each unregistered setting that, adding every commissioner's placements, appears to give
    full-time education to five or more children of compulsory school age, or to one looked after or with SEN."""
    held = list(
        placements_visible_to(user=user, today=today)
        .open_on(today)
        .values_list("child_id", "provider_id", "hours_per_week", "provider__registration")
    )
    everywhere = defaultdict(Decimal)
    at_unregistered = defaultdict(lambda: defaultdict(Decimal))
    for child_id, provider_id, hours, registration in held:
        everywhere[child_id] += hours
        if registration == Registration.INDEPENDENT_UNREGISTERED:
            at_unregistered[provider_id][child_id] += hours
    if not at_unregistered:
        return []
    child_ids = {c for by_child in at_unregistered.values() for c in by_child}
    children = children_visible_to(user=user, today=today).in_bulk(list(child_ids))
    providers = Provider.objects.select_related("organisation").in_bulk(list(at_unregistered))
    rows = []
    for provider_id, by_child in at_unregistered.items():
        facts = {
            child_id: ChildAtSetting(
                hours_here=hours,
                hours_everywhere=everywhere[child_id],
                compulsory_school_age=compulsory_school_age(children[child_id].date_of_birth, today),
                looked_after=children[child_id].looked_after,
                has_sen=children[child_id].sen_provision != NO_SEN,
            )
            for child_id, hours in by_child.items()
        }
        if not must_register(facts.values(), area.full_time_test):
            continue
        counted = [
            c for c, fact in facts.items() if fact.compulsory_school_age and full_time_here(fact, area.full_time_test)
        ]
        for child_id in counted:
            fact = facts[child_id]
            rows.append(
                FlagRow(
                    children[child_id],
                    providers[provider_id].name,
                    f"{fact.hours_here} of {fact.hours_everywhere} hours a week here; the setting appears to "
                    f"educate {len(counted)} child{'ren' if len(counted) != 1 else ''} of compulsory school age full time",
                )
            )
    return sorted(rows, key=lambda r: (r.setting, r.child.last_name, r.child.first_name, r.child.pk))


def time_limits_exceeded(*, user: User, area: Area, today: date) -> list[FlagRow]:
    """Placements at non-school (unregistered) AP beyond the proposed limits: more than 12 weeks full time, or more
    than four sessions a week alongside school. Only when the area turns the flag on."""
    rows = []
    for p in _open_placements(user, today).filter(provider__registration=Registration.INDEPENDENT_UNREGISTERED):
        sessions = p.timetable.count("1")
        if p.attendance_pattern == AttendancePattern.FULL_TIME and p.start_date <= today - TIME_LIMIT_FULL_TIME:
            rows.append(FlagRow(p.child, p.provider.name, f"Full time since {p.start_date:%-d %B %Y}, over 12 weeks"))
        elif p.registration_type == RegistrationType.DUAL and sessions > TIME_LIMIT_SESSIONS_ALONGSIDE_SCHOOL:
            rows.append(FlagRow(p.child, p.provider.name, f"{sessions} sessions a week alongside school, over 4"))
    return rows


# The flags in the order the dashboard lists them. Two more belong here when reviews are recorded (another
# worktree builds them): reviews overdue, from casework.selectors.reviews.reviews_overdue(user=, today=), and
# out of area with no review or visit this half term.
FLAGS = [
    Flag(
        "past-planned-end",
        "Placements past their planned end",
        "Open placements whose planned end date has passed: extend them with a reason, or end them.",
        past_planned_end,
    ),
    Flag(
        "plan-past-its-time",
        "Plans past their timeframe or maximum period",
        "Open placements whose plan's last objective date, or an off-site direction's agreed maximum period, has passed.",
        plan_past_its_time,
    ),
    Flag(
        "below-minimum-hours",
        "Tuition or part-time placements below the minimum hours",
        "Home or hospital tuition, or part-time placements, with fewer hours a week than the area's minimum.",
        below_minimum_hours,
    ),
    Flag(
        "below-full-time",
        "Below full-time education with no reason recorded",
        "Children on an AP setting's roll with fewer than 25 hours a week across every setting, and no "
        "part-time placement with a personalised plan saying why.",
        below_full_time,
    ),
    Flag(
        "part-time-timetables-overdue",
        "Part-time timetables past their time limit or review",
        "Part-time timetables at school still running after their agreed time limit or review date.",
        timetables_overdue,
    ),
    Flag(
        "without-education",
        "Without education from the sixth school day",
        "Children with no placement from the sixth school day after a permanent exclusion, a suspension of more "
        "than five days, or a placement ending in a move or a breakdown, counted on the area's school calendar.",
        without_education,
    ),
    Flag(
        "registration-risk",
        "Unregistered settings that may need to register",
        "Children at unregistered settings that, adding every commissioner's placements, appear to give full-time "
        "education to five or more children of compulsory school age, or to one looked after or with SEN.",
        registration_risk,
    ),
    Flag(
        "time-limits",
        "Non-school AP beyond the proposed time limits",
        "Placements at unregistered settings over 12 weeks full time, or over four sessions a week alongside school "
        "(proposed by DfE, not law).",
        time_limits_exceeded,
    ),
]
FLAG_BY_KEY = {flag.key: flag for flag in FLAGS}


def flags_for(area: Area) -> list[Flag]:
    """The flags an area uses: the time limits only when it turns them on."""
    return [f for f in FLAGS if f.key != "time-limits" or area.time_limits_flagged]


def flag_rows(*, user: User, flag: Flag, today: date) -> list[FlagRow]:
    """The children behind one flag, looked-after children first, as the LA reads them for its area."""
    area = user.primary_organisation.area
    rows = flag.rows(user=user, area=area, today=today)
    return sorted(rows, key=lambda r: not r.child.looked_after)


def oversight_counts(*, user: User, today: date) -> list[dict]:
    """Each flag with how many children are behind it and how many of them are looked after."""
    area = user.primary_organisation.area
    counts = []
    for flag in flags_for(area):
        children = {row.child.pk: row.child for row in flag.rows(user=user, area=area, today=today)}
        looked_after = sum(c.looked_after for c in children.values())
        counts.append({"flag": flag, "children": len(children), "looked_after": looked_after})
    return counts
