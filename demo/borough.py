"""A synthetic borough for demonstrations, trials and benchmarks.

`borough_build` wipes the project's tables and fills them with one local area: its
schools, partners, AP providers, children whose mix resembles England's AP population,
two years of placements with their commissioning agreements (most, not all), practitioners'
involvements, suspensions and exclusions, and one user of each kind.

Everything random comes from one `random.Random(seed)`, one seeded Faker and (for the
casework in `demo.casework`) generators of its own seeded from the same seed, so the same
seed gives the same borough (including public ids, so links stay stable between runs).
Children, placements, involvements and casework are bulk-inserted: no per-row history or signals,
which is right for generated data and keeps 5,000 children well inside a minute.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from attendance.alerts import alerts_raise
from children.models import Child, EhcPlanStatus, Exclusion, Involvement, age_on
from children.services import child_create
from children.upn import check_letter
from core.access import children_visible_to
from core.codes import code_set
from core.models import Area, Membership, Organisation, OrganisationKind, User
from demo.attendance import alert_correct_one, home_school_marks_build, marks_build, timetable_for
from demo.casework import ChildInAp, agreements_build, exclusions_build
from demo.inspection import inspection_demo_build
from placements.models import (
    AttendancePattern,
    CommissioningAgreement,
    DestinationType,
    EndReason,
    MainRoll,
    Placement,
    ProvisionType,
    RegistrationType,
)
from placements.rules import commissioner_type_of
from providers.models import Provider, Registration, Specialism
from terms.calendar import academic_year_of, last_school_day
from terms.demo import standard_terms, trust_inset_days
from terms.models import Calendar, Closure, SettingCalendar, Term

DEMO_PASSWORD = "ap-oversight-demo"  # noqa: S105 - a published demo password, on synthetic data only

HOME_LA = "877"  # Warrington
# Areas whose children some of ours are looked after by (placed here by them).
OTHER_LAS = ["876", "896"]  # Halton, Cheshire West and Chester
# Postcode districts, so addresses look as if they are where the LA code says.
POSTCODE_DISTRICTS = {
    "877": ["WA1", "WA2", "WA3", "WA4", "WA5"],
    "876": ["WA7", "WA8"],
    "342": ["WA9", "WA10", "WA11"],
    "359": ["WN1", "WN2", "WN3", "WN5"],
    "358": ["M32", "M33", "M41"],
    "896": ["CH1", "CH2", "CW7", "CW8"],
    "895": ["CW1", "CW2", "SK11"],
}
STREET_SUFFIXES = ["Road", "Street", "Lane", "Avenue", "Close", "Drive", "Way", "Crescent", "Grove", "Terrace"]


# --- weights -----------------------------------------------------------------------

# Age today, peaking at 14-15 as the AP census does.
AGE_WEIGHTS = {5: 1, 6: 1, 7: 1.5, 8: 2, 9: 2.5, 10: 3, 11: 5, 12: 8, 13: 13, 14: 20, 15: 22, 16: 10}
# Ethnicity, weighted to White British; Gypsy/Roma, Irish Traveller and White and Black
# Caribbean pupils are over-represented in AP, as in the national figures.
ETHNICITY_WEIGHTS = {
    "WBRI": 70, "WOTH": 4.5, "WIRI": 0.5, "WIRT": 1, "WROM": 1.2, "MWBC": 4, "MWBA": 1, "MWAS": 1.5,
    "MOTH": 2, "AIND": 1.2, "APKN": 1.8, "ABAN": 0.5, "AOTH": 0.8, "CHNE": 0.3, "BCRB": 2, "BAFR": 2.5,
    "BOTH": 0.8, "OOTH": 1.2, "REFU": 0.6, "NOBT": 0.6,
}  # fmt: skip
PRIMARY_NEED_WEIGHTS = {
    "SEMH": 56, "ASD": 15, "SLCN": 7, "MLD": 7, "SPLD": 5, "OTH": 3, "NSA": 3, "PD": 1, "HI": 1, "VI": 0.5,
    "SLD": 0.5, "MSI": 0.2,
}  # fmt: skip
HEALTH_NEEDS = [
    "Anxiety; under CAMHS",
    "Low mood and anxiety",
    "Eating disorder; under CAMHS",
    "Self-harm; safety plan in place",
    "Type 1 diabetes",
    "Epilepsy; rescue medication in school",
    "Chronic fatigue syndrome",
    "ADHD; medication at lunchtime",
    "Asthma",
    "Long-term recovery from surgery",
    "Tic disorder",
    "Crohn's disease",
]
POST16_WEIGHTS = {
    "230": 38, "220": 3, "250": 5, "280": 5, "310": 7, "340": 3, "330": 2, "530": 8, "610": 8, "619": 10,
    "640": 2, "810": 6, "820": 1, "830": 2,
}  # fmt: skip
NEET_POST16_GROUPS = {"NEET"}


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()), k=1)[0]


# --- the providers: one row each, the shape of a real area's AP market ------------------

SM, IR, IU = Registration.STATE_MAINTAINED, Registration.INDEPENDENT_REGISTERED, Registration.INDEPENDENT_UNREGISTERED
PRU, IAP, TUITION, ONLINE, OUTREACH = (
    ProvisionType.PRU_OR_AP_ACADEMY,
    ProvisionType.INDEPENDENT_AP,
    ProvisionType.HOME_OR_HOSPITAL_TUITION,
    ProvisionType.ONLINE,
    ProvisionType.OUTREACH,
)
S = Specialism


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    registration: str
    gias: str  # GIAS establishment type, for a setting with a URN
    setting: str  # AP census setting type, for one without
    provision: str
    offers: tuple[str, ...]  # ft pt outreach online home hospital health
    specialisms: tuple[str, ...]
    ages: tuple[int, int]
    capacity: int
    la: str | None = None  # None: in the area
    residential: bool = False
    pex: bool = False  # takes permanently excluded pupils on its roll


PROVIDERS = [
    ProviderSpec("Northgate Pupil Referral Unit", SM, "14", "", PRU, ("ft", "pt", "outreach"), (S.EXCLUDED, S.SEMH), (11, 16), 90, pex=True),
    ProviderSpec("Oakfield Primary Pupil Referral Unit", SM, "14", "", PRU, ("ft", "pt", "outreach"), (S.SEMH, S.EARLY_INTERVENTION), (5, 11), 24, pex=True),
    ProviderSpec("The Bridge Alternative Provision Academy", SM, "43", "", PRU, ("ft", "pt"), (S.EXCLUDED, S.SEMH), (11, 16), 60, pex=True),
    ProviderSpec("Horizon Academy", SM, "42", "", PRU, ("ft", "pt", "outreach"), (S.SEMH, S.EBSA), (11, 16), 50, pex=True),
    ProviderSpec("Pathways Free School", SM, "38", "", PRU, ("ft",), (S.SEMH, S.VOCATIONAL), (14, 16), 40, pex=True),
    ProviderSpec("{area} Hospital and Home Education Service", SM, "14", "", TUITION, ("pt", "online", "home", "hospital"), (S.MEDICAL, S.EBSA), (5, 16), 40),
    ProviderSpec("Phoenix House School", IR, "11", "", IAP, ("ft", "pt"), (S.SEMH,), (11, 16), 30, pex=True),
    ProviderSpec("Willow Tree School", IR, "10", "", IAP, ("ft",), (S.AUTISM, S.SEMH), (7, 16), 25),
    ProviderSpec("Riverside Learning Centre", IR, "11", "", IAP, ("ft", "pt"), (S.SEMH, S.VOCATIONAL), (13, 16), 35),
    ProviderSpec("Brightpath Tuition", IU, "", "OOT", TUITION, ("pt", "online", "home"), (S.EBSA, S.MEDICAL), (5, 16), 40),
    ProviderSpec("Kestrel Home Tuition", IU, "", "OOT", TUITION, ("pt", "home"), (S.EBSA, S.AUTISM), (7, 16), 25),
    ProviderSpec("Forge Motor Skills", IU, "", "WBP", IAP, ("pt",), (S.VOCATIONAL,), (14, 16), 20),
    ProviderSpec("Mersey Vale College Engagement Programme", IU, "", "NFE", IAP, ("pt",), (S.VOCATIONAL,), (14, 16), 30),
    ProviderSpec("Second Chance Boxing Academy", IU, "", "OTH", IAP, ("pt",), (S.SEMH, S.EARLY_INTERVENTION), (11, 16), 20),
    ProviderSpec("Thrive Wellbeing Outreach", IU, "", "OTH", OUTREACH, ("pt", "outreach", "health"), (S.SEMH, S.EBSA, S.MEDICAL), (5, 16), 40),
    ProviderSpec("Bridges Behaviour Outreach", IU, "", "OTH", OUTREACH, ("pt", "outreach"), (S.EARLY_INTERVENTION, S.SEMH), (5, 16), 60),
    ProviderSpec("Autism Outreach Partnership", IU, "", "OTH", OUTREACH, ("pt", "outreach"), (S.AUTISM,), (5, 16), 30),
    ProviderSpec("Kindred Online Tutors", IU, "", "OTH", ONLINE, ("pt", "online"), (S.EBSA,), (11, 16), 60),
    ProviderSpec("Lumen Online School", IR, "49", "", ONLINE, ("ft", "pt", "online"), (S.EBSA, S.MEDICAL), (11, 16), 120, la="358"),
    ProviderSpec("Meadowbank Farm Learning", IU, "", "OTH", IAP, ("pt",), (S.SEMH, S.VOCATIONAL), (11, 16), 16, la="896"),
    ProviderSpec("Acorn Park School", IR, "10", "", IAP, ("ft",), (S.AUTISM, S.SEMH), (8, 18), 30, la="895", residential=True),
    ProviderSpec("Pennine Ridge School", IR, "11", "", IAP, ("ft",), (S.SEMH, S.EXCLUDED), (11, 17), 24, la="359", residential=True, pex=True),
    ProviderSpec("Haydock Lane Pupil Referral Unit", SM, "14", "", PRU, ("ft", "pt"), (S.EXCLUDED, S.SEMH), (11, 16), 45, la="342", pex=True),
    ProviderSpec("New Horizons Independent School", IR, "11", "", IAP, ("ft", "pt"), (S.SEMH, S.VOCATIONAL), (11, 16), 35, la="876"),
]  # fmt: skip
OFFER_FIELDS = {
    "ft": "offers_full_time",
    "pt": "offers_part_time",
    "outreach": "offers_outreach",
    "online": "offers_online",
    "home": "offers_home_tuition",
    "hospital": "offers_hospital_tuition",
    "health": "offers_health_service",
}

SCHOOL_STEMS = [
    "Birchwood", "Kingsmead", "Westbrook", "Ashworth", "Fairfield", "Hollins Park", "Oakwood", "Brookvale",
    "Priory Fields", "Lingley", "Thelwall", "Marsh Lane", "Cranford", "Woolston", "Greenacres", "Stockton Heath",
]  # fmt: skip
SAINTS = ["Gregory", "Bede", "Aidan", "Joseph", "Margaret", "Chad"]
TRUST_NAMES = ["Mersey Vale Learning Trust", "Northern Lights Academy Trust"]


# --- small helpers -----------------------------------------------------------------


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _hours(value: float) -> Decimal:
    return Decimal(str(value))


@dataclass
class _SchoolInfo:
    org: Organisation
    phase: str  # primary / secondary
    estab: int  # DfE establishment number, for UPNs
    popularity: float


@dataclass
class _ProviderInfo:
    spec: ProviderSpec
    provider: Provider


# What each provider is commissioned for, by the reason's category; autism adds to "mental".
PROVIDER_USE = {
    "Northgate Pupil Referral Unit": {"pex": 5, "behaviour": 4},
    "Oakfield Primary Pupil Referral Unit": {"pex": 5, "behaviour": 4},
    "The Bridge Alternative Provision Academy": {"pex": 4, "behaviour": 3},
    "Horizon Academy": {"pex": 1, "behaviour": 2, "mental": 2},
    "Pathways Free School": {"pex": 2, "behaviour": 2},
    "{area} Hospital and Home Education Service": {"mental": 4, "physical": 6},
    "Phoenix House School": {"pex": 1.5, "behaviour": 2},
    "Willow Tree School": {"mental": 0.5, "autism": 4},
    "Riverside Learning Centre": {"pex": 0.5, "behaviour": 1.5},
    "Brightpath Tuition": {"mental": 2.5, "physical": 2, "autism": 1},
    "Kestrel Home Tuition": {"mental": 1.5, "physical": 1, "autism": 1.5},
    "Forge Motor Skills": {"behaviour": 1.5},
    "Mersey Vale College Engagement Programme": {"behaviour": 1.5},
    "Second Chance Boxing Academy": {"behaviour": 1.5},
    "Thrive Wellbeing Outreach": {"mental": 2, "behaviour": 1},
    "Bridges Behaviour Outreach": {"behaviour": 2.5},
    "Autism Outreach Partnership": {"autism": 3},
    "Kindred Online Tutors": {"mental": 1.5},
    "Lumen Online School": {"mental": 2, "physical": 1.5},
    "Meadowbank Farm Learning": {"mental": 0.5, "behaviour": 1},
    "Acorn Park School": {"autism": 1.5},
    "Pennine Ridge School": {"pex": 0.8, "behaviour": 0.5},
    "Haydock Lane Pupil Referral Unit": {"pex": 1},
    "New Horizons Independent School": {"pex": 0.8, "behaviour": 1},
}
REASON_CATEGORY = {
    "apc_pex": "pex",
    "apc_mental_health": "mental",
    "apc_physical_health": "physical",
    "sa_behaviour": "behaviour",
    "sa_suspension": "behaviour",
    "sa_pex_review": "behaviour",
    "sa_other": "behaviour",
    "sa_medical_mental": "mental",
    "sa_medical_physical": "physical",
}
SCHOOL_REASONS = {
    "sa_behaviour": 42, "sa_medical_mental": 20, "sa_suspension": 10, "sa_pex_review": 8, "sa_medical_physical": 5,
    "sa_other": 15,
}  # fmt: skip


@dataclass
class _Borough:
    rng: random.Random
    ids: random.Random
    fake: Faker
    today: date
    area: Area = None
    other_areas: list[Area] = field(default_factory=list)
    la: Organisation = None
    health: Organisation = None
    social_care: Organisation = None
    virtual_school: Organisation = None
    inspectorate: Organisation = None
    schools: list[_SchoolInfo] = field(default_factory=list)
    providers: list[_ProviderInfo] = field(default_factory=list)
    calendars: dict = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    used_urns: set[str] = field(default_factory=set)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.ids.getrandbits(128), version=4)

    def urn(self, low: int, high: int) -> str:
        while True:
            urn = str(self.rng.randint(low, high))
            if urn not in self.used_urns:
                self.used_urns.add(urn)
                return urn

    def address(self, la_code: str) -> tuple[str, str]:
        """A street address and a postcode in a district of the given LA."""
        town = code_set("la")[la_code].label
        street = f"{self.fake.building_number()} {self.fake.last_name()} {self.rng.choice(STREET_SUFFIXES)}"
        district = self.rng.choice(POSTCODE_DISTRICTS.get(la_code, POSTCODE_DISTRICTS[HOME_LA]))
        inward = self.fake.postcode().split()[-1]  # Faker's outward code may be anywhere in the UK
        return f"{street}, {town}", f"{district} {inward}"


# --- wiping ------------------------------------------------------------------------


def _project_models() -> list:
    """Every table the project owns (its apps, their history and through tables) plus sessions.

    Found rather than listed, so an app added next month is wiped too. Ordered so
    that a table is emptied before the tables it points at.
    """
    base = Path(settings.BASE_DIR).resolve()
    labels = set()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if base in path.parents and not ({".venv", "site-packages", "node_modules"} & set(path.parts)):
            labels.add(config.label)
    if apps.is_installed("django.contrib.sessions"):
        labels.add("sessions")
    models = sorted(
        (
            m
            for m in apps.get_models(include_auto_created=True)
            if m._meta.app_label in labels and m._meta.managed and not m._meta.proxy
        ),
        key=lambda m: m._meta.label,
    )
    # Edges: model -> models it points at (which must be emptied after it).
    points_at = {
        m: {f.related_model for f in m._meta.concrete_fields if f.is_relation and f.related_model is not m}
        for m in models
    }
    ordered, remaining = [], list(models)
    while remaining:
        pointed_at = {t for m in remaining for t in points_at[m]}
        ready = [m for m in remaining if m not in pointed_at] or remaining[:1]  # a cycle: break it
        ordered += ready
        remaining = [m for m in remaining if m not in ready]
    return ordered


def borough_wipe() -> None:
    """Empty every project table and restart its ids, so a rebuild gives the same rows."""
    models = _project_models()
    tables = [m._meta.db_table for m in models]
    existing = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            if table in existing:
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 - table names from the app registry
        if connection.vendor == "sqlite":
            if (
                "sqlite_sequence" in existing
                or cursor.execute("SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'").fetchone()
            ):
                placeholders = ",".join(["%s"] * len(tables))
                cursor.execute(f"DELETE FROM sqlite_sequence WHERE name IN ({placeholders})", tables)  # noqa: S608
        else:
            for statement in connection.ops.sequence_reset_sql(
                no_style(), [m for m in models if m._meta.db_table in existing]
            ):
                cursor.execute(statement)


# --- the area, its organisations and providers ---------------------------------------


def _create_area(b: _Borough, la_code: str) -> Area:
    row = code_set("la")[la_code]
    return Area.objects.create(name=row.label, la_code=la_code, ons_code=row.row["ons_code"])


# An out-of-area setting follows its own local authority's term dates; an AP academy its trust's INSET days.
OWN_LA_CALENDAR_PROVIDER = "Acorn Park School"
TRUST_CALENDAR_PROVIDER = "The Bridge Alternative Provision Academy"


def _create_calendar(b: _Borough) -> None:
    """Term dates from two academic years back to the current one: the area's default, and two others."""
    first = academic_year_of(b.today) - 2
    # Every area is given its default calendar when created; the same seed gives them the same ids.
    for calendar in Calendar.objects.filter(area__in=[b.area, *b.other_areas]).order_by("area__la_code"):
        Calendar.objects.filter(pk=calendar.pk).update(public_id=b.uuid())
    default = Calendar.objects.get(area=b.area, is_area_default=True)
    terms, closures = standard_terms(default, first_year=first, last_year=first + 2)
    acorn_la = code_set("la")[next(s.la for s in PROVIDERS if s.name == OWN_LA_CALENDAR_PROVIDER)].label
    b.calendars = {
        "own_la": Calendar.objects.create(public_id=b.uuid(), area=b.area, name=f"{acorn_la} term dates"),
        "trust": Calendar.objects.create(
            public_id=b.uuid(), area=b.area, name=f"{TRUST_NAMES[0]} INSET days", parent=default
        ),
    }
    own_terms, own_closures = standard_terms(
        b.calendars["own_la"], first_year=first, last_year=first + 2, half_terms_later_by=1
    )
    inset = trust_inset_days(b.calendars["trust"], first_year=first, last_year=first + 2)
    for item in [*terms, *closures, *own_terms, *own_closures, *inset]:
        item.public_id = b.uuid()
    Term.objects.bulk_create([*terms, *own_terms])
    Closure.objects.bulk_create([*closures, *own_closures, *inset])


