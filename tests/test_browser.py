"""In a real browser: Debian's Chromium driven by Playwright, checked by axe-core.

Sign in as the LA officer, filter the register, open a child, record a placement with
an error then correct it; axe-core on every page reached finds nothing serious.
"""

from datetime import date, timedelta

import pytest

from core.models import Membership
from placements.models import Placement
from tests.chromium import assert_accessible, sign_in
from tests.factories import PASSWORD, ChildFactory, PlacementFactory, ProviderFactory, member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_la_officer_filters_the_register_and_records_a_placement(page, live_server, la, la_officer, area, school):
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate Pupil Referral Unit")
    other = ProviderFactory(
        organisation__area=area,
        organisation__name="Brightpath Tuition",
        registration="independent_unregistered",
        gias_establishment_type="",
        organisation__urn="",
    )
    child = ChildFactory(area=area, home_school=school, first_name="Aisha", last_name="Khan")
    PlacementFactory(child=child, provider=other, commissioner=school, start_date=date.today() - timedelta(days=90))
    PlacementFactory(
        child=ChildFactory(area=area, home_school=school, first_name="Ben", last_name="Lee"),
        provider=provider,
        commissioner=school,
    )

    sign_in(page, live_server, la_officer.username)
    page.get_by_role("heading", name="Children in alternative provision today").wait_for()
    assert_accessible(page, "dashboard")

    page.get_by_role("link", name="Register", exact=True).click()
    assert_accessible(page, "register")
    page.locator("summary", has_text="Provider registration").click()
    page.get_by_label("Independent unregistered").check()
    page.get_by_role("button", name="Apply filters").first.click()
    assert "registration=independent_unregistered" in page.url
    assert page.get_by_role("link", name="Khan, Aisha").is_visible()
    assert page.get_by_role("link", name="Lee, Ben").count() == 0
    assert_accessible(page, "register-filtered")

    page.get_by_role("link", name="Khan, Aisha").click()
    page.get_by_role("heading", name="Aisha Khan").wait_for()
    assert_accessible(page, "child")

    page.get_by_role("link", name="Record a placement").click()
    page.get_by_label("Provider", exact=True).select_option(label="Northgate Pupil Referral Unit")
    page.get_by_label("PRU or AP academy").check()
    page.get_by_label("Commissioner").select_option(label=school.name)
    page.get_by_label("Reason for placement").select_option(label="Off-site placement for behavioural support")
    start = date.today() - timedelta(days=3)
    page.locator("#id_start_date_0").fill(str(start.day))
    page.locator("#id_start_date_1").fill(str(start.month))
    page.locator("#id_start_date_2").fill(str(start.year))
    # The school commissions it, so the LA is told when it ends and when it is first reviewed.
    for field, day in (("planned_end_date", start + timedelta(weeks=12)), ("review_date", start + timedelta(weeks=6))):
        for part, value in enumerate((day.day, day.month, day.year)):
            page.locator(f"#id_{field}_{part}").fill(str(value))
    page.get_by_label("Part time").check()
    page.get_by_label("Hours of education a week").fill("40")
    # A new placement starts with no session ticked: 12.5 hours fit in four sessions.
    for session in ("Monday morning", "Tuesday morning", "Wednesday morning", "Thursday morning"):
        page.get_by_label(session).check()
    page.get_by_label("Dual registration").check()
    page.get_by_label("Home school").check()
    page.get_by_role("button", name="Save placement").click()

    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "32.5 or fewer" in summary.inner_text()
    assert_accessible(page, "placement-error")
    summary.get_by_role("link", name="Hours of education a week must be 32.5 or fewer").click()
    assert page.evaluate("document.activeElement.id") == "id_hours_per_week"
    assert not Placement.objects.filter(child=child, provider=provider).exists()

    page.get_by_label("Hours of education a week").fill("12.5")
    page.get_by_role("button", name="Save placement").click()
    page.get_by_text("Placement at Northgate Pupil Referral Unit recorded.").wait_for()
    assert_accessible(page, "child-after-placement")
    placement = Placement.objects.get(child=child, provider=provider)
    assert placement.hours_per_week == 12.5

    page.get_by_role("link", name="About Northgate Pupil Referral Unit").first.click()
    page.get_by_role("heading", name="Northgate Pupil Referral Unit").wait_for()
    assert_accessible(page, "provider")
    page.get_by_role("link", name="Back to providers").click()
    assert_accessible(page, "providers")


