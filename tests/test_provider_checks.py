"""Providers' safeguarding and compliance checks (issue 13, item 3): the LA and the provider itself record each check
with the evidence seen, who saw it, when and when it expires; commissioners read them; expired and expiring checks
are listed; a written confirmation of checks is produced for a commissioner, as a page and a PDF."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from core.codes import code_set
from core.documents import MAX_DOCUMENT_BYTES
from core.models import AuditAction, AuditEvent
from providers.models import CheckOutcome, CheckStatus, ProviderCheck, check_default_expiry
from providers.selectors import checks_expiring, provider_compliance
from tests.factories import ProviderFactory
from tests.helpers import date_fields
from tests.test_access import borough  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

TODAY = date.today()
ROLES = ["la", "school", "provider", "health", "social", "virtual", "nobody"]
REFUSED = (403, 404)  # an inspector is refused every page not theirs (403); everyone else is told "not found"


def check_post(check_type="insurance_public_liability", outcome="satisfactory", seen_on=TODAY, **more) -> dict:
    return {
        "check_type": check_type,
        "outcome": outcome,
        "evidence": "Schedule from Zurich, policy PL-55821, £10m cover, ends 31 March",
        "seen_by": "Sam Patel, AP commissioning officer",
        **date_fields("seen_on", seen_on),
        **date_fields("expires_on", more.pop("expires_on", None)),
        **date_fields("dsl_trained_on", more.pop("dsl_trained_on", None)),
        **date_fields("deputy_trained_on", more.pop("deputy_trained_on", None)),
    } | more


def new_url(provider, check_type=""):
    return reverse("provider_check_new", args=[provider.public_id]) + (f"?type={check_type}" if check_type else "")


def checks_url(provider):
    return reverse("provider_checks", args=[provider.public_id])


@pytest.fixture
def setting(area):
    return ProviderFactory(organisation__area=area, organisation__name="Back Lane Workshop")


def record(provider, user, check_type="insurance_public_liability", seen_on=TODAY, expires_on=None, **more):
    """A check written straight to the table, for the reading tests."""
    return ProviderCheck.objects.create(
        provider=provider,
        check_type=check_type,
        outcome=more.pop("outcome", CheckOutcome.SATISFACTORY),
        evidence="Seen",
        seen_by="Sam Patel",
        seen_on=seen_on,
        expires_on=expires_on or seen_on + timedelta(days=365),
        recorded_by=user,
        recorded_for=user.primary_organisation,
        **more,
    )


# Recording -------------------------------------------------------------------------------------------------------


def test_the_la_records_a_check_and_a_new_one_becomes_the_latest_with_the_old_kept(client, la_officer, setting):
    client.force_login(la_officer)
    assert "What to look at for each check" in client.get(new_url(setting, "scr_enhanced_dbs_barred")).content.decode()
    response = client.post(new_url(setting), check_post(seen_on=TODAY - timedelta(days=400)))
    assert response.status_code == 302
    response = client.post(new_url(setting), check_post(expires_on=TODAY + timedelta(days=100)))
    assert response.status_code == 302
    page = client.get(checks_url(setting)).content.decode()
    assert "Insurance: public liability" in page
    assert "policy PL-55821" in page
    assert "Sam Patel, AP commissioning officer" in page
    assert f"{TODAY + timedelta(days=100):%-d %b %Y}" in page
    assert ProviderCheck.objects.filter(provider=setting).count() == 2
    line = next(x for x in provider_compliance(provider=setting) if x.check_type == "insurance_public_liability")
    assert line.status == CheckStatus.VALID
    assert line.latest.expires_on == TODAY + timedelta(days=100)
    assert AuditEvent.objects.filter(action=AuditAction.PROVIDER_CHECK_RECORDED, user=la_officer).count() == 2


def test_without_an_expiry_date_the_kinds_validity_sets_it(client, la_officer, setting):
    client.force_login(la_officer)
    seen = TODAY - timedelta(days=10)
    assert client.post(new_url(setting), check_post("fire_safety", seen_on=seen)).status_code == 302
    assert ProviderCheck.objects.get().expires_on == seen + relativedelta(months=12)


def test_the_safeguarding_lead_and_deputy_are_named_with_their_training(client, la_officer, setting):
    client.force_login(la_officer)
    post = check_post(
        "dsl",
        dsl_name="Jo Whitfield",
        deputy_name="Amir Khan",
        dsl_trained_on=TODAY - timedelta(days=200),
        deputy_trained_on=TODAY - timedelta(days=50),
    )
    assert client.post(new_url(setting), post).status_code == 302
    check = ProviderCheck.objects.get()
    assert check.expires_on == TODAY - timedelta(days=200) + relativedelta(months=24)  # from the earlier training
    page = client.get(checks_url(setting)).content.decode()
    assert "Jo Whitfield" in page
    assert "Amir Khan" in page


def test_the_provider_keeps_its_own_checks_up_to_date_with_an_evidence_file(client, borough):  # noqa: F811
    provider = borough.children["a"].placements.get().provider
    client.force_login(borough.users["provider"])
    upload = SimpleUploadedFile("el-certificate.pdf", b"%PDF-1.4 certificate", content_type="application/pdf")
    post = check_post("insurance_employers_liability") | {"file": upload, "seen_by": "Office manager"}
    assert client.post(new_url(provider), post).status_code == 302
    check = ProviderCheck.objects.get()
    assert check.recorded_for == provider.organisation
    assert check.filename == "el-certificate.pdf"
    page = client.get(checks_url(provider)).content.decode()
    assert f"Recorded by {provider.name}" in page
    download = client.get(reverse("provider_check_evidence", args=[check.public_id]))
    assert download.status_code == 200
    assert b"".join(download) == b"%PDF-1.4 certificate"
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("post", "field", "words"),
    [
        ({"evidence": "  "}, "evidence", "Enter the evidence seen"),
        ({"check_type": ""}, "check_type", "Choose the check"),
        ({"check_type": "tea_urn"}, "check_type", "Select a valid choice"),
        ({"outcome": ""}, "outcome", "Choose what was found"),
        ({"seen_by": ""}, "seen_by", "Enter who saw the evidence"),
        (date_fields("seen_on", TODAY + timedelta(days=1)), "seen_on", "must be today or in the past"),
        (date_fields("expires_on", TODAY - timedelta(days=1)), "expires_on", "must be after the date seen"),
        (date_fields("expires_on", TODAY), "expires_on", "must be after the date seen"),
        ({"outcome": "not_applicable"}, "outcome", "Every setting needs this check"),
        ({"check_type": "dsl"}, "dsl_name", "Enter the name of the designated safeguarding lead"),
        ({"check_type": "dsl"}, "deputy_trained_on", "Enter the date of the deputy's"),
        (
            {"check_type": "dsl", "dsl_name": "Jo", "deputy_name": "Amir"}
            | date_fields("dsl_trained_on", TODAY - timedelta(days=800))
            | date_fields("deputy_trained_on", TODAY),
            "dsl_trained_on",
            "more than 24 months before the date seen",
        ),
        ({"file": SimpleUploadedFile("payload.exe", b"MZ\x90\x00")}, "file", "must be a PDF, Word, OpenDocument"),
        ({"file": SimpleUploadedFile("no-ending", b"x")}, "file", "must be a PDF, Word, OpenDocument"),
        ({"file": SimpleUploadedFile("huge.pdf", b"0" * (MAX_DOCUMENT_BYTES + 1))}, "file", "10 MB or smaller"),
    ],
)
def test_a_bad_check_names_the_field_and_records_nothing(client, la_officer, setting, post, field, words):
    client.force_login(la_officer)
    response = client.post(new_url(setting), check_post() | post)
    assert response.status_code == 200
    assert any(words in message for message in response.context["form"].errors[field]), response.context["form"].errors
    assert not ProviderCheck.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.PROVIDER_CHECK_RECORDED).exists()


def test_not_provided_needs_no_evidence_and_shows_as_missing(client, la_officer, setting):
    client.force_login(la_officer)
    post = check_post("data_protection", outcome="not_provided") | {"evidence": ""}
    assert client.post(new_url(setting), post).status_code == 302
    line = next(x for x in provider_compliance(provider=setting) if x.check_type == "data_protection")
    assert line.status == CheckStatus.MISSING
    assert line.gap


def test_agency_staff_checks_may_not_apply(client, la_officer, setting):
    client.force_login(la_officer)
    post = check_post("scr_agency_staff", outcome="not_applicable") | {"evidence": "No agency staff: payroll seen"}
    assert client.post(new_url(setting), post).status_code == 302
    line = next(x for x in provider_compliance(provider=setting) if x.check_type == "scr_agency_staff")
    assert line.status == CheckStatus.NOT_APPLICABLE
    assert not line.gap


# Who ---------------------------------------------------------------------------------------------------------------

READS = {"la", "school", "provider", "health", "social", "virtual"}
RECORDS = {"la", "provider"}
OPENS_EVIDENCE = {"la", "provider"}
CONFIRMS = {"la", "school", "provider"}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_records_and_opens_a_providers_checks(client, borough, role):  # noqa: F811
    provider = borough.children["a"].placements.get().provider  # the provider user's own setting
    check = record(
        provider,
        borough.users["la"],
        filename="scr-extract.pdf",
        content=b"%PDF staff names",
    )
    client.force_login(borough.users[role])
    page = client.get(checks_url(provider))
    detail = client.get(provider.get_absolute_url())
    if role in READS:
        assert page.status_code == 200
        assert "Insurance: public liability" in page.content.decode()
        assert "Safeguarding and compliance checks" in detail.content.decode()
    else:
        assert page.status_code in REFUSED
    form = client.get(new_url(provider))
    posted = client.post(new_url(provider), check_post("fire_safety"))
    if role in RECORDS:
        assert form.status_code == 200
        assert posted.status_code == 302
        assert ProviderCheck.objects.filter(check_type="fire_safety").exists()
    else:
        assert form.status_code in REFUSED
        assert posted.status_code in REFUSED
        assert not ProviderCheck.objects.filter(check_type="fire_safety").exists()
        if role in READS:
            assert new_url(provider) not in page.content.decode()
    evidence = client.get(reverse("provider_check_evidence", args=[check.public_id]))
    if role in OPENS_EVIDENCE:
        assert evidence.status_code == 200
    else:
        assert evidence.status_code in REFUSED
    confirmation = client.get(reverse("check_confirmation_new", args=[provider.public_id]))
    assert (confirmation.status_code == 200) == (role in CONFIRMS)


@pytest.mark.parametrize("role", ROLES)
def test_a_provider_neither_sees_nor_records_another_providers_checks(client, borough, role):  # noqa: F811
    other = borough.children["b"].placements.get().provider  # not the provider user's setting
    check = record(other, borough.users["la"], filename="x.pdf", content=b"%PDF")
    client.force_login(borough.users[role])
    seen = client.get(checks_url(other)).status_code
    recorded = client.post(new_url(other), check_post("fire_safety")).status_code
    opened = client.get(reverse("provider_check_evidence", args=[check.public_id])).status_code
    assert (seen == 200) == (role in READS - {"provider"})
    assert (recorded == 302) == (role == "la")
    assert (opened == 200) == (role == "la")
    for status in (seen, recorded, opened):
        assert status in (200, 302, *REFUSED)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_la_lists_the_areas_expiring_checks_and_sets_the_days(client, borough, role):  # noqa: F811
    provider = borough.children["a"].placements.get().provider
    record(provider, borough.users["la"], seen_on=TODAY - timedelta(days=360), expires_on=TODAY + timedelta(days=5))
    client.force_login(borough.users[role])
    listed = client.get(reverse("checks_expiring"))
    days_form = client.get(reverse("check_expiry_days"))
    assert (days_form.status_code == 200) == (role == "la")
    days = client.post(reverse("check_expiry_days"), {"check_expiry_warning_days": "60"})
    directory = client.get(reverse("provider_list"))
    if role == "la":
        assert listed.status_code == 200
        assert provider.name in listed.content.decode()
        assert days.status_code == 302
        borough.users["la"].primary_organisation.area.refresh_from_db()
        assert borough.users["la"].primary_organisation.area.check_expiry_warning_days == 60
        assert "1 provider check expired or expiring" in directory.content.decode()
        assert AuditEvent.objects.filter(action=AuditAction.CHECK_EXPIRY_DAYS_CHANGED).exists()
    else:
        assert listed.status_code in REFUSED
        assert days.status_code in REFUSED
        if role != "nobody":
            assert "expired or expiring" not in directory.content.decode()


def test_the_expiry_days_must_be_sensible(client, la_officer):
    client.force_login(la_officer)
    response = client.post(reverse("check_expiry_days"), {"check_expiry_warning_days": "0"})
    assert response.status_code == 200
    assert "Enter a number of days from 1 to 180" in response.context["form"].errors["check_expiry_warning_days"][0]


# Expiry at its boundaries ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expires_in", "status", "listed"),
    [
        (-1, CheckStatus.EXPIRED, True),  # expired yesterday
        (0, CheckStatus.EXPIRING, True),  # stands to the end of today
        (30, CheckStatus.EXPIRING, True),  # the area's 30 days
        (31, CheckStatus.VALID, False),  # one day past them
    ],
)
def test_expiry_at_its_boundaries(la_officer, setting, expires_in, status, listed):
    assert setting.organisation.area.check_expiry_warning_days == 30
    record(setting, la_officer, seen_on=TODAY - timedelta(days=300), expires_on=TODAY + timedelta(days=expires_in))
    line = next(x for x in provider_compliance(provider=setting, today=TODAY) if x.check_type.startswith("insurance_p"))
    assert line.status == status
    assert checks_expiring(area_id=setting.organisation.area_id, today=TODAY).exists() == listed
    assert checks_expiring(area_id=setting.organisation.area_id, today=TODAY, within_days=expires_in).exists()


def test_only_the_latest_check_of_a_kind_counts_for_expiry(la_officer, setting):
    record(setting, la_officer, seen_on=TODAY - timedelta(days=400), expires_on=TODAY - timedelta(days=35))
    assert checks_expiring(area_id=setting.organisation.area_id, today=TODAY).count() == 1
    record(setting, la_officer, seen_on=TODAY - timedelta(days=2))
    assert not checks_expiring(area_id=setting.organisation.area_id, today=TODAY).exists()


def test_a_provider_with_nothing_recorded_has_every_check_missing(setting):
    lines = provider_compliance(provider=setting)
    assert [x.check_type for x in lines] == list(code_set("provider_check_type"))
    assert {x.status for x in lines} == {CheckStatus.MISSING}


@given(
    seen_on=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    code=st.sampled_from(list(code_set("provider_check_type"))),
)
def test_a_default_expiry_is_always_after_the_day_seen_and_within_its_months(seen_on, code):
    expires = check_default_expiry(check_type=code, seen_on=seen_on)
    months = int(code_set("provider_check_type")[code].row["valid_months"])
    assert seen_on < expires <= seen_on + timedelta(days=31 * months)
    assert expires.day <= seen_on.day  # the same day of the month, or the month's last when shorter


# The written confirmation ---------------------------------------------------------------------------------------------


def confirmation_url(provider, commissioner, pdf=False):
    name = "check_confirmation_pdf" if pdf else "check_confirmation"
    return reverse(name, args=[provider.public_id, commissioner.public_id])


def test_a_school_gets_the_written_confirmation_as_a_page_and_a_pdf(client, borough):  # noqa: F811
    provider = borough.children["a"].placements.get().provider
    school = borough.users["school"].primary_organisation
    for code in code_set("provider_check_type"):
        record(provider, borough.users["la"], check_type=code)
    client.force_login(borough.users["school"])
    chosen = client.get(
        reverse("check_confirmation_new", args=[provider.public_id]), {"commissioner": school.public_id}
    )
    assert chosen.status_code == 302
    page = client.get(chosen.url).content.decode()
    assert "Every required check was seen and stands" in page
    assert school.name in page
    assert "Single central record: enhanced DBS with barred list check" in page
    assert "Sam Patel" in page
    pdf = client.get(confirmation_url(provider, school, pdf=True))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    produced = AuditEvent.objects.filter(action=AuditAction.CHECK_CONFIRMATION_PRODUCED, user=borough.users["school"])
    assert sorted(e.detail["format"] for e in produced) == ["html", "pdf"]
    assert {e.detail["commissioner"] for e in produced} == {str(school.public_id)}


def test_a_confirmation_with_a_gap_says_so_on_its_face(client, la_officer, school, setting):
    record(
        setting,
        la_officer,
        check_type="scr_enhanced_dbs_barred",
        expires_on=TODAY - timedelta(days=1),
        seen_on=TODAY - timedelta(days=370),
    )
    client.force_login(la_officer)
    page = client.get(confirmation_url(setting, school)).content.decode()
    assert "Not a full confirmation" in page
    assert "Single central record: enhanced DBS with barred list check (Expired)" in page
    assert "Designated safeguarding lead and deputy, named and trained (Missing)" in page
    pdf = client.get(confirmation_url(setting, school, pdf=True))
    assert pdf.content.startswith(b"%PDF")


def test_a_school_gets_a_confirmation_for_itself_only(client, borough, other_school):  # noqa: F811
    provider = borough.children["a"].placements.get().provider
    client.force_login(borough.users["school"])
    assert client.get(confirmation_url(provider, other_school)).status_code == 404
    assert client.get(confirmation_url(provider, other_school, pdf=True)).status_code == 404
    form = client.get(
        reverse("check_confirmation_new", args=[provider.public_id]), {"commissioner": other_school.public_id}
    )
    assert form.status_code == 200
    assert "Select a valid choice" in form.context["form"].errors["commissioner"][0]
    assert not AuditEvent.objects.filter(action=AuditAction.CHECK_CONFIRMATION_PRODUCED).exists()


@pytest.mark.parametrize("role", ROLES)
def test_who_produces_a_confirmation_for_the_la(client, borough, role):  # noqa: F811
    provider = borough.children["a"].placements.get().provider
    la = borough.users["la"].primary_organisation
    client.force_login(borough.users[role])
    for pdf in (False, True):
        response = client.get(confirmation_url(provider, la, pdf=pdf))
        assert (response.status_code == 200) == (role in {"la", "provider"})
        if response.status_code == 200:
            assert response.content.startswith(b"%PDF") == pdf
        else:
            assert response.status_code in REFUSED
    produced = AuditEvent.objects.filter(action=AuditAction.CHECK_CONFIRMATION_PRODUCED).count()
    assert produced == (2 if role in {"la", "provider"} else 0)


# Query counts ----------------------------------------------------------------------------------------------------------


def test_the_check_pages_cost_the_same_queries_with_more_checks(client, la_officer, area):
    from tests.test_query_counts import queries_for

    providers = [ProviderFactory(organisation__area=area) for _ in range(2)]
    client.force_login(la_officer)

    def grow(n):
        for provider in providers:
            for code in list(code_set("provider_check_type"))[:n]:
                record(provider, la_officer, check_type=code, seen_on=TODAY - timedelta(days=360))

    grow(2)
    pages = [
        reverse("checks_expiring"),
        checks_url(providers[0]),
        providers[0].get_absolute_url(),
        reverse("provider_list"),
        confirmation_url(providers[0], la_officer.primary_organisation),
    ]
    few = [queries_for(client, url) for url in pages]
    grow(12)
    providers.append(ProviderFactory(organisation__area=area))
    grow(20)
    assert [queries_for(client, url) for url in pages] == few


# The demo --------------------------------------------------------------------------------------------------------------


def test_the_demo_has_checks_for_every_provider_some_expiring_some_expired_and_one_provider_with_gaps(client):
    from core.models import User
    from demo.borough import borough_build
    from providers.models import Provider

    summary = borough_build(children=300, seed=2026, attendance=False)
    assert summary["provider_checks"] == ProviderCheck.objects.count()
    for check in ProviderCheck.objects.all():
        check.full_clean()
    statuses = {}
    for provider in Provider.objects.select_related("organisation__area"):
        statuses[provider.pk] = {line.status for line in provider_compliance(provider=provider, today=TODAY)}
    assert all(ProviderCheck.objects.filter(provider_id=pk).exists() for pk in statuses)
    everything = set().union(*statuses.values())
    assert {CheckStatus.EXPIRED, CheckStatus.EXPIRING, CheckStatus.CONCERNS, CheckStatus.VALID} <= everything
    assert CheckStatus.NOT_APPLICABLE in everything
    with_gaps = [pk for pk, found in statuses.items() if CheckStatus.MISSING in found]
    assert len(with_gaps) == 1

    client.force_login(User.objects.get(username="la-officer"))
    listed = client.get(reverse("checks_expiring")).content.decode()
    assert "Insurance: public liability" in listed
    assert "First aid" in listed
    assert "expired or expiring" in client.get(reverse("provider_list")).content.decode()
    # The dashboard's providers panel counts the checks the list shows.
    panel = {row["flag"].key: row["count"] for row in client.get("/").context["provider_attention"]}
    assert panel["checks-expiring"] == len(client.get(reverse("checks_expiring")).context["rows"]) > 0

    manager = User.objects.get(username="provider-manager")
    own = manager.primary_organisation.provider
    client.force_login(manager)
    page = client.get(checks_url(own)).content.decode()
    assert f"Recorded by {own.name}" in page
    assert "Record a check" in page


def test_the_providers_own_staff_are_told_on_their_dashboard_when_its_checks_run_out(client, la_officer, setting):
    from core.models import Membership
    from tests.factories import member_of

    manager = member_of(setting.organisation, Membership.Role.OFFICE_MANAGER)
    record(setting, la_officer, "first_aid", seen_on=TODAY - timedelta(days=400), expires_on=TODAY - timedelta(days=1))
    record(
        setting, la_officer, "fire_safety", seen_on=TODAY - timedelta(days=300), expires_on=TODAY + timedelta(days=10)
    )
    record(setting, la_officer, "insurance_employers_liability")  # a year to run: not listed
    client.force_login(manager)
    page = client.get("/").content.decode()
    assert "2 of Back Lane Workshop's safeguarding and compliance checks expired or expiring" in page
    assert checks_url(setting) in page
    client.force_login(la_officer)
    assert "Back Lane Workshop's safeguarding" not in client.get("/").content.decode()
