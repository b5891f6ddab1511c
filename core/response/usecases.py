"""Proposing a response level, agreeing or refusing it from the other side, and what happens
when both sides agreed: the level starts (changes, ends) with its effects and one
announcement. A proposal waiting too long calls the other side's leaders, once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.actor import Actor
from core.clock import Clock
from core.dispatch.incidents import get_incident, subject
from core.dispatch.marks import set_mark
from core.dispatch.model import Incident
from core.dispatch.notify.common import chain_unit, minutes, people_mentions
from core.errors import Conflict, NotAllowed, NotFound
from core.limits import within
from core.notices import text
from core.registry import UnitKind
from core.response import notices
from core.response.config import ResponseConfig
from core.response.model import Effects, Level, Proposal, Response, Side, Status
from core.response.parse import parse_respond
from core.response.policies import LEADERS, PROPOSE, SIDES
from core.response.ports import ResponseUnitOfWork
from core.rollcall.config import RollCallConfig
from core.rollcall.usecases import open_ordered
from core.usecases.common import audit
from core.warnings.targets import TargetSpec, select_forces

MARK = "response"  # the key of the response's line on the incident's boards


def _about(p: Proposal) -> str:
    return subject(p.incident_id, f"response:{p.id}")


async def in_force(uow: ResponseUnitOfWork, incident_id: int) -> Level:
    current = await uow.responses.current(incident_id)
    return current.level if current is not None else Level.NONE


async def propose(uow: ResponseUnitOfWork, actor: Actor, args: str, clock: Clock,
                  cfg: ResponseConfig) -> tuple[Proposal, Incident]:
    """Either side proposes; the proposal goes to the other side. An open proposal on the same
    incident is superseded by this one."""
    unit = PROPOSE.require(actor)
    raw_incident, level = parse_respond(args)
    incident = await get_incident(uow, raw_incident)
    assert incident.id is not None
    was = await in_force(uow, incident.id)
    if level is was:
        raise Conflict("response_none" if level is Level.NONE else "response_same_level",
                       incident=incident.id, level=notices.level_text(level))
    now = clock.now()
    olds = await uow.responses.open_for(incident.id)
    p = await uow.responses.add(Proposal(
        incident.id, level, was, Side(unit.kind.value), actor.tg_id or 0, actor.display_name,
        now, now + cfg.confirm))
    await audit(uow, actor, "response.proposed", _about(p), now, incident=incident.id,
                proposal=p.id, level=level.value, was=was.value, side=p.side.value)
    for old in olds:
        await _supersede(uow, actor, old, p, incident, now)
    await notices.card(uow, p, incident)
    return p, incident


async def _supersede(uow: ResponseUnitOfWork, actor: Actor, old: Proposal, new: Proposal,
                     incident: Incident, now: datetime) -> None:
    old.decided_by, old.decided_by_name, old.decided_at = actor.tg_id, actor.display_name, now
    old.superseded_by = new.id
    if await uow.responses.decide(old, Status.SUPERSEDED):
        old.status = Status.SUPERSEDED
        await audit(uow, actor, "response.superseded", _about(old), now,
                    incident=incident.id, proposal=old.id, newer=new.id, level=old.level.value)
        await notices.card(uow, old, incident, notices.decided_state(old))


async def _side_of(uow: ResponseUnitOfWork, actor: Actor, side: Side) -> bool:
    """Whether the actor holds any role in this side's unit."""
    unit = await chain_unit(uow, side.kind)
    return unit is not None and any(g.unit_id == unit.id for g in actor.grants)


async def decidable(uow: ResponseUnitOfWork, actor: Actor, proposal_id: int
                    ) -> tuple[Proposal, Incident]:
    """Only a leader of the side that did not propose answers, while the proposal is open and
    its incident too; anyone else is told why."""
    actor.require_person()
    p = await uow.responses.get(proposal_id)
    if p is None:
        raise NotFound("response_unknown", id=proposal_id)
    deciders = SIDES[p.side.other]
    if not deciders.allows(actor, private=False):
        chat = actor.chat_unit
        if (chat is not None and chat.kind is p.side.kind) or await _side_of(uow, actor, p.side):
            raise NotAllowed("response_own_side", id=p.id, side=_side_name(p.side),
                             other=_side_name(p.side.other))
        deciders.require(actor)
    if not p.is_open:
        raise _decided(p)
    incident = await get_incident(uow, p.incident_id)
    return p, incident


def _side_name(side: Side) -> dict[str, Any]:
    return text(f"kind.{side.kind.value}")


def _decided(p: Proposal) -> Conflict:
    if p.status is Status.SUPERSEDED:
        return Conflict("response_superseded", id=p.id, newer=p.superseded_by or 0)
    return Conflict("response_decided", id=p.id, by=p.decided_by_name,
                    at=p.decided_at, status=text(f"response.status.{p.status}"))


