"""Starting the placement a panel decided, in one form with its personalised plan (issue 11, item 4)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import PersonalisedPlan
from core.models import AuditAction, AuditEvent, AuditEventChild
from placements.models import Placement
from tests.casework_people import people_around
from tests.factories import (
    ChildFactory,
    DecisionFactory,
    PersonalisedPlanFactory,
    PlacementFactory,
    ProviderFactory,
    ReferralFactory,
    member_of,
)
from tests.helpers import date_fields, objectives_post, plan_post

pytestmark = pytest.mark.django_db

START = date.today() + timedelta(days=7)
END = START + timedelta(days=120)


@pytest.fixture
def decision(area, school, la_officer):
    child = ChildFactory(area=area, home_school=school, first_name="Tia", last_name="Moss")
    referral = ReferralFactory(child=child, status="decided", reason="at_risk_of_exclusion")
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")
    return DecisionFactory(referral=referral, provider=provider, decided_by=la_officer)


def url(decision):
    return reverse("placement_from_decision", args=[decision.public_id])


def posted(objectives=None, **changes):
    data = {
        "provision_type": "pru_or_ap_academy",
        "reason": "apc_pex",
        "attendance_pattern": "full_time",
        "hours_per_week": "25",
        "registration_type": "dual",
        "main_roll": "home_school",
        "journey_minutes": "20",
        "timetable": [str(i) for i in range(10)],
        **date_fields("start_date", START),
        **plan_post(start=START, end=END, agreed=date.today()),
        **objectives_post(
            objectives
            if objectives is not None
            else [
                {
                    "description": "Attend every timetabled session",
                    "measure": "The setting's register, weekly",
                    "baseline": "70% at the home school last half term",
                    "target_date": END,
                }
            ]
        ),
    }
    data.update(changes)
    return data


def test_the_la_starts_the_placement_with_its_plan_in_one_form(client, la_officer, decision, la):
    client.force_login(la_officer)
    page = client.get(url(decision))
    assert page.status_code == 200
    form = page.context["form"]
    assert "provider" not in form.fields
    assert "commissioner" not in form.fields
    # The referral's reason, "at risk of permanent exclusion", is the AP census's reason for an LA placement.
    assert form.initial["reason"] == "apc_pex"
    assert '<option value="apc_pex" selected>' in page.content.decode()
    assert "Northgate PRU" in page.content.decode()

    response = client.post(url(decision), posted())
    placement = Placement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("placement_plan", args=[placement.public_id])
    assert (placement.provider, placement.commissioner, placement.child) == (
        decision.provider,
        la,
        decision.referral.child,
    )
    assert (placement.start_date, placement.planned_end_date, placement.commissioner_type) == (
        START,
        END,
        "local_authority",
    )
    plan = PersonalisedPlan.objects.get()
    assert (plan.placement, plan.decision, plan.agreed_by) == (placement, decision, la_officer)
    assert plan.objectives.get().baseline == "70% at the home school last half term"
    event = AuditEvent.objects.get(action=AuditAction.PLACEMENT_FROM_DECISION)
    assert event.detail["decision"] == str(decision.public_id)
    assert AuditEventChild.objects.filter(event=event, child_public_id=placement.child.public_id).exists()
    assert AuditEvent.objects.filter(action=AuditAction.PLACEMENT_CREATED).count() == 1
    plan_page = client.get(response["Location"]).content.decode()
    assert "Fair access panel" in plan_page
    assert "AP placement at a named provider" in plan_page


def test_an_outreach_decision_fixes_the_type_of_provision(client, la_officer, decision):
    decision.outcome = "outreach"
    decision.save()
    client.force_login(la_officer)
    assert "provision_type" not in client.get(url(decision)).context["form"].fields
    data = posted(provision_type="pru_or_ap_academy")
    assert client.post(url(decision), data).status_code == 302
    assert Placement.objects.get().provision_type == "outreach"


@pytest.mark.parametrize("outcome", ["no_action", "ehc_needs_assessment", "managed_move", "fast_track_assessment"])
def test_a_decision_that_leads_to_no_placement_starts_none(client, la_officer, decision, outcome):
    decision.outcome = outcome
    decision.provider = None
    decision.save()
    client.force_login(la_officer)
    page = client.get(url(decision))
    said = f"A decision of “{decision.get_outcome_display()}” leads to no placement: there is nothing to start."
    assert said in page.content.decode()
    assert "Start the placement</button>" not in page.content.decode()
    response = client.post(url(decision), posted())
    assert response.status_code == 200
    assert said in [str(e) for e in response.context["form"].non_field_errors()]
    assert not Placement.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.PLACEMENT_FROM_DECISION).exists()


def test_a_second_submission_starts_no_second_placement(client, la_officer, decision):
    client.force_login(la_officer)
    assert client.post(url(decision), posted()).status_code == 302
    response = client.post(url(decision), posted())
    assert response.status_code == 200
    message = "A placement already follows this decision: change its plan from the child's record."
    assert [str(e) for e in response.context["form"].non_field_errors()] == [message]
    assert "A placement already follows this decision" in client.get(url(decision)).content.decode()
    assert Placement.objects.count() == 1
    assert PersonalisedPlan.objects.count() == 1


def test_a_decision_already_followed_by_a_plan_is_refused_too(client, la_officer, decision):
    PersonalisedPlanFactory(decision=decision)
    client.force_login(la_officer)
    response = client.post(url(decision), posted(start_date_0=str((START + timedelta(days=200)).day)))
    assert "A placement already follows this decision" in response.content.decode()
    assert Placement.objects.count() == 1


def test_no_placement_starts_without_objectives_or_a_planned_end(client, la_officer, decision):
    client.force_login(la_officer)
    response = client.post(url(decision), {**posted([]), **date_fields("planned_end_date", None)})
    assert response.status_code == 200
    assert response.context["form"].errors["planned_end_date"] == ["Enter planned end date"]
    objective = response.context["objectives"].forms[0]
    assert objective.errors["description"] == ["Enter the objective: what the child should achieve"]
    assert "There is a problem" in response.content.decode()
    assert not Placement.objects.exists()
    assert not PersonalisedPlan.objects.exists()


def test_the_placements_own_rules_still_apply(client, la_officer, decision):
    client.force_login(la_officer)
    response = client.post(url(decision), posted(registration_type="single", main_roll="home_school"))
    assert "A single-registered child is on the AP setting" in response.context["form"].errors["main_roll"][0]
    assert not Placement.objects.exists()


def test_an_off_site_direction_needs_its_maximum_period(client, la_officer, decision):
    decision.referral.off_site_direction = True
    decision.referral.save()
    client.force_login(la_officer)
    errors = client.post(url(decision), posted()).context["form"].errors
    assert errors["maximum_end_date"] == [
        "Enter the end of the agreed maximum period: the placement is an off-site direction"
    ]
    maximum = END + timedelta(days=14)
    assert client.post(url(decision), posted(**date_fields("maximum_end_date", maximum))).status_code == 302
    plan = PersonalisedPlan.objects.get()
    assert (plan.off_site_direction, plan.maximum_end_date) == (True, maximum)


def test_who_may_start_a_placement_from_a_decision(client, la_officer, decision, school):
    people = people_around(
        child=decision.referral.child,
        la_officer=la_officer,
        school=school,
        provider_organisation=decision.provider.organisation,
    )
    # Those who see the decision (its referral) but do not run panels: 403; those who do not see it: 404.
    expected = {
        "commissioning_school": 403,
        "provider": 403,
        "health_involved": 403,
        "social_worker_involved": 403,
        "virtual_school": 403,
        "other_la": 404,
        "other_school": 404,
        "other_provider": 404,
        "health_not_involved": 404,
        "social_worker_not_involved": 404,
        "inspector": 403,
    }
    for who, status in expected.items():
        client.force_login(getattr(people, who))
        assert client.get(url(decision)).status_code == status, who
        assert client.post(url(decision), posted()).status_code == status, who
    assert not Placement.objects.exists()
    refused = AuditEvent.objects.filter(action=AuditAction.CHILD_VIEW_REFUSED, user=people.other_school)
    assert AuditEventChild.objects.filter(
        event__in=refused, child_public_id=decision.referral.child.public_id
    ).exists(), "the refusal is on the child's access log"
    client.force_login(la_officer)
    assert client.get(url(decision)).status_code == 200
    missing = reverse("placement_from_decision", args=["00000000-0000-4000-8000-000000000000"])
    assert client.get(missing).status_code == 404


def test_the_page_shows_the_childs_week_now_at_a_fixed_number_of_queries(client, la_officer, decision, area):
    child = decision.referral.child
    client.force_login(la_officer)

    def count() -> tuple:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(decision))
        assert response.status_code == 200
        return len(captured), response

    before, _ = count()
    assert before == 9  # with the area's latest decision on the provider's approval
    for hours in ("6.5", "6.0"):
        PlacementFactory(child=child, provider=ProviderFactory(organisation__area=area), hours_per_week=hours)
    after, response = count()
    assert after == before
    assert str(response.context["timetable"].total_hours) == "12.5"


def test_the_referral_and_its_panel_lead_to_the_placement_and_then_to_its_plan(client, la_officer, decision, school):
    from casework.models import AgendaItem

    AgendaItem.objects.create(panel=decision.panel, referral=decision.referral, added_by=la_officer)
    referral_page = reverse("referral_detail", args=[decision.referral.public_id])
    panel_page = reverse("panel_detail", args=[decision.panel.public_id])
    client.force_login(la_officer)
    assert "Start the placement with its plan" in client.get(referral_page).content.decode()
    assert url(decision) in client.get(panel_page).content.decode()
    # The referring school reads the decision, but the placement is the LA's to start.
    client.force_login(member_of(school, username="senco"))
    assert "Start the placement" not in client.get(referral_page).content.decode()

    client.force_login(la_officer)
    assert client.post(url(decision), posted()).status_code == 302
    plan_page = reverse("placement_plan", args=[Placement.objects.get().public_id])
    for page in (referral_page, panel_page):
        html = client.get(page).content.decode()
        assert "Start the placement" not in html
        assert plan_page in html


def test_the_referral_says_the_placement_starts_until_it_has_started(client, la_officer, decision):
    client.force_login(la_officer)
    assert client.post(url(decision), posted()).status_code == 302
    referral_page = reverse("referral_detail", args=[decision.referral.public_id])
    assert f"Starts {START.day} {START:%B %Y}:" in client.get(referral_page).content.decode()
    began = date.today() - timedelta(days=2)
    Placement.objects.update(start_date=began)
    html = client.get(referral_page).content.decode()
    assert f"Started {began.day} {began:%B %Y}:" in html
    assert "Starts " not in html