def _link_calendars(b: _Borough) -> None:
    """The settings that follow a calendar other than the area's: one out-of-area provider, one AP academy and
    the academies of its trust."""
    organisations = {i.provider.organisation.name: i.provider.organisation for i in b.providers}
    links = [
        SettingCalendar(organisation=organisations[OWN_LA_CALENDAR_PROVIDER], calendar=b.calendars["own_la"]),
        SettingCalendar(organisation=organisations[TRUST_CALENDAR_PROVIDER], calendar=b.calendars["trust"]),
    ]
    links += [
        SettingCalendar(organisation=school, calendar=b.calendars["trust"])
        for school in Organisation.objects.filter(
            area=b.area, kind=OrganisationKind.SCHOOL, trust__name=TRUST_NAMES[0]
        ).order_by("name")
    ]
    SettingCalendar.objects.bulk_create(links)


def _create_org(b: _Borough, name: str, kind: str, *, urn: str = "", trust: Organisation | None = None) -> Organisation:
    return Organisation.objects.create(public_id=b.uuid(), name=name, kind=kind, area=b.area, urn=urn, trust=trust)


def _create_organisations(b: _Borough) -> None:
    name = b.area.name
    b.la = _create_org(b, f"{name} Borough Council", OrganisationKind.LOCAL_AUTHORITY)
    b.health = _create_org(b, f"{name} CAMHS", OrganisationKind.HEALTH)
    b.social_care = _create_org(b, f"{name} Children's Social Care", OrganisationKind.SOCIAL_CARE)
    b.virtual_school = _create_org(b, f"{name} Virtual School", OrganisationKind.VIRTUAL_SCHOOL)
    trusts = [_create_org(b, t, OrganisationKind.ACADEMY_TRUST) for t in TRUST_NAMES]

    stems = b.rng.sample(SCHOOL_STEMS, 12)
    saint = b.rng.choice(SAINTS)
    secondary_estabs = b.rng.sample(range(4000, 4800), 9)
    primary_estabs = b.rng.sample(range(2000, 3800), 3)
    # (name, phase, trust, academy?)
    plan = [
        (f"{stems[0]} Academy", "secondary", trusts[0], True),
        (f"{stems[1]} Academy", "secondary", trusts[0], True),
        (f"{stems[2]} High School", "secondary", trusts[0], True),
        (f"{stems[3]} Academy", "secondary", trusts[1], True),
        (f"{stems[4]} High School", "secondary", trusts[1], True),
        (f"St {saint}'s Catholic High School", "secondary", None, False),
        (f"{stems[5]} High School", "secondary", None, False),
        (f"{stems[6]} High School", "secondary", None, False),
        (f"{stems[7]} Community High School", "secondary", None, False),
        (f"{stems[8]} Community Primary School", "primary", None, False),
        (f"{stems[9]} CofE Primary School", "primary", None, False),
        (f"{stems[10]} Primary Academy", "primary", trusts[0], True),
    ]
    for index, (school_name, phase, trust, academy) in enumerate(plan):
        urn = b.urn(136000, 149999) if academy else b.urn(110000, 112999)
        org = _create_org(b, school_name, OrganisationKind.SCHOOL, urn=urn, trust=trust)
        estab = secondary_estabs[index] if phase == "secondary" else primary_estabs[index - 9]
        b.schools.append(_SchoolInfo(org=org, phase=phase, estab=estab, popularity=b.rng.uniform(0.6, 1.8)))
    # Where the LA adds inspectors' accounts when a visit is notified (Accounts, then the inspection's page).
    b.inspectorate = _create_org(b, "Ofsted and CQC inspectors", OrganisationKind.INSPECTORATE)


