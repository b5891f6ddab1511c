"""The notices of an incident as a whole: opened, given an HQ, closed with its summary; the
bureau's special periods; reinforcement asked of the upper level."""

from __future__ import annotations

from datetime import datetime

from core.dispatch.model import Incident, Order, OrderStatus, Period, Reinforcement
from core.dispatch.muster import MusterRow, muster
from core.dispatch.notify.common import chain_unit, drill, joined, minutes, tell
from core.dispatch.ports import DispatchUnitOfWork
from core.dispatch.wording import after, optional
from core.notices import Action, Button, Notice, Priority, moment, text
from core.registry import Unit, UnitKind


async def incident_opened(uow: DispatchUnitOfWork, incident: Incident, *, by: str,
                          now: datetime) -> None:
    await tell(uow, (UnitKind.BUREAU, UnitKind.BRIGADE), "dispatch.incident.report",
               Priority.HIGH, id=incident.id, title=incident.title, township=incident.township,
               level=text(f"dispatch.level.{incident.level}"), drill=drill(incident),
               kind=optional("dispatch.incident.kind", incident.kind),
               by=by, at=moment(now),
               command=text("dispatch.command.hq" if incident.needs_hq
                            else "dispatch.command.brigade"))


async def hq_named(uow: DispatchUnitOfWork, incident: Incident, hq: Unit) -> None:
    """The chain learns who commands on site; the HQ itself is told too."""
    await tell(uow, (UnitKind.BUREAU, UnitKind.BRIGADE), "dispatch.incident.hq", Priority.HIGH,
               id=incident.id, title=incident.title, hq=hq.name, drill=drill(incident))
    await uow.outbox.add(Notice("dispatch.incident.hq", dict(
        id=incident.id, title=incident.title, hq=hq.name, drill=drill(incident)),
        unit_id=hq.id, priority=Priority.HIGH))


def summary_line(order: Order, force: str) -> object:
    """What the force answered, from the stamps of each step; a stand-down is added, never
    put in the place of an answer."""
    issued = order.issued_at
    if order.status is OrderStatus.UNABLE:
        return text("dispatch.summary.unable", force=force, at=moment(issued), reason=order.reason)
    if order.last_answer() is None:
        line = text("dispatch.summary.silent", force=force, at=moment(issued))
    else:
        first = min(t for t in (order.received_at, order.en_route_at, order.on_scene_at) if t)
        arrived = (after("dispatch.summary.arrived", minutes(issued, order.on_scene_at))
                   if order.on_scene_at else text("dispatch.summary.not_arrived"))
        line = text("dispatch.summary.answered", force=force, at=moment(issued),
                    received=after("dispatch.summary.received", minutes(issued, first)),
                    arrived=arrived)
    if order.stood_down_at is None:
        return line
    return text("dispatch.summary.stood_down", line=line, at=moment(order.stood_down_at),
                by=order.who(OrderStatus.STOOD_DOWN) or "—")


def _figure(value: float | None) -> object:
    if value is None:
        return text("dispatch.muster.none")
    return text("dispatch.muster.minutes", value=f"{value:g}")


def muster_line(row: MusterRow) -> object:
    """One force's muster figures: minutes from the order to each step it reported."""
    if row.unable:
        return text("dispatch.muster.unable", force=row.force)
    return text("dispatch.muster.row", force=row.force, received=_figure(row.received),
                en_route=_figure(row.en_route), on_scene=_figure(row.on_scene))


def muster_text(orders: list[tuple[Order, str]]) -> object:
    rows = [muster_line(r) for r in muster(orders)]
    return text("dispatch.muster", rows=joined(rows) if rows else text("dispatch.summary.none"))


async def incident_closed(uow: DispatchUnitOfWork, incident: Incident,
                          orders: list[tuple[Order, str]], now: datetime) -> None:
    """The summary: every order of the incident, by force name, and how it was answered;
    a drill's adds its muster figures (how fast each force turned out)."""
    lines = [summary_line(order, force) for order, force in orders]
    await tell(uow, (UnitKind.BUREAU, UnitKind.BRIGADE, UnitKind.GOVERNMENT),
               "dispatch.summary", Priority.NORMAL, id=incident.id, title=incident.title,
               drill=drill(incident), opened=moment(incident.opened_at), closed=moment(now),
               lines=joined(lines) if lines else text("dispatch.summary.none"),
               muster=muster_text(orders) if incident.is_drill else "")


async def period_declared(uow: DispatchUnitOfWork, period: Period, *, by: str) -> None:
    await tell(uow, (UnitKind.BUREAU, UnitKind.BRIGADE), "dispatch.period.declared",
               title=period.title, until=moment(period.ends_at), by=by)


async def period_ended(uow: DispatchUnitOfWork, period: Period, *, by: str) -> None:
    await tell(uow, (UnitKind.BUREAU, UnitKind.BRIGADE), "dispatch.period.ended",
               title=period.title, by=by)


async def reinforcement_asked(uow: DispatchUnitOfWork, item: Reinforcement, incident: Incident,
                              upper: Unit) -> None:
    """The upper level gets the request with buttons to decide it."""
    assert item.id is not None
    buttons = ((Button("dispatch.btn.approve", Action.REINFORCE_APPROVE, item.id),
                Button("dispatch.btn.reject", Action.REINFORCE_REJECT, item.id)),)
    await uow.outbox.add(Notice(
        "dispatch.reinforce.ask", dict(id=item.id, incident=incident.title, drill=drill(incident),
                                       level=text(f"dispatch.level.{incident.level}"),
                                       township=incident.township, need=item.need,
                                       by=item.requested_by_name),
        unit_id=upper.id, buttons=buttons, priority=Priority.CRITICAL,
        edit_key=f"reinf:{item.id}"))


async def reinforcement_decided(uow: DispatchUnitOfWork, item: Reinforcement,
                                incident: Incident, now: datetime) -> None:
    """The upper level's request shows the decision; the bureau and brigade hear the answer."""
    params = dict(id=item.id, incident=incident.title, drill=drill(incident), need=item.need,
                  status=text(f"dispatch.reinforce.status.{item.status}"),
                  by=item.decided_by_name, at=moment(now),
                  reason=text("dispatch.board.reason", reason=item.reason) if item.reason
                  else "")
    upper = await chain_unit(uow, UnitKind.UPPER_LEVEL)
    await uow.outbox.add(Notice("dispatch.reinforce.decided", params, unit_id=upper.id if upper
                                else None, priority=Priority.HIGH, edit_key=f"reinf:{item.id}"))
    await tell(uow, (UnitKind.BUREAU, UnitKind.BRIGADE), "dispatch.reinforce.answer",
               Priority.HIGH, **params)
