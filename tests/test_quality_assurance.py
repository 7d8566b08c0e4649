"""One holistic quality-assurance record (issue 13, item 4): the area's framework, versioned, a visit keeping the
version it used; visits by the LA, read by the schools placing children there, strands added by health and social
care, actions marked done by the provider; a printable report; overdue visits and actions flagged for the LA."""

import html
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from core.models import AuditAction, AuditEvent
from providers.models import QAAction, QACriterion, QAFramework, QAStrand, QAVisit
from providers.selectors import qa_actions_overdue, qa_version_published, qa_visits_overdue
from providers.services import qa_criterion_save, qa_framework_ensure, qa_rating_point_save, qa_version_publish
from tests.factories import PlacementFactory, ProviderFactory
from tests.helpers import date_fields
from tests.test_access import borough  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

TODAY = date.today()
ROLES = ["la", "school", "provider", "health", "social", "virtual", "nobody"]


def visit_post(area, visited_on=TODAY, next_visit_on=None, point=0, **more) -> dict:
    """A complete visit form against the area's version in use: every criterion rated the same."""
    version = qa_version_published(framework=qa_framework_ensure(area=area))
    points = list(version.points.all())
    data = {
        **date_fields("visited_on", visited_on),
        **date_fields("next_visit_on", next_visit_on),
        "other_visitors": "Dr Sam Patel, designated clinical officer",
        "for_whom": ["local_authority", "schools"],
        "education": "English and maths taught by qualified teachers; books show progress since September",
        "safeguarding": "Single central record complete for the 12 staff on site; DSL and deputy trained in 2026",
        "strengths": "Small groups; every child has a key worker",
        "children_views": "Six children spoke to us without staff: they feel safe and like the vocational days",
        "overall": str(points[point].pk),
        "overall_summary": "A safe setting with good teaching",
    }
    for criterion in QACriterion.objects.filter(theme__version=version):
        data[f"rating_{criterion.pk}"] = str(points[point].pk)
        data[f"evidence_{criterion.pk}"] = f"Seen: {criterion.text.lower()}"
    return data | more


def new_url(provider):
    return reverse("qa_visit_new", args=[provider.public_id])


def record(client, user, provider, **post):
    client.force_login(user)
    post.setdefault("visitors", [str(user.pk)])
    response = client.post(new_url(provider), visit_post(provider.organisation.area, **post))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return QAVisit.objects.latest("pk")


# The framework and its versions.


def test_an_area_starts_from_the_four_dfe_standards(client, la_officer, area):
    client.force_login(la_officer)
    page = client.get(reverse("qa_framework")).content.decode()
    for theme in ("Safeguarding and welfare", "Health and safety", "Admissions, support and guidance"):
        assert theme in page
    assert "Quality of education" in page
    assert "single central record" in page
    assert "Partly meets" in page  # the scale, with its guidance
    framework = QAFramework.objects.get(area=area)
    assert framework.visit_interval_months == 12
    assert qa_version_published(framework=framework).number == 1


def test_a_new_version_is_drafted_changed_and_published_and_a_visit_keeps_the_version_it_used(client, la_officer, area):
    provider = ProviderFactory(organisation__area=area, organisation__name="Back Lane Workshop")
    first = record(client, la_officer, provider)
    assert first.version.number == 1
    assert client.post(reverse("qa_draft_new")).status_code == 302
    framework = QAFramework.objects.get(area=area)
    draft = framework.versions.get(number=2)
    criterion = QACriterion.objects.filter(theme__version=draft).first()
    response = client.post(
        reverse("qa_criterion_edit", args=[criterion.pk]),
        {"text": "Every adult on site has an enhanced DBS check seen by the LA", "guidance": "All of them"},
    )
    assert response.status_code == 302
    assert "Every adult on site" in client.get(reverse("qa_framework")).content.decode()
    assert client.post(reverse("qa_draft_publish")).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    second = record(client, la_officer, provider)
    assert second.version == draft
    # The first visit still shows what version 1 asked.
    page = client.get(first.get_absolute_url()).content.decode()
    assert "version 1" in page
    assert "Every member of staff has an enhanced DBS check" in page
    assert "Every adult on site" not in page
    assert "Every adult on site" in client.get(second.get_absolute_url()).content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.QA_FRAMEWORK_PUBLISHED, user=la_officer).count() == 1


