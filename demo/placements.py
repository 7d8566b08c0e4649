"""The demo's placements: two years of each child's time in AP, how each placement ended and where they went."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from casework.models import Destination, EndReason
from children.models import age_on
from core.codes import code_set
from core.models import Organisation
from demo.calendars import SETTINGS_ON_CALENDARS_OF_THEIR_OWN
from demo.casework import ChildInAp
from demo.children import ChildPlan
from demo.context import Borough, pick, years_before
from demo.organisations import IAP, IU, ONLINE, OUTREACH, PRU, TUITION, ProviderInfo
from placements.models import (
    MAX_HOURS_PER_WEEK,
    AttendancePattern,
    MainRoll,
    Placement,
    RegistrationType,
)
from placements.rules import (
    FULL_TIME_HOURS,
    LA_ARRANGED,
    MAX_HOURS_PER_SESSION,
    arranged_by,
    commissioner_type_of,
    derive,
    reason_choices,
    rule_errors,
    timetable_unstated,
)
from providers.models import Provider

# What each provider is commissioned for, by the reason's category; autism adds to "mental".
PROVIDER_USE = {
    "Northgate Pupil Referral Unit": {"pex": 5, "behaviour": 4},
    "Oakfield Primary Pupil Referral Unit": {"pex": 5, "behaviour": 4},
    "The Bridge Alternative Provision Academy": {"pex": 4, "behaviour": 3},
    "Horizon Academy": {"pex": 1, "behaviour": 2, "mental": 2},
    "Pathways Free School": {"pex": 2, "behaviour": 2},
    "{area} Hospital and Home Education Service": {"mental": 4, "physical": 6},
    "Phoenix House School": {"pex": 1.5, "behaviour": 2},
    "Willow Tree School": {"mental": 0.5, "autism": 4},
    "Riverside Learning Centre": {"pex": 0.5, "behaviour": 1.5},
    "Brightpath Tuition": {"mental": 2.5, "physical": 2, "autism": 1},
    "Kestrel Home Tuition": {"mental": 1.5, "physical": 1, "autism": 1.5},
    "Forge Motor Skills": {"behaviour": 1.5},
    "Mersey Vale College Engagement Programme": {"behaviour": 1.5},
    "Second Chance Boxing Academy": {"behaviour": 1.5},
    "Thrive Wellbeing Outreach": {"mental": 2, "behaviour": 1},
    "Bridges Behaviour Outreach": {"behaviour": 2.5},
    "Autism Outreach Partnership": {"autism": 3},
    "Kindred Online Tutors": {"mental": 1.5},
    "Lumen Online School": {"mental": 2, "physical": 1.5},
    "Meadowbank Farm Learning": {"mental": 0.5, "behaviour": 1},
    "Acorn Park School": {"autism": 1.5},
    "Pennine Ridge School": {"pex": 0.8, "behaviour": 0.5},
    "Haydock Lane Pupil Referral Unit": {"pex": 1},
    "New Horizons Independent School": {"pex": 0.8, "behaviour": 1},
}
REASON_CATEGORY = {
    "apc_pex": "pex",
    "apc_mental_health": "mental",
    "apc_physical_health": "physical",
    "sa_behaviour": "behaviour",
    "sa_suspension": "behaviour",
    "sa_pex_review": "behaviour",
    "sa_other": "behaviour",
    "sa_medical_mental": "mental",
    "sa_medical_physical": "physical",
}
# How often each reason for placement is given. Which reasons a placement may have is the rules' to say
# (`reason_choices` of whoever arranged it: the school census's or the AP census's), so `_reason` draws
# only among those. Some commissioners give some reasons more often than the area as a whole.
REASON_WEIGHTS = {
    "sa_behaviour": 42, "sa_medical_mental": 20, "sa_suspension": 10, "sa_pex_review": 8, "sa_medical_physical": 5,
    "sa_other": 15, "apc_pex": 45, "apc_mental_health": 40, "apc_physical_health": 10,
}  # fmt: skip
MEDICAL_REASON_WEIGHTS = REASON_WEIGHTS | {"apc_physical_health": 30}  # a child with health needs
EXCLUDED_REASON_WEIGHTS = {"apc_pex": 75, "apc_mental_health": 17, "apc_physical_health": 8}
HEALTH_REASON_WEIGHTS = {"apc_mental_health": 75, "apc_physical_health": 25}
VIRTUAL_SCHOOL_REASON_WEIGHTS = {"apc_mental_health": 70, "apc_physical_health": 10, "apc_pex": 20}

POST16_WEIGHTS = {
    "230": 38, "220": 3, "250": 5, "280": 5, "310": 7, "340": 3, "330": 2, "530": 8, "610": 8, "619": 10,
    "640": 2, "810": 6, "820": 1, "830": 2,
}  # fmt: skip
NEET_POST16_GROUPS = {"NEET"}

SHARE_IN_AP_TODAY = 0.57
SHARE_PLANNED = 0.04
# A full-time week is at least the DfE's full-time hours and at most the longest school week.
FULL_TIME_WEEK_HOURS = [FULL_TIME_HOURS, FULL_TIME_HOURS, 26.5, 27.5, 30, 30, MAX_HOURS_PER_WEEK]
PART_TIME_HOURS = {
    PRU: [12.5, 15, 17.5, 20, 22.5],
    IAP: [6, 10, 12.5, 15, 18, 20],
    TUITION: [5, 6, 7.5, 10, 10, 12, 15],
    ONLINE: [10, 12.5, 15, 15, 20],
    OUTREACH: [5, 5, 6, 7.5, 10],
}
SESSIONS_PER_WEEK = 10
TYPICAL_HOURS_PER_SESSION = 2.5  # how long a part-time session usually is; the rules set the most it may be


def _duration(rng: random.Random) -> int:
    """How long a placement lasts: six weeks to eighteen months, most a term or two."""
    roll = rng.random()
    if roll < 0.35:
        return rng.randint(42, 120)
    if roll < 0.75:
        return rng.randint(121, 300)
    return rng.randint(301, 548)


def _spans(b: Borough, plan: ChildPlan) -> list[tuple[date, date | None]]:
    """The dates of a child's placements, in order, none overlapping; only the last may be open."""
    rng, today = b.rng, b.today
    dob = plan.child.date_of_birth
    earliest = max(today - timedelta(days=730), years_before(dob, -5) + timedelta(days=30))
    count = rng.choices([1, 2, 3], weights=[55, 30, 15], k=1)[0]
    left = plan.y11_end < today
    window = (today - earliest).days
    roll = rng.random()
    if left:
        mode = "left"
    elif window < 60 or roll < SHARE_IN_AP_TODAY:
        mode = "current"
    else:
        mode = "planned" if roll < SHARE_IN_AP_TODAY + SHARE_PLANNED else "ended"

    spans: list[tuple[date, date | None]] = []
    if mode == "current":
        span = max(1, (today - max(earliest, today - timedelta(days=548))).days - 1)
        start = today - timedelta(days=1 + int(rng.random() ** 1.5 * span))
        spans.append((start, None))
    else:
        if mode == "left":
            end = plan.y11_end
        else:
            end = today - timedelta(days=1 + int(rng.random() ** 1.3 * max(1, window - 43)))
        start = max(earliest, end - timedelta(days=_duration(rng)))
        if (end - start).days < 42:
            start = end - timedelta(days=42)
        spans.append((start, end))
    for _ in range(count - 1):
        end = spans[0][0] - timedelta(days=rng.randint(1, 45))
        if (end - earliest).days < 42:
            break
        start = max(earliest, end - timedelta(days=_duration(rng)))
        spans.insert(0, (start, end))
    if mode == "planned":
        start = today + timedelta(days=rng.randint(5, 42))
        spans.append((start, None))
    return spans


