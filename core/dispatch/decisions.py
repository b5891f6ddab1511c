"""The bureau's decision on a plan, departments' concurrence, and the orders that follow."""

from __future__ import annotations

from datetime import datetime

from core.actor import Actor
from core.answers import from_own_chat
from core.clock import Clock
from core.dispatch.config import DispatchConfig
from core.dispatch.hooks import OrdersIssued
from core.dispatch.incidents import subject
from core.dispatch.model import (
    Concurrence,
    ConcurrenceStatus,
    Incident,
    Order,
    Plan,
    PlanStatus,
)
from core.dispatch.notify.common import unit
from core.dispatch.notify.orders import orders_issued
from core.dispatch.notify.plans import (
    card_decided,
    concurrence_asked,
    concurrence_done,
    plan_rejected,
    plan_returned,
)
from core.dispatch.plans import get_plan, in_special_period
from core.dispatch.policies import DECIDE_PLAN, WITHDRAW
from core.dispatch.ports import DispatchUnitOfWork
from core.errors import Conflict, NotAllowed, NotFound
from core.limits import within
from core.notices import text
from core.registry import Role, Unit, UnitKind
from core.usecases.common import audit


async def decidable(uow: DispatchUnitOfWork, actor: Actor, plan_id: int
                    ) -> tuple[Plan, Incident]:
    """May this actor decide this plan now? Raises the reason why not."""
    DECIDE_PLAN.require(actor)
    plan, incident = await get_plan(uow, plan_id)
    if plan.decided:
        raise already(plan)
    return plan, incident


def already(plan: Plan) -> Conflict:
    return Conflict("plan_decided", by=plan.decided_by_name or "—",
                    at=plan.decided_at or plan.created_at,
                    status=text(f"dispatch.plan.status.{plan.status}"))


async def _save(uow: DispatchUnitOfWork, plan: Plan, expected: PlanStatus) -> None:
    if not await uow.plans.save(plan, expected):
        assert plan.id is not None
        winner = await uow.plans.get(plan.id)
        raise already(winner or plan)


async def approve_plan(uow: DispatchUnitOfWork, actor: Actor, plan_id: int, clock: Clock,
                       dcfg: DispatchConfig) -> Plan:
    """The bureau approves: the orders go out, or in a special period the supervising
    departments are asked first."""
    plan, incident = await decidable(uow, actor, plan_id)
    now = clock.now()
    special = await in_special_period(uow, now, dcfg)
    status = PlanStatus.AWAITING_CONCURRENCE if special else PlanStatus.APPROVED
    await _decided(uow, actor, plan, incident, status, "", now)
    if not (special and await ask_departments(uow, plan, incident)):
        if special:  # no force has a department to ask
            plan.status = PlanStatus.APPROVED
            await _save(uow, plan, PlanStatus.AWAITING_CONCURRENCE)
        await issue_orders(uow, plan, incident, now, dcfg)
    return plan


async def reject_plan(uow: DispatchUnitOfWork, actor: Actor, plan_id: int, clock: Clock, *,
                      reason: str) -> Plan:
    """The bureau rejects, with a reason the brigade is told."""
    plan, incident = await decidable(uow, actor, plan_id)
    within("reason", reason)
    now = clock.now()
    await _decided(uow, actor, plan, incident, PlanStatus.REJECTED, reason, now)
    await plan_rejected(uow, plan, incident, by=actor.display_name, reason=reason)
    return plan


async def _decided(uow: DispatchUnitOfWork, actor: Actor, plan: Plan, incident: Incident,
                   status: PlanStatus, reason: str, now: datetime) -> None:
    """Write the decision once (a concurrent one wins or loses here), audit it, and update
    the plan card."""
    expected = plan.status
    special = status is PlanStatus.AWAITING_CONCURRENCE
    plan.decided_by, plan.decided_by_name, plan.decided_at = actor.tg_id, actor.display_name, now
    plan.reason, plan.special, plan.status = reason, special, status
    await _save(uow, plan, expected)
    assert plan.id is not None and incident.id is not None
    approved = status is not PlanStatus.REJECTED
    await audit(uow, actor, f"plan.{'approved' if approved else 'rejected'}",
                subject(incident.id, f"plan:{plan.id}"), now, incident=incident.id,
                plan=plan.id, reason=reason, special=special)
    await card_decided(uow, plan, incident)


async def ask_departments(uow: DispatchUnitOfWork, plan: Plan, incident: Incident) -> bool:
    assert plan.id is not None
    departments: dict[int, list[str]] = {}
    for chosen in plan.forces:
        force = await unit(uow, chosen.unit_id)
        if force is not None and force.department_id is not None:
            departments.setdefault(force.department_id, []).append(force.name)
    for dept_id, names in departments.items():
        item = await uow.concurrences.add(Concurrence(plan_id=plan.id, department_id=dept_id))
        await concurrence_asked(uow, item, plan, incident, names)
    return bool(departments)


