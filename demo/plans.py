"""Personalised plans for the demo borough: objectives with measures, baselines and dates, the intervention,
the reintegration plan, what the family was told and the child's baseline (issue 11).

Most placements have a plan; open-ended ones and a few others have none, as inspectors find. A random
generator of its own, seeded from the borough's seed, so that adding these changes nothing else the borough
holds. Bulk-inserted, like the rest of the borough.
"""

import random
from datetime import date, timedelta

from casework.models import PersonalisedPlan, PlanObjective, objectives_due_refresh
from children.models import EhcPlanStatus, age_on
from core.models import User
from demo.casework import ChildInAp
from placements.models import Placement

PLANNED_SHARE_NOW, PLANNED_SHARE_BEFORE = 0.85, 0.7
# Most families are told in English; some in the languages the borough's families speak at home.
LANGUAGES = {"en": 88, "pl": 4, "ur": 3, "ro": 2, "ar": 2, "pa": 1}

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
BASELINES = {
    "pex": [
        "Attended 71% in the half term before the exclusion",
        "Working at grade 2 in English and grade 3 in maths (June assessments)",
        "Not yet named by the fair access panel",
        "Left the classroom after a conflict with an adult two or three times a week",
    ],
    "behaviour": [
        "Attending {school} for mornings only",
        "Four recorded behaviour incidents a week on average last half term",
        "Six weeks behind the school's scheme of work in English and maths",
        "Leaves two or three lessons a day without permission",
    ],
    "mental": [
        "Attending 6 hours a week",
        "Missed two of the last five CAMHS appointments",
        "Not in any group lessons",
        "Reading age 11y 4m; maths at grade 3 (last assessed in March)",
    ],
    "physical": [
        "No school work since admission to hospital",
        "Access arrangements not yet agreed with the exam board",
        "Contact with friends through the hospital school only",
    ],
}
INTERVENTIONS = {
    "pex": (
        "Full-time education in a small group of six, with a key worker, GCSE English and maths, and a weekly "
        "session with the setting's behaviour mentor",
        "Weeks 1-2 settling in and assessment; by half term a full timetable; from week 12 preparing for a new school",
    ),
    "behaviour": (
        "Dual-roll placement: small-group teaching of the home school's curriculum, a daily check-in with a key adult, "
        "and a weekly session on managing conflict",
        "Weeks 1-6 at the setting; the six-week review agrees a return plan; weeks 7-12 phased return to school",
    ),
    "mental": (
        "A part-time timetable built up week by week with the CAMHS clinician's advice; one-to-one teaching first, "
        "then small-group lessons",
        "Two mornings a week at first, one more session each fortnight; full timetable reviewed at each half term",
    ),
    "physical": (
        "Home and hospital tuition in English, maths and science, following the home school's scheme of work",
        "Tuition from the week after discharge; weekly reviews with the medical team; return when medically fit",
    ),
}
CHILD_BASELINES = {
    "pex": (
        "Struggles to manage conflict with adults; gaps in English and maths after time out of school",
        "Being challenged in front of peers; unstructured times",
        "Clear routines; a quiet word rather than public correction; praise for effort",
    ),
    "behaviour": (
        "Social, emotional and mental health needs; finds large classes hard",
        "Corridor transitions; changes to the timetable without warning",
        "A key adult at the gate each morning; movement breaks; work in short chunks",
    ),
    "mental": (
        "Anxiety about school; avoids crowded places; sleep is poor",
        "Crowds and noise; being asked to speak in front of the class",
        "A calm, small room; knowing the day's plan in advance; a trusted adult to go to",
    ),
    "physical": (
        "A medical condition that keeps the child at home or in hospital for weeks at a time",
        "Fatigue in the afternoons; missing friends",
        "Short sessions; work sent in advance; contact with school friends",
    ),
}
ATTAINMENT = [
    "Reading age {r}; working at grade {g} in maths (assessed in September)",
    "Key stage 2: reading {k} and maths {k}; reading age {r} now",
    "GCSE predictions: English {g}, maths {g}",
]
EHC_SECTIONS = (
    "Section B: social, emotional and mental health needs. Section E: to attend school full time and manage "
    "conflict. Section F: a key adult daily, small-group teaching, weekly mentoring"
)


