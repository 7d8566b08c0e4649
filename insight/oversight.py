"""The oversight flags: what needs the LA's attention today, each raised and cleared by the records alone.

A flag is raised either by an open placement (`Flag.where`: a condition on the placements open today) or by hits
worked out where the rule needs more than that (`Flag.hits`: the child, whether looked after, the setting and what
raises it). Every read starts from the access policy. The dashboard reads today's open placements once
(`insight.selectors.OpenToday`): the register's breakdowns, every `where` flag and the flags that add up a child's
placements are counted from that one pass; each other `hits` flag takes one to three narrow queries, so the number
of queries does not grow with the number of children. A flag's page filters and pages the same reads."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property, lru_cache

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Length, Replace
from django.db.models.lookups import GreaterThan

from casework.destinations import neet_label
from casework.models import OUTCOMES_OUTSTANDING, DestinationCheckKind, EndReason, PlacementVisit, Review
from casework.selectors.destinations import neet_at_latest_check
from casework.selectors.exits import reintegration_outcomes_due
from casework.selectors.reviews import review_overdue
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
from insight.selectors import OpenToday, dashboard_counts
from placements.models import (
    AttendancePattern,
    MainRoll,
    PartTimeTimetable,
    Placement,
    ProvisionType,
    RegistrationType,
)
from placements.rules import FULL_TIME_HOURS
from placements.selectors import CURRENT, placements_in_period
from providers.models import ApprovalStatus, Registration
from providers.selectors import (
    approval_status_expression,
    approved_providers,
    checks_expiring_count,
    qa_actions_overdue,
    qa_visits_overdue,
)
from terms.calendar import SchoolCalendar, half_term_start

# How far back the sixth-day count looks for an exclusion or a placement's end that left a child without education.
SIXTH_DAY_LOOK_BACK = timedelta(days=365)
# A placement that ended this way leaves the child to be placed again; other endings say where the child went.
ENDINGS_THAT_LEAVE_A_GAP = [EndReason.ANOTHER_AP, EndReason.BROKE_DOWN, EndReason.OTHER]
# Read once: a model's get_..._display() builds its choices again on every call.
CHECK_KINDS = dict(DestinationCheckKind.choices)
ACTIVITIES = code_set("post16_activity")
# The proposed limits for non-school AP (DfE consultation response, August 2025): not law.
TIME_LIMIT_FULL_TIME = timedelta(weeks=12)
TIME_LIMIT_SESSIONS_ALONGSIDE_SCHOOL = 4
NO_SEN = next(c.code for c in code_set("sen_provision").values() if c.label == "No special educational need")
# A lunchtime suspension is counted in lunchtimes, each half a day: never "beyond five days" in sessions.
SUSPENSIONS_IN_SESSIONS = [
    c.code for c in code_set("exclusion_type").values() if c.row["length_counted_in"] == "sessions"
]
# What a hit needs of the child, read beside the record that raises it.
CHILD = ("child_id", "child__looked_after")
BY_CHILD = ("-child__looked_after", "child__last_name", "child__first_name", "pk")
BY_CHILD_RECORD = ("-looked_after", "last_name", "first_name", "pk")


@dataclass
class FlagRow:
    child: object
    setting: str
    detail: str


@dataclass(frozen=True)
class Hit:
    """One child behind a flag: enough to count and show, before the child is read."""

    child_id: int
    looked_after: bool
    setting: str
    detail: str


class Reads:
    """What the flags weigh, read once for a user on a day and shared by every flag worked out from it."""

    def __init__(self, *, user: User, today: date):
        self.user, self.today = user, today
        self.area: Area = user.primary_organisation.area
        # The placements open today that the user sees, as the register counts them (placements.selectors).
        self.current: QuerySet = placements_in_period(user=user, period=CURRENT, today=today)

    @cached_property
    def open_today(self) -> OpenToday:
        """Today's open placements in one pass, with whether each meets each flag raised by a placement."""
        return OpenToday.read(self.current, {f.key: f.where(self) for f in flags_for(self.area) if f.where})

    @cached_property
    def half_term_start(self) -> date:
        return half_term_start(area=self.area, day=self.today)