async def _decide(uow: ResponseUnitOfWork, actor: Actor, p: Proposal, status: Status,
                  now: datetime, reason: str = "") -> None:
    p.decided_by, p.decided_by_name, p.decided_at = actor.tg_id, actor.display_name, now
    p.reason = reason
    if not await uow.responses.decide(p, status):
        fresh = await uow.responses.get(p.id or 0)
        assert fresh is not None
        raise _decided(fresh)
    p.status = status


async def agree(uow: ResponseUnitOfWork, actor: Actor, proposal_id: int, clock: Clock,
                cfg: ResponseConfig, rcfg: RollCallConfig) -> Response:
    """The second side agrees: the level starts (changes, ends) now."""
    p, incident = await decidable(uow, actor, proposal_id)
    now = clock.now()
    await _decide(uow, actor, p, Status.AGREED, now)
    await audit(uow, actor, "response.agreed", _about(p), now, incident=incident.id,
                proposal=p.id, level=p.level.value)
    await notices.card(uow, p, incident, notices.decided_state(p))
    return await _apply(uow, actor, p, incident, now, cfg, rcfg)


async def refuse(uow: ResponseUnitOfWork, actor: Actor, proposal_id: int, reason: str,
                 clock: Clock) -> Proposal:
    """暂不启动: nothing starts; the reason goes to the proposer."""
    reason = within("reason", reason.strip()) or "—"
    p, incident = await decidable(uow, actor, proposal_id)
    now = clock.now()
    await _decide(uow, actor, p, Status.REFUSED, now, reason)
    await audit(uow, actor, "response.refused", _about(p), now, incident=incident.id,
                proposal=p.id, level=p.level.value, reason=reason)
    await notices.card(uow, p, incident, notices.decided_state(p))
    await notices.refused(uow, p, incident)
    return p


def _scope(incident: Incident, *levels: Level) -> TargetSpec:
    """The forces concerned: the incident's township, or the whole county for Ⅱ and Ⅰ (when
    lowered or ended from Ⅱ, those who heard Ⅱ hear the change too)."""
    if any(level.county_wide for level in levels):
        return TargetSpec("all")
    return TargetSpec("township", (incident.township,))


async def _apply(uow: ResponseUnitOfWork, actor: Actor, p: Proposal, incident: Incident,
                 now: datetime, cfg: ResponseConfig, rcfg: RollCallConfig) -> Response:
    assert incident.id is not None and p.id is not None
    was = await in_force(uow, incident.id)
    effects = cfg.of(p.level) if p.level is not Level.NONE else Effects()
    # A drill's level exercises the chain but never puts the county on daily roll-calls.
    response = Response(incident.id, p.level, now, p.id,
                        effects.daily_rollcall and not incident.is_drill,
                        effects.order_remind_minutes)
    spec = _scope(incident, p.level, was)
    forces, _ = select_forces(spec, await uow.units.list(UnitKind.FORCE))
    called = 0
    if effects.rollcall and p.level.rank > was.rank:  # started or raised: who is on duty?
        opened = await open_ordered(uow, _scope(incident, p.level), p.decided_by, now, rcfg,
                                    incident.id if incident.is_drill else None)
        if opened is not None:
            rollcall, called = opened
            response.rollcall_id = rollcall.id
    await uow.responses.put_current(response)
    kind = "ended" if p.level is Level.NONE else "started" if was is Level.NONE else "changed"
    await audit(uow, actor, f"response.{kind}", _about(p), now, incident=incident.id,
                proposal=p.id, level=p.level.value, was=was.value, side=p.side.value,
                proposed_by=p.proposed_by_name, rollcall=response.rollcall_id,
                daily_rollcall=response.daily_rollcall,
                order_remind_minutes=response.order_remind_minutes, forces=len(forces))
    await notices.announced(uow, p, incident, response, forces, called)
    await set_mark(uow, incident, MARK, notices.mark(response), now)
    return response


async def escalate_due(uow: ResponseUnitOfWork, clock: Clock) -> int:
    """Proposals not answered in time: the other side's leaders are called, once each."""
    now = clock.now()
    acted = 0
    for p in await uow.responses.due(now):
        if not await uow.responses.claim_escalation(p.id or 0, now):
            continue
        incident = await uow.incidents.get(p.incident_id)
        to = await chain_unit(uow, p.side.other.kind)
        if incident is None or not incident.is_open or to is None or to.id is None:
            continue  # nothing to start any more, or nobody to call
        mentions = await people_mentions(uow, to.id, LEADERS[p.side.other])
        await notices.escalated(uow, p, incident, to, mentions, minutes(p.proposed_at, now))
        await audit(uow, None, "response.escalated", _about(p), now, incident=incident.id,
                    proposal=p.id, level=p.level.value, mentioned=[m.tg_id for m in mentions])
        acted += 1
    return acted
