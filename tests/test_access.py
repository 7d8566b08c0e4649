"""Who sees what: for each role, what it can see and, as importantly, what it cannot."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse

from children.models import Child, ChildDocument, PenPortrait
from core.access import children_visible_to, may_see_home_school_marks, may_write_to_record, placements_visible_to
from core.models import AuditAction, AuditEvent, Membership, OrganisationKind
from placements.models import Placement
from tests.factories import (
    AreaFactory,
    ChildFactory,
    InvolvementFactory,
    OrganisationFactory,
    PlacementFactory,
    ProviderFactory,
    member_of,
)
from tests.helpers import page_body

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def borough(area, la, la_officer, school, other_school, school_lead):
    """Five children whose visibility differs by role."""
    p1 = ProviderFactory(organisation__name="Northgate PRU", organisation__area=area)
    p2 = ProviderFactory(organisation__name="Brightpath Tuition", organisation__area=area)
    health = OrganisationFactory(kind=OrganisationKind.HEALTH, area=area, urn="")
    social = OrganisationFactory(kind=OrganisationKind.SOCIAL_CARE, area=area, urn="")
    virtual = OrganisationFactory(kind=OrganisationKind.VIRTUAL_SCHOOL, area=area, urn="")
    elsewhere = AreaFactory(name="Halton", la_code="876", ons_code="E06000006")

    a = ChildFactory(area=area, home_school=school, first_name="Aisha")
    b = ChildFactory(area=area, home_school=other_school, first_name="Ben")
    c = ChildFactory(area=area, home_school=other_school, first_name="Cara")
    d = ChildFactory(area=area, home_school=other_school, first_name="Dev", looked_after=True, looked_after_by=area)
    e = ChildFactory(area=elsewhere, home_school=None, first_name="Evie")
    PlacementFactory(child=a, provider=p1, commissioner=school)
    PlacementFactory(child=b, provider=p2, commissioner=la)
    PlacementFactory(child=c, provider=p1, commissioner=school)
    PlacementFactory(child=d, provider=p2, commissioner=la)
    PlacementFactory(child=e, provider=p2, commissioner=la)

    health_user = member_of(health, username="camhs")
    social_worker = member_of(social, Membership.Role.SOCIAL_WORKER, username="sw")
    InvolvementFactory(child=b, organisation=health, user=health_user)
    InvolvementFactory(
        child=d,
        organisation=health,
        user=health_user,
        started_on=TODAY - timedelta(days=200),
        ended_on=TODAY - timedelta(days=10),
    )
    InvolvementFactory(child=a, organisation=social, user=social_worker)
    return SimpleNamespace(
        children={"a": a, "b": b, "c": c, "d": d, "e": e},
        users={
            "la": la_officer,
            "school": school_lead,
            "provider": member_of(p1.organisation, Membership.Role.OFFICE_MANAGER, username="pm"),
            "health": health_user,
            "social": social_worker,
            "virtual": member_of(virtual, Membership.Role.VIRTUAL_SCHOOL_HEAD, username="vsh"),
            "nobody": member_of(OrganisationFactory(kind=OrganisationKind.INSPECTORATE, urn=""), username="insp"),
        },
    )


SEES = {
    "la": {"a", "b", "c", "d"},
    "school": {"a", "c"},
    "provider": {"a", "c"},
    "health": {"b"},
    "social": {"a"},
    "virtual": {"d"},
    "nobody": set(),
}
# An inspector with no inspection sees no child; the pages of the register are not theirs (see test_inspector_access).
STAFF = {role: expected for role, expected in SEES.items() if role != "nobody"}


@pytest.mark.parametrize(("role", "expected"), SEES.items())
def test_policy_gives_each_role_exactly_its_children(borough, role, expected):
    visible = set(children_visible_to(user=borough.users[role]).values_list("first_name", flat=True))
    assert visible == {borough.children[k].first_name for k in expected}


@pytest.mark.parametrize(("role", "expected"), STAFF.items())
def test_register_lists_only_visible_children(client, borough, role, expected):
    client.force_login(borough.users[role])
    page = client.get(reverse("register")).content.decode()
    for key, child in borough.children.items():
        assert (child.first_name in page) == (key in expected), f"{role} and {child.first_name}"


@pytest.mark.parametrize(("role", "expected"), STAFF.items())
def test_the_list_of_children_holds_exactly_the_visible_ones_in_ap_or_not(client, borough, role, expected):
    # Bea, never placed, is the school's pupil: the LA and her school find her, no one else.
    ChildFactory(area=borough.children["a"].area, home_school=borough.children["a"].home_school, first_name="Bea")
    expected = expected | ({"bea"} if role in ("la", "school") else set())
    client.force_login(borough.users[role])
    listed = {child.first_name.lower() for child in client.get(reverse("child_list")).context["page"].object_list}
    names = {k: c.first_name.lower() for k, c in borough.children.items()} | {"bea": "bea"}
    assert listed == {names[k] for k in expected}


def test_an_inspector_is_refused_the_list_of_children(client, borough):
    client.force_login(borough.users["nobody"])
    assert client.get(reverse("child_list")).status_code == 403


@pytest.mark.parametrize(("role", "expected"), STAFF.items())
def test_dashboard_counts_only_visible_children(client, borough, role, expected):
    client.force_login(borough.users[role])
    response = client.get(reverse("dashboard"))
    assert response.context["total"] == len(expected)


@pytest.mark.parametrize(("role", "expected"), STAFF.items())
def test_child_record_by_guessed_id_answers_404_like_a_missing_one(client, borough, role, expected):
    client.force_login(borough.users[role])
    for key, child in borough.children.items():
        status = client.get(reverse("child_detail", args=[child.public_id])).status_code
        assert status == (200 if key in expected else 404), f"{role} opening {child.first_name}"


def test_refusal_writes_only_an_audit_event(client, borough):
    user = borough.users["school"]
    client.force_login(user)
    other = borough.children["b"]
    before = Placement.objects.count()
    assert client.get(reverse("child_detail", args=[other.public_id])).status_code == 404
    refused = AuditEvent.objects.get(user=user, action=AuditAction.CHILD_VIEW_REFUSED)
    assert refused.object_id == str(other.public_id)
    assert not AuditEvent.objects.filter(user=user, action=AuditAction.CHILD_VIEWED).exists()
    assert Placement.objects.count() == before


def test_missing_and_forbidden_look_the_same(client, borough):
    client.force_login(borough.users["school"])
    forbidden = client.get(reverse("child_detail", args=[borough.children["b"].public_id]))
    missing = client.get(reverse("child_detail", args=["00000000-0000-4000-8000-000000000000"]))
    assert forbidden.status_code == missing.status_code == 404
    assert page_body(forbidden) == page_body(missing)


def test_provider_sees_only_its_own_placements_of_a_child(borough):
    provider_user = borough.users["provider"]
    a = borough.children["a"]
    PlacementFactory(child=a, provider=ProviderFactory(organisation__area=a.area), commissioner=a.home_school)
    seen = placements_visible_to(user=provider_user).filter(child=a)
    assert [p.provider.organisation for p in seen] == provider_user.organisations


def test_school_cannot_record_a_placement_for_another_schools_pupil(client, borough):
    client.force_login(borough.users["school"])
    other = borough.children["b"]
    before = Placement.objects.count()
    response = client.post(reverse("placement_new", args=[other.public_id]), {"provider": "1"})
    assert response.status_code == 404
    assert Placement.objects.count() == before


def test_school_cannot_edit_a_placement_it_did_not_commission(client, borough):
    client.force_login(borough.users["school"])
    placement = borough.children["b"].placements.get()
    response = client.post(reverse("placement_edit", args=[placement.public_id]), {"hours_per_week": "1"})
    assert response.status_code == 404
    placement.refresh_from_db()
    assert placement.hours_per_week != 1


def test_provider_cannot_edit_a_childs_record(client, borough):
    client.force_login(borough.users["provider"])
    child = borough.children["a"]
    response = client.post(reverse("child_edit", args=[child.public_id]), {"first_name": "Changed"})
    assert response.status_code == 404
    child.refresh_from_db()
    assert child.first_name == "Aisha"


def test_access_log_is_for_the_la_only(client, borough):
    child = borough.children["a"]
    client.force_login(borough.users["school"])
    assert client.get(reverse("child_access_log", args=[child.public_id])).status_code == 404
    client.force_login(borough.users["la"])
    client.get(reverse("child_detail", args=[child.public_id]))
    page = client.get(reverse("child_access_log", args=[child.public_id]))
    assert page.status_code == 200
    assert "Viewed child record" in page.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_provider_page_lists_only_children_the_user_may_see(client, borough):
    provider = borough.children["b"].placements.get().provider
    client.force_login(borough.users["health"])
    page = client.get(reverse("provider_detail", args=[provider.public_id])).content.decode()
    assert "Ben" in page
    assert "Dev" not in page
    assert "Evie" not in page


# Who may add to a child's record (pen portraits, plans and assessments): seeing is not enough.
WRITES = {
    "la": {"a", "b", "c", "d"},
    "school": {"a"},  # its own pupil; Cara is only commissioned by it
    "provider": {"a", "c"},  # placed there now
    "health": {"b"},  # Dev's involvement has ended
    "social": {"a"},
    "virtual": {"d"},  # looked after by this area
    "nobody": set(),
}


# Who may see the home school's own register marks beside the setting's (issue 9, item 15).
HOME_SCHOOL_MARKS = {
    "la": {"a", "b", "c", "d"},
    "school": {"a"},  # its own register; Cara's school is another
    "provider": set(),  # the setting keeps its own register, not the school's
    "health": set(),
    "social": set(),
    "virtual": {"d"},  # looked after by this area
    "nobody": set(),
}


@pytest.mark.parametrize(("role", "expected"), HOME_SCHOOL_MARKS.items())
def test_each_role_sees_the_home_schools_marks_of_exactly_the_children_the_policy_names(borough, role, expected):
    user = borough.users[role]
    shown = {key for key, child in borough.children.items() if may_see_home_school_marks(user=user, child=child)}
    assert shown == expected


@pytest.mark.parametrize(("role", "expected"), WRITES.items())
def test_each_role_writes_to_exactly_the_records_the_policy_names(borough, role, expected):
    user = borough.users[role]
    writable = {key for key, child in borough.children.items() if may_write_to_record(user=user, child=child)}
    assert writable == expected


@pytest.mark.parametrize("role", STAFF)
def test_the_pen_portrait_form_opens_for_writers_is_refused_to_readers_and_hidden_from_the_rest(client, borough, role):
    client.force_login(borough.users[role])
    for key, child in borough.children.items():
        status = client.get(reverse("pen_portrait_new", args=[child.public_id])).status_code
        expected = 200 if key in WRITES[role] else 403 if key in SEES[role] else 404
        assert status == expected, f"{role} writing about {child.first_name}"


def test_a_refused_write_is_on_the_childs_access_log(client, borough):
    cara = borough.children["c"]
    client.force_login(borough.users["school"])
    assert client.post(reverse("pen_portrait_new", args=[cara.public_id]), {"text": "x"}).status_code == 403
    assert cara.pen_portraits.count() == 0
    client.force_login(borough.users["la"])
    log = client.get(reverse("child_access_log", args=[cara.public_id])).content.decode()
    assert "Refused: not permitted to do this" in log


def _end_placement(child, days_ago: int):
    placement = child.placements.get()
    placement.start_date = TODAY - timedelta(days=days_ago + 100)
    placement.end_date = TODAY - timedelta(days=days_ago)
    placement.save()
    return placement


def test_a_former_setting_reads_only_its_placement_and_what_it_recorded_then_nothing(client, borough):
    aisha = borough.children["a"]
    provider = borough.users["provider"]
    client.force_login(provider)
    PenPortrait.objects.create(child=aisha, needs="Settles best with a morning check-in.", written_by=provider)
    PenPortrait.objects.create(child=aisha, needs="Written by the school.", written_by=borough.users["school"])
    _end_placement(aisha, days_ago=10)
    InvolvementFactory(child=aisha, organisation=OrganisationFactory(name="Later CAMHS", kind="health", urn=""))

    record = client.get(reverse("child_detail", args=[aisha.public_id]))
    assert record.status_code == 200
    assert "children/child_left.html" in [t.name for t in record.templates]
    page = record.content.decode()
    assert "Settles best with a morning check-in." in page
    closes = TODAY + timedelta(days=20)  # ended 10 days ago, open for 30
    assert f"until {closes.day} {closes:%B %Y}, you can read" in " ".join(page.split())
    assert "Written by the school." not in page
    assert "Later CAMHS" not in page
    assert not may_write_to_record(user=provider, child=aisha)
    assert client.get(reverse("pen_portrait_new", args=[aisha.public_id])).status_code == 404
    assert client.get(reverse("child_attendance", args=[aisha.public_id])).status_code == 200

    _end_placement(aisha, days_ago=31)
    assert client.get(reverse("child_detail", args=[aisha.public_id])).status_code == 404
    assert client.get(reverse("child_attendance", args=[aisha.public_id])).status_code == 404
    # Nor on the setting's register of a day she was there: its page reads through the access policy too.
    while_there = (TODAY - timedelta(days=40)).isoformat()
    register = client.get(reverse("attendance_register"), {"date": while_there}).content.decode()
    assert aisha.first_name not in register


def test_a_former_setting_downloads_its_own_plan_but_no_one_elses(client, borough):
    aisha = borough.children["a"]
    _end_placement(aisha, days_ago=5)
    own = ChildDocument.objects.create(
        child=aisha,
        kind="pep",
        title="Our plan",
        dated=TODAY,
        filename="plan.txt",
        content=b"ours",
        uploaded_by=borough.users["provider"],
    )
    schools = ChildDocument.objects.create(
        child=aisha,
        kind="pep",
        title="School plan",
        dated=TODAY,
        filename="s.txt",
        content=b"theirs",
        uploaded_by=borough.users["school"],
    )
    client.force_login(borough.users["provider"])
    assert client.get(reverse("document_download", args=[own.public_id])).status_code == 200
    assert client.get(reverse("document_download", args=[schools.public_id])).status_code == 404


# How long a setting keeps sight of an ended placement is the area's to set, by the LA's managers of accounts.
@pytest.mark.parametrize("role", SEES)
def test_only_the_las_managers_of_accounts_set_what_a_former_setting_sees(client, borough, role):
    user = borough.users[role]
    Membership.objects.filter(user=user).update(may_manage_accounts=True)
    client.force_login(user)
    response = client.post(reverse("record_access"), {"provider_access_days": "7"})
    borough.children["a"].area.refresh_from_db()
    days = borough.children["a"].area.provider_access_days
    if role == "la":
        assert response.status_code == 302
        assert days == 7
        assert AuditEvent.objects.filter(user=user, action=AuditAction.RECORD_ACCESS_CHANGED).exists()
    else:
        assert response.status_code == (403 if role == "nobody" else 404)  # inspectors are refused every form
        assert days == 30


def test_a_shorter_setting_closes_an_ended_placement_sooner_and_a_bad_number_is_named(client, borough):
    aisha = borough.children["a"]
    _end_placement(aisha, days_ago=10)
    la_officer = borough.users["la"]
    Membership.objects.filter(user=la_officer).update(may_manage_accounts=True)
    client.force_login(la_officer)
    bad = client.post(reverse("record_access"), {"provider_access_days": "400"})
    assert "Enter a number of days from 0 to 365" in bad.content.decode()
    client.post(reverse("record_access"), {"provider_access_days": "7"})
    client.force_login(borough.users["provider"])
    assert client.get(reverse("child_detail", args=[aisha.public_id])).status_code == 404


# Children recorded twice under one UPN are the LA's to settle: the list and the combining.
@pytest.mark.parametrize("role", SEES)
def test_only_the_la_settles_children_recorded_twice(client, borough, role):
    ben = borough.children["b"]  # another school's pupil: the school added him again
    later = ChildFactory(
        area=ben.area, home_school=borough.children["a"].home_school, upn=ben.upn, recorded_twice_as=ben
    )
    user = borough.users[role]
    client.force_login(user)
    listing = client.get(reverse("recorded_twice"))
    combined = client.post(
        reverse("child_combine", args=[later.public_id]), {"home_school": str(ben.home_school.public_id)}
    )
    if role == "la":
        assert listing.status_code == 200
        assert ben.first_name in listing.content.decode()
        assert combined.status_code == 302
        return
    assert listing.status_code == 403
    assert AuditEvent.objects.filter(user=user, action=AuditAction.NOT_PERMITTED).exists()
    # The school sees its own record and is refused the act; to the others the record is not there.
    assert combined.status_code == (403 if role in ("school", "nobody") else 404)
    assert Child.objects.filter(pk=later.pk).exists()
    refusal = AuditAction.NOT_PERMITTED if role == "school" else AuditAction.CHILD_VIEW_REFUSED
    if role != "nobody":
        assert AuditEvent.objects.filter(user=user, action=refusal, children__child_public_id=later.public_id).exists()


# The local authority's own records: one predicate each, the same for the pages and the services behind them.
@pytest.mark.parametrize("role", SEES)
def test_only_the_la_keeps_the_directory_surveys_inspections_and_reads_access_logs(borough, role):
    from core.access import (
        may_keep_inspections,
        may_keep_provider_directory,
        may_read_access_log,
        may_run_surveys,
        may_see_inspections,
    )

    user, child = borough.users[role], borough.children["a"]
    la = role == "la"
    assert may_keep_provider_directory(user) is la
    assert may_run_surveys(user) is la
    assert may_run_surveys(user, child.area_id) is la
    assert may_keep_inspections(user) is la
    assert may_keep_inspections(user, child.area_id) is la
    assert may_read_access_log(user=user, child=child) is la
    assert may_read_access_log(user=user, child=borough.children["e"]) is False  # another area's child
    assert may_see_inspections(user) is (role in ("la", "nobody"))  # "nobody" is an inspector without a visit


@pytest.mark.parametrize("role", SEES)
def test_the_la_and_schools_import_lists_and_no_one_else(client, borough, role):
    from core.access import may_import_lists

    user = borough.users[role]
    allowed = role in ("la", "school")
    assert may_import_lists(user) is allowed
    client.force_login(user)
    for name in ("children_import", "placements_import"):
        assert (client.get(reverse(name)).status_code == 200) is allowed, name
