"""Multi-agency panels (issue 11, item 3): the LA's queue, its panels, who attended, agendas and decisions.

Through HTTP like a user, for every role: only the LA of the area runs its panels; a decision is seen
by the referrer, the practitioners involved and the provider it names.
"""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import AgendaItem, Decision, Panel, PanelKind, PanelMember, Referral
from core.access import referrals_visible_to
from core.models import AuditAction, AuditEvent, AuditEventChild, Membership, OrganisationKind
from tests.factories import (
    AreaFactory,
    ChildFactory,
    InvolvementFactory,
    OrganisationFactory,
    PanelFactory,
    PanelKindFactory,
    PanelMemberFactory,
    PlacementFactory,
    ProviderFactory,
    ReferralFactory,
    member_of,
)
from tests.helpers import date_fields

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def world(area, la, la_officer, school, school_lead):
    elsewhere = AreaFactory(name="Halton", la_code="876", ons_code="E06000006")
    other_la = OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY, area=elsewhere, urn="", name="Halton LA")
    health = OrganisationFactory(kind=OrganisationKind.HEALTH, area=area, urn="", name="Mersey CAMHS")
    social = OrganisationFactory(kind=OrganisationKind.SOCIAL_CARE, area=area, urn="", name="Children's services")
    virtual = OrganisationFactory(kind=OrganisationKind.VIRTUAL_SCHOOL, area=area, urn="")
    inspectorate = OrganisationFactory(kind=OrganisationKind.INSPECTORATE, area=area, urn="")
    provider = ProviderFactory(organisation__name="Northgate PRU", organisation__area=area)
    other_provider = ProviderFactory(organisation__name="Brightpath Tuition", organisation__area=area)
    far_provider = ProviderFactory(organisation__name="Halton Learning Centre", organisation__area=elsewhere)

    child = ChildFactory(area=area, home_school=school, first_name="Aisha", last_name="Khan")
    referral = ReferralFactory(child=child, created_by=school_lead)
    health_user = member_of(health, username="camhs")
    social_worker = member_of(social, Membership.Role.SOCIAL_WORKER, username="sw")
    InvolvementFactory(child=child, organisation=health, user=health_user)
    panel = PanelFactory(area=area, created_by=la_officer, kind=PanelKindFactory(area=area, name="Fair access panel"))
    AgendaItem.objects.create(panel=panel, referral=referral, added_by=la_officer)
    users = {
        "la": la_officer,
        "other_la": member_of(other_la, Membership.Role.AP_OFFICER, username="halton"),
        "school": school_lead,
        "provider": member_of(provider.organisation, Membership.Role.OFFICE_MANAGER, username="pm"),
        "other_provider": member_of(other_provider.organisation, Membership.Role.OFFICE_MANAGER, username="pm2"),
        "health": health_user,
        "social": social_worker,
        "virtual": member_of(virtual, Membership.Role.VIRTUAL_SCHOOL_HEAD, username="vsh"),
        "inspector": member_of(inspectorate, username="insp"),
    }
    return SimpleNamespace(
        area=area,
        la=la,
        health=health,
        social=social,
        school=school,
        provider=provider,
        other_provider=other_provider,
        far_provider=far_provider,
        child=child,
        referral=referral,
        panel=panel,
        users=users,
    )


def _decide(client, panel, referral, **data):
    fields = {"outcome": "ap_placement", "provider": "", "rationale": "A small setting with SEMH expertise"}
    fields.update(data)
    return client.post(reverse("decision_new", args=[panel.public_id, referral.public_id]), fields)


def _written():
    return (
        PanelKind.objects.count(),
        Panel.objects.count(),
        PanelMember.objects.count(),
        AgendaItem.objects.count(),
        Decision.objects.count(),
        sorted(Referral.objects.values_list("status", flat=True)),
    )


def _errors(response) -> str:
    return " ".join(str(e) for errors in response.context["form"].errors.values() for e in errors)


