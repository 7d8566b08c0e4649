"""The demo borough: the same seed builds the same borough, its mix looks like England's AP
population, every record passes the models' own validation, and each demo account sees
some children but not all."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.urls import reverse

from casework.models import (
    DestinationCheck,
    PersonalisedPlan,
    PlacementExit,
    PlanObjective,
    Referral,
    ReintegrationAttempt,
    ReintegrationOutcome,
    Review,
    destinations_where,
)
from casework.selectors.exits import reintegration_outcomes_due
from children.models import Child, EhcPlanStatus, Exclusion, Involvement, age_on
from children.upn import upn_problem
from core.access import children_visible_to, placements_visible_to
from core.accounts import SYSTEM_USERNAME
from core.models import AuditAction, AuditEvent, Membership, Organisation, User
from demo.borough import DEMO_PASSWORD, USERS, borough_build
from demo.children import UpnSource
from placements.models import AttendancePattern, MainRoll, Placement
from placements.rules import FULL_TIME_HOURS, commissioner_type_of
from placements.services import _check_rules
from providers.models import Provider, Registration

pytestmark = pytest.mark.django_db


def _snapshot():
    children = sorted(Child.objects.values_list("upn", "date_of_birth", "gender", "sen_primary_need", "looked_after"))
    placements = sorted(
        Placement.objects.values_list(
            "child__upn",
            "provider__organisation__name",
            "commissioner__name",
            "reason",
            "start_date",
            "end_date",
            "planned_end_date",
            "attendance_pattern",
            "hours_per_week",
            "registration_type",
            "exit__reason",
            "exit__destination",
        )
    )
    providers = sorted(
        Provider.objects.values_list("organisation__name", "organisation__urn", "postcode", "location_la")
    )
    involvements = sorted(
        Involvement.objects.values_list("child__upn", "person_name", "role", "started_on", "user__username")
    )
    public_ids = sorted(str(i) for i in Child.objects.values_list("public_id", flat=True))
    casework = sorted(
        Exclusion.objects.values_list("public_id", "child__upn", "school__name", "category", "start_date", "sessions")
    ) + sorted(
        PersonalisedPlan.objects.values_list(
            "placement__public_id", "reintegration_plan", "agreed_on", "decision__public_id"
        )
    )
    casework += sorted(PlanObjective.objects.values_list("plan__placement__public_id", "position", "description"))
    casework += sorted(Referral.objects.values_list("public_id", "record_when_sent"))
    casework += sorted(Review.objects.values_list("public_id", "placement__public_id", "held_on", "decision"))
    casework += sorted(DestinationCheck.objects.values_list("public_id", "placement__public_id", "kind", "activity"))
    return children, placements, providers, involvements, public_ids, casework


def test_the_same_seed_builds_the_same_borough_and_another_seed_a_different_one():
    first_summary = borough_build(children=60, seed=7)
    first = _snapshot()
    second_summary = borough_build(children=60, seed=7)
    second = _snapshot()
    assert first == second
    assert first_summary == second_summary
    # Building again replaced the data rather than adding to it.
    assert Child.objects.count() == 60 + first_summary["recorded_twice"]
    assert User.objects.exclude(username=SYSTEM_USERNAME).count() == len(USERS)
    assert Membership.objects.count() == len(USERS)

    borough_build(children=60, seed=8)
    other = _snapshot()
    assert other[0] != first[0]
    assert other[1] != first[1]


@pytest.mark.parametrize("seed", [1, 2026])
def test_the_demos_upns_cannot_run_out_for_a_borough_of_50000_children(seed):
    """Even were every child at one school and of one year (today a school's 999 serials run out first),
    50,000 UPNs come out valid and all different; and beside them other schools' never repeat one."""
    schools = [4100, 4200, 2300]
    source = UpnSource(seed=seed, la_code="877", establishments=schools)
    upns = [source.allocate(4100, 15) for _ in range(50_000)]
    upns += [source.allocate(school, year) for year in (14, 15, 16) for school in schools for _ in range(2_000)]
    assert len(set(upns)) == len(upns) == 68_000
    assert not [upn for upn in upns if upn_problem(upn)]
    assert {upn[4:8] for upn in upns} & {f"{s:04d}" for s in schools}, "a school allocates its own first"
    again = UpnSource(seed=seed, la_code="877", establishments=schools)
    assert [again.allocate(4100, 15) for _ in range(1_000)] == upns[:1_000]


def test_building_wipes_what_was_there_before(la_officer, school):
    AuditEvent.objects.create(user=la_officer, action="child_viewed")
    borough_build(children=20, seed=1)
    assert not User.objects.filter(username="officer").exists()
    assert not Organisation.objects.filter(name=school.name).exists()
    # Only the demo's own: the school adding a pupil who moved to it (recorded twice), the daily check.
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        AuditAction.CHILD_CREATED,
        AuditAction.ALERTS_RAISED,
    }


