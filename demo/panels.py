"""Referrals, the LA's multi-agency panels and their decisions, for the demo borough (issue 11).

Three kinds of panel, each meeting fortnightly outside August, for two years and the month ahead. Most
placements the LA commissions followed a referral and a panel's decision naming their provider, made
before the placement started, and the placement's personalised plan names that decision (only placements
with a plan came through a panel); some referrals led elsewhere (an assessment, a managed move, no action).
Today a queue of sent referrals waits, a few fast-tracked, some on the agenda of a panel still to meet, one
of a child on the demo health practitioner's caseload and one on the social worker's, referred by them; a
few decisions of an AP placement are too recent for the placement to have started, the first at an in-area
setting with places, for the LA to start in the demo; a couple of drafts and withdrawn referrals. A few
panels met without health or without social care, and their decisions carry the flag. Once the registers
are written, each sent referral keeps the record's figures as they stood the day it was sent
(`referral_figures_fill`).

A random generator (and a Faker) of its own, seeded from the borough's seed, so that adding these changes
nothing else the borough holds. Bulk-inserted; the times a row was made are set to when it happened.
"""

import bisect
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from faker import Faker

from attendance.models import AttendanceMark, HomeSchoolMark
from casework.models import (
    AgendaItem,
    Decision,
    Panel,
    PanelKind,
    PanelMember,
    PersonalisedPlan,
    Referral,
    ReferralStatus,
    Sector,
    ViewsGathered,
)
from casework.referral_figures import EXCLUSIONS_LOOK_BACK, record_figures, school_year_start
from casework.selectors.referrals import exclusion_counted
from children.models import Exclusion, Involvement, age_on
from core.models import Membership, Organisation
from demo.children import ChildPlan
from demo.context import Borough, pick
from demo.organisations import OUTREACH
from demo.placements import REASON_CATEGORY
from placements.models import Placement
from placements.rules import LA_ARRANGED, arranged_by

FAIR_ACCESS, INCLUSION, HOT_CLINIC = "Fair access panel", "Inclusion panel", "Hot-clinic triage"
# name, what it decides, the weekday it meets (Monday 0), the week of the fortnight
KINDS = [
    (FAIR_ACCESS, "Places for children without a school place, and AP after a permanent exclusion", 1, 0),
    (INCLUSION, "AP, outreach and assessments for children at risk of exclusion or not attending", 2, 1),
    (HOT_CLINIC, "Multi-agency triage of urgent mental health and safeguarding concerns", 3, 0),
]
KIND_OF_REASON = {
    "permanent_exclusion": FAIR_ACCESS,
    "no_school_place": FAIR_ACCESS,
    "at_risk_of_exclusion": FAIR_ACCESS,
    "persistent_disruption": INCLUSION,
    "semh": INCLUSION,
    "ebsa": INCLUSION,
    "unmet_sen": INCLUSION,
    "physical_health": INCLUSION,
    "other": INCLUSION,
    "safeguarding": HOT_CLINIC,
}
REASONS_OF_CATEGORY = {
    "behaviour": {"at_risk_of_exclusion": 50, "persistent_disruption": 40, "safeguarding": 10},
    "mental": {"semh": 55, "ebsa": 30, "unmet_sen": 15},
    "physical": {"physical_health": 100},
}
# A placement the LA arranges came through a panel more often than one a school arranged itself.
THROUGH_A_PANEL = {LA_ARRANGED: 0.6}
THROUGH_A_PANEL_OTHERWISE = 0.1
# Referrals that led to something other than a placement, a year, as a share of the children.
OTHER_OUTCOMES_A_YEAR = 0.1
OTHER_OUTCOMES = {
    "specialist_assessment": 22,
    "ehc_needs_assessment": 20,
    "fast_track_assessment": 14,
    "managed_move": 16,
    "no_action": 28,
}
WAITING_SHARE = 0.08  # of the children, referred and awaiting a decision today
HEALTH_ABSENT, SOCIAL_CARE_ABSENT = 0.12, 0.09
FAST_TRACKED_SHARE = 0.03
LATELY_DAYS = 45  # the longest a decision waits for its placement to start, in the demo