# The journey ----------------------------------------------------------------------------------


def test_the_la_arranges_a_panel_records_who_came_chooses_the_agenda_and_decides(client, world):
    client.force_login(world.users["la"])
    response = client.post(reverse("panel_kind_new"), {"name": "Hot-clinic triage", "description": "Weekly"})
    assert response.status_code == 302
    kind = PanelKind.objects.get(name="Hot-clinic triage")
    assert kind.area == world.area

    meets = TODAY + timedelta(days=7)
    response = client.post(reverse("panel_new"), {"kind": kind.pk, **date_fields("meets_on", meets)})
    panel = Panel.objects.get(kind=kind)
    assert response.url == panel.get_absolute_url()
    assert panel.meets_on == meets
    page = client.get(panel.get_absolute_url()).content.decode()
    assert "The panel has not met yet: record who attended when it does." in page
    assert "Not fully multi-agency" not in page, "no one is missing from a panel still to meet"

    second = ReferralFactory(child=ChildFactory(area=world.area, home_school=world.school, first_name="Ben"))
    agenda_page = client.get(reverse("panel_agenda", args=[panel.public_id])).content.decode()
    assert "Ben" in agenda_page
    assert "Aisha" not in agenda_page, "already on the agenda of another panel still to meet"
    response = client.post(reverse("panel_agenda", args=[panel.public_id]), {"referrals": [second.public_id]})
    assert response.status_code == 302
    assert list(panel.agenda.values_list("referral", flat=True)) == [second.pk]

    for name, organisation, sector in (
        ("Jo Head", world.la, "education"),
        ("Sam Nurse", world.health, "health"),
        ("Kit Worker", world.social, "social_care"),
    ):
        response = client.post(
            reverse("panel_member_new", args=[panel.public_id]),
            {"person_name": name, "role": "Lead", "organisation": organisation.pk, "sector": sector},
        )
        assert response.status_code == 302
    page = client.get(panel.get_absolute_url()).content.decode()
    assert "Sam Nurse" in page
    assert "Not fully multi-agency" not in page

    Panel.objects.filter(pk=panel.pk).update(meets_on=TODAY)
    response = _decide(client, panel, second, provider=world.provider.pk)
    assert response.status_code == 302
    decision = Decision.objects.get(referral=second)
    assert (decision.outcome, decision.provider, decision.sectors_missing) == ("ap_placement", world.provider, [])
    second.refresh_from_db()
    assert second.status == "decided"
    page = client.get(panel.get_absolute_url()).content.decode()
    assert "AP placement at a named provider" in page
    assert "Northgate PRU" in page
    assert "A small setting with SEMH expertise" in page

    event = AuditEvent.objects.get(action=AuditAction.DECISION_RECORDED)
    assert set(AuditEventChild.objects.filter(event=event).values_list("child_public_id", flat=True)) == {
        second.child.public_id
    }
    assert AuditEvent.objects.filter(action=AuditAction.PANEL_KIND_SAVED).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.PANEL_CREATED).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.PANEL_MEMBER_RECORDED).count() == 3
    agenda_event = AuditEvent.objects.get(action=AuditAction.AGENDA_CHANGED)
    assert AuditEventChild.objects.filter(event=agenda_event, child_public_id=second.child.public_id).exists()


def test_the_la_renames_a_kind_and_the_area_keeps_one_of_each_name(client, world):
    client.force_login(world.users["la"])
    kind = world.panel.kind
    assert client.post(reverse("panel_kind_edit", args=[kind.pk]), {"name": "Fair access"}).status_code == 302
    kind.refresh_from_db()
    assert kind.name == "Fair access"
    PanelKindFactory(area=world.area, name="Inclusion panel")
    response = client.post(reverse("panel_kind_new"), {"name": "inclusion panel"})
    assert "The area already has a kind of panel called inclusion panel" in _errors(response)
    assert "Inclusion panel" in client.get(reverse("panel_kinds")).content.decode()
    other = PanelKindFactory(area=AreaFactory(name="Halton", la_code="876", ons_code="E06000006"), name="Theirs")
    assert client.get(reverse("panel_kind_edit", args=[other.pk])).status_code == 404


