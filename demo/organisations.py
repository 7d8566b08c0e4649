"""The demo area's organisations: the LA and its partners, academy trusts, schools, and AP providers.

The providers are one row each, in the shape of a real area's AP market: PRUs and AP academies,
independent schools, unregistered tuition, outreach and online providers, a few out of area.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.models import Organisation, OrganisationKind
from demo.area import address
from demo.context import Borough
from placements.models import ProvisionType
from providers.models import Provider, Registration, Specialism

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


@dataclass
class SchoolInfo:
    org: Organisation
    phase: str  # primary / secondary
    estab: int  # DfE establishment number, for UPNs
    popularity: float


@dataclass
class ProviderInfo:
    spec: ProviderSpec
    provider: Provider


def _organisation_create(
    b: Borough, name: str, kind: str, *, urn: str = "", trust: Organisation | None = None
) -> Organisation:
    return Organisation.objects.create(public_id=b.uuid(), name=name, kind=kind, area=b.area, urn=urn, trust=trust)


def organisations_build(b: Borough) -> None:
    """The LA and its partners, two academy trusts, nine secondary and three primary schools, the inspectorate."""
    name = b.area.name
    b.la = _organisation_create(b, f"{name} Borough Council", OrganisationKind.LOCAL_AUTHORITY)
    b.health = _organisation_create(b, f"{name} CAMHS", OrganisationKind.HEALTH)
    b.social_care = _organisation_create(b, f"{name} Children's Social Care", OrganisationKind.SOCIAL_CARE)
    b.virtual_school = _organisation_create(b, f"{name} Virtual School", OrganisationKind.VIRTUAL_SCHOOL)
    trusts = [_organisation_create(b, t, OrganisationKind.ACADEMY_TRUST) for t in TRUST_NAMES]

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
        org = _organisation_create(b, school_name, OrganisationKind.SCHOOL, urn=urn, trust=trust)
        estab = secondary_estabs[index] if phase == "secondary" else primary_estabs[index - 9]
        b.schools.append(SchoolInfo(org=org, phase=phase, estab=estab, popularity=b.rng.uniform(0.6, 1.8)))
    # Where the LA adds inspectors' accounts when a visit is notified (Accounts, then the inspection's page).
    b.inspectorate = _organisation_create(b, "Ofsted and CQC inspectors", OrganisationKind.INSPECTORATE)


def providers_build(b: Borough) -> None:
    """Every provider of PROVIDERS, in or out of the area as its row says."""
    for spec in PROVIDERS:
        la_code = spec.la or b.area.la_code
        name = spec.name.format(area=b.area.name)
        urn = b.urn(100000, 149999) if spec.registration != IU else ""
        org = _organisation_create(b, name, OrganisationKind.AP_PROVIDER, urn=urn)
        street, postcode = address(b, la_code)
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
            address=street,
            postcode=postcode,
            location_la=la_code,
            residential=spec.residential,
            **{OFFER_FIELDS[o]: True for o in spec.offers},
        )
        provider.save()
        b.providers.append(ProviderInfo(spec=spec, provider=provider))
