"""A placement's commissioning agreement: intended outcomes, how progress is measured, timeframe and exit plan."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from core.models import AuditAction, AuditEvent, Membership
from inspection.tracking import chronology
from placements.models import CommissioningAgreement
from tests.factories import ChildFactory, PlacementFactory, ProviderFactory, member_of
from tests.helpers import date_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(area, school):
    child = ChildFactory(area=area, home_school=school)
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")
    return PlacementFactory(child=child, provider=provider, commissioner=school)


def agreement_data(end=None, **changes):
    return {
        "intended_outcomes": "Attend 90% of sessions; return to Priestley High full time",
        "success_criteria": "Weekly attendance, half-termly reading age, Tia's own view at each review",
        "exit_plan": "Phased return over four weeks from the start of the summer term",
        **date_fields("planned_end_date", end or date.today() + timedelta(days=90)),
        **date_fields("agreed_on", date.today() - timedelta(days=20)),
        **changes,
    }


def test_the_la_records_an_agreement_with_its_timeframe(client, la_officer, placement):
    client.force_login(la_officer)
    record = reverse("child_detail", args=[placement.child.public_id])
    page = client.get(record).content.decode()
    assert "No agreement recorded" in page
    assert "Record the commissioning agreement" in page

    end = date.today() + timedelta(days=120)
    response = client.post(reverse("commissioning_agreement", args=[placement.public_id]), agreement_data(end))
    assert response.status_code == 302
    agreement = CommissioningAgreement.objects.get(placement=placement)
    assert agreement.agreed_by == la_officer
    placement.refresh_from_db()
    assert placement.planned_end_date == end
    event = AuditEvent.objects.get(action=AuditAction.AGREEMENT_RECORDED)
    assert event.object_id == str(placement.public_id)
    assert event.detail["created"] is True

    page = client.get(record).content.decode()
    assert "Phased return over four weeks" in page
    assert "Change the commissioning agreement" in page
    assert "No agreement recorded" not in page


def test_the_commissioner_changes_the_agreement_and_history_keeps_the_old_one(client, school_lead, placement):
    client.force_login(school_lead)
    url = reverse("commissioning_agreement", args=[placement.public_id])
    assert client.post(url, agreement_data()).status_code == 302
    form = client.get(url).context["form"]
    assert form.initial["exit_plan"].startswith("Phased return")
    assert client.post(url, agreement_data(exit_plan="A specialist place from September")).status_code == 302
    agreement = CommissioningAgreement.objects.get()
    assert agreement.exit_plan == "A specialist place from September"
    assert agreement.history.count() == 2
    assert [e.detail["created"] for e in AuditEvent.objects.filter(action=AuditAction.AGREEMENT_RECORDED)] == [
        True,
        False,
    ]


def test_the_provider_reads_the_agreement_but_cannot_record_it(client, la_officer, placement):
    client.force_login(la_officer)
    client.post(reverse("commissioning_agreement", args=[placement.public_id]), agreement_data())
    client.force_login(member_of(placement.provider.organisation, Membership.Role.OFFICE_MANAGER))
    page = client.get(reverse("child_detail", args=[placement.child.public_id])).content.decode()
    assert "Attend 90% of sessions" in page
    assert "Change the commissioning agreement" not in page
    url = reverse("commissioning_agreement", args=[placement.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, agreement_data(exit_plan="Changed by the provider")).status_code == 404
    assert CommissioningAgreement.objects.get().exit_plan.startswith("Phased return")


def test_another_school_cannot_see_or_record(client, placement, other_school):
    client.force_login(member_of(other_school, Membership.Role.SENCO))
    assert (
        client.post(reverse("commissioning_agreement", args=[placement.public_id]), agreement_data()).status_code == 404
    )
    assert not CommissioningAgreement.objects.exists()


def test_an_agreement_needs_outcomes_an_exit_plan_and_a_timeframe(client, la_officer, placement):
    client.force_login(la_officer)
    url = reverse("commissioning_agreement", args=[placement.public_id])
    data = {**agreement_data(exit_plan="", intended_outcomes=""), **date_fields("planned_end_date", None)}
    errors = client.post(url, data).context["form"].errors
    assert errors["exit_plan"] == ["Enter the exit plan: what happens when the placement ends"]
    assert errors["intended_outcomes"] == ["Enter the outcomes the placement is meant to achieve"]
    assert errors["planned_end_date"] == ["Enter planned end of the placement"]
    assert not CommissioningAgreement.objects.exists()


def test_the_timeframe_cannot_end_before_the_placement_starts(client, la_officer, placement):
    client.force_login(la_officer)
    url = reverse("commissioning_agreement", args=[placement.public_id])
    response = client.post(url, agreement_data(end=placement.start_date - timedelta(days=1)))
    assert (
        "planned end date must be the same as or after the start date"
        in (response.context["form"].errors["planned_end_date"][0])
    )
    assert not CommissioningAgreement.objects.exists()


def test_an_agreement_cannot_be_dated_in_the_future(client, la_officer, placement):
    client.force_login(la_officer)
    data = agreement_data(**date_fields("agreed_on", date.today() + timedelta(days=1)))
    response = client.post(reverse("commissioning_agreement", args=[placement.public_id]), data)
    assert response.context["form"].errors["agreed_on"] == ["The date agreed must be today or in the past"]


def test_the_chronology_records_when_the_agreement_was_made(client, la_officer, placement):
    client.force_login(la_officer)
    end = date.today() + timedelta(days=60)
    client.post(reverse("commissioning_agreement", args=[placement.public_id]), agreement_data(end))
    events = chronology(user=la_officer, child=placement.child, today=date.today())
    agreed = [e for e in events if e.kind == "Agreement"]
    assert [e.day for e in agreed] == [date.today() - timedelta(days=20)]
    assert agreed[0].text == (
        f"Commissioning agreement for the placement at Northgate PRU agreed, to end by {end.day} {end:%B %Y}"
    )