def test_the_panel_list_shows_upcoming_and_past_panels_with_counts(client, world):
    past = PanelFactory(area=world.area, kind=world.panel.kind, meets_on=TODAY - timedelta(days=14))
    PanelMemberFactory(panel=past, sector="health")
    client.force_login(world.users["la"])
    response = client.get(reverse("panel_list"))
    assert list(response.context["upcoming"]) == [world.panel]
    assert list(response.context["past"]) == [past]
    assert response.context["upcoming"][0].agenda_count == 1
    assert response.context["past"][0].health_count == 1
    page = response.content.decode()
    assert reverse("referral_queue") in page
    assert "Referrals awaiting a decision (1)" in page
    assert "Without social care" in page


def test_a_panel_is_written_with_its_date_in_words_as_the_pages_write_dates(client, world):
    client.force_login(world.users["la"])
    meets = {**date_fields("meets_on", date(2027, 1, 4)), "kind": world.panel.kind.pk}
    page = client.post(reverse("panel_new"), meets, follow=True).content.decode()
    assert f"The {world.panel.kind.name} on 4 January 2027 is arranged." in page
    assert "04/01/2027" not in page


def test_the_la_takes_a_member_and_a_referral_off(client, world):
    member = PanelMemberFactory(panel=world.panel, person_name="Recorded Wrongly")
    client.force_login(world.users["la"])
    url = reverse("panel_member_remove", args=[world.panel.public_id, member.pk])
    assert client.post(url).status_code == 302
    assert not PanelMember.objects.exists()
    assert client.post(url).status_code == 404
    url = reverse("agenda_remove", args=[world.panel.public_id, world.referral.public_id])
    assert client.post(url).status_code == 302
    assert not AgendaItem.objects.exists()
    response = client.post(url, follow=True)
    assert "is not on this panel&#x27;s agenda" in response.content.decode()


# Who may ---------------------------------------------------------------------------------------

NOT_THE_LA = ["school", "provider", "health", "social", "virtual", "inspector"]


def _pages(world):
    panel, referral = world.panel, world.referral
    member = PanelMemberFactory(panel=panel)
    return [
        ("get", reverse("panel_list"), {}),
        ("get", reverse("referral_queue"), {}),
        ("get", reverse("panel_kinds"), {}),
        ("post", reverse("panel_kind_new"), {"name": "Ours"}),
        ("post", reverse("panel_kind_edit", args=[panel.kind.pk]), {"name": "Theirs"}),
        ("post", reverse("panel_new"), {"kind": panel.kind.pk, **date_fields("meets_on", TODAY)}),
        ("get", panel.get_absolute_url(), {}),
        (
            "post",
            reverse("panel_member_new", args=[panel.public_id]),
            {"person_name": "X", "organisation": world.health.pk, "sector": "health"},
        ),
        ("post", reverse("panel_member_remove", args=[panel.public_id, member.pk]), {}),
        ("post", reverse("panel_agenda", args=[panel.public_id]), {"referrals": [referral.public_id]}),
        ("post", reverse("agenda_remove", args=[panel.public_id, referral.public_id]), {}),
        (
            "post",
            reverse("decision_new", args=[panel.public_id, referral.public_id]),
            {"outcome": "no_action", "rationale": "None needed"},
        ),
        ("get", reverse("decision_new", args=[panel.public_id, referral.public_id]), {}),
    ]


@pytest.mark.parametrize("role", NOT_THE_LA)
def test_no_one_but_the_la_opens_a_panel_page_or_changes_anything(client, world, role):
    pages = _pages(world)
    before = _written()
    client.force_login(world.users[role])
    for method, url, data in pages:
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (role, method, url)
    assert _written() == before
    refusals = AuditEvent.objects.filter(action=AuditAction.NOT_PERMITTED, user=world.users[role])
    assert refusals.count() == len(pages), "every refusal is audited"


