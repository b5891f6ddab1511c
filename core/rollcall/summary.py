"""The roll-call result the brigade reads: sent at the deadline, edited when late answers come."""

from __future__ import annotations

from core.registry import UnitKind
from core.rollcall import notices
from core.rollcall.model import RollCall
from core.rollcall.ports import RollCallUnitOfWork


async def brigade_id(uow: RollCallUnitOfWork) -> int | None:
    found = await uow.units.list(UnitKind.BRIGADE)
    return found[0].id if found else None


async def post_summary(uow: RollCallUnitOfWork, rc: RollCall) -> None:
    brigade = await brigade_id(uow)
    if brigade is None:
        return
    units = {u.id: u for u in await uow.units.list() if u.id is not None}
    answers = await uow.rollcalls.answers(rc.id or 0)
    await uow.outbox.add(notices.summary(rc, answers, units, brigade))
