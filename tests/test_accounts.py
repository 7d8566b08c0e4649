"""Accounts: managers add people and change their roles within their own scope; the link sets a password."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditAction, AuditEvent, Membership, OrganisationKind, User
from tests.factories import PASSWORD, OrganisationFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def la_manager(la_officer):
    Membership.objects.filter(user=la_officer).update(may_manage_accounts=True)
    return la_officer


@pytest.fixture
def school_manager(school_lead):
    Membership.objects.filter(user=school_lead).update(may_manage_accounts=True)
    return school_lead


def new_person(organisation, **overrides):
    data = {
        "first_name": "Ada",
        "last_name": "Okafor",
        "email": "Ada.Okafor@school.example.org",
        "organisation": organisation.pk,
        "role": "senco",
    }
    data.update(overrides)
    return data


def set_password_link(message) -> str:
    return re.search(r"https?://[^/]+(/password/set/\S+/)", message.body).group(1)


def test_a_school_manager_adds_a_colleague_who_sets_a_password_and_signs_in(
    client, school_manager, school, django_capture_on_commit_callbacks
):
    client.force_login(school_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_new"), new_person(school))
    assert response.url == reverse("account_list")
    person = User.objects.get(email="ada.okafor@school.example.org")
    assert person.username == "ada.okafor@school.example.org"
    assert not person.has_usable_password()
    assert person.memberships.get().role == "senco"
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CREATED, object_id=person.public_id).exists()
    (message,) = mail.outbox
    assert message.to == ["ada.okafor@school.example.org"]
    assert "Your username is: ada.okafor@school.example.org" in message.body
    client.logout()
    form = client.get(set_password_link(message), follow=True)
    assert "Set your password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.url == reverse("password_reset_complete")
    signed_in = client.post(reverse("login"), {"username": "ada.okafor@school.example.org", "password": PASSWORD})
    assert signed_in.url == reverse("dashboard")
    client.logout()
    assert "does not work" in client.get(set_password_link(message), follow=True).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"email": "not-an-email"}, "email", "Enter an email address"),
        ({"role": "inspector"}, "role", "Choose one of the roles listed"),
        ({"may_export_returns": "on"}, "may_export_returns", "Only local authority staff"),
        ({"first_name": ""}, "first_name", "Enter a first name"),
    ],
)
def test_a_new_account_that_breaks_a_rule_is_refused_on_its_field(
    client, school_manager, school, overrides, field, words
):
    client.force_login(school_manager)
    response = client.post(reverse("account_new"), new_person(school, **overrides))
    assert words in " ".join(response.context["form"].errors[field])
    assert not User.objects.filter(email__icontains="okafor").exists()
    assert not mail.outbox


def test_an_email_already_in_the_organisation_is_refused(client, school_manager, school, school_lead):
    client.force_login(school_manager)
    response = client.post(reverse("account_new"), new_person(school, email=school_lead.email.upper()))
    assert "already has an account for" in " ".join(response.context["form"].errors["email"])


def test_adding_an_address_with_an_account_elsewhere_reads_as_adding_a_new_one(
    client, school_manager, school, other_school, django_capture_on_commit_callbacks
):
    """Issue 9, item 4: the manager cannot learn that an address has an account, nor take the account over."""
    elsewhere = member_of(other_school, Membership.Role.SENCO, first_name="Ada", last_name="Okafor")
    elsewhere.email = "ada.known@school.example.org"
    elsewhere.set_password(PASSWORD)
    elsewhere.save()
    client.force_login(school_manager)

    def add(email: str):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("account_new"), new_person(school, email=email))
        page = client.get(response.url)
        said = [str(m).replace(email.lower(), "ADDRESS") for m in page.context["messages"]]
        return response.status_code, response.url, said

    assert add("Ada.Known@school.example.org") == add("ada.new@school.example.org")
    elsewhere.refresh_from_db()
    assert elsewhere.check_password(PASSWORD), "the account stays its owner's"
    assert elsewhere.primary_organisation == other_school
    assert set(elsewhere.memberships.values_list("organisation", flat=True)) == {other_school.pk, school.pk}
    known, new = sorted(mail.outbox, key=lambda m: m.to[0])
    assert known.to == ["ada.known@school.example.org"]
    assert "/password/" not in known.body
    assert "/password/" in new.body
    client.post(reverse("account_deactivate", args=[elsewhere.public_id]))
    elsewhere.refresh_from_db()
    assert elsewhere.is_active, "a manager of one of the person's organisations cannot stop the account"


KNOWN, NEW = "ada.known@school.example.org", "ada.new@school.example.org"


def known_elsewhere(organisation, *, active: bool = True) -> User:
    """An account of another organisation that differs from a new one in every fact an account has."""
    person = member_of(
        organisation,
        Membership.Role.SENCO,
        username="adaeze",
        first_name="Adaeze",
        last_name="Elsewhere-Known",
        email="Ada.Known@School.Example.org",
    )
    person.last_login = timezone.now() - timedelta(days=40)
    person.is_active = active
    person.save()
    TOTPDevice.objects.create(user=person, name="app", confirmed=True)
    return person


def add_both(client, school, capture) -> User:
    """The manager adds the known address and a new one, with the same name typed for both."""
    for email in (KNOWN, NEW):
        with capture(execute=True):
            client.post(reverse("account_new"), new_person(school, email=email))
        client.get(reverse("account_list"))  # where "Account added" is read
    return User.objects.get(email=NEW)


def as_seen(html: str, person: User, email: str) -> str:
    """What the manager sees on a page, with this person's id and address put alike (and no CSRF token)."""
    main = re.search(r"<main.*</main>", html, re.S)
    main = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main.group(0) if main else html)
    return main.replace(str(person.public_id), "ID").replace(email, "ADDRESS")


