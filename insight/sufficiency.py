"""Sufficiency: the area's demand for AP set against the places its directory offers (issue 13, item 5).

Demand is the placements open today (each takes a place) and the referrals still waiting: for a panel, or for the
place a panel decided. Capacity is the directory's places and vacancies (places less the children placed today).
Both are broken down the same ways, so that each line reads across: by need, by phase, full or part time, in or
out of area; with the needs no provider in the area serves, and where the children placed out of area are.

Three reads, whatever the size of the area: the open placements, the waiting referrals and the providers, each
as narrow rows; the sums are made here.
"""

import csv
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db.models import Q

from casework.models import ReferralStatus
from casework.rules import outcome_leads_to_placement
from core.access import referrals_visible_to
from core.codes import code_set
from core.models import User
from placements.models import AttendancePattern
from placements.selectors import CURRENT, placements_in_period, year_group_on
from providers.models import Specialism
from providers.selectors import providers_for

NOT_STATED = "not_stated"
NEEDS = [*Specialism.choices, (NOT_STATED, "Need not stated")]

# Which need a code calls for (core/reference/ap_needs.csv), read in this order: the most specific first.
_NEED_SOURCES = ("referral_reason", "sen_primary_need", "ap_placement_reason")
with open(Path(__file__).resolve().parent.parent / "core" / "reference" / "ap_needs.csv", encoding="utf-8") as f:
    NEED_OF = {(row["code_set"], row["code"]): row["need"] for row in csv.DictReader(f)}

# National curriculum year groups, and the ages children reach during the phase: a provider serves the phase when
# its ages reach inside them (a provider of 11 to 16 year olds serves key stages 3 and 4, not primary or post-16).
PHASES = [
    ("primary", "Primary (Reception to Year 6)", range(0, 7), (4, 11)),
    ("ks3", "Key stage 3 (Years 7 to 9)", range(7, 10), (11, 14)),
    ("ks4", "Key stage 4 (Years 10 and 11)", range(10, 12), (14, 16)),
    ("post16", "Post-16 (Years 12 and 13)", range(12, 14), (16, 19)),
]
PATTERNS = list(AttendancePattern.choices)
PLACES = [("in_area", "In the area"), ("out_of_area", "Out of the area")]


def need_of(*, referral_reason: str | None, sen_primary_need: str | None, placement_reason: str | None) -> str:
    """The need a placement or referral calls for: the first of its codes that names one, else not stated."""
    for code_set_name, code in zip(_NEED_SOURCES, (referral_reason, sen_primary_need, placement_reason), strict=True):
        need = NEED_OF.get((code_set_name, code or ""))
        if need:
            return need
    return NOT_STATED


def phase_of(year_group: int) -> str | None:
    return next((key for key, _label, years, _ages in PHASES if year_group in years), None)


@dataclass
class Line:
    """One line of a breakdown: the demand and the capacity that serves it."""

    key: str
    label: str
    placed: int = 0
    placed_out_of_area: int = 0
    awaiting_panel: int = 0
    awaiting_place: int = 0
    # The directory's providers that serve the line: those in the area (on the out-of-area line, those outside it).
    providers: int = 0
    places: int = 0
    vacancies: int = 0
    places_elsewhere: int = 0  # at the directory's providers outside the area

    @property
    def waiting(self) -> int:
        return self.awaiting_panel + self.awaiting_place

    @property
    def demand(self) -> int:
        return self.placed + self.waiting

    @property
    def no_local_provider(self) -> bool:
        """Children need it, and no provider in the area serves it."""
        return self.key != NOT_STATED and self.demand > 0 and self.providers == 0


@dataclass
class Sufficiency:
    today: date
    by_need: list[Line]
    by_phase: list[Line]
    by_pattern: list[Line]
    by_place: list[Line]
    host_areas: list[tuple[str, int]]  # out-of-area placements by the area the provider is in, most first
    totals: Line = field(default_factory=lambda: Line("all", "All"))

    @property
    def without_local_provider(self) -> list[Line]:
        """The needs and phases children need that no provider in the area serves."""
        return [line for line in self.by_need + self.by_phase if line.no_local_provider]


def _lines(choices) -> dict[str, Line]:
    return {key: Line(key, str(label)) for key, label in choices}


