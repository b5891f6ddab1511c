"""Orders: a force's answers, stand-down, and what happens when an order cannot be delivered."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, cast

from core.actor import Actor
from core.clock import Clock
from core.dispatch.incidents import get_incident, require_any, subject
from core.dispatch.model import ORDER_MOVES, Incident, Order, OrderStatus, Plan
from core.dispatch.notify import board, commander_name, drill, order_notice, tell, unit
from core.dispatch.plans import get_plan
from core.dispatch.ports import DispatchUnitOfWork
from core.errors import Conflict, NotAllowed, NotFound
from core.limits import within
from core.notices import Mention, Notice, Priority
from core.ports import UnitOfWork
from core.registry import Role, UnitKind
from core.usecases.common import audit
from core.usecases.delivery import FAILURE_HOOKS


async def answerable(uow: DispatchUnitOfWork, actor: Actor, order_id: int, to: OrderStatus
                     ) -> tuple[Order, Plan, Incident]:
    """Anyone in the force's own chat may answer its order; nobody elsewhere."""
    actor.require_person()
    order = await uow.orders.get(order_id)
    if order is None:
        raise NotFound("order_unknown", id=order_id)
    here = actor.chat_unit
    if here is None or here.id != order.unit_id:
        raise NotAllowed("order_other_chat")
    if to not in ORDER_MOVES[order.status]:
        raise order.refusal()
    plan, incident = await get_plan(uow, order.plan_id)
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
    await uow.commit()
    return order


async def _after_move(uow: DispatchUnitOfWork, actor: Actor | None, order: Order, plan: Plan,
                      incident: Incident, now: Any) -> None:
    assert incident.id is not None
    await audit(uow, actor, f"order.{order.status}", subject(incident.id, f"order:{order.id}"),
                now, incident=incident.id, plan=plan.id, order=order.id, unit=order.unit_id,
                by=actor.display_name if actor else "", reason=order.reason)
    commander = await commander_name(uow, incident)
    await uow.outbox.add(await order_notice(uow, order, plan, incident, commander))
    await board(uow, plan, incident, now)


async def stand_down(uow: DispatchUnitOfWork, actor: Actor, plan_id: int, clock: Clock,
                     forces: Collection[str] = ()) -> int:
    """The named forces of the plan (all, if none is named) are stood down; buttons go away."""
    require_any(actor, ((UnitKind.BRIGADE, Role.DISPATCHER), (UnitKind.BRIGADE, Role.COMMANDER)))
    plan, incident = await get_plan(uow, plan_id)
    await get_incident(uow, plan.incident_id)
    assert plan.id is not None
    orders = await uow.orders.for_plan(plan.id)
    if forces:
        chosen = await _forces_of_plan(uow, plan, orders, forces)
        orders = [o for o in orders if o.unit_id in chosen]
    now, count = clock.now(), 0
    for order in orders:
        if order.status is OrderStatus.STOOD_DOWN:
            continue
        expected = order.status
        order.move(OrderStatus.STOOD_DOWN, actor.tg_id, actor.display_name, now)
        if await uow.orders.save(order, expected.value):
            count += 1
            await _after_move(uow, actor, order, plan, incident, now)
    if count == 0:
        raise Conflict("nothing_to_stand_down", plan=plan.id)
    await uow.commit()
    return count


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
    force = await unit(duow, order.unit_id)
    await tell(duow, (UnitKind.BRIGADE,), "dispatch.order.undeliverable", Priority.CRITICAL,
               mentions=(Mention(plan.dispatcher_tg_id, plan.dispatcher_name),),
               plan=plan.id, force=force.name if force else "?", drill=drill(incident),
               reason={"_t": f"reason.{reason}"})


FAILURE_HOOKS["order"] = order_undeliverable
