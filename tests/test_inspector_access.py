"""An inspector sees the return and tracking packs of their own inspection only, and nothing after the visit ends."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from core.access import children_visible_to
from core.models import AuditAction, AuditEvent, Membership, OrganisationKind
from inspection.models import Inspection, TrackedChild
from tests.factories import ChildFactory, OrganisationFactory, PlacementFactory, ProviderFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(client, la_officer, area, school):
    Membership.objects.filter(user=la_officer).update(may_export_returns=True)
    provider = ProviderFactory(organisation__area=area)
    tracked, untracked = (ChildFactory(area=area, home_school=school) for _ in range(2))
    for child in (tracked, untracked):
        PlacementFactory(child=child, provider=provider, commissioner=school)
    today = date.today()
    inspection = Inspection.objects.create(
        area=area,
        notified_on=today,
        visit_starts_on=today + timedelta(days=3),
        visit_ends_on=today + timedelta(days=7),
        lead_inspector="Jo",
        created_by=la_officer,
    )
    other = Inspection.objects.create(
        area=area,
        notified_on=today,
        visit_starts_on=today,
        visit_ends_on=today + timedelta(days=2),
        lead_inspector="Someone else",
        created_by=la_officer,
    )
    ofsted = OrganisationFactory(kind=OrganisationKind.INSPECTORATE, area=area, urn="", name="Ofsted")
    inspector = member_of(ofsted, Membership.Role.INSPECTOR, username="hmi")
    client.force_login(la_officer)
    client.post(reverse("inspection_inspector_new", args=[inspection.public_id]), {"inspector": inspector.pk})
    TrackedChild.objects.create(
        inspection=inspection, child=tracked, pseudonym=inspection.pseudonym(tracked.public_id), selected_by=la_officer
    )
    client.force_login(inspector)
    return inspection, other, inspector, tracked, untracked


def test_the_la_gives_access_and_it_is_audited(visit):
    inspection, _other, inspector, _tracked, _untracked = visit
    assert list(inspection.inspectors.all()) == [inspector]
    assert AuditEvent.objects.filter(action=AuditAction.INSPECTOR_ADDED).exists()


def test_an_inspector_sees_their_inspection_and_its_return_only(client, visit):
    inspection, other, inspector, _tracked, _untracked = visit
    assert client.get(reverse("inspection_detail", args=[inspection.public_id])).status_code == 200
    assert client.get(reverse("inspection_detail", args=[other.public_id])).status_code == 404
    workbook = client.get(reverse("annex_a_download", args=[inspection.public_id, "xlsx"]))
    assert workbook.status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.ANNEX_A_EXPORTED, user=inspector).exists()
    assert client.get(reverse("annex_a_download", args=[other.public_id, "xlsx"])).status_code == 404


def test_an_inspector_sees_tracked_children_and_no_others(client, visit):
    inspection, _other, inspector, tracked, untracked = visit
    assert set(children_visible_to(user=inspector)) == {tracked}
    assert client.get(reverse("tracking_pack", args=[inspection.public_id, tracked.public_id])).status_code == 200
    assert client.get(reverse("child_detail", args=[untracked.public_id])).status_code == 404
    assert client.get(reverse("register")).context["page"].paginator.count == 1


def test_an_inspector_cannot_select_children_or_look_up_ids(client, visit):
    inspection, _other, _inspector, _tracked, untracked = visit
    client.post(
        reverse("tracking", args=[inspection.public_id]), {"pseudonym": inspection.pseudonym(untracked.public_id)}
    )
    assert TrackedChild.objects.count() == 1
    page = client.post(
        reverse("inspection_detail", args=[inspection.public_id]),
        {"pseudonym": inspection.pseudonym(untracked.public_id)},
    )
    assert page.context["found"] is None


def test_nothing_after_the_visit_ends(client, visit):
    inspection, _other, inspector, tracked, _untracked = visit
    with time_machine.travel(inspection.visit_ends_on + timedelta(days=1)):
        client.force_login(inspector)
        assert client.get(reverse("inspection_detail", args=[inspection.public_id])).status_code == 404
        assert client.get(reverse("annex_a_download", args=[inspection.public_id, "xlsx"])).status_code == 404
        assert client.get(reverse("tracking_pack", args=[inspection.public_id, tracked.public_id])).status_code == 404
        pdf = reverse("tracking_pack_pdf", args=[inspection.public_id, tracked.public_id])
        assert client.get(pdf).status_code == 404
        assert not children_visible_to(user=inspector).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.TRACKING_PACK_EXPORTED).exists()


def test_an_inspector_downloads_a_tracked_childs_pack_during_the_visit_only(client, visit):
    inspection, other, inspector, tracked, untracked = visit
    pdf = client.get(reverse("tracking_pack_pdf", args=[inspection.public_id, tracked.public_id]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(
        action=AuditAction.TRACKING_PACK_EXPORTED, user=inspector, object_id=str(tracked.public_id)
    ).exists()
    assert client.get(reverse("tracking_pack_pdf", args=[inspection.public_id, untracked.public_id])).status_code == 404
    assert client.get(reverse("tracking_pack_pdf", args=[other.public_id, tracked.public_id])).status_code == 404
