"""In a real browser, issue 13's quality-assurance record: the LA finds a provider, records a visit against the
area's framework (a first try with nothing filled in shows every problem by its field), adds an action, and opens
the printable report. axe-core on every page."""

import re
from datetime import date, timedelta

import pytest

from providers.models import QACriterion, QAVisit
from providers.selectors import qa_version_published
from providers.services import qa_framework_ensure
from tests.chromium import assert_accessible, sign_in
from tests.factories import ChildFactory, PlacementFactory, ProviderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _date(page, prefix: str, day: date) -> None:
    page.locator(f"#id_{prefix}_0").fill(str(day.day))
    page.locator(f"#id_{prefix}_1").fill(str(day.month))
    page.locator(f"#id_{prefix}_2").fill(str(day.year))


def test_the_la_records_a_qa_visit_and_opens_its_printable_report(page, live_server, area, school, la_officer):
    provider = ProviderFactory(organisation__area=area, organisation__name="Back Lane Workshop")
    PlacementFactory(child=ChildFactory(area=area, home_school=school), provider=provider, commissioner=school)
    version = qa_version_published(framework=qa_framework_ensure(area=area))
    criteria = list(QACriterion.objects.filter(theme__version=version).order_by("theme__position", "position"))
    visited = date.today() - timedelta(days=2)

    sign_in(page, live_server, la_officer.username)
    # The dashboard says the provider has never been visited.
    page.get_by_role("link", name=re.compile("Quality-assurance visits overdue")).click()
    page.get_by_role("heading", name="Providers whose visit is overdue").wait_for()
    assert "Never visited" in page.content()
    assert_accessible(page, "qa-visits-overdue")
    page.get_by_role("link", name="Back Lane Workshop").click()
    page.get_by_role("link", name="Record a quality-assurance visit").click()
    page.get_by_role("heading", name="Record a quality-assurance visit").wait_for()
    assert_accessible(page, "qa-visit-form")

    # Nothing filled in: every problem is named, by its field.
    page.get_by_role("button", name="Save the visit").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert "Choose a rating for 1.1" in page.content()
    assert "Enter the evidence seen for 1.1" in page.content()
    assert_accessible(page, "qa-visit-form-errors")
    assert not QAVisit.objects.exists()

    _date(page, "visited_on", visited)
    page.get_by_label("The local authority").check()
    page.get_by_label("Schools placing children").check()
    for n, criterion in enumerate(criteria):
        page.locator(f"#id_rating_{criterion.pk}_{1 if n == 2 else 0}").check()
        page.locator(f"#id_evidence_{criterion.pk}").fill(f"Seen on the day ({n + 1})")
    page.get_by_label("Education: what the visit found").fill("English and maths taught by qualified teachers")
    page.get_by_label("Safeguarding: what the visit found").fill("Single central record sampled: two gaps")
    page.get_by_label("Strengths").fill("Small groups, a key worker for every child")
    page.get_by_label("The children's views").fill("Four children told us they feel safe here")
    page.locator("#id_overall_1").check()
    page.get_by_label("Why: the overall judgement in words").fill("Safe, with two records to complete")
    page.get_by_role("button", name="Save the visit").click()
    page.get_by_role("heading", name="Quality-assurance visit,").wait_for()
    assert_accessible(page, "qa-visit")
    visit = QAVisit.objects.get()
    assert (visit.visited_on, visit.overall.label, visit.ratings.count()) == (visited, "Partly meets", len(criteria))

    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Action").fill("Add the barred-list check for two sessional staff")
    page.get_by_label("Owner").fill("Head of centre")
    _date(page, "due_on", date.today() + timedelta(days=30))
    assert_accessible(page, "qa-action-form")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Action added to the visit.").wait_for()
    assert "Add the barred-list check for two sessional staff" in page.content()

    page.get_by_role("link", name="Printable report").click()
    page.get_by_role("heading", name="Back Lane Workshop").wait_for()
    report = page.content()
    assert "Quality-assurance visit report" in report
    assert "Four children told us they feel safe here" in report
    assert "Add the barred-list check" in report
    assert_accessible(page, "qa-visit-report")
    with page.expect_download() as download:
        page.goto(f"{live_server.url}/providers/qa-visits/{visit.public_id}/")
        page.get_by_role("link", name="Download the report (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
