"""Bad input on the child and placement forms: the field, the reason in plain words, nothing saved."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from children.models import Child
from children.upn import check_letter
from core.models import AuditAction, AuditEvent
from placements.models import Placement
from tests.factories import ChildFactory, PlacementFactory, ProviderFactory, valid_upn
from tests.helpers import child_data, date_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(area, school):
    return ChildFactory(area=area, home_school=school)


@pytest.fixture
def provider(area):
    return ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")


def placement_data(provider, **overrides):
    start = overrides.pop("start", date.today() - timedelta(days=10))
    data = {
        "provider": provider.pk,
        "provision_type": "pru_or_ap_academy",
        "reason": "sa_behaviour",
        "attendance_pattern": "part_time",
        "hours_per_week": "15",
        "registration_type": "dual",
        "main_roll": "home_school",
        "journey_minutes": "20",
        "timetable": [str(i) for i in range(8)],
        **date_fields("start_date", start),
        # A school tells the LA, with the placement, when it ends and when it is first reviewed.
        **date_fields("planned_end_date", overrides.pop("planned_end", start + timedelta(weeks=12))),
        **date_fields("review_date", overrides.pop("review", start + timedelta(weeks=6))),
        **date_fields("end_date", overrides.pop("end", None)),
    }
    data.update(overrides)
    return data


def post_placement(client, child, data):
    return client.post(reverse("placement_new", args=[child.public_id]), data)


def errors_of(response) -> dict:
    return {name: list(errs) for name, errs in response.context["form"].errors.items()}


def test_school_records_the_ap_it_commissions_and_the_la_sees_it(client, school_lead, la_officer, child, provider):
    client.force_login(school_lead)
    response = post_placement(client, child, placement_data(provider))
    assert response.status_code == 302
    placement = Placement.objects.get(child=child)
    assert placement.commissioner == child.home_school
    assert placement.commissioner_type == "school"
    assert AuditEvent.objects.filter(action=AuditAction.PLACEMENT_CREATED, object_id=placement.public_id).exists()
    client.force_login(la_officer)
    assert child.first_name in client.get(reverse("register")).content.decode()


def test_a_school_tells_the_la_when_its_placement_ends_and_is_reviewed(client, school_lead, child, provider):
    client.force_login(school_lead)
    response = post_placement(client, child, placement_data(provider, planned_end=None, review=None))
    errors = errors_of(response)
    assert "a school tells the local authority how long the placement is for" in errors["planned_end_date"][0]
    assert "Enter the date of the first review" in errors["review_date"][0]
    late = date.today() + timedelta(weeks=20)
    response = post_placement(client, child, placement_data(provider, review=late))
    assert "on or before the planned end date" in errors_of(response)["review_date"][0]
    assert not Placement.objects.exists()

    assert post_placement(client, child, placement_data(provider)).status_code == 302
    placement = Placement.objects.get()
    assert placement.review_date == date.today() - timedelta(days=10) + timedelta(weeks=6)


def test_the_la_may_record_an_open_ended_placement_it_commissions(client, la_officer, child, provider):
    client.force_login(la_officer)
    data = placement_data(
        provider, planned_end=None, review=None, reason="apc_pex", commissioner=la_officer.primary_organisation.pk
    )
    assert post_placement(client, child, data).status_code == 302
    assert Placement.objects.get().planned_end_date is None


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        (
            {"end": date.today() - timedelta(days=20)},
            "end_date",
            "end date must be the same as or after the start date",
        ),
        ({"hours_per_week": "33"}, "hours_per_week", "32.5 or fewer"),
        ({"hours_per_week": "-1"}, "hours_per_week", "cannot be below 0"),
        ({"hours_per_week": "ten"}, "hours_per_week", "must be a number"),
        ({"reason": "PEX"}, "reason", "Select a valid choice"),
        ({"provision_type": ""}, "provision_type", "Select the type of provision"),
        ({"attendance_pattern": "full_time", "hours_per_week": "10"}, "hours_per_week", "at least 25 hours"),
        ({"registration_type": "single", "main_roll": "home_school"}, "main_roll", "single-registered child"),
        ({"start_date_0": "31", "start_date_1": "2", "start_date_2": "2026"}, "start_date", "must be a real date"),
        ({"start_date_0": "", "start_date_1": "", "start_date_2": ""}, "start_date", "Enter start date"),
    ],
)
def test_bad_placement_input_names_the_field_and_saves_nothing(
    client, school_lead, child, provider, overrides, field, words
):
    client.force_login(school_lead)
    response = post_placement(client, child, placement_data(provider, **overrides))
    assert response.status_code == 200
    errors = errors_of(response)
    assert any(words in e for e in errors.get(field, [])), errors
    assert not Placement.objects.exists()
    page = response.content.decode()
    assert "There is a problem" in page
    assert "govuk-error-message" in page


def test_overlapping_placement_at_the_same_provider_is_refused(client, school_lead, child, provider):
    PlacementFactory(
        child=child, provider=provider, commissioner=child.home_school, start_date=date.today() - timedelta(days=60)
    )
    client.force_login(school_lead)
    response = post_placement(client, child, placement_data(provider))
    assert "already has a placement at this provider" in errors_of(response)["start_date"][0]
    assert Placement.objects.count() == 1


def test_the_database_refuses_an_overlap_the_form_missed(child, provider):
    from django.db import IntegrityError, transaction

    PlacementFactory(
        child=child, provider=provider, commissioner=child.home_school, start_date=date.today() - timedelta(days=60)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(child=child, provider=provider, commissioner=child.home_school, start_date=date.today())


def test_editing_a_placement_keeps_its_history(client, la_officer, child, provider):
    placement = PlacementFactory(child=child, provider=provider, commissioner=child.home_school, timetable="1111111100")
    client.force_login(la_officer)
    data = placement_data(
        provider,
        start=placement.start_date,
        planned_end=None,
        review=None,
        hours_per_week="20",
        journey_minutes="",
        commissioner=child.home_school.pk,
    )
    response = client.post(reverse("placement_edit", args=[placement.public_id]), data)
    assert response.status_code == 302, errors_of(response)
    placement.refresh_from_db()
    assert placement.hours_per_week == 20
    old = placement.history.order_by("history_date").last().prev_record
    assert old is None or old.hours_per_week == 15
    event = AuditEvent.objects.get(action=AuditAction.PLACEMENT_CHANGED)
    assert event.detail["fields"] == ["hours_per_week"]


def test_la_officer_adds_a_child(client, la_officer):
    client.force_login(la_officer)
    response = client.post(reverse("child_new"), child_data())
    assert response.status_code == 302
    child = Child.objects.get()
    assert child.area == la_officer.primary_organisation.area
    assert AuditEvent.objects.filter(action=AuditAction.CHILD_CREATED, object_id=child.public_id).exists()


def wrong_check_letter():
    body = valid_upn(4242)[1:]
    return next(c for c in "ABCDEFGH" if c != check_letter(body)) + body


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"upn": "wrong_check_letter"}, "upn", "first letter of this UPN should be"),
        ({"upn": "A12"}, "upn", "13 characters"),
        ({"dob": date.today() - timedelta(days=365 * 3 + 1)}, "date_of_birth", "this date makes them 3"),
        ({"dob": date.today() - timedelta(days=365 * 30 + 8)}, "date_of_birth", "this date makes them 30"),
        ({"sen_primary_need": "BOGUS"}, "sen_primary_need", "Select a valid choice"),
        ({"ethnicity": ""}, "ethnicity", "Select the child's ethnicity"),
        ({"looked_after": "true"}, "looked_after_by", "responsible local authority"),
    ],
)
def test_bad_child_input_names_the_field_and_saves_nothing(client, la_officer, overrides, field, words):
    if overrides.get("upn") == "wrong_check_letter":
        overrides["upn"] = wrong_check_letter()
    client.force_login(la_officer)
    response = client.post(reverse("child_new"), child_data(**overrides))
    assert response.status_code == 200
    errors = errors_of(response)
    assert any(words in e for e in errors.get(field, [])), errors
    assert not Child.objects.exists()


def test_editing_a_child_records_who_changed_what(client, la_officer, child):
    client.force_login(la_officer)
    data = child_data(upn=child.upn, first_name=child.first_name, last_name="Newname", dob=child.date_of_birth)
    data["home_school"] = child.home_school.pk
    response = client.post(reverse("child_edit", args=[child.public_id]), data)
    assert response.status_code == 302, errors_of(response)
    latest = child.history.latest()
    assert latest.last_name == "Newname"
    assert latest.history_user == la_officer
    assert latest.prev_record is None or latest.prev_record.last_name != "Newname"


# Issue 9, item 14 and the 2099 start date: the placement form's own rules, each named on its field.


def test_a_new_placement_form_starts_with_no_session_ticked(client, school_lead, child):
    client.force_login(school_lead)
    response = client.get(reverse("placement_new", args=[child.public_id]))
    assert not response.context["form"]["timetable"].value()
    assert 'name="timetable" value="0" checked' not in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"timetable": [str(i) for i in range(10)]}, "A part-time placement does not cover all ten sessions"),
        ({"timetable": ["0", "1"], "hours_per_week": "15"}, "15 hours a week do not fit in 2 sessions"),
    ],
)
def test_the_sessions_must_agree_with_the_hours(client, school_lead, child, provider, overrides, words):
    client.force_login(school_lead)
    response = post_placement(client, child, placement_data(provider, **overrides))
    errors = errors_of(response)
    assert any(words in e for e in errors.get("timetable", [])), errors
    assert not Placement.objects.exists()


def test_a_full_time_placement_may_cover_every_session(client, school_lead, child, provider):
    client.force_login(school_lead)
    data = placement_data(
        provider, attendance_pattern="full_time", hours_per_week="25", timetable=[str(i) for i in range(10)]
    )
    response = post_placement(client, child, data)
    assert response.status_code == 302, errors_of(response)


def test_the_type_of_provision_must_agree_with_the_providers_registration(client, school_lead, child, area):
    unregistered = ProviderFactory(organisation__area=area, registration="independent_unregistered")
    client.force_login(school_lead)
    response = post_placement(client, child, placement_data(unregistered, provision_type="pru_or_ap_academy"))
    errors = errors_of(response)
    assert any("independent unregistered" in e and "PRU or AP academy" in e for e in errors["provision_type"]), errors
    assert not Placement.objects.exists()
    response = post_placement(client, child, placement_data(unregistered, provision_type="independent_ap"))
    assert response.status_code == 302, errors_of(response)


def test_a_school_is_offered_only_the_school_census_reasons(client, school_lead, child, provider):
    client.force_login(school_lead)
    response = client.get(reverse("placement_new", args=[child.public_id]))
    offered = {value for value, _label in response.context["form"].fields["reason"].choices if value}
    assert offered == {
        "sa_behaviour",
        "sa_medical_mental",
        "sa_medical_physical",
        "sa_pex_review",
        "sa_suspension",
        "sa_other",
    }
    response = post_placement(client, child, placement_data(provider, reason="apc_pex"))
    assert "reason" in errors_of(response)


def test_a_placement_the_la_arranges_takes_an_ap_census_reason(client, la_officer, la, child, provider):
    client.force_login(la_officer)
    response = post_placement(client, child, placement_data(provider, commissioner=la.pk, reason="sa_behaviour"))
    errors = errors_of(response)
    assert any("arranged by the local authority" in e and "AP census" in e for e in errors.get("reason", [])), errors
    response = post_placement(client, child, placement_data(provider, commissioner=la.pk, reason="apc_pex"))
    assert response.status_code == 302, errors_of(response)
    assert Placement.objects.get().reason == "apc_pex"


def test_a_start_date_years_ahead_is_refused(client, school_lead, child, provider):
    client.force_login(school_lead)
    response = post_placement(client, child, placement_data(provider, start=date(2099, 9, 1)))
    errors = errors_of(response)
    assert any("check the year" in e for e in errors.get("start_date", [])), errors
    assert not Placement.objects.exists()
    response = post_placement(client, child, placement_data(provider, start=date.today() + timedelta(days=200)))
    assert response.status_code == 302, errors_of(response)


def test_a_service_rule_naming_a_field_the_form_lacks_shows_above_the_form():
    from django import forms as django_forms
    from django.core.exceptions import ValidationError

    from core.forms import GovukForm, run_service

    class NoteForm(GovukForm):
        note = django_forms.CharField()

    def refuse(data):
        raise ValidationError({"note": ["Too short"], "planned_end_date": ["Enter the planned end date"]})

    form = NoteForm({"note": "x"})
    assert run_service(form, refuse) is None
    assert form.errors["note"] == ["Too short"]
    assert form.non_field_errors() == ["Enter the planned end date"]
