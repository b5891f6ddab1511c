"""Small steps every use case takes: audit, and telling the administrators."""

from __future__ import annotations

from typing import Any

from core.actor import Actor
from core.audit import AuditEntry
from core.config import MechanismConfig
from core.notices import Notice, Priority
from core.ports import UnitOfWork
from core.registry import Role


async def audit(
    uow: UnitOfWork, actor: Actor | None, action: str, subject: str, at: Any, /,
    **details: Any,
) -> None:
    await uow.audit.append(
        AuditEntry(
            action=action,
            subject=subject,
            at=at,
            actor_tg_id=actor.tg_id if actor else None,
            chat_id=actor.chat_id if actor else None,
            details=details,
        )
    )


async def admin_ids(uow: UnitOfWork, config: MechanismConfig) -> list[int]:
    ids = set(config.admin_tg_ids)
    ids.update(p.tg_id for p in await uow.people.with_role(Role.ADMIN))
    return sorted(ids)


async def tell_admins(
    uow: UnitOfWork,
    config: MechanismConfig,
    template: str,
    priority: Priority = Priority.NORMAL,
    subject: str = "",
    **params: Any,
) -> None:
    for tg_id in await admin_ids(uow, config):
        await uow.outbox.add(
            Notice(template, params, person_tg_id=tg_id, priority=priority, subject=subject)
        )
