"""What the dispatcher sees when choosing forces: capabilities, bound chat, last roll-call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.dispatch.ports import DispatchUnitOfWork
from core.registry import ForceCategory, Unit, UnitKind

ROLLCALL_LOOKBACK = timedelta(days=62)


@dataclass(frozen=True)
class ForceChoice:
    unit: Unit
    last_answer: datetime | None = None  # when the force last answered a roll-call
    missed: bool = False  # the last roll-call it was in went unanswered


async def forces_of(uow: DispatchUnitOfWork, category: ForceCategory, now: datetime
                    ) -> list[ForceChoice]:
    forces = [u for u in await uow.units.list(UnitKind.FORCE) if u.category is category]
    latest = await _last_rollcall_answers(uow, now)
    return [ForceChoice(f, *latest.get(f.id or 0, (None, False))) for f in forces]


async def _last_rollcall_answers(uow: DispatchUnitOfWork, now: datetime
                                 ) -> dict[int, tuple[datetime | None, bool]]:
    """The roll-call feature is optional here: without it no force shows an answer."""
    rollcalls: Any = getattr(uow, "rollcalls", None)
    if rollcalls is None or not hasattr(rollcalls, "answers_since"):
        return {}
    found: dict[int, tuple[datetime | None, bool]] = {}
    for rollcall, answer in await rollcalls.answers_since(now - ROLLCALL_LOOKBACK):
        if getattr(rollcall, "kind", "") == "drill":  # a drill says nothing of real duty
            continue
        found[answer.unit_id] = (answer.answered_at, answer.answered_at is None)
    return found