NEEDS = {
    "behaviour": "Dysregulated after unstructured times; struggles with adult direction in large classes",
    "pex": "Needs a fresh start with a small team and clear routines after a permanent exclusion",
    "mental": "Anxiety that keeps them from school most mornings; low mood reported by CAMHS",
    "physical": "A long-term medical condition: cannot attend full days while treatment continues",
}
TRIED = {
    "behaviour": "Pastoral mentor twice a week (head of year); report card; two weeks of reduced timetable",
    "pex": "Internal exclusion, a managed move trial and a pastoral support plan before the exclusion",
    "mental": "School counsellor weekly since autumn; quiet room at break; a phased start to the day",
    "physical": "Work sent home by the SENCO; reduced timetable agreed with the medical team",
}
RISKS = [
    "Known to early help; no current child protection plan",
    "Older peers suspected of exploitation; police aware",
    "No current safeguarding concerns",
    "Child in need plan; social worker involved",
]
CHILD_VIEWS = [
    "Wants a smaller place where staff listen",
    "Would like to go back to school with friends, but not full days yet",
    "Does not want to leave school; would accept help there",
    "Happy to try somewhere new if it is close to home",
]
FAMILY_VIEWS = [
    "Mum wants a fresh start and help with anxiety",
    "Dad is worried about travel and wants a place near home",
    "Carer supports the referral and wants regular updates",
    "Parents want the EHC needs assessment to go ahead first",
]
RATIONALE = {
    "ap_placement": "The panel weighed the school's support so far and the child's wish for a smaller setting; "
    "{provider} has places and the expertise the needs call for. Review at six weeks.",
    "outreach": "Staying at school with outreach from {provider} keeps the child with their friends, "
    "which the family wants. Review at six weeks.",
    "specialist_assessment": "The needs are not yet understood: an educational psychology assessment first, "
    "back to panel with its findings.",
    "ehc_needs_assessment": "The evidence meets the threshold for an EHC needs assessment; the school keeps "
    "its support in place meanwhile.",
    "fast_track_assessment": "Risk to the child's wellbeing is high: fast-tracked to CAMHS, seen within the week.",
    "managed_move": "A fresh start at another school, agreed by both heads and the family, with a 12-week trial.",
    "no_action": "The school's current plan is working: attendance has risen since the referral. No action.",
}


@dataclass
class _Panel:
    row: Panel
    missing: list[str]


class _Work:
    def __init__(self, b: Borough):
        self.b = b
        self.rng = random.Random(f"demo-panels-{b.seed}")
        self.ids = random.Random(f"demo-panels-ids-{b.seed}")
        self.fake = Faker("en_GB")
        self.fake.seed_instance(b.seed + 11)
        self.officer = b.users["la-officer"]
        self.referrals: list[Referral] = []
        self.decisions: list[Decision] = []
        self.agenda: list[AgendaItem] = []
        self.panels: dict[str, list[_Panel]] = {}
        self.authors: dict[int, object] = {}
        self.planned: dict[int, PersonalisedPlan] = {}  # by id() of the placement
        self.linked: list[PersonalisedPlan] = []

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.ids.getrandbits(128), version=4)

    def at(self, day: date, hour: int) -> datetime:
        """A time on a day, never after today began: the demo's rows say when they happened."""
        minute = self.rng.randint(0, 59)
        if day >= self.b.today:
            return timezone.make_aware(datetime.combine(self.b.today, time(0, 0)))
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _meeting_days(today: date, weekday: int, week: int) -> list[date]:
    first = today - timedelta(days=730)
    first += timedelta(days=(weekday - first.weekday()) % 7 + 7 * week)
    days = []
    while first <= today + timedelta(days=28):
        if first.month != 8:
            days.append(first)
        first += timedelta(days=14)
    return days