def test_the_la_of_another_area_finds_no_panel_of_this_one(client, world):
    pages = _pages(world)
    before = _written()
    client.force_login(world.users["other_la"])
    for method, url, data in pages:
        response = getattr(client, method)(url, data)
        if "/panels/" + str(world.panel.public_id) in url:
            assert response.status_code == 404, url
        elif method == "get":
            assert response.status_code == 200, url
            assert "Aisha" not in response.content.decode(), url
    missing = reverse("panel_detail", args=["00000000-0000-4000-8000-000000000000"])
    assert client.get(missing).status_code == 404
    assert client.get(reverse("referral_queue")).context["page"].paginator.count == 0
    # Their own kind and panel are theirs; this area's are untouched.
    assert _written()[1:] == (*before[1:2], *before[2:])
    assert not PanelKind.objects.filter(area=world.area, name__in=["Ours", "Theirs"]).exists()
    assert not Panel.objects.filter(area=world.area).exclude(pk=world.panel.pk).exists()


def test_only_the_la_has_panels_in_its_navigation(client, world):
    client.force_login(world.users["la"])
    assert any(item["text"] == "Panels" for item in client.get(reverse("panel_list")).context["navigation"])
    client.force_login(world.users["school"])
    assert not any(item["text"] == "Panels" for item in client.get(reverse("register")).context["navigation"])


# The flag on a panel missing health or social care --------------------------------------------


def test_a_panel_without_health_or_social_care_is_flagged_and_so_is_each_decision_for_good(client, world):
    PanelMemberFactory(panel=world.panel, sector="education", person_name="Jo Head")
    PanelMemberFactory(panel=world.panel, sector="social_care", person_name="Kit Worker")
    client.force_login(world.users["la"])
    page = client.get(world.panel.get_absolute_url()).content.decode()
    assert "govuk-notification-banner" in page
    assert "No one from health attended this panel." in page
    form_page = client.get(reverse("decision_new", args=[world.panel.public_id, world.referral.public_id]))
    assert "the decision will be flagged as made without them" in form_page.content.decode()

    assert _decide(client, world.panel, world.referral, provider=world.provider.pk).status_code == 302
    decision = Decision.objects.get()
    assert decision.sectors_missing == ["health"]
    page = client.get(world.panel.get_absolute_url()).content.decode()
    assert '<strong class="govuk-tag govuk-tag--orange">Without health</strong>' in page

    # Someone from health recorded afterwards: the panel's flag goes; the decision keeps it.
    client.post(
        reverse("panel_member_new", args=[world.panel.public_id]),
        {"person_name": "Sam Nurse", "organisation": world.health.pk, "sector": "health"},
    )
    page = client.get(world.panel.get_absolute_url()).content.decode()
    assert "Not fully multi-agency" not in page
    assert '<strong class="govuk-tag govuk-tag--orange">Without health</strong>' in page
    decision.refresh_from_db()
    assert decision.sectors_missing == ["health"]


def test_a_panel_no_one_is_recorded_at_is_flagged_for_both(client, world):
    client.force_login(world.users["la"])
    page = client.get(world.panel.get_absolute_url()).content.decode()
    assert "No one is recorded as attending this panel yet." in page
    _decide(client, world.panel, world.referral, outcome="no_action", rationale="Support in school is working")
    assert Decision.objects.get().sectors_missing == ["health", "social_care"]
    page = client.get(world.panel.get_absolute_url()).content.decode()
    assert "Without health" in page
    assert "Without social care" in page


# Fast-tracking and the order of the queue -----------------------------------------------------


