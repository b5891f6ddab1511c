"""The notices of orders: the order in the force's chat, its filing copy, the live board, and the
alarms when a force stays silent or cannot be reached."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.dispatch.model import Incident, Order, OrderStatus, Plan, PlanStatus
from core.dispatch.notify.common import commander_name, drill, joined, minutes, tell, unit
from core.dispatch.ports import DispatchUnitOfWork
from core.dispatch.wording import after, optional
from core.notices import Action, Button, Mention, Notice, Priority, moment, text
from core.registry import Unit, UnitKind

ORDER_BUTTONS = (
    (Button("dispatch.btn.received", Action.ORDER_RECEIVED, 0),
     Button("dispatch.btn.en_route", Action.ORDER_EN_ROUTE, 0)),
    (Button("dispatch.btn.on_scene", Action.ORDER_ON_SCENE, 0),
     Button("dispatch.btn.unable", Action.ORDER_UNABLE, 0)),
)
NEXT_BUTTONS: dict[OrderStatus, tuple[Action, ...]] = {
    OrderStatus.ISSUED: (Action.ORDER_RECEIVED, Action.ORDER_EN_ROUTE, Action.ORDER_ON_SCENE,
                         Action.ORDER_UNABLE),
    OrderStatus.RECEIVED: (Action.ORDER_EN_ROUTE, Action.ORDER_ON_SCENE, Action.ORDER_UNABLE),
    OrderStatus.EN_ROUTE: (Action.ORDER_ON_SCENE,),
}


def order_line(order: Order, force: str, now: datetime) -> Any:
    state = text(f"dispatch.order.state.{order.status}")
    who = order.who(order.status)
    at = order.at(order.status)
    if order.status is OrderStatus.ISSUED:
        return text("dispatch.board.silent", force=force, state=state,
                    waited=after("dispatch.board.waited", minutes(order.issued_at, now)))
    if order.status is OrderStatus.STOOD_DOWN:
        # What the force had reported stays on the board after it is called back.
        last = order.last_answer()
        before = (text("dispatch.board.before", state=text(f"dispatch.order.state.{last}"),
                       who=order.who(last) or "—",
                       after=minutes(order.issued_at, order.at(last) or now))
                  if last else text("dispatch.board.before_silent"))
        return text("dispatch.board.stood_down", force=force, state=state, who=who or "—",
                    at=moment(at or now), before=before)
    reason = (text("dispatch.board.reason", reason=order.reason)
              if order.status is OrderStatus.UNABLE and order.reason else "")
    return text("dispatch.board.line", force=force, state=state,
                who=optional("dispatch.board.who", who),
                after=after("dispatch.board.after", minutes(order.issued_at, at or now)),
                reason=reason)


async def board(uow: DispatchUnitOfWork, plan: Plan, incident: Incident, now: datetime) -> None:
    """The live board in the brigade and bureau chats (and the HQ's, once there is one)."""
    assert plan.id is not None
    rows = [order_line(order, force or "?", now)
            for order, force in await uow.orders.named_for_plan(plan.id)]
    params = dict(plan=plan.id, incident=incident.title, drill=drill(incident),
                  marks=await board_marks(uow, incident), lines=joined(rows),
                  updated=moment(now))
    await tell(uow, (UnitKind.BRIGADE, UnitKind.BUREAU), "dispatch.board", Priority.HIGH,
               edit_key=f"plan:{plan.id}:board", **params)
    if incident.hq_unit_id is not None:
        await uow.outbox.add(Notice("dispatch.board", params, unit_id=incident.hq_unit_id,
                                    priority=Priority.HIGH, edit_key=f"plan:{plan.id}:board"))


# The lines other features keep on an incident (core.dispatch.marks), top to bottom on the
# board; a key not listed comes after these.
MARK_ORDER = ("response", "sitrep", "experts", "traffic")


async def board_marks(uow: DispatchUnitOfWork, incident: Incident) -> Any:
    """The lines other features keep on the incident (response level, situation update,
    experts, traffic support), above the forces, in MARK_ORDER."""
    assert incident.id is not None
    marks = await uow.marks.of(incident.id)
    if not marks:
        return ""
    keys = sorted(marks, key=lambda k: (MARK_ORDER.index(k) if k in MARK_ORDER
                                        else len(MARK_ORDER), k))
    return text("dispatch.board.marks", lines=joined([marks[k] for k in keys]))


async def refresh_boards(uow: DispatchUnitOfWork, incident: Incident, now: datetime) -> None:
    """Every board of the incident shows what changed (a plan's board exists once its orders
    went out)."""
    assert incident.id is not None
    for plan in await uow.plans.for_incident(incident.id):
        if plan.status is PlanStatus.APPROVED and plan.id is not None \
                and await uow.orders.for_plan(plan.id):
            await board(uow, plan, incident, now)


def order_buttons(order: Order) -> tuple[tuple[Button, ...], ...]:
    assert order.id is not None
    allowed = NEXT_BUTTONS.get(order.status, ())
    rows = []
    for row in ORDER_BUTTONS:
        kept = tuple(Button(b.label, b.action, order.id) for b in row if b.action in allowed)
        if kept:
            rows.append(kept)
    return tuple(rows)


def order_notice(order: Order, plan: Plan, incident: Incident, commander: str, *,
                 resend: bool = False, mentions: tuple[Mention, ...] = ()) -> Notice:
    state = text(f"dispatch.order.state.{order.status}")
    who = order.who(order.status)
    params = dict(order=order.id, plan=plan.id, incident=incident.title, drill=drill(incident),
                  level=text(f"dispatch.level.{incident.level}"), township=incident.township,
                  task=order.task, rendezvous=optional("dispatch.line.rendezvous",
                                                       plan.rendezvous),
                  commander=commander, state=state, who=optional("dispatch.order.who", who))
    return Notice(
        "dispatch.order.resend" if resend else "dispatch.order", params,
        unit_id=order.unit_id, buttons=order_buttons(order), priority=Priority.CRITICAL,
        edit_key=None if resend else f"order:{order.id}", mentions=mentions,
        subject=f"order:{order.id}")


async def orders_issued(uow: DispatchUnitOfWork, plan: Plan, incident: Incident,
                        issued: list[tuple[Order, Unit | None]], now: datetime) -> None:
    """Each order to its force, a filing copy to the force's department, then the board."""
    commander = await commander_name(uow, incident)
    for order, force in issued:
        await uow.outbox.add(order_notice(order, plan, incident, commander))
        if force is not None and force.department_id is not None:
            await uow.outbox.add(Notice(
                "dispatch.filing", dict(plan=plan.id, incident=incident.title,
                                        drill=drill(incident), force=force.name, task=order.task,
                                        at=moment(now), commander=commander),
                unit_id=force.department_id, priority=Priority.NORMAL,
                subject=f"filing:{order.id}"))
    await board(uow, plan, incident, now)


async def order_moved(uow: DispatchUnitOfWork, order: Order, plan: Plan, incident: Incident,
                      now: datetime) -> None:
    """The order shows its new state in the force's chat; the board follows."""
    commander = await commander_name(uow, incident)
    await uow.outbox.add(order_notice(order, plan, incident, commander))
    await board(uow, plan, incident, now)


async def order_resent(uow: DispatchUnitOfWork, order: Order, plan: Plan, incident: Incident,
                       mentions: tuple[Mention, ...]) -> None:
    commander = await commander_name(uow, incident)
    await uow.outbox.add(order_notice(order, plan, incident, commander, resend=True,
                                      mentions=mentions))


async def forces_silent(uow: DispatchUnitOfWork, plan: Plan, incident: Incident,
                        orders: list[Order], now: datetime) -> None:
    names = []
    for order in orders:
        force = await unit(uow, order.unit_id)
        names.append(text("dispatch.silent.force", force=force.name if force else "?",
                          waited=minutes(order.issued_at, now)))
    await tell(uow, (UnitKind.BRIGADE, UnitKind.BUREAU), "dispatch.silent", Priority.CRITICAL,
               plan=plan.id, incident=incident.title, drill=drill(incident), forces=names,
               count=len(names))


async def undelivered(uow: DispatchUnitOfWork, order: Order, plan: Plan, incident: Incident,
                      reason: str) -> None:
    """The dispatcher is told to call the force another way."""
    force = await unit(uow, order.unit_id)
    await tell(uow, (UnitKind.BRIGADE,), "dispatch.order.undeliverable", Priority.CRITICAL,
               mentions=(Mention(plan.dispatcher_tg_id, plan.dispatcher_name),),
               plan=plan.id, force=force.name if force else "?", drill=drill(incident),
               reason=text(f"reason.{reason}"))
