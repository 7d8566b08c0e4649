"""Exits and returns to school (issue 12, item 2): ending a placement with its reason, destination, transition plan
and named support; the reintegration attempt a return to school starts, its outcomes at 6 and 12 school weeks on
the school's calendar, and the list of outcomes due; the exit fields moved off Placement with their data."""

import uuid
from datetime import date, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.models import (
    NextReview,
    PlacementExit,
    ReintegrationAttempt,
    ReintegrationOutcome,
)
from casework.schedule import SchoolYear, school_weeks_on
from casework.selectors.exits import reintegration_outcomes_due
from core.models import AuditAction, AuditEvent, AuditEventChild
from tests.factories import (
    ChildFactory,
    OrganisationFactory,
    ProviderFactory,
    ReintegrationAttemptFactory,
    UserFactory,
)
from tests.helpers import date_fields
from tests.test_access import SEES, STAFF, borough  # noqa: F401 - the role matrix's borough
from tests.test_reviews import new_url, people, placement, review_post  # noqa: F401 - fixtures and helpers

pytestmark = pytest.mark.django_db

TODAY = date.today()
YESTERDAY = TODAY - timedelta(days=1)
# Who ends a placement: the LA of the area, and the commissioner (the school commissions Aisha's and Cara's).
ENDS = {role: set() for role in SEES} | {"la": {"a", "b", "c", "d"}, "school": {"a", "c"}}


def exit_url(of):
    return reverse("placement_exit", args=[of.public_id])


def exit_post(end_date=YESTERDAY, **overrides) -> dict:
    data = {
        "reason": "completed",
        **date_fields("end_date", end_date),
        "destination": "another_ap",
        "school": "",
        "post16_activity": "",
        "destination_detail": "",
        "transition_plan": "Two visits to the new setting with the key worker; the plan and reading ages shared",
        "support_name": "Sam Okafor",
        "support_role": "Key worker",
        "support_organisation": "Northgate PRU",
        **date_fields("support_until", TODAY + timedelta(days=60)),
    }
    return data | overrides


@pytest.mark.parametrize("role", STAFF)
def test_each_role_ends_exactly_the_placements_the_policy_names(client, borough, role):  # noqa: F811
    client.force_login(borough.users[role])
    for key, child in borough.children.items():
        placement = child.placements.get()  # noqa: F811 - the borough's own
        expected = 200 if key in ENDS[role] else 403 if key in SEES[role] else 404
        assert client.get(exit_url(placement)).status_code == expected, f"{role} ending {child.first_name}'s"
        assert client.post(exit_url(placement), exit_post()).status_code == (302 if key in ENDS[role] else expected)
    ended = set(PlacementExit.objects.values_list("placement__child__first_name", flat=True))
    assert ended == {borough.children[k].first_name for k in ENDS[role]}


def test_a_refused_ending_looks_like_a_missing_one_and_is_on_the_childs_access_log(client, borough):  # noqa: F811
    aisha = borough.children["a"]
    placement = aisha.placements.get()  # noqa: F811
    client.force_login(borough.users["health"])  # does not see Aisha
    assert client.post(exit_url(placement), exit_post()).status_code == 404
    missing = reverse("placement_exit", args=[uuid.uuid4()])
    assert client.get(missing).status_code == 404
    refused = AuditEvent.objects.filter(action=AuditAction.PLACEMENT_REFUSED, object_id=str(placement.public_id))
    assert AuditEventChild.objects.filter(event__in=refused, child_public_id=aisha.public_id).exists()
    client.force_login(borough.users["provider"])  # sees her, may not end it
    assert client.post(exit_url(placement), exit_post()).status_code == 403
    client.force_login(borough.users["la"])
    log = client.get(reverse("child_access_log", args=[aisha.public_id])).content.decode()
    assert "Refused: not permitted to do this" in log
    assert not PlacementExit.objects.exists()


