"""In a real browser, the journey of issue 11: a school refers its pupil, the LA's multi-agency panel decides an AP
placement, the LA starts the placement with its personalised plan, and the school reads the decision. Clicks and
typing only, wherever the pages offer a link; axe-core on every page."""

from datetime import date, timedelta

import pytest

from attendance.models import HomeSchoolMark
from attendance.rules import attendance_percentage
from casework.models import Decision, PersonalisedPlan, Referral
from casework.referral_figures import school_year_start
from core.models import OrganisationKind
from tests.chromium import assert_accessible, sign_in
from tests.factories import ChildFactory, ExclusionFactory, OrganisationFactory, PanelKindFactory, ProviderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _date(page, prefix: str, day: date) -> None:
    page.locator(f"#id_{prefix}_0").fill(str(day.day))
    page.locator(f"#id_{prefix}_1").fill(str(day.month))
    page.locator(f"#id_{prefix}_2").fill(str(day.year))


def _sign_in_again(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, username)
    page.get_by_role("heading", level=1).first.wait_for()


def _home_school_marks(child, school, recorded_by) -> tuple[int, int]:
    """The school's own register: up to ten sessions this school year, the last two absent. Returns (attended,
    possible) as the referral should count them, whatever day of the year the test runs."""
    today = date.today()
    day, sessions = max(school_year_start(today), today - timedelta(days=13)), []
    while day <= today:
        if day.weekday() < 5:
            sessions += [(day, 1), (day, 2)]
        day += timedelta(days=1)
    sessions = sessions[-10:]
    codes = ["/"] * (len(sessions) - 2) + ["O", "O"] if len(sessions) > 2 else ["/"] * len(sessions)
    HomeSchoolMark.objects.bulk_create(
        HomeSchoolMark(child=child, school=school, date=d, session=s, code=code, recorded_by=recorded_by)
        for (d, s), code in zip(sessions, codes, strict=True)
    )
    return codes.count("/"), len(codes)


