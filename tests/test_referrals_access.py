"""Who may see and do what with a referral, role by role, through every page (issue 11, item 1).

A referral or child the user may not see answers 404 exactly like a missing one, and the refusal is on
the child's access log; a referral the user sees but may not act on answers 403.
"""

import uuid
from dataclasses import dataclass

import pytest
from django.urls import reverse

from casework.models import Referral
from core.models import AuditAction, AuditEvent, AuditEventChild, Membership, OrganisationKind
from tests.factories import (
    ChildFactory,
    DecisionFactory,
    InvolvementFactory,
    OrganisationFactory,
    PlacementFactory,
    ProviderFactory,
    ReferralFactory,
    member_of,
)
from tests.helpers import page_body

pytestmark = pytest.mark.django_db


@dataclass
class World:
    child: object
    draft: Referral  # the home school's, not sent yet
    sent: Referral  # the home school's, awaiting a panel
    decided: Referral  # the home school's, decided: an AP placement at the named provider
    users: dict


@pytest.fixture
def world(area, la_officer, school, school_lead, other_school):
    child = ChildFactory(area=area, home_school=school, looked_after=True, looked_after_by=area)
    named = ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")
    other_provider = ProviderFactory(organisation__area=area, organisation__name="Southside AP")
    # The named setting has the child placed now: it sees the child, but may not refer.
    PlacementFactory(child=child, provider=named, commissioner=school)
    decided = DecisionFactory(
        referral=ReferralFactory(child=child, status="decided", created_by=school_lead), provider=named
    ).referral
    sent = ReferralFactory(child=child, created_by=school_lead)
    draft = ReferralFactory(
        child=ChildFactory(area=area, home_school=school), status="draft", sent_at=None, sent_by=None
    )
    health = OrganisationFactory(kind=OrganisationKind.HEALTH, area=area, urn="", name="CAMHS")
    care = OrganisationFactory(kind=OrganisationKind.SOCIAL_CARE, area=area, urn="", name="Children's services")
    virtual = OrganisationFactory(kind=OrganisationKind.VIRTUAL_SCHOOL, area=area, urn="", name="Virtual school")
    ofsted = OrganisationFactory(kind=OrganisationKind.INSPECTORATE, area=area, urn="", name="Ofsted")
    users = {
        "la": la_officer,
        "home_school": school_lead,
        "other_school": member_of(other_school),
        "provider_named": member_of(named.organisation),
        "provider_not_named": member_of(other_provider.organisation),
        "health_involved": member_of(health),
        "health_not_involved": member_of(health),
        "social_worker_involved": member_of(care, Membership.Role.SOCIAL_WORKER),
        "social_worker_not_involved": member_of(care, Membership.Role.SOCIAL_WORKER),
        "virtual_school": member_of(virtual, Membership.Role.VIRTUAL_SCHOOL_HEAD),
        "inspector": member_of(ofsted, Membership.Role.INSPECTOR),
    }
    for role, organisation in (("health_involved", health), ("social_worker_involved", care)):
        for involved in (child, draft.child):
            InvolvementFactory(child=involved, organisation=organisation, user=users[role])
    return World(child=child, draft=draft, sent=sent, decided=decided, users=users)


def refused_on_log(child) -> bool:
    return AuditEventChild.objects.filter(
        child_public_id=child.public_id, event__action=AuditAction.CHILD_VIEW_REFUSED
    ).exists()


SEES_SENT = {"la", "home_school", "health_involved", "social_worker_involved", "virtual_school"}
SEES_DECIDED = SEES_SENT | {"provider_named"}
ROLES = [
    "la",
    "home_school",
    "other_school",
    "provider_named",
    "provider_not_named",
    "health_involved",
    "health_not_involved",
    "social_worker_involved",
    "social_worker_not_involved",
    "virtual_school",
    "inspector",
]


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_sent_and_a_decided_referral(client, world, role):
    client.force_login(world.users[role])
    for referral, seers in ((world.sent, SEES_SENT), (world.decided, SEES_DECIDED)):
        status = client.get(referral.get_absolute_url()).status_code
        if role == "inspector":
            assert status == 403
        elif role in seers:
            assert status == 200, (role, referral.status)
            assert AuditEvent.objects.filter(
                action=AuditAction.REFERRAL_VIEWED, user=world.users[role], object_id=str(referral.public_id)
            ).exists()
        else:
            assert status == 404, (role, referral.status)
            assert refused_on_log(world.child)


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_is_seen_and_sent_only_by_the_organisation_writing_it(client, world, role):
    client.force_login(world.users[role])
    draft = world.draft
    pages = [
        reverse("referral_detail", args=[draft.public_id]),
        reverse("referral_edit", args=[draft.public_id]),
        reverse("referral_send", args=[draft.public_id]),
    ]
    for url in pages:
        status = client.get(url).status_code
        assert status == {"home_school": 200, "inspector": 403}.get(role, 404), (role, url)
    if role not in ("home_school", "inspector"):
        assert client.post(pages[2]).status_code == 404
        assert refused_on_log(draft.child)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_missing_referral_and_one_not_yours_answer_alike(client, world):
    client.force_login(world.users["other_school"])
    missing = client.get(reverse("referral_detail", args=[uuid.uuid4()]))
    hidden = client.get(world.sent.get_absolute_url())
    assert missing.status_code == hidden.status_code == 404
    assert page_body(missing) == page_body(hidden)


