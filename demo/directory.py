"""What the demo's directory shows of each provider (issue 13, item 1): where it is, key stages, qualifications,
qualified teachers, costs (£60 to £250 a day, sessions for tuition and outreach), contacts, a second site for a few,
and one outreach service run on a school's site, not under the school's URN.

From its own random generator, seeded from the borough's seed, so that adding it changes nothing else the borough
holds.
"""

import random
from decimal import Decimal

from faker import Faker

from core.geo import postcode_location
from providers.models import Provider, ProviderContact, ProviderSite, Registration, Specialism, key_stages_for

ROLES = ["Head of centre", "Admissions and referrals", "Designated safeguarding lead", "Business manager"]
SITE_NAMES = ["Annexe", "Vocational workshop", "Farm site", "Primary base", "Town centre hub"]
# A setting on a school's site, not under the school's URN: its own outreach base in a secondary school.
ON_A_SCHOOL_SITE = "Bridges Behaviour Outreach"


def _qualifications(provider: Provider, rng: random.Random) -> list[str]:
    if provider.max_age < 14:
        return []
    offered = ["functional_skills", "entry_level"]
    if provider.registration != Registration.INDEPENDENT_UNREGISTERED or rng.random() < 0.3:
        offered.insert(0, "gcse")
    if Specialism.VOCATIONAL in provider.specialisms:
        offered.append("vocational")
    return offered


def _costs(provider: Provider, rng: random.Random) -> tuple[Decimal | None, Decimal | None]:
    """A day's place for schools and centres; a session (a morning, or an hour's tuition) for the rest."""
    sessional = not provider.offers_full_time
    per_day = None if sessional else Decimal(rng.randrange(60, 251, 5))
    per_session = Decimal(rng.randrange(35, 96, 5)) if sessional or provider.offers_part_time else None
    if per_day is not None and per_session is not None:
        per_session = min(per_session, (per_day / 2).quantize(Decimal("1")))
    return per_day, per_session


def directory_build(*, seed: int, providers: list[Provider], schools: list) -> dict:
    """Each provider's directory details, in bulk; their contacts and second sites."""
    rng = random.Random(f"demo-directory-{seed}")
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    contacts, sites = [], []
    for provider in providers:
        provider.latitude, provider.longitude = postcode_location(provider.postcode) or (None, None)
        provider.key_stages = key_stages_for(provider.min_age, provider.max_age)
        provider.qualifications = _qualifications(provider, rng)
        teachers = max(1, provider.capacity // 8)
        provider.qualified_teachers = (
            rng.randint(0, 2) if provider.registration == Registration.INDEPENDENT_UNREGISTERED else teachers
        )
        provider.cost_per_day, provider.cost_per_session = _costs(provider, rng)
        if provider.name == ON_A_SCHOOL_SITE and schools:
            provider.school_site_of = schools[0]
        for role in rng.sample(ROLES, rng.randint(1, 2)):
            name = fake.name()
            handle = name.lower().replace(" ", ".").replace("'", "")
            contacts.append(
                ProviderContact(
                    provider=provider,
                    name=name,
                    role=role,
                    email=f"{handle}@{provider.area_reference.lower()}.example.org",
                    phone=f"01925 {rng.randint(100000, 999999)}",
                )
            )
        if provider.capacity >= 35 and rng.random() < 0.5:
            district = provider.postcode.split()[0]
            postcode = f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            latitude, longitude = postcode_location(postcode) or (None, None)
            sites.append(
                ProviderSite(
                    provider=provider,
                    name=rng.choice(SITE_NAMES),
                    address=f"{fake.building_number()} {fake.street_name()}",
                    postcode=postcode,
                    latitude=latitude,
                    longitude=longitude,
                )
            )
    fields = [
        "latitude",
        "longitude",
        "key_stages",
        "qualifications",
        "qualified_teachers",
        "cost_per_day",
        "cost_per_session",
        "school_site_of",
    ]
    Provider.objects.bulk_update(providers, fields)
    ProviderContact.objects.bulk_create(contacts)
    ProviderSite.objects.bulk_create(sites)
    return {"provider_contacts": len(contacts), "provider_sites": len(sites)}