def _create_providers(b: _Borough) -> None:
    for spec in PROVIDERS:
        la_code = spec.la or b.area.la_code
        name = spec.name.format(area=b.area.name)
        urn = b.urn(100000, 149999) if spec.registration != IU else ""
        org = _create_org(b, name, OrganisationKind.AP_PROVIDER, urn=urn)
        address, postcode = b.address(la_code)
        provider = Provider(
            public_id=b.uuid(),
            organisation=org,
            registration=spec.registration,
            gias_establishment_type=spec.gias,
            ap_setting_type=spec.setting,
            ukprn=f"10{b.rng.randint(0, 999999):06d}" if spec.setting == "NFE" else "",
            specialisms=[str(s.value) for s in spec.specialisms],
            min_age=spec.ages[0],
            max_age=spec.ages[1],
            capacity=spec.capacity,
            address=address,
            postcode=postcode,
            location_la=la_code,
            residential=spec.residential,
            **{OFFER_FIELDS[o]: True for o in spec.offers},
        )
        provider.save()
        b.providers.append(_ProviderInfo(spec=spec, provider=provider))


USERS = [
    # username, role, the organisation attribute (or None when chosen from the data)
    ("la-officer", Membership.Role.AP_OFFICER),
    ("school-lead", Membership.Role.DESIGNATED_LEAD),
    ("provider-manager", Membership.Role.OFFICE_MANAGER),
    ("health-practitioner", Membership.Role.PRACTITIONER),
    ("social-worker", Membership.Role.SOCIAL_WORKER),
    ("virtual-school-head", Membership.Role.VIRTUAL_SCHOOL_HEAD),
    ("inspector", Membership.Role.INSPECTOR),
]