def test_the_mix_looks_like_englands_ap_population():
    today = date.today()
    summary = borough_build(children=300, seed=2026)
    children = list(Child.objects.filter(recorded_twice_as=None))
    assert len(children) == 300

    boys = sum(c.gender == "M" for c in children) / len(children)
    assert 0.55 <= boys <= 0.78
    needs = Counter(c.sen_primary_need for c in children if c.sen_primary_need)
    assert needs.most_common(1)[0][0] == "SEMH"
    ages = Counter(age_on(c.date_of_birth, today) for c in children)
    assert min(ages) >= 5
    assert max(ages) <= 16
    assert ages[14] + ages[15] > ages[11] + ages[12]
    assert any(c.ehc_plan_status == EhcPlanStatus.HAS_PLAN and c.sen_provision == "E" for c in children)
    assert any(c.ehc_plan_status == EhcPlanStatus.BEING_ASSESSED for c in children)
    assert all(c.sen_primary_need == "" for c in children if c.sen_provision == "N")
    looked_after = [c for c in children if c.looked_after]
    assert 0.07 <= len(looked_after) / len(children) <= 0.2
    assert {c.looked_after_by.la_code for c in looked_after} > {"877"}
    assert Counter(c.ethnicity for c in children).most_common(1)[0][0] == "WBRI"
    assert sum(c.home_school_id is None for c in children) < 0.1 * len(children)

    providers = list(Provider.objects.select_related("organisation"))
    assert len(providers) >= 20
    assert any(p.location_la != "877" for p in providers)
    assert any(p.registration == Registration.INDEPENDENT_UNREGISTERED for p in providers)
    assert any(p.registration == Registration.INDEPENDENT_REGISTERED for p in providers)
    assert any(p.residential for p in providers)
    assert all(p.organisation.urn for p in providers if p.registration != Registration.INDEPENDENT_UNREGISTERED)

    in_ap_today = (
        Placement.objects.filter(start_date__lte=today).exclude(end_date__lt=today).values("child").distinct().count()
    )
    assert in_ap_today == summary["in_ap_today"]
    assert 0.4 * 300 <= in_ap_today <= 0.6 * 300
    placements = list(Placement.objects.all())
    by_schools = sum(p.reason.startswith("sa_") for p in placements) / len(placements)
    assert 0.15 <= by_schools <= 0.25
    assert Placement.objects.filter(start_date__gt=today).exists()
    # Every ended placement has its exit; post-16 leavers name their NCCIS activity; some returned to school, with
    # outcomes at 6 and 12 weeks recorded, and some due and not recorded.
    assert not Placement.objects.filter(end_date__isnull=False, exit__isnull=True).exists()
    assert PlacementExit.objects.count() == summary["exits"] > 0
    assert (
        PlacementExit.objects.filter(destination__in=destinations_where("post16_activity_needed"))
        .exclude(post16_activity="")
        .exists()
    )
    assert not PlacementExit.objects.filter(transition_plan="").exists()
    assert ReintegrationAttempt.objects.count() == summary["reintegration_attempts"] > 0
    assert ReintegrationAttempt.objects.exclude(outcome_6_weeks="").exists()
    assert ReintegrationAttempt.objects.exclude(outcome_12_weeks="").exists()
    assert (
        ReintegrationAttempt.objects.filter(outcome_6_weeks=ReintegrationOutcome.BROKE_DOWN)
        .exclude(why_failed="")
        .exists()
    )
    officer = User.objects.get(username="la-officer")
    due = reintegration_outcomes_due(user=officer, today=today)
    assert due.count() == summary["reintegration_outcomes_due"] > 0


