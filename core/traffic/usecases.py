"""Traffic support: a request to public security and transport when a plan's orders go out, and
their answers (已安排 / 需协调) on the incident's boards and timeline."""

from __future__ import annotations

from typing import cast

from core.actor import Actor
from core.clock import Clock
from core.dispatch.hooks import OrdersHook, OrdersIssued
from core.dispatch.incidents import subject
from core.dispatch.model import Incident, Plan
from core.dispatch.ports import DispatchUnitOfWork
from core.errors import Conflict, NotFound
from core.limits import within
from core.notices import Notice
from core.ports import UnitOfWork
from core.registry import Unit, UnitKind
from core.traffic import notices
from core.traffic.model import ForceVehicles, TrafficConfig, TrafficRequest, TrafficState
from core.traffic.policies import require_member
from core.traffic.ports import TrafficUnitOfWork
from core.usecases.common import audit


def forces_with_vehicles(issued: OrdersIssued, cfg: TrafficConfig
                         ) -> tuple[ForceVehicles, ...]:
    """Each force of the plan, once, with the vehicles the registry lists for it."""
    seen: set[int] = set()
    found = []
    for order, force in issued.issued:
        if order.unit_id in seen:
            continue
        seen.add(order.unit_id)
        found.append(ForceVehicles(force.name if force else "?",
                                   cfg.vehicles(force) if force else ()))
    return tuple(found)


async def orders_went_out(uow: TrafficUnitOfWork, issued: OrdersIssued, cfg: TrafficConfig
                          ) -> None:
    """One request per traffic department for this plan; with none in the registry the plan's
    dispatcher is told so, once for the plan (its orders go out once)."""
    plan, incident, now = issued.plan, issued.incident, issued.at
    assert plan.id is not None and incident.id is not None
    departments = cfg.departments(await uow.units.list(UnitKind.DEPARTMENT))
    if not departments:
        await audit(uow, None, "traffic.no_department", subject(incident.id, f"plan:{plan.id}"),
                    now, incident=incident.id, plan=plan.id)
        await notices.no_department(uow, plan, incident, sorted(cfg.sectors))
        if not await uow.traffic.for_incident(incident.id):
            await notices.mark_none(uow, incident, now)
        return
    forces = forces_with_vehicles(issued, cfg)
    for department in departments:
        assert department.id is not None
        request = await uow.traffic.add(TrafficRequest(plan.id, incident.id, department.id,
                                                       now, forces=forces))
        await audit(uow, None, "traffic.requested",
                    subject(incident.id, f"traffic:{request.id}"), now, incident=incident.id,
                    plan=plan.id, department=department.code, forces=len(forces),
                    vehicles=sum(f.count for f in forces))
        await notices.requested(uow, request, plan, incident)
    await _mark(uow, incident, now)


def after_orders(cfg: TrafficConfig) -> OrdersHook:
    """The hook the composition root gives the dispatch chain."""

    async def hook(uow: DispatchUnitOfWork, issued: OrdersIssued) -> None:
        # The storage unit of work carries every feature's repositories (core.county).
        await orders_went_out(cast(TrafficUnitOfWork, uow), issued, cfg)

    return hook


async def answerable(uow: TrafficUnitOfWork, actor: Actor, request_id: int
                     ) -> tuple[TrafficRequest, Unit, Plan, Incident]:
    """A request of an open incident, and a person of its department in its chat; else why
    not."""
    actor.require_person()
    request = await uow.traffic.get(request_id)
    if request is None:
        raise NotFound("traffic_unknown", id=request_id)
    department = await uow.units.get(request.department_id)
    assert department is not None
    require_member(actor, department)
    incident = await uow.incidents.get(request.incident_id)
    plan = await uow.plans.get(request.plan_id)
    assert incident is not None and plan is not None
    if not incident.is_open:
        raise Conflict("traffic_closed", incident=incident.id, title=incident.title,
                       at=incident.closed_at)
    return request, department, plan, incident


async def answer(uow: TrafficUnitOfWork, actor: Actor, request_id: int, state: TrafficState,
                 need: str, clock: Clock) -> TrafficRequest:
    """已安排, or 需协调 with what: a later answer of the department replaces the earlier one
    (arranged after needs-coordination is the normal course); the timeline keeps both."""
    request, department, plan, incident = await answerable(uow, actor, request_id)
    need = within("traffic_need", need.strip()) if state is TrafficState.NEEDS else ""
    if state is TrafficState.ARRANGED and request.state is TrafficState.ARRANGED:
        raise Conflict("traffic_arranged", by=request.by_name, at=request.at)
    now = clock.now()
    read = request.revision
    request.state, request.need, request.at = state, need, now
    request.by, request.by_name = actor.tg_id, actor.display_name
    request.revision = read + 1
    if not await uow.traffic.answer(request, read):
        fresh = await uow.traffic.get(request_id)
        raise Conflict("traffic_answered", by=fresh.by_name if fresh else "—",
                       at=fresh.at if fresh and fresh.at else now)
    assert incident.id is not None
    await audit(uow, actor, f"traffic.{state}", subject(incident.id, f"traffic:{request.id}"),
                now, incident=incident.id, plan=plan.id, department=department.code,
                need=need)
    await notices.requested(uow, request, plan, incident)
    if state is TrafficState.NEEDS:
        await notices.needs_told(uow, request, plan, incident, department)
    await _mark(uow, incident, now)
    return request


async def _mark(uow: TrafficUnitOfWork, incident: Incident, now: object) -> None:
    assert incident.id is not None
    latest: dict[int, TrafficRequest] = {}
    for request in sorted(await uow.traffic.for_incident(incident.id), key=lambda r: r.id or 0):
        latest[request.department_id] = request
    names = {}
    for dept_id in latest:
        unit = await uow.units.get(dept_id)
        names[dept_id] = unit.name if unit else "?"
    await notices.mark(uow, incident, list(latest.values()), names, now)


async def request_undeliverable(uow: UnitOfWork, notice: Notice, reason: str) -> None:
    """A request that could not be sent (the department's chat is not bound, or the bot was
    removed): the plan's dispatcher is told, once, for the first sending."""
    tuow = cast(TrafficUnitOfWork, uow)
    request = await tuow.traffic.get(int(notice.subject.split(":")[1]))
    if request is None or request.state is not TrafficState.PENDING:
        return
    plan = await tuow.plans.get(request.plan_id)
    incident = await tuow.incidents.get(request.incident_id)
    department = await tuow.units.get(request.department_id)
    if plan is None or incident is None or department is None:
        return
    await notices.undelivered(tuow, plan, incident, department, reason)