def _three_waiting(world):
    """Oldest, middle and newest sent; the newest fast-tracked."""
    now = timezone.now()
    world.referral.sent_at = now - timedelta(days=20)
    world.referral.save()
    middle = ReferralFactory(
        child=ChildFactory(area=world.area, home_school=world.school, first_name="Ben"),
        sent_at=now - timedelta(days=10),
    )
    newest = ReferralFactory(
        child=ChildFactory(area=world.area, home_school=world.school, first_name="Cara"),
        sent_at=now - timedelta(days=1),
        fast_tracked_at=now,
        fast_tracked_by=world.users["la"],
        fast_track_reason="At risk of exploitation",
    )
    return world.referral, middle, newest


def test_the_queue_puts_fast_tracked_referrals_first_then_the_longest_waiting(client, world):
    oldest, middle, newest = _three_waiting(world)
    ReferralFactory(child=ChildFactory(area=world.area, home_school=world.school), status="draft", sent_at=None)
    decided = ReferralFactory(child=ChildFactory(area=world.area, home_school=world.school), status="decided")
    client.force_login(world.users["la"])
    response = client.get(reverse("referral_queue"))
    rows = list(response.context["page"])
    assert rows == [newest, oldest, middle]
    assert [r.days_waiting for r in rows] == [1, 20, 10]
    page = response.content.decode()
    assert page.index("Cara") < page.index("Aisha") < page.index("Ben")
    assert page.count('<strong class="govuk-tag govuk-tag--red">Fast-tracked</strong>') == 1
    on_panel = f'{world.panel.get_absolute_url()}">Fair access panel, {world.panel.meets_on:%-d %b %Y}</a>'
    assert on_panel in page, "the panel it is on"
    assert "Not on an agenda" in page
    assert decided.child.first_name not in page


def test_the_agenda_is_in_the_queues_order(client, world):
    oldest, middle, newest = _three_waiting(world)
    for referral in (middle, newest):
        AgendaItem.objects.create(panel=world.panel, referral=referral, added_by=world.users["la"])
    client.force_login(world.users["la"])
    response = client.get(world.panel.get_absolute_url())
    assert [item.referral for item in response.context["agenda"]] == [newest, oldest, middle]
    page = response.content.decode()
    assert page.index("Cara") < page.index("Aisha") < page.index("Ben")
    assert "Fast-tracked" in page


QUEUE_QUERIES = 8


def test_the_queue_costs_the_same_queries_however_many_rows(client, world, django_assert_num_queries):
    client.force_login(world.users["la"])
    url = reverse("referral_queue")

    def count():
        client.get(url)  # the session and the like, read once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def more(n):
        panel = PanelFactory(area=world.area, kind=world.panel.kind, meets_on=TODAY + timedelta(days=n))
        for i in range(n):
            school = OrganisationFactory(kind=OrganisationKind.SCHOOL, area=world.area)
            referral = ReferralFactory(
                child=ChildFactory(
                    area=world.area, home_school=school, looked_after=bool(i % 2), looked_after_by=world.area
                ),
                referrer=world.la if i % 3 else school,
                **(fast_tracked_fields(world.users["la"]) if i % 4 == 0 else {}),
            )
            AgendaItem.objects.create(panel=panel, referral=referral, added_by=world.users["la"])

    more(2)
    few = count()
    more(12)
    many = count()
    assert few == many
    # Pinned: the session, the user and their organisations; the queue's count, its rows and their agendas;
    # the navigation's check of who manages accounts; the panels still to meet.
    with django_assert_num_queries(QUEUE_QUERIES):
        client.get(url)


# Transitions that make no sense ----------------------------------------------------------------


def fast_tracked_fields(by) -> dict:
    return {"fast_tracked_at": timezone.now(), "fast_tracked_by": by, "fast_track_reason": "At risk of exploitation"}