@dataclass(frozen=True)
class Flag:
    """A flag is raised either by an open placement (`where`: which ones; `row`: what raises it, in words, for one
    of them; `page`: what `row` needs beyond the placement, read for a page only), or by `hits` worked out from
    narrower reads where the rule needs more than a condition on a placement."""

    key: str
    title: str
    explanation: str
    where: Callable[[Reads], Q] | None = None
    row: Callable[..., str] | None = None
    page: Callable[[QuerySet], QuerySet] | None = None
    hits: Callable[[Reads], list[Hit]] | None = None

    @property
    def lists_placements(self) -> bool:
        """Whether its page lists placements (a flag raised by one) rather than children."""
        return self.where is not None


@lru_cache(maxsize=1024)  # the same few hundred dates, in every flag's details
def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def past_planned_end(reads: Reads) -> Q:
    """Still open after its planned end."""
    return Q(planned_end_date__lt=reads.today)


def _past_planned_end_row(p, reads: Reads) -> str:
    return f"Planned to end {_day(p.planned_end_date)}, {(reads.today - p.planned_end_date).days} days ago"


def plan_past_its_time(reads: Reads) -> Q:
    """The plan has run out: its last objective's date has passed, or an off-site direction's maximum period."""
    return Q(personalised_plan__last_objective_due__lt=reads.today) | Q(
        personalised_plan__off_site_direction=True, personalised_plan__maximum_end_date__lt=reads.today
    )


def _plan_page(placements: QuerySet) -> QuerySet:
    return placements.select_related("personalised_plan")


def _plan_row(p, reads: Reads) -> str:
    plan, today = p.personalised_plan, reads.today
    said = []
    if plan.off_site_direction and plan.maximum_end_date and plan.maximum_end_date < today:
        said.append(f"Off-site direction's maximum period ended {_day(plan.maximum_end_date)}")
    if plan.last_objective_due and plan.last_objective_due < today:
        said.append(f"Last objective was due {_day(plan.last_objective_due)}")
    return "; ".join(said)


def reviews_late(reads: Reads) -> Q:
    """The next review, on the setting's calendar, fell due before today (the overdue list's rule)."""
    return review_overdue(reads.today)


def _review_page(placements: QuerySet) -> QuerySet:
    return placements.select_related("next_review")


def _review_row(p, reads: Reads) -> str:
    due = p.next_review
    return f"{due.label} was due {_day(due.due_on)}, {(reads.today - due.due_on).days} days ago"


def out_of_area_unseen(reads: Reads) -> Q:
    """Out of the area, begun before this half term, with no review held and no visit made since it began."""
    since, today = reads.half_term_start, reads.today
    reviewed = Review.objects.filter(held_on__range=(since, today)).values("placement_id")
    visited = PlacementVisit.objects.filter(visited_on__range=(since, today)).values("placement_id")
    return Q(out_of_area=True, start_date__lt=since) & ~Q(pk__in=reviewed) & ~Q(pk__in=visited)


def _unseen_page(placements: QuerySet) -> QuerySet:
    """A page's placements with the dates of their last review and last visit."""

    def latest(model, field: str):
        return Subquery(model.objects.filter(placement=OuterRef("pk")).order_by(f"-{field}").values(field)[:1])

    return placements.annotate(last_review=latest(Review, "held_on"), last_visit=latest(PlacementVisit, "visited_on"))


def _unseen_row(p, reads: Reads) -> str:
    review = f"Last review {_day(p.last_review)}" if p.last_review else "Never reviewed"
    visit = f"last visit {_day(p.last_visit)}" if p.last_visit else "never visited"
    journey = f" ({p.journey_minutes} minutes away)" if p.journey_minutes else ""
    return f"{review}; {visit}{journey}"


def at_provider_not_approved(reads: Reads) -> Q:
    """At a provider whose approval the area has not given (under review, suspended, refused, or not decided)."""
    return ~Q(provider__in=approved_providers())


