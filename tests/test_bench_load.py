"""`make bench-load`'s figures from Locust's CSV, their names, and when its failures stop the bench (issue 14).

The load itself needs the 20,000-child borough and a few minutes: it is run by `make bench-load`, not here.
"""

import pytest

from bench.load import failures_too_many, figure_names, figures_from_stats
from bench.run import TARGETS, verdict

# Locust's `<prefix>_stats.csv` as it writes it (2.47): one row per request name, then the Aggregated row.
STATS = """Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%
GET,dashboard,231,3,680,693.52,170.1,1411.9,48211.0,11.5463,0.15,680,730,760,790,850,910,1000,1100,1400,1400,1400
,Aggregated,231,3,680,693.52,170.1,1411.9,48211.0,11.5463,0.15,680,730,760,790,850,910,1000,1100,1400,1400,1400
"""


def test_the_aggregated_row_gives_the_requests_a_second_the_95th_percentile_and_the_failures():
    figures = figures_from_stats(STATS, page="dashboard", users=16, children=20000)
    assert figures == {
        "dashboard_rps_16_users_20000": 11.5,
        "dashboard_p95_ms_16_users_20000": 910,
        "dashboard_failures_16_users_20000": 3,
        "dashboard_requests_16_users_20000": 231,
    }


def test_the_targets_of_issue_14_are_named_as_the_figures_are():
    rps, p95, _ = figure_names("dashboard", 16, 20000)
    assert TARGETS[rps] == (">=", 30)
    assert TARGETS[p95] == ("<", 1000)
    assert verdict(rps, 11.5) == ">= 30: MISSED"
    assert verdict(p95, 910) == "< 1000: met"


def test_a_run_in_which_nothing_was_answered_is_an_error_not_a_zero():
    empty = STATS.splitlines()[0] + "\n,Aggregated,0,0,0,0,0,0,0,0,0" + ",N/A" * 11 + "\n"
    with pytest.raises(RuntimeError, match="no request was answered"):
        figures_from_stats(empty, page="register", users=1, children=20000)


def test_more_than_two_percent_of_requests_failing_is_named():
    figures = figures_from_stats(STATS, page="dashboard", users=16, children=20000)
    assert failures_too_many(figures) == []  # 3 of 231, 1.3%
    figures["dashboard_failures_16_users_20000"] = 5  # 2.2%
    assert failures_too_many(figures) == ["dashboard_failures_16_users_20000: 5 of 231 requests"]


@pytest.fixture
def production_security(settings):
    """What the production settings add that the bench's sign-in must get through, behind its stand-in proxy."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.TWO_FACTOR_REQUIRED = True


def test_the_bench_signs_the_officer_in_through_both_forms_as_production_asks(live_server, la, production_security):
    import requests

    from bench.load import PROXY, _backup_codes, _sign_in
    from core.models import Membership
    from demo.users import DEMO_PASSWORD
    from tests.factories import member_of

    officer = member_of(la, Membership.Role.AP_OFFICER, username="la-officer")
    officer.set_password(DEMO_PASSWORD)
    officer.save()
    first, second = _backup_codes(2)

    session = _sign_in(live_server.url, first)
    dashboard = requests.get(
        f"{live_server.url}/", headers=PROXY | {"Cookie": f"sessionid={session}"}, allow_redirects=False, timeout=30
    )
    assert dashboard.status_code == 200
    assert _sign_in(live_server.url, second) != session
    with pytest.raises(RuntimeError, match="the code form"):
        _sign_in(live_server.url, first)  # a backup code works once