def _create_users(b: _Borough) -> None:
    """One person of each kind; a single hash, since argon2 is slow by design."""
    password = make_password(DEMO_PASSWORD)
    for username, _role in USERS:
        first, last = b.fake.first_name(), b.fake.last_name()
        b.users[username] = User.objects.create(
            public_id=b.uuid(),
            username=username,
            first_name=first,
            last_name=last,
            email=f"{first}.{last}@example.org".lower().replace(" ", "").replace("'", ""),
            password=password,
        )


# --- children ----------------------------------------------------------------------


@dataclass
class _ChildPlan:
    child: Child
    excluded: bool  # permanently excluded: on no school's roll
    school: Organisation  # the home school, or the school that excluded them
    y11_end: date  # the day they finish Year 11
    medical: bool


def _year11_end(dob: date) -> date:
    """Year 11 is the school year that starts when a child is 15 on 31 August."""
    start_year = dob.year + 15 if (dob.month, dob.day) <= (8, 31) else dob.year + 16
    return date(start_year + 1, 7, 22)


def _build_children(b: _Borough, count: int) -> list[_ChildPlan]:
    rng, fake, today = b.rng, b.fake, b.today
    primaries = [s for s in b.schools if s.phase == "primary"]
    secondaries = [s for s in b.schools if s.phase == "secondary"]
    academic_year_start = date(today.year if today.month >= 9 else today.year - 1, 8, 31)
    next_serial: dict[tuple[int, int], int] = {}
    used_upns: set[str] = set()
    plans = []
    for _ in range(count):
        gender = "M" if rng.random() < 0.67 else "F"
        first_name = fake.first_name_male() if gender == "M" else fake.first_name_female()
        last_name = fake.last_name()
        age = _pick(rng, AGE_WEIGHTS)
        born_by = _years_before(today, age)
        born_after = _years_before(today, age + 1)
        dob = born_after + timedelta(days=rng.randint(1, (born_by - born_after).days))

        roll = rng.random()
        if roll < 0.42:
            sen, ehc = "E", EhcPlanStatus.HAS_PLAN
        elif roll < 0.56:
            sen, ehc = "K", EhcPlanStatus.BEING_ASSESSED
        elif roll < 0.58:
            sen, ehc = "K", EhcPlanStatus.HAD_PLAN
        elif roll < 0.80:
            sen, ehc = "K", EhcPlanStatus.NONE
        else:
            sen, ehc = "N", EhcPlanStatus.NONE
        need = second_need = ""
        if sen != "N":
            need = _pick(rng, PRIMARY_NEED_WEIGHTS)
            if need == "NSA" and sen == "E":
                need = "SEMH"  # a plan always names the need
            if rng.random() < 0.3:
                second_need = _pick(rng, PRIMARY_NEED_WEIGHTS)
                if second_need in (need, "NSA"):
                    second_need = ""

        looked_after = rng.random() < 0.13
        looked_after_by = None
        if looked_after:
            looked_after_by = b.area if rng.random() < 0.75 else rng.choice(b.other_areas)
        child_protection = not looked_after and rng.random() < 0.06
        child_in_need = child_protection or (not looked_after and rng.random() < 0.15)
        youth_justice = age >= 10 and rng.random() < (0.13 if gender == "M" else 0.05)
        dsr = sen == "E" and need in ("ASD", "SEMH", "SLD") and rng.random() < 0.035
        last_cetr = today - timedelta(days=rng.randint(20, 330)) if dsr else None
        medical = rng.random() < 0.2
        health_needs = rng.choice(HEALTH_NEEDS) if medical else ""
        ethnicity = _pick(rng, ETHNICITY_WEIGHTS)

        excluded = rng.random() < 0.05
        in_primary = age_on(dob, academic_year_start) < 11
        phase_schools = primaries if in_primary else secondaries
        school = rng.choices(phase_schools, weights=[s.popularity for s in phase_schools], k=1)[0]
        home_school = None if excluded else school.org

        # UPN: LA, the establishment that allocated it, two digits of the year, a serial.
        y11_end = _year11_end(dob)
        year = (y11_end.year - 12) % 100  # the year they started reception
        key = (school.estab, year)
        while True:
            serial = next_serial.get(key, rng.randint(1, 300)) + rng.randint(1, 5)
            next_serial[key] = serial
            body = f"{HOME_LA}{school.estab:04d}{year:02d}{serial % 1000:03d}"
            upn = check_letter(body) + body
            if upn not in used_upns:
                used_upns.add(upn)
                break

        child = Child(
            public_id=b.uuid(),
            area=b.area,
            upn=upn,
            first_name=first_name,
            last_name=last_name,
            date_of_birth=dob,
            gender=gender,
            ethnicity=ethnicity,
            sen_provision=sen,
            sen_primary_need=need,
            sen_secondary_need=second_need,
            ehc_plan_status=ehc,
            looked_after=looked_after,
            looked_after_by=looked_after_by,
            child_in_need=child_in_need,
            child_protection=child_protection,
            known_to_youth_justice=youth_justice,
            on_dynamic_support_register=dsr,
            last_cetr_date=last_cetr,
            health_needs=health_needs,
            home_school=home_school,
        )
        plans.append(_ChildPlan(child=child, excluded=excluded, school=school.org, y11_end=y11_end, medical=medical))
    # Even a tiny borough has a child in its own care, so the virtual school head sees someone.
    if plans and not any(p.child.looked_after_by is b.area for p in plans):
        plans[-1].child.looked_after, plans[-1].child.looked_after_by = True, b.area
        plans[-1].child.child_in_need = plans[-1].child.child_protection = False
    return plans