def test_the_commissioner_ends_a_placement_back_to_the_home_school_and_a_return_is_started(client, people, placement):  # noqa: F811
    client.force_login(people.commissioning_school)
    data = exit_post(reason="reintegrated", destination="home_school")
    response = client.post(exit_url(placement), data)
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.end_date == YESTERDAY
    assert not NextReview.objects.filter(placement=placement).exists(), "an ended placement has no next review"
    exit_ = PlacementExit.objects.get()
    assert (exit_.reason, exit_.destination, exit_.recorded_by) == (
        "reintegrated",
        "home_school",
        people.commissioning_school,
    )
    assert exit_.support_shown.startswith("Sam Okafor, Key worker, Northgate PRU, until")
    attempt = ReintegrationAttempt.objects.get()
    assert (attempt.child, attempt.placement, attempt.school, attempt.returned_on) == (
        placement.child,
        placement,
        placement.child.home_school,
        TODAY,
    )
    # On the area's calendar (the school follows it): the last school day of the 6th and 12th school weeks.
    assert attempt.six_weeks_on
    assert attempt.twelve_weeks_on
    assert attempt.six_weeks_on < attempt.twelve_weeks_on
    assert attempt.six_weeks_on >= TODAY + timedelta(weeks=5)
    for action in (AuditAction.EXIT_RECORDED, AuditAction.REINTEGRATION_RECORDED, AuditAction.PLACEMENT_CHANGED):
        assert AuditEvent.objects.filter(action=action).exists(), action

    for reader in (
        people.la_officer,
        people.commissioning_school,
        people.social_worker_involved,
        people.virtual_school,
    ):
        client.force_login(reader)
        page = client.get(reverse("placement_reviews", args=[placement.public_id])).content.decode()
        assert "Two visits to the new setting" in page, reader
        assert "Returns to school" in page
        record = client.get(placement.child.get_absolute_url()).content.decode()
        assert "Back to the home school" in record, reader
    for outsider in (people.other_la, people.other_school, people.other_provider, people.health_not_involved):
        client.force_login(outsider)
        assert client.get(reverse("placement_reviews", args=[placement.public_id])).status_code == 404
        assert client.get(reverse("reintegration_outcome", args=[attempt.public_id])).status_code == 404
    for not_permitted in (
        people.provider,
        people.health_involved,
        people.social_worker_involved,
        people.virtual_school,
    ):
        client.force_login(not_permitted)
        assert client.get(exit_url(placement)).status_code in (403, 404), not_permitted
    client.force_login(people.inspector)
    assert client.post(exit_url(placement), exit_post()).status_code in (403, 404)
    assert PlacementExit.objects.get().reason == "reintegrated", "nobody else changed it"


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"reason": ""}, "reason", "Choose why the placement ended"),
        ({"destination": ""}, "destination", "Choose where the child went after the placement"),
        ({"transition_plan": ""}, "transition_plan", "Enter the transition plan"),
        ({"support_name": ""}, "support_name", "Enter the name of the person who supports the child"),
        ({"destination": "employment"}, "post16_activity", "Choose the post-16 activity"),
        (
            {"destination": "another_ap", "post16_activity": "230"},
            "post16_activity",
            "Leave the post-16 activity empty",
        ),
        ({"destination": "other"}, "destination_detail", "Say where the child went"),
        ({"destination": "another_mainstream"}, "school", "Choose the school the child goes to"),
        (date_fields("support_until", TODAY - timedelta(days=30)), "support_until", "until the end date or after"),
    ],
)
def test_an_ending_names_what_is_missing_in_plain_words_and_writes_nothing(
    client,
    people,  # noqa: F811
    placement,  # noqa: F811
    overrides,
    field,
    words,
):
    client.force_login(people.la_officer)
    response = client.post(exit_url(placement), exit_post(**overrides))
    assert response.status_code == 200
    assert any(words in message for message in response.context["form"].errors[field]), response.context["form"].errors
    placement.refresh_from_db()
    assert placement.end_date is None
    assert not PlacementExit.objects.exists()
    assert not ReintegrationAttempt.objects.exists()


def test_a_post_16_destination_names_its_nccis_activity(client, people, placement):  # noqa: F811
    client.force_login(people.la_officer)
    data = exit_post(reason="post_16", destination="employment", post16_activity="330")
    assert client.post(exit_url(placement), data).status_code == 302
    assert PlacementExit.objects.get().post16_activity == "330"
    assert not ReintegrationAttempt.objects.exists(), "a post-16 destination is not a return to school"


def test_another_school_is_chosen_and_the_return_is_there(client, people, placement, other_school):  # noqa: F811
    client.force_login(people.la_officer)
    data = exit_post(reason="reintegrated", destination="another_mainstream", school=str(other_school.pk))
    assert client.post(exit_url(placement), data).status_code == 302
    assert ReintegrationAttempt.objects.get().school == other_school
    # Correcting the exit later neither ends the placement twice nor starts a second return.
    assert client.post(exit_url(placement), data | {"transition_plan": "Changed"}).status_code == 302
    assert ReintegrationAttempt.objects.count() == 1
    assert PlacementExit.objects.get().transition_plan == "Changed"


