"""What /whoami tells a person: the Telegram id the registry needs, and what the bot knows."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.actor import Actor
from core.ports import UnitOfWork
from core.registry import Role, Unit


@dataclass
class Membership:
    unit: Unit
    roles: frozenset[Role]


@dataclass
class WhoAmI:
    tg_id: int | None
    name: str
    anonymous: bool
    in_registry: bool
    settings_admin: bool
    memberships: list[Membership] = field(default_factory=list)


async def whoami(uow: UnitOfWork, actor: Actor) -> WhoAmI:
    by_unit: dict[int, set[Role]] = {}
    for grant in actor.grants:
        by_unit.setdefault(grant.unit_id, set()).add(grant.role)
    memberships = []
    for unit_id, roles in by_unit.items():
        unit = await uow.units.get(unit_id)
        if unit is not None:
            memberships.append(Membership(unit, frozenset(roles)))
    memberships.sort(key=lambda m: m.unit.id or 0)
    return WhoAmI(tg_id=actor.tg_id, name=actor.display_name, anonymous=actor.anonymous,
                  in_registry=actor.person is not None,
                  settings_admin=actor.is_settings_admin and not actor.anonymous,
                  memberships=memberships)
