"""The area's approval of each provider (issue 13, item 2): the LA decides, with how, why, when and a review date;
every decision is kept as the provider's history; everyone who reads the directory sees the approval today."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from core.models import AuditAction, AuditEvent
from providers.models import ProviderApproval
from tests.factories import ProviderFactory
from tests.helpers import date_fields
from tests.test_access import borough  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

TODAY = date.today()


def approval_post(status="approved_with_conditions", decided_on=TODAY, review_by=None, **more) -> dict:
    return {
        "status": status,
        "approval_model": "la_verified",
        "reason": "Two sessional staff without a barred-list check on the single central record: by half term",
        **date_fields("decided_on", decided_on),
        **date_fields("review_by", review_by),
    } | more


@pytest.fixture
def setting(area):
    return ProviderFactory(organisation__area=area, organisation__name="Back Lane Workshop", approval=None)


def new_url(provider):
    return reverse("provider_approval_new", args=[provider.public_id])


def test_the_la_decides_and_every_decision_stays_as_the_providers_history(client, la_officer, setting):
    client.force_login(la_officer)
    listed = client.get(reverse("provider_list")).content.decode()
    assert "Not decided" in listed
    response = client.post(new_url(setting), approval_post("approved", TODAY - timedelta(days=300)))
    assert response.status_code == 302
    response = client.post(new_url(setting), approval_post(review_by=TODAY + timedelta(days=60)))
    assert response.status_code == 302
    page = client.get(setting.get_absolute_url()).content.decode()
    assert "Approved with conditions" in page
    assert "barred-list check" in page
    assert "LA-verified" in page
    assert f"{(TODAY + timedelta(days=60)):%-d %B %Y}" in page
    assert "Earlier decisions" in page  # the first, kept
    assert ProviderApproval.objects.filter(provider=setting).count() == 2
    assert "Approved with conditions" in client.get(reverse("provider_list")).content.decode()
    audited = AuditEvent.objects.filter(action=AuditAction.PROVIDER_APPROVAL_DECIDED, user=la_officer)
    assert audited.count() == 2


@pytest.mark.parametrize(
    ("post", "field", "words"),
    [
        ({"status": ""}, "status", "Choose the provider's approval"),
        ({"approval_model": ""}, "approval_model", "Choose how the area came to it"),
        ({"reason": "  "}, "reason", "Enter why: for approval with conditions, the conditions"),
        (date_fields("decided_on", TODAY + timedelta(days=1)), "decided_on", "must be today or in the past"),
        (date_fields("review_by", TODAY), "review_by", "The review date must be after the date decided"),
        ({"status": "banned"}, "status", "Select a valid choice"),
    ],
)
def test_a_bad_decision_names_the_field_and_records_nothing(client, la_officer, setting, post, field, words):
    client.force_login(la_officer)
    response = client.post(new_url(setting), approval_post() | post)
    assert response.status_code == 200
    assert any(words in message for message in response.context["form"].errors[field])
    assert not ProviderApproval.objects.exists()


@pytest.mark.parametrize("role", ["school", "provider", "health", "social", "virtual", "nobody"])
def test_only_the_la_decides_everyone_who_reads_the_directory_sees_it(client, borough, role):  # noqa: F811
    provider = borough.children["a"].placements.get().provider
    client.force_login(borough.users["la"])
    assert client.post(new_url(provider), approval_post("suspended")).status_code == 302
    client.force_login(borough.users[role])
    # An inspector is refused every page not theirs (403); everyone else is told "not found".
    assert client.get(new_url(provider)).status_code in (403, 404)
    assert client.post(new_url(provider), approval_post("approved")).status_code in (403, 404)
    assert provider.approvals.order_by("-pk").first().status == "suspended"
    if role != "nobody":
        page = client.get(provider.get_absolute_url()).content.decode()
        assert "Suspended" in page
        assert new_url(provider) not in page


def test_the_directory_costs_the_same_queries_with_more_decisions(client, la_officer, area):
    from tests.test_query_counts import queries_for

    client.force_login(la_officer)
    providers = [ProviderFactory(organisation__area=area, approval=None) for _ in range(3)]
    for provider in providers:
        client.post(new_url(provider), approval_post())
    few = queries_for(client, reverse("provider_list"))
    for provider in providers + [ProviderFactory(organisation__area=area, approval=None) for _ in range(5)]:
        client.post(new_url(provider), approval_post("under_review"))
    assert queries_for(client, reverse("provider_list")) == few


def test_the_demo_has_providers_with_every_approval_and_one_not_decided(client):
    from core.models import User
    from demo.borough import borough_build
    from providers.models import ApprovalStatus, Provider

    summary = borough_build(children=300, seed=2026, attendance=False)
    assert summary["provider_approvals"] == ProviderApproval.objects.count()
    latest = {}
    for approval in ProviderApproval.objects.order_by("decided_on", "pk"):
        latest[approval.provider_id] = approval.status
    assert set(latest.values()) == set(ApprovalStatus.values)
    assert Provider.objects.exclude(pk__in=latest).exists()  # not decided yet
    client.force_login(User.objects.get(username="la-officer"))
    listed = client.get(reverse("provider_list")).content.decode()
    assert "Suspended" in listed
    assert "Not decided" in listed
