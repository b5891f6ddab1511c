"""The notices of plans: the card the bureau decides on, the departments' concurrence, the
brigade told of a refusal, the approvers reminded."""

from __future__ import annotations

from datetime import datetime

from core.dispatch.model import Concurrence, Incident, Plan
from core.dispatch.notify.common import drill, joined, minutes, tell
from core.dispatch.ports import DispatchUnitOfWork
from core.dispatch.wording import optional
from core.notices import Action, Button, Mention, Notice, Priority, moment, text
from core.registry import Unit, UnitKind


async def plan_card(uow: DispatchUnitOfWork, plan: Plan, incident: Incident, forces: list[Unit],
                    now: datetime) -> None:
    assert plan.id is not None
    lines = [text("dispatch.plan.force", force=f.name,
                  category=optional("dispatch.plan.force.category",
                                    text(f"category.{f.category}") if f.category else ""),
                  caps=optional("dispatch.plan.force.caps", list(f.capabilities)),
                  task=chosen.task)
             for f, chosen in zip(forces, plan.forces, strict=True)]
    buttons = ((Button("dispatch.btn.approve", Action.APPROVE_PLAN, plan.id),
                Button("dispatch.btn.reject", Action.REJECT_PLAN, plan.id)),)
    await tell(uow, (UnitKind.BUREAU,), "dispatch.plan.card", Priority.HIGH,
               edit_key=f"plan:{plan.id}:card", buttons=buttons, plan=plan.id,
               incident=incident.title, incident_id=incident.id, drill=drill(incident),
               level=text(f"dispatch.level.{incident.level}"), township=incident.township,
               dispatcher=plan.dispatcher_name,
               rendezvous=optional("dispatch.line.rendezvous", plan.rendezvous),
               forces=joined(lines), at=moment(now))


async def card_decided(uow: DispatchUnitOfWork, plan: Plan, incident: Incident) -> None:
    """The plan card loses its buttons and says who decided, when, and how."""
    await tell(uow, (UnitKind.BUREAU,), "dispatch.plan.card_decided", Priority.HIGH,
               edit_key=f"plan:{plan.id}:card", plan=plan.id, incident=incident.title,
               drill=drill(incident), status=text(f"dispatch.plan.status.{plan.status}"),
               by=plan.decided_by_name, at=moment(plan.decided_at or plan.created_at),
               reason=text("dispatch.board.reason", reason=plan.reason) if plan.reason else "")


async def plan_rejected(uow: DispatchUnitOfWork, plan: Plan, incident: Incident, *, by: str,
                        reason: str) -> None:
    await tell(uow, (UnitKind.BRIGADE,), "dispatch.plan.rejected", Priority.HIGH,
               plan=plan.id, incident=incident.title, drill=drill(incident),
               by=by, reason=reason)


async def concurrence_asked(uow: DispatchUnitOfWork, item: Concurrence, plan: Plan,
                            incident: Incident, forces: list[str]) -> None:
    """The department is asked to agree to sending its forces."""
    assert item.id is not None
    buttons = ((Button("dispatch.btn.concur", Action.CONCUR, item.id),
                Button("dispatch.btn.dissent", Action.DISSENT, item.id)),)
    await uow.outbox.add(Notice(
        "dispatch.concur.ask", dict(plan=plan.id, incident=incident.title,
                                    drill=drill(incident), forces=forces, task=plan.task),
        unit_id=item.department_id, buttons=buttons, priority=Priority.HIGH,
        edit_key=f"concur:{item.id}"))


async def concurrence_done(uow: DispatchUnitOfWork, item: Concurrence, plan: Plan,
                           incident: Incident, now: datetime) -> None:
    """The department's question shows its answer instead of its buttons."""
    await uow.outbox.add(Notice(
        "dispatch.concur.done", dict(plan=plan.id, incident=incident.title, drill=drill(incident),
                                     status=text(f"dispatch.concur.status.{item.status}"),
                                     by=item.by_name, at=moment(now)),
        unit_id=item.department_id, priority=Priority.HIGH, edit_key=f"concur:{item.id}"))


async def plan_returned(uow: DispatchUnitOfWork, plan: Plan, incident: Incident, *, dept: str,
                        by: str, reason: str) -> None:
    """A department dissented: the dispatcher is called on to draft again; the bureau sees it."""
    params = dict(plan=plan.id, incident=incident.title, drill=drill(incident), dept=dept,
                  by=by, reason=reason)
    dispatcher = (Mention(plan.dispatcher_tg_id, plan.dispatcher_name),)
    await tell(uow, (UnitKind.BRIGADE,), "dispatch.plan.returned", Priority.HIGH,
               mentions=dispatcher, **params)
    await tell(uow, (UnitKind.BUREAU,), "dispatch.plan.returned", Priority.HIGH, **params)


async def approval_reminder(uow: DispatchUnitOfWork, plan: Plan, incident: Incident, stage: str,
                            mentions: tuple[Mention, ...], now: datetime) -> None:
    await tell(uow, (UnitKind.BUREAU,), f"dispatch.remind.{stage}", Priority.HIGH,
               mentions=mentions, plan=plan.id, incident=incident.title, drill=drill(incident),
               waited=minutes(plan.created_at, now))
