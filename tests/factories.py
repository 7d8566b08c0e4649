"""factory_boy factories: the smallest valid record of each kind."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from casework.models import EndReason, PlacementExit, ReintegrationAttempt
from casework.services.next_reviews import next_reviews_refresh
from children.models import Child, EhcPlanStatus, Exclusion, Involvement
from children.upn import check_letter
from core.models import Area, Membership, Organisation, OrganisationKind, User
from placements.models import (
    AttendancePattern,
    MainRoll,
    Placement,
    ProvisionType,
    RegistrationType,
)
from placements.rules import commissioner_type_of
from providers.models import ApprovalModel, ApprovalStatus, Provider, ProviderApproval, Registration

PASSWORD = "correct-horse-battery"


def valid_upn(serial: int) -> str:
    body = f"877{serial % 10000:04d}26{serial // 10000 % 1000:03d}"
    return check_letter(body) + body


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("la_code",)

    name = "Warrington"
    la_code = "877"
    ons_code = "E06000007"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.SCHOOL
    area = factory.SubFactory(AreaFactory)
    urn = factory.Sequence(lambda n: f"{100000 + n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Sam"
    last_name = "Taylor"
    password = factory.django.Password(PASSWORD)


def member_of(organisation: Organisation, role=Membership.Role.PRACTITIONER, **user_fields) -> User:
    """A user who acts for one organisation."""
    user = UserFactory(**user_fields)
    Membership.objects.create(
        user=user,
        organisation=organisation,
        role=role,
        first_name_entered=user.first_name,
        last_name_entered=user.last_name,
        email_entered=user.email,
    )
    return user


class ProviderApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderApproval

    status = ApprovalStatus.APPROVED
    approval_model = ApprovalModel.LA_VERIFIED
    reason = "Safeguarding, health and safety and the quality of education seen at a visit"
    decided_on = factory.LazyFunction(lambda: date.today() - timedelta(days=60))
    decided_by = factory.SubFactory(UserFactory)


class ProviderFactory(factory.django.DjangoModelFactory):
    """A provider the area has approved; `ProviderFactory(approval=None)` for one it has not decided on, or
    `approval__status=...` for another decision."""

    class Meta:
        model = Provider
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.AP_PROVIDER)
    registration = Registration.STATE_MAINTAINED
    gias_establishment_type = "14"
    offers_full_time = True
    offers_part_time = True
    min_age = 11
    max_age = 16
    capacity = 40
    address = "1 High Street, Warrington"
    postcode = "WA1 1AA"
    location_la = "877"
    approval = factory.RelatedFactory(ProviderApprovalFactory, factory_related_name="provider")


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    area = factory.SubFactory(AreaFactory)
    upn = factory.Sequence(valid_upn)
    first_name = factory.Sequence(lambda n: f"Alex{n}")
    last_name = factory.Sequence(lambda n: f"Morgan{n}")
    date_of_birth = factory.LazyFunction(lambda: date.today() - timedelta(days=14 * 365))
    gender = "M"
    ethnicity = "WBRI"
    sen_provision = "K"
    sen_primary_need = "SEMH"
    ehc_plan_status = EhcPlanStatus.NONE
    home_school = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.SCHOOL)


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement
        skip_postgeneration_save = True

    child = factory.SubFactory(ChildFactory)
    provider = factory.SubFactory(ProviderFactory)
    provision_type = ProvisionType.PRU_OR_AP_ACADEMY
    commissioner = factory.LazyAttribute(lambda p: p.child.home_school)
    commissioner_type = factory.LazyAttribute(lambda p: commissioner_type_of(p.commissioner))
    reason = "sa_behaviour"
    start_date = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    attendance_pattern = AttendancePattern.PART_TIME
    hours_per_week = Decimal("15.0")
    registration_type = RegistrationType.DUAL
    main_roll = MainRoll.HOME_SCHOOL
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def next_review(placement, create, extracted, **kwargs):
        """What the services do when they write a placement: work out when its next review falls due.

        `next_review=False` for a migration test, whose database is at a state from before next reviews."""
        if create and extracted is not False:
            next_reviews_refresh(placement_ids=[placement.pk])


def old_placement(old_apps, **overrides) -> int:
    """A placement written at an older state of the database (a migration test's), whose table still has the
    fields that moved to casework's exits (placements 0011): today's factory's values, and those left empty.
    Returns its id."""
    built = PlacementFactory.build(
        child=ChildFactory(), provider=ProviderFactory(), created_by=UserFactory(), **overrides
    )
    old = old_apps.get_model("placements", "Placement")
    had = {f.attname for f in old._meta.concrete_fields if not f.primary_key}
    values = {f.attname: getattr(built, f.attname) for f in Placement._meta.concrete_fields if f.attname in had}
    values |= {"end_reason": "", "destination_type": "", "destination_post16_activity": ""}
    return old.objects.create(**values).pk


class PlacementExitFactory(factory.django.DjangoModelFactory):
    """How an ended placement ended (casework.PlacementExit): give the placement, with its end date."""

    class Meta:
        model = PlacementExit

    placement = factory.SubFactory(PlacementFactory, end_date=factory.LazyFunction(lambda: date.today()))
    reason = EndReason.COMPLETED
    destination = "home_school"
    transition_plan = "Two visits to the school with the key worker; mornings first"
    support_name = "Sam Okafor"
    support_role = "Key worker"
    support_organisation = "The AP setting"
    recorded_by = factory.SubFactory(UserFactory)


class ReintegrationAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReintegrationAttempt

    child = factory.SubFactory(ChildFactory)
    school = factory.LazyAttribute(lambda a: a.child.home_school)
    returned_on = factory.LazyFunction(lambda: date.today() - timedelta(days=60))
    support = "A key adult each morning"
    recorded_by = factory.SubFactory(UserFactory)


class InvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Involvement

    child = factory.SubFactory(ChildFactory)
    organisation = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.HEALTH, urn="")
    person_name = "Jo Practitioner"
    role = Involvement.Role.CAMHS
    started_on = factory.LazyFunction(lambda: date.today() - timedelta(days=60))


class ExclusionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exclusion

    child = factory.SubFactory(ChildFactory)
    school = factory.LazyAttribute(lambda e: e.child.home_school)
    category = "FIXD"
    start_date = factory.LazyFunction(lambda: date.today() - timedelta(days=20))
    sessions = 4
    reason = "DB"
    recorded_by = factory.SubFactory(UserFactory)


class PersonalisedPlanFactory(factory.django.DjangoModelFactory):
    """A complete plan for a placement, with one objective (objectives=0 for none)."""

    class Meta:
        model = "casework.PersonalisedPlan"
        skip_postgeneration_save = True

    placement = factory.SubFactory(
        PlacementFactory, planned_end_date=factory.LazyFunction(lambda: date.today() + timedelta(days=120))
    )
    intervention = "Small-group teaching in English and maths; a key worker; weekly mentoring"
    intervention_timeline = (
        "Two weeks settling in; hours built up to full time by half term; return planned from week 10"
    )
    reintegration_plan = "Phased return to the home school"
    family_told_on = factory.LazyAttribute(lambda p: p.placement.start_date)
    family_told_why = "To help with behaviour and anxiety in large groups, so the child can go back to school"
    family_told_start = "On the placement's first day, with a visit the week before"
    family_told_length = "Until the planned end, reviewed every half term"
    family_told_who_where = "The setting's teachers, at its site; transport arranged by the LA"
    family_told_review = "A review meeting with the family each half term, the first after six weeks"
    baseline_needs = "SEMH: anxiety in large groups; dysregulated after break times"
    baseline_triggers = "Crowded corridors; being asked to read aloud"
    baseline_what_works = "A calm start with a key adult; choices offered, not demands"
    baseline_attainment = "Reading age 10y 2m (September); working at grade 2 in maths"
    agreed_on = factory.LazyAttribute(lambda p: p.placement.start_date)
    agreed_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def objectives(self, create, extracted, **kwargs):
        if create and extracted != 0:
            for _ in range(extracted or 1):
                PlanObjectiveFactory(plan=self)


class PlanObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "casework.PlanObjective"

    plan = factory.SubFactory(PersonalisedPlanFactory, objectives=0)
    position = factory.Sequence(lambda n: n + 1)
    description = "Attend every timetabled session and return to school"
    measure = "Attendance and the six-weekly review"
    baseline = "62% attendance in the half term before the placement"
    target_date = factory.LazyAttribute(lambda o: o.plan.placement.planned_end_date)


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral sent by the child's home school, with every part a panel needs."""

    class Meta:
        model = "casework.Referral"

    child = factory.SubFactory(ChildFactory)
    referrer = factory.LazyAttribute(lambda r: r.child.home_school)
    status = "sent"
    reason = "at_risk_of_exclusion"
    needs = "Struggles in large groups; dysregulated after break times"
    tried_in_school = "Pastoral mentor twice a week since September (Head of Year 9); reduced timetable for two weeks"
    risk_and_safeguarding = "Known to early help; no current child protection plan"
    child_views = "Wants a smaller place where staff listen"
    child_views_gathered = "in_person"
    family_views = "Mum wants a fresh start and help with anxiety"
    family_views_gathered = "in_person"
    family_consented_on = factory.LazyFunction(lambda: date.today() - timedelta(days=3))
    created_by = factory.SubFactory(UserFactory)
    sent_by = factory.LazyAttribute(lambda r: r.created_by)
    sent_at = factory.LazyFunction(timezone.now)


class PanelKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "casework.PanelKind"
        django_get_or_create = ("area", "name")

    area = factory.SubFactory(AreaFactory)
    name = "Fair access panel"


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "casework.Panel"

    area = factory.SubFactory(AreaFactory)
    kind = factory.LazyAttribute(lambda p: PanelKindFactory(area=p.area))
    meets_on = factory.LazyFunction(date.today)
    created_by = factory.SubFactory(UserFactory)


class PanelMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "casework.PanelMember"

    panel = factory.SubFactory(PanelFactory)
    person_name = factory.Sequence(lambda n: f"Panel member {n}")
    organisation = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.LOCAL_AUTHORITY, urn="")
    sector = "education"


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "casework.Decision"

    referral = factory.SubFactory(ReferralFactory, status="decided")
    panel = factory.LazyAttribute(lambda d: PanelFactory(area=d.referral.child.area))
    outcome = "ap_placement"
    provider = factory.SubFactory(ProviderFactory)
    rationale = "A small setting with SEMH expertise, close to home"
    decided_by = factory.SubFactory(UserFactory)


class InspectionFactory(factory.django.DjangoModelFactory):
    """Notified today; the visit the week after next."""

    class Meta:
        model = "inspection.Inspection"

    notified_on = factory.LazyFunction(date.today)
    visit_starts_on = factory.LazyAttribute(lambda i: i.notified_on + timedelta(days=10))
    visit_ends_on = factory.LazyAttribute(lambda i: i.visit_starts_on + timedelta(days=4))
    lead_inspector = "Jo"
