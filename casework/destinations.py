"""Destinations after AP: when a young person who left in Year 11 or later is checked on, and whether what they
went on to was sustained. Pure: no database, so that it can be tested for any leaving date.

The definitions (sources in docs/decisions.md, "Destination checks", and research/ap-rulebook.md §7):

- **Who is checked**: a young person whose last AP placement ended while they were in national curriculum Year 11
  or later. Younger children who return to school are followed through their reintegration attempts instead.
- **September Guarantee** (DfE, *Participation of young people in education, employment or training*, statutory
  guidance for local authorities, and the NCCIS management information requirement): every young person finishing
  Year 11, and those finishing Year 12, is offered a suitable place in post-16 education or training by the end of
  September. Checked in the September after the academic year in which they left: whether a place was offered.
- **October and March activity checks**: DfE's destination measures count a destination as **sustained** when the
  young person is in education or training for all of the first two terms of the year after they left, October to
  March, or employed for five of those six months (DfE, *Key stage 4 and 16 to 18 destination measures*,
  methodology). So their activity is checked in October and in March of the academic year after they left, and the
  March check counts the months from October to March in each.
- **12 and 24 months after leaving**: the longer-term checks; the area follows leavers for two years (the practice
  the inspectorate praised; DfE publishes longer-term destinations at 1, 3 and 5 years).

Each check has a window: it may be recorded from the day the window opens, and is overdue after its due date.
The September, October and March checks are due by the last day of their month, which opens the window; a check
12 or 24 months after leaving is due on that anniversary, its window the month before it.

Activities are NCCIS activity codes (core/reference/post16_activity.csv): its `group` column says which are NEET
(DfE counts "not available to the labour market" within NEET, and so does this), its `destination_measure`
column which count as education or training and which as employment.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import models

from casework.models import MONTHS_OCTOBER_TO_MARCH, DestinationCheckKind
from core.codes import code_set
from placements.selectors import academic_year_of

# A young person in one of these year groups when they left is owed the September Guarantee.
SEPTEMBER_GUARANTEE_YEARS = (11, 12)
FIRST_YEAR_CHECKED = 11
# Employed for at least this many of the six months from October to March: a sustained destination.
MONTHS_EMPLOYED_SUSTAINED = 5
# NCCIS groups DfE counts as not in education, employment or training.
NEET_GROUPS = {"NEET": "NEET", "not_available_to_labour_market": "NEET, not available to the labour market"}
EDUCATION_OR_TRAINING = "education_or_training"
EMPLOYMENT = "employment"


@dataclass(frozen=True)
class DueCheck:
    """One check of a leaving: which, the day its window opens and the day it is due by."""

    kind: str
    opens: date
    due: date

    @property
    def label(self) -> str:
        return DestinationCheckKind(self.kind).label

    def is_open(self, today: date) -> bool:
        return today >= self.opens

    def is_overdue(self, today: date) -> bool:
        return today > self.due

    def days_overdue(self, today: date) -> int:
        return (today - self.due).days if self.is_overdue(today) else 0


def destination_schedule(*, left_on: date, year_group: int) -> list[DueCheck]:
    """The checks owed to a young person who left AP on `left_on` in national curriculum `year_group`, by due date.

    None before Year 11. The September Guarantee only for Year 11 and Year 12 leavers.
    """
    if year_group < FIRST_YEAR_CHECKED:
        return []
    after = academic_year_of(left_on) + 1  # the academic year after the one in which they left
    checks = []
    if year_group in SEPTEMBER_GUARANTEE_YEARS:
        checks.append(_month(DestinationCheckKind.SEPTEMBER_GUARANTEE, after, 9))
    checks.append(_month(DestinationCheckKind.OCTOBER, after, 10))
    checks.append(_month(DestinationCheckKind.MARCH, after + 1, 3))
    for months, kind in ((12, DestinationCheckKind.TWELVE_MONTHS), (24, DestinationCheckKind.TWENTY_FOUR_MONTHS)):
        due = left_on + relativedelta(months=months)
        checks.append(DueCheck(kind.value, due - relativedelta(months=1) + timedelta(days=1), due))
    order = list(DestinationCheckKind.values)
    return sorted(checks, key=lambda c: (c.due, order.index(c.kind)))


def _month(kind: DestinationCheckKind, year: int, month: int) -> DueCheck:
    first = date(year, month, 1)
    return DueCheck(kind.value, first, first + relativedelta(months=1) - timedelta(days=1))


# A leaving stays on the list of checks due for a quarter past the 24-month check's due date, so that a check
# never made shows as overdue for a while; then the young person's two years are over.
TRACKED_FOR = relativedelta(months=27)


def tracked_until(*, left_on: date) -> date:
    """The last day a leaving stays on the list of checks due."""
    return left_on + TRACKED_FOR


# What an NCCIS activity code means for the checks.


def neet_label(code: str | None) -> str:
    """ "NEET" (or "NEET, not available to the labour market") for a NEET activity; "" for any other."""
    found = code_set("post16_activity").get(code or "")
    return NEET_GROUPS.get(found.row["group"], "") if found else ""


def is_neet(code: str | None) -> bool:
    return bool(neet_label(code))


def neet_codes() -> list[str]:
    """The NCCIS activity codes DfE counts as not in education, employment or training."""
    return [c.code for c in code_set("post16_activity").values() if c.row["group"] in NEET_GROUPS]


def destination_measure(code: str | None) -> str:
    """ "education_or_training", "employment", or "" (NEET, not available, re-engagement, custody, not known)."""
    found = code_set("post16_activity").get(code or "")
    return found.row["destination_measure"] if found else ""


class Sustained(models.TextChoices):
    EDUCATION_OR_TRAINING = "education_or_training", "Sustained: in education or training from October to March"
    EMPLOYMENT = "employment", "Sustained: employed for at least five months from October to March"
    NOT_SUSTAINED = "not_sustained", "Not sustained"
    NOT_YET_KNOWN = "not_yet_known", "Not yet known: the March check is not recorded"


def sustained_destination(
    *,
    october: str | None,
    march: str | None,
    months_in_education_or_training: int | None,
    months_employed: int | None,
) -> Sustained:
    """Whether the destination was sustained the DfE way, from the October and March checks.

    `october` and `march` are the activity codes recorded at those checks (None: not recorded); the months are
    those the March check counts from October to March. Sustained in education or training: all six months, with
    both checks saying so (a missing October check does not undo the months the March check counts). Sustained
    in employment: five of the six months, whatever the two days of the checks found. Without a March check,
    not yet known.
    """
    if march is None:
        return Sustained.NOT_YET_KNOWN
    in_learning = destination_measure(march) == EDUCATION_OR_TRAINING and (
        october is None or destination_measure(october) == EDUCATION_OR_TRAINING
    )
    if in_learning and (months_in_education_or_training or 0) >= MONTHS_OCTOBER_TO_MARCH:
        return Sustained.EDUCATION_OR_TRAINING
    if (months_employed or 0) >= MONTHS_EMPLOYED_SUSTAINED:
        return Sustained.EMPLOYMENT
    return Sustained.NOT_SUSTAINED
