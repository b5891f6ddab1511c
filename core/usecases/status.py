"""What /status shows: the chat's unit and people; for admins, the connection ratio.

Phone numbers are personal data: a county group chat often holds drivers, volunteers and
people from outside the registry, so phones are shown only to those who coordinate the unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.actor import Actor
from core.config import MechanismConfig
from core.ports import UnitOfWork
from core.registry import Member, Unit, UnitKind

# Whoever holds any role in one of these sees every unit's phones: they call forces out.
COORDINATING_KINDS = frozenset({UnitKind.BUREAU, UnitKind.BRIGADE})


@dataclass
class Connection:
    bound: int
    total: int
    target: float
    unbound: list[Unit] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.bound / self.total if self.total else 0.0

    @property
    def meets_target(self) -> bool:
        return self.total > 0 and self.ratio >= self.target


@dataclass
class StatusView:
    unit: Unit | None
    department: Unit | None
    members: list[Member]
    connection: Connection | None
    show_phones: bool = False


async def connection_ratio(uow: UnitOfWork, config: MechanismConfig) -> Connection:
    forces = await uow.units.list(UnitKind.FORCE)
    unbound = [f for f in forces if not f.is_bound]
    return Connection(len(forces) - len(unbound), len(forces), config.connection_target, unbound)


async def status(uow: UnitOfWork, actor: Actor, config: MechanismConfig) -> StatusView:
    unit = actor.chat_unit
    members = await uow.people.members(unit.id) if unit and unit.id else []
    department = None
    if unit and unit.department_id:
        department = await uow.units.get(unit.department_id)
    connection = await connection_ratio(uow, config) if actor.is_admin else None
    phones = unit is not None and await may_see_phones(uow, actor, unit)
    return StatusView(unit, department, members, connection, phones)


async def may_see_phones(uow: UnitOfWork, actor: Actor, unit: Unit) -> bool:
    """An admin, anyone with a role in the unit itself, in the brigade or in the bureau."""
    if actor.anonymous or actor.tg_id is None:
        return False
    if actor.is_admin or any(g.unit_id == unit.id for g in actor.grants):
        return True
    for unit_id in {g.unit_id for g in actor.grants}:
        held = await uow.units.get(unit_id)
        if held is not None and held.kind in COORDINATING_KINDS:
            return True
    return False