def test_every_record_passes_the_models_validation_and_the_placement_rules():
    borough_build(children=100, seed=3)
    for child in Child.objects.all():
        child.full_clean()
    for provider in Provider.objects.select_related("organisation"):
        provider.full_clean()
        provider.organisation.full_clean()
    open_main_roll = Counter()
    for placement in Placement.objects.select_related("child__area", "provider", "commissioner"):
        placement.full_clean()
        _check_rules(placement, provider_chosen=False)  # includes: no overlap of the child's placements at a provider
        assert placement.commissioner_type == commissioner_type_of(placement.commissioner)
        assert placement.out_of_area == (placement.provider.location_la != placement.child.area.la_code)
        assert placement.reason.startswith("sa_") == (placement.commissioner_type in ("school", "academy_trust"))
        if placement.attendance_pattern == AttendancePattern.FULL_TIME:
            assert FULL_TIME_HOURS <= placement.hours_per_week <= 32.5
        else:
            assert 5 <= placement.hours_per_week <= 24
        if placement.end_date is None and placement.main_roll == MainRoll.AP:
            open_main_roll[placement.child_id] += 1
    assert max(open_main_roll.values(), default=0) <= 1
    for involvement in Involvement.objects.all():
        involvement.full_clean()
    for exclusion in Exclusion.objects.select_related("school", "child"):
        exclusion.full_clean()
        assert exclusion.child.home_school_id in (exclusion.school_id, None)
    for plan in PersonalisedPlan.objects.select_related("placement").prefetch_related("objectives"):
        plan.full_clean()
        assert plan.placement.planned_end_date is not None
        objectives = list(plan.objectives.all())
        assert 2 <= len(objectives) <= 3
        for objective in objectives:
            objective.full_clean()
            assert objective.baseline
            assert plan.placement.start_date <= objective.target_date <= plan.placement.planned_end_date
        assert plan.baseline_needs
        assert plan.family_told_on
        assert not plan.family_told_missing()


def test_a_small_share_is_suspended_or_excluded_and_most_placements_have_a_plan():
    today = date.today()
    summary = borough_build(children=300, seed=2026)
    exclusions = list(Exclusion.objects.all())
    suspended = {e.child_id for e in exclusions}
    assert 0.05 * 300 <= len(suspended) <= 0.35 * 300
    assert all(today - timedelta(days=730) <= e.start_date < today for e in exclusions)
    assert all(e.start_date.weekday() < 5 for e in exclusions)
    assert Counter(e.reason for e in exclusions).most_common(1)[0][0] == "DB"
    permanent = [e for e in exclusions if e.is_permanent]
    assert permanent
    assert all(Child.objects.get(pk=e.child_id).home_school_id is None for e in permanent)

    open_now = Placement.objects.filter(start_date__lte=today, end_date__isnull=True)
    planned = open_now.filter(personalised_plan__isnull=False).count()
    assert 0.6 <= planned / open_now.count() <= 0.9
    assert summary["open_placements_without_plan"] == open_now.count() - planned
    assert not open_now.filter(planned_end_date__isnull=True, personalised_plan__isnull=False).exists()
    languages = Counter(PersonalisedPlan.objects.values_list("family_language", flat=True))
    assert languages.most_common(1)[0][0] == "en"
    assert len(languages) > 1


def test_each_demo_account_sees_some_children_and_not_others():
    borough_build(children=100, seed=5)
    everyone = Child.objects.count()
    for username, _role in USERS:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.first_name
        assert user.last_name
        seen = children_visible_to(user=user).count()
        if username == "la-officer":
            assert seen == everyone
        else:
            assert 0 < seen < everyone, username


def test_the_command_prints_the_sign_ins(settings, capsys):
    from django.core.management import call_command

    settings.DEMO_MAY_EMPTY_DATABASE = True  # as config.settings.local, which `make demo` uses
    call_command("demo", children=30, seed=11)
    out = capsys.readouterr().out
    for username, _role in USERS:
        assert username in out
    assert DEMO_PASSWORD in out
    assert "http://127.0.0.1:8000" in out
    assert "survey responses        66" in out


def test_the_command_empties_a_database_only_where_the_settings_say_it_may(settings, school):
    from django.core.management import CommandError, call_command

    from config.settings import local

    assert local.DEMO_MAY_EMPTY_DATABASE, "make demo runs under config.settings.local, without debug pages"
    settings.DEMO_MAY_EMPTY_DATABASE = settings.DEBUG = False  # as config.settings.production
    with pytest.raises(CommandError, match="deletes every record"):
        call_command("demo", children=30, seed=11)
    assert Organisation.objects.filter(pk=school.pk).exists()


def test_the_demo_survey_has_results_to_show_and_small_groups_hidden(settings):
    from django.core.management import call_command

    from survey.models import Survey
    from survey.selectors import survey_results

    settings.DEMO_MAY_EMPTY_DATABASE = True  # as config.settings.local, which `make demo` uses
    call_command("demo", children=30, seed=11)
    results = survey_results(survey=Survey.objects.get())
    assert all(r.shown for r in results)
    languages = dict(results[0].languages)
    assert languages["English"] >= 5
    assert None in languages.values(), "a language few answered in is not shown apart"
    survey = Survey.objects.get()
    assert survey.releases.count() == 3, "published once for each audience"
    assert survey.responses.filter(release__isnull=True).count() == 2, "today's answers wait for the next release"