def _choose_provider(b: Borough, category: str, plan: ChildPlan, age: int, previous: Provider | None) -> ProviderInfo:
    autistic = plan.child.sen_primary_need == "ASD"
    candidates, weights = [], []
    for info in b.providers:
        spec = info.spec
        if not spec.ages[0] <= age <= spec.ages[1] or info.provider is previous:
            continue
        if plan.child.home_school is None and spec.registration == IU:
            continue  # a child on no school's roll needs a setting that can register them
        use = PROVIDER_USE[spec.name]
        weight = use.get(category, 0) + (use.get("autism", 0) if autistic and category == "mental" else 0)
        if weight:
            candidates.append(info)
            weights.append(weight)
    if not candidates:  # a young child, or a rare combination: any setting that takes their age
        candidates = [i for i in b.providers if i.spec.ages[0] <= age <= i.spec.ages[1] and i.provider is not previous]
        candidates = candidates or [i for i in b.providers if i.provider is not previous]
        weights = [1] * len(candidates)
    return b.rng.choices(candidates, weights=weights, k=1)[0]


def _commissioner(b: Borough, plan: ChildPlan) -> tuple[Organisation, dict]:
    """Who commissions a child's placement, and how often they give each reason for it."""
    school = plan.child.home_school
    roll = b.rng.random()
    if school is None or plan.excluded:
        return b.la, EXCLUDED_REASON_WEIGHTS
    if roll < 0.17:
        return school, REASON_WEIGHTS
    if roll < 0.21:
        return (school.trust or school), REASON_WEIGHTS
    if roll < 0.25:
        return b.health, HEALTH_REASON_WEIGHTS
    if roll < 0.29 and plan.child.looked_after_by is b.area:
        return b.virtual_school, VIRTUAL_SCHOOL_REASON_WEIGHTS
    return b.la, MEDICAL_REASON_WEIGHTS if plan.medical else REASON_WEIGHTS