def _not_approved_page(placements: QuerySet) -> QuerySet:
    return placements.annotate(provider_approval=approval_status_expression("provider"))


def _not_approved_row(p, reads: Reads) -> str:
    standing = ApprovalStatus(p.provider_approval).label if p.provider_approval else "Approval not decided"
    why = p.provider_justification or "no reason recorded when placed (before the decision, or by a file)"
    return f"{standing}. Why this provider: {why}"


def below_minimum_hours(reads: Reads) -> Q:
    """Home or hospital tuition, or a part-time placement, with fewer hours than the area's minimum."""
    return (
        Q(provision_type=ProvisionType.HOME_OR_HOSPITAL_TUITION) | Q(attendance_pattern=AttendancePattern.PART_TIME)
    ) & Q(hours_per_week__lt=reads.area.minimum_hours)


def _below_minimum_row(p, reads: Reads) -> str:
    kind = "home or hospital tuition" if p.provision_type == ProvisionType.HOME_OR_HOSPITAL_TUITION else "part time"
    return f"{p.hours_per_week} hours a week ({kind}); the area's minimum is {reads.area.minimum_hours}"


def _sessions():
    """The sessions a week in a placement's timetable: its 1s."""
    return Length(Replace("timetable", Value("0"), Value("")))


def time_limit_exceeded(reads: Reads) -> Q:
    """At non-school (unregistered) AP beyond the proposed limits: more than 12 weeks full time, or more than four
    sessions a week alongside school. Only when the area turns the flag on."""
    full_time_too_long = Q(
        attendance_pattern=AttendancePattern.FULL_TIME, start_date__lte=reads.today - TIME_LIMIT_FULL_TIME
    )
    too_many_sessions = Q(registration_type=RegistrationType.DUAL) & Q(
        GreaterThan(_sessions(), TIME_LIMIT_SESSIONS_ALONGSIDE_SCHOOL)
    )
    return Q(provider__registration=Registration.INDEPENDENT_UNREGISTERED) & (full_time_too_long | too_many_sessions)


def _time_limit_row(p, reads: Reads) -> str:
    if p.attendance_pattern == AttendancePattern.FULL_TIME and p.start_date <= reads.today - TIME_LIMIT_FULL_TIME:
        return f"Full time since {_day(p.start_date)}, over 12 weeks"
    sessions = p.timetable.count("1")
    return f"{sessions} sessions a week alongside school, over {TIME_LIMIT_SESSIONS_ALONGSIDE_SCHOOL}"


def below_full_time(reads: Reads) -> list[Hit]:
    """Children on an AP setting's roll whose hours across every open placement are under full time, with no
    reason recorded.

    A child on the home school's roll is the school's to educate the rest of the week (it tells the LA of a
    part-time timetable there). A part-time placement with a personalised plan records why.
    """
    o = reads.open_today
    hours_at, pattern_at, plan_at = o.HOURS, o.at("attendance_pattern"), o.at("has_plan")

    def reasoned(row) -> bool:
        return row[pattern_at] == AttendancePattern.PART_TIME and row[plan_at]

    hits = []
    # A child it flags has every placement under full time and none reasoned, one of them on the AP's roll: only
    # the children with such a placement are weighed.
    for child_id in {
        row[o.CHILD]
        for row in o.rows
        if row[hours_at] < FULL_TIME_HOURS and row[o.MAIN_ROLL] == MainRoll.AP and not reasoned(row)
    }:
        rows = o.by_child[child_id]
        hours = sum(row[hours_at] for row in rows)
        if hours < FULL_TIME_HOURS and not any(reasoned(row) for row in rows):
            settings = ", ".join(sorted(o.setting_names[row[o.PROVIDER]] for row in rows))
            detail = f"{hours} hours a week in all; full time is {FULL_TIME_HOURS}"
            hits.append(Hit(child_id, rows[0][o.LOOKED_AFTER], settings, detail))
    return hits


