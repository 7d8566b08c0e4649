"""The oversight flags: what needs the LA's attention today, each raised and cleared by the records alone.

A flag is either a query (placements or timetables, counted in the database for the dashboard, a page at a
time for its list) or, where the rule needs more than a query says, hits worked out from a few narrow reads
(`Hit`: the child's id, whether looked after, the setting and what raises it). Every read starts from the
access policy and costs a fixed number of queries however many children; the LA reads them for its area.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, Sum

from casework.models import EndReason, PlanObjective
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
    MainRoll,
    PartTimeTimetable,
    ProvisionType,
    RegistrationType,
)
from placements.rules import FULL_TIME_HOURS
from providers.models import Registration
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
class Hit:
    """One child behind a flag worked out in Python: enough to count, sort and show, before the child is read."""

    child_id: int
    looked_after: bool
    name: tuple
    setting: str
    detail: str


@dataclass(frozen=True)
class Flag:
    key: str
    title: str
    explanation: str
    query: Callable[..., QuerySet] | None = None  # rows with a `child`, ordered
    row: Callable[..., str] | None = None  # what raises it, in words, for one of `query`'s rows
    page: Callable[[QuerySet], QuerySet] | None = None  # what `row` needs beyond `query`, read for a page only
    hits: Callable[..., list[Hit]] | None = None


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


CHILD = ("child_id", "child__looked_after", "child__last_name", "child__first_name")
BY_CHILD = ("-child__looked_after", "child__last_name", "child__first_name", "pk")


def _open_placements(user: User, today: date) -> QuerySet:
    return placements_visible_to(user=user, today=today).open_on(today)


def past_planned_end(*, user: User, area: Area, today: date) -> QuerySet:
    """Placements still open after their planned end."""
    return _open_placements(user, today).filter(planned_end_date__lt=today)


def _past_planned_end_row(p, area: Area, today: date) -> str:
    return f"Planned to end {_day(p.planned_end_date)}, {(today - p.planned_end_date).days} days ago"


def plan_past_its_time(*, user: User, area: Area, today: date) -> QuerySet:
    """Open placements whose plan has run out: every objective's date passed, or an off-site direction's maximum."""
    open_now = _open_placements(user, today)
    all_due = (
        PlanObjective.objects.filter(plan__placement__in=open_now.values("pk"))
        .values("plan__placement_id")
        .annotate(last=Max("target_date"))
        .filter(last__lt=today)
        .values("plan__placement_id")
    )
    return open_now.filter(
        Q(pk__in=all_due) | Q(personalised_plan__off_site_direction=True, personalised_plan__maximum_end_date__lt=today)
    )


def _plan_page(placements: QuerySet) -> QuerySet:
    """A page's placements with their plan and the date their last objective was due (not needed to count them)."""
    objectives = PlanObjective.objects.filter(plan__placement=OuterRef("pk"), target_date__isnull=False)
    return placements.select_related("personalised_plan").annotate(
        last_target=Subquery(objectives.order_by("-target_date").values("target_date")[:1])
    )


def _plan_row(p, area: Area, today: date) -> str:
    plan = p.personalised_plan
    said = []
    if plan.off_site_direction and plan.maximum_end_date and plan.maximum_end_date < today:
        said.append(f"Off-site direction's maximum period ended {_day(plan.maximum_end_date)}")
    if p.last_target and p.last_target < today:
        said.append(f"Last objective was due {_day(p.last_target)}")
    return "; ".join(said)


def below_minimum_hours(*, user: User, area: Area, today: date) -> QuerySet:
    """Home or hospital tuition, or a part-time placement, with fewer hours than the area's minimum."""
    return _open_placements(user, today).filter(
        Q(provision_type=ProvisionType.HOME_OR_HOSPITAL_TUITION) | Q(attendance_pattern=AttendancePattern.PART_TIME),
        hours_per_week__lt=area.minimum_hours,
    )


def _below_minimum_row(p, area: Area, today: date) -> str:
    kind = "home or hospital tuition" if p.provision_type == ProvisionType.HOME_OR_HOSPITAL_TUITION else "part time"
    return f"{p.hours_per_week} hours a week ({kind}); the area's minimum is {area.minimum_hours}"