def _reason(rng: random.Random, commissioner: Organisation, weights: dict) -> str:
    """A reason from the census list of whoever arranged the placement, drawn as often as `weights` say."""
    allowed = dict(reason_choices(arranged_by(commissioner_type_of(commissioner))))
    return pick(rng, {code: weight for code, weight in weights.items() if code in allowed})


def _placement(
    b: Borough,
    plan: ChildPlan,
    start: date,
    end: date | None,
    previous: Provider | None,
    waiting: list[ProviderInfo],
) -> Placement:
    rng = b.rng
    child = plan.child
    school = child.home_school
    age = max(5, age_on(child.date_of_birth, start))  # a child who turned five yesterday starts as a five-year-old
    commissioner, weights = _commissioner(b, plan)
    reason = _reason(rng, commissioner, weights)
    category = REASON_CATEGORY[reason]
    info = _waiting_setting(b, waiting, start, end, age, previous) or _choose_provider(b, category, plan, age, previous)
    spec, provider = info.spec, info.provider
    placement = Placement(
        public_id=b.uuid(),
        child=child,
        provider=provider,
        provision_type=spec.provision,
        commissioner=commissioner,
        reason=reason,
        start_date=start,
        end_date=end,
        residential=spec.residential,
        created_by=b.users["la-officer"],
    )
    derive(placement)  # the commissioner type, and whether the provider is out of the child's area

    registered = spec.registration != IU
    # Excluded pupils go on the AP's roll; so do some long-term medical pupils (a hospital school's roll), whose
    # placement the LA arranges: a school's own arrangement keeps the pupil on its roll.
    long_term_medical = (
        registered
        and arranged_by(placement.commissioner_type) == LA_ARRANGED
        and category != "behaviour"
        and rng.random() < 0.25
    )
    if school is None or reason == "apc_pex" or long_term_medical:
        placement.registration_type, placement.main_roll = RegistrationType.SINGLE, MainRoll.AP
    else:
        placement.registration_type, placement.main_roll = RegistrationType.DUAL, MainRoll.HOME_SCHOOL

    full_time_share = 0.8 if category in ("pex", "behaviour") else 0.45
    if "ft" in spec.offers and ("pt" not in spec.offers or rng.random() < full_time_share):
        pattern, hours = AttendancePattern.FULL_TIME, rng.choice(FULL_TIME_WEEK_HOURS)
    else:
        pattern, hours = AttendancePattern.PART_TIME, rng.choice(PART_TIME_HOURS[spec.provision])
    placement.attendance_pattern, placement.hours_per_week = pattern, Decimal(str(hours))

    if spec.provision in (ONLINE, OUTREACH) or (spec.provision == TUITION and rng.random() < 0.7):
        placement.journey_minutes = None  # taught at home, online, or in the child's own school
    elif spec.residential:
        placement.journey_minutes = rng.randint(50, 120)
    elif placement.out_of_area:
        placement.journey_minutes = rng.randint(30, 80)
    else:
        placement.journey_minutes = rng.randint(10, 40)

    if spec.provision in (PRU, IAP) and placement.registration_type == RegistrationType.DUAL and rng.random() < 0.1:
        placement.outreach_provider = rng.choice([i.provider for i in b.providers if i.spec.provision == OUTREACH])

    placement.planned_end_date = start + timedelta(weeks=rng.choice([6, 12, 12, 18, 26, 26, 39, 52]))
    # Open-ended, with no exit plan: the oversight flags these. A school tells the LA its end, so only the LA's.
    if end is None and rng.random() < 0.12 and arranged_by(placement.commissioner_type) == LA_ARRANGED:
        placement.planned_end_date = None
    if end is None:
        placement.review_date = _next_review(b.today, placement)
    return placement