def registration_risk(reads: Reads) -> list[Hit]:
    """The children behind each unregistered setting that, adding every commissioner's placements, appears to give
    full-time education to five or more children of compulsory school age, or to one looked after or with SEN.

    Read from today's open placements: a child's hours everywhere beside their hours at each unregistered setting."""
    o = reads.open_today
    registration_at = o.at("provider__registration")
    unregistered = Registration.INDEPENDENT_UNREGISTERED
    at_unregistered = defaultdict(dict)  # provider -> child -> what the test weighs of the child there
    for child_id in {row[o.CHILD] for row in o.rows if row[registration_at] == unregistered}:
        rows = o.by_child[child_id]
        child = rows[0]
        if not compulsory_school_age(child[o.DATE_OF_BIRTH], reads.today):
            continue  # the test counts only children of compulsory school age
        everywhere = sum(row[o.HOURS] for row in rows)
        here = defaultdict(Decimal)
        for row in rows:
            if row[registration_at] == unregistered:
                here[row[o.PROVIDER]] += row[o.HOURS]
        for provider_id, hours in here.items():
            at_unregistered[provider_id][child_id] = ChildAtSetting(
                hours_here=hours,
                hours_everywhere=everywhere,
                compulsory_school_age=True,
                looked_after=child[o.LOOKED_AFTER],
                has_sen=child[o.SEN] != NO_SEN,
            )
    hits = []
    test = reads.area.full_time_test
    for provider_id, facts in at_unregistered.items():
        if not must_register(facts.values(), test):
            continue
        counted = [c for c, fact in facts.items() if fact.compulsory_school_age and full_time_here(fact, test)]
        for child_id in counted:
            fact = facts[child_id]
            detail = (
                f"{fact.hours_here} of {fact.hours_everywhere} hours a week here; the setting appears to educate "
                f"{len(counted)} child{'ren' if len(counted) != 1 else ''} of compulsory school age full time"
            )
            hits.append(Hit(child_id, fact.looked_after, o.setting_names[provider_id], detail))
    return hits


def timetables_overdue(reads: Reads) -> list[Hit]:
    """Part-time timetables at school still running past their time limit or their review date."""
    today = reads.today
    hits = []
    for *child, school, time_limit, review_date, hours in (
        PartTimeTimetable.objects.filter(child__in=children_visible_to(user=reads.user, today=today), end_date=None)
        .filter(Q(time_limit__lt=today) | Q(review_date__lt=today))
        .values_list(*CHILD, "school__name", "time_limit", "review_date", "hours_per_week")
    ):
        said = [f"Time limit {_day(time_limit)}" + (" passed" if time_limit < today else "")]
        if review_date < today:
            said.append(f"review due {_day(review_date)}")
        hits.append(Hit(*child, school, f"{', '.join(said)}; {hours} hours a week"))
    return hits


def return_outcomes_due(reads: Reads) -> list[Hit]:
    """Returns to school whose 6- or 12-week outcome has come due on the school's calendar and is not recorded
    (casework.selectors.exits.reintegration_outcomes_due, which lists them for whoever records them)."""
    hits = []
    for *child, school, returned_on, six, twelve, six_outcome in (
        reintegration_outcomes_due(user=reads.user, today=reads.today)
        .order_by()
        .values_list(*CHILD, "school__name", "returned_on", "six_weeks_on", "twelve_weeks_on", "outcome_6_weeks")
    ):
        due = six if six_outcome in OUTCOMES_OUTSTANDING else twelve
        weeks = 6 if due == six else 12
        detail = f"Returned {_day(returned_on)}; how it went at {weeks} weeks was due {_day(due)}"
        hits.append(Hit(*child, school, detail))
    return hits


def not_in_education_or_training(reads: Reads) -> list[Hit]:
    """Young people who left AP in Year 11 or later, still followed, whose latest destination check says NEET."""
    return [
        Hit(
            check["placement__child_id"],
            check["placement__child__looked_after"],
            check["placement__provider__organisation__name"],
            f"{neet_label(check['activity'])} at the {CHECK_KINDS[check['kind']]} check on "
            f"{_day(check['checked_on'])}: {ACTIVITIES[check['activity']].label}",
        )
        for check in neet_at_latest_check(user=reads.user, today=reads.today)
    ]


