"""Sufficiency (issue 13, item 5): the area's demand for AP (placements open today, referrals waiting for a panel
or for the place a panel decided) against the directory's places, by need, phase, full or part time and area;
the needs no provider in the area serves; out-of-area placements by host area."""

import csv
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from core.codes import code_set
from insight.sufficiency import NEED_OF, NEEDS, NOT_STATED, need_of, sufficiency_for
from placements.models import AttendancePattern
from placements.selectors import born_in_year_group
from providers.models import Specialism
from tests.factories import ChildFactory, DecisionFactory, PlacementFactory, ProviderFactory, ReferralFactory
from tests.test_access import borough  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

TODAY = date.today()
URL = reverse("sufficiency")


def in_year(year: int) -> date:
    return born_in_year_group(year, TODAY)[0] + timedelta(days=40)


def test_every_row_of_the_needs_table_names_a_real_code_and_a_need_the_directory_knows():
    with open("core/reference/ap_needs.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(NEED_OF)
    for row in rows:
        assert row["code"] in code_set(row["code_set"]), row
        assert row["need"] in Specialism.values, row


codes = {name: st.sampled_from(["", *code_set(name)]) for name in ("referral_reason", "sen_primary_need")}


@given(
    referral=codes["referral_reason"],
    sen=codes["sen_primary_need"],
    reason=st.sampled_from(["", "sa_other", "apc_pex"]),
)
def test_a_need_is_always_one_the_page_lists_and_the_referrals_reason_comes_first(referral, sen, reason):
    need = need_of(referral_reason=referral, sen_primary_need=sen, placement_reason=reason)
    assert need in dict(NEEDS)
    if NEED_OF.get(("referral_reason", referral)):
        assert need == NEED_OF[("referral_reason", referral)]
    elif NEED_OF.get(("sen_primary_need", sen)):
        assert need == NEED_OF[("sen_primary_need", sen)]
    elif reason == "apc_pex":
        assert need == Specialism.EXCLUDED
    else:
        assert need == NOT_STATED


@pytest.fixture
def demand(area, school):
    """Three placements today (one out of area, at an autism provider in Halton), one ended; a referral awaiting a
    panel and one awaiting the place decided; a referral decided otherwise and a draft, which wait for nothing."""
    northgate = ProviderFactory(
        organisation__area=area, organisation__name="Northgate PRU", specialisms=["semh", "excluded"], capacity=10
    )
    hillside = ProviderFactory(
        organisation__area=area,
        organisation__name="Hillside Medical Tuition",
        specialisms=["medical"],
        min_age=5,
        capacity=4,
        offers_full_time=False,
    )
    halton = ProviderFactory(
        organisation__area=area, organisation__name="Widnes Autism Centre", specialisms=["autism"], location_la="876"
    )
    halton.capacity = 6
    halton.save()

    def child(year, need="NSA"):
        return ChildFactory(area=area, home_school=school, date_of_birth=in_year(year), sen_primary_need=need)

    PlacementFactory(child=child(9, "SEMH"), provider=northgate, reason="sa_behaviour")
    PlacementFactory(
        child=child(10),
        provider=northgate,
        reason="apc_pex",
        attendance_pattern=AttendancePattern.FULL_TIME,
        hours_per_week=25,
    )
    PlacementFactory(child=child(8, "ASD"), provider=halton, out_of_area=True)
    PlacementFactory(child=child(8), provider=hillside, end_date=TODAY - timedelta(days=10))
    ReferralFactory(child=child(7), reason="ebsa")
    DecisionFactory(
        referral=ReferralFactory(child=child(3), reason="physical_health", status="decided"), provider=hillside
    )
    DecisionFactory(referral=ReferralFactory(child=child(9), status="decided"), outcome="no_action", provider=None)
    ReferralFactory(child=child(9), status="draft")
    return northgate, hillside, halton


def line(lines, key):
    return next(x for x in lines if x.key == key)


def figures(x) -> tuple:
    return (x.placed, x.placed_out_of_area, x.awaiting_panel, x.awaiting_place, x.providers, x.places, x.vacancies)


def test_demand_against_places_by_need_phase_pattern_and_area(la_officer, demand):
    s = sufficiency_for(user=la_officer, today=TODAY)
    # need: placed, of them out of area, awaiting a panel, awaiting the place, providers, places, vacancies
    assert figures(line(s.by_need, "semh")) == (1, 0, 0, 0, 1, 10, 8)
    assert figures(line(s.by_need, "excluded")) == (1, 0, 0, 0, 1, 10, 8)
    assert figures(line(s.by_need, "autism")) == (1, 1, 0, 0, 0, 0, 0)
    assert line(s.by_need, "autism").places_elsewhere == 6
    assert figures(line(s.by_need, "ebsa")) == (0, 0, 1, 0, 0, 0, 0)
    assert figures(line(s.by_need, "medical")) == (0, 0, 0, 1, 1, 4, 4)
    assert [x.key for x in s.without_local_provider] == ["ebsa", "autism"]

    assert figures(line(s.by_phase, "primary")) == (0, 0, 0, 1, 1, 4, 4)
    assert figures(line(s.by_phase, "ks3")) == (2, 1, 1, 0, 2, 14, 12)
    assert figures(line(s.by_phase, "ks4")) == (1, 0, 0, 0, 2, 14, 12)
    assert line(s.by_phase, "post16").demand == 0

    assert figures(line(s.by_pattern, "full_time")) == (1, 0, 0, 0, 1, 10, 8)
    assert figures(line(s.by_pattern, "part_time")) == (2, 1, 0, 0, 2, 14, 12)
    assert figures(line(s.by_place, "in_area")) == (2, 0, 0, 0, 2, 14, 12)
    assert figures(line(s.by_place, "out_of_area")) == (1, 1, 0, 0, 1, 6, 5)
    assert s.host_areas == [("Halton", 1)]
    assert (s.totals.placed, s.totals.waiting) == (3, 2)


def test_the_la_reads_the_page_and_its_warning(client, la_officer, demand):
    client.force_login(la_officer)
    page = client.get(URL).content.decode()
    assert "no provider in the area serves them: Emotionally based school avoidance; Autism." in page
    assert "Halton" in page
    assert URL in client.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize("role", ["school", "provider", "health", "social", "virtual", "nobody"])
def test_only_the_la_sees_the_areas_sufficiency(client, borough, role):  # noqa: F811
    client.force_login(borough.users["la"])
    assert client.get(URL).status_code == 200
    client.force_login(borough.users[role])
    # An inspector is refused every page not theirs (403); everyone else is told "not found".
    assert client.get(URL).status_code in (403, 404)
    assert URL not in client.get(reverse("dashboard")).content.decode()


def test_the_page_costs_the_same_queries_with_more_children_and_providers(client, la_officer, demand, area, school):
    client.force_login(la_officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    before = count()
    for _ in range(4):
        provider = ProviderFactory(organisation__area=area, specialisms=["ebsa"])
        PlacementFactory(child=ChildFactory(area=area, home_school=school), provider=provider)
        ReferralFactory(child=ChildFactory(area=area, home_school=school), reason="semh")
    assert count() == before


def test_a_provider_serves_the_phases_its_ages_reach_into_and_a_phase_nobody_serves_is_named(la_officer, area, school):
    ProviderFactory(organisation__area=area, specialisms=["semh"], min_age=11, max_age=16, capacity=5)
    ReferralFactory(child=ChildFactory(area=area, home_school=school, date_of_birth=in_year(12)), reason="semh")
    s = sufficiency_for(user=la_officer, today=TODAY)
    assert [line(s.by_phase, key).providers for key in ("primary", "ks3", "ks4", "post16")] == [0, 1, 1, 0]
    assert [x.key for x in s.without_local_provider] == ["post16"]

    ProviderFactory(organisation__area=area, specialisms=["vocational"], min_age=16, max_age=19, capacity=8)
    s = sufficiency_for(user=la_officer, today=TODAY)
    assert [line(s.by_phase, key).providers for key in ("primary", "ks3", "ks4", "post16")] == [0, 1, 1, 1]
    assert s.without_local_provider == []
