"""Special periods declared by the bureau, and cross-region reinforcement."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.actor import Actor
from core.clock import Clock
from core.dispatch.config import DispatchConfig
from core.dispatch.decisions import issue_orders
from core.dispatch.incidents import get_incident, subject
from core.dispatch.model import (
    Incident,
    Period,
    Plan,
    PlanForce,
    PlanStatus,
    Prompt,
    PromptKind,
    Reinforcement,
    ReinforcementStatus,
)
from core.dispatch.notify.common import chain_unit
from core.dispatch.notify.incident import (
    period_declared,
    period_ended,
    reinforcement_asked,
    reinforcement_decided,
)
from core.dispatch.policies import DECIDE_REINFORCEMENT, DECLARE_PERIOD, REQUEST_REINFORCEMENT
from core.dispatch.ports import DispatchUnitOfWork
from core.errors import Conflict, DomainError, NotFound
from core.limits import within
from core.notices import text
from core.parse import in_range
from core.registry import UnitKind
from core.usecases.common import audit

PERIOD_USAGE = text("usage.period")
REINFORCE_USAGE = text("usage.reinforce")
MAX_PERIOD_HOURS = 366 * 24  # a special period longer than a year is a typing mistake


async def declare_period(uow: DispatchUnitOfWork, actor: Actor, args: str, clock: Clock
                         ) -> Period | None:
    DECLARE_PERIOD.require(actor)
    now = clock.now()
    words = args.split(maxsplit=1)
    if words and words[0].lower() in ("off", "end", "结束"):
        period = await uow.periods.active(now)
        if period is None:
            raise Conflict("no_period")
        period.ends_at = now
        await uow.periods.update(period)
        await audit(uow, actor, "period.ended", f"period:{period.id}", now, title=period.title)
        await period_ended(uow, period, by=actor.display_name)
        return None
    if len(words) < 2:
        raise DomainError("usage", usage=PERIOD_USAGE)
    title = within("period", words[1])
    hours = in_range(words[0], 1, MAX_PERIOD_HOURS, PERIOD_USAGE)
    period = await uow.periods.add(Period(title, now, now + timedelta(hours=hours),
                                          actor.tg_id or 0))
    await audit(uow, actor, "period.declared", f"period:{period.id}", now, title=period.title,
                until=period.ends_at)
    await period_declared(uow, period, by=actor.display_name)
    return period


async def request_reinforcement(uow: DispatchUnitOfWork, actor: Actor, args: str, clock: Clock
                                ) -> Reinforcement:
    REQUEST_REINFORCEMENT.require(actor)
    parts = args.split(maxsplit=1)
    if len(parts) < 2:
        raise DomainError("usage", usage=REINFORCE_USAGE)
    within("need", parts[1])
    incident = await get_incident(uow, parts[0])
    upper = await chain_unit(uow, UnitKind.UPPER_LEVEL)
    if upper is None or not upper.is_bound:
        raise Conflict("force_unbound", force=upper.name if upper else "—", code="upper")
    now = clock.now()
    assert incident.id is not None
    item = await uow.reinforcements.add(Reinforcement(
        incident.id, parts[1], actor.tg_id or 0, actor.display_name, now))
    assert item.id is not None
    await audit(uow, actor, "reinforcement.requested", subject(incident.id, f"reinf:{item.id}"),
                now, incident=incident.id, need=parts[1])
    await reinforcement_asked(uow, item, incident, upper)
    return item


async def reinforcement_decidable(uow: DispatchUnitOfWork, actor: Actor, item_id: int
                                  ) -> Reinforcement:
    """A pending request, and an approver of the upper level to decide it; else the refusal."""
    DECIDE_REINFORCEMENT.require(actor)
    item = await uow.reinforcements.get(item_id)
    if item is None:
        raise NotFound("plan_unknown", id=item_id)
    if item.status is not ReinforcementStatus.PENDING:
        raise Conflict("plan_decided", by=item.decided_by_name, at=item.decided_at,
                       status=text(f"dispatch.reinforce.status.{item.status}"))
    return item


async def decide_reinforcement(
    uow: DispatchUnitOfWork, actor: Actor, item_id: int, approve: bool, clock: Clock,
    dcfg: DispatchConfig, reason: str = "",
) -> Reinforcement:
    item = await reinforcement_decidable(uow, actor, item_id)
    within("reason", reason)
    incident = await get_incident(uow, item.incident_id, open_only=False)
    now = clock.now()
    item.status = ReinforcementStatus.APPROVED if approve else ReinforcementStatus.REJECTED
    item.decided_by, item.decided_by_name, item.decided_at = actor.tg_id, actor.display_name, now
    item.reason = reason
    if not await uow.reinforcements.save(item, ReinforcementStatus.PENDING.value):
        raise Conflict("plan_decided", by="—", at=now, status="—")
    assert incident.id is not None
    await audit(uow, actor, f"reinforcement.{item.status}", subject(incident.id,
                f"reinf:{item.id}"), now, incident=incident.id, reason=reason)
    await reinforcement_decided(uow, item, incident, now)
    if approve:
        await _order_detachment(uow, item, incident, now, dcfg)
    return item


async def _order_detachment(uow: DispatchUnitOfWork, item: Reinforcement, incident: Incident,
                            now: datetime, dcfg: DispatchConfig) -> None:
    """An approved reinforcement is a plan already decided: the detachment gets the order."""
    detachment = await chain_unit(uow, UnitKind.DETACHMENT)
    if detachment is None or detachment.id is None:
        return
    plan = await uow.plans.add(Plan(
        incident_id=item.incident_id, dispatcher_tg_id=item.requested_by,
        dispatcher_name=item.requested_by_name, task=item.need, created_at=now,
        status=PlanStatus.APPROVED, decided_by=item.decided_by,
        decided_by_name=item.decided_by_name, decided_at=item.decided_at,
        reinforcement_id=item.id, forces=(PlanForce(detachment.id, item.need),)))
    await issue_orders(uow, plan, incident, now, dcfg)


async def ask(uow: DispatchUnitOfWork, prompt: Prompt) -> int:
    """Record a question before it is sent; returns its id, for the message id to follow."""
    return await uow.prompts.add(prompt)


async def take_answer(uow: DispatchUnitOfWork, chat_id: int, message_id: int, tg_id: int | None,
                      kinds: frozenset[PromptKind], replies_to_bot: bool) -> Prompt | None:
    """The question this message answers, if it was asked of this person; then forgotten,
    together with every other open question of that kind about the same thing (a second tap
    asks again; either answer counts, once).

    A question whose message id was never written (the bot stopped, or the database was busy,
    just after sending it) is matched by any reply of that person to a message of the bot."""
    if tg_id is None:
        return None
    mine = [p for p in await uow.prompts.open_for(chat_id, tg_id) if p.kind in kinds]
    chosen = next((p for p in mine if p.message_id == message_id), None)
    if chosen is None and replies_to_bot:
        chosen = next((p for p in mine if p.message_id is None), None)
    if chosen is None:
        return None
    await uow.prompts.remove_like(chosen)
    return chosen