class _Tally:
    """The lines of every breakdown, filled as the three reads are counted."""

    def __init__(self):
        self.need, self.phase = _lines(NEEDS), _lines((key, label) for key, label, _y, _a in PHASES)
        self.pattern, self.place = _lines(PATTERNS), _lines(PLACES)
        self.totals = Line("all", "All")
        self.hosts: Counter = Counter()

    def lines_for(self, need: str, born: date, today: date) -> list[Line]:
        """The lines a child counts in by need and by phase, and the totals."""
        phase = phase_of(year_group_on(born, today))
        return [self.need[need], self.totals] + ([self.phase[phase]] if phase else [])


def sufficiency_for(*, user: User, today: date) -> Sufficiency:
    """The area's demand against its capacity today, as this user's access lets them see it (the LA: the area)."""
    area = user.primary_organisation.area
    tally = _Tally()
    _count_placed(tally, user, today)
    _count_waiting(tally, user, area, today)
    for provider in providers_for(user=user).filter(organisation__area=area):
        _add_capacity(tally, provider, area.la_code)
    la_names = code_set("la")
    return Sufficiency(
        today=today,
        by_need=list(tally.need.values()),
        by_phase=list(tally.phase.values()),
        by_pattern=list(tally.pattern.values()),
        by_place=list(tally.place.values()),
        host_areas=[(la_names[c].label if c in la_names else c, n) for c, n in tally.hosts.most_common()],
        totals=tally.totals,
    )


def _count_placed(tally: _Tally, user: User, today: date) -> None:
    """Each placement open today takes a place: counted by its need, phase, pattern and area (one read)."""
    placed = placements_in_period(user=user, period=CURRENT, today=today).values_list(
        "personalised_plan__decision__referral__reason",
        "child__sen_primary_need",
        "reason",
        "child__date_of_birth",
        "attendance_pattern",
        "out_of_area",
        "provider__location_la",
    )
    for referral_reason, sen_need, reason, born, attendance, out_of_area, host in placed:
        need = need_of(referral_reason=referral_reason, sen_primary_need=sen_need, placement_reason=reason)
        where = tally.place["out_of_area" if out_of_area else "in_area"]
        for line in [*tally.lines_for(need, born, today), tally.pattern[attendance], where]:
            line.placed += 1
            line.placed_out_of_area += out_of_area
        if out_of_area:
            tally.hosts[host] += 1


def _count_waiting(tally: _Tally, user: User, area, today: date) -> None:
    """The referrals waiting for a panel, or for the place a panel decided: by need and phase only, since where
    and how many hours are not known yet (one read)."""
    placing = [code for code in code_set("panel_outcome") if outcome_leads_to_placement(code)]
    waiting = (
        referrals_visible_to(user=user, today=today)
        .filter(child__area=area)
        .filter(
            Q(status=ReferralStatus.SENT)
            | Q(status=ReferralStatus.DECIDED, decision__outcome__in=placing, decision__personalised_plan__isnull=True)
        )
        .values_list("status", "reason", "child__sen_primary_need", "child__date_of_birth")
    )
    for status, reason, sen_need, born in waiting:
        need = need_of(referral_reason=reason, sen_primary_need=sen_need, placement_reason=None)
        for line in tally.lines_for(need, born, today):
            if status == ReferralStatus.SENT:
                line.awaiting_panel += 1
            else:
                line.awaiting_place += 1


def _add_capacity(tally: _Tally, provider, la_code: str) -> None:
    """A provider's places, under every line it serves: a provider of two needs counts under both."""
    lines = [tally.need[s] for s in provider.specialisms if s in tally.need]
    lines += [
        tally.phase[key]
        for key, _label, _years, (youngest, oldest) in PHASES
        if provider.min_age < oldest and provider.max_age > youngest
    ]
    lines += [p for key, p in tally.pattern.items() if getattr(provider, f"offers_{key}")]
    local = provider.location_la == la_code
    elsewhere = tally.place["out_of_area"]
    lines += [tally.place["in_area"] if local else elsewhere, tally.totals]
    for line in lines:
        if local or line is elsewhere:
            line.providers += 1
            line.places += provider.capacity
            line.vacancies += provider.vacancies
        else:
            line.places_elsewhere += provider.capacity
