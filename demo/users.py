"""The demo's users, one of each kind, and the organisations they belong to."""

from collections import Counter, defaultdict
from datetime import timedelta

from django.contrib.auth.hashers import make_password

from core.access import children_visible_to
from core.models import Membership, User
from demo.context import Borough
from demo.organisations import IR
from demo.placements import current_placements
from placements.models import Placement

DEMO_PASSWORD = "ap-oversight-demo"  # noqa: S105 - a published demo password, on synthetic data only

USERS = [
    # username, role; `memberships_build` chooses the organisation from the data
    ("la-officer", Membership.Role.AP_OFFICER),
    ("school-lead", Membership.Role.DESIGNATED_LEAD),
    ("provider-manager", Membership.Role.OFFICE_MANAGER),
    ("health-practitioner", Membership.Role.PRACTITIONER),
    ("social-worker", Membership.Role.SOCIAL_WORKER),
    ("virtual-school-head", Membership.Role.VIRTUAL_SCHOOL_HEAD),
    ("inspector", Membership.Role.INSPECTOR),
]


def users_build(b: Borough) -> None:
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


def memberships_build(b: Borough, placements: list[Placement]) -> list[dict]:
    """Put each user in their organisation, choosing the school and provider with several children in AP."""
    today = b.today
    current = current_placements(placements, today)
    pupils_in_ap = Counter(p.child.home_school.pk for p in current if p.child.home_school is not None)
    secondaries = [s.org for s in b.schools if s.phase == "secondary"]
    school = max(secondaries, key=lambda o: (pupils_in_ap[o.pk], -o.pk))
    placed = defaultdict(set)
    for p in current:
        placed[p.provider.pk].add(id(p.child))
    # A provider with children now and a placement ended lately of a child no longer there, so what a setting
    # still sees of a child who left shows; an independent school in the area if one has both.
    lately = today - timedelta(days=b.area.provider_access_days)
    ended = {
        p.provider.pk
        for p in placements
        if p.end_date and lately <= p.end_date < today and id(p.child) not in placed[p.provider.pk]
    }
    in_area = [i for i in b.providers if i.spec.la is None]
    provider = max(
        in_area,
        key=lambda i: (
            bool(placed[i.provider.pk]),
            i.provider.pk in ended,
            i.spec.registration == IR,
            len(placed[i.provider.pk]),
            -i.provider.pk,
        ),
    ).provider
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