# --- placements --------------------------------------------------------------------

SHARE_IN_AP_TODAY = 0.57
SHARE_PLANNED = 0.04
FULL_TIME_HOURS = [25, 25, 26.5, 27.5, 30, 30, 32.5]
PART_TIME_HOURS = {
    PRU: [12.5, 15, 17.5, 20, 22.5],
    IAP: [6, 10, 12.5, 15, 18, 20],
    TUITION: [5, 6, 7.5, 10, 10, 12, 15],
    ONLINE: [10, 12.5, 15, 15, 20],
    OUTREACH: [5, 5, 6, 7.5, 10],
}


def _duration(rng: random.Random) -> int:
    """How long a placement lasts: six weeks to eighteen months, most a term or two."""
    roll = rng.random()
    if roll < 0.35:
        return rng.randint(42, 120)
    if roll < 0.75:
        return rng.randint(121, 300)
    return rng.randint(301, 548)


def _spans(b: _Borough, plan: _ChildPlan) -> list[tuple[date, date | None]]:
    """The dates of a child's placements, in order, none overlapping; only the last may be open."""
    rng, today = b.rng, b.today
    dob = plan.child.date_of_birth
    earliest = max(today - timedelta(days=730), _years_before(dob, -5) + timedelta(days=30))
    count = rng.choices([1, 2, 3], weights=[55, 30, 15], k=1)[0]
    left = plan.y11_end < today
    window = (today - earliest).days
    roll = rng.random()
    if left:
        mode = "left"
    elif window < 60 or roll < SHARE_IN_AP_TODAY:
        mode = "current"
    else:
        mode = "planned" if roll < SHARE_IN_AP_TODAY + SHARE_PLANNED else "ended"

    spans: list[tuple[date, date | None]] = []
    if mode == "current":
        span = max(1, (today - max(earliest, today - timedelta(days=548))).days - 1)
        start = today - timedelta(days=1 + int(rng.random() ** 1.5 * span))
        spans.append((start, None))
    else:
        if mode == "left":
            end = plan.y11_end
        else:
            end = today - timedelta(days=1 + int(rng.random() ** 1.3 * max(1, window - 43)))
        start = max(earliest, end - timedelta(days=_duration(rng)))
        if (end - start).days < 42:
            start = end - timedelta(days=42)
        spans.append((start, end))
    for _ in range(count - 1):
        end = spans[0][0] - timedelta(days=rng.randint(1, 45))
        if (end - earliest).days < 42:
            break
        start = max(earliest, end - timedelta(days=_duration(rng)))
        spans.insert(0, (start, end))
    if mode == "planned":
        start = today + timedelta(days=rng.randint(5, 42))
        spans.append((start, None))
    return spans