@pytest.mark.parametrize(
    ("decision", "reason", "destination"),
    [
        ("reintegrate", "reintegrated", "home_school"),
        ("change_provider", "another_ap", "another_ap"),
        ("end", "completed", None),
    ],
)
def test_a_review_that_ends_the_placement_leads_to_the_exit_with_its_reason(
    client,
    people,  # noqa: F811
    placement,  # noqa: F811
    decision,
    reason,
    destination,
):
    client.force_login(people.la_officer)
    response = client.post(new_url(placement), review_post(placement, decision=decision))
    assert response.status_code == 302
    url = urlparse(response.url)
    assert url.path == exit_url(placement)
    query = parse_qs(url.query)
    assert query["reason"] == [reason]
    assert query.get("destination") == ([destination] if destination else None)
    form = client.get(response.url).context["form"]
    assert form.initial["reason"] == reason


def test_the_setting_records_an_ending_review_and_is_not_sent_to_the_exit(client, people, placement):  # noqa: F811
    client.force_login(people.provider)
    response = client.post(new_url(placement), review_post(placement, decision="end"))
    assert response.status_code == 302
    assert "/reviews/" in response.url
    assert "exit" not in response.url


def test_a_return_by_hand_and_its_outcomes_at_6_and_12_weeks(client, people, placement, other_school):  # noqa: F811
    child = placement.child
    client.force_login(people.other_school)  # does not see the child
    assert client.get(reverse("reintegration_new", args=[child.public_id])).status_code == 404
    client.force_login(people.provider)  # sees the child, may not record a return
    assert client.get(reverse("reintegration_new", args=[child.public_id])).status_code == 403
    client.force_login(people.la_officer)
    record = client.get(child.get_absolute_url()).content.decode()
    assert reverse("reintegration_new", args=[child.public_id]) in record
    returned = TODAY - timedelta(days=100)
    data = {**date_fields("returned_on", returned), "school": str(other_school.pk), "support": "A key adult"}
    assert client.post(reverse("reintegration_new", args=[child.public_id]), data).status_code == 302
    attempt = ReintegrationAttempt.objects.get()
    assert attempt.placement is None
    assert attempt.school == other_school
    assert attempt.six_weeks_on < TODAY, "100 days on, the 6 weeks have passed on the calendar"
    assert list(reintegration_outcomes_due(user=people.la_officer, today=TODAY)) == [attempt]
    page = client.get(reverse("reintegrations_due")).content.decode()
    assert child.full_name in page

    outcome_url = reverse("reintegration_outcome", args=[attempt.public_id])
    errors = client.post(outcome_url, {"outcome_6_weeks": "broke_down"}).context["form"].errors
    assert errors["why_failed"] == ["Enter why the return to school broke down"]
    if attempt.twelve_weeks_on > TODAY:
        errors = client.post(outcome_url, {"outcome_12_weeks": "sustained"}).context["form"].errors
        assert "can be recorded from" in errors["outcome_12_weeks"][0]
    assert client.post(outcome_url, {"outcome_6_weeks": "partly"}).status_code == 302
    attempt.refresh_from_db()
    assert attempt.outcome_6_weeks == ReintegrationOutcome.PARTLY
    assert AuditEvent.objects.filter(action=AuditAction.REINTEGRATION_OUTCOME_RECORDED).exists()
    due_now = list(reintegration_outcomes_due(user=people.la_officer, today=TODAY))
    assert due_now == ([attempt] if attempt.twelve_weeks_on <= TODAY else [])
    with time_machine.travel(attempt.twelve_weeks_on + timedelta(days=1), tick=False):
        later = attempt.twelve_weeks_on + timedelta(days=1)
        assert list(reintegration_outcomes_due(user=people.la_officer, today=later)) == [attempt]
        # The school the child returned to records how it went; the placement's setting may not.
        receiving = UserFactory()
        receiving.memberships.create(organisation=other_school, role="senco")
        client.force_login(receiving)
        data = {"outcome_12_weeks": "broke_down", "why_failed": "Anxiety about the corridors"}
        assert client.post(outcome_url, data).status_code == 302
        assert list(reintegration_outcomes_due(user=people.la_officer, today=later)) == []
    attempt.refresh_from_db()
    assert (attempt.outcome_12_weeks, attempt.why_failed) == ("broke_down", "Anxiety about the corridors")
    client.force_login(people.la_officer)
    timeline = client.get(reverse("child_timeline", args=[child.public_id])).content.decode()
    assert f"Returned to {other_school.name}: at 6 weeks partly sustained, at 12 weeks broke down" in timeline


