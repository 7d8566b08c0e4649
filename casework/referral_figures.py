"""What the record says of a child's attendance and exclusions when they are referred: counted, never typed.

A child may have been at one or more AP settings this school year, and their home school may keep its
own register for them too. Each session is counted once: an AP setting's mark first (it is where the
child was, and the home school's B or K for the same session only says so), else the home school's
own mark. Which codes are possible sessions and which count as attendance is DfE's, read from
attendance.rules.
Suspensions and permanent exclusions are those of the last 12 months, from any school.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from attendance.rules import absence_band, attendance_percentage, code_groups

# How far back suspensions and permanent exclusions are counted.
EXCLUSIONS_LOOK_BACK = timedelta(days=365)


def school_year_start(day: date) -> date:
    """1 September of the school year `day` falls in."""
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def _figures(possible: int, attended: int) -> dict:
    percentage = attendance_percentage(attended, possible)
    return {
        "possible": possible,
        "attended": attended,
        "percentage": None if percentage is None else str(percentage),
        "band": absence_band(attended, possible),
    }


def attendance_so_far(
    *, setting_marks: Iterable[tuple[date, int, str, str]], school_marks: Iterable[tuple[date, int, str, str]]
) -> dict:
    """Sessions attended of those possible: overall, and by where each session was counted.

    Each mark is (day, session, code, where): `setting_marks` from AP settings, `school_marks` from the
    home school's own register. Two settings marking one session count once, as attended if either says so.
    """
    groups = code_groups()

    def rank(code: str) -> int:
        return 2 if code in groups.attended else 1 if code in groups.possible else 0

    def each_session(marks) -> dict[tuple[date, int], tuple[str, str]]:
        kept: dict[tuple[date, int], tuple[str, str]] = {}
        for day, session, code, where in marks:
            held = kept.get((day, session))
            if held is None or (rank(code), code, where) > (rank(held[0]), held[0], held[1]):
                kept[(day, session)] = (code, where)
        return kept

    counted = each_session(school_marks) | each_session(setting_marks)
    by_source: dict[str, list[int]] = {}
    for code, source in counted.values():
        if code in groups.possible:
            tally = by_source.setdefault(source, [0, 0])
            tally[0] += 1
            tally[1] += code in groups.attended
    possible = sum(t[0] for t in by_source.values())
    attended = sum(t[1] for t in by_source.values())
    return {
        **_figures(possible, attended),
        "by_setting": [{"setting": source, **_figures(*tally)} for source, tally in sorted(by_source.items())],
    }


def exclusions_so_far(exclusions: Iterable[dict]) -> dict:
    """Suspensions (how many, how long) and permanent exclusions among the exclusions given.

    Each exclusion: `start_date`, `permanent`, `lunchtimes` (counted in lunchtimes), `sessions`,
    `school`, `reason`. A school day is two sessions.
    """
    suspensions, sessions, lunchtimes, permanent = 0, 0, 0, []
    for exclusion in sorted(exclusions, key=lambda e: e["start_date"]):
        if exclusion["permanent"]:
            permanent.append(
                {
                    "on": exclusion["start_date"].isoformat(),
                    "school": exclusion["school"],
                    "reason": exclusion["reason"],
                }
            )
            continue
        suspensions += 1
        if exclusion["lunchtimes"]:
            lunchtimes += exclusion["sessions"] or 0
        else:
            sessions += exclusion["sessions"] or 0
    return {
        "suspensions": suspensions,
        # Sessions are half days: 5 sessions are 2.5 days.
        "suspension_days": str(sessions // 2) if sessions % 2 == 0 else f"{sessions / 2:.1f}",
        "suspension_lunchtimes": lunchtimes,
        "permanent_exclusions": permanent,
    }


def record_figures(
    *,
    today: date,
    setting_marks: Iterable[tuple[date, int, str, str]],
    school_marks: Iterable[tuple[date, int, str, str]],
    exclusions: Iterable[dict],
) -> dict:
    """The figures a referral keeps when it is sent, as of `today`, from marks and exclusions already chosen.

    The marks are those of this school year up to `today` (see `attendance_so_far`), the exclusions those
    of the last 12 months (see `exclusions_so_far`). Dates are stored as ISO strings.
    """
    return {
        "as_of": today.isoformat(),
        "attendance_from": school_year_start(today).isoformat(),
        "exclusions_from": (today - EXCLUSIONS_LOOK_BACK).isoformat(),
        "attendance": attendance_so_far(setting_marks=setting_marks, school_marks=school_marks),
        **exclusions_so_far(exclusions),
    }


def figures_shown(figures: dict) -> dict:
    """The stored figures with their days as dates again, for a page to write them in words."""
    if not figures:
        return {}
    shown = dict(figures)
    for name in ("as_of", "attendance_from", "exclusions_from"):
        if shown.get(name):
            shown[name] = date.fromisoformat(shown[name])
    shown["permanent_exclusions"] = [
        {**pex, "on": date.fromisoformat(pex["on"])} for pex in shown.get("permanent_exclusions", [])
    ]
    return shown


def review_figures(
    *,
    since: date,
    until: date,
    setting_marks: Iterable[tuple[date, int, str, str]],
    school_marks: Iterable[tuple[date, int, str, str]],
    exclusions: Iterable[dict],
) -> dict:
    """The figures a review keeps: attendance, suspensions and exclusions from the last review (or the
    placement's start) to this one, from marks and exclusions of that period already chosen."""
    return {
        "from": since.isoformat(),
        "as_of": until.isoformat(),
        "attendance": attendance_so_far(setting_marks=setting_marks, school_marks=school_marks),
        **exclusions_so_far(exclusions),
    }
