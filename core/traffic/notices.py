"""Every message of traffic support: the request to public security and transport (with its
buttons, edited to show the answer), the word to the brigade when something needs coordinating
or no such department exists, and the line on the incident's boards."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.dispatch.marks import set_mark
from core.dispatch.model import Incident, Plan
from core.dispatch.notify.common import drill, joined, tell
from core.dispatch.ports import DispatchUnitOfWork
from core.dispatch.wording import optional
from core.notices import Action, Button, Mention, Notice, Priority, moment, text
from core.registry import Item, Unit, UnitKind
from core.traffic.model import ForceVehicles, TrafficRequest, TrafficState

MARK = "traffic"  # the key of traffic support's line on the board (MARK_ORDER)
FORCE_LINES = 30  # forces listed by name; the rest are counted, so the notice stays one message
VEHICLE_KINDS = 4  # vehicle kinds named per force; more are counted


def _vehicles(items: Sequence[Item]) -> Any:
    if not items:
        return text("traffic.no_vehicles")
    named: list[Any] = [text("traffic.vehicle", name=i.name, count=i.count, unit=i.unit)
                        for i in items[:VEHICLE_KINDS]]
    if len(items) > VEHICLE_KINDS:
        named.append(text("traffic.more_kinds", count=len(items) - VEHICLE_KINDS))
    return named


def force_lines(forces: Sequence[ForceVehicles]) -> tuple[list[Any], Any]:
    """One line per force with its vehicles, at most FORCE_LINES; then how many more."""
    shown = [text("traffic.force", force=f.force, vehicles=_vehicles(f.vehicles))
             for f in forces[:FORCE_LINES]]
    rest = forces[FORCE_LINES:]
    more = text("traffic.more_forces", count=len(rest),
                vehicles=sum(f.count for f in rest)) if rest else ""
    return shown, more


def _state(request: TrafficRequest) -> Any:
    if request.state is TrafficState.PENDING or request.at is None:
        return ""
    return text(f"traffic.state.{request.state}", by=request.by_name, at=moment(request.at),
                need=request.need)


def request_notice(request: TrafficRequest, plan: Plan, incident: Incident) -> Notice:
    assert request.id is not None
    forces = request.forces
    shown, more = force_lines(forces)
    params = dict(incident=incident.id, title=incident.title, drill=drill(incident),
                  township=incident.township, plan=plan.id,
                  rendezvous=plan.rendezvous or text("traffic.no_rendezvous"),
                  count=len(forces), vehicles=sum(f.count for f in forces),
                  lines=joined(shown), more=more, state=_state(request))
    buttons = ((Button("traffic.btn.arranged", Action.TRAFFIC_ARRANGED, request.id),
                Button("traffic.btn.needs", Action.TRAFFIC_NEEDS, request.id)),)
    return Notice("traffic.request", params, unit_id=request.department_id, buttons=buttons,
                  priority=Priority.HIGH, edit_key=f"traffic:{request.id}",
                  subject=f"traffic:{request.id}")


async def requested(uow: DispatchUnitOfWork, request: TrafficRequest, plan: Plan,
                    incident: Incident) -> None:
    """The request, first sent or edited to show the department's latest answer."""
    await uow.outbox.add(request_notice(request, plan, incident))


async def no_department(uow: DispatchUnitOfWork, plan: Plan, incident: Incident,
                        sectors: Sequence[str]) -> None:
    """The plan's dispatcher, in the brigade's chat: nobody was asked to open the lanes."""
    await tell(uow, (UnitKind.BRIGADE,), "traffic.no_department", Priority.HIGH,
               mentions=(Mention(plan.dispatcher_tg_id, plan.dispatcher_name),),
               plan=plan.id, incident=incident.id, title=incident.title, drill=drill(incident),
               sectors=list(sectors))


async def needs_told(uow: DispatchUnitOfWork, request: TrafficRequest, plan: Plan,
                     incident: Incident, department: Unit) -> None:
    """需协调 reaches the brigade's chat and the plan's dispatcher at once."""
    assert request.at is not None
    await tell(uow, (UnitKind.BRIGADE,), "traffic.needs", Priority.HIGH,
               mentions=(Mention(plan.dispatcher_tg_id, plan.dispatcher_name),),
               plan=plan.id, incident=incident.id, title=incident.title, drill=drill(incident),
               unit=department.name, by=request.by_name, at=moment(request.at),
               need=request.need, rendezvous=optional("dispatch.line.rendezvous",
                                                      plan.rendezvous))


def _mark_item(request: TrafficRequest, name: str) -> Any:
    if request.state is TrafficState.PENDING or request.at is None:
        return text("traffic.mark.pending", unit=name)
    return text(f"traffic.mark.{request.state}", unit=name, by=request.by_name,
                at=moment(request.at), need=request.need)


async def mark(uow: DispatchUnitOfWork, incident: Incident, latest: Sequence[TrafficRequest],
               names: dict[int, str], now: Any) -> None:
    """The board's line: each department's latest answer on the incident."""
    items = [_mark_item(r, names.get(r.department_id, "?")) for r in latest]
    await set_mark(uow, incident, MARK, text("traffic.mark", items=items), now)


async def mark_none(uow: DispatchUnitOfWork, incident: Incident, now: Any) -> None:
    await set_mark(uow, incident, MARK, text("traffic.mark.none"), now)


async def undelivered(uow: DispatchUnitOfWork, plan: Plan, incident: Incident, department: Unit,
                      reason: str) -> None:
    """The request never reached the department: the dispatcher calls them another way."""
    await tell(uow, (UnitKind.BRIGADE,), "traffic.undeliverable", Priority.HIGH,
               mentions=(Mention(plan.dispatcher_tg_id, plan.dispatcher_name),),
               plan=plan.id, incident=incident.id, title=incident.title, drill=drill(incident),
               unit=department.name, reason=text(f"reason.{reason}"))
