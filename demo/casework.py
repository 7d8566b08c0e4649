"""Suspensions, permanent exclusions and commissioning agreements for the demo borough.

A random generator of its own, seeded from the borough's seed, so that adding these
changes nothing else the borough holds. Bulk-inserted, like the rest of the borough.
"""

import bisect
import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from children.models import LUNCHTIME_SUSPENSION, PERMANENT_EXCLUSION, Child, Exclusion, age_on
from core.models import Organisation, User
from placements.models import CommissioningAgreement, Placement
from terms.calendar import SchoolCalendar

SUSPENSION = "FIXD"
# Reasons in roughly the national proportions: persistent disruption far ahead, then abuse and assault.
SUSPENSION_REASONS = {
    "DB": 45, "VA": 16, "PP": 9, "PA": 6, "VP": 6, "DM": 3, "DA": 3, "BU": 2, "OW": 2, "MT": 2, "TH": 1.5,
    "RA": 1.5, "SM": 1, "LG": 0.5, "DS": 0.5,
}  # fmt: skip
PERMANENT_REASONS = {"DB": 35, "PA": 18, "PP": 12, "OW": 10, "DA": 10, "VA": 8, "SM": 4, "DM": 3}  # fmt: skip
# Half days: most suspensions are one to three days.
SUSPENSION_SESSIONS = [1, 2, 2, 2, 4, 4, 6, 6, 8, 10]
# How likely a child is to have been suspended in two years, by why they are in AP.
SUSPENDED_SHARE = {"behaviour": 0.45, "pex": 0.3, "mental": 0.06, "physical": 0.02}
AGREED_SHARE_NOW, AGREED_SHARE_BEFORE = 0.85, 0.7


@dataclass(frozen=True)
class ChildInAp:
    child: Child
    school: Organisation  # their home school, or the school that permanently excluded them
    permanently_excluded: bool
    category: str  # why they are in AP: pex, behaviour, mental or physical
    first_start: date  # when their first placement began


class _Casework:
    def __init__(self, seed: int, today: date, days: list[date]):
        self.rng = random.Random(f"demo-casework-{seed}")
        self.ids = random.Random(f"demo-casework-ids-{seed}")
        self.today = today
        self.days = days

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.ids.getrandbits(128), version=4)

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()), k=1)[0]

    def school_day_before(self, day: date) -> date | None:
        at = bisect.bisect_left(self.days, day)
        return self.days[at - 1] if at else None


def exclusions_build(*, seed: int, today: date, area, children: list[ChildInAp], recorder: User) -> list[Exclusion]:
    """Suspensions for a small share of children, and the permanent exclusion of those on no school's roll."""
    since = today - timedelta(days=730)
    days = SchoolCalendar.load(area=area, start=since, end=today).days(since, today - timedelta(days=1))
    work = _Casework(seed, today, days)
    exclusions = []

    def add(c: ChildInAp, category: str, day: date, sessions, reasons: dict):
        exclusions.append(
            Exclusion(
                public_id=work.uuid(),
                child=c.child,
                school=c.school,
                category=category,
                start_date=day,
                sessions=sessions,
                reason=work.pick(reasons),
                recorded_by=recorder,
            )
        )

    for c in children:
        excluded_on = None
        if c.permanently_excluded:
            excluded_on = work.school_day_before(c.first_start - timedelta(days=work.rng.randint(3, 20)))
            if excluded_on:
                add(c, PERMANENT_EXCLUSION, excluded_on, None, PERMANENT_REASONS)
        if work.rng.random() >= SUSPENDED_SHARE[c.category] or not days:
            continue
        for day in sorted(work.rng.sample(days, k=work.rng.choice([1, 1, 1, 2, 2, 3]))):
            if excluded_on and day >= excluded_on:
                continue  # not suspended by a school they have already left
            if work.rng.random() < 0.05:
                add(c, LUNCHTIME_SUSPENSION, day, work.rng.randint(1, 3), SUSPENSION_REASONS)
            else:
                add(c, SUSPENSION, day, work.rng.choice(SUSPENSION_SESSIONS), SUSPENSION_REASONS)
    return exclusions


OUTCOMES = {
    "pex": [
        "Attend at least 90% of timetabled sessions by the first review",
        "Work towards GCSE English and maths at grade 4 or above",
        "Be ready for a new mainstream school named by the fair access panel",
        "Manage conflict with adults without leaving the classroom",
    ],
    "behaviour": [
        "Return to {school} full time",
        "No more than one recorded behaviour incident a week by the six-week review",
        "Keep up with the school's curriculum in English, maths and science",
        "Use the agreed calm-down plan instead of leaving lessons",
    ],
    "mental": [
        "Build up from part-time hours to a full timetable",
        "Attend every CAMHS appointment and use the strategies agreed there",
        "Join small-group lessons at least three mornings a week",
        "Keep up with the curriculum in English and maths",
    ],
    "physical": [
        "Keep up with the curriculum while unable to attend school",
        "Sit the year's assessments on time, with access arrangements",
        "Stay in touch with friends and a key adult at {school}",
    ],
}
MEASURES = {
    "pex": "Daily attendance from the setting's register; half-termly assessments in English and maths; the child's own view at each review",
    "behaviour": "Weekly attendance and behaviour logs shared with {school}; the six- and twelve-week dual-roll reviews; the child's and parent's views",
    "mental": "Weekly hours attended against the timetable; CAMHS and school reviews each half term; the child's own rating of how school feels",
    "physical": "Work completed against {school}'s scheme of work; sessions attended; the medical team's advice at each review",
}
EXITS = {
    "pex": "The fair access panel names a mainstream school by the planned end; six weeks of outreach support from the setting after the move",
    "behaviour": "Phased return to {school} over four weeks: two days at school rising to five, with a key adult and a daily check-in",
    "mental": "Return to {school} with an attendance support plan, or a specialist place if the EHC needs assessment names one",
    "physical": "Return to {school} when medically fit, with a reintegration meeting between the home education service, school and family",
}
POST_16_EXIT = "College place for September confirmed before the end of Year 11; transition visits in the summer term with a key worker"


def agreements_build(
    *, seed: int, today: date, placements: list[Placement], children: list[ChildInAp], recorder: User
) -> list[CommissioningAgreement]:
    """Most placements have an agreement; open-ended ones and a few others have none, as inspectors find."""
    work = _Casework(seed + 1, today, [])
    about = {id(c.child): c for c in children}
    agreements = []
    for placement in placements:
        current = placement.end_date is None or placement.end_date >= today
        share = AGREED_SHARE_NOW if current else AGREED_SHARE_BEFORE
        if placement.planned_end_date is None or work.rng.random() >= share:
            continue
        c = about[id(placement.child)]
        school = c.school.name
        outcomes = work.rng.sample(OUTCOMES[c.category], k=2)
        end = placement.planned_end_date
        leaves_school = end.month in (6, 7, 8) and age_on(c.child.date_of_birth, end) >= 16
        agreements.append(
            CommissioningAgreement(
                placement=placement,
                intended_outcomes="\n".join(o.format(school=school) for o in outcomes),
                success_criteria=MEASURES[c.category].format(school=school),
                exit_plan=POST_16_EXIT if leaves_school else EXITS[c.category].format(school=school),
                agreed_on=min(today, placement.start_date - timedelta(days=work.rng.randint(0, 14))),
                agreed_by=recorder,
            )
        )
    return agreements