def _panels_build(w: _Work) -> None:
    b = w.b
    kinds = PanelKind.objects.bulk_create([PanelKind(area=b.area, name=n, description=d) for n, d, _, _ in KINDS])
    people = {s: [w.fake.name() for _ in range(6)] for s in Sector.values}
    schools = [s.org for s in b.schools]
    panels = []
    for kind, (_, _, weekday, week) in zip(kinds, KINDS, strict=True):
        for day in _meeting_days(b.today, weekday, week):
            panels.append(Panel(public_id=w.uuid(), area=b.area, kind=kind, meets_on=day, created_by=w.officer))
    Panel.objects.bulk_create(panels, batch_size=500)
    members = []
    for panel in panels:
        missing = []
        if panel.meets_on <= b.today:
            attended = [
                (Sector.EDUCATION, b.la, "AP and inclusion officer"),
                (Sector.EDUCATION, w.rng.choice(schools), "Headteacher"),
            ]
            if w.rng.random() >= HEALTH_ABSENT:
                attended.append((Sector.HEALTH, b.health, "CAMHS clinical lead"))
            if w.rng.random() >= SOCIAL_CARE_ABSENT:
                attended.append((Sector.SOCIAL_CARE, b.social_care, "Early help team manager"))
            if w.rng.random() < 0.3:
                attended.append((Sector.OTHER, b.social_care, "Youth justice worker"))
            for sector, organisation, role in attended:
                members.append(
                    PanelMember(
                        panel=panel,
                        person_name=w.rng.choice(people[sector]),
                        role=role,
                        organisation=organisation,
                        sector=sector,
                    )
                )
            present = {sector for sector, _, _ in attended}
            missing = [s.value for s in (Sector.HEALTH, Sector.SOCIAL_CARE) if s not in present]
        w.panels.setdefault(panel.kind.name, []).append(_Panel(panel, missing))
    PanelMember.objects.bulk_create(members, batch_size=500)
    Panel.objects.filter(pk__in=[p.pk for p in panels]).update(created_at=timezone.now() - timedelta(days=731))


def _panel_between(w: _Work, kind: str, first: date, last: date) -> _Panel | None:
    """The latest panel of a kind meeting from one day to another, if any met."""
    panels = w.panels[kind]
    at = bisect.bisect_right([p.row.meets_on for p in panels], last)
    if at and panels[at - 1].row.meets_on >= first:
        return panels[at - 1]
    return None


def _next_panel(w: _Work, kind: str, after: date) -> _Panel | None:
    panels = w.panels[kind]
    at = bisect.bisect_right([p.row.meets_on for p in panels], after)
    return panels[at] if at < len(panels) else None


def _referrer(w: _Work, plan: ChildPlan, reason: str) -> Organisation:
    b, child = w.b, plan.child
    roll = w.rng.random()
    if child.home_school is None or plan.excluded or reason in ("permanent_exclusion", "no_school_place"):
        return b.la
    if reason in ("semh", "ebsa") and roll < 0.2:
        return b.health
    if reason == "safeguarding" and roll < 0.5:
        return b.social_care
    if child.looked_after and child.looked_after_by is b.area and roll < 0.3:
        return b.virtual_school
    return child.home_school


WITHDRAWAL_REASONS = [
    "Attendance improved with the school's own support plan; the family asked to wait",
    "The family moved out of the area before the panel",
    "CAMHS took the young person on; the school will refer again if needed",
]


def _referral(
    w: _Work,
    plan: ChildPlan,
    *,
    category: str,
    sent: date | None,
    status: str,
    reason: str = "",
    referrer: Organisation | None = None,
) -> Referral:
    rng = w.rng
    reason = reason or pick(rng, REASONS_OF_CATEGORY[category])
    referrer = referrer or _referrer(w, plan, reason)
    off_site = referrer == plan.child.home_school and category == "behaviour" and rng.random() < 0.1
    made = (sent or w.b.today) - timedelta(days=rng.randint(1, 10))
    child_gathered = pick(rng, {ViewsGathered.IN_PERSON: 60, ViewsGathered.ADVOCATE: 12, ViewsGathered.SYMBOLS: 6,
                                ViewsGathered.INTERPRETER: 5, ViewsGathered.WRITTEN: 7, ViewsGathered.DECLINED: 10})  # fmt: skip
    family_gathered = pick(rng, {ViewsGathered.IN_PERSON: 70, ViewsGathered.INTERPRETER: 10, ViewsGathered.WRITTEN: 12,
                                 ViewsGathered.DECLINED: 8})  # fmt: skip
    referral = Referral(
        public_id=w.uuid(),
        child=plan.child,
        referrer=referrer,
        status=status,
        reason=reason,
        needs=NEEDS[category],
        tried_in_school=TRIED[category] if referrer.kind == "school" else "",
        risk_and_safeguarding=rng.choice(RISKS),
        child_views="" if child_gathered == ViewsGathered.DECLINED else rng.choice(CHILD_VIEWS),
        child_views_gathered=child_gathered,
        family_views="" if family_gathered == ViewsGathered.DECLINED else rng.choice(FAMILY_VIEWS),
        family_views_gathered=family_gathered,
        off_site_direction=off_site,
        family_told_on=made if off_site else None,
        family_consented_on=None if off_site else made,
        created_by=w.authors.get(referrer.pk, w.officer),
        sent_by=w.authors.get(referrer.pk, w.officer) if sent else None,
        sent_at=w.at(sent, rng.randint(8, 17)) if sent else None,
    )
    referral.demo_created_at = w.at(made, 9)
    w.referrals.append(referral)
    return referral


