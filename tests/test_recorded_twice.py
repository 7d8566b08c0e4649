"""A UPN already on a record a school may not see: the school is told nothing, the LA settles it."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from children.imports import RECORDED_TWICE
from children.models import Child
from core.models import AuditAction, AuditEvent
from tests.factories import AreaFactory, ChildFactory, InvolvementFactory, PlacementFactory, ProviderFactory, valid_upn
from tests.helpers import child_data
from tests.import_helpers import CHILDREN, PLACEMENTS, child_row, placement_row

pytestmark = pytest.mark.django_db

TODAY = date.today()


def _add(client, school_lead, upn: str, **options):
    return client.post(
        reverse("child_new"), child_data(upn=upn, home_school=school_lead.primary_organisation.pk), **options
    )


def _added(client, school_lead, upn: str) -> tuple[int, str]:
    """What a school sees on adding a child with this UPN: the status, and the next page without names or ids."""
    response = _add(client, school_lead, upn, follow=True)
    text = response.content.decode().replace(upn, "UPN")
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "ID", text)
    return response.redirect_chain[0][1], re.sub(r'(nonce|value)="[^"]*"', "", text)


def test_a_school_adding_a_upn_another_school_holds_reads_as_a_new_child_and_the_la_sees_it_twice(
    client, school_lead, la_officer, other_school, area
):
    held = ChildFactory(area=area, home_school=other_school, upn=valid_upn(5), first_name="Zara")
    client.force_login(school_lead)
    assert _added(client, school_lead, valid_upn(5)) == _added(client, school_lead, valid_upn(6))
    later = Child.objects.get(upn=valid_upn(5), recorded_twice_as=held)
    assert later.home_school == school_lead.primary_organisation
    assert Child.objects.get(upn=valid_upn(6)).recorded_twice_as is None
    assert b"Zara" not in client.get(reverse("child_list")).content
    client.force_login(la_officer)
    page = client.get(reverse("recorded_twice")).content.decode()
    assert "Zara" in page
    assert later.full_name in page
    assert "1 record to settle" in page
    assert "1 child recorded twice" in client.get(reverse("dashboard")).content.decode()
    assert "1 child recorded twice" in client.get(reverse("child_list")).content.decode()
    assert "settle it with" in client.get(held.get_absolute_url()).content.decode()


def test_a_upn_on_a_record_the_user_may_see_is_refused_with_a_link(client, school_lead, school, area):
    own = ChildFactory(area=area, home_school=school, upn=valid_upn(5))
    client.force_login(school_lead)
    page = _add(client, school_lead, valid_upn(5)).content.decode()
    assert "Another child already has this UPN" in page
    assert own.get_absolute_url() in page
    assert Child.objects.filter(upn=valid_upn(5)).count() == 1


def test_another_areas_record_of_a_child_is_that_areas_own(client, school_lead):
    elsewhere = AreaFactory(name="Halton", la_code="876", ons_code="E06000006")
    ChildFactory(area=elsewhere, upn=valid_upn(9))
    client.force_login(school_lead)
    assert _add(client, school_lead, valid_upn(9)).status_code == 302
    assert Child.objects.filter(upn=valid_upn(9), recorded_twice_as=None).count() == 2


def test_an_import_naming_a_held_upn_adds_the_schools_own_record_recorded_twice(
    client, school_lead, other_school, area
):
    held = ChildFactory(area=area, home_school=other_school, upn=valid_upn(5))
    client.force_login(school_lead)
    checked, _response = CHILDREN.upload(client, [child_row(5), child_row(7)])
    assert CHILDREN.problems(client, checked) == []
    CHILDREN.confirm(client, checked)
    assert Child.objects.get(upn=valid_upn(5), recorded_twice_as=held).home_school == school_lead.primary_organisation
    assert Child.objects.get(upn=valid_upn(7)).recorded_twice_as is None
    held.refresh_from_db()
    assert held.home_school == other_school


def test_a_file_naming_a_upn_on_two_records_is_refused_until_the_la_settles_it(
    client, la_officer, school, other_school, area
):
    held = ChildFactory(area=area, home_school=other_school, upn=valid_upn(5))
    ChildFactory(area=area, home_school=school, upn=valid_upn(5), recorded_twice_as=held)
    client.force_login(la_officer)
    checked, _response = CHILDREN.upload(client, [child_row(5)])
    assert [(p[0], p[1], p[3]) for p in CHILDREN.problems(client, checked)] == [(2, "UPN", RECORDED_TWICE)]


def test_a_placements_file_naming_a_upn_on_two_records_is_refused(client, la_officer, school, other_school, area):
    held = ChildFactory(area=area, home_school=other_school, upn=valid_upn(5))
    ChildFactory(area=area, home_school=school, upn=valid_upn(5), recorded_twice_as=held)
    provider = ProviderFactory(organisation__area=area)
    client.force_login(la_officer)
    checked, _response = PLACEMENTS.upload(client, [placement_row(5, provider)])
    assert RECORDED_TWICE in [p[3] for p in PLACEMENTS.problems(client, checked)]


def _pair(area, school, other_school):
    held = ChildFactory(area=area, home_school=other_school, upn=valid_upn(5), first_name="Zara")
    later = ChildFactory(area=area, home_school=school, upn=valid_upn(5), first_name="Zara", recorded_twice_as=held)
    return held, later


def test_the_la_combines_the_records_into_the_earlier_one(client, la_officer, school_lead, school, other_school, area):
    held, later = _pair(area, school, other_school)
    provider = ProviderFactory(organisation__area=area)
    PlacementFactory(
        child=held, provider=provider, start_date=TODAY - timedelta(days=300), end_date=TODAY - timedelta(days=200)
    )
    moved = PlacementFactory(child=later, provider=provider, start_date=TODAY - timedelta(days=20))
    InvolvementFactory(child=later)
    client.force_login(school_lead)
    client.get(later.get_absolute_url())  # on the later record's access log
    client.force_login(la_officer)
    url = reverse("child_combine", args=[later.public_id])
    assert client.post(url, {}).status_code == 200  # the school must be chosen
    response = client.post(url, {"home_school": str(school.public_id)})
    assert response.status_code == 302
    assert response.url == held.get_absolute_url()
    held.refresh_from_db()
    moved.refresh_from_db()
    assert moved.child == held
    assert held.involvements.count() == 1
    assert held.placements.count() == 2
    assert held.home_school == school
    assert not Child.objects.filter(pk=later.pk).exists()
    log = client.get(reverse("child_access_log", args=[held.public_id])).content.decode()
    assert "Combined two records of one child" in log
    assert log.count("Viewed child record") >= 1
    assert client.get(reverse("recorded_twice")).context["children"].count() == 0
    # The school the child left no longer sees them; the school now theirs does.
    client.force_login(school_lead)
    assert client.get(held.get_absolute_url()).status_code == 200


def test_records_that_cannot_be_combined_are_named_and_nothing_changes(client, la_officer, school, other_school, area):
    held, later = _pair(area, school, other_school)
    provider = ProviderFactory(organisation__area=area)
    PlacementFactory(child=held, provider=provider, start_date=TODAY - timedelta(days=30))
    PlacementFactory(child=later, provider=provider, start_date=TODAY - timedelta(days=10))
    client.force_login(la_officer)
    response = client.post(reverse("child_combine", args=[later.public_id]), {"home_school": str(school.public_id)})
    assert "cannot be made one" in response.content.decode()
    assert "Nothing has changed" in response.content.decode()
    assert later.placements.count() == 1
    assert held.placements.count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.CHILD_RECORDS_COMBINED).exists()


def test_correcting_the_upn_of_either_record_settles_the_pair(client, la_officer, school, other_school, area):
    held, later = _pair(area, school, other_school)
    client.force_login(la_officer)
    edit = child_data(upn=valid_upn(8), first_name=later.first_name, last_name=later.last_name)
    assert client.post(reverse("child_edit", args=[later.public_id]), edit).status_code == 302
    later.refresh_from_db()
    assert later.recorded_twice_as is None
    # The other way: the earlier record had it wrong, and the later one takes the UPN.
    third = ChildFactory(area=area, home_school=school, upn=valid_upn(5), recorded_twice_as=held)
    edit = child_data(upn=valid_upn(11), first_name=held.first_name, last_name=held.last_name)
    assert client.post(reverse("child_edit", args=[held.public_id]), edit).status_code == 302
    third.refresh_from_db()
    assert third.recorded_twice_as is None
    assert client.get(reverse("recorded_twice")).context["children"].count() == 0
