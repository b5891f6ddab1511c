"""A social force's deployments and the month's figures the bureau compensates by."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# People a force may say it sent on one order: a team of thousands is not a county's social
# force; a larger number is a typing slip, refused before it reaches the figures.
MAX_PEOPLE = 999


@dataclass(frozen=True)
class Deployment:
    """One order to a social force that went out: from 已出发 (or 已到达, when the force skipped
    已出发) to its stand-down or the incident's close, whichever came first."""

    order_id: int
    unit_id: int
    force: str
    force_code: str
    incident_id: int
    incident_title: str
    started_at: datetime
    stood_down_at: datetime | None
    closed_at: datetime | None
    people: int | None  # None: the force did not say (the question is optional)

    @property
    def ended_at(self) -> datetime | None:
        ends = [e for e in (self.stood_down_at, self.closed_at) if e is not None]
        return min(ends) if ends else None

    def hours(self, now: datetime) -> float:
        """Hours out; a deployment still out counts up to ``now``."""
        end = self.ended_at or now
        return max((end - self.started_at).total_seconds(), 0.0) / 3600

    def person_hours(self, now: datetime) -> float:
        return self.hours(now) * (self.people or 0)


@dataclass
class ForceTotal:
    unit_id: int
    force: str
    force_code: str
    deployments: int = 0
    hours: float = 0.0
    person_hours: float = 0.0
    unreported: int = 0  # deployments whose number of people was never given
    ongoing: int = 0  # deployments still out when the figures were made


@dataclass
class MonthFigures:
    month: str  # YYYY-MM
    made_at: datetime
    forces: list[ForceTotal] = field(default_factory=list)
    deployments: list[Deployment] = field(default_factory=list)
