"""Tracking packs: a chronology, the pen portrait, plans held and current placements for a selected child."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from children.models import ChildDocument
from core.models import AuditAction, AuditEvent, Membership, OrganisationKind
from inspection.models import Inspection, TrackedChild
from tests.factories import (
    AreaFactory,
    ChildFactory,
    ExclusionFactory,
    OrganisationFactory,
    PlacementFactory,
    ProviderFactory,
    member_of,
)
from tests.helpers import date_fields, objectives_post, plan_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def selected(client, la_officer, area, school):
    Membership.objects.filter(user=la_officer).update(may_export_returns=True)
    child = ChildFactory(area=area, home_school=school, first_name="Tia", last_name="Moss")
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")
    PlacementFactory(child=child, provider=provider, commissioner=school, start_date=date.today() - timedelta(days=100))
    today = date.today()
    inspection = Inspection.objects.create(
        area=area,
        notified_on=today,
        visit_starts_on=today,
        visit_ends_on=today + timedelta(days=4),
        lead_inspector="Jo",
        created_by=la_officer,
    )
    client.force_login(la_officer)
    response = client.post(
        reverse("tracking", args=[inspection.public_id]), {"pseudonym": inspection.pseudonym(child.public_id)}
    )
    assert response.status_code == 302
    return inspection, child


def test_a_pack_holds_chronology_portrait_documents_and_placement(client, selected):
    inspection, child = selected
    child.ehc_plan_status = "being_assessed"
    child.save()
    client.post(
        reverse("pen_portrait_new", args=[child.public_id]),
        {"needs": "Anxiety in large groups", "aspirations": "To be a mechanic", "support": "Small group, key worker"},
    )
    plan = SimpleUploadedFile("ehcp.pdf", b"%PDF plan", content_type="application/pdf")
    client.post(
        reverse("document_new", args=[child.public_id]),
        {"kind": "ehc_plan", "title": "EHC plan 2026", "file": plan, **date_fields("dated", date.today())},
    )
    pack = client.get(reverse("tracking_pack", args=[inspection.public_id, child.public_id]))
    page = pack.content.decode()
    assert "To be a mechanic" in page
    assert "EHC plan: EHC plan 2026" in page
    assert "Northgate PRU" in page
    kinds = [e.kind for e in pack.context["events"]]
    assert "Placement" in kinds
    assert "EHC plan" in kinds
    document = ChildDocument.objects.get()
    assert client.get(reverse("document_download", args=[document.public_id])).content == b"%PDF plan"


def test_an_id_that_is_not_the_areas_is_explained(client, selected):
    inspection, _child = selected
    response = client.post(reverse("tracking", args=[inspection.public_id]), {"pseudonym": "AP-0000000000"})
    assert "No child of the area has this id" in response.content.decode()
    assert TrackedChild.objects.count() == 1


def test_a_child_not_selected_has_no_pack(client, selected, area, school):
    inspection, _child = selected
    other = ChildFactory(area=area, home_school=school)
    assert client.get(reverse("tracking_pack", args=[inspection.public_id, other.public_id])).status_code == 404


def test_a_document_of_a_child_one_cannot_see_is_not_found(client, selected, area):
    _inspection, child = selected
    plan = SimpleUploadedFile("ehcp.pdf", b"%PDF plan", content_type="application/pdf")
    client.post(
        reverse("document_new", args=[child.public_id]),
        {"kind": "ehc_plan", "title": "Plan", "file": plan, **date_fields("dated", date.today())},
    )
    stranger = member_of(OrganisationFactory(area=area), username="elsewhere")
    client.force_login(stranger)
    assert client.get(reverse("document_download", args=[ChildDocument.objects.get().public_id])).status_code == 404


def record_plan(client, placement):
    """The LA records a plan through its page, as the tests before it recorded a commissioning agreement."""
    start = placement.start_date
    response = client.post(
        reverse("placement_plan_edit", args=[placement.public_id]),
        {
            **plan_post(
                start=start,
                end=date.today() + timedelta(days=60),
                reintegration_plan="Return to Priestley High after Easter",
                agreed=date.today() - timedelta(days=90),
            ),
            **objectives_post(
                [
                    {
                        "description": "Back in a mainstream classroom for every lesson",
                        "measure": "Attendance above 90% for six weeks",
                        "baseline": "Tia Moss attends 62% of sessions at Priestley High",
                        "target_date": date.today() + timedelta(days=60),
                    }
                ]
            ),
        },
    )
    assert response.status_code == 302, response.context["form"].errors


def test_a_pack_shows_each_current_plan_and_flags_a_missing_one(client, selected, area):
    inspection, child = selected
    agreed = child.placements.get()
    other = PlacementFactory(
        child=child, provider=ProviderFactory(organisation__area=area, organisation__name="Kestrel Home Tuition")
    )
    record_plan(client, agreed)
    client.post(
        reverse("exclusion_new", args=[child.public_id]),
        {
            "school": child.home_school.pk,
            "category": "FIXD",
            "sessions": "4",
            "reason": "VA",
            **date_fields("start_date", date.today() - timedelta(days=120)),
        },
    )
    page = client.get(reverse("tracking_pack", args=[inspection.public_id, child.public_id])).content.decode()
    plans = page[page.index("Current personalised plan") : page.index("Plans and assessments held")]
    assert "Placement at Northgate PRU" in plans
    assert "Back in a mainstream classroom for every lesson" in plans
    assert "Return to the home school after Easter" in plans  # the pack does not name the home school
    pseudonym = TrackedChild.objects.get().pseudonym
    assert f"Baseline: {pseudonym} {pseudonym} attends 62% of sessions at the home school" in plans
    assert f"Placement at {other.provider.name}" in plans
    assert plans.count("No plan recorded") == 1
    assert "Suspended by the home school for 2 days: verbal abuse/threatening behaviour against an adult" in page
    assert "Personalised plan for the placement at Northgate PRU agreed: 1 objective" in page


def pdf_text(response) -> str:
    reader = PdfReader(BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pack_downloads_as_a_pdf_with_the_same_content_and_is_audited(client, selected, la_officer):
    inspection, child = selected
    placement = child.placements.get()
    record_plan(client, placement)
    ExclusionFactory(child=child, school=child.home_school, sessions=6, reason="DB")
    page = client.get(reverse("tracking_pack", args=[inspection.public_id, child.public_id]))
    url = reverse("tracking_pack_pdf", args=[inspection.public_id, child.public_id])
    assert f'href="{url}"' in page.content.decode()

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    tracked = TrackedChild.objects.get()
    assert f"tracking-pack-{tracked.pseudonym}.pdf" in response["Content-Disposition"]
    text = pdf_text(response)
    assert tracked.pseudonym in text
    assert "OFFICIAL-SENSITIVE" in text
    assert "Page 1 of" in text
    assert "Back in a mainstream classroom for every lesson" in " ".join(text.split())
    assert "Suspended by the home school for 3 days" in " ".join(text.split())
    assert "Started at Northgate PRU" in " ".join(text.split())
    assert child.last_name not in text
    event = AuditEvent.objects.get(action=AuditAction.TRACKING_PACK_EXPORTED)
    assert (event.user, event.object_id) == (la_officer, str(child.public_id))
    assert event.detail["pseudonym"] == tracked.pseudonym


def test_a_missing_plan_is_flagged_in_the_pdf(client, selected):
    inspection, child = selected
    response = client.get(reverse("tracking_pack_pdf", args=[inspection.public_id, child.public_id]))
    assert "Gap: No plan recorded" in " ".join(pdf_text(response).split())


def test_no_pdf_for_a_child_not_selected_or_a_user_of_another_area(client, selected, area, school):
    inspection, child = selected
    other = ChildFactory(area=area, home_school=school)
    assert client.get(reverse("tracking_pack_pdf", args=[inspection.public_id, other.public_id])).status_code == 404
    elsewhere = AreaFactory(name="Halton", la_code="876", ons_code="E06000006")
    halton = OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY, area=elsewhere, urn="", name="Halton BC")
    client.force_login(member_of(halton, Membership.Role.AP_OFFICER))
    assert client.get(reverse("tracking_pack_pdf", args=[inspection.public_id, child.public_id])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.TRACKING_PACK_EXPORTED).exists()


def test_the_pack_names_neither_the_child_nor_the_schools_that_would_identify_them(client, selected, area):
    inspection, child = selected
    excluder = OrganisationFactory(name="Saint Wilfrid's Catholic Academy", kind=OrganisationKind.SCHOOL, area=area)
    ExclusionFactory(child=child, school=excluder, sessions=4, reason="DB")
    client.post(
        reverse("pen_portrait_new", args=[child.public_id]),
        {
            "needs": "Tia settles when Tia Moss's key worker meets her at the gate",
            "aspirations": "Tia wants to go back to Priestley High, not to St Wilfrid's",
            "support": "Mentor from Saint Wilfrid's Catholic Academy",
        },
    )
    tracked = TrackedChild.objects.get()
    for response in (
        client.get(reverse("tracking_pack", args=[inspection.public_id, child.public_id])),
        client.get(reverse("tracking_pack_pdf", args=[inspection.public_id, child.public_id])),
    ):
        text = " ".join(
            (pdf_text(response) if response["Content-Type"] == "application/pdf" else response.content.decode()).split()
        )
        for secret in ("Tia", "Moss", "Priestley", "Saint Wilfrid"):
            assert secret not in text, secret
        assert f"{tracked.pseudonym} settles when" in text
        assert "go back to the home school" in text
        assert "Mentor from a previous school" in text


def test_an_inspector_sees_which_plans_are_held_but_cannot_open_them(client, selected, area):
    inspection, child = selected
    plan = SimpleUploadedFile("ehcp.pdf", b"%PDF plan", content_type="application/pdf")
    client.post(
        reverse("document_new", args=[child.public_id]),
        {"kind": "ehc_plan", "title": "EHC plan for Tia Moss", "file": plan, **date_fields("dated", date.today())},
    )
    inspector = member_of(OrganisationFactory(kind=OrganisationKind.INSPECTORATE, urn=""), Membership.Role.INSPECTOR)
    inspection.inspectors.add(inspector)
    client.force_login(inspector)
    page = client.get(reverse("tracking_pack", args=[inspection.public_id, child.public_id])).content.decode()
    pseudonym = TrackedChild.objects.get().pseudonym
    assert f"EHC plan: EHC plan for {pseudonym} {pseudonym}" in page
    assert reverse("document_download", args=[ChildDocument.objects.get().public_id]) not in page


# Around a name: spaces and punctuation, never a letter, digit or underscore that would make it another word.
AROUND = st.text(alphabet=st.characters(categories=["Zs", "Po", "Pd", "Ps", "Pe"]), max_size=5)


@given(before=AROUND, after=AROUND, first=st.from_regex(r"[A-Z][a-z'\-]{1,12}", fullmatch=True), upper=st.booleans())
def test_redaction_takes_out_a_name_however_it_is_written(before, after, first, upper):
    from types import SimpleNamespace

    from inspection.redaction import Redaction

    child = SimpleNamespace(
        first_name=first, last_name="Okonkwo", home_school_id=None, exclusions=SimpleNamespace(all=list)
    )
    redact = Redaction.for_child(child, pseudonym="#")
    written = first.upper() if upper else first
    said = redact(f"{before}{written}{after} 1 OKONKWO 2")
    assert not any(c.isalpha() for c in said), said  # nothing of either name is left