def test_the_register_fits_a_1280_pixel_screen(page, live_server, la_officer, area, school):
    long_name = "The Northgate and Brightpath Alternative Provision Academy Trust Pupil Referral Unit"
    provider = ProviderFactory(organisation__area=area, organisation__name=long_name)
    for n in range(3):
        child = ChildFactory(area=area, home_school=school, first_name="Maximilian", last_name=f"Featherstonehaugh{n}")
        child.looked_after_by = area
        child.looked_after = True
        child.ehc_plan_status = "has_plan"
        child.save()
        PlacementFactory(child=child, provider=provider, commissioner=school)
    sign_in(page, live_server, la_officer.username)
    page.goto(f"{live_server.url}/register/")
    page.get_by_role("link", name="Featherstonehaugh0, Maximilian").wait_for()
    assert_accessible(page, "register-1280")
    overflow = page.evaluate(
        """() => {
            const scroll = document.querySelector('.app-table-scroll');
            return {
                page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
                table: scroll.scrollWidth - scroll.clientWidth,
            };
        }"""
    )
    assert overflow == {"page": 0, "table": 0}


def test_the_header_navigation_and_content_line_up_on_the_wide_register_and_on_other_pages(
    page, live_server, la_officer, area, school
):
    PlacementFactory(child=ChildFactory(area=area, home_school=school), commissioner=school)
    sign_in(page, live_server, la_officer.username)
    edges = """() => [
        '.govuk-generic-header__container', '.govuk-service-navigation .govuk-width-container',
        '#main-content', '.govuk-footer .govuk-width-container',
    ].map(s => { const box = document.querySelector(s).getBoundingClientRect(); return [box.left, box.right]; })"""
    page.goto(f"{live_server.url}/register/")
    register = page.evaluate(edges)
    page.goto(f"{live_server.url}/children/")
    ordinary = page.evaluate(edges)
    # At 1280 pixels the register is 1200 wide, an ordinary page 960; each page's parts share both edges.
    assert register == [[40, 1240]] * 4
    assert ordinary == [[160, 1120]] * 4