def timetables_overdue(*, user: User, area: Area, today: date) -> QuerySet:
    """Part-time timetables still running past their time limit or their review date."""
    return (
        PartTimeTimetable.objects.filter(child__in=children_visible_to(user=user, today=today), end_date=None)
        .filter(Q(time_limit__lt=today) | Q(review_date__lt=today))
        .select_related("school")
    )


def _timetable_row(t, area: Area, today: date) -> str:
    said = [f"Time limit {_day(t.time_limit)}" + (" passed" if t.time_limit < today else "")]
    if t.review_date < today:
        said.append(f"review due {_day(t.review_date)}")
    return f"{', '.join(said)}; {t.hours_per_week} hours a week"


def below_full_time(*, user: User, area: Area, today: date) -> list[Hit]:
    """Children on an AP setting's roll whose hours across every open placement are under full time, with no
    reason recorded.

    A child on the home school's roll is the school's to educate the rest of the week (it tells the LA of a
    part-time timetable there). A part-time placement with a personalised plan records why.
    """
    open_now = _open_placements(user, today)
    on_ap_roll = open_now.filter(main_roll=MainRoll.AP).values("child_id")
    short = (
        open_now.filter(child_id__in=on_ap_roll)
        .values("child_id")
        .annotate(
            hours=Sum("hours_per_week"),
            reasoned=Count(
                "pk",
                filter=Q(attendance_pattern=AttendancePattern.PART_TIME, personalised_plan__isnull=False),
            ),
        )
        .filter(hours__lt=FULL_TIME_HOURS, reasoned=0)
    )
    hours = {row["child_id"]: row["hours"] for row in short}
    settings = defaultdict(list)
    children = {}
    for *child, setting in open_now.filter(child_id__in=list(hours)).values_list(
        *CHILD, "provider__organisation__name"
    ):
        children[child[0]] = child
        settings[child[0]].append(setting)
    return [
        Hit(
            child_id,
            child[1],
            tuple(child[2:4]),
            ", ".join(sorted(settings[child_id])),
            f"{hours[child_id]} hours a week in all; full time is {FULL_TIME_HOURS}",
        )
        for child_id, child in children.items()
    ]


def without_education(*, user: User, area: Area, today: date) -> list[Hit]:
    """Children without a placement from the sixth school day after a permanent exclusion, a suspension beyond
    five days, or a placement that ended in a move or a breakdown, counted on the area's calendar."""
    since = today - SIXTH_DAY_LOOK_BACK
    visible = children_visible_to(user=user, today=today)
    placements = placements_visible_to(user=user, today=today)

    def no_placement_since(still_open: Q):
        # Still without: no placement open on the first day without (`still_open`), or started since, up to today.
        return ~Exists(
            placements.filter(child_id=OuterRef("child_id"), start_date__lte=today).filter(
                Q(end_date__isnull=True) | still_open
            )
        )

    gaps = []  # (child, first day without, sessions of a suspension, what started it, where)
    for *child, start, sessions, category, school in (
        Exclusion.objects.filter(child__in=visible, start_date__range=(since, today))
        .filter(
            Q(category=PERMANENT_EXCLUSION)
            | Q(category__in=SUSPENSIONS_IN_SESSIONS, sessions__gt=SUSPENSION_SESSIONS_BEYOND_FIVE_DAYS)
        )
        .filter(no_placement_since(Q(end_date__gte=OuterRef("start_date"))))
        .values_list(*CHILD, "start_date", "sessions", "category", "school__name")
    ):
        cause = "permanent exclusion" if category == PERMANENT_EXCLUSION else f"suspension of {sessions} sessions"
        gaps.append((tuple(child), start, sessions, cause, school))
    reasons = dict(EndReason.choices)
    for *child, end, reason, setting in (
        placements.filter(end_date__range=(since, today - timedelta(days=1)), exit__reason__in=ENDINGS_THAT_LEAVE_A_GAP)
        .filter(no_placement_since(Q(end_date__gt=OuterRef("end_date"))))  # open on the day after
        .values_list(*CHILD, "end_date", "exit__reason", "provider__organisation__name")
    ):
        gaps.append(
            (tuple(child), end + timedelta(days=1), None, f"placement ended ({reasons[reason].lower()})", setting)
        )
    if not gaps:
        return []
    school_days = SchoolCalendar.load(area=area, start=since, end=today).days(since, today)
    worst = {}
    for child, first, sessions, cause, where in gaps:
        last = (
            suspension_last_day(first=first, sessions=sessions, school_days=school_days, until=today)
            if sessions
            else None
        )
        if not is_without_education_today(today=today, next_start=None, last=last):
            continue
        days = school_days_without_education(first=first, today=today, last=last, school_days=school_days)
        if past_sixth_day(days) and days > worst.get(child[0], (0,))[0]:
            worst[child[0]] = (days, first, cause, where, child)
    return [
        Hit(child[0], child[1], child[2:4], where, f"{days} school days without education since {_day(first)}: {cause}")
        for days, first, cause, where, child in worst.values()
    ]