def test_ended_placements_have_attendance_for_their_span():
    """The Annex A lists and the tracking packs show attendance for settings a child has left, not only this year's."""
    from django.db.models import Max, Min

    from attendance.models import AttendanceMark
    from terms.calendar import SchoolCalendar

    today = date.today()
    borough_build(children=80, seed=5)
    spans = {
        row["placement_id"]: (row["first"], row["last"])
        for row in AttendanceMark.objects.values("placement_id").annotate(first=Min("date"), last=Max("date"))
    }
    ended = list(Placement.objects.filter(end_date__lt=today).select_related("child__area"))
    assert ended
    area = ended[0].child.area
    calendar = SchoolCalendar.load(area=area, start=today - timedelta(days=800), end=today)
    for placement in ended:
        if not calendar.days(placement.start_date, placement.end_date):
            continue
        assert placement.pk in spans, placement
        first, last = spans[placement.pk]
        assert placement.start_date <= first <= last <= placement.end_date


def test_the_demo_inspector_reads_three_tracked_children_by_pseudonym_only(client):
    from inspection.models import Inspection

    borough_build(children=80, seed=5)
    today = date.today()
    inspection = Inspection.objects.get()
    assert inspection.visit_starts_on <= today <= inspection.visit_ends_on
    tracked = list(inspection.tracked.select_related("child"))
    assert len(tracked) == 3
    client.force_login(User.objects.get(username="inspector"))
    assert children_visible_to(user=User.objects.get(username="inspector")).count() == 3
    # The page's own content: the header names the signed-in inspector, who may share a child's surname.
    page = client.get(f"/inspections/{inspection.public_id}/tracking/").content.decode().split("<main", 1)[1]
    for t in tracked:
        assert t.pseudonym in page
        assert t.child.last_name not in page
        assert t.child.upn not in page
        pack = client.get(f"/inspections/{inspection.public_id}/tracking/{t.child.public_id}/")
        assert pack.status_code == 200
        assert t.child.upn not in pack.content.decode()


def test_the_demo_has_settings_on_their_own_calendars_and_their_childrens_marks_follow_them():
    """An out-of-area school on its own LA's term dates, an AP academy with its trust's INSET days."""
    from attendance.models import AttendanceMark
    from demo.calendars import OWN_LA_CALENDAR_PROVIDER, TRUST_CALENDAR_PROVIDER
    from terms.calendar import Calendars
    from terms.models import SettingCalendar

    today = date.today()
    borough_build(children=150, seed=2026)
    links = {link.organisation.name: link.calendar for link in SettingCalendar.objects.select_related("calendar")}
    own, trust = links[OWN_LA_CALENDAR_PROVIDER], links[TRUST_CALENDAR_PROVIDER]
    assert own.name == "Cheshire East term dates"
    assert own.parent is None
    assert trust.parent.is_area_default
    start = today - timedelta(days=700)
    calendars = Calendars.load(start=start, end=today, areas=[own.area_id])
    area_days = set(calendars.of_area(own.area_id).days(start, today))
    for calendar, provider in ((own, OWN_LA_CALENDAR_PROVIDER), (trust, TRUST_CALENDAR_PROVIDER)):
        days = set(calendars.of_calendar(calendar.pk).days(start, today))
        assert days != area_days
        marked = set(
            AttendanceMark.objects.filter(provider__organisation__name=provider, date__gte=start).values_list(
                "date", flat=True
            )
        )
        assert marked
        # Marked only on the setting's own school days ...
        assert marked <= days
        # ... so its children's possible sessions differ from what the area's calendar would give:
        # days the area is closed and it is open, or its own closures while it had children to mark.
        differing = days ^ area_days
        assert any(min(marked) <= day <= max(marked) for day in differing), provider
    own_only = set(calendars.of_calendar(own.pk).days(start, today)) - area_days
    assert own_only
    assert AttendanceMark.objects.filter(
        provider__organisation__name=OWN_LA_CALENDAR_PROVIDER, date__in=own_only
    ).exists()


def test_the_demo_provider_still_sees_a_placement_ended_lately_and_nothing_else_of_that_child(client):
    borough_build(children=300, seed=2026)
    manager = User.objects.get(username="provider-manager")
    today = date.today()
    lately = Placement.objects.filter(
        provider__organisation__in=manager.organisations,
        end_date__lt=today,
        end_date__gte=today - timedelta(days=30),
    ).exclude(child__in=children_visible_to(user=manager))
    assert lately.exists()
    client.force_login(manager)
    record = client.get(f"/children/{lately.first().child.public_id}/")
    assert "children/child_left.html" in [t.name for t in record.templates]


