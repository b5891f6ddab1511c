"""What the dispatch notices share: the drill mark, lines, the chain's units and their people."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.dispatch.model import Incident
from core.dispatch.ports import DispatchUnitOfWork
from core.notices import Button, Mention, Notice, Priority, lines, text
from core.registry import Role, Unit, UnitKind


def drill(incident: Incident) -> Any:
    return text("dispatch.drill_mark") if incident.is_drill else ""


def joined(items: list[Any]) -> Any:
    """Several texts, one per line (the translator joins plain lists on one line). Flat, so a
    plan of any size renders without recursion."""
    return lines(items) if items else ""


def minutes(since: datetime, until: datetime) -> int:
    return max(0, int((until - since).total_seconds() // 60))


async def unit(uow: DispatchUnitOfWork, unit_id: int | None) -> Unit | None:
    return await uow.units.get(unit_id) if unit_id is not None else None


async def chain_unit(uow: DispatchUnitOfWork, kind: UnitKind) -> Unit | None:
    found = await uow.units.list(kind)
    return found[0] if found else None


async def tell(uow: DispatchUnitOfWork, kinds: tuple[UnitKind, ...], template: str,
               priority: Priority = Priority.HIGH, edit_key: str | None = None,
               mentions: tuple[Mention, ...] = (),
               buttons: tuple[tuple[Button, ...], ...] = (), **params: Any) -> None:
    for kind in kinds:
        target = await chain_unit(uow, kind)
        if target is not None and target.id is not None:
            await uow.outbox.add(Notice(template, params, unit_id=target.id, priority=priority,
                                        edit_key=edit_key, mentions=mentions, buttons=buttons))


async def people_mentions(uow: DispatchUnitOfWork, unit_id: int,
                          roles: frozenset[Role]) -> tuple[Mention, ...]:
    members = await uow.people.members(unit_id)
    return tuple(Mention(m.person.tg_id, m.person.name) for m in members if m.roles & roles)


async def commander_name(uow: DispatchUnitOfWork, incident: Incident) -> str:
    if incident.hq_unit_id is not None:
        hq = await unit(uow, incident.hq_unit_id)
        if hq is not None:
            return hq.name
    brigade = await chain_unit(uow, UnitKind.BRIGADE)
    return brigade.name if brigade else "—"
