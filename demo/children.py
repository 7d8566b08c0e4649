"""The demo's children, whose mix resembles England's AP population, and their UPNs."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from children.models import Child, EhcPlanStatus, age_on
from children.services import child_create
from children.upn import check_letter
from core.models import Organisation
from demo.area import HOME_LA
from demo.context import Borough, pick, years_before

# Age today, peaking at 14-15 as the AP census does.
AGE_WEIGHTS = {5: 1, 6: 1, 7: 1.5, 8: 2, 9: 2.5, 10: 3, 11: 5, 12: 8, 13: 13, 14: 20, 15: 22, 16: 10}
# Ethnicity, weighted to White British; Gypsy/Roma, Irish Traveller and White and Black
# Caribbean pupils are over-represented in AP, as in the national figures.
ETHNICITY_WEIGHTS = {
    "WBRI": 70, "WOTH": 4.5, "WIRI": 0.5, "WIRT": 1, "WROM": 1.2, "MWBC": 4, "MWBA": 1, "MWAS": 1.5,
    "MOTH": 2, "AIND": 1.2, "APKN": 1.8, "ABAN": 0.5, "AOTH": 0.8, "CHNE": 0.3, "BCRB": 2, "BAFR": 2.5,
    "BOTH": 0.8, "OOTH": 1.2, "REFU": 0.6, "NOBT": 0.6,
}  # fmt: skip
PRIMARY_NEED_WEIGHTS = {
    "SEMH": 56, "ASD": 15, "SLCN": 7, "MLD": 7, "SPLD": 5, "OTH": 3, "NSA": 3, "PD": 1, "HI": 1, "VI": 0.5,
    "SLD": 0.5, "MSI": 0.2,
}  # fmt: skip
HEALTH_NEEDS = [
    "Anxiety; under CAMHS",
    "Low mood and anxiety",
    "Eating disorder; under CAMHS",
    "Self-harm; safety plan in place",
    "Type 1 diabetes",
    "Epilepsy; rescue medication in school",
    "Chronic fatigue syndrome",
    "ADHD; medication at lunchtime",
    "Asthma",
    "Long-term recovery from surgery",
    "Tic disorder",
    "Crohn's disease",
]


@dataclass
class ChildPlan:
    child: Child
    excluded: bool  # permanently excluded: on no school's roll
    school: Organisation  # the home school, or the school that excluded them
    y11_end: date  # the day they finish Year 11
    medical: bool


class UpnSource:
    """UPNs as the area's schools allocate them, never the same twice, for as many children as a borough holds.

    A UPN is the LA code, the number of the establishment that allocated it, two digits of the year
    and a three-digit serial (`children.upn`): 999 for one establishment and year. A school numbers a
    year's pupils from a seeded start in seeded steps, as if some had left. When its serials for the
    year run out (a borough of tens of thousands has more children of an age at a school), its next
    pupils carry UPNs of an establishment number no school of the demo has, as a pupil who came from
    another school of the LA would. Each such number serves one school and year for at least 140 pupils,
    and there are some 4,000 of them: over half a million children before the source runs out, and then
    it says so. A generator of its own, seeded from the borough's seed, so that how UPNs are made
    changes nothing else the borough holds.
    """

    FIRST_SERIAL, STEP = 300, 5  # a lane's first serial is at most FIRST_SERIAL; each next one up to STEP on
    # The LA's establishment numbers of primary and secondary schools (the benchmarks' own settings use 9000 up).
    SPARE = range(2000, 6000)

    def __init__(self, *, seed: int, la_code: str, establishments: list[int]):
        self.rng = random.Random(f"demo-upns-{seed}")
        self.la_code = la_code
        taken = set(establishments)
        self.spare = [number for number in self.SPARE if number not in taken]
        self.rng.shuffle(self.spare)
        self.lanes: dict[tuple[int, int], tuple[int, int]] = {}  # (school, year) -> (establishment, last serial)

    def allocate(self, school: int, year: int) -> str:
        """The next UPN of a pupil of the school (its establishment number) who started reception in `year`."""
        lane = self.lanes.get((school, year))
        if lane is None:
            establishment, serial = school, self.rng.randint(1, self.FIRST_SERIAL)
        else:
            establishment, serial = lane[0], lane[1] + self.rng.randint(1, self.STEP)
            if serial > 999:
                if not self.spare:
                    raise RuntimeError("The demo has given UPNs of every establishment number of the LA")
                establishment, serial = self.spare.pop(), self.rng.randint(1, self.FIRST_SERIAL)
        self.lanes[(school, year)] = (establishment, serial)
        body = f"{self.la_code}{establishment:04d}{year:02d}{serial:03d}"
        return check_letter(body) + body


def year11_end(dob: date) -> date:
    """Year 11 is the school year that starts when a child is 15 on 31 August."""
    start_year = dob.year + 15 if (dob.month, dob.day) <= (8, 31) else dob.year + 16
    return date(start_year + 1, 7, 22)


def children_build(b: Borough, count: int) -> list[ChildPlan]:
    """`count` children, each with a home school (or none, when permanently excluded) and a UPN of their own."""
    rng, fake, today = b.rng, b.fake, b.today
    primaries = [s for s in b.schools if s.phase == "primary"]
    secondaries = [s for s in b.schools if s.phase == "secondary"]
    academic_year_start = date(today.year if today.month >= 9 else today.year - 1, 8, 31)
    upns = UpnSource(seed=b.seed, la_code=HOME_LA, establishments=[s.estab for s in b.schools])
    plans = []
    for _ in range(count):
        gender = "M" if rng.random() < 0.67 else "F"
        first_name = fake.first_name_male() if gender == "M" else fake.first_name_female()
        last_name = fake.last_name()
        age = pick(rng, AGE_WEIGHTS)
        born_by = years_before(today, age)
        born_after = years_before(today, age + 1)
        dob = born_after + timedelta(days=rng.randint(1, (born_by - born_after).days))

        roll = rng.random()
        if roll < 0.42:
            sen, ehc = "E", EhcPlanStatus.HAS_PLAN
        elif roll < 0.56:
            sen, ehc = "K", EhcPlanStatus.BEING_ASSESSED
        elif roll < 0.58:
            sen, ehc = "K", EhcPlanStatus.HAD_PLAN
        elif roll < 0.80:
            sen, ehc = "K", EhcPlanStatus.NONE
        else:
            sen, ehc = "N", EhcPlanStatus.NONE
        need = second_need = ""
        if sen != "N":
            need = pick(rng, PRIMARY_NEED_WEIGHTS)
            if need == "NSA" and sen == "E":
                need = "SEMH"  # a plan always names the need
            if rng.random() < 0.3:
                second_need = pick(rng, PRIMARY_NEED_WEIGHTS)
                if second_need in (need, "NSA"):
                    second_need = ""

        looked_after = rng.random() < 0.13
        looked_after_by = None
        if looked_after:
            looked_after_by = b.area if rng.random() < 0.75 else rng.choice(b.other_areas)
        child_protection = not looked_after and rng.random() < 0.06
        child_in_need = child_protection or (not looked_after and rng.random() < 0.15)
        youth_justice = age >= 10 and rng.random() < (0.13 if gender == "M" else 0.05)
        dsr = sen == "E" and need in ("ASD", "SEMH", "SLD") and rng.random() < 0.035
        last_cetr = today - timedelta(days=rng.randint(20, 330)) if dsr else None
        medical = rng.random() < 0.2
        health_needs = rng.choice(HEALTH_NEEDS) if medical else ""
        ethnicity = pick(rng, ETHNICITY_WEIGHTS)

        excluded = rng.random() < 0.05
        in_primary = age_on(dob, academic_year_start) < 11
        phase_schools = primaries if in_primary else secondaries
        school = rng.choices(phase_schools, weights=[s.popularity for s in phase_schools], k=1)[0]
        home_school = None if excluded else school.org

        y11_end = year11_end(dob)
        upn = upns.allocate(school.estab, (y11_end.year - 12) % 100)  # the year they started reception

        child = Child(
            public_id=b.uuid(),
            area=b.area,
            upn=upn,
            first_name=first_name,
            last_name=last_name,
            date_of_birth=dob,
            gender=gender,
            ethnicity=ethnicity,
            sen_provision=sen,
            sen_primary_need=need,
            sen_secondary_need=second_need,
            ehc_plan_status=ehc,
            looked_after=looked_after,
            looked_after_by=looked_after_by,
            child_in_need=child_in_need,
            child_protection=child_protection,
            known_to_youth_justice=youth_justice,
            on_dynamic_support_register=dsr,
            last_cetr_date=last_cetr,
            health_needs=health_needs,
            home_school=home_school,
        )
        plans.append(ChildPlan(child=child, excluded=excluded, school=school.org, y11_end=y11_end, medical=medical))
    # Even a tiny borough has a child in its own care, so the virtual school head sees someone.
    if plans and not any(p.child.looked_after_by is b.area for p in plans):
        plans[-1].child.looked_after, plans[-1].child.looked_after_by = True, b.area
        plans[-1].child.child_in_need = plans[-1].child.child_protection = False
    return plans


def child_recorded_twice_add(b: Borough, plans: list[ChildPlan]) -> None:
    """The demo school adds a pupil who joined it from another school of the area: the UPN is on that
    school's record, which the demo school may not see, so the child is recorded twice for the LA to settle.
    """
    lead = b.users["school-lead"]
    school = lead.primary_organisation
    moved = next(p.child for p in plans if p.child.home_school_id not in (None, school.pk))
    fields = ["upn", "first_name", "last_name", "date_of_birth", "gender", "ethnicity", "sen_provision"]
    child_create(
        user=lead,
        data={name: getattr(moved, name) for name in fields}
        | {"home_school": school, "ehc_plan_status": moved.ehc_plan_status, "public_id": b.uuid()},
    )
