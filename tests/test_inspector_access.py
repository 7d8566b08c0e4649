"""An inspector sees the return and tracking packs of their own inspection only, and nothing after the visit ends."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from core.access import INSPECTOR_PAGES, children_visible_to
from core.models import AuditAction, AuditEvent, Membership, OrganisationKind
from inspection.models import Inspection, TrackedChild
from tests.factories import ChildFactory, OrganisationFactory, PlacementFactory, ProviderFactory, member_of
from tests.helpers import every_url, page_body

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
    missing = client.get(reverse("tracking_pack", args=[inspection.public_id, untracked.public_id]))
    assert missing.status_code == 404
    # The refusal is on that child's access log (issue 9, item 5).
    refused = AuditEvent.objects.filter(user=inspector, action=AuditAction.CHILD_VIEW_REFUSED)
    assert refused.filter(children__child_public_id=untracked.public_id).exists()


def test_an_inspector_opens_no_named_page_of_any_child(client, visit):
    """The register, child records and attendance pages name children: closed to inspectors, tracked or not."""
    _inspection, _other, _inspector, tracked, untracked = visit
    pages = [reverse("register"), reverse("attendance_home"), reverse("alerts")]
    for child in (tracked, untracked):
        pages += [reverse("child_detail", args=[child.public_id]), reverse("child_attendance", args=[child.public_id])]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 403, page
        assert tracked.last_name not in response.content.decode()
    assert page_body(client.get(pages[3])) == page_body(client.get(pages[5]))


def test_an_inspector_is_taken_to_their_inspections_and_offered_nothing_else(client, visit):
    response = client.get(reverse("dashboard"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("inspection_list")
    assert [item["text"] for item in response.context["navigation"]] == ["Inspections"]


def test_no_write_form_opens_for_an_inspector_and_nothing_is_written(client, visit):
    inspection, _other, inspector, tracked, _untracked = visit
    forms = [
        reverse("pen_portrait_new", args=[tracked.public_id]),
        reverse("document_new", args=[tracked.public_id]),
        reverse("involvement_new", args=[tracked.public_id]),
        reverse("exclusion_new", args=[tracked.public_id]),
        reverse("child_edit", args=[tracked.public_id]),
        reverse("placement_new", args=[tracked.public_id]),
        reverse("child_new"),
    ]
    for form in forms:
        assert client.get(form).status_code == 403, form
        assert client.post(form, {"needs": "x", "aspirations": "y", "support": "z"}).status_code == 403, form
    assert not tracked.pen_portraits.exists()
    refused = AuditEvent.objects.filter(user=inspector, action=AuditAction.NOT_PERMITTED)
    assert refused.count() == 2 * len(forms)
    pack = client.get(reverse("tracking_pack", args=[inspection.public_id, tracked.public_id])).content.decode()
    assert reverse("pen_portrait_new", args=[tracked.public_id]) not in pack


def test_every_page_not_listed_for_inspectors_is_closed_to_them(client, visit):
    """Walk every address of the service: an inspector opens only the pages the access policy lists."""
    inspection, _other, _inspector, tracked, _untracked = visit
    opened = set()
    for url_name, url in every_url(inspection=inspection, child=tracked):
        response = client.get(url)
        if response.status_code != 403:
            opened.add(url_name)
    assert opened <= INSPECTOR_PAGES | {"dashboard"}


def test_an_inspectors_crawl_opens_every_link_offered_and_meets_no_name_upn_or_date_of_birth(client, visit):
    inspection, _other, _inspector, tracked, _untracked = visit
    tracked.first_name, tracked.last_name = "Zephyrine", "Quillfeather"
    tracked.save()
    seen, queue = set(), [reverse("dashboard")]
    while queue:
        url = queue.pop()
        if url in seen or not url.startswith("/") or url.startswith(("/static/", "/sign-out")):
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"{url} is offered to the inspector but closed to them"
        if response.get("Content-Type", "").startswith("text/html"):
            page = response.content.decode()
            for secret in ("Zephyrine", "Quillfeather", tracked.upn, tracked.date_of_birth.strftime("%-d %B %Y")):
                assert secret not in page, f"{url} shows {secret}"
            queue += re.findall(r'href="([^"#]+)"', page)
        elif response["Content-Type"] == "application/pdf":
            assert b"Quillfeather" not in response.content
    assert reverse("tracking_pack", args=[inspection.public_id, tracked.public_id]) in seen
    pack = client.get(reverse("tracking_pack", args=[inspection.public_id, tracked.public_id])).content.decode()
    assert inspection.pseudonym(tracked.public_id) in pack
    assert f"aged {tracked.age}" in pack


def test_the_la_removes_an_inspector_at_any_time(client, visit, la_officer):
    inspection, _other, inspector, tracked, _untracked = visit
    client.force_login(la_officer)
    response = client.post(reverse("inspection_inspector_remove", args=[inspection.public_id, inspector.public_id]))
    assert response.status_code == 302
    assert not inspection.inspectors.exists()
    assert AuditEvent.objects.filter(action=AuditAction.INSPECTOR_REMOVED, user=la_officer).exists()
    client.force_login(inspector)
    assert client.get(reverse("inspection_detail", args=[inspection.public_id])).status_code == 404
    assert client.get(reverse("tracking_pack", args=[inspection.public_id, tracked.public_id])).status_code == 404
    assert not children_visible_to(user=inspector).exists()


def test_an_inspector_cannot_remove_inspectors(client, visit):
    inspection, _other, inspector, _tracked, _untracked = visit
    url = reverse("inspection_inspector_remove", args=[inspection.public_id, inspector.public_id])
    assert client.post(url).status_code == 403
    assert inspection.inspectors.filter(pk=inspector.pk).exists()


def test_an_inspector_cannot_select_children_or_look_up_ids(client, visit):
    inspection, _other, _inspector, _tracked, untracked = visit
    response = client.post(
        reverse("tracking", args=[inspection.public_id]), {"pseudonym": inspection.pseudonym(untracked.public_id)}
    )
    assert response.status_code == 403
    assert TrackedChild.objects.count() == 1
    page = client.post(
        reverse("inspection_detail", args=[inspection.public_id]),
        {"pseudonym": inspection.pseudonym(untracked.public_id)},
    )
    assert page.status_code == 403
    assert untracked.last_name not in page.content.decode()


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
