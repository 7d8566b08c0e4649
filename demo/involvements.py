"""The practitioners involved with the demo's children, and the caseloads of the signed-in ones."""

from datetime import timedelta

from children.models import EhcPlanStatus, Involvement
from demo.children import ChildPlan
from demo.context import Borough


def involvements_build(b: Borough, plans: list[ChildPlan]) -> list[Involvement]:
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


def caseload_assign(
    b: Borough, involvements: list[Involvement], plans, username: str, organisation, role, size: int
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
