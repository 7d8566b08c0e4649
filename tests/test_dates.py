import contextlib
import datetime
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.dates import DateProblem, parse_date

dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31))


def excel_serial(day: datetime.date) -> int:
    return (day - datetime.date(1899, 12, 30)).days


@given(dates)
def test_every_accepted_format_reads_back_the_same_date(day):
    renderings = [
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day:02d}-{day.month:02d}-{day.year}",
        f"{day.day}.{day.month}.{day.year}",
        day.isoformat(),
        f"{day.isoformat()}T00:00:00",
        f"{day.isoformat()} 09:30:00",
        str(excel_serial(day)),
        f"{excel_serial(day)}.0",
        f" {day.day:02d}/{day.month:02d}/{day.year} ",
        day.strftime("%d %b %Y"),
    ]
    for text in renderings:
        assert parse_date(text) == day, text


@given(dates.filter(lambda d: d.day > 12))
def test_month_first_dates_are_reported_as_month_day_year(day):
    text = f"{day.month:02d}/{day.day:02d}/{day.year}"
    with pytest.raises(DateProblem, match="looks like month/day/year") as problem:
        parse_date(text)
    assert f"for example {day.day:02d}/{day.month:02d}/{day.year}" in str(problem.value)


@given(st.text(max_size=40))
def test_any_text_gives_a_date_or_a_date_problem(text):
    try:
        result = parse_date(text)
    except DateProblem:
        return
    assert isinstance(result, datetime.date)


@given(st.from_regex(r"\A[0-9 ./:T-]{0,25}\Z"))
def test_date_like_text_gives_a_date_or_a_date_problem(text):
    with contextlib.suppress(DateProblem):
        parse_date(text)


def test_a_date_valid_both_ways_is_read_day_first():
    assert parse_date("03/04/2026") == datetime.date(2026, 4, 3)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "02/13/2026",
            "'02/13/2026' looks like month/day/year. Write dates as day/month/year, for example 13/02/2026.",
        ),
        ("31/02/2026", "'31/02/2026' is not a real date."),
        ("2026-02-30", "'2026-02-30' is not a real date."),
        ("13/02/26", "'13/02/26' has a two-digit year"),
        ("13 Feb 26", "does not give the year in full"),
        ("tomorrow", "'tomorrow' is not a date we can read"),
        ("13 Foo 2026", "'13 Foo 2026' is not a date we can read"),
        ("", "The date is missing"),
        ("5", "'5' is a number, not a date"),
        ("60", "'60' is a number, not a date"),
        ("1000000", "'1000000' is not a date we can read"),
        ("99999", "'99999' is a number, not a date"),
        ("١٣/٠٢/٢٠٢٦", "is not a date we can read"),
    ],
)
def test_problems_are_described_in_plain_words(text, message):
    with pytest.raises(DateProblem) as problem:
        parse_date(text)
    assert message in str(problem.value)


def test_excel_serials_follow_the_1900_date_system():
    assert parse_date("36526") == datetime.date(2000, 1, 1)
    assert parse_date("46066") == datetime.date(2026, 2, 13)
    assert parse_date("46066.4375") == datetime.date(2026, 2, 13)
    assert parse_date("73415") == datetime.date(2100, 12, 31)
    with pytest.raises(DateProblem):
        parse_date("36525")  # 31/12/1999
    with pytest.raises(DateProblem):
        parse_date("73416")  # 01/01/2101


def test_a_register_of_repeated_dates_parses_quickly():
    days = [datetime.date(2025, 9, 1) + datetime.timedelta(days=i) for i in range(200)]
    cells = [f"{days[i % 200]:%d/%m/%Y}" for i in range(100_000)]
    started = time.perf_counter()
    parsed = [parse_date(cell) for cell in cells]
    elapsed = time.perf_counter() - started
    assert parsed[201] == days[1]
    assert elapsed < 0.5, f"{elapsed:.3f} s for 100,000 cells"