def test_the_outcomes_due_are_those_of_children_the_user_sees(la_officer, area, school, other_school):
    child = ChildFactory(area=area, home_school=school)
    due = ReintegrationAttemptFactory(child=child, school=school, six_weeks_on=TODAY - timedelta(days=1))
    ReintegrationAttemptFactory(child=child, school=school, six_weeks_on=TODAY + timedelta(days=1))
    ReintegrationAttemptFactory(
        child=child, school=school, six_weeks_on=TODAY - timedelta(days=50), outcome_6_weeks="sustained"
    )
    # Broke down at 6 weeks: its 12 weeks are not owed.
    ReintegrationAttemptFactory(
        child=child,
        school=school,
        six_weeks_on=TODAY - timedelta(days=80),
        twelve_weeks_on=TODAY - timedelta(days=40),
        outcome_6_weeks="broke_down",
        why_failed="x",
    )
    not_yet_known = ReintegrationAttemptFactory(
        child=child, school=school, six_weeks_on=TODAY - timedelta(days=3), outcome_6_weeks="not_yet_known"
    )
    assert set(reintegration_outcomes_due(user=la_officer, today=TODAY)) == {due, not_yet_known}
    stranger = UserFactory()
    stranger.memberships.create(organisation=other_school, role="senco")
    assert list(reintegration_outcomes_due(user=stranger, today=TODAY)) == []


# The 6- and 12-week dates across holidays -----------------------------------------------------------------------


@st.composite
def school_years(draw):
    """A school calendar: runs of weekdays with holidays of one to three weeks between, and a few days off."""
    day = date(2025, 9, 1) + timedelta(days=draw(st.integers(0, 6)))
    days = []
    for _block in range(draw(st.integers(1, 8))):
        for _ in range(draw(st.integers(1, 60))):
            if day.weekday() < 5:
                days.append(day)
            day += timedelta(days=1)
        day += timedelta(weeks=draw(st.integers(1, 3)))
    off = draw(st.sets(st.sampled_from(days), max_size=5)) if days else set()
    return [d for d in days if d not in off]


@settings(max_examples=200, deadline=None)
@given(days=school_years(), offset=st.integers(-10, 200))
def test_the_6_and_12_week_dates_count_school_weeks_on_the_calendar(days, offset):
    if not days:
        return
    year = SchoolYear(days)
    start = days[0] + timedelta(days=offset)
    six, twelve = school_weeks_on(school_year=year, start=start, weeks=(6, 12))
    later = [d for d in year.days if d >= start]
    weeks = sorted({d - timedelta(days=d.weekday()) for d in later})  # the Mondays of the school weeks from start
    if len(weeks) < 6:
        assert six is None
        assert twelve is None
        return
    # The last school day of the 6th school week: holidays and half terms are not counted.
    assert six == max(d for d in later if d - timedelta(days=d.weekday()) == weeks[5])
    assert six in year.days
    if len(weeks) < 12:
        assert twelve is None
    else:
        assert twelve == max(d for d in later if d - timedelta(days=d.weekday()) == weeks[11])
        assert six < twelve
    # At least as late as six calendar weeks less the first week's head start.
    assert six >= start + timedelta(weeks=5) - timedelta(days=6)


def test_an_attempt_over_a_half_term_counts_only_school_weeks():
    def weekdays(first: date, last: date) -> list[date]:
        return [
            first + timedelta(days=n)
            for n in range((last - first).days + 1)
            if (first + timedelta(days=n)).weekday() < 5
        ]

    # Two half terms with the week of 27 October off between them.
    year = SchoolYear(weekdays(date(2025, 9, 1), date(2025, 10, 24)) + weekdays(date(2025, 11, 3), date(2025, 12, 19)))
    six, twelve = school_weeks_on(school_year=year, start=date(2025, 10, 15), weeks=(6, 12))
    # School weeks from the week of the return: 13 Oct, 20 Oct, (half term), 3, 10, 17, 24 Nov: the 6th ends 28 Nov.
    assert six == date(2025, 11, 28)
    assert twelve is None, "the calendar stops after nine school weeks: not known yet"