def row_of(html: str, person: User) -> str:
    (row,) = [
        r for r in re.findall(r"<tr class=\"govuk-table__row\">.*?</tr>", html, re.S) if str(person.public_id) in r
    ]
    return row


@pytest.mark.parametrize("active", [True, False], ids=["account-in-use", "account-stopped"])
def test_a_person_just_added_looks_the_same_whether_or_not_their_address_had_an_account(
    client, school_manager, school, other_school, active, django_capture_on_commit_callbacks
):
    """Issue 9, item 4: the manager's pages and actions cannot tell them apart until the person signs in."""
    known = known_elsewhere(other_school, active=active)
    client.force_login(school_manager)
    new = add_both(client, school, django_capture_on_commit_callbacks)

    listing = client.get(reverse("account_list")).content.decode()
    rows = [as_seen(row_of(listing, p), p, e) for p, e in ((known, KNOWN), (new, NEW))]
    assert rows[0] == rows[1]
    assert "Ada Okafor" in rows[0]
    assert "Not signed in yet" in rows[0]
    for fact in ("Adaeze", "Elsewhere-Known", "School.Example", "Stopped", "Never", "Not set a password"):
        assert fact not in listing
    pages = [
        as_seen(client.get(reverse("account_detail", args=[p.public_id])).content.decode(), p, e)
        for p, e in ((known, KNOWN), (new, NEW))
    ]
    assert pages[0] == pages[1]
    assert "<title>Ada Okafor" in client.get(reverse("account_detail", args=[known.public_id])).content.decode()
    assert "Not signed in yet" in pages[0]
    for fact in ("Adaeze", "adaeze", "Authenticator app", "Stop this account", "Let them sign in again"):
        assert fact not in pages[0]

    def said(action: str, person: User) -> list[str]:
        with django_capture_on_commit_callbacks(execute=True):
            page = client.post(reverse(action, args=[person.public_id]), follow=True)
        return [str(m) for m in page.context["messages"]]

    mail.outbox.clear()
    for action in ("account_link", "account_deactivate", "account_reactivate", "account_two_factor_reset"):
        assert said(action, known) == said(action, new), action
    assert said("account_link", new) == ["A new link to set a password has been sent."]
    assert sorted(m.to[0].lower() for m in mail.outbox) == [KNOWN, NEW, NEW]
    known.refresh_from_db()
    assert known.is_active is active, "nobody may stop or restart another organisation's account"
    assert TOTPDevice.objects.filter(user=known).exists()
    assert known.check_password(PASSWORD), "the account's owner keeps their password unless they use the link"
    if not active:
        return

    Client().post(reverse("login"), {"username": "adaeze", "password": PASSWORD})
    listing = client.get(reverse("account_list")).content.decode()
    assert "Adaeze Elsewhere-Known" in row_of(listing, known)
    assert f"{timezone.localdate():%-d %b %Y}" in row_of(listing, known)
    assert "Not signed in yet" in row_of(listing, new)
    page = client.get(reverse("account_detail", args=[known.public_id])).content.decode()
    assert "Adaeze Elsewhere-Known" in page
    assert "Reset their authenticator app" in page
    assert "Not signed in yet" not in page
    stop = client.post(reverse("account_deactivate", args=[known.public_id]), follow=True).content.decode()
    assert "also works for an organisation you do not manage" in stop


