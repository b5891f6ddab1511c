"""What /status shows: the chat's unit and people; for admins, the connection ratio."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.actor import Actor
from core.config import MechanismConfig
from core.ports import UnitOfWork
from core.registry import Member, Unit, UnitKind


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
    return StatusView(unit, department, members, connection)