def registration_risk(*, user: User, area: Area, today: date) -> list[Hit]:
    """The children behind each unregistered setting that, adding every commissioner's placements, appears to give
    full-time education to five or more children of compulsory school age, or to one looked after or with SEN."""
    everywhere = defaultdict(Decimal)
    at_unregistered = defaultdict(lambda: defaultdict(Decimal))
    names = {}
    open_now = _open_placements(user, today)
    at_any_unregistered = open_now.filter(provider__registration=Registration.INDEPENDENT_UNREGISTERED)
    for child_id, provider_id, hours, registration, setting in open_now.filter(
        child_id__in=at_any_unregistered.values("child_id")
    ).values_list(
        "child_id", "provider_id", "hours_per_week", "provider__registration", "provider__organisation__name"
    ):
        everywhere[child_id] += hours
        if registration == Registration.INDEPENDENT_UNREGISTERED:
            at_unregistered[provider_id][child_id] += hours
            names[provider_id] = setting
    if not at_unregistered:
        return []
    children = {
        row[0]: row
        for row in children_visible_to(user=user, today=today)
        .filter(pk__in={c for by_child in at_unregistered.values() for c in by_child})
        .values_list("pk", "looked_after", "last_name", "first_name", "date_of_birth", "sen_provision")
    }
    hits = []
    test = area.full_time_test
    for provider_id, by_child in at_unregistered.items():
        facts = {
            child_id: ChildAtSetting(
                hours_here=hours,
                hours_everywhere=everywhere[child_id],
                compulsory_school_age=compulsory_school_age(children[child_id][4], today),
                looked_after=children[child_id][1],
                has_sen=children[child_id][5] != NO_SEN,
            )
            for child_id, hours in by_child.items()
        }
        if not must_register(facts.values(), test):
            continue
        counted = [c for c, fact in facts.items() if fact.compulsory_school_age and full_time_here(fact, test)]
        for child_id in counted:
            fact, child = facts[child_id], children[child_id]
            hits.append(
                Hit(
                    child_id,
                    child[1],
                    child[2:4],
                    names[provider_id],
                    f"{fact.hours_here} of {fact.hours_everywhere} hours a week here; the setting appears to educate "
                    f"{len(counted)} child{'ren' if len(counted) != 1 else ''} of compulsory school age full time",
                )
            )
    return hits


def time_limits_exceeded(*, user: User, area: Area, today: date) -> list[Hit]:
    """Placements at non-school (unregistered) AP beyond the proposed limits: more than 12 weeks full time, or more
    than four sessions a week alongside school. Only when the area turns the flag on."""
    hits = []
    for *child, setting, start, pattern, registration, timetable in (
        _open_placements(user, today)
        .filter(provider__registration=Registration.INDEPENDENT_UNREGISTERED)
        .values_list(
            *CHILD, "provider__organisation__name", "start_date", "attendance_pattern", "registration_type", "timetable"
        )
    ):
        sessions = timetable.count("1")
        if pattern == AttendancePattern.FULL_TIME and start <= today - TIME_LIMIT_FULL_TIME:
            detail = f"Full time since {_day(start)}, over 12 weeks"
        elif registration == RegistrationType.DUAL and sessions > TIME_LIMIT_SESSIONS_ALONGSIDE_SCHOOL:
            detail = f"{sessions} sessions a week alongside school, over {TIME_LIMIT_SESSIONS_ALONGSIDE_SCHOOL}"
        else:
            continue
        hits.append(Hit(child[0], child[1], tuple(child[2:4]), setting, detail))
    return hits