def test_someone_added_by_mistake_is_removed_alike_and_a_new_address_can_be_added_again(
    client, school_manager, school, other_school, django_capture_on_commit_callbacks
):
    known = known_elsewhere(other_school)
    client.force_login(school_manager)
    new = add_both(client, school, django_capture_on_commit_callbacks)
    said = []
    for person in (known, new):
        page = client.post(reverse("account_remove", args=[person.public_id]), follow=True)
        said.append([str(m) for m in page.context["messages"]])
        assert person.public_id.hex not in page.content.decode().replace("-", "")
        assert client.get(reverse("account_detail", args=[person.public_id])).status_code == 404
    assert said[0] == said[1] == ["Ada Okafor is removed from Priestley High School."]
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_REMOVED).count() == 2
    known.refresh_from_db()
    assert known.is_active
    assert known.check_password(PASSWORD)
    assert list(known.memberships.values_list("organisation", flat=True)) == [other_school.pk]
    new.refresh_from_db()
    assert not new.is_active, "the link it was sent no longer signs anyone in"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_new"), new_person(school, email=NEW, first_name="Adah"))
    (message,) = mail.outbox
    assert "Your username is: ada.new@school.example.org" in message.body
    assert "Adah Okafor" in client.get(reverse("account_list")).content.decode()
    person = Client()
    form = person.get(set_password_link(message), follow=True)
    person.post(form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert person.post(reverse("login"), {"username": NEW, "password": PASSWORD}).url == reverse("dashboard")


def test_someone_who_has_signed_in_is_stopped_not_removed(client, school_manager, school):
    teacher = member_of(school, Membership.Role.PRACTITIONER)
    client.force_login(teacher)
    client.force_login(school_manager)
    page = client.post(reverse("account_remove", args=[teacher.public_id]), follow=True).content.decode()
    assert "stop the account instead" in page
    assert teacher.memberships.exists()


@pytest.mark.parametrize(
    ("known", "new", "words"),
    [
        ("o'neill@school.example.org", "o'brien@school.example.org", "only letters, numbers and . _ + -"),
        ("k" * 140 + "@school.example.org", "n" * 140 + "@school.example.org", "at most 150 characters"),
    ],
)
def test_an_address_that_cannot_be_a_username_is_refused_alike_with_or_without_an_account(
    client, school_manager, school, other_school, known, new, words
):
    """Issue 9, item 4: a new address was a server error here, one with an account elsewhere was added."""
    elsewhere = member_of(other_school, Membership.Role.SENCO, username="known-elsewhere", email=known)
    client.force_login(school_manager)
    refusals = []
    for email in (known, new):
        response = client.post(reverse("account_new"), new_person(school, email=email))
        assert response.status_code == 200
        refusals.append(response.context["form"].errors["email"])
    assert refusals[0] == refusals[1]
    assert words in refusals[0][0]
    assert not elsewhere.memberships.filter(organisation=school).exists()
    assert not User.objects.filter(email=new).exists()
    assert not mail.outbox


def test_a_school_manager_cannot_reach_another_organisations_people(client, school_manager, other_school):
    colleague = member_of(other_school, Membership.Role.SENCO, first_name="Cal", last_name="Elsewhere")
    client.force_login(school_manager)
    assert colleague.get_full_name() not in client.get(reverse("account_list")).content.decode()
    assert client.get(reverse("account_detail", args=[colleague.public_id])).status_code == 404
    assert client.post(reverse("account_deactivate", args=[colleague.public_id])).status_code == 404
    response = client.post(reverse("account_new"), new_person(other_school))
    assert "organisation" in response.context["form"].errors
    colleague.refresh_from_db()
    assert colleague.is_active


def test_people_who_may_not_manage_accounts_see_no_account_pages(client, school_lead, la_officer):
    for user in (school_lead, la_officer):
        client.force_login(user)
        assert client.get(reverse("account_list")).status_code == 404
        assert client.get(reverse("account_new")).status_code == 404
        assert reverse("account_list") not in client.get(reverse("dashboard")).content.decode()


def test_the_la_manager_gives_an_officer_the_export_permission(client, la_manager, la):
    officer = member_of(la, Membership.Role.AP_OFFICER, first_name="Olu", last_name="Officer")
    client.force_login(la_manager)
    assert officer.get_full_name() in client.get(reverse("account_list")).content.decode()
    client.post(reverse("account_detail", args=[officer.public_id]), {"role": "ap_officer", "may_export_returns": "on"})
    assert Membership.objects.get(user=officer).may_export_returns
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_CHANGED)
    assert event.detail["before"]["may_export_returns"] is False
    assert event.detail["after"]["may_export_returns"] is True