def test_a_schools_referral_goes_to_a_panel_and_becomes_a_placement_with_its_plan(
    page, live_server, area, la, la_officer, school, school_lead
):
    child = ChildFactory(area=area, home_school=school, first_name="Kai", last_name="Doyle")
    attended, possible = _home_school_marks(child, school, la_officer)
    ExclusionFactory(child=child, school=school, sessions=4, start_date=date.today() - timedelta(days=20))
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate Pupil Referral Unit")
    OrganisationFactory(kind=OrganisationKind.HEALTH, area=area, urn="", name="CAMHS North")
    OrganisationFactory(kind=OrganisationKind.SOCIAL_CARE, area=area, urn="", name="Children's services")
    PanelKindFactory(area=area, name="Fair access panel")

    # 1. The school's designated lead refers their pupil, from the list of its children.
    sign_in(page, live_server, school_lead.username)
    page.get_by_role("link", name="Register", exact=True).click()
    assert_accessible(page, "01-school-register")
    # Not in AP yet, so not on the register: on the list of every child the school may see.
    page.get_by_role("link", name="Search every child you may see").click()
    assert_accessible(page, "01-school-children")
    page.get_by_role("link", name="Doyle, Kai").click()
    page.get_by_role("heading", name="Kai Doyle").wait_for()
    assert_accessible(page, "02-school-child")
    page.get_by_role("link", name="Refer to a panel").click()
    page.get_by_role("heading", name="Refer to a panel").wait_for()
    assert_accessible(page, "03-referral-form")
    page.get_by_label("Main reason for the referral").select_option(label="At risk of permanent exclusion")
    # The needs start from the record; the school adds to them rather than typing them again.
    needs = page.get_by_label("The child's needs")
    assert "Primary SEN need: Social, emotional and mental health." in needs.input_value()
    needs.fill(f"{needs.input_value()}\nAnxiety in large groups; dysregulated after break times")
    page.get_by_label("What has been tried in school").fill("Mentoring twice a week since September (Head of Year 9)")
    page.get_by_label("Risks and safeguarding").fill("Known to early help; no child protection plan")
    page.get_by_role("group", name="How were the child's views gathered?").get_by_label("Through an advocate").check()
    page.get_by_label("The child's own views").fill("Wants a smaller place where staff listen")
    page.get_by_role("group", name="How were the parent or carer's views gathered?").get_by_label("In person").check()
    page.get_by_label("The parent or carer's views").fill("Mum wants a fresh start and help with anxiety")
    _date(page, "family_consented_on", date.today() - timedelta(days=1))
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("heading", name="Now send the referral").wait_for()
    figures = f"{attendance_percentage(attended, possible)}%: {attended} of {possible} possible sessions"
    assert page.get_by_text(figures).is_visible()
    assert page.get_by_text("1, 2 days in all").is_visible()
    assert page.get_by_text("Wants a smaller place where staff listen").is_visible()
    assert page.get_by_text("Primary SEN need: Social, emotional and mental health.").is_visible()
    assert_accessible(page, "04-referral-check")
    page.get_by_role("button", name="Send the referral").click()
    page.get_by_text("sent to the local authority").wait_for()
    assert page.get_by_text("Awaiting a panel").first.is_visible()
    assert page.get_by_text(figures).is_visible()
    assert page.get_by_text("As the record stood when the referral was sent").is_visible()
    assert_accessible(page, "05-referral-sent")
    referral = Referral.objects.get(child=child)
    assert referral.status == "sent"

    # 2. The LA's officer arranges a panel, records who attended, puts the referral on the agenda and decides.
    _sign_in_again(page, live_server, la_officer.username)
    page.get_by_role("link", name="Panels", exact=True).click()
    assert_accessible(page, "06-panels")
    page.get_by_role("link", name="Referrals awaiting a decision (1)").click()
    queue = page.locator("tbody tr")
    assert queue.count() == 1
    assert "Kai Doyle" in queue.first.inner_text()
    assert_accessible(page, "07-panel-queue")
    page.get_by_role("link", name="Arrange a panel").click()
    assert_accessible(page, "08-panel-new")
    page.get_by_label("Fair access panel").check()
    _date(page, "meets_on", date.today())
    page.get_by_role("button", name="Arrange the panel").click()
    page.get_by_text("is arranged. Record who attends and choose its agenda.").wait_for()
    banner = page.get_by_role("region", name="Not fully multi-agency")
    assert "No one is recorded as attending this panel yet" in banner.inner_text()
    assert_accessible(page, "09-panel-no-one")

    for name, role, organisation, sector in (
        ("Jo Patel", "Head of inclusion", la.name, "Education"),
        ("Sam Rees", "CAMHS lead", "CAMHS North", "Health"),
        ("Ali Khan", "Team manager", "Children's services", "Social care"),
    ):
        page.get_by_role("link", name="Record who attended").click()
        if sector == "Education":
            assert_accessible(page, "10-panel-member")
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Role (optional)").fill(role)
        page.get_by_label("Organisation").select_option(label=organisation)
        page.get_by_label(sector, exact=True).check()
        page.get_by_role("button", name="Save").click()
        page.get_by_text(f"{name} recorded as attending.").wait_for()
        if sector == "Education":
            # Education alone: the panel says it lacks health and social care.
            assert "No one from health or social care attended this panel." in banner.inner_text()
            assert_accessible(page, "11-panel-without-health-and-care")
    assert banner.count() == 0

    page.get_by_role("link", name="Choose referrals from the queue").click()
    assert_accessible(page, "12-panel-agenda")
    page.get_by_label("Kai Doyle").check()
    page.get_by_role("button", name="Put on the agenda").click()
    page.get_by_text("1 referral put on the agenda.").wait_for()
    page.get_by_role("link", name="Record the decision for Kai Doyle").click()
    page.get_by_role("heading", name="Record the decision").wait_for()
    assert page.locator(".govuk-warning-text").count() == 0
    assert_accessible(page, "13-decision-form")
    page.get_by_label("AP placement at a named provider").check()
    page.get_by_label("Provider", exact=True).select_option(label="Northgate Pupil Referral Unit")
    page.get_by_label("Why the panel decided this").fill("A small setting with SEMH expertise, close to home")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Decision recorded for Kai Doyle.").wait_for()
    assert_accessible(page, "14-panel-decided")
    decision = Decision.objects.get(referral=referral)
    assert (decision.outcome, decision.provider, decision.sectors_missing) == ("ap_placement", provider, [])

    # 3. From the referral's page, the LA starts the placement with its personalised plan.
    page.get_by_role("link", name="Kai Doyle (referral)", exact=True).click()
    page.get_by_role("heading", name="The panel's decision").wait_for()
    assert_accessible(page, "15-referral-decided-la")
    page.get_by_role("link", name="Start the placement with its plan").click()
    page.get_by_role("heading", name="Start the placement the panel decided").wait_for()
    assert_accessible(page, "16-placement-from-decision")
    start, end = date.today() + timedelta(days=7), date.today() + timedelta(days=127)
    page.get_by_label("PRU or AP academy").check()
    _date(page, "start_date", start)
    _date(page, "planned_end_date", end)
    page.get_by_label("Full time", exact=True).check()
    page.get_by_label("Hours of education a week").fill("25")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        page.get_by_label(f"{day} morning").check()
        page.get_by_label(f"{day} afternoon").check()
    page.get_by_label("Dual registration").check()
    page.get_by_label("Home school", exact=True).check()
    page.locator("#id_objectives-0-description").fill("Attend every timetabled session")
    page.locator("#id_objectives-0-measure").fill("The setting's register, weekly")
    page.locator("#id_objectives-0-baseline").fill("80% at the home school")
    _date(page, "objectives-0-target_date", end)
    page.get_by_label("The intervention").fill("Small-group teaching and a key worker")
    page.get_by_label("Its timeline").fill("Settling in for two weeks, then full time")
    page.get_by_label("The reintegration plan or next step").fill("Phased return to Priestley over four weeks")
    _date(page, "family_told_on", date.today())
    page.get_by_label("Language the family was told in").select_option(label="Polish")
    for label in (
        "Why the child is placed",
        "When it starts",
        "For how long",
        "Who will teach the child, and where",
        "How and when it will be reviewed",
    ):
        page.get_by_label(label).fill(f"Told: {label.lower()}")
    page.get_by_label("The child's needs").fill("Anxiety in large groups")
    page.get_by_label("What triggers distress or behaviour").fill("Crowded corridors")
    page.get_by_label("What works").fill("A calm start with a key adult")
    page.get_by_label("Attainment").fill("Reading age 10y 2m")
    page.get_by_role("button", name="Start the placement").click()
    page.get_by_text("Placement at Northgate Pupil Referral Unit started with its personalised plan.").wait_for()
    page.get_by_role("cell", name="80% at the home school").wait_for()
    today = date.today()
    follows = f"Fair access panel on {today.day} {today:%B %Y}: AP placement at a named provider"
    assert page.get_by_text(follows).is_visible()
    assert_accessible(page, "17-plan")
    plan = PersonalisedPlan.objects.get()
    assert (plan.decision, plan.placement.provider, plan.family_language) == (decision, provider, "pl")

    page.get_by_role("link", name="Back to Kai Doyle").click()
    page.get_by_role("link", name="Timeline").click()
    page.get_by_role("heading", name="Timeline").wait_for()
    timeline = page.locator(".moj-timeline").inner_text()
    for event in (
        "Referred by Priestley High School (Sam Taylor): at risk of permanent exclusion",
        "Fair access panel decided: AP placement at a named provider at Northgate Pupil Referral Unit",
        "Personalised plan for the placement at Northgate Pupil Referral Unit agreed: 1 objective",
        "Starts at Northgate Pupil Referral Unit",  # next week: still to come
    ):
        assert event in timeline, (event, timeline)
    assert_accessible(page, "18-timeline")

    # 4. The school reads the panel's decision on its referral; it may not open the panels.
    _sign_in_again(page, live_server, school_lead.username)
    page.get_by_role("link", name="Referrals", exact=True).click()
    assert_accessible(page, "19-school-referrals")
    page.get_by_role("link", name="Kai Doyle").click()
    page.get_by_role("heading", name="The panel's decision").wait_for()
    decided = page.locator(".govuk-summary-list").nth(1).inner_text()
    assert "AP placement at a named provider" in decided
    assert "Northgate Pupil Referral Unit" in decided
    assert "Education, health and social care" in decided
    assert f"Starts {start.day} {start:%B %Y}: its personalised plan" in decided
    assert page.locator(".govuk-notification-banner").count() == 0
    assert page.get_by_role("link", name="Start the placement with its plan").count() == 0
    assert_accessible(page, "20-school-referral-decided")

    assert page.get_by_role("link", name="Panels", exact=True).count() == 0
    response = page.goto(f"{live_server.url}/panels/")
    assert response.status == 403
    page.get_by_role("heading", name="You do not have permission to do this").wait_for()
    assert_accessible(page, "21-school-panels-refused")
