"""The periods attendance is looked at over: this week, this half term, this academic year or chosen dates."""

from dataclasses import dataclass
from datetime import date, timedelta

from core.dates import DateProblem, parse_query_date
from core.models import Area
from terms.calendar import academic_year_of, half_term_start

PERIODS = {
    "week": "This week",
    "half_term": "This half term",
    "year": "This academic year",
    "custom": "Chosen dates",
}


@dataclass(frozen=True)
class Period:
    key: str
    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{PERIODS[self.key]}: {self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


def period_from(params, *, area: Area, today: date) -> tuple[Period, list[str]]:
    """The period asked for in a query string, and any problem with the dates given."""
    key = params.get("period", "half_term")
    if key == "custom":
        try:
            start, end = parse_query_date(params.get("start", "")), parse_query_date(params.get("end", ""))
        except DateProblem as problem:
            return _default(area, today), [str(problem)]
        if end < start:
            return _default(area, today), ["The end of the period must be on or after its start."]
        return Period("custom", start, min(end, today)), []
    if key == "week":
        return Period(key, today - timedelta(days=today.weekday()), today), []
    if key == "year":
        return Period(key, date(academic_year_of(today), 9, 1), today), []
    return _default(area, today), []


def _default(area: Area, today: date) -> Period:
    return Period("half_term", half_term_start(area=area, day=today), today)