def _fast_track(w: _Work, referral: Referral, day: date) -> None:
    referral.fast_tracked_at = w.at(day, 10)
    referral.fast_tracked_by = w.officer
    referral.fast_track_reason = w.rng.choice(
        [
            "Out of education since the exclusion and at risk of exploitation",
            "Self-harm disclosed at school this week; CAMHS asks for the hot clinic",
            "Placement at home breaking down; the child has not attended for three weeks",
        ]
    )


def _on_agenda(w: _Work, referral: Referral, panel: _Panel, sent: date) -> None:
    item = AgendaItem(panel=panel.row, referral=referral, added_by=w.officer)
    item.demo_added_at = w.at(min(panel.row.meets_on - timedelta(days=1), sent + timedelta(days=2)), 11)
    w.agenda.append(item)


def _decide(w: _Work, referral: Referral, panel: _Panel, outcome: str, provider=None) -> Decision:
    referral.status = ReferralStatus.DECIDED
    decision = Decision(
        public_id=w.uuid(),
        referral=referral,
        panel=panel.row,
        outcome=outcome,
        provider=provider,
        rationale=RATIONALE[outcome].format(provider=provider.name if provider else ""),
        sectors_missing=panel.missing,
        decided_by=w.officer,
    )
    decision.demo_decided_at = w.at(panel.row.meets_on, 15)
    w.decisions.append(decision)
    return decision


def _sent_before(w: _Work, panel: _Panel, fast: bool) -> date:
    return panel.row.meets_on - timedelta(days=w.rng.randint(2, 6) if fast else w.rng.randint(10, 40))


def _from_placements(w: _Work, plans: dict, placements: list[Placement]) -> set[int]:
    """A referral and a decision naming the provider before each placement that came through a panel.

    A placement that follows a decision starts only with its personalised plan: only placements with a plan
    came through a panel, and the plan names the decision, agreed no earlier than the panel met.
    """
    b = w.b
    referred = set()
    for placement in placements:
        share = THROUGH_A_PANEL.get(arranged_by(placement.commissioner_type), THROUGH_A_PANEL_OTHERWISE)
        if w.rng.random() >= share:
            continue
        personalised = w.planned.get(id(placement))
        if personalised is None:
            continue
        plan = plans[id(placement.child)]
        category = REASON_CATEGORY[placement.reason]
        if category == "pex":
            reason = "permanent_exclusion" if plan.excluded else "at_risk_of_exclusion"
        else:
            reason = pick(w.rng, REASONS_OF_CATEGORY[category])
        kind = KIND_OF_REASON[reason]
        last = min(placement.start_date - timedelta(days=2), b.today - timedelta(days=1))
        panel = _panel_between(w, kind, placement.start_date - timedelta(days=35), last)
        if panel is None:
            continue
        fast = w.rng.random() < FAST_TRACKED_SHARE
        sent = _sent_before(w, panel, fast)
        referral = _referral(w, plan, category=category, sent=sent, status=ReferralStatus.SENT, reason=reason)
        if fast:
            _fast_track(w, referral, sent + timedelta(days=1))
        _on_agenda(w, referral, panel, sent)
        outcome = "outreach" if placement.provision_type == OUTREACH else "ap_placement"
        personalised.decision = _decide(w, referral, panel, outcome, placement.provider)
        if personalised.agreed_on < panel.row.meets_on:
            personalised.agreed_on = personalised.family_told_on = panel.row.meets_on
        w.linked.append(personalised)
        referred.add(id(placement.child))
    return referred


