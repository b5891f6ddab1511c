"""Binding group chats to units: invitations, /bind, removal and supergroup upgrades."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from core.actor import Actor
from core.clock import Clock
from core.config import MechanismConfig
from core.errors import Conflict, DomainError, NotFound
from core.invites import Invite
from core.notices import Priority, text
from core.ports import UnitOfWork
from core.registry import Unit
from core.usecases.common import audit, tell_admins

# No 0/O, 1/I/L: codes are read aloud over the phone and typed on small screens.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code(length: int = 8) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


async def create_invite(
    uow: UnitOfWork, actor: Actor, unit_code: str, clock: Clock, config: MechanismConfig
) -> tuple[Invite, Unit]:
    actor.require_admin()
    unit = await uow.units.by_code(unit_code.strip().lower())
    if unit is None or unit.id is None:
        raise NotFound("unknown_unit", code=unit_code)
    now = clock.now()
    invite = Invite(new_code(), unit.id, actor.tg_id or 0, now, now + config.invite_ttl)
    await uow.invites.add(invite)
    await audit(uow, actor, "invite.created", f"unit:{unit.id}", now, unit=unit.code)
    return invite, unit


@dataclass
class BindResult:
    unit: Unit
    previous_chat: int | None


async def bind_chat(
    uow: UnitOfWork, actor: Actor, code: str, is_group: bool, clock: Clock,
    config: MechanismConfig,
) -> BindResult:
    actor.require_person()
    if not is_group:
        raise DomainError("bind_in_group")
    now = clock.now()
    invite = await uow.invites.get(code.strip().upper())
    if invite is None:
        raise NotFound("invite_unknown", code=code)
    if invite.used_at is not None:
        raise Conflict("invite_used", at=invite.used_at)
    if invite.expires_at <= now:
        raise Conflict("invite_expired", at=invite.expires_at)
    unit = await uow.units.get(invite.unit_id)
    if unit is None:
        raise NotFound("unknown_unit", code=str(invite.unit_id))
    other = await uow.units.by_chat(actor.chat_id)
    if other is not None and other.id != unit.id:
        raise Conflict("chat_already_bound", unit=other.name)
    previous = unit.chat_id if unit.chat_id != actor.chat_id else None
    unit.chat_id, unit.bound_at = actor.chat_id, now
    await uow.units.update(unit)
    invite.used_at, invite.used_in_chat = now, actor.chat_id
    await uow.invites.update(invite)
    await audit(uow, actor, "chat.bound", f"unit:{unit.id}", now,
                unit=unit.code, chat=actor.chat_id, previous_chat=previous)
    await tell_admins(uow, config, "admin.chat_bound", unit=unit.name, code=unit.code,
                      by=actor.display_name)
    return BindResult(unit, previous)


async def unbind(
    uow: UnitOfWork, chat_id: int, actor: Actor | None, reason: str, clock: Clock,
    config: MechanismConfig,
) -> Unit | None:
    """Mark the unit of this chat unbound and tell the admins; the caller commits."""
    unit = await uow.units.by_chat(chat_id)
    if unit is None:
        return None
    unit.chat_id, unit.bound_at = None, None
    await uow.units.update(unit)
    await audit(uow, actor, "chat.unbound", f"unit:{unit.id}", clock.now(),
                unit=unit.code, chat=chat_id, reason=reason)
    await tell_admins(uow, config, "admin.chat_lost", Priority.HIGH, unit=unit.name,
                      code=unit.code, reason=text(f"reason.{reason}"))
    return unit


async def chat_lost(
    uow: UnitOfWork, chat_id: int, actor: Actor | None, reason: str, clock: Clock,
    config: MechanismConfig,
) -> Unit | None:
    """The bot was removed, kicked or blocked: the unit no longer hears anything."""
    unit = await unbind(uow, chat_id, actor, reason, clock, config)
    return unit


async def chat_migrated(uow: UnitOfWork, old_chat_id: int, new_chat_id: int, clock: Clock) -> None:
    """A group became a supergroup: same people, new id; the binding follows. Idempotent."""
    unit = await uow.units.by_chat(old_chat_id)
    await uow.chats.move(old_chat_id, new_chat_id)
    if unit is not None:
        unit.chat_id = new_chat_id
        await uow.units.update(unit)
        await audit(uow, None, "chat.migrated", f"unit:{unit.id}", clock.now(),
                    unit=unit.code, old=old_chat_id, new=new_chat_id)
