"""The notices of the dispatch chain: plan card, orders, filings, the live board."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.dispatch.model import Incident, Order, OrderStatus, Plan
from core.dispatch.ports import DispatchUnitOfWork
from core.dispatch.wording import after, optional
from core.notices import Action, Button, Mention, Notice, Priority, lines, moment, text
from core.registry import Role, Unit, UnitKind

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
                  lines=joined(rows), updated=moment(now))
    await tell(uow, (UnitKind.BRIGADE, UnitKind.BUREAU), "dispatch.board", Priority.HIGH,
               edit_key=f"plan:{plan.id}:board", **params)
    if incident.hq_unit_id is not None:
        await uow.outbox.add(Notice("dispatch.board", params, unit_id=incident.hq_unit_id,
                                    priority=Priority.HIGH, edit_key=f"plan:{plan.id}:board"))


def order_buttons(order: Order) -> tuple[tuple[Button, ...], ...]:
    assert order.id is not None
    allowed = NEXT_BUTTONS.get(order.status, ())
    rows = []
    for row in ORDER_BUTTONS:
        kept = tuple(Button(b.label, b.action, order.id) for b in row if b.action in allowed)
        if kept:
            rows.append(kept)
    return tuple(rows)


async def order_notice(uow: DispatchUnitOfWork, order: Order, plan: Plan, incident: Incident,
                       commander: str, *, resend: bool = False,
                       mentions: tuple[Mention, ...] = ()) -> Notice:
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


async def commander_name(uow: DispatchUnitOfWork, incident: Incident) -> str:
    if incident.hq_unit_id is not None:
        hq = await unit(uow, incident.hq_unit_id)
        if hq is not None:
            return hq.name
    brigade = await chain_unit(uow, UnitKind.BRIGADE)
    return brigade.name if brigade else "—"