def withdrawal(status: str) -> dict:
    """A withdrawn referral says when and why (a database rule)."""
    if status != "withdrawn":
        return {}
    return {"withdrawn_at": timezone.now(), "withdrawal_reason": "The family moved away"}


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("draft", "is a draft: a panel decides only a referral that has been sent"),
        ("withdrawn", "was withdrawn: there is nothing to decide"),
        ("decided", "has been decided already: a decision is recorded once"),
    ],
)
def test_only_a_sent_referral_is_decided(client, world, status, words):
    # The LA sees a draft only of its own (a school's draft is the school's until sent).
    Referral.objects.filter(pk=world.referral.pk).update(status=status, referrer=world.la, **withdrawal(status))
    client.force_login(world.users["la"])
    response = _decide(client, world.panel, world.referral, provider=world.provider.pk)
    assert response.status_code == 200
    assert words in response.content.decode().replace("&#x27;", "'")
    assert not Decision.objects.exists()
    assert Referral.objects.get(pk=world.referral.pk).status == status


def test_a_referral_not_on_this_panels_agenda_is_not_decided_there(client, world):
    AgendaItem.objects.all().delete()
    client.force_login(world.users["la"])
    response = _decide(client, world.panel, world.referral, provider=world.provider.pk)
    assert "is not on this panel&#x27;s agenda: put it on the agenda first" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_panel_still_to_meet_decides_nothing_yet(client, world):
    Panel.objects.filter(pk=world.panel.pk).update(meets_on=TODAY + timedelta(days=3))
    world.panel.refresh_from_db()
    client.force_login(world.users["la"])
    response = _decide(client, world.panel, world.referral, provider=world.provider.pk)
    assert "record its decisions once it has met" in response.content.decode()
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("outcome", "provider", "words"),
    [
        ("ap_placement", None, "Choose the provider: a decision of ap placement at a named provider names one"),
        ("outreach", None, "Choose the provider: a decision of outreach support in the home school names one"),
        ("no_action", "provider", "A decision of no action names no provider: choose none"),
        ("ehc_needs_assessment", "provider", "names no provider: choose none"),
        ("ap_placement", "far_provider", "Choose a provider from the area&#x27;s directory"),
        ("nonsense", None, "Choose what the panel decided"),
    ],
)
def test_a_decision_names_a_provider_of_the_directory_exactly_when_its_outcome_does(
    client, world, outcome, provider, words
):
    client.force_login(world.users["la"])
    named = getattr(world, provider).pk if provider else ""
    response = _decide(client, world.panel, world.referral, outcome=outcome, provider=named)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Decision.objects.exists()


def test_a_decision_needs_its_rationale(client, world):
    client.force_login(world.users["la"])
    response = _decide(client, world.panel, world.referral, outcome="no_action", rationale="  ")
    assert "Enter why the panel made this decision" in response.content.decode()
    assert not Decision.objects.exists()


def test_deciding_twice_changes_nothing(client, world):
    client.force_login(world.users["la"])
    assert _decide(client, world.panel, world.referral, provider=world.provider.pk).status_code == 302
    first = Decision.objects.get()
    response = _decide(client, world.panel, world.referral, outcome="no_action", rationale="Changed our minds")
    assert response.status_code == 200
    assert "has been decided already" in response.content.decode()
    assert list(Decision.objects.values_list("pk", "outcome", "rationale")) == [
        (first.pk, "ap_placement", "A small setting with SEMH expertise")
    ]
    assert AuditEvent.objects.filter(action=AuditAction.DECISION_RECORDED).count() == 1


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("draft", "is a draft: the referrer has not sent it yet"),
        ("withdrawn", "was withdrawn"),
        ("decided", "has been decided already"),
    ],
)
def test_only_a_sent_undecided_referral_goes_on_an_agenda(client, world, status, words):
    other = ReferralFactory(
        child=ChildFactory(area=world.area, home_school=world.school),
        status=status,
        referrer=world.la,
        **withdrawal(status),
    )
    if status == "draft":
        Referral.objects.filter(pk=other.pk).update(sent_at=None)
    client.force_login(world.users["la"])
    response = client.post(reverse("panel_agenda", args=[world.panel.public_id]), {"referrals": [other.public_id]})
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not AgendaItem.objects.filter(referral=other).exists()