WITHDRAWS = {"la", "home_school"}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_withdraw_a_sent_referral(client, world, role):
    client.force_login(world.users[role])
    url = reverse("referral_withdraw", args=[world.sent.public_id])
    expected = 200 if role in WITHDRAWS else 403 if role in SEES_SENT | {"inspector"} else 404
    assert client.get(url).status_code == expected
    response = client.post(url, {"withdrawal_reason": "No longer needed"})
    assert response.status_code == (302 if role in WITHDRAWS else expected)
    world.sent.refresh_from_db()
    assert (world.sent.status == "withdrawn") == (role in WITHDRAWS)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_la_fast_tracks(client, world, role):
    client.force_login(world.users[role])
    url = reverse("referral_fast_track", args=[world.sent.public_id])
    expected = 200 if role == "la" else 403 if role in SEES_SENT | {"inspector"} else 404
    assert client.get(url).status_code == expected
    response = client.post(url, {"fast_track_reason": "Urgent"})
    assert response.status_code == (302 if role == "la" else expected)
    world.sent.refresh_from_db()
    assert world.sent.is_fast_tracked == (role == "la")


def test_a_setting_named_by_the_decision_may_read_it_but_not_withdraw_or_change_it(client, world):
    client.force_login(world.users["provider_named"])
    decided = world.decided
    assert client.get(reverse("referral_withdraw", args=[decided.public_id])).status_code == 403
    assert client.get(reverse("referral_edit", args=[decided.public_id])).status_code == 403
    assert client.post(reverse("referral_send", args=[decided.public_id])).status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.NOT_PERMITTED, user=world.users["provider_named"]).exists()


REFERS = {"la", "home_school", "health_involved", "social_worker_involved", "virtual_school"}
SEES_CHILD = REFERS | {"provider_named"}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_refer_the_child(client, world, role):
    client.force_login(world.users[role])
    url = reverse("referral_new", args=[world.child.public_id])
    # The home school has a referral open already: it is taken to it instead of starting a second.
    expected = {"home_school": 302, "inspector": 403}.get(
        role, 200 if role in REFERS else 403 if role in SEES_CHILD else 404
    )
    assert client.get(url).status_code == expected
    if expected == 404:
        assert refused_on_log(world.child)
    if role in REFERS - {"home_school"}:
        response = client.post(url, {"reason": "semh", "needs": "Anxious"})
        assert response.status_code == 302
        referral = Referral.objects.get(child=world.child, status="draft")
        assert referral.referrer == world.users[role].primary_organisation
        assert AuditEventChild.objects.filter(
            child_public_id=world.child.public_id, event__action=AuditAction.REFERRAL_DRAFTED
        ).exists()
    elif expected in (403, 404):
        assert client.post(url, {"reason": "semh"}).status_code == expected
        assert not Referral.objects.filter(status="draft", child=world.child).exists()


def test_a_school_that_commissions_a_placement_for_a_pupil_of_another_school_does_not_refer_them(
    client, area, other_school, school
):
    pupil = ChildFactory(area=area, home_school=other_school)
    PlacementFactory(child=pupil, commissioner=school, provider=ProviderFactory(organisation__area=area))
    client.force_login(member_of(school))
    assert client.get(pupil.get_absolute_url()).status_code == 200
    assert "Refer to a panel" not in client.get(pupil.get_absolute_url()).content.decode()
    assert client.get(reverse("referral_new", args=[pupil.public_id])).status_code == 403


