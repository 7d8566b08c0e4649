"""Issue 11, item 1: a referral, written as a draft, sent with what the record holds, withdrawn or fast-tracked."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from attendance.models import AttendanceBatch, AttendanceMark, HomeSchoolMark
from casework.models import Referral, ReferralStatus
from core.models import AuditAction, AuditEvent, AuditEventChild, Membership, OrganisationKind
from tests.factories import (
    ChildFactory,
    DecisionFactory,
    ExclusionFactory,
    OrganisationFactory,
    PlacementFactory,
    ProviderFactory,
    ReferralFactory,
    member_of,
    valid_upn,
)
from tests.helpers import date_fields, page_body

pytestmark = pytest.mark.django_db

TODAY = date.today()


def complete(**overrides) -> dict:
    """Every part of the referral form, as a person fills it in."""
    data = {
        "reason": "at_risk_of_exclusion",
        "needs": "Struggles in large groups",
        "tried_in_school": "Mentor twice a week since September (Head of Year 9)",
        "risk_and_safeguarding": "None known",
        "child_views_gathered": "in_person",
        "child_views": "Wants a smaller place",
        "family_views_gathered": "interpreter",
        "family_views": "Mum wants help with anxiety",
        **date_fields("family_consented_on", TODAY - timedelta(days=2)),
        **date_fields("family_told_on", None),
    }
    data.update(overrides)
    return data


def summary(page: str) -> str:
    """What a page's error summary says."""
    return page.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]


def events(action, child=None):
    found = AuditEvent.objects.filter(action=action)
    if child is not None:
        found = found.filter(children__child_public_id=child.public_id)
    return found


@pytest.fixture
def child(area, school):
    return ChildFactory(area=area, home_school=school, health_needs="Asthma")


