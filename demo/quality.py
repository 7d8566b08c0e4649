"""The area's quality assurance of its providers (issue 13, item 4).

The area's framework starts from the DfE standards (version 1, published some 14 months ago); version 2, published
two months ago, asks one thing more of safeguarding and words one criterion again, so that visits on either version
show. Most providers with children placed had the LA's visit within the year, some a year before that too; a few
were last visited more than a year ago and two never, so that "visits overdue" has real providers behind it. The
school whose lead signs in has its own visit to a provider it places children with. Health and social care have
added their strands to some visits. Actions: most done, some open, some past their date.
A random generator of its own, seeded from the borough's seed, so that adding these changes nothing else.
"""

import random
import uuid
from collections import defaultdict
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from core.models import Area, Organisation, User
from placements.models import Placement
from providers.models import (
    QAAction,
    QACriterion,
    QARating,
    QAStrand,
    QAStrandSector,
    QAVersionStatus,
    QAVisit,
    QAVisitFor,
)
from providers.services import qa_framework_ensure, qa_version_copy

EVIDENCE = {
    "green": [
        "Seen on the day and matches what the provider told us",
        "Checked a sample of five records: all complete",
        "Walked the site with the head of centre; nothing of concern",
        "Spoke with staff and children; consistent with the policy",
    ],
    "amber": [
        "Mostly in place; two records incomplete, agreed to finish by half term",
        "Policy in date but staff not clear on the procedure",
    ],
    "red": [
        "Not seen: the provider could not show it on the day",
        "Out of date since last year",
    ],
}
STRENGTHS = [
    "Warm relationships: every child has a key worker they trust; small teaching groups",
    "Strong vocational offer (construction, hair and beauty) linked to college places",
    "Calm site, clear routines; English and maths every day",
]
VIEWS = [
    "Five children spoke to us without staff present: they feel safe and say staff listen",
    "Children's survey (eight replies): most like the practical sessions and want more maths support",
    "Three children told us they want to go back to mainstream; two said the journey is long",
]
ACTIONS = [
    ("Add the barred-list check for two sessional staff to the single central record", "Head of centre"),
    ("Renew the fire risk assessment and hold a drill", "Site manager"),
    ("Send each commissioning school written confirmation of staff checks", "Office manager"),
    ("Share each child's baseline and learning plan with the home school", "Deputy head"),
    ("Name and train a deputy designated safeguarding lead", "Head of centre"),
]
HEALTH = "Health needs of the children placed are known; two care plans updated with CAMHS; first aid cover seen"
SOCIAL = "Children in care have current personal education plans; social workers invited to reviews"


def _new_version(framework, officer: User, published_on: date):
    """Version 2: a criterion added to safeguarding, one of education worded again."""
    draft = qa_version_copy(version=framework.versions.get(number=1))
    themes = list(draft.themes.order_by("position"))
    QACriterion.objects.create(
        theme=themes[0],
        position=themes[0].criteria.count() + 1,
        text="Online safety: filtering, monitoring and teaching children to stay safe online",
        guidance="The filtering and monitoring in place; what children are taught about online risks.",
    )
    QACriterion.objects.filter(theme=themes[3], position=1).update(
        text="The curriculum is in line with the home school's and planned with it, enabling reintegration"
    )
    draft.status, draft.published_on, draft.published_by = QAVersionStatus.PUBLISHED, published_on, officer
    draft.save()
    return draft


def _visit(rng, *, provider, version, organisation, visitor, day, interval, for_whom, weights, points, criteria):
    signals = rng.choices(["green", "amber", "red"], weights=weights, k=len(criteria))
    worst = "red" if "red" in signals else "amber" if "amber" in signals else "green"
    visit = QAVisit(
        public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
        provider=provider,
        version=version,
        organisation=organisation,
        visited_on=day,
        other_visitors=rng.choice(["", "", "Dr Priya Shah, designated clinical officer"]),
        for_whom=for_whom,
        strengths=rng.choice(STRENGTHS),
        children_views=rng.choice(VIEWS),
        overall=points[worst],
        overall_summary={
            "green": "Meets the standards: a safe setting with good teaching",
            "amber": "Partly meets the standards: safe, with records to complete by the dates agreed",
            "red": "Does not meet a standard: the actions below are needed before new placements",
        }[worst],
        next_visit_on=day + relativedelta(months=interval),
        recorded_by=visitor,
    )
    ratings = [
        QARating(visit=visit, criterion=c, point=points[s], evidence=rng.choice(EVIDENCE[s]))
        for c, s in zip(criteria, signals, strict=True)
    ]
    return visit, ratings, worst


