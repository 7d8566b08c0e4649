"""What the demo's builders share while they build one borough.

Everything random comes from one `random.Random(seed)` (`rng`), one seeded Faker and, for
public ids, a generator of their own (`ids`), so the same seed gives the same borough,
public ids included, so links stay stable between runs. Each builder takes the `Borough`,
reads what the builders before it made, and adds what it makes.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from faker import Faker

from core.models import Area, Organisation, User

if TYPE_CHECKING:
    from demo.organisations import ProviderInfo, SchoolInfo


@dataclass
class Borough:
    seed: int
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
    schools: list[SchoolInfo] = field(default_factory=list)
    providers: list[ProviderInfo] = field(default_factory=list)
    calendars: dict = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    used_urns: set[str] = field(default_factory=set)

    @classmethod
    def seeded(cls, seed: int, today: date) -> Borough:
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        return cls(seed=seed, rng=random.Random(seed), ids=random.Random(f"demo-ids-{seed}"), fake=fake, today=today)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.ids.getrandbits(128), version=4)

    def urn(self, low: int, high: int) -> str:
        while True:
            urn = str(self.rng.randint(low, high))
            if urn not in self.used_urns:
                self.used_urns.add(urn)
                return urn


def pick(rng: random.Random, weights: dict):
    """One key of `weights`, drawn in proportion to its value."""
    return rng.choices(list(weights), weights=list(weights.values()), k=1)[0]


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
