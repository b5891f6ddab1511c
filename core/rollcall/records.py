"""Duty records (/duty): per force over the last 12 months."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from core.actor import Actor
from core.clock import Clock
from core.registry import Unit
from core.rollcall.model import RollCallKind
from core.rollcall.ports import RollCallUnitOfWork
from core.warnings.records import YEAR, visible_forces


@dataclass
class DutyRecord:
    unit: Unit
    calls: int
    on_time: int
    late: int
    median_seconds: float | None
    # Unannounced inspections (/spotcheck), apart from the routine figures above; drill
    # roll-calls are in neither.
    spot_checks: int = 0
    spot_passed: int = 0

    @property
    def missed(self) -> int:
        return self.calls - self.on_time - self.late

    @property
    def percent(self) -> float | None:
        return 100.0 * self.on_time / self.calls if self.calls else None


async def duty_records(uow: RollCallUnitOfWork, actor: Actor, clock: Clock,
                       code: str = "") -> list[DutyRecord]:
    """Closed and open roll-calls alike; an open one's unanswered force is not yet a miss
    but counts as one here, because the record is read after the fact. Routine roll-calls
    make the figures; spot-checks are counted apart and drill roll-calls not at all."""
    forces = await visible_forces(uow, actor, code)
    rows = await uow.rollcalls.answers_since(clock.now() - YEAR)
    out = []
    for force in forces:
        mine = [(rc, a) for rc, a in rows if a.unit_id == force.id and rc.counts_as_duty]
        spots = [a for rc, a in rows
                 if a.unit_id == force.id and rc.kind is RollCallKind.SPOTCHECK]
        waits = [(a.answered_at - rc.opened_at).total_seconds() for rc, a in mine
                 if a.answered_at is not None]
        out.append(DutyRecord(force, len(mine), sum(bool(a.on_time) for _, a in mine),
                              sum(a.answered and not a.on_time for _, a in mine),
                              median(waits) if waits else None,
                              len(spots), sum(bool(a.on_time) for a in spots)))
    return out