def qa_build(
    *,
    seed: int,
    today: date,
    area: Area,
    placements: list[Placement],
    officer: User,
    school_lead: User,
    health: tuple[User, Organisation],
    social: tuple[User, Organisation],
) -> dict:
    """The area's framework in two versions, and visits, strands and actions for the providers with children."""
    rng = random.Random(f"{seed}-quality")
    framework = qa_framework_ensure(area=area)
    first = framework.versions.get(number=1)
    first.published_on = today - timedelta(days=430)
    first.published_by = officer
    first.save()
    second = _new_version(framework, officer, today - timedelta(days=60))
    content = {}
    for version in (first, second):
        criteria = list(QACriterion.objects.filter(theme__version=version).order_by("theme__position", "position"))
        content[version.pk] = ({p.signal: p for p in version.points.all()}, criteria)

    def version_on(day: date):
        return second if day >= second.published_on else first

    placed = defaultdict(set)
    for p in placements:
        if p.start_date <= today and (p.end_date is None or p.end_date >= today):
            placed[p.provider].add(p.commissioner_id)
    la, school = officer.primary_organisation, school_lead.primary_organisation
    interval = framework.visit_interval_months
    visits, ratings, strands, actions = [], [], [], []
    providers = sorted(placed, key=lambda pr: pr.pk)
    for n, provider in enumerate(providers):
        if n in (1, 5):  # never visited: overdue
            continue
        # Overdue ones were last visited 13 to 16 months ago; the rest within the year.
        overdue = n % 7 == 3
        days_ago = rng.randint(400, 480) if overdue else rng.randint(20, 330)
        days = [days_ago] + ([days_ago + rng.randint(330, 365)] if rng.random() < 0.5 else [])
        for k, ago in enumerate(days):
            day = today - timedelta(days=ago)
            version = version_on(day)
            points, criteria = content[version.pk]
            weights = [8, 3, 1] if not overdue else [5, 3, 2]
            visit, rated, worst = _visit(
                rng,
                provider=provider,
                version=version,
                organisation=la,
                visitor=officer,
                day=day,
                interval=interval,
                for_whom=[QAVisitFor.LOCAL_AUTHORITY, QAVisitFor.SCHOOLS],
                weights=weights,
                points=points,
                criteria=criteria,
            )
            visits.append(visit)
            ratings += rated
            strands += [
                QAStrand(visit=visit, sector=sector, findings=text, organisation=la, recorded_by=officer)
                for sector, text in (
                    (QAStrandSector.EDUCATION, "Teaching seen in English, maths and vocational sessions"),
                    (QAStrandSector.SAFEGUARDING, "Single central record sampled; designated lead interviewed"),
                )
            ]
            if k == 0 and rng.random() < 0.5:
                visit.for_whom = [*visit.for_whom, QAVisitFor.HEALTH, QAVisitFor.SOCIAL_CARE]
                for (user, organisation), sector, text in (
                    (health, QAStrandSector.HEALTH, HEALTH),
                    (social, QAStrandSector.SOCIAL_CARE, SOCIAL),
                ):
                    strands.append(
                        QAStrand(visit=visit, sector=sector, findings=text, organisation=organisation, recorded_by=user)
                    )
            for text, owner in rng.sample(ACTIONS, {"green": 1, "amber": 2, "red": 3}[worst]):
                due = day + timedelta(days=rng.choice([30, 45, 60]))
                done = due < today and (k > 0 or rng.random() < 0.6)
                actions.append(
                    QAAction(
                        public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                        visit=visit,
                        text=text,
                        owner=owner,
                        due_on=due,
                        done_on=due - timedelta(days=rng.randint(1, 20)) if done else None,
                        done_by=officer if done else None,
                        recorded_by=officer,
                    )
                )
        # The school's own visit where it places children: it reads the LA's too.
        if school.pk in placed[provider] and not any(v.organisation == school for v in visits):
            day = today - timedelta(days=rng.randint(10, 60))
            points, criteria = content[version_on(day).pk]
            visit, rated, _ = _visit(
                rng,
                provider=provider,
                version=version_on(day),
                organisation=school,
                visitor=school_lead,
                day=day,
                interval=interval,
                for_whom=[QAVisitFor.SCHOOLS],
                weights=[8, 2, 0],
                points=points,
                criteria=criteria,
            )
            visits.append(visit)
            ratings += rated
            strands += [
                QAStrand(
                    visit=visit,
                    sector=s,
                    findings="Our pupils seen in lessons",
                    organisation=school,
                    recorded_by=school_lead,
                )
                for s in (QAStrandSector.EDUCATION, QAStrandSector.SAFEGUARDING)
            ]
    QAVisit.objects.bulk_create(visits)
    QAVisit.visitors.through.objects.bulk_create(
        QAVisit.visitors.through(qavisit_id=v.pk, user_id=v.recorded_by_id) for v in visits
    )
    QARating.objects.bulk_create(ratings, batch_size=500)
    QAStrand.objects.bulk_create(strands)
    QAAction.objects.bulk_create(actions)
    return {
        "qa_versions": framework.versions.count(),
        "qa_visits": len(visits),
        "qa_actions": len(actions),
        "qa_actions_overdue": sum(1 for a in actions if a.done_on is None and a.due_on < today),
    }
