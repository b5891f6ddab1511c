"""Closing roll-calls at their deadline: the summary to the brigade, the missing called out."""

from __future__ import annotations

from core.clock import Clock
from core.registry import Role
from core.rollcall import notices
from core.rollcall.model import RollCall
from core.rollcall.ports import RollCallUnitOfWork
from core.rollcall.summary import post_summary
from core.usecases.common import audit


async def close_due(uow: RollCallUnitOfWork, clock: Clock) -> int:
    """Idempotent: each roll-call is closed in the same commit that sends its summary."""
    now = clock.now()
    due = await uow.rollcalls.due_to_close(now)
    for rc in due:
        rc.closed_at = now
        await uow.rollcalls.update(rc)
        await post_summary(uow, rc)
        answers = await uow.rollcalls.answers(rc.id or 0)
        for a in answers:
            if not a.answered:
                await _call_out(uow, rc, a.unit_id)
        await audit(uow, None, "rollcall.closed", f"rollcall:{rc.id}", now,
                    answered=sum(a.answered for a in answers), total=len(answers))
    return len(due)


async def _call_out(uow: RollCallUnitOfWork, rc: RollCall, unit_id: int) -> None:
    heads = [m.person for m in await uow.people.members(unit_id) if Role.HEAD in m.roles]
    await uow.outbox.add(notices.called_out(rc, unit_id, heads))