def start(client, child, **overrides) -> Referral:
    response = client.post(reverse("referral_new", args=[child.public_id]), complete(**overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Referral.objects.get(child=child, status="draft")


# Starting, sending ------------------------------------------------------------------------------


def test_a_school_refers_its_pupil_from_the_childs_page_with_the_needs_filled_in_from_the_record(
    client, school_lead, child
):
    client.force_login(school_lead)
    page = client.get(child.get_absolute_url()).content.decode()
    assert reverse("referral_new", args=[child.public_id]) in page
    assert "Refer to a panel" in page
    form = client.get(reverse("referral_new", args=[child.public_id])).content.decode()
    assert "Primary SEN need: Social, emotional and mental health." in form
    assert "Health needs: Asthma." in form
    # Nothing the record holds is asked for again.
    asked = set(re.findall(r'name="([a-z_]+)', form.split("<form", 2)[-1]))
    assert not {name for name in asked if "attend" in name or "exclu" in name or "suspen" in name}
    response = client.post(reverse("referral_new", args=[child.public_id]), complete())
    referral = Referral.objects.get(child=child)
    assert response.url == reverse("referral_send", args=[referral.public_id])
    assert referral.status == ReferralStatus.DRAFT
    assert referral.referrer == school_lead.primary_organisation
    assert events(AuditAction.REFERRAL_DRAFTED, child).count() == 1


def test_a_second_click_on_start_makes_no_second_referral(client, school_lead, child):
    client.force_login(school_lead)
    referral = start(client, child)
    again = client.post(reverse("referral_new", args=[child.public_id]), complete(), follow=True)
    assert again.redirect_chain[-1][0] == reverse("referral_edit", args=[referral.public_id])
    assert Referral.objects.filter(child=child).count() == 1


def test_a_draft_is_the_referrers_alone_until_it_is_sent(client, school_lead, la_officer, child):
    client.force_login(school_lead)
    referral = start(client, child)
    client.force_login(la_officer)
    assert client.get(referral.get_absolute_url()).status_code == 404
    refused = events(AuditAction.CHILD_VIEW_REFUSED, child).get()
    assert refused.object_type == "referral"
    assert child.full_name not in client.get(reverse("referral_list")).content.decode()
    client.force_login(school_lead)
    response = client.post(reverse("referral_send", args=[referral.public_id]))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert events(AuditAction.REFERRAL_SENT, child).count() == 1
    client.force_login(la_officer)
    assert child.full_name in client.get(reverse("referral_list")).content.decode()
    page = client.get(referral.get_absolute_url()).content.decode()
    assert "Struggles in large groups" in page
    assert "In another language, with an interpreter" in page
    assert events(AuditAction.REFERRAL_VIEWED, child).filter(user=la_officer).count() == 1


def test_sending_an_incomplete_referral_names_each_missing_part(client, school_lead, child):
    client.force_login(school_lead)
    referral = start(
        client,
        child,
        needs="",
        tried_in_school="",
        risk_and_safeguarding="",
        child_views_gathered="",
        child_views="",
        family_views_gathered="in_person",
        family_views="",
        **date_fields("family_consented_on", None),
    )
    check = client.get(reverse("referral_send", args=[referral.public_id])).content.decode()
    assert "Before you can send it" in check
    page = client.post(reverse("referral_send", args=[referral.public_id])).content.decode()
    for message in (
        "Describe the child&#x27;s needs",
        "Say what has been tried in school, by whom, and what difference it made",
        "Describe the risks and safeguarding context, or say that none are known",
        "Say how the child&#x27;s views were gathered",
        "Record the parent or carer&#x27;s views, or say they declined to give them",
        "Enter the date the family consented to the referral",
    ):
        assert message in summary(page), message
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT
    assert not events(AuditAction.REFERRAL_SENT).exists()


def test_views_declined_need_no_words_and_an_off_site_direction_needs_the_day_the_family_was_told(
    client, school_lead, child
):
    client.force_login(school_lead)
    referral = start(
        client,
        child,
        child_views_gathered="declined",
        child_views="",
        off_site_direction="on",
        **date_fields("family_consented_on", None),
    )
    page = client.post(reverse("referral_send", args=[referral.public_id])).content.decode()
    assert "Enter the date the family was told of the off-site direction" in page
    assert "child&#x27;s views" not in summary(page)
    edit = reverse("referral_edit", args=[referral.public_id])
    future = client.post(
        edit,
        complete(
            child_views_gathered="declined",
            child_views="",
            off_site_direction="on",
            **date_fields("family_consented_on", None),
            **date_fields("family_told_on", TODAY + timedelta(days=1)),
        ),
    )
    assert "The date the family was told must be today or in the past" in future.content.decode()
    client.post(
        edit,
        complete(
            child_views_gathered="declined",
            child_views="",
            off_site_direction="on",
            **date_fields("family_consented_on", None),
            **date_fields("family_told_on", TODAY),
        ),
    )
    assert client.post(reverse("referral_send", args=[referral.public_id])).status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.family_told_on) == (ReferralStatus.SENT, TODAY)


# What the record holds --------------------------------------------------------------------------


def _sessions(first: date, count: int):
    """`count` sessions on school days (Monday to Friday) from `first`, morning then afternoon."""
    day, found = first, []
    while len(found) < count:
        if day.weekday() < 5:
            found += [(day, 1), (day, 2)]
        day += timedelta(days=1)
    return found[:count]


@pytest.fixture
def record(area, school, child, la_officer):
    """This school year: 10 sessions at a PRU (8 present), then 4 at the home school (3 present); a
    suspension of 4 sessions and one of 3, a permanent exclusion from another school, and a suspension
    13 months ago that no longer counts."""
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")
    placement = PlacementFactory(
        child=child, provider=provider, commissioner=school, start_date=TODAY - timedelta(days=60)
    )
    batch = AttendanceBatch.objects.create(
        provider=provider, source="api", created_by=la_officer, organisation=provider.organisation
    )
    year_start = date(TODAY.year if TODAY.month >= 9 else TODAY.year - 1, 9, 1)
    sessions = _sessions(max(year_start, TODAY - timedelta(days=40)), 14)
    AttendanceMark.objects.bulk_create(
        AttendanceMark(
            placement=placement,
            child=child,
            provider=provider,
            date=day,
            session=session,
            code="/" if n < 8 else "O",
            batch=batch,
        )
        for n, (day, session) in enumerate(sessions[:10])
    )
    HomeSchoolMark.objects.bulk_create(
        [
            # The school's "at the AP setting" on a session the setting marked: counted once, the setting's way.
            HomeSchoolMark(
                child=child, school=school, date=sessions[0][0], session=1, code="B", recorded_by=la_officer
            ),
            *(
                HomeSchoolMark(
                    child=child,
                    school=school,
                    date=day,
                    session=session,
                    code="/" if n < 3 else "N",
                    recorded_by=la_officer,
                )
                for n, (day, session) in enumerate(sessions[10:])
            ),
        ]
    )
    other = OrganisationFactory(kind=OrganisationKind.SCHOOL, area=area, name="Bridgewater Academy")
    ExclusionFactory(child=child, school=school, sessions=4, start_date=TODAY - timedelta(days=20))
    ExclusionFactory(child=child, school=school, sessions=3, start_date=TODAY - timedelta(days=100))
    ExclusionFactory(child=child, school=other, category="PERM", sessions=None, start_date=TODAY - timedelta(days=200))
    ExclusionFactory(child=child, school=school, sessions=10, start_date=TODAY - timedelta(days=400))
    return provider


def test_sending_keeps_the_childs_attendance_and_exclusions_from_the_record(
    client, school_lead, la_officer, child, record
):
    client.force_login(school_lead)
    referral = start(client, child)
    check = client.get(reverse("referral_send", args=[referral.public_id])).content.decode()
    assert "As the record stands today" in check
    assert "78.6%: 11 of 14 possible sessions" in check
    client.post(reverse("referral_send", args=[referral.public_id]))
    referral.refresh_from_db()
    kept = referral.record_when_sent
    assert (kept["attendance"]["attended"], kept["attendance"]["possible"]) == (11, 14)
    assert {line["setting"]: (line["attended"], line["possible"]) for line in kept["attendance"]["by_setting"]} == {
        "Northgate PRU": (8, 10),
        "Priestley High School (its own register)": (3, 4),
    }
    assert (kept["suspensions"], kept["suspension_days"]) == (2, "3.5")
    assert [pex["school"] for pex in kept["permanent_exclusions"]] == ["Bridgewater Academy"]
    # What the record says later is not what the panel was sent.
    ExclusionFactory(child=child, school=child.home_school, sessions=2, start_date=TODAY)
    client.force_login(la_officer)
    page = client.get(referral.get_absolute_url()).content.decode()
    assert "As the record stood when the referral was sent" in page
    assert "78.6%: 11 of 14 possible sessions" in page
    assert "2, 3.5 days in all" in page
    assert "Bridgewater Academy" in page
    assert "Persistent absence" in page


# Transitions -------------------------------------------------------------------------------------


def test_sending_twice_changes_nothing(client, school_lead, child):
    client.force_login(school_lead)
    referral = start(client, child)
    send = reverse("referral_send", args=[referral.public_id])
    client.post(send)
    referral.refresh_from_db()
    sent_at = referral.sent_at
    again = client.post(send)
    assert "and can no longer be changed" in again.content.decode()
    referral.refresh_from_db()
    assert referral.sent_at == sent_at
    assert events(AuditAction.REFERRAL_SENT).count() == 1


def test_a_sent_referral_cannot_be_changed(client, school_lead, child):
    referral = ReferralFactory(child=child, created_by=school_lead)
    client.force_login(school_lead)
    response = client.get(reverse("referral_edit", args=[referral.public_id]), follow=True)
    assert "can no longer be changed" in response.content.decode()
    response = client.post(reverse("referral_edit", args=[referral.public_id]), complete(needs="Changed"), follow=True)
    assert "can no longer be changed" in response.content.decode()
    referral.refresh_from_db()
    assert referral.needs != "Changed"


def test_withdrawing_says_why_and_a_decided_referral_cannot_be(client, school_lead, la_officer, child):
    referral = ReferralFactory(child=child, created_by=school_lead)
    client.force_login(school_lead)
    url = reverse("referral_withdraw", args=[referral.public_id])
    assert "Enter why the referral is withdrawn" in client.post(url, {"withdrawal_reason": " "}).content.decode()
    client.post(url, {"withdrawal_reason": "The family moved away"})
    referral.refresh_from_db()
    assert (referral.status, referral.withdrawal_reason) == (ReferralStatus.WITHDRAWN, "The family moved away")
    assert events(AuditAction.REFERRAL_WITHDRAWN, child).count() == 1
    assert (
        "This referral has already been withdrawn" in client.post(url, {"withdrawal_reason": "Again"}).content.decode()
    )
    decided = DecisionFactory(
        referral=ReferralFactory(child=ChildFactory(area=child.area, home_school=child.home_school), status="decided")
    ).referral
    client.force_login(la_officer)
    page = client.post(reverse("referral_withdraw", args=[decided.public_id]), {"withdrawal_reason": "No"})
    assert "The panel has decided on this referral: it can no longer be withdrawn." in page.content.decode()
    decided.refresh_from_db()
    assert decided.status == ReferralStatus.DECIDED


def test_a_withdrawn_referral_leaves_the_agendas_of_panels_still_to_meet(client, school_lead, la_officer, child):
    from casework.models import AgendaItem
    from tests.factories import PanelFactory

    referral = ReferralFactory(child=child, created_by=school_lead)
    met = PanelFactory(area=child.area, meets_on=date.today() - timedelta(days=7))
    next_week = PanelFactory(area=child.area, meets_on=date.today() + timedelta(days=7))
    for panel in (met, next_week):
        AgendaItem.objects.create(panel=panel, referral=referral, added_by=la_officer)
    client.force_login(school_lead)
    client.post(reverse("referral_withdraw", args=[referral.public_id]), {"withdrawal_reason": "Moved away"})
    assert list(AgendaItem.objects.values_list("panel", flat=True)) == [met.pk]


def test_the_la_fast_tracks_a_sent_referral_once_and_it_leads_the_queue(client, la_officer, area, school):
    now = timezone.now()
    oldest, middle, newest = (
        ReferralFactory(child=ChildFactory(area=area, home_school=school), sent_at=now - timedelta(days=days))
        for days in (30, 20, 2)
    )
    client.force_login(la_officer)
    url = reverse("referral_fast_track", args=[newest.public_id])
    assert "Enter why this referral is fast-tracked" in client.post(url, {"fast_track_reason": ""}).content.decode()
    client.post(url, {"fast_track_reason": "Not in school at all; at risk of exploitation"})
    assert "already fast-tracked" in client.post(url, {"fast_track_reason": "Again"}).content.decode()
    assert events(AuditAction.REFERRAL_FAST_TRACKED, newest.child).count() == 1
    page = client.get(reverse("referral_list")).content.decode()
    rows = re.findall(r'data-referral="([^"]+)"', page)
    assert rows == [str(newest.public_id), str(oldest.public_id), str(middle.public_id)]
    first_row = page.split('data-referral="')[1]
    assert "Fast-tracked" in first_row.split("</tr>")[0]
    assert ">30<" in page.split(f'data-referral="{oldest.public_id}"')[1].split("</tr>")[0]
    detail = client.get(newest.get_absolute_url()).content.decode()
    assert "at risk of exploitation" in detail


def test_only_a_referral_awaiting_a_panel_is_fast_tracked(client, la_officer, area, school):
    decided = DecisionFactory(
        referral=ReferralFactory(child=ChildFactory(area=area, home_school=school), status="decided")
    ).referral
    withdrawn = ReferralFactory(
        child=ChildFactory(area=area, home_school=school),
        status="withdrawn",
        withdrawn_at=timezone.now(),
        withdrawal_reason="Moved away",
    )
    client.force_login(la_officer)
    for referral, words in ((decided, "decided"), (withdrawn, "withdrawn")):
        page = client.post(reverse("referral_fast_track", args=[referral.public_id]), {"fast_track_reason": "Urgent"})
        assert f"Only a referral awaiting a panel can be fast-tracked: this one is {words}." in page.content.decode()
        referral.refresh_from_db()
        assert not referral.is_fast_tracked


def test_a_draft_cannot_be_fast_tracked_even_by_the_la_that_wrote_it(client, la_officer, la, child):
    client.force_login(la_officer)
    referral = start(client, child)
    assert referral.referrer == la
    page = client.post(reverse("referral_fast_track", args=[referral.public_id]), {"fast_track_reason": "Urgent"})
    assert "this one is a draft not yet sent" in page.content.decode()


# The decision, as the referrer sees it -----------------------------------------------------------


def test_the_referrer_sees_the_decision_and_that_it_was_made_without_health(client, school_lead, child, area):
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")
    decision = DecisionFactory(
        referral=ReferralFactory(child=child, status="decided"), provider=provider, sectors_missing=["health"]
    )
    client.force_login(school_lead)
    page = client.get(decision.referral.get_absolute_url()).content.decode()
    assert "AP placement at a named provider" in page
    assert "Northgate PRU" in page
    assert "A small setting with SEMH expertise" in page
    assert "Decided without health" in page
    assert (
        "Decided without health"
        not in client.get(
            DecisionFactory(
                referral=ReferralFactory(child=ChildFactory(area=area, home_school=child.home_school), status="decided")
            ).referral.get_absolute_url()
        ).content.decode()
    )


def test_the_childs_page_lists_the_referrals_the_user_may_see(client, school_lead, la_officer, child):
    sent = ReferralFactory(child=child, created_by=school_lead, reason="ebsa")
    client.force_login(la_officer)
    draft = start(client, child)
    page = client.get(child.get_absolute_url()).content.decode()
    assert sent.get_absolute_url() in page
    assert draft.get_absolute_url() in page
    client.force_login(school_lead)
    page = client.get(child.get_absolute_url()).content.decode()
    assert sent.get_absolute_url() in page
    assert draft.get_absolute_url() not in page


# Finding the child -------------------------------------------------------------------------------


def _found(client, upn: str) -> bytes:
    response = client.get(reverse("referral_find"), {"upn": upn})
    return page_body(response).replace(upn.encode(), b"UPN")


def test_a_upn_search_does_not_say_whether_another_schools_pupil_has_it(client, school_lead, area, other_school):
    ChildFactory(area=area, home_school=other_school, upn=valid_upn(5), first_name="Zara")
    client.force_login(school_lead)
    assert _found(client, valid_upn(5)) == _found(client, valid_upn(6))
    assert b"Zara" not in _found(client, valid_upn(5))


def test_a_child_not_yet_on_the_system_is_added_then_referred(client, school_lead, school):
    from tests.helpers import child_data

    client.force_login(school_lead)
    upn = valid_upn(77)
    page = client.get(reverse("referral_find"), {"upn": upn.lower()}).content.decode()
    assert "No child you may see has UPN" in page
    add = re.search(r'href="(/children/new/\?[^"]+)"', page).group(1).replace("&amp;", "&")
    form = client.get(add).content.decode()
    assert f'value="{upn}"' in form
    response = client.post(add, child_data(upn=upn, home_school=school.pk))
    assert response.url == f"{reverse('referral_find')}?upn={upn}"
    found = client.get(response.url).content.decode()
    child = Referral._meta.get_field("child").related_model.objects.get(upn=upn)
    assert reverse("referral_new", args=[child.public_id]) in found


def test_adding_a_child_never_leads_off_the_service(client, school_lead, school):
    from tests.helpers import child_data

    client.force_login(school_lead)
    for n, away in enumerate(("https://evil.example/", "//evil.example/", "referral_list")):
        upn = valid_upn(80 + n)
        response = client.post(f"{reverse('child_new')}?next={away}", child_data(upn=upn, home_school=school.pk))
        assert response.url.startswith("/children/"), away


def test_a_practitioner_who_cannot_add_a_child_is_told_whom_to_ask(client, area):
    health = OrganisationFactory(kind=OrganisationKind.HEALTH, area=area, urn="")
    nurse = member_of(health)
    client.force_login(nurse)
    page = client.get(reverse("referral_find"), {"upn": valid_upn(90)}).content.decode()
    assert "ask their school or the local authority to add them" in page
    assert "/children/new/" not in page


def test_a_upn_that_is_not_one_is_said_in_words(client, school_lead):
    client.force_login(school_lead)
    page = client.get(reverse("referral_find"), {"upn": "A12"}).content.decode()
    assert "A UPN is 13 characters long" in page


# The list ----------------------------------------------------------------------------------------


def test_the_list_costs_the_same_queries_for_few_rows_and_many(
    client, la_officer, area, school, django_assert_max_num_queries
):
    def make(n):
        for _ in range(n):
            referral = ReferralFactory(child=ChildFactory(area=area, home_school=school))
            DecisionFactory(referral=ReferralFactory(child=referral.child, status="decided"))

    client.force_login(la_officer)
    make(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for status in ("sent", "decided", "all"):
        with CaptureQueriesContext(connection) as few:
            assert client.get(reverse("referral_list"), {"status": status}).status_code == 200
        counts.append(len(few))
    # Session, user, memberships, the count, the page, and the navigation's one question.
    assert counts == [6, 6, 6]
    make(12)
    for n, status in enumerate(("sent", "decided", "all")):
        with django_assert_max_num_queries(counts[n]):
            page = client.get(reverse("referral_list"), {"status": status}).content.decode()
        assert page.count("data-referral=") == (12 + 2 if status != "all" else 28)


def test_a_school_lists_its_own_referrals_drafts_included_and_those_of_its_pupils(
    client, school_lead, la_officer, child, area, other_school
):
    by_la = ReferralFactory(child=child, referrer=la_officer.primary_organisation, created_by=la_officer)
    elsewhere = ReferralFactory(child=ChildFactory(area=area, home_school=other_school))
    client.force_login(school_lead)
    draft = start(client, child)
    page = client.get(reverse("referral_list")).content.decode()
    assert str(by_la.public_id) in page
    assert str(draft.public_id) in page
    assert str(elsewhere.public_id) not in page
    only = client.get(reverse("referral_list"), {"child": child.public_id, "status": "draft"}).content.decode()
    assert re.findall(r'data-referral="([^"]+)"', only) == [str(draft.public_id)]


def test_everyone_but_inspectors_has_referrals_in_the_navigation(client, school_lead, area):
    client.force_login(school_lead)
    assert 'href="/referrals/"' in client.get(reverse("dashboard")).content.decode()
    inspector = member_of(
        OrganisationFactory(kind=OrganisationKind.INSPECTORATE, area=area, urn=""), Membership.Role.INSPECTOR
    )
    client.force_login(inspector)
    assert 'href="/referrals/"' not in client.get(reverse("inspection_list")).content.decode()


def test_the_refusal_of_a_referral_is_on_its_childs_log(client, child, other_school):
    referral = ReferralFactory(child=child)
    client.force_login(member_of(other_school))
    assert client.get(referral.get_absolute_url()).status_code == 404
    assert AuditEventChild.objects.filter(
        child_public_id=child.public_id, event__action=AuditAction.CHILD_VIEW_REFUSED, event__object_type="referral"
    ).exists()


def test_only_a_school_directs_a_pupil_off_site(client, la_officer, child):
    client.force_login(la_officer)
    page = client.post(reverse("referral_new", args=[child.public_id]), complete(off_site_direction="on"))
    assert "Only a school directs a pupil off site" in page.content.decode()
    assert not Referral.objects.filter(child=child).exists()


def test_a_setting_named_before_the_child_is_placed_reads_the_referral_without_a_way_into_the_record(
    client, child, area
):
    provider = ProviderFactory(organisation__area=area)
    decision = DecisionFactory(referral=ReferralFactory(child=child, status="decided"), provider=provider)
    client.force_login(member_of(provider.organisation))
    page = client.get(decision.referral.get_absolute_url()).content.decode()
    assert child.full_name in page
    assert child.get_absolute_url() not in page
    assert not events(AuditAction.CHILD_VIEW_REFUSED).exists()


def test_what_the_record_knows_of_risk_is_filled_in(client, school_lead, area, school):
    known = ChildFactory(
        area=area, home_school=school, child_protection=True, known_to_youth_justice=True, sen_primary_need=""
    )
    client.force_login(school_lead)
    form = client.get(reverse("referral_new", args=[known.public_id])).content.decode()
    assert "From the child&#x27;s record: Has a child protection plan; Known to youth justice." in form
    assert "Primary SEN need" not in form


def test_the_queue_comes_in_pages_and_odd_addresses_find_nothing(client, la_officer, area, school, settings):
    settings.REGISTER_PAGE_SIZE = 2
    now = timezone.now()
    referrals = [
        ReferralFactory(child=ChildFactory(area=area, home_school=school), sent_at=now - timedelta(days=days))
        for days in (5, 4, 3)
    ]
    client.force_login(la_officer)
    first = client.get(reverse("referral_list")).content.decode()
    second = client.get(reverse("referral_list"), {"page": 2}).content.decode()
    assert re.findall(r'data-referral="([^"]+)"', first) == [str(r.public_id) for r in referrals[:2]]
    assert re.findall(r'data-referral="([^"]+)"', second) == [str(referrals[2].public_id)]
    assert 'aria-label="Pages of referrals"' in first
    odd = client.get(reverse("referral_list"), {"child": "not-an-id", "status": "nonsense"})
    assert odd.status_code == 200
    assert "data-referral=" not in odd.content.decode()


def test_the_las_own_drafts_are_in_its_drafts_list(client, la_officer, child):
    client.force_login(la_officer)
    draft = start(client, child)
    assert str(draft.public_id) not in client.get(reverse("referral_list")).content.decode()
    drafts = client.get(reverse("referral_list"), {"status": "draft"}).content.decode()
    assert re.findall(r'data-referral="([^"]+)"', drafts) == [str(draft.public_id)]
