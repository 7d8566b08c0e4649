"""A placement's personalised plan (issue 11, item 4): objectives with measures, baselines and dates, the
intervention, reintegration, what the family was told, the child's baseline, and the week across settings."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import PersonalisedPlan, PlanObjective
from casework.services.plans import personalised_plan_record
from core.models import AuditAction, AuditEvent, AuditEventChild
from tests.casework_people import people_around
from tests.factories import (
    ChildFactory,
    PersonalisedPlanFactory,
    PlacementFactory,
    PlanObjectiveFactory,
    ProviderFactory,
    old_placement,
)
from tests.helpers import date_fields, objectives_post, plan_post

pytestmark = pytest.mark.django_db

END = date.today() + timedelta(days=90)


@pytest.fixture
def placement(area, school):
    child = ChildFactory(area=area, home_school=school, first_name="Tia", last_name="Moss")
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")
    return PlacementFactory(child=child, provider=provider, commissioner=school, timetable="1111111100")


def objective(**changes):
    return {
        "description": "Attend 90% of timetabled sessions",
        "measure": "The setting's register, weekly",
        "baseline": "62% attendance at the home school last half term",
        "target_date": END,
        **changes,
    }


def posted(placement, objectives=None, **changes):
    return {
        **plan_post(start=placement.start_date, end=END, **changes),
        **objectives_post(objectives if objectives is not None else [objective()]),
    }


def edit_url(placement):
    return reverse("placement_plan_edit", args=[placement.public_id])


def plan_url(placement):
    return reverse("placement_plan", args=[placement.public_id])


def test_the_la_records_a_plan_and_everyone_reads_it(client, la_officer, placement):
    client.force_login(la_officer)
    record = client.get(reverse("child_detail", args=[placement.child.public_id])).content.decode()
    assert "No plan recorded" in record
    assert "Record the personalised plan" in record
    assert client.get(edit_url(placement)).status_code == 200

    response = client.post(edit_url(placement), posted(placement))
    assert response.status_code == 302
    assert response["Location"] == plan_url(placement)
    plan = PersonalisedPlan.objects.get(placement=placement)
    assert (plan.agreed_by, plan.decision, plan.family_language) == (la_officer, None, "en")
    assert [(o.position, o.baseline) for o in plan.objectives.all()] == [(1, objective()["baseline"])]
    placement.refresh_from_db()
    assert placement.planned_end_date == END
    event = AuditEvent.objects.get(action=AuditAction.PLAN_RECORDED)
    assert event.object_id == str(placement.public_id)
    assert event.detail == {"created": True, "objectives": 1, "planned_end_date": END.isoformat()}
    assert AuditEventChild.objects.filter(event=event, child_public_id=placement.child.public_id).exists()

    page = client.get(plan_url(placement)).content.decode()
    for said in ("62% attendance at the home school", "Phased return to the home school", "Anxiety in large groups"):
        assert said in page
    assert "Change the personalised plan" in page
    record = client.get(reverse("child_detail", args=[placement.child.public_id])).content.decode()
    assert "Attend 90% of timetabled sessions" in record
    assert "No plan recorded" not in record


def test_the_commissioner_changes_adds_and_removes_objectives_and_history_keeps_them(client, school_lead, placement):
    client.force_login(school_lead)
    first = objective(description="Attend 90% of sessions")
    second = objective(description="Reading age up by a year", measure="Termly reading test")
    assert client.post(edit_url(placement), posted(placement, [first, second])).status_code == 302
    kept, removed = PlanObjective.objects.order_by("position")
    form = client.get(edit_url(placement)).context["objectives"]
    assert [f.initial["description"] for f in form.forms[:2]] == ["Attend 90% of sessions", "Reading age up by a year"]

    changed = {**first, "id": kept.pk, "baseline": "58% attendance"}
    third = objective(description="Back in maths lessons at school", target_date=END - timedelta(days=10))
    data = {
        **plan_post(start=placement.start_date, end=END, reintegration_plan="A specialist place from September"),
        **objectives_post([changed, {**second, "id": removed.pk}, third], initial=2, blank=0, delete=(1,)),
    }
    assert client.post(edit_url(placement), data).status_code == 302
    plan = PersonalisedPlan.objects.get()
    assert plan.reintegration_plan == "A specialist place from September"
    assert [(o.description, o.position) for o in plan.objectives.all()] == [
        ("Attend 90% of sessions", 1),
        ("Back in maths lessons at school", 2),
    ]
    assert plan.objectives.get(pk=kept.pk).baseline == "58% attendance"
    assert not PlanObjective.objects.filter(pk=removed.pk).exists()
    assert plan.history.count() == 2
    assert PlanObjective.history.filter(id=removed.pk, history_type="-").exists()
    assert PlanObjective.history.filter(id=kept.pk).count() == 2
    assert [e.detail["created"] for e in AuditEvent.objects.filter(action=AuditAction.PLAN_RECORDED)] == [True, False]

    only = plan.objectives.first()
    data = {
        **plan_post(start=placement.start_date, end=END),
        **objectives_post([{**first, "id": only.pk}], initial=1, blank=0, delete=(0,)),
    }
    PlanObjective.objects.exclude(pk=only.pk).delete()
    response = client.post(edit_url(placement), {**data, "objectives-INITIAL_FORMS": "1"})
    assert "Keep at least one objective: a plan cannot have none" in response.content.decode()
    assert plan.objectives.count() == 1


def test_a_plan_needs_an_objective_with_its_measure_baseline_and_date(client, la_officer, placement):
    client.force_login(la_officer)
    response = client.post(edit_url(placement), posted(placement, []))
    formset = response.context["objectives"]
    assert formset.forms[0].errors["description"] == ["Enter the objective: what the child should achieve"]
    response = client.post(edit_url(placement), posted(placement, [objective(baseline="", target_date=None)]))
    errors = response.context["objectives"].forms[0].errors
    assert errors["baseline"] == ["Enter where the child is now: the objective's baseline"]
    assert errors["target_date"] == ["Enter by when"]
    assert "There is a problem" in response.content.decode()
    assert not PersonalisedPlan.objects.exists()


def test_the_service_refuses_a_plan_without_objectives_in_plain_words(la_officer, placement):
    data = plan_fields(placement)
    with pytest.raises(ValidationError) as refused:
        personalised_plan_record(user=la_officer, placement=placement, data=data, objectives=[])
    assert refused.value.message_dict["__all__"] == [
        "Add at least one objective, with how it is measured, where the child is now and by when"
    ]
    with pytest.raises(ValidationError) as refused:
        personalised_plan_record(
            user=la_officer, placement=placement, data=data, objectives=[{**objective(), "baseline": ""}]
        )
    assert refused.value.message_dict["__all__"] == ["Objective 1 needs where the child is now"]
    assert not PersonalisedPlan.objects.exists()


def plan_fields(placement) -> dict:
    from casework.forms_plans import PersonalisedPlanForm

    form = PersonalisedPlanForm(plan_post(start=placement.start_date, end=END))
    assert form.is_valid(), form.errors
    return form.cleaned_data


def test_each_missing_part_of_the_plan_is_named(client, la_officer, placement):
    client.force_login(la_officer)
    blank = dict.fromkeys(
        ("reintegration_plan", "intervention", "family_told_why", "family_told_review", "baseline_needs"), ""
    )
    data = {**posted(placement, **blank), **date_fields("planned_end_date", None)}
    errors = client.post(edit_url(placement), data).context["form"].errors
    assert errors["planned_end_date"] == ["Enter planned end of the placement"]
    data = {**posted(placement, **blank)}
    errors = client.post(edit_url(placement), data).context["form"].errors
    assert errors["reintegration_plan"] == ["Enter the reintegration plan or the next step"]
    assert errors["intervention"] == ["Enter the intervention: what the setting will do with the child"]
    assert errors["family_told_why"] == ["Enter what the family was told about why the child is placed"]
    assert errors["family_told_review"] == ["Enter what the family was told about how and when it will be reviewed"]
    assert errors["baseline_needs"] == ["Enter the child's needs, for the setting's baseline"]
    assert not PersonalisedPlan.objects.exists()


def test_dates_in_the_future_or_before_the_start_are_refused(client, la_officer, placement):
    client.force_login(la_officer)
    tomorrow = date.today() + timedelta(days=1)
    data = posted(placement, **date_fields("agreed_on", tomorrow), **date_fields("family_told_on", tomorrow))
    errors = client.post(edit_url(placement), data).context["form"].errors
    assert errors["agreed_on"] == ["The date agreed must be today or in the past"]
    assert errors["family_told_on"] == ["The date the family was told must be today or in the past"]
    data = {**posted(placement), **date_fields("planned_end_date", placement.start_date - timedelta(days=1))}
    errors = client.post(edit_url(placement), data).context["form"].errors
    assert "planned end date must be the same as or after the start date" in errors["planned_end_date"][0]
    early = objective(target_date=placement.start_date - timedelta(days=1))
    response = client.post(edit_url(placement), posted(placement, [early]))
    assert "Objective 1&#x27;s date must be on or after the placement&#x27;s start" in response.content.decode()
    assert not PersonalisedPlan.objects.exists()


def test_an_off_site_direction_needs_its_maximum_period_which_the_planned_end_may_not_pass(
    client, la_officer, placement
):
    client.force_login(la_officer)
    errors = client.post(edit_url(placement), posted(placement, off_site_direction="on")).context["form"].errors
    assert errors["maximum_end_date"] == [
        "Enter the end of the agreed maximum period: the placement is an off-site direction"
    ]
    too_soon = posted(placement, off_site_direction="on", **date_fields("maximum_end_date", END - timedelta(days=7)))
    errors = client.post(edit_url(placement), too_soon).context["form"].errors
    assert errors["planned_end_date"] == ["The planned end must be on or before the end of the agreed maximum period"]
    data = posted(placement, off_site_direction="on", **date_fields("maximum_end_date", END + timedelta(days=7)))
    assert client.post(edit_url(placement), data).status_code == 302
    plan = PersonalisedPlan.objects.get()
    assert (plan.off_site_direction, plan.maximum_end_date) == (True, END + timedelta(days=7))
    assert "Agreed maximum period to" in client.get(plan_url(placement)).content.decode()


def test_the_family_was_told_in_a_language_django_names(client, la_officer, placement):
    client.force_login(la_officer)
    choices = dict(client.get(edit_url(placement)).context["form"].fields["family_language"].choices)
    assert choices["en"] == "English"
    assert choices["pl"] == "Polish"
    assert len(choices) > 90
    assert client.post(edit_url(placement), posted(placement, family_language="pl")).status_code == 302
    assert "in Polish" in client.get(plan_url(placement)).content.decode()


def test_the_plan_page_totals_hours_across_every_setting_the_child_attends(client, la_officer, placement, area):
    PersonalisedPlanFactory(placement=placement)
    child = placement.child
    tuition = ProviderFactory(organisation__area=area, organisation__name="Kestrel Home Tuition")
    PlacementFactory(child=child, provider=tuition, hours_per_week=Decimal("10.0"), timetable="0000000011")
    old = ProviderFactory(organisation__area=area, organisation__name="Old Mill AP")
    PlacementFactory(
        child=child,
        provider=old,
        start_date=date.today() - timedelta(days=300),
        end_date=date.today() - timedelta(days=200),
        hours_per_week=Decimal("20.0"),
    )
    client.force_login(la_officer)
    response = client.get(plan_url(placement))
    timetable = response.context["timetable"]
    assert timetable.total_hours == Decimal("25.0")
    assert timetable.full_time
    assert [p.provider.name for p in timetable.placements] == ["Northgate PRU", "Kestrel Home Tuition"]
    days = dict(timetable.days)
    assert [[p.provider.name for p in s] for s in days["Monday"]] == [["Northgate PRU"], ["Northgate PRU"]]
    assert [[p.provider.name for p in s] for s in days["Friday"]] == [
        ["Kestrel Home Tuition"],
        ["Kestrel Home Tuition"],
    ]
    page = response.content.decode()
    assert "Old Mill AP" not in page
    assert "25.0" in page
    assert "Full time" in page
    assert client.get(edit_url(placement)).context["timetable"].total_hours == Decimal("25.0")


def test_who_may_read_and_who_may_change_the_plan(client, la_officer, placement, school):
    PersonalisedPlanFactory(placement=placement, baseline_triggers="Crowded corridors at changeover")
    people = people_around(
        child=placement.child,
        la_officer=la_officer,
        school=school,
        provider_organisation=placement.provider.organisation,
    )
    # (who, reads the plan, may change it): 200 and 302, a 403 when they see it, a 404 when they do not.
    expected = {
        "la_officer": (200, 200),
        "commissioning_school": (200, 200),
        "provider": (200, 403),
        "health_involved": (200, 403),
        "social_worker_involved": (200, 403),
        "virtual_school": (200, 403),
        "other_la": (404, 404),
        "other_school": (404, 404),
        "other_provider": (404, 404),
        "health_not_involved": (404, 404),
        "social_worker_not_involved": (404, 404),
        "inspector": (403, 403),
    }
    for who, (reads, changes) in expected.items():
        client.force_login(getattr(people, who))
        read = client.get(plan_url(placement))
        assert read.status_code == reads, who
        if reads == 200:
            assert "Crowded corridors" in read.content.decode(), who
            assert ("Change the personalised plan" in read.content.decode()) == (changes == 200), who
        assert client.get(edit_url(placement)).status_code == changes, who
        response = client.post(edit_url(placement), posted(placement, reintegration_plan=f"Changed by {who}"))
        assert response.status_code == (302 if changes == 200 else changes), who
    plan = PersonalisedPlan.objects.get()
    assert plan.reintegration_plan == "Changed by commissioning_school"
    refused = AuditEvent.objects.filter(action=AuditAction.PLACEMENT_REFUSED, user=people.other_school)
    assert refused.exists()
    assert AuditEventChild.objects.filter(event__in=refused, child_public_id=placement.child.public_id).exists(), (
        "a refusal of a placement one cannot see is on the child's access log"
    )
    assert AuditEvent.objects.filter(action=AuditAction.NOT_PERMITTED, user=people.provider).count() == 2


def test_a_missing_placement_is_not_found(client, la_officer):
    client.force_login(la_officer)
    missing = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/placements/{missing}/plan/").status_code == 404
    assert client.get(f"/placements/{missing}/plan/change/").status_code == 404


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_plan_page_costs_a_fixed_number_of_queries(client, la_officer, placement, area):
    plan = PersonalisedPlanFactory(placement=placement)
    client.force_login(la_officer)
    before = queries(client, plan_url(placement))
    assert before == 8
    for _ in range(4):
        PlanObjectiveFactory(plan=plan)
        PlacementFactory(child=placement.child, provider=ProviderFactory(organisation__area=area))
    assert queries(client, plan_url(placement)) == before
    assert queries(client, edit_url(placement)) == 8


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_each_agreement_into_a_plan_with_one_objective():
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    # Back to before the agreements moved (placements' removal of them depends on it and goes back too),
    # through the command, so that SQLite's triggers are set aside while tables are rebuilt.
    call_command("migrate", "casework", "0003_personalised_plan", verbosity=0)
    before = [("casework", "0003_personalised_plan"), ("placements", "0009_part_time_timetable")]
    old = MigrationExecutor(connection).loader.project_state(before).apps
    # Written at the old state: the placement's table then still had the exit fields (placements 0011).
    placement_id = old_placement(old, planned_end_date=date.today() + timedelta(days=60))
    agreed_by_id = old.get_model("placements", "Placement").objects.get(pk=placement_id).created_by_id
    old.get_model("placements", "CommissioningAgreement").objects.create(
        placement_id=placement_id,
        intended_outcomes="Attend 90% of sessions; return to school full time",
        success_criteria="Weekly attendance; the six-week review",
        exit_plan="Phased return over four weeks",
        agreed_on=date.today() - timedelta(days=20),
        agreed_by_id=agreed_by_id,
    )
    call_command("migrate", verbosity=0)
    plan = PersonalisedPlan.objects.get()
    assert (plan.placement_id, plan.reintegration_plan, plan.agreed_on, plan.agreed_by_id) == (
        placement_id,
        "Phased return over four weeks",
        date.today() - timedelta(days=20),
        agreed_by_id,
    )
    (only,) = plan.objectives.all()
    assert (only.position, only.description, only.measure, only.baseline, only.target_date) == (
        1,
        "Attend 90% of sessions; return to school full time",
        "Weekly attendance; the six-week review",
        "",
        date.today() + timedelta(days=60),
    )
    assert plan.last_objective_due == date.today() + timedelta(days=60)  # kept from its objectives since
    assert plan.family_told_missing() == [
        "why the child is placed",
        "when it starts",
        "for how long",
        "who will teach the child, and where",
        "how and when it will be reviewed",
    ]


def test_every_point_the_family_is_told_is_required():
    from casework.models import FAMILY_TOLD_POINTS
    from casework.services.plans import PLAN_REQUIRED

    assert set(FAMILY_TOLD_POINTS) <= set(PLAN_REQUIRED)
