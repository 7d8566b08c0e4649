"""Issue 13, item 2: placing a child at a provider the area has not approved asks for a recorded justification,
which the LA sees on the child's record and behind the dashboard's flag. Asked wherever a provider is chosen: the
placement form, a change of provider, the placement a panel decided, and a file of placements."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from placements.models import Placement
from providers.models import ApprovalStatus, Registration
from tests.factories import ChildFactory, DecisionFactory, PlacementFactory, ProviderFactory, ReferralFactory
from tests.import_helpers import PLACEMENTS
from tests.import_helpers import placement_row as row
from tests.test_forms import errors_of, placement_data, post_placement
from tests.test_placement_from_decision import posted
from tests.test_placement_from_decision import url as from_decision_url

pytestmark = pytest.mark.django_db

WHY = "The only setting within an hour with GCSE maths in a small group; no approved place until January"
FIELD = "provider_justification"


@pytest.fixture
def child(area, school):
    return ChildFactory(area=area, home_school=school, first_name="Tia", last_name="Moss")


@pytest.fixture
def suspended(area):
    return ProviderFactory(
        organisation__area=area,
        organisation__name="Back Lane Workshop",
        registration=Registration.INDEPENDENT_UNREGISTERED,
        gias_establishment_type="",
        approval__status=ApprovalStatus.SUSPENDED,
    )


@pytest.fixture
def approved(area):
    return ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")


def as_la(la, **more) -> dict:
    """What the LA's placement form asks beyond a school's: the commissioner, and a reason of the AP census."""
    return {"commissioner": la.pk, "reason": "apc_pex", **more}


@pytest.mark.parametrize("user", ["school_lead", "la_officer"])
def test_a_placement_at_a_provider_not_approved_needs_the_reason_and_the_la_sees_it(
    client, request, la, la_officer, child, suspended, user
):
    client.force_login(request.getfixturevalue(user))
    extra = as_la(la) if user == "la_officer" else {}
    form = client.get(reverse("placement_new", args=[child.public_id])).content.decode()
    assert "Back Lane Workshop (suspended)" in form, "the provider list says where each provider stands"

    refused = post_placement(client, child, placement_data(suspended, provision_type="independent_ap", **extra))
    assert errors_of(refused)[FIELD] == [
        "The area's approval of Back Lane Workshop is suspended: say why this provider, rather than an approved "
        "one, is right for the child"
    ]
    assert not Placement.objects.exists(), "nothing is written"

    data = placement_data(suspended, provision_type="independent_ap", provider_justification=WHY, **extra)
    assert post_placement(client, child, data).status_code == 302
    assert Placement.objects.get().provider_justification == WHY

    client.force_login(la_officer)
    assert WHY in client.get(child.get_absolute_url()).content.decode()
    flagged = client.get(reverse("oversight_flag", args=["provider-not-approved"])).content.decode()
    assert "Tia" in flagged
    assert f"Suspended. Why this provider: {WHY}" in flagged


def test_an_approved_provider_needs_no_reason_and_one_not_yet_decided_does(client, school_lead, child, approved, area):
    client.force_login(school_lead)
    assert post_placement(client, child, placement_data(approved)).status_code == 302

    undecided = ProviderFactory(organisation__area=area, organisation__name="Riverside Tutors", approval=None)
    later = placement_data(undecided, provision_type="independent_ap", start=date.today() + timedelta(days=200))
    errors = errors_of(post_placement(client, child, later))
    assert errors[FIELD][0].startswith("The area has not decided on the approval of Riverside Tutors:")


def test_a_change_of_provider_asks_for_the_reason_other_changes_do_not(
    client, la, la_officer, child, approved, suspended
):
    placement = PlacementFactory(child=child, provider=approved, commissioner=la_officer.primary_organisation)
    client.force_login(la_officer)
    edit = reverse("placement_edit", args=[placement.public_id])

    moved = client.post(edit, placement_data(suspended, provision_type="independent_ap", **as_la(la)))
    assert FIELD in errors_of(moved)
    placement.refresh_from_db()
    assert placement.provider == approved

    # The provider it is at is suspended later: the placement's other details still change without a reason.
    at_suspended = PlacementFactory(
        child=ChildFactory(area=child.area), provider=suspended, provision_type="independent_ap"
    )
    changed = client.post(
        reverse("placement_edit", args=[at_suspended.public_id]),
        placement_data(
            suspended,
            provision_type="independent_ap",
            start=at_suspended.start_date,
            **as_la(la, hours_per_week="12"),
        ),
    )
    assert changed.status_code == 302, errors_of(changed)


def test_an_ended_placement_recorded_as_history_needs_no_reason(client, la, la_officer, child, suspended):
    client.force_login(la_officer)
    start = date.today() - timedelta(days=300)
    data = placement_data(
        suspended, provision_type="independent_ap", start=start, end=start + timedelta(days=60), **as_la(la)
    )
    assert post_placement(client, child, data).status_code == 302


def test_the_placement_a_panel_decided_at_a_provider_not_approved_asks_for_the_reason(
    client, la_officer, area, school, suspended
):
    referral = ReferralFactory(
        child=ChildFactory(area=area, home_school=school), status="decided", reason="at_risk_of_exclusion"
    )
    decision = DecisionFactory(referral=referral, provider=suspended, decided_by=la_officer)
    client.force_login(la_officer)
    page = client.get(from_decision_url(decision)).content.decode()
    assert "Why Back Lane Workshop, which the area has not approved" in page

    refused = client.post(from_decision_url(decision), posted(provision_type="independent_ap"))
    assert "say why this provider" in str(refused.context["form"].errors[FIELD])
    assert not Placement.objects.exists()
    started = client.post(from_decision_url(decision), posted(provision_type="independent_ap", **{FIELD: WHY}))
    assert started.status_code == 302
    assert Placement.objects.get().provider_justification == WHY


def test_the_page_for_an_approved_providers_decision_does_not_ask(client, la_officer, area, school, approved):
    referral = ReferralFactory(child=ChildFactory(area=area, home_school=school), status="decided")
    decision = DecisionFactory(referral=referral, provider=approved, decided_by=la_officer)
    client.force_login(la_officer)
    assert FIELD not in client.get(from_decision_url(decision)).context["form"].fields


def test_a_file_of_placements_names_the_row_that_needs_a_reason_and_takes_it_from_its_column(
    client, la_officer, area, school, suspended
):
    for serial in (1, 2):
        ChildFactory(area=area, home_school=school, upn=row(serial, suspended)["UPN"])
    client.force_login(la_officer)
    cells = {"Type of provision": "Independent AP"}
    refused, _ = PLACEMENTS.upload(
        client, [row(1, suspended, **cells, **{"Why this provider": WHY}), row(2, suspended, **cells)]
    )
    assert [(p[0], p[1]) for p in PLACEMENTS.problems(client, refused)] == [(3, "Why this provider")]

    rows = [row(n, suspended, **cells, **{"Why this provider": WHY}) for n in (1, 2)]
    checked, _ = PLACEMENTS.upload(client, rows)
    PLACEMENTS.confirm(client, checked)
    assert list(Placement.objects.values_list(FIELD, flat=True)) == [WHY, WHY]
    again, _ = PLACEMENTS.upload(client, rows)
    assert PLACEMENTS.summary(client, again).unchanged == 2, "the same file again changes nothing"


def test_the_flag_is_raised_and_cleared_by_the_areas_decision(client, la_officer, child, suspended):
    PlacementFactory(child=child, provider=suspended)
    client.force_login(la_officer)
    flag = reverse("oversight_flag", args=["provider-not-approved"])
    page = client.get(flag).content.decode()
    assert "Tia" in page
    assert "no reason recorded when placed" in page
    client.post(
        reverse("provider_approval_new", args=[suspended.public_id]),
        {
            "status": "approved",
            "approval_model": "la_verified",
            "reason": "A designated safeguarding lead is named and trained",
            "decided_on_0": date.today().day,
            "decided_on_1": date.today().month,
            "decided_on_2": date.today().year,
        },
    )
    assert "Tia" not in client.get(flag).content.decode()
