"""What the sweep does for the dispatch chain: remind approvers, escalate silent forces."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from core.clock import Clock
from core.dispatch.config import DispatchConfig
from core.dispatch.incidents import subject
from core.dispatch.model import Order, OrderStatus, Plan, PlanStatus
from core.dispatch.notify.common import chain_unit, people_mentions, unit
from core.dispatch.notify.orders import forces_silent, order_resent
from core.dispatch.notify.plans import approval_reminder
from core.dispatch.plans import get_plan
from core.dispatch.ports import DispatchUnitOfWork
from core.registry import Role, UnitKind
from core.usecases.common import audit

T1_ROLES = frozenset({Role.DUTY_OFFICER, Role.HEAD})
ISSUED = OrderStatus.ISSUED.value
DEPUTY_ROLES = frozenset({Role.APPROVER, Role.HEAD, Role.MEMBER})


async def escalate(uow: DispatchUnitOfWork, clock: Clock, dcfg: DispatchConfig) -> int:
    """Act once on everything overdue at this moment; running it again changes nothing."""
    now = clock.now()
    acted = 0
    for order in await uow.orders.t1_due(now):
        acted += await _t1(uow, order, now)
    silent: dict[int, list[Order]] = defaultdict(list)
    for order in await uow.orders.t2_due(now):
        if await uow.orders.claim(order.id or 0, "escalated_t2_at", now, ISSUED):
            silent[order.plan_id].append(order)
    for plan_id, orders in silent.items():
        acted += await _t2(uow, plan_id, orders, now)
    for plan in await uow.plans.reminders_due(now):
        acted += await _remind(uow, plan, now, dcfg)
    return acted


async def _t1(uow: DispatchUnitOfWork, order: Order, now: datetime) -> int:
    if not await uow.orders.claim(order.id or 0, "escalated_t1_at", now, ISSUED):
        return 0
    plan, incident = await get_plan(uow, order.plan_id)
    mentions = await people_mentions(uow, order.unit_id, T1_ROLES)
    await order_resent(uow, order, plan, incident, mentions)
    assert incident.id is not None
    force = await unit(uow, order.unit_id)
    await audit(uow, None, "order.escalated_t1", subject(incident.id, f"order:{order.id}"), now,
                incident=incident.id, plan=plan.id, order=order.id,
                force=force.name if force else "", mentioned=[m.tg_id for m in mentions])
    return 1


async def _t2(uow: DispatchUnitOfWork, plan_id: int, orders: list[Order], now: datetime) -> int:
    plan, incident = await get_plan(uow, plan_id)
    await forces_silent(uow, plan, incident, orders, now)
    assert incident.id is not None
    await audit(uow, None, "order.escalated_t2", subject(incident.id, f"plan:{plan.id}"), now,
                incident=incident.id, plan=plan.id, orders=[o.id for o in orders])
    return 1


async def _remind(uow: DispatchUnitOfWork, plan: Plan, now: datetime, dcfg: DispatchConfig) -> int:
    """First the approvers are reminded; if still undecided, the bureau's deputies too."""
    bureau = await chain_unit(uow, UnitKind.BUREAU)
    if bureau is None or bureau.id is None:
        return 0
    _, incident = await get_plan(uow, plan.id or 0)
    approvers = await people_mentions(uow, bureau.id, frozenset({Role.APPROVER}))
    waiting = PlanStatus.AWAITING_APPROVAL.value
    if plan.reminded_at is None:
        claimed = await uow.plans.claim(plan.id or 0, "reminded_at", now, waiting,
                                        deputies_due_at=now + dcfg.approval_remind)
        mentions, stage = approvers, "approvers"
    else:
        claimed = await uow.plans.claim(plan.id or 0, "deputies_at", now, waiting)
        # The deputies: the bureau's leadership beyond the approvers already reminded.
        mentions = await people_mentions(uow, bureau.id, DEPUTY_ROLES)
        stage = "deputies"
    if not claimed:
        return 0
    assert incident.id is not None
    await approval_reminder(uow, plan, incident, stage, mentions, now)
    await audit(uow, None, f"plan.reminded_{stage}", subject(incident.id, f"plan:{plan.id}"),
                now, incident=incident.id, plan=plan.id)
    return 1