def without_education(reads: Reads) -> list[Hit]:
    """Children without a placement from the sixth school day after a permanent exclusion, a suspension beyond
    five days, or a placement that ended in a move or a breakdown, counted on the area's calendar."""
    user, area, today = reads.user, reads.area, reads.today
    since = today - SIXTH_DAY_LOOK_BACK
    visible = children_visible_to(user=user, today=today)

    def no_placement_since(still_open: Q):
        # Still without: no placement open on the first day without (`still_open`), or started since, up to today.
        # Every such placement is still open or ended since the look-back began: said, so the database reads no older.
        # Whether one exists, seen or not, for a child already read through the gateway: nothing of it is shown.
        return ~Exists(
            Placement.objects.filter(child_id=OuterRef("child_id"), start_date__lte=today)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
            .filter(Q(end_date__isnull=True) | still_open)
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
        placements_visible_to(user=user, today=today)
        .filter(end_date__range=(since, today - timedelta(days=1)), exit__reason__in=ENDINGS_THAT_LEAVE_A_GAP)
        .filter(no_placement_since(Q(end_date__gt=OuterRef("end_date"))))  # open on the day after
        .order_by()
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
        Hit(*child, where, f"{days} school days without education since {_day(first)}: {cause}")
        for days, first, cause, where, child in worst.values()
    ]


# The flags in the order the dashboard lists them.
FLAGS = [
    Flag(
        "past-planned-end",
        "Placements past their planned end",
        "Open placements whose planned end date has passed: extend them with a reason, or end them.",
        where=past_planned_end,
        row=_past_planned_end_row,
    ),
    Flag(
        "plan-past-its-time",
        "Plans past their timeframe or maximum period",
        "Open placements whose plan's last objective date, or an off-site direction's agreed maximum period, has passed.",
        where=plan_past_its_time,
        row=_plan_row,
        page=_plan_page,
    ),
    Flag(
        "reviews-overdue",
        "Reviews overdue",
        "Open placements whose next review has fallen due and not been held: dual-registered placements at 6 and "
        "12 weeks, then every placement at the area's interval, counted on the setting's school calendar.",
        where=reviews_late,
        row=_review_row,
        page=_review_page,
    ),
    Flag(
        "out-of-area-unseen",
        "Out of area with no review or visit this half term",
        "Open placements outside the area, begun before this half term, with no review held and no visit made "
        "since it began.",
        where=out_of_area_unseen,
        row=_unseen_row,
        page=_unseen_page,
    ),
    Flag(
        "provider-not-approved",
        "At a provider the area has not approved",
        "Open placements at providers whose approval is under review, suspended or refused, or not yet decided, "
        "with the reason recorded for choosing them.",
        where=at_provider_not_approved,
        row=_not_approved_row,
        page=_not_approved_page,
    ),
    Flag(
        "below-minimum-hours",
        "Tuition or part-time placements below the minimum hours",
        "Home or hospital tuition, or part-time placements, with fewer hours a week than the area's minimum.",
        where=below_minimum_hours,
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
        hits=timetables_overdue,
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
        "return-outcomes-due",
        "Returns to school with an outcome not recorded",
        "Children who went back to school after AP whose outcome at 6 or 12 school weeks, on the school's "
        "calendar, has come due and is not recorded: nobody knows yet whether the return held.",
        hits=return_outcomes_due,
    ),
    Flag(
        "neet",
        "Not in education, employment or training after AP",
        "Young people who left AP in Year 11 or later, followed for two years, whose latest destination check "
        "says they are not in education, employment or training.",
        hits=not_in_education_or_training,
    ),
    Flag(
        "time-limits",
        "Non-school AP beyond the proposed time limits",
        "Placements at unregistered settings over 12 weeks full time, or over four sessions a week alongside school "
        "(proposed by DfE, not law).",
        where=time_limit_exceeded,
        row=_time_limit_row,
    ),
]
FLAG_BY_KEY = {flag.key: flag for flag in FLAGS}


