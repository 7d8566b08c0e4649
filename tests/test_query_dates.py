"""Dates typed into a page's address (?date=, ?start=, ?end=): a silly one gets a plain message, never a server error."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from core.dates import DateProblem, parse_query_date
from core.models import Membership
from tests.attendance_helpers import TODAY, make_setting
from tests.factories import member_of

SILLY = ["01/01/0001", "0001-01-01", "31/12/9999", "9999-12-31", "1/1/1000", "0", "1", "32/13/2026", "not a date"]


@pytest.fixture
def setting(area):
    with time_machine.travel(TODAY, tick=False):
        yield make_setting(area)


@pytest.mark.django_db
@pytest.mark.parametrize("text", SILLY)
def test_the_settings_register_falls_back_to_today_and_says_why(client, setting, text):
    client.force_login(setting.manager)
    response = client.get(reverse("attendance_register"), {"date": text})
    assert response.status_code == 200
    assert response.context["day"] == TODAY
    page = response.content.decode()
    assert "The register shows today instead" in page
    assert f"{TODAY:%A %-d %B %Y}" in page


@pytest.mark.django_db
@pytest.mark.parametrize("text", SILLY)
def test_the_home_schools_register_falls_back_to_today_and_says_why(client, setting, text):
    client.force_login(member_of(setting.school, Membership.Role.DESIGNATED_LEAD, username="lead"))
    response = client.get(reverse("home_school_register"), {"date": text})
    assert response.status_code == 200
    assert response.context["day"] == TODAY
    assert "The register shows today instead" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("text", SILLY)
def test_chosen_dates_on_the_overview_are_refused_with_a_message(client, setting, la_officer, text):
    client.force_login(la_officer)
    for start, end in ((text, "20/11/2026"), ("1/9/2026", text)):
        response = client.get(reverse("attendance_home"), {"period": "custom", "start": start, "end": end})
        assert response.status_code == 200
        assert response.context["period"].key == "half_term"
        assert response.context["period_problems"]


@pytest.mark.django_db
@pytest.mark.parametrize("text", SILLY)
def test_the_register_template_refuses_a_silly_start_or_end(client, setting, text):
    client.force_login(setting.manager)
    for params in ({"start": text}, {"end": text}):
        response = client.get(reverse("attendance_template"), params, follow=True)
        assert response.status_code == 200
        assert response.redirect_chain, params
        messages = [str(m) for m in response.context["messages"]]
        assert any("date" in m for m in messages), messages


@pytest.mark.django_db
def test_a_good_date_on_the_register_is_still_read(client, setting):
    client.force_login(setting.manager)
    response = client.get(reverse("attendance_register"), {"date": "19/11/2026"})
    assert response.context["day"] == datetime.date(2026, 11, 19)
    assert "instead" not in response.content.decode()


@given(st.dates())
def test_a_query_date_is_read_within_this_century_and_the_next_or_refused(day):
    text = f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
    if 2000 <= day.year <= 2100:
        assert parse_query_date(text) == day
    else:
        with pytest.raises(DateProblem, match="from 2000 to 2100"):
            parse_query_date(text)