def _other_outcomes(w: _Work, plans: list[ChildPlan]) -> None:
    """Referrals that a panel sent elsewhere: an assessment, a managed move, no action."""
    b = w.b
    for plan in w.rng.sample(plans, k=round(len(plans) * OTHER_OUTCOMES_A_YEAR * 2)):
        category = "mental" if plan.medical else w.rng.choice(["behaviour", "behaviour", "mental"])
        reason = pick(w.rng, REASONS_OF_CATEGORY[category])
        day = b.today - timedelta(days=w.rng.randint(30, 700))
        panel = _panel_between(w, KIND_OF_REASON[reason], day - timedelta(days=14), day)
        if panel is None:
            continue
        outcome = pick(w.rng, OTHER_OUTCOMES)
        if reason == "safeguarding" or (category == "mental" and w.rng.random() < 0.3):
            outcome = "fast_track_assessment"
        if outcome == "managed_move" and plan.child.home_school is None:
            outcome = "specialist_assessment"
        fast = outcome == "fast_track_assessment" and w.rng.random() < 0.3
        sent = _sent_before(w, panel, fast)
        referral = _referral(w, plan, category=category, sent=sent, status=ReferralStatus.SENT, reason=reason)
        if fast:
            _fast_track(w, referral, sent + timedelta(days=1))
        _on_agenda(w, referral, panel, sent)
        _decide(w, referral, panel, outcome)


