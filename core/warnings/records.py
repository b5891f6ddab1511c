"""Confirmation records (/warnings): per force over the last 12 months."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from core.actor import Actor
from core.clock import Clock
from core.errors import NotAllowed, NotFound
from core.ports import UnitOfWork
from core.registry import Unit, UnitKind
from core.warnings.model import Warning, WarningTarget
from core.warnings.ports import WarningUnitOfWork

YEAR = timedelta(days=365)
COUNTY_WIDE = (UnitKind.BRIGADE, UnitKind.BUREAU, UnitKind.GOVERNMENT)


@dataclass
class WarningRecord:
    unit: Unit
    received: int
    confirmed: int
    median_seconds: float | None

    @property
    def unconfirmed(self) -> int:
        return self.received - self.confirmed

    @property
    def percent(self) -> float | None:
        return 100.0 * self.confirmed / self.received if self.received else None


async def visible_forces(uow: UnitOfWork, actor: Actor, code: str = "") -> list[Unit]:
    """Brigade, bureau and county see every force; a department its own; a force itself."""
    unit = actor.chat_unit
    if unit is None:
        raise NotAllowed("records_unbound_chat")
    forces = await uow.units.list(UnitKind.FORCE)
    if unit.kind in COUNTY_WIDE:
        seen = forces
    elif unit.kind is UnitKind.DEPARTMENT:
        seen = [f for f in forces if f.department_id == unit.id]
    else:
        seen = [f for f in forces if f.id == unit.id]
    if code:
        seen = [f for f in seen if f.code == code.strip().lower()]
        if not seen:
            raise NotFound("unknown_unit", code=code)
    return seen


async def warning_records(
    uow: WarningUnitOfWork, actor: Actor, clock: Clock, code: str = ""
) -> tuple[list[WarningRecord], list[WarningRecord]]:
    """The forces this chat oversees, on every warning; and, for a department that issues
    warnings (meteorology, water, natural resources), the forces it warned, on its own only."""
    rows = await uow.warnings.targets_since(clock.now() - YEAR)
    unit = actor.chat_unit
    issued: list[WarningRecord] = []
    if unit is not None and unit.kind is UnitKind.DEPARTMENT:
        own = [(w, t) for w, t in rows if w.issuer_unit_id == unit.id]
        warned = {t.unit_id for _, t in own}
        forces = [f for f in await uow.units.list(UnitKind.FORCE)
                  if f.id in warned and (not code or f.code == code.strip().lower())]
        issued = _records(forces, own)
    try:
        overseen = await visible_forces(uow, actor, code)
    except NotFound:
        if not issued:
            raise
        overseen = []
    return _records(overseen, rows), issued


def _records(forces: list[Unit], rows: list[tuple[Warning, WarningTarget]]
             ) -> list[WarningRecord]:
    out = []
    for force in forces:
        mine = [(w, t) for w, t in rows if t.unit_id == force.id]
        waits = [(t.confirmed_at - w.issued_at).total_seconds() for w, t in mine
                 if t.confirmed_at is not None]
        out.append(WarningRecord(force, len(mine), len(waits),
                                 median(waits) if waits else None))
    return out
