"""Orders: a force's answers, stand-down, and what happens when an order cannot be delivered."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Any, cast

from core.actor import Actor
from core.answers import from_own_chat
from core.clock import Clock
from core.dispatch.incidents import get_incident, subject
from core.dispatch.model import ORDER_MOVES, Incident, Order, OrderStatus, Plan
from core.dispatch.notify.common import joined, unit
from core.dispatch.notify.orders import order_moved, undelivered
from core.dispatch.plans import get_plan
from core.dispatch.policies import STAND_DOWN
from core.dispatch.ports import DispatchUnitOfWork
from core.errors import Conflict, NotAllowed, NotFound
from core.limits import within
from core.notices import Notice, text
from core.ports import UnitOfWork
from core.usecases.common import audit


async def answerable(uow: DispatchUnitOfWork, actor: Actor, order_id: int, to: OrderStatus
                     ) -> tuple[Order, Plan, Incident]:
    """Anyone in the force's own chat may answer its order; nobody elsewhere."""
    actor.require_person()
    order = await uow.orders.get(order_id)
    if order is None:
        raise NotFound("order_unknown", id=order_id)
    from_own_chat(actor, order.unit_id, NotAllowed("order_other_chat"))
    if to not in ORDER_MOVES[order.status]:
        raise order.refusal()
    plan, incident = await get_plan(uow, order.plan_id)
    if incident.closed_at is not None:
        # The summary went out at the close and the records are final: a late tap must not
        # make them disagree with what the county government was sent.
        raise Conflict("incident_closed", id=incident.id, at=incident.closed_at)
    return order, plan, incident


async def answer_order(
    uow: DispatchUnitOfWork, actor: Actor, order_id: int, to: OrderStatus, reason: str,
    clock: Clock,
) -> Order:
    order, plan, incident = await answerable(uow, actor, order_id, to)
    within("reason", reason)
    now = clock.now()
    expected = order.status
    order.move(to, actor.tg_id, actor.display_name, now)
    if to is OrderStatus.UNABLE:
        order.reason = reason
    if not await uow.orders.save(order, expected.value):
        fresh = await uow.orders.get(order_id)
        raise (fresh or order).refusal()
    await _after_move(uow, actor, order, plan, incident, now)
    return order


async def _after_move(uow: DispatchUnitOfWork, actor: Actor | None, order: Order, plan: Plan,
                      incident: Incident, now: Any) -> None:
    assert incident.id is not None
    force = await unit(uow, order.unit_id)
    # The reason belongs to the unable step alone: a later stand-down must not repeat it.
    reason = order.reason if order.status is OrderStatus.UNABLE else ""
    await audit(uow, actor, f"order.{order.status}", subject(incident.id, f"order:{order.id}"),
                now, incident=incident.id, plan=plan.id, order=order.id, unit=order.unit_id,
                force=force.name if force else "", by=actor.display_name if actor else "",
                reason=reason)
    await order_moved(uow, order, plan, incident, now)


@dataclass
class StandDown:
    """Who was told to stand down, and who was not because they were not out."""

    plan: int
    stood_down: list[str] = field(default_factory=list)
    unable: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)

    def others(self) -> Any:
        parts = []
        if self.unable:
            parts.append(text("dispatch.standdown.unable", names=self.unable,
                              count=len(self.unable)))
        if self.already:
            parts.append(text("dispatch.standdown.already", names=self.already,
                              count=len(self.already)))
        return text("dispatch.standdown.others", lines=joined(parts)) if parts else ""


async def stand_down(uow: DispatchUnitOfWork, actor: Actor, plan_id: int, clock: Clock,
                     forces: Collection[str] = ()) -> StandDown:
    """The named forces of the plan (all, if none is named) still out are stood down, silent
    ones included since they may be on their way; an unable force keeps its answer."""
    STAND_DOWN.require(actor)
    plan, incident = await get_plan(uow, plan_id)
    await get_incident(uow, plan.incident_id)
    assert plan.id is not None
    orders = await uow.orders.for_plan(plan.id)
    if forces:
        chosen = await _forces_of_plan(uow, plan, orders, forces)
        orders = [o for o in orders if o.unit_id in chosen]
    now, result = clock.now(), StandDown(plan.id)
    for order in orders:
        force = await unit(uow, order.unit_id)
        name = force.name if force else "?"
        order, done = await _stand_down_one(uow, actor, order, now)
        if done:
            result.stood_down.append(name)
            await _after_move(uow, actor, order, plan, incident, now)
        else:
            (result.unable if order.status is OrderStatus.UNABLE else result.already).append(name)
    if not result.stood_down:
        raise Conflict("nothing_out", plan=plan.id, others=result.others())
    return result


async def _stand_down_one(uow: DispatchUnitOfWork, actor: Actor, order: Order, now: Any
                          ) -> tuple[Order, bool]:
    """(the order as it stands now, whether this call stood it down). A force answering at the
    same moment is read again: still out, it is stood down; unable, its answer stands. Each
    failed write means the order moved on, so this ends within as many tries as there are
    states."""
    for _ in OrderStatus:
        if not order.is_out:
            return order, False
        expected = order.status
        moved = replace(order, by=dict(order.by))
        moved.move(OrderStatus.STOOD_DOWN, actor.tg_id, actor.display_name, now)
        if await uow.orders.save(moved, expected.value):
            return moved, True
        order = await uow.orders.get(order.id or 0) or order
    return order, False


async def _forces_of_plan(uow: DispatchUnitOfWork, plan: Plan, orders: list[Order],
                          codes: Collection[str]) -> set[int]:
    """Unit ids for the codes; a code that is unknown or not in this plan refuses them all."""
    ordered = {o.unit_id for o in orders}
    chosen = set()
    for code in codes:
        force = await uow.units.by_code(code.strip().lower())
        if force is None or force.id is None:
            raise NotFound("unknown_unit", code=code)
        if force.id not in ordered:
            raise Conflict("force_not_in_plan", force=force.name, code=code, plan=plan.id)
        chosen.add(force.id)
    return chosen


async def order_undeliverable(uow: UnitOfWork, notice: Notice, reason: str) -> None:
    """The order never reached the force: the dispatcher must call them another way."""
    duow = cast(DispatchUnitOfWork, uow)
    order_id = int(notice.subject.split(":")[1])
    order = await duow.orders.get(order_id)
    if order is None:
        return
    plan, incident = await get_plan(duow, order.plan_id)
    await undelivered(duow, order, plan, incident, reason)