def test_a_published_version_cannot_change(client, la_officer, area):
    framework = qa_framework_ensure(area=area)
    version = qa_version_published(framework=framework)
    criterion = QACriterion.objects.filter(theme__version=version).first()
    with pytest.raises(ValidationError, match="published and cannot change"):
        qa_criterion_save(user=la_officer, theme=criterion.theme, criterion=criterion, data={"text": "Changed"})
    with pytest.raises(ValidationError, match="published and cannot change"):
        qa_rating_point_save(
            user=la_officer, point=version.points.first(), data={"label": "A", "guidance": "B", "signal": "red"}
        )
    with pytest.raises(ValidationError, match="published and cannot change"):
        qa_version_publish(user=la_officer, version=version)
    client.force_login(la_officer)
    # The pages that change a draft do not find a published version's parts.
    assert client.post(reverse("qa_criterion_edit", args=[criterion.pk]), {"text": "Changed"}).status_code == 404
    assert client.post(reverse("qa_criterion_delete", args=[criterion.pk])).status_code == 404
    criterion.refresh_from_db()
    assert criterion.text.startswith("Every member of staff")


def test_only_one_draft_at_a_time_and_the_interval_is_at_least_yearly(client, la_officer, area):
    client.force_login(la_officer)
    client.post(reverse("qa_draft_new"))
    client.post(reverse("qa_draft_new"))
    assert QAFramework.objects.get(area=area).versions.count() == 2
    response = client.post(reverse("qa_framework_settings"), {"name": "AP QA", "visit_interval_months": "13"})
    assert response.status_code == 200
    assert "from 1 to 12" in str(response.context["form"].errors["visit_interval_months"])
    response = client.post(reverse("qa_framework_settings"), {"name": "AP QA", "visit_interval_months": "6"})
    assert response.status_code == 302
    assert QAFramework.objects.get(area=area).visit_interval_months == 6


# A visit.


def test_the_la_records_a_visit_and_prints_its_report(client, la_officer, area):
    provider = ProviderFactory(organisation__area=area, organisation__name="Back Lane Workshop")
    client.force_login(la_officer)
    form = client.get(new_url(provider)).content.decode()
    assert "1.1 Every member of staff has an enhanced DBS check" in form
    visit = record(client, la_officer, provider, next_visit_on=None)
    # No next visit given: the area's interval after this one.
    assert visit.next_visit_on == TODAY + relativedelta(months=12)
    assert visit.ratings.count() == QACriterion.objects.filter(theme__version=visit.version).count()
    assert set(visit.strands.values_list("sector", flat=True)) == {"education", "safeguarding"}
    assert list(visit.visitors.all()) == [la_officer]
    assert AuditEvent.objects.filter(action=AuditAction.QA_VISIT_RECORDED, user=la_officer).count() == 1
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "Six children spoke to us" in page
    assert "Dr Sam Patel" in page
    provider_page = client.get(provider.get_absolute_url()).content.decode()
    assert "Latest visit" in provider_page
    assert visit.get_absolute_url() in provider_page
    report = client.get(reverse("qa_visit_report", args=[visit.public_id])).content.decode()
    assert "Quality-assurance visit report" in report
    assert "govuk-header" not in report
    pdf = client.get(reverse("qa_visit_report_pdf", args=[visit.public_id]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]


def _first_criterion(area):
    return QACriterion.objects.filter(theme__version=qa_version_published(framework=qa_framework_ensure(area=area)))


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"overall": ""}, "overall", "Choose the overall judgement"),
        ({"children_views": " "}, "children_views", "Enter the children's views"),
        ({"for_whom": []}, "for_whom", "Choose for whom the visit was made"),
        ({"other_visitors": "", "visitors": []}, "visitors", "Choose who visited"),
        (date_fields("visited_on", TODAY + timedelta(days=1)), "visited_on", "today or in the past"),
        (date_fields("next_visit_on", TODAY + timedelta(days=400)), "next_visit_on", "at least every 12 months"),
        (date_fields("next_visit_on", TODAY), "next_visit_on", "after this one"),
        ("no rating", "rating", "Choose a rating for 1.1"),
        ("no evidence", "evidence", "Enter the evidence seen for 1.1"),
    ],
)
def test_a_bad_visit_names_the_field_and_records_nothing(client, la_officer, area, change, field, words):
    provider = ProviderFactory(organisation__area=area)
    post = visit_post(area)
    first = _first_criterion(area).first()
    if change == "no rating":
        post.pop(f"rating_{first.pk}")
    elif change == "no evidence":
        post[f"evidence_{first.pk}"] = ""
    else:
        post |= change
    if field in ("rating", "evidence"):
        field = f"{field}_{first.pk}"
    client.force_login(la_officer)
    response = client.post(new_url(provider), post)
    assert response.status_code == 200
    assert any(words in message for message in response.context["form"].errors[field]), response.context["form"].errors
    assert words in html.unescape(response.content.decode())  # in the error summary and by the field
    assert not QAVisit.objects.exists()
    assert not QAStrand.objects.exists()


