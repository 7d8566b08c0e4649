"""The referral's figures from the record: each session counted once, suspensions in days (property tests)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from attendance.rules import code_groups
from casework.referral_figures import attendance_so_far, exclusions_so_far, figures_shown, school_year_start

CODES = sorted(code_groups().possible | {"D", "X", "Z"})
SETTINGS = ["Northgate PRU", "Southside AP"]
SCHOOL = "Priestley High School (its own register)"
START = date(2026, 9, 1)

sessions = st.tuples(st.integers(0, 40).map(lambda n: START + timedelta(days=n)), st.sampled_from([1, 2]))
setting_marks = st.lists(st.tuples(sessions, st.sampled_from(CODES), st.sampled_from(SETTINGS)), max_size=60)
school_marks = st.lists(st.tuples(sessions, st.sampled_from(CODES)), max_size=60)


def _flat(setting, school):
    return (
        [(day, session, code, where) for (day, session), code, where in setting],
        [(day, session, code, SCHOOL) for (day, session), code in school],
    )


@given(setting_marks, school_marks)
def test_each_session_counts_once_and_the_lines_add_up(setting, school):
    ap, home = _flat(setting, school)
    figures = attendance_so_far(setting_marks=ap, school_marks=home)
    distinct = {(day, session) for day, session, _code, _where in ap + home}
    assert figures["attended"] <= figures["possible"] <= len(distinct)
    assert sum(line["possible"] for line in figures["by_setting"]) == figures["possible"]
    assert sum(line["attended"] for line in figures["by_setting"]) == figures["attended"]
    assert all(line["possible"] for line in figures["by_setting"])


@given(setting_marks, school_marks)
def test_the_school_register_only_fills_sessions_no_setting_marked(setting, school):
    ap, home = _flat(setting, school)
    marked = {(day, session) for day, session, _code, _where in ap}
    alone = attendance_so_far(setting_marks=ap, school_marks=[m for m in home if (m[0], m[1]) not in marked])
    assert attendance_so_far(setting_marks=ap, school_marks=home) == alone


@given(setting_marks, school_marks)
def test_the_order_marks_come_in_changes_nothing(setting, school):
    ap, home = _flat(setting, school)
    once = attendance_so_far(setting_marks=ap, school_marks=home)
    assert attendance_so_far(setting_marks=list(reversed(ap)), school_marks=list(reversed(home))) == once


def test_a_session_two_settings_marked_is_attended_if_either_says_so():
    day = START
    figures = attendance_so_far(
        setting_marks=[(day, 1, "O", "Northgate PRU"), (day, 1, "/", "Southside AP")], school_marks=[]
    )
    assert (figures["attended"], figures["possible"]) == (1, 1)
    assert figures["percentage"] == "100.0"


def test_no_marks_is_no_percentage_not_zero():
    figures = attendance_so_far(setting_marks=[], school_marks=[])
    assert (figures["possible"], figures["percentage"], figures["by_setting"]) == (0, None, [])


@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(1, 90)), max_size=12))
def test_suspensions_are_counted_in_days_and_lunchtimes_apart(rows):
    exclusions = [
        {
            "start_date": START + timedelta(days=n),
            "permanent": permanent,
            "lunchtimes": lunchtimes and not permanent,
            "sessions": None if permanent else sessions,
            "school": "Priestley",
            "reason": "Persistent disruptive behaviour",
        }
        for n, (permanent, lunchtimes, sessions) in enumerate(rows)
    ]
    figures = exclusions_so_far(exclusions)
    suspensions = [e for e in exclusions if not e["permanent"]]
    assert figures["suspensions"] == len(suspensions)
    assert float(figures["suspension_days"]) * 2 == sum(e["sessions"] for e in suspensions if not e["lunchtimes"])
    assert figures["suspension_lunchtimes"] == sum(e["sessions"] for e in suspensions if e["lunchtimes"])
    assert len(figures["permanent_exclusions"]) == len(exclusions) - len(suspensions)
    assert figures_shown({"permanent_exclusions": figures["permanent_exclusions"]})["permanent_exclusions"] == [
        {**pex, "on": date.fromisoformat(pex["on"])} for pex in figures["permanent_exclusions"]
    ]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_the_school_year_starts_on_the_last_1_september(day):
    start = school_year_start(day)
    assert (start.month, start.day) == (9, 1)
    assert start <= day < date(start.year + 1, 9, 1)