def flags_for(area: Area) -> list[Flag]:
    """The flags an area uses: the time limits only when it turns them on."""
    return [f for f in FLAGS if f.key != "time-limits" or area.time_limits_flagged]


def flag_page(*, user: User, flag: Flag, today: date, page_number, per_page: int):
    """One page of the children behind a flag, looked-after children first, and the rows to show for it."""
    reads = Reads(user=user, today=today)
    if flag.where is not None:
        placements = reads.current.filter(flag.where(reads)).select_related("child", "provider__organisation")
        if flag.page is not None:
            placements = flag.page(placements)
        page = Paginator(placements.order_by(*BY_CHILD), per_page).get_page(page_number)
        return page, [FlagRow(p.child, p.provider.name, flag.row(p, reads)) for p in page.object_list]
    hits = defaultdict(list)
    for hit in flag.hits(reads):
        hits[hit.child_id].append(hit)
    children = children_visible_to(user=user, today=today).filter(pk__in=list(hits)).order_by(*BY_CHILD_RECORD)
    page = Paginator(children, per_page).get_page(page_number)
    return page, [FlagRow(child, h.setting, h.detail) for child in page.object_list for h in hits[child.pk]]


def dashboard_with_flags(reads: Reads) -> dict:
    """The dashboard's counts (insight.selectors.dashboard_counts) and each flag with how many children are behind
    it and how many of them are looked after: the flags raised by a placement counted in the same pass."""
    counts = dashboard_counts(user=reads.user, today=reads.today, open_today=reads.open_today)
    oversight = []
    for flag in flags_for(reads.area):
        if flag.where is not None:
            children, looked_after = counts["flagged"][flag.key]
        else:
            hits = {h.child_id: h.looked_after for h in flag.hits(reads)}
            children, looked_after = len(hits), sum(hits.values())
        oversight.append({"flag": flag, "children": children, "looked_after": looked_after})
    return counts | {"oversight": oversight, "provider_attention": providers_needing_attention(reads)}


# Flags about providers rather than children (issue 13, item 4): the dashboard's flags above count children, so
# these show in a panel of their own, "Providers needing attention", each with its number and its list.


@dataclass(frozen=True)
class ProviderFlag:
    """A flag raised by a provider's record, not a child's: `count` says how many, `url_name` lists them."""

    key: str
    title: str
    explanation: str
    url_name: str
    count: Callable[[Reads], int]


def qa_visits_overdue_count(reads: Reads) -> int:
    """Providers with children placed whose visit by the LA is overdue or never made (one query)."""
    return len(qa_visits_overdue(user=reads.user, today=reads.today, placed=reads.open_today.providers))


def qa_actions_overdue_count(reads: Reads) -> int:
    """Visits' actions past their due date and not done (one query)."""
    return qa_actions_overdue(user=reads.user, today=reads.today).count()


def checks_expiring_number(reads: Reads) -> int:
    """The area's providers' latest checks expired, or expiring within the days the area sets (one query)."""
    return checks_expiring_count(user=reads.user, today=reads.today)


PROVIDER_FLAGS = [
    ProviderFlag(
        "checks-expiring",
        "Safeguarding and compliance checks expired or expiring",
        "Each provider's latest check of each kind that has expired, or expires within the days the area sets.",
        "checks_expiring",
        checks_expiring_number,
    ),
    ProviderFlag(
        "qa-visits-overdue",
        "Quality-assurance visits overdue",
        "Providers with children placed today never visited by the LA, or whose next visit has passed.",
        "qa_visits_overdue",
        qa_visits_overdue_count,
    ),
    ProviderFlag(
        "qa-actions-overdue",
        "Visits' actions past their date",
        "Actions agreed at a quality-assurance visit, past their due date and not done.",
        "qa_actions_overdue",
        qa_actions_overdue_count,
    ),
]


def providers_needing_attention(reads: Reads) -> list[dict]:
    """Each provider flag with its number, for the dashboard's panel: one query each."""
    return [{"flag": flag, "count": flag.count(reads)} for flag in PROVIDER_FLAGS]
