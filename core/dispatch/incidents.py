"""Incidents: opened, given an on-site HQ, closed with a short summary; the /log timeline."""

from __future__ import annotations

from dataclasses import dataclass

from core.actor import Actor
from core.audit import AuditEntry
from core.clock import Clock
from core.dispatch.model import DRILL_WORDS, LEVEL_WORDS, Incident, Level, Order
from core.dispatch.notify.common import unit
from core.dispatch.notify.incident import hq_named, incident_closed, incident_opened
from core.dispatch.policies import CLOSE, NAME_HQ, OPEN_INCIDENT
from core.dispatch.ports import DispatchUnitOfWork
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.limits import within
from core.notices import text
from core.parse import id_or_unknown
from core.registry import Role, UnitKind
from core.usecases.common import audit

INCIDENT_USAGE = text("usage.incident")
# Who may command on site: a headquarters the county sets up, or the city fire detachment,
# which takes command when it arrives. Naming any other unit would hand the power to call
# forces to, say, a force itself.
HQ_KINDS = frozenset({UnitKind.HQ, UnitKind.DETACHMENT})
TYPE_PREFIXES = ("type=", "类型=")


def subject(incident_id: int, rest: str = "") -> str:
    return f"incident:{incident_id}/{rest}"


async def get_incident(uow: DispatchUnitOfWork, raw: str | int, *, open_only: bool = True
                       ) -> Incident:
    incident_id = raw if isinstance(raw, int) else id_or_unknown(raw, "incident_unknown")
    incident = await uow.incidents.get(incident_id)
    if incident is None:
        raise NotFound("incident_unknown", id=incident_id)
    if open_only and not incident.is_open:
        raise Conflict("incident_closed", id=incident_id, at=incident.closed_at)
    return incident


@dataclass(frozen=True)
class IncidentLine:
    level: Level
    township: str
    title: str
    is_drill: bool = False
    kind: str = ""


def parse_incident(args: str) -> IncidentLine:
    """``<level> <township> <title…> [drill] [type=<kind>]``, in Chinese or English words."""
    words = args.split()
    is_drill = any(w.lower() in DRILL_WORDS for w in words)
    kind = next((w.split("=", 1)[1] for w in words if w.lower().startswith(TYPE_PREFIXES)), "")
    words = [w for w in words if w.lower() not in DRILL_WORDS
             and not w.lower().startswith(TYPE_PREFIXES)]
    if len(words) < 3 or words[0].lower() not in LEVEL_WORDS:
        raise DomainError("usage", usage=INCIDENT_USAGE)
    return IncidentLine(LEVEL_WORDS[words[0].lower()], within("township", words[1]),
                        within("title", " ".join(words[2:])), is_drill, within("kind", kind))


async def open_incident(uow: DispatchUnitOfWork, actor: Actor, args: str, clock: Clock
                        ) -> Incident:
    OPEN_INCIDENT.require(actor)
    return await start_incident(uow, actor, parse_incident(args), clock)


async def start_incident(uow: DispatchUnitOfWork, actor: Actor, line: IncidentLine,
                         clock: Clock) -> Incident:
    """Open an incident as /incident does; the caller has let the actor in (an information
    report opened as an incident comes here too)."""
    now = clock.now()
    incident = await uow.incidents.add(Incident(
        title=line.title, kind=line.kind, township=line.township, level=line.level,
        opened_at=now, opened_by=actor.tg_id or 0, opened_by_name=actor.display_name,
        is_drill=line.is_drill))
    assert incident.id is not None
    await audit(uow, actor, "incident.opened", subject(incident.id), now, incident=incident.id,
                level=line.level.value, township=line.township, title=line.title,
                kind=line.kind, drill=line.is_drill)
    await incident_opened(uow, incident, by=actor.display_name, now=now)
    return incident


async def set_hq(uow: DispatchUnitOfWork, actor: Actor, raw_incident: str, unit_code: str,
                 clock: Clock) -> Incident:
    NAME_HQ.require(actor)
    incident = await get_incident(uow, raw_incident)
    hq = await uow.units.by_code(unit_code.strip().lower())
    if hq is None or hq.id is None:
        raise NotFound("unknown_unit", code=unit_code)
    if hq.kind not in HQ_KINDS:
        raise DomainError("not_an_hq", unit=hq.name, code=hq.code,
                          kind=text(f"kind.{hq.kind}"))
    if not hq.is_bound:
        raise Conflict("force_unbound", force=hq.name)
    incident.hq_unit_id = hq.id
    await uow.incidents.update(incident)
    now = clock.now()
    assert incident.id is not None
    await audit(uow, actor, "incident.hq", subject(incident.id), now, incident=incident.id,
                hq=hq.code)
    await hq_named(uow, incident, hq)
    return incident


async def close_incident(uow: DispatchUnitOfWork, actor: Actor, raw: str, clock: Clock
                         ) -> Incident:
    CLOSE.require(actor)
    incident = await get_incident(uow, raw)
    assert incident.id is not None
    now = clock.now()
    orders: list[tuple[Order, str]] = []
    for plan in await uow.plans.for_incident(incident.id):
        assert plan.id is not None
        for order in await uow.orders.for_plan(plan.id):
            force = await unit(uow, order.unit_id)
            orders.append((order, force.name if force else "?"))
    incident.closed_at, incident.closed_by = now, actor.tg_id
    await uow.incidents.update(incident)
    await audit(uow, actor, "incident.closed", subject(incident.id), now, incident=incident.id,
                orders=len(orders), drill=incident.is_drill)
    await incident_closed(uow, incident, orders, now)
    return incident


async def incident_log(uow: DispatchUnitOfWork, actor: Actor, raw: str
                       ) -> tuple[Incident, list[AuditEntry]]:
    actor.require_person()
    if actor.chat_unit is None:
        raise NotAllowed("wrong_chat", role=Role.DISPATCHER.value)
    incident = await get_incident(uow, raw, open_only=False)
    assert incident.id is not None
    return incident, await uow.audit.for_subject(subject(incident.id))