def test_every_page_works_without_javascript(browser, live_server, school, area):
    lead = member_of(school, Membership.Role.DESIGNATED_LEAD, username="nojs")
    child = ChildFactory(area=area, home_school=school, first_name="Cara", last_name="Jones")
    PlacementFactory(child=child, provider=ProviderFactory(organisation__area=area), commissioner=school)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in_without_axe = page.goto(f"{live_server.url}/sign-in/")
    assert sign_in_without_axe.ok
    page.get_by_label("Username").fill(lead.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Register", exact=True).click()
    page.get_by_label("In AP today").check()
    page.locator("summary", has_text="Full or part time").click()
    page.get_by_label("Part time").check()
    page.get_by_role("button", name="Apply filters").first.click()
    page.get_by_role("link", name="Jones, Cara").click()
    assert page.get_by_role("heading", name="Cara Jones").is_visible()
    context.close()


def test_la_officer_adds_a_child_links_a_practitioner_and_reads_the_access_log(
    page, live_server, la_officer, school, area
):
    from core.models import OrganisationKind
    from tests.factories import OrganisationFactory

    camhs = OrganisationFactory(kind=OrganisationKind.HEALTH, area=area, urn="", name="Warrington CAMHS")
    sign_in(page, live_server, la_officer.username)
    page.get_by_role("link", name="Register", exact=True).click()
    page.get_by_role("link", name="Add a child").click()
    page.get_by_label("First name").fill("Riley")
    page.get_by_label("Last name").fill("Hughes")
    page.get_by_label("Unique pupil number (UPN)").fill("A877123426001")
    page.locator("#id_date_of_birth_0").fill("1")
    page.locator("#id_date_of_birth_1").fill("9")
    page.locator("#id_date_of_birth_2").fill("2012")
    page.get_by_label("Female").check()
    page.get_by_label("Ethnicity").select_option("WBRI")
    page.get_by_label("Home school").select_option(label=school.name)
    page.get_by_label("Education, health and care plan").check()
    page.get_by_label("Primary SEN need").select_option("SEMH")
    page.get_by_label("Has an EHC plan").check()
    page.get_by_role("button", name="Save").click()

    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "first letter of this UPN should be" in summary.inner_text()
    assert_accessible(page, "child-form-error")
    from children.upn import check_letter

    page.get_by_label("Unique pupil number (UPN)").fill(check_letter("877123426001") + "877123426001")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Riley Hughes").wait_for()

    page.get_by_role("link", name="Record someone involved").click()
    assert_accessible(page, "involvement-form")
    page.get_by_label("Name of the person").fill("Dr Priya Shah")
    page.get_by_label("CAMHS practitioner").check()
    page.get_by_label("Organisation").select_option(label=camhs.name)
    today = date.today()
    page.locator("#id_started_on_0").fill(str(today.day))
    page.locator("#id_started_on_1").fill(str(today.month))
    page.locator("#id_started_on_2").fill(str(today.year))
    page.get_by_role("button", name="Save").click()
    page.get_by_role("cell", name="Dr Priya Shah", exact=True).wait_for()

    page.get_by_role("link", name="Who has looked at this record").click()
    assert page.get_by_role("cell", name="Viewed child record").count() >= 1
    assert_accessible(page, "access-log")

    page.get_by_role("link", name="Providers", exact=True).click()
    page.get_by_role("link", name="Add a provider").click()
    page.get_by_role("button", name="Save").click()
    page.locator(".govuk-error-summary").wait_for()
    assert_accessible(page, "provider-form-error")


def test_la_officer_records_an_inspection_and_finds_an_id(page, live_server, la_officer, area, school):
    from core.models import Membership as M

    M.objects.filter(user=la_officer).update(may_export_returns=True)
    child = ChildFactory(area=area, home_school=school, first_name="Ines", last_name="Ortiz")
    PlacementFactory(child=child, provider=ProviderFactory(organisation__area=area), commissioner=school)
    sign_in(page, live_server, la_officer.username)
    page.get_by_role("link", name="Inspections").click()
    assert_accessible(page, "inspections")
    page.get_by_role("link", name="Record a notified inspection").click()
    page.get_by_role("button", name="Save").click()
    page.locator(".govuk-error-summary").wait_for()
    assert_accessible(page, "inspection-form-error")
    today = date.today()
    for prefix, day in (
        ("notified_on", today),
        ("visit_starts_on", today + timedelta(days=7)),
        ("visit_ends_on", today + timedelta(days=10)),
    ):
        page.locator(f"#id_{prefix}_0").fill(str(day.day))
        page.locator(f"#id_{prefix}_1").fill(str(day.month))
        page.locator(f"#id_{prefix}_2").fill(str(day.year))
    page.get_by_label("Lead inspector").fill("Jo Inspector")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Download the Excel workbook").wait_for()
    assert_accessible(page, "inspection")
    from inspection.models import Inspection

    page.get_by_label("Pseudonymised id").fill(Inspection.objects.get().pseudonym(child.public_id))
    page.get_by_role("button", name="Find").click()
    assert page.get_by_role("link", name="Ines Ortiz").is_visible()


def test_evidence_library_visit_record_and_tracking_pack_pages_are_accessible(
    page, live_server, la_officer, area, school
):
    from core.models import Membership as M
    from inspection.models import Inspection

    M.objects.filter(user=la_officer).update(may_export_returns=True)
    child = ChildFactory(area=area, home_school=school, first_name="Tia", last_name="Moss")
    PlacementFactory(child=child, provider=ProviderFactory(organisation__area=area), commissioner=school)
    today = date.today()
    inspection = Inspection.objects.create(
        area=area,
        notified_on=today,
        visit_starts_on=today,
        visit_ends_on=today + timedelta(days=4),
        lead_inspector="Jo",
        created_by=la_officer,
    )
    sign_in(page, live_server, la_officer.username)
    page.goto(f"{live_server.url}/evidence/")
    page.get_by_role("button", name="Add").click()
    page.locator(".govuk-error-summary").wait_for()
    assert_accessible(page, "evidence-error")
    page.goto(f"{live_server.url}/inspections/{inspection.public_id}/visit/")
    assert_accessible(page, "visit-record")
    page.goto(f"{live_server.url}/inspections/{inspection.public_id}/tracking/")
    page.get_by_label("Pseudonymised id").fill(inspection.pseudonym(child.public_id))
    page.get_by_role("button", name="Add").click()
    page.get_by_role("link", name=f"Tracking pack for {inspection.pseudonym(child.public_id)}").click()
    page.get_by_role("heading", name="Chronology of the last two years").wait_for()
    assert_accessible(page, "tracking-pack")


def fill_date(page, name: str, day: date):
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def test_recording_a_suspension_and_a_personalised_plan(page, live_server, la_officer, area, school):
    from casework.models import PersonalisedPlan
    from children.models import Exclusion

    child = ChildFactory(area=area, home_school=school, first_name="Kai", last_name="Doyle")
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate Pupil Referral Unit")
    PlacementFactory(child=child, provider=provider, commissioner=school)
    sign_in(page, live_server, la_officer.username)
    page.goto(f"{live_server.url}/children/{child.public_id}/")
    page.get_by_role("link", name="Record a suspension or exclusion").click()
    page.get_by_label("School that excluded the child").select_option(label=school.name)
    page.get_by_label("Suspension (formerly fixed period exclusion)").check()
    fill_date(page, "start_date", date.today() - timedelta(days=7))
    page.get_by_label("Reason, as recorded in the school census").select_option(
        label="Persistent or general disruptive behaviour"
    )
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert_accessible(page, "exclusion-error")
    summary.get_by_role("link", name="Enter how many sessions the suspension lasts").click()
    assert page.evaluate("document.activeElement.id") == "id_sessions"
    page.get_by_label("Length in sessions").fill("4")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Suspensions and exclusions").wait_for()
    assert Exclusion.objects.get().sessions == 4

    page.get_by_role("link", name="Record the personalised plan").click()
    page.get_by_role("button", name="Save plan").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert_accessible(page, "personalised-plan-error")
    summary.get_by_role("link", name="Enter the objective: what the child should achieve").click()
    assert page.evaluate("document.activeElement.id") == "id_objectives-0-description"
    page.locator("#id_objectives-0-description").fill("Back to full time at the home school")
    page.locator("#id_objectives-0-measure").fill("Attendance and the six-week review")
    page.locator("#id_objectives-0-baseline").fill("Mornings only, 55% attendance")
    fill_date(page, "objectives-0-target_date", date.today() + timedelta(days=90))
    fill_date(page, "planned_end_date", date.today() + timedelta(days=90))
    page.get_by_label("The intervention").fill("Small-group teaching and a key worker")
    page.get_by_label("Its timeline").fill("Six weeks at the unit, then a phased return")
    page.get_by_label("The reintegration plan or next step").fill("Phased return over four weeks")
    fill_date(page, "family_told_on", date.today() - timedelta(days=2))
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
    page.get_by_role("button", name="Save plan").click()
    page.get_by_text("Personalised plan for the placement at Northgate Pupil Referral Unit saved.").wait_for()
    assert_accessible(page, "personalised-plan")
    page.get_by_role("cell", name="Mornings only, 55% attendance").wait_for()
    assert PersonalisedPlan.objects.get().reintegration_plan == "Phased return over four weeks"
    page.get_by_role("link", name="Back to Kai Doyle").click()
    page.get_by_role("link", name="Timeline").click()
    page.get_by_text(
        "Personalised plan for the placement at Northgate Pupil Referral Unit agreed: 1 objective"
    ).wait_for()
    assert_accessible(page, "timeline")


def test_the_la_starts_a_placement_from_a_panel_decision_with_its_plan(page, live_server, la, la_officer, area, school):
    from casework.models import PersonalisedPlan
    from tests.factories import DecisionFactory, ReferralFactory

    child = ChildFactory(area=area, home_school=school, first_name="Kai", last_name="Doyle")
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate Pupil Referral Unit")
    referral = ReferralFactory(child=child, status="decided", reason="at_risk_of_exclusion")
    decision = DecisionFactory(referral=referral, provider=provider, decided_by=la_officer)
    sign_in(page, live_server, la_officer.username)
    page.goto(f"{live_server.url}/decisions/{decision.public_id}/placement/")
    page.get_by_role("heading", name="Start the placement the panel decided").wait_for()
    assert_accessible(page, "placement-from-decision")
    page.get_by_role("button", name="Start the placement").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert_accessible(page, "placement-from-decision-error")
    summary.get_by_role("link", name="Enter the objective: what the child should achieve").click()
    assert page.evaluate("document.activeElement.id") == "id_objectives-0-description"

    start = date.today() + timedelta(days=7)
    end = start + timedelta(days=120)
    page.get_by_label("PRU or AP academy").check()
    fill_date(page, "start_date", start)
    fill_date(page, "planned_end_date", end)
    page.get_by_label("Full time", exact=True).check()
    page.get_by_label("Hours of education a week").fill("25")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        page.get_by_label(f"{day} morning").check()
        page.get_by_label(f"{day} afternoon").check()
    page.get_by_label("Dual registration").check()
    page.get_by_label("Home school", exact=True).check()
    page.locator("#id_objectives-0-description").fill("Attend every timetabled session")
    page.locator("#id_objectives-0-measure").fill("The setting's register, weekly")
    page.locator("#id_objectives-0-baseline").fill("70% at the home school")
    fill_date(page, "objectives-0-target_date", end)
    page.get_by_label("The intervention").fill("Small-group teaching and a key worker")
    page.get_by_label("Its timeline").fill("Settling in for two weeks, then full time")
    page.get_by_label("The reintegration plan or next step").fill("Phased return over four weeks")
    fill_date(page, "family_told_on", date.today())
    for label in (
        "Why the child is placed",
        "When it starts",
        "For how long",
        "Who will teach the child, and where",
        "How and when it will be reviewed",
    ):
        page.get_by_label(label).fill(f"Told: {label.lower()}")
    page.get_by_label("The child's needs").fill("Anxiety in large groups")
    page.get_by_role("button", name="Start the placement").click()
    page.get_by_text("Placement at Northgate Pupil Referral Unit started with its personalised plan.").wait_for()
    assert_accessible(page, "plan-after-decision")
    plan = PersonalisedPlan.objects.get()
    assert (plan.decision, plan.placement.reason) == (decision, "apc_pex")