def _choose_provider(
    b: _Borough, category: str, plan: _ChildPlan, age: int, previous: Provider | None
) -> _ProviderInfo:
    autistic = plan.child.sen_primary_need == "ASD"
    candidates, weights = [], []
    for info in b.providers:
        spec = info.spec
        if not spec.ages[0] <= age <= spec.ages[1] or info.provider is previous:
            continue
        if plan.child.home_school is None and spec.registration == IU:
            continue  # a child on no school's roll needs a setting that can register them
        use = PROVIDER_USE[spec.name]
        weight = use.get(category, 0) + (use.get("autism", 0) if autistic and category == "mental" else 0)
        if weight:
            candidates.append(info)
            weights.append(weight)
    if not candidates:  # a young child, or a rare combination: any setting that takes their age
        candidates = [i for i in b.providers if i.spec.ages[0] <= age <= i.spec.ages[1] and i.provider is not previous]
        candidates = candidates or [i for i in b.providers if i.provider is not previous]
        weights = [1] * len(candidates)
    return rng_choice(b.rng, candidates, weights)


def rng_choice(rng: random.Random, items: list, weights: list):
    return rng.choices(items, weights=weights, k=1)[0]


def _placement(b: _Borough, plan: _ChildPlan, start: date, end: date | None, previous: Provider | None) -> Placement:
    rng = b.rng
    child = plan.child
    school = child.home_school
    age = max(5, age_on(child.date_of_birth, start))  # a child who turned five yesterday starts as a five-year-old
    roll = rng.random()
    if school is None or plan.excluded:
        commissioner = b.la
        reason = _pick(rng, {"apc_pex": 75, "apc_mental_health": 17, "apc_physical_health": 8})
    elif roll < 0.17:
        commissioner, reason = school, _pick(rng, SCHOOL_REASONS)
    elif roll < 0.21:
        commissioner, reason = (school.trust or school), _pick(rng, SCHOOL_REASONS)
    elif roll < 0.25:
        commissioner, reason = b.health, _pick(rng, {"apc_mental_health": 75, "apc_physical_health": 25})
    elif roll < 0.29 and child.looked_after_by is b.area:
        commissioner, reason = (
            b.virtual_school,
            _pick(rng, {"apc_mental_health": 70, "apc_physical_health": 10, "apc_pex": 20}),
        )
    else:
        weights = {"apc_pex": 45, "apc_mental_health": 40, "apc_physical_health": 10}
        if plan.medical:
            weights["apc_physical_health"] = 30
        commissioner, reason = b.la, _pick(rng, weights)
    category = REASON_CATEGORY[reason]
    info = _choose_provider(b, category, plan, age, previous)
    spec, provider = info.spec, info.provider

    registered = spec.registration != IU
    # Excluded pupils go on the AP's roll; so do some long-term medical pupils (a hospital school's roll).
    long_term_medical = (
        registered and commissioner.kind != OrganisationKind.SCHOOL and category != "behaviour" and rng.random() < 0.25
    )
    if school is None or reason == "apc_pex" or long_term_medical:
        registration, main_roll = RegistrationType.SINGLE, MainRoll.AP
    else:
        registration, main_roll = RegistrationType.DUAL, MainRoll.HOME_SCHOOL

    full_time_share = 0.8 if category in ("pex", "behaviour") else 0.45
    if "ft" in spec.offers and ("pt" not in spec.offers or rng.random() < full_time_share):
        pattern, hours = AttendancePattern.FULL_TIME, rng.choice(FULL_TIME_HOURS)
    else:
        pattern, hours = AttendancePattern.PART_TIME, rng.choice(PART_TIME_HOURS[spec.provision])

    out_of_area = provider.location_la != b.area.la_code
    if spec.provision in (ONLINE, OUTREACH) or (spec.provision == TUITION and rng.random() < 0.7):
        journey = None  # taught at home, online, or in the child's own school
    elif spec.residential:
        journey = rng.randint(50, 120)
    elif out_of_area:
        journey = rng.randint(30, 80)
    else:
        journey = rng.randint(10, 40)

    outreach = None
    if spec.provision in (PRU, IAP) and registration == RegistrationType.DUAL and rng.random() < 0.1:
        outreach = rng.choice([i.provider for i in b.providers if i.spec.provision == OUTREACH])

    planned_end = start + timedelta(weeks=rng.choice([6, 12, 12, 18, 26, 26, 39, 52]))
    if end is None and rng.random() < 0.12:
        planned_end = None  # open-ended, with no exit plan: the oversight flags these
    return Placement(
        public_id=b.uuid(),
        child=child,
        provider=provider,
        provision_type=spec.provision,
        commissioner=commissioner,
        commissioner_type=commissioner_type_of(commissioner),
        reason=reason,
        start_date=start,
        planned_end_date=planned_end,
        end_date=end,
        attendance_pattern=pattern,
        hours_per_week=_hours(hours),
        registration_type=registration,
        main_roll=main_roll,
        out_of_area=out_of_area,
        journey_minutes=journey,
        residential=spec.residential,
        outreach_provider=outreach,
        created_by=b.users["la-officer"],
    )


LAST_ENDINGS = {
    EndReason.REINTEGRATED: 33,
    EndReason.COMPLETED: 14,
    EndReason.SPECIALIST_PLACE: 16,
    EndReason.MOVED_AWAY: 8,
    EndReason.BROKE_DOWN: 12,
    EndReason.ANOTHER_AP: 10,
    EndReason.OTHER: 7,
}
BROKE_DOWN_DESTINATIONS = {
    DestinationType.ELECTIVE_HOME_EDUCATION: 35,
    DestinationType.UNKNOWN: 25,
    DestinationType.MAINSTREAM_SCHOOL: 20,
    DestinationType.ANOTHER_AP: 20,
}


def _end(b: _Borough, placement: Placement, *, last: bool, left: bool) -> None:
    """Why an ended placement ended and where the child went."""
    rng = b.rng
    if left and last:
        placement.end_reason = EndReason.POST_16
        placement.planned_end_date = placement.end_date
        activity = _pick(rng, POST16_WEIGHTS)
        neet = code_set("post16_activity")[activity].row["group"] in NEET_POST16_GROUPS
        placement.destination_type = DestinationType.NEET if neet else DestinationType.POST_16
        placement.destination_post16_activity = activity
        return
    if not last:
        reason = EndReason.ANOTHER_AP if rng.random() < 0.7 else EndReason.BROKE_DOWN
        destination = DestinationType.ANOTHER_AP
    else:
        reason = _pick(rng, LAST_ENDINGS)
        destination = {
            EndReason.REINTEGRATED: DestinationType.MAINSTREAM_SCHOOL,
            EndReason.COMPLETED: DestinationType.MAINSTREAM_SCHOOL,
            EndReason.SPECIALIST_PLACE: DestinationType.SPECIAL_SCHOOL,
            EndReason.MOVED_AWAY: DestinationType.MOVED_AWAY,
            EndReason.ANOTHER_AP: DestinationType.ANOTHER_AP,
            EndReason.OTHER: DestinationType.UNKNOWN,
        }.get(reason) or _pick(rng, BROKE_DOWN_DESTINATIONS)
    placement.end_reason = reason
    placement.destination_type = destination
    actual = (placement.end_date - placement.start_date).days
    if reason == EndReason.BROKE_DOWN:
        placement.planned_end_date = placement.end_date + timedelta(days=rng.randint(30, 180))
    elif reason in (EndReason.COMPLETED, EndReason.REINTEGRATED, EndReason.SPECIALIST_PLACE):
        placement.planned_end_date = placement.start_date + timedelta(days=max(0, actual + rng.randint(-20, 20)))