def test_a_referral_goes_on_one_agenda_at_a_time_and_one_refusal_refuses_the_lot(client, world):
    waiting = ReferralFactory(child=ChildFactory(area=world.area, home_school=world.school, first_name="Ben"))
    later = PanelFactory(area=world.area, kind=world.panel.kind, meets_on=TODAY + timedelta(days=14))
    client.force_login(world.users["la"])
    response = client.post(
        reverse("panel_agenda", args=[later.public_id]), {"referrals": [waiting.public_id, world.referral.public_id]}
    )
    assert "is on the agenda of the Fair access panel on" in response.content.decode()
    assert not later.agenda.exists()
    response = client.post(
        reverse("panel_agenda", args=[world.panel.public_id]), {"referrals": [world.referral.public_id]}
    )
    assert "is on this panel&#x27;s agenda already" in response.content.decode()
    response = client.post(reverse("panel_agenda", args=[world.panel.public_id]), {})
    assert "Choose at least one referral to put on the agenda" in response.content.decode()


def test_a_decided_referral_stays_on_its_agenda(client, world):
    client.force_login(world.users["la"])
    _decide(client, world.panel, world.referral, provider=world.provider.pk)
    url = reverse("agenda_remove", args=[world.panel.public_id, world.referral.public_id])
    response = client.post(url, follow=True)
    assert "the decision stays on its agenda" in response.content.decode()
    assert AgendaItem.objects.filter(referral=world.referral).exists()


# Who sees the decision --------------------------------------------------------------------------


def test_the_decision_is_seen_by_the_referrer_those_involved_and_the_provider_it_names(client, world):
    users = world.users
    assert not referrals_visible_to(user=users["provider"]).exists(), "a provider sees nothing before a decision"
    client.force_login(users["la"])
    _decide(client, world.panel, world.referral, provider=world.provider.pk)
    for role in ("la", "school", "health", "provider"):
        seen = referrals_visible_to(user=users[role]).select_related("decision")
        assert list(seen) == [world.referral], role
        assert seen.get().decision.provider == world.provider
    for role in ("other_la", "other_provider", "social", "virtual", "inspector"):
        assert not referrals_visible_to(user=users[role]).exists(), role


def test_a_provider_placed_with_sees_the_decision_naming_it_and_not_one_naming_another(world):
    Decision.objects.create(
        referral=world.referral,
        panel=world.panel,
        outcome="ap_placement",
        provider=world.other_provider,
        rationale="Closer to home",
        decided_by=world.users["la"],
    )
    PlacementFactory(child=world.child, provider=world.provider, commissioner=world.la)
    assert not referrals_visible_to(user=world.users["provider"]).exists()
    assert referrals_visible_to(user=world.users["other_provider"]).get() == world.referral


def test_the_decision_page_sets_the_records_figures_and_the_familys_consent_before_the_panel(client, world):
    from casework.selectors.referrals import referral_record_so_far

    referral = world.referral
    referral.record_when_sent = referral_record_so_far(child=referral.child)
    referral.save()
    client.force_login(world.users["la"])
    page = client.get(reverse("decision_new", args=[world.panel.public_id, referral.public_id])).content.decode()
    assert "Attendance and exclusions, from the record" in page
    assert "As the record stood when the referral was sent" in page
    assert referral.get_absolute_url() in page
    assert f"{referral.family_consented_on:%-d %B %Y}" in page


def test_the_las_dashboard_counts_the_queue_and_the_fast_tracked(client, world):
    client.force_login(world.users["la"])
    assert "1 awaiting a panel's decision" in client.get(reverse("dashboard")).content.decode()
    Referral.objects.filter(pk=world.referral.pk).update(**fast_tracked_fields(world.users["la"]))
    assert "1 of them fast-tracked" in client.get(reverse("dashboard")).content.decode()
    client.force_login(world.users["school"])
    assert "awaiting a panel's decision" not in client.get(reverse("dashboard")).content.decode()