def test_a_school_manager_cannot_give_the_export_permission(client, school_manager, school):
    teacher = member_of(school, Membership.Role.PRACTITIONER)
    client.force_login(school_manager)
    page = client.get(reverse("account_detail", args=[teacher.public_id])).content.decode()
    assert "may_export_returns" not in page
    client.post(reverse("account_detail", args=[teacher.public_id]), {"role": "senco", "may_export_returns": "on"})
    membership = Membership.objects.get(user=teacher)
    assert membership.role == "senco"
    assert not membership.may_export_returns


def test_the_la_manager_adds_an_inspector_account(client, la_manager, area, django_capture_on_commit_callbacks):
    ofsted = OrganisationFactory(kind=OrganisationKind.INSPECTORATE, area=area, urn="", name="Ofsted")
    client.force_login(la_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_new"), new_person(ofsted, email="hmi@ofsted.example.org", role="inspector"))
    assert User.objects.get(email="hmi@ofsted.example.org").memberships.get().organisation == ofsted
    assert len(mail.outbox) == 1


def test_a_stopped_account_cannot_sign_in_and_nobody_stops_themselves(client, school_manager, school):
    teacher = member_of(school, Membership.Role.PRACTITIONER)
    client.force_login(teacher)  # someone who has signed in since they were added is stopped, not removed
    client.force_login(school_manager)
    client.post(reverse("account_deactivate", args=[teacher.public_id]))
    teacher.refresh_from_db()
    assert not teacher.is_active
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_DEACTIVATED, object_id=teacher.public_id).exists()
    page = client.post(reverse("account_deactivate", args=[school_manager.public_id]), follow=True)
    assert "cannot stop your own account" in page.content.decode()
    school_manager.refresh_from_db()
    assert school_manager.is_active
    client.post(reverse("account_reactivate", args=[teacher.public_id]))
    teacher.refresh_from_db()
    assert teacher.is_active


def test_a_school_cannot_stop_someone_who_also_works_elsewhere(client, school_manager, school, other_school):
    teacher = member_of(school, Membership.Role.PRACTITIONER)
    Membership.objects.create(user=teacher, organisation=other_school, role="practitioner")
    client.force_login(teacher)
    client.force_login(school_manager)
    page = client.post(reverse("account_deactivate", args=[teacher.public_id]), follow=True).content.decode()
    assert "also works for an organisation you do not manage" in page
    teacher.refresh_from_db()
    assert teacher.is_active


def test_nobody_takes_away_their_own_right_to_manage(client, school_manager):
    client.force_login(school_manager)
    response = client.post(reverse("account_detail", args=[school_manager.public_id]), {"role": "designated_lead"})
    assert "your own permission" in " ".join(response.context["form"].errors["may_manage_accounts"])
    assert Membership.objects.get(user=school_manager).may_manage_accounts


def test_a_new_link_can_be_sent_and_forgotten_passwords_reset(
    client, school_manager, school, django_capture_on_commit_callbacks
):
    teacher = member_of(school, Membership.Role.PRACTITIONER, email="t@school.example.org")
    client.force_login(school_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_link", args=[teacher.public_id]))
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_LINK_SENT).exists()
    client.logout()
    client.post(reverse("password_reset"), {"email": "t@school.example.org"})
    client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert len(mail.outbox) == 2
    assert set_password_link(mail.outbox[1])


def test_the_account_list_costs_the_same_queries_for_5_and_50_people(client, la_manager, school):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(la_manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("account_list")).status_code == 200
        return len(captured)

    for _ in range(5):
        member_of(school, Membership.Role.PRACTITIONER)
    few = queries()
    for _ in range(45):
        member_of(school, Membership.Role.PRACTITIONER)
    # Half of them have signed in since they were added, and show their account's own facts.
    half = User.objects.filter(memberships__organisation=school).order_by("pk").values_list("pk", flat=True)[::2]
    User.objects.filter(pk__in=list(half)).update(last_login=timezone.now())
    listing = client.get(reverse("account_list")).content.decode()
    assert "Not signed in yet" in listing
    assert f"{timezone.localdate():%-d %b %Y}" in listing
    assert queries() == few