async def issue_orders(uow: DispatchUnitOfWork, plan: Plan, incident: Incident, now: datetime,
                       dcfg: DispatchConfig) -> None:
    """One order per force, a filing copy to its department, and the live board; then what
    other features add (traffic support), in the same transaction."""
    assert plan.id is not None
    forces = {u.id: u for u in await uow.units.list(UnitKind.FORCE)}  # one query, not one each
    issued: list[tuple[Order, Unit | None]] = []
    for chosen in plan.forces:
        order = await uow.orders.add(Order(
            plan_id=plan.id, unit_id=chosen.unit_id, task=chosen.task, issued_at=now,
            t1_due_at=now + dcfg.t1, t2_due_at=now + dcfg.t2))
        assert order.id is not None and incident.id is not None
        force = forces.get(order.unit_id) or await unit(uow, order.unit_id)
        await audit(uow, None, "order.issued", subject(incident.id, f"order:{order.id}"), now,
                    incident=incident.id, plan=plan.id, order=order.id, unit=order.unit_id,
                    force=force.name if force else "")
        issued.append((order, force))
    await orders_issued(uow, plan, incident, issued, now)
    for hook in dcfg.after_orders:
        await hook(uow, OrdersIssued(plan, incident, issued, now))


async def concur(
    uow: DispatchUnitOfWork, actor: Actor, item_id: int, agree: bool, reason: str,
    clock: Clock, dcfg: DispatchConfig,
) -> Concurrence:
    item, plan, incident = await concurrable(uow, actor, item_id)
    within("reason", reason)
    now = clock.now()
    item.status = ConcurrenceStatus.AGREED if agree else ConcurrenceStatus.REFUSED
    item.by, item.by_name, item.at, item.reason = actor.tg_id, actor.display_name, now, reason
    if not await uow.concurrences.save(item, ConcurrenceStatus.PENDING.value):
        raise Conflict("concurrence_decided", by="—", at=now)
    assert plan.id is not None and incident.id is not None
    dept = await unit(uow, item.department_id)
    await audit(uow, actor, f"plan.{'concurred' if agree else 'dissented'}",
                subject(incident.id, f"plan:{plan.id}"), now, incident=incident.id,
                plan=plan.id, department=dept.code if dept else None, reason=reason)
    await concurrence_done(uow, item, plan, incident, now)
    if not agree:
        await _returned(uow, plan, incident, dept.name if dept else "?", actor, reason, now)
    elif all(c.status is ConcurrenceStatus.AGREED for c in await uow.concurrences.for_plan(
            plan.id)):
        plan.status = PlanStatus.APPROVED
        await _save(uow, plan, PlanStatus.AWAITING_CONCURRENCE)
        await issue_orders(uow, plan, incident, now, dcfg)
    return item


async def concurrable(uow: DispatchUnitOfWork, actor: Actor, item_id: int
                      ) -> tuple[Concurrence, Plan, Incident]:
    actor.require_person()
    item = await uow.concurrences.get(item_id)
    if item is None:
        raise NotFound("plan_unknown", id=item_id)
    here = from_own_chat(actor, item.department_id, NotAllowed("wrong_chat",
                                                                role=Role.APPROVER.value))
    if not (actor.has_role(Role.APPROVER, here) or actor.has_role(Role.HEAD, here)):
        raise NotAllowed("missing_role", role=Role.APPROVER.value, unit=here.name)
    if item.status is not ConcurrenceStatus.PENDING:
        raise Conflict("concurrence_decided", by=item.by_name or "—", at=item.at)
    plan, incident = await get_plan(uow, item.plan_id)
    if plan.status is not PlanStatus.AWAITING_CONCURRENCE:
        raise already(plan)
    return item, plan, incident


async def _returned(uow: DispatchUnitOfWork, plan: Plan, incident: Incident, dept: str,
                    actor: Actor, reason: str, now: datetime) -> None:
    plan.status, plan.reason = PlanStatus.RETURNED, reason
    await _save(uow, plan, PlanStatus.AWAITING_CONCURRENCE)
    await plan_returned(uow, plan, incident, dept=dept, by=actor.display_name, reason=reason)


async def withdraw_plan(uow: DispatchUnitOfWork, actor: Actor, plan_id: int, clock: Clock
                        ) -> Plan:
    """The dispatcher takes back a plan the bureau has not decided yet."""
    WITHDRAW.require(actor)
    plan, incident = await get_plan(uow, plan_id)
    if plan.decided:
        raise already(plan)
    now = clock.now()
    expected, plan.status = plan.status, PlanStatus.WITHDRAWN
    plan.decided_by, plan.decided_by_name, plan.decided_at = actor.tg_id, actor.display_name, now
    await _save(uow, plan, expected)
    assert incident.id is not None
    await audit(uow, actor, "plan.withdrawn", subject(incident.id, f"plan:{plan.id}"), now,
                incident=incident.id, plan=plan.id)
    await card_decided(uow, plan, incident)
    return plan
