"""A response level's order reminder interval: while the level is in force, an order of the
incident not yet received is sent again every N minutes, mentioning the force's duty officers
and head (the dispatch chain's own T1/T2 escalation runs as before, beside it)."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.clock import Clock
from core.dispatch.escalation import T1_ROLES
from core.dispatch.incidents import subject
from core.dispatch.model import Incident, Order, OrderStatus, Plan, PlanStatus
from core.dispatch.notify.common import people_mentions
from core.dispatch.notify.orders import order_resent
from core.response.model import Response
from core.response.ports import ResponseUnitOfWork
from core.usecases.common import audit


async def remind_orders(uow: ResponseUnitOfWork, clock: Clock) -> int:
    """Act once on every order due a reminder at this moment; running it again changes
    nothing until the next interval."""
    now = clock.now()
    acted = 0
    for response in await uow.responses.reminding():
        incident = await uow.incidents.get(response.incident_id)
        if incident is None or not incident.is_open:
            continue
        waiting = await _waiting(uow, incident)
        last = await uow.responses.reminded([o.id for o, _ in waiting if o.id is not None])
        for order, plan in waiting:
            acted += await _remind(uow, response, incident, order, plan, last.get(order.id or 0),
                                   now)
    return acted


async def _waiting(uow: ResponseUnitOfWork, incident: Incident) -> list[tuple[Order, Plan]]:
    """The incident's orders that no force has answered yet."""
    assert incident.id is not None
    found = []
    for plan in await uow.plans.for_incident(incident.id):
        if plan.status is PlanStatus.APPROVED and plan.id is not None:
            found += [(o, plan) for o in await uow.orders.for_plan(plan.id)
                      if o.status is OrderStatus.ISSUED]
    return found


async def _remind(uow: ResponseUnitOfWork, response: Response, incident: Incident, order: Order,
                  plan: Plan, last: datetime | None, now: datetime) -> int:
    # Counted from the order, the level's start or the last reminder, whichever is latest.
    since = max(order.issued_at, response.since, last or order.issued_at)
    if now - since < timedelta(minutes=response.order_remind_minutes):
        return 0
    assert order.id is not None and incident.id is not None
    if not await uow.responses.claim_reminder(order.id, last, now):
        return 0
    mentions = await people_mentions(uow, order.unit_id, T1_ROLES)
    await order_resent(uow, order, plan, incident, mentions)
    await audit(uow, None, "response.order_reminded", subject(incident.id, f"order:{order.id}"),
                now, incident=incident.id, plan=plan.id, order=order.id, unit=order.unit_id,
                every=response.order_remind_minutes, mentioned=[m.tg_id for m in mentions])
    return 1