def test_the_demo_reviews_are_mostly_on_time_some_overdue_some_extending(client):
    """Reviews held on the schedule, most on time; open placements with a review overdue for the LA and for a
    commissioning school; extensions to the placement's planned end; progress on every objective of the plan;
    the record since the last review kept with each."""
    from casework.models import ObjectiveProgress
    from casework.selectors.reviews import review_schedule_of, reviews_of, reviews_overdue

    today = date.today()
    summary = borough_build(children=300, seed=2026)
    assert summary["reviews"] == Review.objects.count() > 100
    officer = User.objects.get(username="la-officer")
    overdue = reviews_overdue(user=officer, today=today)
    open_now = Placement.objects.filter(start_date__lte=today, end_date__isnull=True).count()
    assert 0.03 * open_now <= len(overdue) == summary["reviews_overdue"] <= 0.3 * open_now
    assert any(p.child.looked_after for p in overdue)
    assert any(not p.child.looked_after for p in overdue)
    assert reviews_overdue(user=User.objects.get(username="school-lead"), today=today).exists()
    on_time = late = 0
    officer = User.objects.get(username="la-officer")
    for placement in (
        Placement.objects.filter(reviews__isnull=False)
        .distinct()
        .select_related("child__area", "provider__organisation")[::7]
    ):
        reviews = reviews_of(user=officer, placement=placement)
        for due in review_schedule_of(placement=placement, reviews=reviews, today=today):
            if due.held_on:
                on_time += not due.held_late
                late += due.held_late
        objectives = set(PlanObjective.objects.filter(plan__placement=placement).values_list("pk", flat=True))
        for review in reviews:
            review.full_clean()
            assert placement.start_date <= review.held_on <= min(today, placement.end_date or today)
            assert {p.objective_id for p in review.progress.all()} == objectives
            assert review.record_since["as_of"] == review.held_on.isoformat()
    assert on_time > 3 * late > 0
    extended = Review.objects.filter(decision="extend").select_related("placement")
    assert extended.exists()
    assert all(r.new_planned_end_date == r.placement.planned_end_date > r.held_on for r in extended)
    assert Review.objects.filter(decision="reintegrate").exists()
    assert ObjectiveProgress.objects.filter(status="not_on_track").exists()
    client.force_login(officer)
    assert client.get(reverse("reviews_overdue")).status_code == 200
    review = Review.objects.order_by("-held_on").first()
    assert client.get(review.get_absolute_url()).status_code == 200
    assert client.get(reverse("placement_reviews", args=[review.placement.public_id])).status_code == 200


def test_the_demo_list_of_children_has_every_standing_behind_it():
    from insight.selectors import STANDINGS, ChildSearch, children_found

    borough_build(children=100, seed=5, attendance=False)
    officer = User.objects.get(username="la-officer")
    for standing, words in STANDINGS:
        assert children_found(user=officer, search=ChildSearch(standing=standing)).exists(), words


def test_the_demo_la_has_a_child_recorded_twice_to_settle_and_the_school_sees_only_its_own(client):
    from django.urls import reverse

    borough_build(children=100, seed=5, attendance=False)
    client.force_login(User.objects.get(username="la-officer"))
    (later,) = client.get(reverse("recorded_twice")).context["children"]
    assert later.home_school == User.objects.get(username="school-lead").primary_organisation
    client.force_login(User.objects.get(username="school-lead"))
    assert client.get(later.get_absolute_url()).status_code == 200
    assert client.get(later.recorded_twice_as.get_absolute_url()).status_code == 404


def test_the_access_probe_a_new_area_would_run_on_the_demo_finds_nothing(client):
    """Each demo account walks the register, then opens the ids of children not on it."""
    from django.urls import reverse

    borough_build(children=100, seed=5, attendance=False)
    everyone = list(Child.objects.order_by("pk"))
    for username, _role in USERS:
        user = User.objects.get(username=username)
        client.force_login(user)
        visible = set(children_visible_to(user=user).values_list("pk", flat=True))
        # A setting still sees, for a while, the placement of a child who left it (the child's limited record).
        left = set(placements_visible_to(user=user).values_list("child_id", flat=True)) - visible
        hidden = [c for c in everyone if c.pk not in visible | left][::7]
        assert hidden or username == "la-officer", username
        refused = 403 if username == "inspector" else 404
        if username != "inspector":
            register = client.get(reverse("register"), {"period": "recent"}).content.decode()
            listing = client.get(reverse("child_list")).content.decode()
            # A UPN the user holds on a record of their own (a pupil recorded twice) is theirs to show.
            own = set(Child.objects.filter(pk__in=visible).values_list("upn", flat=True))
            for child in (c for c in hidden if c.upn not in own):
                assert child.upn not in register, (username, child.upn)
                assert child.upn not in listing, (username, child.upn)
        for child in hidden:
            for name in ("child_detail", "child_attendance"):
                key = "public_id" if name == "child_detail" else "child_id"
                status = client.get(reverse(name, kwargs={key: child.public_id})).status_code
                assert status == refused, (username, name, child.upn)