def _today(w: _Work, plans: list[ChildPlan], placements: list[Placement]) -> None:
    """The queue today, a few decisions too recent for their placement to have started, drafts and withdrawals."""
    b, rng = w.b, w.rng
    placed_now = {id(p.child) for p in placements if p.end_date is None or p.end_date >= b.today}
    free = [p for p in plans if id(p.child) not in placed_now]
    rng.shuffle(free)
    waiting = max(3, round(len(plans) * WAITING_SHARE))
    fast_tracked = max(2, waiting // 12)
    directory = [i for i in b.providers if i.spec.provision != OUTREACH]
    waiting_plans = free[:waiting]
    involved = _caseload_referrals(w, plans, free, waiting_plans, at=fast_tracked)
    for number, plan in enumerate(waiting_plans):
        category = "mental" if plan.medical else rng.choice(["behaviour", "behaviour", "mental", "pex"])
        reason = ""
        if category == "pex":
            reason = "permanent_exclusion" if plan.excluded else "at_risk_of_exclusion"
        referrer = involved.get(id(plan))
        if referrer is b.social_care:
            category, reason = "behaviour", "safeguarding"
        elif referrer is b.health:
            category, reason = "mental", ""
        sent = b.today - timedelta(days=1 + int(rng.random() ** 1.5 * 70))
        referral = _referral(
            w, plan, category=category, sent=sent, status=ReferralStatus.SENT, reason=reason, referrer=referrer
        )
        kind = KIND_OF_REASON[referral.reason]
        if number < fast_tracked:
            _fast_track(w, referral, min(b.today, sent + timedelta(days=1)))
            kind = HOT_CLINIC
        roll = rng.random()
        if roll < 0.4:  # on the agenda of the next panel of its kind
            panel = _next_panel(w, kind, b.today - timedelta(days=1))
            if panel:
                _on_agenda(w, referral, panel, sent)
        elif roll < 0.5:  # discussed, and deferred for more information
            panel = _panel_between(w, kind, sent + timedelta(days=1), b.today - timedelta(days=1))
            if panel:
                _on_agenda(w, referral, panel, sent)
    # Decided lately: the placement, with its plan, is still to start. The first names a setting in the
    # area with places free today, so the LA can start it in the demo.
    for number, plan in enumerate(free[waiting : waiting + max(2, len(plans) // 100)]):
        category = "mental" if plan.medical else "behaviour"
        yesterday = b.today - timedelta(days=1)
        panel = _panel_between(w, INCLUSION, b.today - timedelta(days=14), yesterday) or _panel_between(
            w, INCLUSION, b.today - timedelta(days=LATELY_DAYS), yesterday
        )
        if panel is None:
            continue
        sent = _sent_before(w, panel, False)
        referral = _referral(w, plan, category=category, sent=sent, status=ReferralStatus.SENT)
        _on_agenda(w, referral, panel, sent)
        chosen = _with_places(w, plan, placements) if number == 0 else rng.choice(directory)
        _decide(w, referral, panel, "ap_placement", chosen.provider)
    school_lead_school = Membership.objects.filter(user=b.users["school-lead"]).values_list("organisation", flat=True)
    # A referrer has one open referral of a child at a time: drafts go to children with none open.
    open_already = {id(r.child) for r in w.referrals if r.status in (ReferralStatus.DRAFT, ReferralStatus.SENT)}
    unreferred = [p for p in free if id(p.child) not in open_already]
    own = [p for p in unreferred if p.child.home_school_id in set(school_lead_school)]
    for plan in (own or unreferred)[:2]:
        referral = _referral(w, plan, category="behaviour", sent=None, status=ReferralStatus.DRAFT)
        referral.referrer = plan.child.home_school or b.la
        referral.created_by = w.authors.get(referral.referrer.pk, w.officer)
    for plan in rng.sample(plans, k=max(1, len(plans) // 150)):
        sent = b.today - timedelta(days=rng.randint(20, 300))
        withdrawn = _referral(w, plan, category="mental", sent=sent, status=ReferralStatus.WITHDRAWN)
        withdrawn.withdrawn_by = withdrawn.created_by
        withdrawn.withdrawn_at = w.at(min(b.today, sent + timedelta(days=rng.randint(3, 15))), 15)
        withdrawn.withdrawal_reason = rng.choice(WITHDRAWAL_REASONS)


def _caseload_referrals(w: _Work, plans: list[ChildPlan], free: list[ChildPlan], waiting: list[ChildPlan], at: int):
    """Make sure a child on the demo health practitioner's caseload, and one on the social worker's, awaits a
    panel, referred by health or by social care: each account has a referral in its list.

    A child not in AP is taken from further down `free` (swapped into `waiting`), else one in AP. Returns
    the referrer of each child chosen, by id() of the child's plan.
    """
    b = w.b
    referrers = {}
    for k, (username, organisation) in enumerate((("health-practitioner", b.health), ("social-worker", b.social_care))):
        caseload = set(
            Involvement.objects.filter(user=b.users[username], ended_on=None).values_list("child_id", flat=True)
        )
        mine = [p for p in waiting if p.child.pk in caseload]
        if not mine:
            taken = {id(p) for p in waiting}
            later = [p for p in free if p.child.pk in caseload and id(p) not in taken]
            placed = [p for p in plans if p.child.pk in caseload and id(p) not in taken]
            chosen = (later or placed or [None])[0]
            if chosen is None:
                continue
            place = at + k if at + k < len(waiting) else len(waiting) - 1 - k
            if later:
                i = free.index(chosen)
                free[i], free[place] = free[place], free[i]
            waiting[place] = chosen
            mine = [chosen]
        referrers[id(mine[0])] = organisation
    return referrers


def _with_places(w: _Work, plan: ChildPlan, placements: list[Placement]):
    """The setting in the area, not outreach, for the child's age, with the most places free today."""
    b = w.b
    open_now = defaultdict(int)
    for p in placements:
        if p.start_date <= b.today and (p.end_date is None or p.end_date >= b.today):
            open_now[p.provider.pk] += 1
    age = age_on(plan.child.date_of_birth, b.today)
    in_area = [i for i in b.providers if i.spec.provision != OUTREACH and i.provider.location_la == b.area.la_code]
    fits = [i for i in in_area if i.spec.ages[0] <= age <= i.spec.ages[1]] or in_area
    return max(fits, key=lambda i: (i.provider.capacity - open_now[i.provider.pk], i.provider.name))


def panels_build(
    b: Borough,
    plans: list[ChildPlan],
    placements: list[Placement],
    personalised_plans: list[PersonalisedPlan] = (),
) -> dict:
    """The area's kinds of panel, its panels with who attended, referrals, agendas and decisions.

    The personalised plans (built, not yet inserted) of placements that followed a decision are linked to it.
    """
    w = _Work(b)
    w.planned = {id(p.placement): p for p in personalised_plans}
    for username in ("la-officer", "school-lead", "health-practitioner", "social-worker", "virtual-school-head"):
        for organisation_id in Membership.objects.filter(user=b.users[username]).values_list("organisation", flat=True):
            w.authors[organisation_id] = b.users[username]
    _panels_build(w)
    by_child = {id(p.child): p for p in plans}
    _from_placements(w, by_child, sorted(placements, key=lambda p: (p.start_date, p.public_id)))
    _other_outcomes(w, plans)
    _today(w, plans, placements)

    Referral.objects.bulk_create(w.referrals, batch_size=500)
    AgendaItem.objects.bulk_create(w.agenda, batch_size=500)
    Decision.objects.bulk_create(w.decisions, batch_size=500)
    # auto_now_add set these to now on insert: they happened when the story says.
    for referral in w.referrals:
        referral.created_at = referral.demo_created_at
    Referral.objects.bulk_update(w.referrals, ["created_at"], batch_size=500)
    for item in w.agenda:
        item.added_at = item.demo_added_at
    AgendaItem.objects.bulk_update(w.agenda, ["added_at"], batch_size=500)
    for decision in w.decisions:
        decision.decided_at = decision.demo_decided_at
    Decision.objects.bulk_update(w.decisions, ["decided_at"], batch_size=500)

    statuses = defaultdict(int)
    for referral in w.referrals:
        statuses[referral.status] += 1
    return {
        "panels": sum(len(p) for p in w.panels.values()),
        "referrals": len(w.referrals),
        "referrals_awaiting": statuses[ReferralStatus.SENT],
        "referrals_fast_tracked": sum(r.is_fast_tracked for r in w.referrals),
        "decisions": len(w.decisions),
        "decisions_without_health_or_social_care": sum(bool(d.sectors_missing) for d in w.decisions),
        "plans_following_decisions": len(w.linked),
        # Every decision naming a provider, but those made lately, was followed by a placement with its plan.
        "decisions_awaiting_placement": sum(d.provider is not None for d in w.decisions) - len(w.linked),
    }


def referral_figures_fill() -> int:
    """Keep with each sent referral what the record held when it was sent, as the service does; returns how many.

    Run once the registers are written. In bulk: the referred children's marks are read once, not per referral,
    and each referral counts those of its school year up to the day it was sent.
    """
    referrals = list(Referral.objects.filter(sent_at__isnull=False).only("pk", "child_id", "sent_at"))
    if not referrals:
        return 0
    sent_on = {r.pk: timezone.localdate(r.sent_at) for r in referrals}
    first = school_year_start(min(sent_on.values()))
    referred = Referral.objects.filter(sent_at__isnull=False).values("child_id")
    setting_marks, school_marks, exclusions = defaultdict(list), defaultdict(list), defaultdict(list)
    names = dict(Placement.objects.values_list("provider_id", "provider__organisation__name").distinct())
    for child_id, day, session, code, provider_id in AttendanceMark.objects.filter(
        child_id__in=referred, date__gte=first
    ).values_list("child_id", "date", "session", "code", "provider_id"):
        setting_marks[child_id].append((day, session, code, names[provider_id]))
    for child_id, day, session, code, school in HomeSchoolMark.objects.filter(
        child_id__in=referred, date__gte=first
    ).values_list("child_id", "date", "session", "code", "school__name"):
        school_marks[child_id].append((day, session, code, f"{school} (its own register)"))
    for exclusion in Exclusion.objects.filter(child_id__in=referred).select_related("school"):
        exclusions[exclusion.child_id].append(exclusion)
    for marks in (*setting_marks.values(), *school_marks.values()):
        marks.sort(key=lambda m: m[0])

    def within(marks: list, start: date, end: date) -> list:
        return marks[
            bisect.bisect_left(marks, start, key=lambda m: m[0]) : bisect.bisect_right(marks, end, key=lambda m: m[0])
        ]

    for referral in referrals:
        day, child = sent_on[referral.pk], referral.child_id
        start = school_year_start(day)
        referral.record_when_sent = record_figures(
            today=day,
            setting_marks=within(setting_marks[child], start, day),
            school_marks=within(school_marks[child], start, day),
            exclusions=[
                exclusion_counted(e) for e in exclusions[child] if day - EXCLUSIONS_LOOK_BACK <= e.start_date <= day
            ],
        )
    Referral.objects.bulk_update(referrals, ["record_when_sent"], batch_size=500)
    return len(referrals)