def _build_placements(b: _Borough, plans: list[_ChildPlan]) -> list[Placement]:
    placements = []
    for number, plan in enumerate(plans):
        # One child in forty is on a school's list but never placed (imported, or awaiting a decision).
        if number % 40 == 39:
            continue
        spans = _spans(b, plan)
        ended = [s for s in spans if s[1] is not None]
        previous = None
        for start, end in spans:
            placement = _placement(b, plan, start, end, previous)
            if end is not None:
                _end(
                    b,
                    placement,
                    last=(start, end) == ended[-1] and len(ended) == len(spans),
                    left=plan.y11_end < b.today,
                )
            placements.append(placement)
            previous = placement.provider
    return placements


# --- involvements --------------------------------------------------------------------


def _build_involvements(b: _Borough, plans: list[_ChildPlan]) -> list[Involvement]:
    rng, fake, today = b.rng, b.fake, b.today
    social_workers = [fake.name() for _ in range(max(4, len(plans) // 25))]
    camhs = [fake.name() for _ in range(max(3, len(plans) // 60))]
    youth_justice = [fake.name() for _ in range(max(2, len(plans) // 120))]
    psychologists = [fake.name() for _ in range(max(2, len(plans) // 150))]
    vs_officers = [fake.name() for _ in range(max(2, len(plans) // 150))]
    involvements = []

    def add(child, organisation, role, people, started, ended=None):
        involvements.append(
            Involvement(
                public_id=b.uuid(),
                child=child,
                organisation=organisation,
                person_name=rng.choice(people),
                role=role,
                started_on=started,
                ended_on=ended,
            )
        )

    for plan in plans:
        child = plan.child
        if child.looked_after or child.child_in_need or child.child_protection:
            started = today - timedelta(days=rng.randint(20, 900))
            if rng.random() < 0.3:  # the social worker changed
                before = started - timedelta(days=rng.randint(60, 400))
                add(
                    child,
                    b.social_care,
                    Involvement.Role.SOCIAL_WORKER,
                    social_workers,
                    before,
                    started - timedelta(days=1),
                )
            add(child, b.social_care, Involvement.Role.SOCIAL_WORKER, social_workers, started)
        if child.looked_after_by is b.area:
            add(
                child,
                b.virtual_school,
                Involvement.Role.VIRTUAL_SCHOOL,
                vs_officers,
                today - timedelta(days=rng.randint(30, 700)),
            )
        if child.known_to_youth_justice:
            add(
                child,
                b.social_care,
                Involvement.Role.YOUTH_JUSTICE,
                youth_justice,
                today - timedelta(days=rng.randint(14, 500)),
            )
        mental = child.sen_primary_need == "SEMH" or child.on_dynamic_support_register or "CAMHS" in child.health_needs
        if mental:
            roll = rng.random()
            if roll < 0.4 or child.on_dynamic_support_register:
                add(child, b.health, Involvement.Role.CAMHS, camhs, today - timedelta(days=rng.randint(14, 600)))
            elif roll < 0.5:
                started = today - timedelta(days=rng.randint(200, 700))
                add(
                    child,
                    b.health,
                    Involvement.Role.CAMHS,
                    camhs,
                    started,
                    started + timedelta(days=rng.randint(42, 180)),
                )
        if child.ehc_plan_status == EhcPlanStatus.BEING_ASSESSED:
            add(
                child,
                b.la,
                Involvement.Role.EDUCATIONAL_PSYCHOLOGIST,
                psychologists,
                today - timedelta(days=rng.randint(7, 120)),
            )
    return involvements


def _assign_caseload(
    b: _Borough, involvements: list[Involvement], plans, username: str, organisation, role, size: int
) -> None:
    """Give a signed-in practitioner open involvements with some children: their caseload."""
    user = b.users[username]
    open_ones = [i for i in involvements if i.role == role and i.ended_on is None]
    chosen = b.rng.sample(open_ones, min(size, len(open_ones)))
    taken = {id(i.child) for i in chosen}
    others = [p.child for p in plans if id(p.child) not in taken]
    for child in b.rng.sample(others, min(size - len(chosen), len(others))):
        involvement = Involvement(
            public_id=b.uuid(),
            child=child,
            organisation=organisation,
            role=role,
            started_on=b.today - timedelta(days=30),
        )
        involvements.append(involvement)
        chosen.append(involvement)
    for involvement in chosen:
        involvement.user = user
        involvement.person_name = user.get_full_name()


def _children_in_ap(plans: list[_ChildPlan], placements: list[Placement]) -> list[ChildInAp]:
    """Each child with a placement, the school behind their exclusions, and why they first came to AP."""
    first = {}
    for placement in sorted(placements, key=lambda p: p.start_date, reverse=True):
        first[id(placement.child)] = placement
    return [
        ChildInAp(
            child=plan.child,
            school=plan.school,
            permanently_excluded=plan.excluded,
            category=REASON_CATEGORY[first[id(plan.child)].reason],
            first_start=first[id(plan.child)].start_date,
        )
        for plan in plans
        if id(plan.child) in first
    ]


# --- the whole borough -------------------------------------------------------------------


def borough_build(*, children: int, seed: int, today: date | None = None, attendance: bool = True) -> dict:
    """Wipe the project's data and build a synthetic borough; the same seed gives the same borough."""
    today = today or date.today()
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    b = _Borough(rng=rng, ids=random.Random(f"demo-ids-{seed}"), fake=fake, today=today)
    with transaction.atomic():
        borough_wipe()
        b.area = _create_area(b, HOME_LA)
        b.other_areas = [_create_area(b, code) for code in OTHER_LAS]
        _create_calendar(b)
        _create_organisations(b)
        _create_providers(b)
        _link_calendars(b)
        _create_users(b)

        plans = _build_children(b, children)
        Child.objects.bulk_create([p.child for p in plans], batch_size=500)
        placements = _build_placements(b, plans)
        for placement in placements:
            placement.timetable = timetable_for(rng, placement)
        Placement.objects.bulk_create(placements, batch_size=500)
        involvements = _build_involvements(b, plans)
        _assign_caseload(b, involvements, plans, "social-worker", b.social_care, Involvement.Role.SOCIAL_WORKER, 10)
        _assign_caseload(b, involvements, plans, "health-practitioner", b.health, Involvement.Role.CAMHS, 8)
        Involvement.objects.bulk_create(involvements, batch_size=500)
        in_ap = _children_in_ap(plans, placements)
        exclusions = exclusions_build(
            seed=seed, today=today, area=b.area, children=in_ap, recorder=b.users["la-officer"]
        )
        Exclusion.objects.bulk_create(exclusions, batch_size=500)
        agreements = agreements_build(
            seed=seed, today=today, placements=placements, children=in_ap, recorder=b.users["la-officer"]
        )
        CommissioningAgreement.objects.bulk_create(agreements, batch_size=500)

        inspection_demo_build(
            area=b.area,
            officer=b.users["la-officer"],
            inspector=b.users["inspector"],
            children=list({id(p.child): p.child for p in _current(placements, today)}.values()),
            today=today,
            seed=seed,
        )
        sign_ins = _memberships(b, placements)
        _add_one_child_twice(b, plans)
        marks = (
            marks_build(rng=rng, placements=placements, today=today, recorder=b.users["la-officer"])
            if attendance
            else 0
        )
        alerts = 0
        if attendance:
            home_school_marks_build(placements=placements, today=today, recorder=b.users["la-officer"])
            raised = _yesterdays_alerts(b.area, today)
            alert_correct_one(alerts=raised)
            alerts = len(raised)
        current = _current(placements, today)
        agreed = {id(a.placement) for a in agreements}
        summary = {
            "seed": seed,
            "today": today.isoformat(),
            "area": b.area.name,
            "children": len(plans),
            "recorded_twice": 1,  # one of them, added again by a school they moved to
            "in_ap_today": len({id(p.child) for p in current}),
            "providers": len(b.providers),
            "out_of_area_providers": sum(1 for i in b.providers if i.provider.location_la != b.area.la_code),
            "schools": len(b.schools),
            "organisations": Organisation.objects.count(),
            "placements": len(placements),
            "open_placements": sum(1 for p in placements if p.end_date is None and p.start_date <= today),
            "planned_placements": sum(1 for p in placements if p.start_date > today),
            "school_commissioned_placements": sum(1 for p in placements if p.reason.startswith("sa_")),
            "involvements": len(involvements),
            "exclusions": len(exclusions),
            "permanent_exclusions": sum(e.is_permanent for e in exclusions),
            "agreements": len(agreements),
            "open_placements_without_agreement": sum(1 for p in current if p.end_date is None and id(p) not in agreed),
            "attendance_marks": marks,
            "alerts": alerts,
            "users": len(b.users),
            "sign_ins": sign_ins,
        }
    return summary


def _add_one_child_twice(b: _Borough, plans: list[_ChildPlan]) -> None:
    """The demo school adds a pupil who joined it from another school of the area: the UPN is on that
    school's record, which the demo school may not see, so the child is recorded twice for the LA to settle.
    """
    lead = b.users["school-lead"]
    school = lead.primary_organisation
    moved = next(p.child for p in plans if p.child.home_school_id not in (None, school.pk))
    fields = ["upn", "first_name", "last_name", "date_of_birth", "gender", "ethnicity", "sen_provision"]
    child_create(
        user=lead,
        data={name: getattr(moved, name) for name in fields}
        | {"home_school": school, "ehc_plan_status": moved.ehc_plan_status, "public_id": b.uuid()},
    )


def _current(placements: list[Placement], today: date) -> list[Placement]:
    """The placements a child attends today: started, and not yet ended."""
    return [p for p in placements if p.is_open_on(today)]


def _yesterdays_alerts(area: Area, today: date) -> list:
    """The last school day's check, run at the end of that day, so the demo has alerts to work through."""
    day = last_school_day(area=area, before=today)
    if day is None:
        return []
    return alerts_raise(now=timezone.make_aware(datetime.combine(day, time(16, 0))), notify=False)


def _memberships(b: _Borough, placements: list[Placement]) -> list[dict]:
    """Put each user in their organisation, choosing the school and provider with several children in AP."""
    today = b.today
    current = _current(placements, today)
    pupils_in_ap = Counter(p.child.home_school.pk for p in current if p.child.home_school is not None)
    secondaries = [s.org for s in b.schools if s.phase == "secondary"]
    school = max(secondaries, key=lambda o: (pupils_in_ap[o.pk], -o.pk))
    placed = defaultdict(set)
    for p in current:
        placed[p.provider.pk].add(id(p.child))
    # A provider with children now and, if any has one, a placement ended lately: what it still sees of that child shows.
    lately = today - timedelta(days=b.area.provider_access_days)
    ended = {p.provider.pk for p in placements if p.end_date and lately <= p.end_date < today}
    independents = [i.provider for i in b.providers if i.spec.registration == IR and i.spec.la is None]
    provider = max(independents, key=lambda pr: (bool(placed[pr.pk]), pr.pk in ended, len(placed[pr.pk]), -pr.pk))
    if not placed[provider.pk]:
        provider = max((i.provider for i in b.providers), key=lambda pr: (len(placed[pr.pk]), -pr.pk))

    area = b.area.name
    homes = {
        "la-officer": (b.la, f"AP officer, {b.la.name}", f"every child in {area}"),
        "school-lead": (school, f"Designated lead, {school.name}", "its pupils and the placements it commissioned"),
        "provider-manager": (provider.organisation, f"Office manager, {provider.name}", "children placed there"),
        "health-practitioner": (b.health, f"CAMHS practitioner, {b.health.name}", "children on their caseload"),
        "social-worker": (b.social_care, f"Social worker, {b.social_care.name}", "children on their caseload"),
        "virtual-school-head": (
            b.virtual_school,
            f"Virtual school head, {b.virtual_school.name}",
            f"children in {area}'s care",
        ),
        "inspector": (
            b.inspectorate,
            "Inspector, on the area's inspection this week",
            "three tracked children, by pseudonym, read-only",
        ),
    }
    sign_ins = []
    for username, role in USERS:
        organisation, who, what = homes[username]
        user = b.users[username]
        # The LA officer may produce inspection returns; nobody else in the demo may. The LA officer
        # manages the area's accounts, and the provider's office manager the provider's own.
        Membership.objects.create(
            user=user,
            organisation=organisation,
            role=role,
            may_export_returns=username == "la-officer",
            may_manage_accounts=username in ("la-officer", "provider-manager"),
            first_name_entered=user.first_name,
            last_name_entered=user.last_name,
            email_entered=user.email,
        )
        user.__dict__.pop("organisations", None)
        sees = children_visible_to(user=user, today=today).count()
        sign_ins.append(
            {"username": username, "name": user.get_full_name(), "who": who, "what": what, "children_seen": sees}
        )
    return sign_ins
