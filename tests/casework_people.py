"""Everyone around one child, for the casework pages' tests of who may see and do what."""

from dataclasses import dataclass

from core.models import Membership, OrganisationKind, User
from inspection.models import TrackedChild
from tests.factories import (
    AreaFactory,
    InspectionFactory,
    InvolvementFactory,
    OrganisationFactory,
    ProviderFactory,
    member_of,
)


@dataclass
class People:
    la_officer: User
    other_la: User
    commissioning_school: User
    other_school: User
    provider: User  # of the placement, or the provider a decision names
    other_provider: User
    health_involved: User
    health_not_involved: User
    social_worker_involved: User
    social_worker_not_involved: User
    virtual_school: User
    inspector: User


def people_around(*, child, la_officer, school, provider_organisation, looked_after: bool = True) -> People:
    """The LA, schools, settings, practitioners with and without an involvement, the virtual school and an
    inspector whose inspection tracks the child. The child is looked after by the area, so the virtual
    school sees them."""
    area = child.area
    if looked_after:
        child.looked_after = True
        child.looked_after_by = area
        child.save()
    elsewhere = AreaFactory(name="Halton", la_code="876", ons_code="E06000006")
    halton = OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY, area=elsewhere, urn="", name="Halton BC")
    health = OrganisationFactory(kind=OrganisationKind.HEALTH, area=area, urn="", name="CAMHS North")
    care = OrganisationFactory(kind=OrganisationKind.SOCIAL_CARE, area=area, urn="", name="Children's services")
    health_involved = member_of(health, Membership.Role.PRACTITIONER, username="camhs")
    social_worker = member_of(care, Membership.Role.SOCIAL_WORKER, username="socialworker")
    InvolvementFactory(child=child, organisation=health, user=health_involved)
    InvolvementFactory(child=child, organisation=care, user=social_worker, role="social_worker")
    inspector = member_of(
        OrganisationFactory(kind=OrganisationKind.INSPECTORATE, urn="", area=area), Membership.Role.INSPECTOR
    )
    inspection = InspectionFactory(area=area, created_by=la_officer)
    inspection.inspectors.add(inspector)
    TrackedChild.objects.create(
        inspection=inspection, child=child, pseudonym=inspection.pseudonym(child.public_id), selected_by=la_officer
    )
    return People(
        la_officer=la_officer,
        other_la=member_of(halton, Membership.Role.AP_OFFICER, username="halton"),
        commissioning_school=member_of(school, Membership.Role.DESIGNATED_LEAD, username="schoollead"),
        other_school=member_of(
            OrganisationFactory(name="Bridgewater Academy", area=area), Membership.Role.SENCO, username="otherschool"
        ),
        provider=member_of(provider_organisation, Membership.Role.OFFICE_MANAGER, username="setting"),
        other_provider=member_of(
            ProviderFactory(organisation__area=area, organisation__name="Kestrel Tuition").organisation,
            Membership.Role.OFFICE_MANAGER,
            username="othersetting",
        ),
        health_involved=health_involved,
        health_not_involved=member_of(health, Membership.Role.PRACTITIONER, username="camhs2"),
        social_worker_involved=social_worker,
        social_worker_not_involved=member_of(care, Membership.Role.SOCIAL_WORKER, username="socialworker2"),
        virtual_school=member_of(
            OrganisationFactory(kind=OrganisationKind.VIRTUAL_SCHOOL, area=area, urn="", name="Virtual school"),
            Membership.Role.VIRTUAL_SCHOOL_HEAD,
            username="vsh",
        ),
        inspector=inspector,
    )
