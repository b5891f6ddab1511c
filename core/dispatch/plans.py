"""Dispatch plans: drafted by the brigade, decided by the bureau, agreed by departments."""

from __future__ import annotations

import re
from datetime import datetime

from core.actor import Actor
from core.clock import Clock
from core.dispatch.config import DispatchConfig
from core.dispatch.incidents import get_incident, subject
from core.dispatch.model import Incident, Plan, PlanForce, PlanStatus
from core.dispatch.notify.plans import plan_card
from core.dispatch.policies import DISPATCH
from core.dispatch.ports import DispatchUnitOfWork
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.limits import within
from core.notices import text
from core.parse import parse_id
from core.registry import Role, Unit, UnitKind
from core.usecases.common import audit

DISPATCH_USAGE = text("usage.dispatch")
NO_PLACE = frozenset({"-", "—", "－", "无", "none", "no"})


async def chosen_forces(uow: DispatchUnitOfWork, codes: list[str]) -> list[Unit]:
    """Every code must name a force whose chat is bound; the first fault is explained."""
    forces: list[Unit] = []
    for code in codes:
        force = await uow.units.by_code(code.strip().lower())
        if force is None or force.kind not in (UnitKind.FORCE, UnitKind.DETACHMENT):
            raise NotFound("force_unknown", code=code)
        if not force.is_bound:
            raise Conflict("force_unbound", force=force.name, code=force.code)
        if all(f.id != force.id for f in forces):
            forces.append(force)
    if not forces:
        raise DomainError("usage", usage=DISPATCH_USAGE)
    return forces


def split_codes(words: str) -> list[str]:
    """Force codes as people type them: commas (either width) or spaces between."""
    return [c.lower() for c in re.split(r"[,，\s]+", words) if c]


FORCE_LINE = re.compile(r"^\s*([\w.-]+)\s*[:：]\s*(.+)$")


def split_tasks(reply: str, forces: list[Unit]) -> tuple[str, dict[str, str]]:
    """A dialog's task reply: ``code: task`` lines for single forces, other lines for the rest.

    Every force must end up with a task; the first without one is named in the refusal.
    """
    codes = {f.code for f in forces}
    common: list[str] = []
    own: dict[str, str] = {}
    for line in (x.strip() for x in reply.splitlines()):
        found = FORCE_LINE.match(line)
        if found and found.group(1).lower() in codes:
            own[found.group(1).lower()] = within("task", found.group(2).strip())
        elif line:
            common.append(line)
    task = within("task", " ".join(common))
    for force in forces:
        if not task and not own.get(force.code):
            raise DomainError("task_missing", force=force.name, code=force.code)
    return task, own


def parse_dispatch(args: str) -> tuple[str, list[str], str]:
    parts = args.split(maxsplit=2)
    if len(parts) < 3:
        raise DomainError("usage", usage=DISPATCH_USAGE)
    return parts[0], split_codes(parts[1]), parts[2].strip()


def parse_standdown(args: str) -> tuple[int, list[str]]:
    """`<plan> [force,...]`: the plan, and the forces named (none: all of them)."""
    usage = text("usage.standdown")
    words = args.split(maxsplit=1)
    if not words:
        raise DomainError("usage", usage=usage)
    forces = split_codes(words[1]) if len(words) > 1 else []
    return parse_id(words[0], usage, "plan_unknown"), forces


def parse_withdraw(args: str) -> int:
    usage = text("usage.withdraw")
    if not args.strip():
        raise DomainError("usage", usage=usage)
    return parse_id(args, usage, "plan_unknown")


async def get_plan(uow: DispatchUnitOfWork, plan_id: int) -> tuple[Plan, Incident]:
    plan = await uow.plans.get(plan_id)
    if plan is None:
        raise NotFound("plan_unknown", id=plan_id)
    incident = await get_incident(uow, plan.incident_id, open_only=False)
    return plan, incident


async def in_special_period(uow: DispatchUnitOfWork, now: datetime, dcfg: DispatchConfig
                            ) -> bool:
    return dcfg.in_flood_season(now) or await uow.periods.active(now) is not None


def require_dispatcher(actor: Actor, incident: Incident) -> None:
    """The brigade's dispatchers call forces; once the county has set up an on-site HQ for the
    incident, the HQ's commanders do too, from the HQ's own chat."""
    here = actor.chat_unit
    if here is not None and here.kind is not UnitKind.BRIGADE and here.id != incident.hq_unit_id:
        actor.require_person()
        raise NotAllowed("wrong_chat", role=Role.DISPATCHER.value)
    DISPATCH.require(actor)


def no_place(rendezvous: str) -> str:
    """A dash or "none" answers the dialog's question with no rendezvous at all: a reply to
    a question cannot be empty."""
    place = rendezvous.strip()
    return "" if place.lower() in NO_PLACE else place


async def submit_plan(
    uow: DispatchUnitOfWork, actor: Actor, incident_raw: str, codes: list[str], task: str,
    rendezvous: str, clock: Clock, dcfg: DispatchConfig, tasks: dict[str, str] | None = None,
) -> Plan:
    actor.require_person()
    incident = await get_incident(uow, incident_raw)
    require_dispatcher(actor, incident)
    rendezvous = no_place(rendezvous)
    forces = await chosen_forces(uow, codes)
    tasks = tasks or {}
    within("task", task.strip())
    within("rendezvous", rendezvous)
    for own in tasks.values():
        within("task", own)
    if any(not (tasks.get(f.code) or task).strip() for f in forces):
        raise DomainError("usage", usage=DISPATCH_USAGE)
    # Each force's own task goes with its order; the plan keeps one line for the whole.
    task = task.strip() or " / ".join(f"{f.name}: {tasks[f.code]}" for f in forces)
    now = clock.now()
    plan = await uow.plans.add(Plan(
        incident_id=incident.id or 0, dispatcher_tg_id=actor.tg_id or 0,
        dispatcher_name=actor.display_name, task=task, created_at=now, rendezvous=rendezvous,
        status=PlanStatus.AWAITING_APPROVAL, remind_due_at=now + dcfg.approval_remind,
        forces=tuple(PlanForce(f.id or 0, tasks.get(f.code) or task) for f in forces)))
    assert plan.id is not None and incident.id is not None
    await audit(uow, actor, "plan.submitted", subject(incident.id, f"plan:{plan.id}"), now,
                incident=incident.id, plan=plan.id, forces=[f.code for f in forces], task=task)
    await plan_card(uow, plan, incident, forces, now)
    return plan