def _next_review(today: date, placement: Placement) -> date:
    """Reviews every six weeks from the start, the next one due within six weeks of today or a little overdue;
    never after the planned end. Its own random numbers, so the rest of the borough stays as it was."""
    rng = random.Random(f"review {placement.child.upn} {placement.start_date}")
    review = placement.start_date + timedelta(weeks=6)
    while review < today - timedelta(days=rng.randint(0, 20)):
        review += timedelta(weeks=6)
    end = placement.planned_end_date
    return min(review, end) if end else review


def _timetable(rng: random.Random, placement: Placement) -> str:
    """The sessions a placement is at: every one for full time; for part time, as many as its hours fill at
    a typical session's length, never fewer than the hours need at the most a session may hold, never all ten."""
    if placement.attendance_pattern == AttendancePattern.FULL_TIME:
        return timetable_unstated(placement.attendance_pattern)
    hours = placement.hours_per_week
    fill = max(math.ceil(hours / MAX_HOURS_PER_SESSION), round(float(hours) / TYPICAL_HOURS_PER_SESSION), 1)
    chosen = set(rng.sample(range(SESSIONS_PER_WEEK), k=min(SESSIONS_PER_WEEK - 1, fill)))
    return "".join("1" if i in chosen else "0" for i in range(SESSIONS_PER_WEEK))


LAST_ENDINGS = {
    EndReason.REINTEGRATED: 33,
    EndReason.COMPLETED: 14,
    EndReason.SPECIALIST_PLACE: 16,
    EndReason.MOVED_AWAY: 8,
    EndReason.BROKE_DOWN: 12,
    EndReason.ANOTHER_AP: 10,
    EndReason.OTHER: 7,
}


class Ending(NamedTuple):
    reason: str
    destination: str
    post16_activity: str


BROKE_DOWN_DESTINATIONS = {
    Destination.OTHER: 35,
    Destination.HOME_SCHOOL: 20,
    Destination.ANOTHER_MAINSTREAM: 10,
    Destination.ANOTHER_AP: 35,
}
# The NCCIS activity's first digit: 3, employment; 4, training; 5 and 6, NEET; else education.
POST16_DESTINATION_BY_DIGIT = {"3": Destination.EMPLOYMENT, "4": Destination.TRAINING}


