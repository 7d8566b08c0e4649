"""The provider directory: the LA keeps it, with the registration rules of the AP census."""

import pytest
from django.urls import reverse

from core.models import AuditAction, AuditEvent
from providers.models import Provider
from tests.factories import AreaFactory, OrganisationFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def provider_data(**overrides):
    data = {
        "name": "Northgate Pupil Referral Unit",
        "registration": "state_maintained",
        "urn": "135790",
        "gias_establishment_type": "14",
        "ukprn": "",
        "ap_setting_type": "",
        "offers": ["offers_full_time", "offers_outreach"],
        "specialisms": ["semh"],
        "min_age": "11",
        "max_age": "16",
        "capacity": "60",
        "address": "1 Dallam Lane, Warrington",
        "postcode": "wa2 7nq",
        "location_la": "877",
    }
    data.update(overrides)
    return data


def test_la_officer_adds_a_provider(client, la_officer):
    client.force_login(la_officer)
    response = client.post(reverse("provider_new"), provider_data())
    assert response.status_code == 302
    provider = Provider.objects.get()
    assert (provider.name, provider.organisation.urn, provider.postcode) == (
        "Northgate Pupil Referral Unit",
        "135790",
        "WA2 7NQ",
    )
    assert provider.offers_outreach
    assert not provider.offers_home_tuition
    assert provider.in_area
    assert AuditEvent.objects.filter(action=AuditAction.PROVIDER_CREATED, object_id=provider.public_id).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"urn": ""}, "urn", "Enter the setting's URN"),
        ({"urn": "12ab"}, "urn", "A URN is 6 digits"),
        ({"gias_establishment_type": ""}, "gias_establishment_type", "establishment type"),
        (
            {"registration": "independent_unregistered", "urn": "", "gias_establishment_type": ""},
            "ap_setting_type",
            "AP setting type",
        ),
        ({"registration": "independent_unregistered", "ap_setting_type": "OOT"}, "urn", "has no URN"),
        ({"min_age": "16", "max_age": "11"}, "max_age", "oldest age must be"),
        ({"postcode": "NOT A CODE"}, "postcode", "real postcode"),
        ({"offers": []}, "offers", "at least one"),
        ({"location_la": "999"}, "location_la", "Select a valid choice"),
    ],
)
def test_bad_provider_input_names_the_field_and_saves_nothing(client, la_officer, overrides, field, words):
    client.force_login(la_officer)
    response = client.post(reverse("provider_new"), provider_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(words in e for e in errors.get(field, [])), errors
    assert not Provider.objects.exists()


def test_a_school_cannot_change_the_directory(client, school_lead, area):
    provider = ProviderFactory(organisation__area=area)
    client.force_login(school_lead)
    assert client.post(reverse("provider_new"), provider_data()).status_code == 404
    assert client.post(reverse("provider_edit", args=[provider.public_id]), provider_data()).status_code == 404
    assert Provider.objects.count() == 1


def test_editing_a_provider_keeps_its_history(client, la_officer, area):
    provider = ProviderFactory(organisation__area=area, capacity=40)
    client.force_login(la_officer)
    form = client.get(reverse("provider_edit", args=[provider.public_id])).context["form"]
    assert form.initial["capacity"] == 40
    data = provider_data(name=provider.name, urn=provider.organisation.urn, capacity="55")
    assert client.post(reverse("provider_edit", args=[provider.public_id]), data).status_code == 302
    provider.refresh_from_db()
    assert provider.capacity == 55
    assert provider.history.latest().history_user == la_officer


def test_each_new_provider_gets_the_next_area_reference(area):
    first, second = ProviderFactory(organisation__area=area), ProviderFactory(organisation__area=area)
    assert (first.area_reference, second.area_reference) == (f"AP-{area.la_code}-001", f"AP-{area.la_code}-002")
    second.capacity += 1
    second.save()
    assert Provider.objects.get(pk=second.pk).area_reference == f"AP-{area.la_code}-002", "a save keeps it"


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_every_existing_provider_an_area_reference():
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    # Through the command, so that SQLite's triggers are set aside while tables are rebuilt (core.sqlite_triggers).
    call_command("migrate", "providers", "0001_initial", verbosity=0)
    old = MigrationExecutor(connection).loader.project_state([("providers", "0001_initial")]).apps
    # Areas and organisations are today's tables: only the providers' go back.
    area = AreaFactory(name="Warrington", la_code="877", ons_code="E06000007")
    for name in ("Zephyr Tuition", "Acorn Learning"):
        organisation = OrganisationFactory(name=name, kind="ap_provider", area=area)
        old.get_model("providers", "Provider").objects.create(
            organisation_id=organisation.pk, registration="independent_unregistered", min_age=11, max_age=16,
            capacity=10, address="1 High Street", postcode="WA1 1AA", location_la="877",
        )  # fmt: skip
    call_command("migrate", verbosity=0)
    references = dict(Provider.objects.values_list("organisation__name", "area_reference"))
    assert references == {"Acorn Learning": "AP-877-001", "Zephyr Tuition": "AP-877-002"}