# Who does what, through HTTP, for every role.


@pytest.fixture
def shared(borough):  # noqa: F811
    """The LA's visit to Northgate PRU (where the school places Aisha and Cara) with one action, and its visit to
    Brightpath Tuition (where the school places nobody)."""
    from django.test import Client

    northgate = borough.children["a"].placements.get().provider
    brightpath = borough.children["b"].placements.get().provider
    client = Client()
    visit = record(client, borough.users["la"], northgate)
    other = record(client, borough.users["la"], brightpath)
    client.post(
        reverse("qa_action_new", args=[visit.public_id]),
        {"text": "Barred-list checks for two sessional staff", "owner": "Head of centre"}
        | date_fields("due_on", TODAY + timedelta(days=30)),
    )
    return borough, visit, other, visit.actions.get()


READS_NORTHGATE = {"la", "school", "provider", "health", "social", "virtual"}
READS_BRIGHTPATH = {"la", "health", "social", "virtual"}


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_the_las_visit_and_its_report(client, shared, role):
    town, visit, other, _action = shared
    client.force_login(town.users[role])
    for shown, readers in ((visit, READS_NORTHGATE), (other, READS_BRIGHTPATH)):
        for name in ("qa_visit_detail", "qa_visit_report", "qa_visit_report_pdf"):
            status = client.get(reverse(name, args=[shown.public_id])).status_code
            if role == "nobody":
                assert status == 403, name  # an inspector is refused every page not theirs
            else:
                assert status == (200 if role in readers else 404), (name, shown.provider.name)
    if role == "school":
        # The shared record: the school sees the LA's latest visit on the provider's page instead of repeating it.
        page = client.get(visit.provider.get_absolute_url()).content.decode()
        assert visit.get_absolute_url() in page
        assert other.get_absolute_url() not in client.get(other.provider.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_who_records_a_visit(client, shared, role):
    town, visit, other, _action = shared
    client.force_login(town.users[role])
    before = QAVisit.objects.count()
    response = client.post(new_url(visit.provider), visit_post(visit.provider.organisation.area))
    # The LA; and the school placing children there, for its own visit. Nobody else.
    if role in ("la", "school"):
        assert response.status_code == 302
        assert QAVisit.objects.latest("pk").organisation == town.users[role].primary_organisation
    else:
        assert response.status_code in (403, 404)
        assert QAVisit.objects.count() == before
    # Nobody but the LA records one at Brightpath, where the school places no child.
    if role != "la":
        assert client.get(new_url(other.provider)).status_code in (403, 404)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_visiting_organisation_adds_actions(client, shared, role):
    town, visit, _other, _action = shared
    client.force_login(town.users[role])
    response = client.post(
        reverse("qa_action_new", args=[visit.public_id]),
        {"text": "Fire drill", "owner": "Site manager"} | date_fields("due_on", TODAY + timedelta(days=10)),
    )
    assert response.status_code == (302 if role == "la" else 403 if role == "nobody" else 404)
    assert QAAction.objects.filter(visit=visit).count() == (2 if role == "la" else 1)


@pytest.mark.parametrize("role", ROLES)
def test_the_provider_and_the_la_mark_an_action_done(client, shared, role):
    town, _visit, _other, action = shared
    client.force_login(town.users[role])
    response = client.post(reverse("qa_action_done", args=[action.public_id]), date_fields("done_on", TODAY))
    action.refresh_from_db()
    if role in ("la", "provider"):
        assert response.status_code == 302
        assert (action.done_on, action.done_by) == (TODAY, town.users[role])
    else:
        assert response.status_code in (403, 404)
        assert action.done_on is None


@pytest.mark.parametrize("role", ROLES)
def test_health_and_social_care_add_their_strand_to_the_same_visit(client, shared, role):
    town, visit, _other, _action = shared
    client.force_login(town.users[role])
    url = reverse("qa_strand_new", args=[visit.public_id])
    response = client.post(url, {"findings": "Care plans of the two children in care are up to date"})
    if role in ("health", "social"):
        assert response.status_code == 302
        sector = {"health": "health", "social": "social_care"}[role]
        assert visit.strands.get(sector=sector).recorded_by == town.users[role]
        # Once only: a second is refused, named on the field.
        again = client.post(url, {"findings": "Again"})
        assert "already recorded" in str(again.context["form"].errors["findings"])
        assert "Care plans of the two children" in client.get(visit.get_absolute_url()).content.decode()
    else:
        assert response.status_code in (403, 404)
        assert visit.strands.count() == 2


@pytest.mark.parametrize("role", ROLES)
def test_the_framework_and_the_overdue_lists_are_the_las(client, shared, role):
    town, *_ = shared
    client.force_login(town.users[role])
    for name in ("qa_framework", "qa_framework_settings", "qa_visits_overdue", "qa_actions_overdue"):
        status = client.get(reverse(name)).status_code
        assert status == (200 if role == "la" else 403 if role == "nobody" else 404), name
    assert client.post(reverse("qa_draft_new")).status_code in ((302,) if role == "la" else (403, 404))


# Overdue, at its boundaries.


@pytest.fixture
def placed(area, school):
    """A provider with a child placed today."""
    from tests.factories import ChildFactory

    provider = ProviderFactory(organisation__area=area, organisation__name="Riverside Hub")
    PlacementFactory(child=ChildFactory(area=area, home_school=school), provider=provider, commissioner=school)
    return provider


def _la_visit(client, la_officer, provider, visited_on, next_visit_on):
    visit = record(client, la_officer, provider)
    QAVisit.objects.filter(pk=visit.pk).update(visited_on=visited_on, next_visit_on=next_visit_on)
    return visit


def test_a_provider_with_children_placed_and_never_visited_is_overdue_one_without_is_not(la_officer, area, placed):
    ProviderFactory(organisation__area=area, organisation__name="Nobody placed here")
    rows = qa_visits_overdue(user=la_officer, today=TODAY)
    assert [(r.provider, r.last_visited_on) for r in rows] == [(placed, None)]


@pytest.mark.parametrize(("next_in_days", "overdue"), [(0, False), (-1, True), (1, False)])
def test_a_visit_is_overdue_the_day_after_its_next_visit_date(client, la_officer, placed, next_in_days, overdue):
    _la_visit(client, la_officer, placed, TODAY - timedelta(days=100), TODAY + timedelta(days=next_in_days))
    assert bool(qa_visits_overdue(user=la_officer, today=TODAY)) == overdue


@pytest.mark.parametrize(("months_ago", "overdue"), [(12, False), (13, True)])
def test_a_visit_is_overdue_after_the_areas_interval_whatever_it_said(
    client, la_officer, area, placed, months_ago, overdue
):
    last = TODAY - relativedelta(months=months_ago)
    _la_visit(client, la_officer, placed, last, TODAY + timedelta(days=30))
    assert bool(qa_visits_overdue(user=la_officer, today=TODAY)) == overdue
    # The area visits every six months: both are overdue.
    QAFramework.objects.filter(area=area).update(visit_interval_months=6)
    assert qa_visits_overdue(user=la_officer, today=TODAY)[0].due_on == last + relativedelta(months=6)


def test_a_schools_own_visit_does_not_stop_the_las_being_overdue(client, area, placed, school_lead, la_officer):
    record(client, school_lead, placed)
    assert [r.provider for r in qa_visits_overdue(user=la_officer, today=TODAY)] == [placed]


@pytest.mark.parametrize(("due_in_days", "done", "overdue"), [(0, False, False), (-1, False, True), (-1, True, False)])
def test_an_action_is_overdue_the_day_after_its_due_date_until_done(
    client, la_officer, placed, due_in_days, done, overdue
):
    visit = _la_visit(client, la_officer, placed, TODAY - timedelta(days=60), TODAY + timedelta(days=200))
    QAAction.objects.create(
        visit=visit,
        text="Renew the fire risk assessment",
        owner="Site manager",
        due_on=TODAY + timedelta(days=due_in_days),
        done_on=TODAY if done else None,
        done_by=la_officer if done else None,
        recorded_by=la_officer,
    )
    assert qa_actions_overdue(user=la_officer, today=TODAY).exists() == overdue


def test_the_dashboard_shows_providers_needing_attention(client, la_officer, placed):
    visit = _la_visit(client, la_officer, placed, TODAY - timedelta(days=400), TODAY - timedelta(days=35))
    QAAction.objects.create(
        visit=visit, text="Name a deputy DSL", owner="Head", due_on=TODAY - timedelta(days=3), recorded_by=la_officer
    )
    client.force_login(la_officer)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Providers needing attention" in page
    assert reverse("qa_visits_overdue") in page
    assert reverse("qa_actions_overdue") in page
    listed = client.get(reverse("qa_visits_overdue")).content.decode()
    assert "Riverside Hub" in listed
    assert "Visit overdue" in listed
    assert "Name a deputy DSL" in client.get(reverse("qa_actions_overdue")).content.decode()


def test_the_overdue_lists_and_the_provider_page_cost_the_same_queries_with_more_rows(client, la_officer, area, school):
    from tests.factories import ChildFactory
    from tests.test_query_counts import queries_for

    def grow(n):
        for _ in range(n):
            provider = ProviderFactory(organisation__area=area)
            PlacementFactory(child=ChildFactory(area=area, home_school=school), provider=provider, commissioner=school)
            visit = _la_visit(client, la_officer, provider, TODAY - timedelta(days=400), TODAY - timedelta(days=30))
            QAAction.objects.create(
                visit=visit, text="An action", owner="Head", due_on=TODAY - timedelta(days=2), recorded_by=la_officer
            )
        return provider

    first = grow(2)
    client.force_login(la_officer)
    urls = [reverse("qa_visits_overdue"), reverse("qa_actions_overdue"), first.get_absolute_url()]
    few = [queries_for(client, url) for url in urls]
    grow(6)
    _la_visit(client, la_officer, first, TODAY - timedelta(days=10), TODAY + timedelta(days=100))
    assert [queries_for(client, url) for url in urls] == few
    assert few[:2] == [5, 6]  # pinned: a change that adds one must say why here


def test_the_demo_has_two_versions_visits_strands_and_overdue_visits_and_actions(client):
    from core.models import User
    from demo.borough import borough_build

    summary = borough_build(children=300, seed=2026, attendance=False)
    assert summary["qa_versions"] == 2
    assert summary["qa_visits"] == QAVisit.objects.count() > 0
    assert {1, 2} <= set(QAVisit.objects.values_list("version__number", flat=True))
    assert set(QAStrand.objects.values_list("sector", flat=True)) == {
        "education",
        "safeguarding",
        "health",
        "social_care",
    }
    assert QAVisit.objects.filter(organisation__kind="school").exists()
    officer = User.objects.get(username="la-officer")
    overdue = qa_visits_overdue(user=officer)
    assert any(r.last_visited_on is None for r in overdue)
    assert any(r.last_visited_on is not None for r in overdue)
    assert qa_actions_overdue(user=officer).count() == summary["qa_actions_overdue"] > 0
    client.force_login(officer)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Providers needing attention" in page
    # The school that signs in reads the LA's latest visit where it places children.
    client.force_login(User.objects.get(username="school-lead"))
    school_visit = QAVisit.objects.get(organisation__kind="school")
    assert client.get(school_visit.get_absolute_url()).status_code == 200
    las = QAVisit.objects.filter(provider=school_visit.provider, organisation__kind="local_authority").first()
    if las:
        assert client.get(las.get_absolute_url()).status_code == 200


@settings(deadline=None)  # the machine is shared: a slow example is not a wrong one
@given(
    visited=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    months=st.integers(min_value=1, max_value=12),
    set_after=st.integers(min_value=1, max_value=800),
)
def test_the_next_visit_is_due_by_the_interval_at_the_latest_and_never_before_the_date_set(visited, months, set_after):
    from providers.selectors import qa_visit_due_on

    next_set = visited + timedelta(days=set_after)
    due = qa_visit_due_on(last_visited_on=visited, next_visit_on=next_set, interval_months=months)
    assert visited < due <= next_set
    assert due <= visited + relativedelta(months=months)
    # A visit that set a date within the interval is due on that date.
    if next_set <= visited + relativedelta(months=months):
        assert due == next_set
    # Never more than a year and a day (29 February) after the visit.
    assert (due - visited).days <= 366


def test_the_draft_takes_a_new_criterion_loses_one_and_changes_its_scale_bad_input_named(client, la_officer, area):
    client.force_login(la_officer)
    client.post(reverse("qa_draft_new"))
    draft = QAFramework.objects.get(area=area).versions.get(number=2)
    theme = draft.themes.get(position=2)
    url = reverse("qa_criterion_new", args=[theme.pk])
    blank = client.post(url, {"text": "  "})
    assert "Enter the criterion" in str(blank.context["form"].errors["text"])
    assert (
        client.post(url, {"text": "Lone working is risk-assessed", "guidance": "Staff alone with a child"}).status_code
        == 302
    )
    added = theme.criteria.get(text="Lone working is risk-assessed")
    assert added.position == 6
    gone = theme.criteria.get(position=1)
    assert client.post(reverse("qa_criterion_delete", args=[gone.pk])).status_code == 302
    assert not QACriterion.objects.filter(pk=gone.pk).exists()
    first, second = draft.points.order_by("position")[:2]
    point_url = reverse("qa_point_edit", args=[first.pk])
    same_name = client.post(point_url, {"label": second.label, "guidance": "Fully", "signal": "green"})
    assert "Another point of the scale has this name" in str(same_name.context["form"].errors["label"])
    no_signal = client.post(point_url, {"label": "Green", "guidance": "Fully"})
    assert "green, amber or red" in str(no_signal.context["form"].errors["signal"])
    assert client.post(point_url, {"label": "Green", "guidance": "Fully met", "signal": "green"}).status_code == 302
    first.refresh_from_db()
    assert first.label == "Green"
    # Version 1 is as it was.
    version_one = QAFramework.objects.get(area=area).versions.get(number=1)
    assert version_one.points.order_by("position").first().label == "Meets"
    assert QACriterion.objects.filter(theme__version=version_one, theme__position=2).count() == 5
    assert AuditEvent.objects.filter(action=AuditAction.QA_FRAMEWORK_CHANGED, user=la_officer).count() == 4


def test_the_provider_sees_its_latest_visit_and_its_actions_on_its_page(client, shared):
    town, visit, _other, action = shared
    client.force_login(town.users["provider"])
    page = client.get(visit.provider.get_absolute_url()).content.decode()
    assert "Latest visit" in page
    assert visit.get_absolute_url() in page
    assert "Record a quality-assurance visit" not in page
    visit_page = client.get(visit.get_absolute_url()).content.decode()
    assert action.text in visit_page
    assert reverse("qa_action_done", args=[action.public_id]) in visit_page
    assert reverse("qa_action_new", args=[visit.public_id]) not in visit_page


@pytest.mark.parametrize("role", ["la", "school", "health"])
def test_the_directory_shows_the_latest_visit_each_reader_may_read_at_a_glance(client, shared, role):
    town, visit, other, _action = shared
    client.force_login(town.users[role])
    rows = {p.name: p for p in client.get(reverse("provider_list")).context["providers"]}
    label = visit.overall.label
    assert (rows[visit.provider.name].qa_overall, rows[visit.provider.name].qa_visited_on) == (label, visit.visited_on)
    # The school places nobody at Brightpath: its visit is not the school's to read, in the directory either.
    assert rows[other.provider.name].qa_overall == (None if role == "school" else label)
    assert label in client.get(reverse("provider_list")).content.decode()