def _end(b: Borough, placement: Placement, *, last: bool, left: bool) -> None:
    """Why an ended placement ended and where the child went: kept on the placement as `ending` until its exit
    is written (demo.exits)."""
    rng = b.rng
    if left and last:
        placement.planned_end_date = placement.end_date
        activity = pick(rng, POST16_WEIGHTS)
        neet = code_set("post16_activity")[activity].row["group"] in NEET_POST16_GROUPS
        destination = (
            Destination.NEET if neet else POST16_DESTINATION_BY_DIGIT.get(activity[0], Destination.POST_16_EDUCATION)
        )
        placement.ending = Ending(EndReason.POST_16, destination, activity)
        return
    if not last:
        reason = EndReason.ANOTHER_AP if rng.random() < 0.7 else EndReason.BROKE_DOWN
        destination = Destination.ANOTHER_AP
    else:
        reason = pick(rng, LAST_ENDINGS)
        destination = {
            # One in four to another school; chosen without the generator, so that the borough stays as it was.
            EndReason.REINTEGRATED: (
                Destination.ANOTHER_MAINSTREAM if placement.start_date.day % 4 == 0 else Destination.HOME_SCHOOL
            ),
            EndReason.COMPLETED: Destination.HOME_SCHOOL,
            EndReason.SPECIALIST_PLACE: Destination.SPECIAL_SCHOOL,
            EndReason.MOVED_AWAY: Destination.MOVED_AWAY,
            EndReason.ANOTHER_AP: Destination.ANOTHER_AP,
            EndReason.OTHER: Destination.OTHER,
        }.get(reason) or pick(rng, BROKE_DOWN_DESTINATIONS)
    placement.ending = Ending(reason, destination, "")
    actual = (placement.end_date - placement.start_date).days
    if reason == EndReason.BROKE_DOWN:
        placement.planned_end_date = placement.end_date + timedelta(days=rng.randint(30, 180))
    elif reason in (EndReason.COMPLETED, EndReason.REINTEGRATED, EndReason.SPECIALIST_PLACE):
        placement.planned_end_date = placement.start_date + timedelta(days=max(0, actual + rng.randint(-20, 20)))


def _waiting_setting(
    b: Borough, waiting: list[ProviderInfo], start: date, end: date | None, age: int, previous: Provider | None
) -> ProviderInfo | None:
    """A setting on a calendar of its own still without a child there for over a year, when this is one.

    Such a child's marks follow the setting's own term dates through every half term and INSET day,
    which is what the demo shows of those calendars.
    """
    if end is not None or start > b.today - timedelta(days=365):
        return None
    for info in waiting:
        if info.spec.ages[0] <= age <= info.spec.ages[1] and info.provider is not previous:
            waiting.remove(info)
            return info
    return None


def placements_build(b: Borough, plans: list[ChildPlan]) -> list[Placement]:
    """Each child's placements, oldest first; one child in forty has none."""
    waiting = [i for i in b.providers if i.provider.organisation.name in SETTINGS_ON_CALENDARS_OF_THEIR_OWN]
    placements = []
    for number, plan in enumerate(plans):
        # One child in forty is on a school's list but never placed (imported, or awaiting a decision).
        if number % 40 == 39:
            continue
        spans = _spans(b, plan)
        ended = [s for s in spans if s[1] is not None]
        previous = None
        for start, end in spans:
            placement = _placement(b, plan, start, end, previous, waiting)
            if end is not None:
                _end(
                    b,
                    placement,
                    last=(start, end) == ended[-1] and len(ended) == len(spans),
                    left=plan.y11_end < b.today,
                )
            placements.append(placement)
            previous = placement.provider
    for placement in placements:
        placement.timetable = _timetable(b.rng, placement)
        errors = rule_errors(placement, b.today)
        if errors:
            raise RuntimeError(f"The demo made a placement the placement rules refuse ({placement.child}): {errors}")
    return placements


def children_in_ap(plans: list[ChildPlan], placements: list[Placement]) -> list[ChildInAp]:
    """Each child with a placement, the school behind their exclusions, and why they first came to AP."""
    first = {}
    for placement in sorted(placements, key=lambda p: p.start_date, reverse=True):
        first[id(placement.child)] = placement
    return [
        ChildInAp(
            child=plan.child,
            school=plan.school,
            permanently_excluded=plan.excluded,
            category=REASON_CATEGORY[first[id(plan.child)].reason],
            first_start=first[id(plan.child)].start_date,
        )
        for plan in plans
        if id(plan.child) in first
    ]


def current_placements(placements: list[Placement], today: date) -> list[Placement]:
    """The placements a child attends today: started, and not yet ended."""
    return [p for p in placements if p.is_open_on(today)]