def plans_build(
    *, seed: int, today: date, placements: list[Placement], children: list[ChildInAp], recorder: User
) -> list[tuple[PersonalisedPlan, list[PlanObjective]]]:
    """A plan, with two or three objectives, for most placements that have a planned end."""
    rng = random.Random(f"demo-plans-{seed}")
    about = {id(c.child): c for c in children}
    plans = []
    for placement in placements:
        current = placement.end_date is None or placement.end_date >= today
        share = PLANNED_SHARE_NOW if current else PLANNED_SHARE_BEFORE
        if placement.planned_end_date is None or rng.random() >= share:
            continue
        c = about[id(placement.child)]
        school = c.school.name

        def say(text: str, school=school) -> str:
            return text.format(school=school)

        end = placement.planned_end_date
        agreed_on = min(today, placement.start_date - timedelta(days=rng.randint(0, 14)))
        leaves_school = end.month in (6, 7, 8) and age_on(c.child.date_of_birth, end) >= 16
        intervention, timeline = INTERVENTIONS[c.category]
        needs, triggers, what_works = CHILD_BASELINES[c.category]
        weeks = max(1, (end - placement.start_date).days // 7)
        plan = PersonalisedPlan(
            placement=placement,
            intervention=intervention,
            intervention_timeline=timeline,
            reintegration_plan=POST_16_EXIT if leaves_school else say(EXITS[c.category]),
            family_told_on=agreed_on,
            family_language=rng.choices(list(LANGUAGES), weights=list(LANGUAGES.values()), k=1)[0],
            family_told_why=f"{needs}; a placement at {placement.provider.name} gives the support the school cannot",
            family_told_start=f"On {placement.start_date:%-d %B %Y}, with a visit to the setting the week before",
            family_told_length=f"About {weeks} weeks, to {end:%-d %B %Y}, unless a review agrees otherwise",
            family_told_who_where=f"The staff of {placement.provider.name}, at its site; the key worker named at the visit",
            family_told_review="A review with the family, the setting and the school every half term; the first after six weeks",
            baseline_needs=needs,
            baseline_triggers=triggers,
            baseline_what_works=what_works,
            baseline_attainment=rng.choice(ATTAINMENT).format(
                r=f"{rng.randint(8, 14)}y {rng.randint(0, 11)}m", g=rng.randint(1, 5), k=rng.choice(["WTS", "EXS"])
            ),
            baseline_ehc_sections=EHC_SECTIONS if c.child.ehc_plan_status == EhcPlanStatus.HAS_PLAN else "",
            agreed_on=agreed_on,
            agreed_by=recorder,
        )
        count = rng.choice([2, 2, 3]) if len(OUTCOMES[c.category]) >= 3 else 2
        chosen = rng.sample(range(len(OUTCOMES[c.category])), k=count)
        objectives = [
            PlanObjective(
                position=position,
                description=say(OUTCOMES[c.category][i]),
                measure=say(MEASURES[c.category]),
                baseline=say(BASELINES[c.category][i]),
                # The first checks come at the first review; the last by the planned end.
                target_date=end if position == count else min(end, placement.start_date + timedelta(days=42)),
            )
            for position, i in enumerate(chosen, start=1)
        ]
        plans.append((plan, objectives))
    return plans


def plans_insert(plans: list[tuple[PersonalisedPlan, list[PlanObjective]]]) -> None:
    PersonalisedPlan.objects.bulk_create([plan for plan, _ in plans], batch_size=500)
    objectives = []
    for plan, own in plans:
        for objective in own:
            objective.plan = plan
            objectives.append(objective)
    PlanObjective.objects.bulk_create(objectives, batch_size=1000)  # no signals: the plans' last dates here
    objectives_due_refresh([plan.pk for plan, _ in plans])