def test_the_demo_la_sees_home_school_marks_beside_the_settings_and_a_corrected_alert(client):
    from attendance.alerts import alerts_with_corrections
    from attendance.models import Alert, HomeSchoolMark

    borough_build(children=100, seed=5)
    mark = HomeSchoolMark.objects.select_related("child").order_by("-date").first()
    assert mark is not None, "the home schools have sent their registers"
    client.force_login(User.objects.get(username="la-officer"))
    page = client.get(f"/attendance/children/{mark.child.public_id}/").content.decode()
    assert "Home school, morning" in page
    corrected = [a for a in alerts_with_corrections(list(Alert.objects.all())) if a.correction]
    assert corrected, "one alert's mark was since corrected"


def test_the_demo_schools_told_the_la_of_their_ap_and_part_time_timetables(client):
    from placements.models import PartTimeTimetable
    from placements.rules import SCHOOL_COMMISSIONERS, part_time_errors

    today = date.today()
    summary = borough_build(children=300, seed=2026)
    timetables = list(PartTimeTimetable.objects.select_related("child"))
    assert summary["part_time_timetables"] == len(timetables) >= 5
    for timetable in timetables:
        timetable.full_clean()
        assert not part_time_errors(timetable.timetable, timetable.hours_per_week)
        assert timetable.school_id == timetable.child.home_school_id
    running = [t for t in timetables if t.end_date is None]
    assert running, "the LA has running part-time timetables to oversee"
    assert any(t.time_limit < today for t in running), "and one past its time limit, to chase"
    told = Placement.objects.filter(commissioner_type__in=SCHOOL_COMMISSIONERS, end_date=None, start_date__lte=today)
    assert told.exists()
    assert not told.filter(review_date=None).exists(), "a school tells the LA when its placement is reviewed"
    assert not told.filter(planned_end_date=None).exists()

    client.force_login(User.objects.get(username="la-officer"))
    listed = client.get(reverse("told_by_schools") + "?show=timetables").context["page"].paginator.count
    assert listed == len(running)


def _panels_snapshot():
    from casework.models import Decision, Panel, PanelMember, Referral

    return (
        sorted(Panel.objects.values_list("public_id", "kind__name", "meets_on")),
        sorted(PanelMember.objects.values_list("panel__public_id", "person_name", "sector")),
        sorted(
            Referral.objects.values_list("public_id", "child__upn", "referrer__name", "status", "reason", "sent_at")
        ),
        sorted(Decision.objects.values_list("public_id", "referral__public_id", "outcome", "provider", "decided_at")),
    )


def test_the_same_seed_builds_the_same_panels_referrals_and_decisions():
    borough_build(children=60, seed=7, attendance=False)
    first = _panels_snapshot()
    borough_build(children=60, seed=7, attendance=False)
    assert _panels_snapshot() == first
    assert all(first), "panels, members, referrals and decisions"