# The flags in the order the dashboard lists them. Two more belong here when reviews are recorded (another
# worktree builds them): reviews overdue, from casework.selectors.reviews.reviews_overdue(user=, today=), and
# out of area with no review or visit this half term.
FLAGS = [
    Flag(
        "past-planned-end",
        "Placements past their planned end",
        "Open placements whose planned end date has passed: extend them with a reason, or end them.",
        query=past_planned_end,
        row=_past_planned_end_row,
    ),
    Flag(
        "plan-past-its-time",
        "Plans past their timeframe or maximum period",
        "Open placements whose plan's last objective date, or an off-site direction's agreed maximum period, has passed.",
        query=plan_past_its_time,
        row=_plan_row,
        page=_plan_page,
    ),
    Flag(
        "below-minimum-hours",
        "Tuition or part-time placements below the minimum hours",
        "Home or hospital tuition, or part-time placements, with fewer hours a week than the area's minimum.",
        query=below_minimum_hours,
        row=_below_minimum_row,
    ),
    Flag(
        "below-full-time",
        "Below full-time education with no reason recorded",
        "Children on an AP setting's roll with fewer than 25 hours a week across every setting, and no "
        "part-time placement with a personalised plan saying why.",
        hits=below_full_time,
    ),
    Flag(
        "part-time-timetables-overdue",
        "Part-time timetables past their time limit or review",
        "Part-time timetables at school still running after their agreed time limit or review date.",
        query=timetables_overdue,
        row=_timetable_row,
    ),
    Flag(
        "without-education",
        "Without education from the sixth school day",
        "Children with no placement from the sixth school day after a permanent exclusion, a suspension of more "
        "than five days, or a placement ending in a move or a breakdown, counted on the area's school calendar.",
        hits=without_education,
    ),
    Flag(
        "registration-risk",
        "Unregistered settings that may need to register",
        "Children at unregistered settings that, adding every commissioner's placements, appear to give full-time "
        "education to five or more children of compulsory school age, or to one looked after or with SEN.",
        hits=registration_risk,
    ),
    Flag(
        "time-limits",
        "Non-school AP beyond the proposed time limits",
        "Placements at unregistered settings over 12 weeks full time, or over four sessions a week alongside school "
        "(proposed by DfE, not law).",
        hits=time_limits_exceeded,
    ),
]
FLAG_BY_KEY = {flag.key: flag for flag in FLAGS}


def flags_for(area: Area) -> list[Flag]:
    """The flags an area uses: the time limits only when it turns them on."""
    return [f for f in FLAGS if f.key != "time-limits" or area.time_limits_flagged]


def _setting(obj) -> str:
    return obj.school.name if isinstance(obj, PartTimeTimetable) else obj.provider.name


def flag_page(*, user: User, flag: Flag, today: date, page_number, per_page: int):
    """One page of the children behind a flag, looked-after children first, and the rows to show for it."""
    area = user.primary_organisation.area
    if flag.query is not None:
        objects = flag.query(user=user, area=area, today=today)
        related = ["child"] + (["provider__organisation"] if objects.model is not PartTimeTimetable else [])
        if flag.page is not None:
            objects = flag.page(objects)
        page = Paginator(objects.select_related(*related).order_by(*BY_CHILD), per_page).get_page(page_number)
        return page, [FlagRow(o.child, _setting(o), flag.row(o, area, today)) for o in page.object_list]
    hits = sorted(flag.hits(user=user, area=area, today=today), key=lambda h: (not h.looked_after, h.name, h.child_id))
    page = Paginator(hits, per_page).get_page(page_number)
    children = children_visible_to(user=user, today=today).in_bulk([h.child_id for h in page.object_list])
    return page, [FlagRow(children[h.child_id], h.setting, h.detail) for h in page.object_list]


def oversight_counts(*, user: User, today: date) -> list[dict]:
    """Each flag with how many children are behind it and how many of them are looked after."""
    area = user.primary_organisation.area
    counts = []
    for flag in flags_for(area):
        if flag.query is not None:
            found = flag.query(user=user, area=area, today=today).aggregate(
                children=Count("child", distinct=True),
                looked_after=Count("child", distinct=True, filter=Q(child__looked_after=True)),
            )
            children, looked_after = found["children"], found["looked_after"]
        else:
            hits = {h.child_id: h.looked_after for h in flag.hits(user=user, area=area, today=today)}
            children, looked_after = len(hits), sum(hits.values())
        counts.append({"flag": flag, "children": children, "looked_after": looked_after})
    return counts