# The exit fields moved off Placement, with their data ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_each_placements_ending_into_its_exit_and_back():
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    # Back to before the exits were copied (placements' removal of the fields depends on it and goes back too),
    # through the command, so that SQLite's triggers are set aside while tables are rebuilt.
    call_command("migrate", "casework", "0010_exits_and_reintegration", verbosity=0)
    try:
        before = [("casework", "0010_exits_and_reintegration"), ("placements", "0010_remove_commissioning_agreement")]
        old = MigrationExecutor(connection).loader.project_state(before).apps
        OldPlacement = old.get_model("placements", "Placement")
        area_school = OrganisationFactory()
        user = UserFactory()

        def old_placement(n, end_date, end_reason="", destination_type="", activity=""):
            child = ChildFactory(area=area_school.area, home_school=area_school)
            provider = ProviderFactory(organisation__area=area_school.area)
            return OldPlacement.objects.create(
                public_id=uuid.uuid4(),
                child_id=child.pk,
                provider_id=provider.pk,
                provision_type="pru_or_ap_academy",
                commissioner_id=area_school.pk,
                commissioner_type="school",
                reason="sa_behaviour",
                start_date=date(2025, 9, 1) + timedelta(days=n),
                end_date=end_date,
                attendance_pattern="part_time",
                hours_per_week=15,
                timetable="1111100000",
                registration_type="dual",
                main_roll="home_school",
                created_by_id=user.pk,
                end_reason=end_reason,
                destination_type=destination_type,
                destination_post16_activity=activity,
            ).pk

        ended = date(2026, 3, 31)
        cases = {
            old_placement(1, ended, "reintegrated", "mainstream_school"): ("reintegrated", "home_school", "", ""),
            old_placement(2, ended, "completed", "mainstream_school"): ("completed", "another_mainstream", "", ""),
            old_placement(3, ended, "specialist_place", "special_school"): (
                "specialist_place",
                "special_school",
                "",
                "",
            ),
            old_placement(4, ended, "post_16", "post_16", "330"): ("post_16", "employment", "330", ""),
            old_placement(5, ended, "post_16", "post_16", "410"): ("post_16", "training", "410", ""),
            old_placement(6, ended, "post_16", "post_16", "230"): ("post_16", "post_16_education", "230", ""),
            old_placement(7, ended, "post_16", "neet", "619"): ("post_16", "neet", "619", ""),
            old_placement(8, ended, "broke_down", "elective_home_education"): (
                "broke_down",
                "other",
                "",
                "Elective home education",
            ),
            old_placement(9, ended, "other", "unknown"): (
                "other",
                "other",
                "",
                "Not known (copied from the placement)",
            ),
            old_placement(10, ended, "moved_away", "moved_away"): ("moved_away", "moved_away", "", ""),
            old_placement(11, ended, "another_ap", "another_ap"): ("another_ap", "another_ap", "", ""),
            old_placement(12, ended): ("", "", "", ""),
        }
        still_open = old_placement(13, None)

        call_command("migrate", verbosity=0)
        got = {
            e.placement_id: (e.reason, e.destination, e.post16_activity, e.destination_detail)
            for e in PlacementExit.objects.all()
        }
        assert got == cases
        assert still_open not in got
        assert not PlacementExit.objects.exclude(recorded_by=None).exists(), "nobody recorded these"
        assert not ReintegrationAttempt.objects.exists()

        # And back: the old fields hold what they held (the mapping reversed).
        call_command("migrate", "casework", "0010_exits_and_reintegration", verbosity=0)
        rows = {
            pk: (reason, destination, activity)
            for pk, reason, destination, activity in OldPlacement.objects.values_list(
                "pk", "end_reason", "destination_type", "destination_post16_activity"
            )
        }
        first, _second, *_rest = cases
        assert rows[first] == ("reintegrated", "mainstream_school", "")
        ehe = list(cases)[7]
        assert rows[ehe] == ("broke_down", "elective_home_education", "")
        assert rows[list(cases)[3]] == ("post_16", "post_16", "330")
    finally:
        call_command("migrate", verbosity=0)