def test_the_demo_panels_have_every_flag_behind_them(client):
    """A queue of 20 to 40 today, fast-tracked first; every outcome decided, AP placement the most; panels
    without health and without social care, their decisions flagged; drafts and withdrawals; each decision
    naming a provider followed by a placement there, unless made lately."""
    from casework.models import AgendaItem, Decision, Panel, PanelKind, Referral
    from casework.selectors.panels import referral_queue
    from core.access import referrals_visible_to
    from core.codes import code_set
    from demo.panels import LATELY_DAYS

    today = date.today()
    summary = borough_build(children=300, seed=2026, attendance=False)
    officer = User.objects.get(username="la-officer")
    queue = referral_queue(user=officer, today=today)
    assert 20 <= queue.paginator.count <= 40
    assert summary["referrals_awaiting"] == queue.paginator.count
    rows = list(queue)
    fast = [r.is_fast_tracked for r in rows]
    assert any(fast)
    assert fast == sorted(fast, reverse=True), "fast-tracked first"
    assert any(r.agenda_items.all() for r in rows)
    assert any(not r.agenda_items.all() for r in rows)
    assert any(i.panel.meets_on >= today for r in rows for i in r.agenda_items.all()), "on an agenda to come"
    assert Referral.objects.filter(status="draft").count() >= 2
    assert Referral.objects.filter(status="withdrawn").exists()
    assert PanelKind.objects.count() == 3

    outcomes = Counter(Decision.objects.values_list("outcome", flat=True))
    assert set(outcomes) == set(code_set("panel_outcome"))
    assert outcomes.most_common(1)[0][0] == "ap_placement"
    missing = Counter(s for d in Decision.objects.values_list("sectors_missing", flat=True) for s in d)
    assert missing["health"]
    assert missing["social_care"]
    assert Decision.objects.filter(sectors_missing=[]).count() > sum(missing.values())
    assert Referral.objects.filter(status="decided", fast_tracked_at__isnull=False).exists()

    for panel in Panel.objects.filter(meets_on__lt=today).prefetch_related("members")[::5]:
        panel.full_clean()
        for decision in Decision.objects.filter(panel=panel):
            assert decision.sectors_missing == [s.value for s in panel.sectors_missing()]
    for decision in Decision.objects.select_related("referral", "panel", "provider"):
        decision.full_clean()
        decision.referral.full_clean()
        assert decision.referral.status == "decided"
        assert decision.referral.sent_at < decision.decided_at
        assert decision.decided_at.date() == decision.panel.meets_on < today
        assert AgendaItem.objects.filter(panel=decision.panel, referral=decision.referral).exists()
        if decision.provider is None:
            continue
        placed = Placement.objects.filter(
            child=decision.referral.child_id, provider=decision.provider, start_date__gt=decision.panel.meets_on
        )
        assert placed.exists() or decision.panel.meets_on >= today - timedelta(days=LATELY_DAYS), decision

    for username in ("school-lead", "provider-manager"):
        assert referrals_visible_to(user=User.objects.get(username=username)).filter(status="decided").exists()
    client.force_login(officer)
    assert client.get("/panels/queue/").status_code == 200
    panel = Panel.objects.filter(meets_on__lt=today).order_by("-meets_on").first()
    assert client.get(panel.get_absolute_url()).status_code == 200


def test_the_demo_tells_one_story_from_referral_to_panel_to_plan(client):
    """Plans of placements that followed a decision name it; a few decisions await their placement, one
    of them at an in-area setting with places; sent referrals keep the record's figures; the demo health
    practitioner and social worker each have a referral of a child on their caseload awaiting a panel."""
    from django.utils import timezone

    from casework.models import Decision
    from casework.selectors.referrals import referral_record_so_far
    from core.access import referrals_visible_to
    from demo.panels import LATELY_DAYS

    today = date.today()
    summary = borough_build(children=300, seed=2026)
    officer = User.objects.get(username="la-officer")
    client.force_login(officer)

    linked = list(
        PersonalisedPlan.objects.filter(decision__isnull=False).select_related(
            "placement", "decision__panel", "decision__referral"
        )
    )
    assert len(linked) == summary["plans_following_decisions"] >= 30
    for plan in linked:
        decision = plan.decision
        assert decision.provider_id == plan.placement.provider_id
        assert decision.referral.child_id == plan.placement.child_id
        assert decision.decided_at.date() == decision.panel.meets_on < plan.placement.start_date
        assert decision.panel.meets_on <= plan.agreed_on <= plan.placement.start_date
    followed = linked[0].decision
    page = client.get(reverse("referral_detail", args=[followed.referral.public_id])).content.decode()
    assert "its personalised plan" in page
    assert "Start the placement with its plan" not in page
    assert (
        reverse("placement_plan", args=[linked[0].placement.public_id])
        in client.get(followed.panel.get_absolute_url()).content.decode()
    )

    awaiting = list(
        Decision.objects.filter(provider__isnull=False, personalised_plan__isnull=True).select_related(
            "provider", "panel", "referral__child__area"
        )
    )
    assert len(awaiting) == summary["decisions_awaiting_placement"] >= 2
    open_now = Counter(
        Placement.objects.filter(start_date__lte=today).exclude(end_date__lt=today).values_list("provider", flat=True)
    )
    startable = []
    for decision in awaiting:
        assert decision.panel.meets_on >= today - timedelta(days=LATELY_DAYS)
        child = decision.referral.child
        assert not Placement.objects.filter(child=child, provider=decision.provider).exists()
        if (
            decision.outcome == "ap_placement"
            and decision.provider.location_la == child.area.la_code
            and decision.provider.capacity > open_now[decision.provider.pk]
            and decision.panel.meets_on < today
            and decision.panel.members.exists()
        ):
            startable.append(decision)
    assert startable, "an AP placement at an in-area setting with places, decided at a panel that met"
    page = client.get(reverse("referral_detail", args=[startable[0].referral.public_id])).content.decode()
    assert "Start the placement with its plan" in page

    sent = list(Referral.objects.filter(sent_at__isnull=False).select_related("child"))
    assert summary["referrals_with_figures"] == len(sent)
    assert all(r.record_when_sent["as_of"] == timezone.localdate(r.sent_at).isoformat() for r in sent)
    assert any(r.record_when_sent["attendance"]["possible"] for r in sent)
    assert any(r.record_when_sent["suspensions"] for r in sent)
    for referral in sent[::25]:  # what the service would have kept, had it sent them
        today_then = timezone.localdate(referral.sent_at)
        assert referral.record_when_sent == referral_record_so_far(child=referral.child, today=today_then)
    assert not Referral.objects.filter(status="draft").exclude(record_when_sent={}).exists()
    page = client.get(reverse("referral_detail", args=[sent[0].public_id])).content.decode()
    assert "As the record stood when the referral was sent" in page

    for username in ("health-practitioner", "social-worker"):
        user = User.objects.get(username=username)
        caseload = Involvement.objects.filter(user=user, ended_on=None).values("child")
        assert referrals_visible_to(user=user).filter(status="sent", child__in=caseload).exists(), username