def test_the_virtual_school_refers_only_children_its_area_looks_after_or_it_works_with(client, world, area, school):
    not_looked_after = ChildFactory(area=area, home_school=school)
    client.force_login(world.users["virtual_school"])
    assert client.get(reverse("referral_new", args=[not_looked_after.public_id])).status_code == 404
    sent = ReferralFactory(child=not_looked_after)
    assert client.get(sent.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_every_one_but_an_inspector_has_the_list_and_every_referrer_the_search(client, world, role):
    client.force_login(world.users[role])
    expected = 403 if role == "inspector" else 200
    listed = client.get(reverse("referral_list"))
    assert listed.status_code == expected
    # A setting is named by a decision; it does not refer.
    setting = role.startswith("provider")
    assert client.get(reverse("referral_find"), {"upn": world.child.upn}).status_code == (403 if setting else expected)
    if role == "inspector":
        return
    assert ("Refer a child" in listed.content.decode()) == (not setting)
    page = client.get(reverse("referral_list"), {"status": "all"}).content.decode()
    assert (str(world.sent.public_id) in page) == (role in SEES_SENT)
    assert (str(world.decided.public_id) in page) == (role in SEES_DECIDED)
    assert (str(world.draft.public_id) in page) == (role == "home_school")
    if not setting:
        found = client.get(reverse("referral_find"), {"upn": world.child.upn}).content.decode()
        assert (world.child.full_name in found) == (role in SEES_CHILD)


@pytest.mark.parametrize(
    ("role", "buttons"),
    [
        ("la", {"Fast-track", "Withdraw"}),
        ("home_school", {"Withdraw"}),
        ("health_involved", set()),
        ("virtual_school", set()),
    ],
)
def test_a_page_offers_only_what_the_user_may_do(client, world, role, buttons):
    client.force_login(world.users[role])
    page = client.get(world.sent.get_absolute_url()).content.decode()
    offered = {words for words in ("Fast-track", "Withdraw", "Check and send") if f">{words}</a>" in page}
    assert offered == buttons
    decided = client.get(world.decided.get_absolute_url()).content.decode()
    assert not {words for words in ("Fast-track", "Withdraw", "Check and send") if f">{words}</a>" in decided}


# Health, social care and the virtual school add their view to a referral of a child they are involved with.
def text_of(response) -> str:
    return response.content.decode()


CONTRIBUTES = {"health_involved", "social_worker_involved", "virtual_school"}


@pytest.mark.parametrize("role", ROLES)
def test_who_adds_their_view_to_a_referral_awaiting_a_panel(client, world, role):
    client.force_login(world.users[role])
    url = reverse("referral_contribute", args=[world.sent.public_id])
    status = client.get(url).status_code
    posted = client.post(url, {"text": "Known to CAMHS since March; sleeps badly; responds to a key adult"})
    if role in CONTRIBUTES:
        assert (status, posted.status_code) == (200, 302)
        contribution = world.sent.contributions.get()
        assert contribution.author == world.users[role]
        assert contribution.sector == {"health_involved": "health", "social_worker_involved": "social_care"}.get(
            role, "education"
        )
        assert AuditEventChild.objects.filter(
            child_public_id=world.child.public_id, event__action=AuditAction.REFERRAL_CONTRIBUTION_ADDED
        ).exists()
        assert "Add what you know for the panel" not in text_of(client.get(world.decided.get_absolute_url()))
    else:
        assert status == posted.status_code == (403 if role in SEES_SENT or role == "inspector" else 404)
        assert not world.sent.contributions.exists()
        if status == 404:
            assert refused_on_log(world.child)


def test_the_panel_and_the_referrer_read_what_health_added_and_nothing_is_added_once_decided(client, world):
    health = world.users["health_involved"]
    client.force_login(health)
    client.post(reverse("referral_contribute", args=[world.sent.public_id]), {"text": "CAMHS: anxiety, seen weekly"})
    assert "Enter what the panel should know" in text_of(
        client.post(reverse("referral_contribute", args=[world.sent.public_id]), {"text": "  "})
    )
    refused = client.post(reverse("referral_contribute", args=[world.decided.public_id]), {"text": "Late news"})
    assert "nothing more can be added" in text_of(refused)
    assert not world.decided.contributions.exists()
    for role in ("home_school", "la"):
        client.force_login(world.users[role])
        assert "CAMHS: anxiety, seen weekly" in text_of(client.get(world.sent.get_absolute_url()))


def test_a_referral_health_made_closes_to_health_when_the_involvement_ends(client, world):
    from datetime import date, timedelta

    from children.models import Involvement

    health = world.users["health_involved"]
    camhs = health.primary_organisation
    made = ReferralFactory(child=world.draft.child, referrer=camhs, created_by=health)
    client.force_login(world.users["health_not_involved"])
    assert client.get(made.get_absolute_url()).status_code == 404, "a colleague not involved with the child"
    client.force_login(health)
    assert client.get(made.get_absolute_url()).status_code == 200
    Involvement.objects.filter(child=made.child, user=health).update(
        started_on=date.today() - timedelta(days=90), ended_on=date.today() - timedelta(days=1)
    )
    assert client.get(made.get_absolute_url()).status_code == 404
    assert refused_on_log(made.child)