def test_the_demo_has_children_behind_every_oversight_flag_children_in_care_among_them(client):
    from insight.oversight import FLAGS

    borough_build(children=300, seed=2026, attendance=False)
    officer = User.objects.get(username="la-officer")
    area = officer.primary_organisation.area
    area.time_limits_flagged = True
    area.save(update_fields=["time_limits_flagged"])
    client.force_login(officer)
    counts = {row["flag"].key: row for row in client.get("/").context["oversight"]}
    assert set(counts) == {flag.key for flag in FLAGS}
    empty = [key for key, row in counts.items() if not row["children"]]
    assert empty == [], "every flag has children behind it"
    assert counts["registration-risk"]["looked_after"] >= 1
    assert sum(row["looked_after"] for row in counts.values()) >= 5
    for key in counts:
        assert client.get(reverse("oversight_flag", args=[key])).status_code == 200
    # Sufficiency: every placement open today counts once in each breakdown; some need has no local provider.
    sufficiency = client.get(reverse("sufficiency")).context["s"]
    for lines in (sufficiency.by_need, sufficiency.by_pattern, sufficiency.by_place):
        assert sum(x.placed for x in lines) == sufficiency.totals.placed > 0
    assert sufficiency.totals.waiting > 0
    # The flag and the list of reviews overdue count the same children.
    overdue = client.get(reverse("reviews_overdue")).context["page"].paginator.count
    assert counts["reviews-overdue"]["children"] == overdue


def test_the_demo_leavers_have_destination_checks_some_overdue_some_neet_some_sustained(client):
    """Young people who left AP in Year 11 or later, checked on in their windows, most on time; some checks never
    made, overdue on the list; some NEET at their last check, in care and not; destinations judged sustained."""
    from casework.destinations import Sustained
    from casework.selectors.destinations import SHOW_NEET, SHOW_OVERDUE, checks_due, leavings_of_child
    from insight.oversight import Reads, not_in_education_or_training

    today = date.today()
    summary = borough_build(children=300, seed=2026)
    assert summary["destination_checks"] == DestinationCheck.objects.count() > 20
    officer = User.objects.get(username="la-officer")
    overdue = checks_due(user=officer, today=today, show=SHOW_OVERDUE)
    assert overdue
    assert all(leaving.overdue(today) for leaving in overdue)
    # The LA's flag and the list of checks due name the same young people NEET.
    neet = not_in_education_or_training(Reads(user=officer, today=today))
    assert neet
    assert {hit.child_id for hit in neet} == {
        leaving.child.pk for leaving in checks_due(user=officer, today=today, show=SHOW_NEET)
    }
    judged = set()
    for check in DestinationCheck.objects.select_related("placement__child"):
        check.full_clean()
        (leaving,) = leavings_of_child(user=officer, child=check.placement.child, today=today)
        (due,) = [c for c in leaving.schedule if c.kind == check.kind]
        assert due.opens <= check.checked_on <= today
        judged.add(leaving.sustained)
    # The borough's leavers left from the autumn of 2025: their March checks, and so their sustained destinations,
    # come in with the March after the borough's today.
    assert judged - {Sustained.NOT_YET_KNOWN} if DestinationCheck.objects.filter(kind="march").exists() else judged
    client.force_login(officer)
    page = client.get(reverse("destinations_due")).content.decode()
    assert "NEET" in page
    assert "Overdue" in page
    leaving = overdue[0]
    assert client.get(reverse("leaving_destinations", args=[leaving.placement.public_id])).status_code == 200
    assert "Destination after AP" in client.get(leaving.child.get_absolute_url()).content.decode()
