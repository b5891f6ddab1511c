"""Consulting experts: the request, the expert's answer (accept, or cannot attend with a
reason), the advice, and the reminder of an expert silent for T1."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from core.actor import Actor
from core.answers import from_own_chat
from core.clock import Clock
from core.consult import notices
from core.consult.model import Consultation, ConsultStatus
from core.consult.policies import CONSULT
from core.consult.ports import ConsultUnitOfWork
from core.dispatch.config import DispatchConfig
from core.dispatch.escalation import T1_ROLES
from core.dispatch.incidents import HQ_KINDS, get_incident, subject
from core.dispatch.model import Incident
from core.dispatch.notify.common import people_mentions
from core.errors import DomainError, NotAllowed, NotFound
from core.limits import within
from core.notices import Notice, lines, text
from core.ports import UnitOfWork
from core.registry import ForceCategory, Unit
from core.usecases.common import audit

CONSULT_USAGE = text("usage.consult")
QUESTION = 1000  # the longest question, in characters
ADVICE = 2000  # the longest piece of advice; a longer one is sent in two replies
EXPERTS = 20  # experts asked at once; more is a typing mistake (and a lookup each)
# <incident> <code>[,<code>…] <question>: commas of either width, spaces around them allowed.
LINE = re.compile(r"\s*(\S+)\s+((?:[^\s,，]+\s*[,，]\s*)*[^\s,，]+)[\s,，]*(.*)", re.DOTALL)


@dataclass(frozen=True)
class ConsultLine:
    incident: str
    codes: tuple[str, ...]
    question: str


def _within(field: str, value: str, limit: int) -> str:
    if len(value) > limit:
        raise DomainError("too_long", field=text(f"field.{field}"), limit=limit,
                          length=len(value))
    return value


def parse_consult(args: str) -> ConsultLine:
    found = LINE.fullmatch(args)
    if found is None:
        raise DomainError("usage", usage=CONSULT_USAGE)
    raw, codes, question = found.groups()
    unique = tuple(dict.fromkeys(c.lower() for c in re.split(r"[,，\s]+", codes) if c))
    if len(unique) > EXPERTS:
        raise DomainError("consult_too_many", count=len(unique), max=EXPERTS)
    question = question.strip()
    if not question:
        raise DomainError("consult_no_question", usage=CONSULT_USAGE)
    return ConsultLine(raw, unique, _within("question", question, QUESTION))


def is_expert(unit: Unit) -> bool:
    return unit.is_force and unit.category is ForceCategory.EXPERT


async def experts_named(uow: ConsultUnitOfWork, codes: tuple[str, ...]) -> list[Unit]:
    """Every code must name an expert force whose chat is bound; all the wrong ones are named
    in one refusal, each with why, and nobody is asked."""
    found: list[Unit] = []
    wrong = []
    for code in codes:
        unit = await uow.units.by_code(code)
        if unit is None:
            wrong.append(text("consult.wrong.unknown", code=code))
        elif not is_expert(unit):
            wrong.append(text("consult.wrong.not_expert", code=code, name=unit.name))
        elif not unit.is_bound:
            wrong.append(text("consult.wrong.unbound", code=code, name=unit.name))
        else:
            found.append(unit)
    if wrong:
        raise DomainError("consult_wrong_experts", wrong=lines(wrong), count=len(wrong))
    return found


def require_asker(actor: Actor, incident: Incident) -> Unit:
    """The policy's holders; an HQ's commanders only about their own incident."""
    unit = CONSULT.require(actor)
    if unit.kind in HQ_KINDS and unit.id != incident.hq_unit_id:
        raise NotAllowed("consult_other_hq", unit=unit.name, incident=incident.id)
    return unit


async def consult(uow: ConsultUnitOfWork, actor: Actor, args: str, clock: Clock,
                  dcfg: DispatchConfig) -> tuple[Incident, list[Unit]]:
    """Each expert named gets the question with 接受 / 无法参加; the experts asked."""
    CONSULT.require(actor)  # without the role, the refusal says so before the arguments
    line = parse_consult(args)
    incident = await get_incident(uow, line.incident)
    asker = require_asker(actor, incident)
    experts = await experts_named(uow, line.codes)
    now = clock.now()
    assert incident.id is not None and asker.id is not None
    for expert in experts:
        assert expert.id is not None
        c = await uow.consultations.add(Consultation(
            incident.id, expert.id, line.question, actor.tg_id or 0, actor.display_name,
            asker.id, now, now + dcfg.t1))
        await audit(uow, actor, "consult.asked", subject(incident.id, f"consult:{c.id}"), now,
                    incident=incident.id, consultation=c.id, unit=expert.id,
                    expert=expert.code, text=line.question)
        await notices.asked(uow, c, incident, expert, asker)
    await notices.mark(uow, incident, now)
    return incident, experts


@dataclass
class Found:
    consultation: Consultation
    incident: Incident
    expert: Unit
    asker: Unit


async def _found(uow: ConsultUnitOfWork, item_id: int) -> Found:
    c = await uow.consultations.get(item_id)
    if c is None:
        raise NotFound("consult_unknown", id=item_id)
    incident = await get_incident(uow, c.incident_id, open_only=False)
    expert, asker = await uow.units.get(c.unit_id), await uow.units.get(c.asked_unit_id)
    assert expert is not None and asker is not None
    return Found(c, incident, expert, asker)


def require_expert(actor: Actor, found: Found) -> None:
    """Only the expert force's own people (any role it gives them: head, duty officer,
    member) answer, from its own chat."""
    actor.require_person()
    refusal = NotAllowed("consult_not_expert", expert=found.expert.name)
    from_own_chat(actor, found.expert.id or 0, refusal)
    if actor.anonymous or not any(g.unit_id == found.expert.id for g in actor.grants):
        raise refusal


async def answerable(uow: ConsultUnitOfWork, actor: Actor, item_id: int) -> Found:
    """The request may still be answered, by this person: else why not."""
    found = await _found(uow, item_id)
    require_expert(actor, found)
    if not found.consultation.silent:
        raise found.consultation.refusal()
    if not found.incident.is_open:
        raise _closed(found.incident)
    return found


def _closed(incident: Incident) -> DomainError:
    return DomainError("consult_incident_closed", incident=incident.id, title=incident.title,
                       at=incident.closed_at)


async def answer(uow: ConsultUnitOfWork, actor: Actor, item_id: int, accept: bool,
                 reason: str, clock: Clock) -> Found:
    found = await answerable(uow, actor, item_id)
    c = found.consultation
    now = clock.now()
    to = ConsultStatus.ACCEPTED if accept else ConsultStatus.DECLINED
    c.answer(to, actor.tg_id, actor.display_name, now,
             "" if accept else within("reason", reason.strip() or "—"))
    if not await uow.consultations.save(c, ConsultStatus.ASKED.value):
        fresh = await uow.consultations.get(item_id)
        raise (fresh or c).refusal()
    assert found.incident.id is not None
    await audit(uow, actor, f"consult.{to}", subject(found.incident.id, f"consult:{c.id}"),
                now, incident=found.incident.id, consultation=c.id, unit=c.unit_id,
                expert=found.expert.code, reason=c.reason)
    await notices.answered(uow, c, found.incident, found.expert, found.asker)
    await notices.mark(uow, found.incident, now)
    return found


async def ask_advice(uow: ConsultUnitOfWork, found: Found, chat_id: int) -> int:
    """Write down the question (or acknowledgement) the expert will reply to with advice,
    before it is sent; its id, for the message id to follow."""
    assert found.consultation.id is not None
    return await uow.consultations.thread(found.consultation.id, chat_id)


@dataclass(frozen=True)
class Advice:
    found: Found
    n: int  # this consultation's pieces of advice so far
    count: int  # the expert's pieces of advice on the incident, in the records


async def give_advice(uow: ConsultUnitOfWork, actor: Actor, item_id: int, advice: str,
                      clock: Clock) -> Advice:
    """A piece of advice on an accepted consultation, from the expert force's people."""
    found = await _found(uow, item_id)
    require_expert(actor, found)
    c = found.consultation
    if c.status is not ConsultStatus.ACCEPTED:
        raise c.refusal()
    if not found.incident.is_open:
        raise _closed(found.incident)
    body = advice.strip()
    if not body:
        raise DomainError("consult_empty_advice", id=c.id)
    _within("advice", body, ADVICE)
    now = clock.now()
    assert c.id is not None and found.incident.id is not None
    c.advice = await uow.consultations.count_advice(c.id)
    count = await uow.consultations.tally(found.incident.id, c.unit_id)
    await audit(uow, actor, "consult.advice", subject(found.incident.id, f"consult:{c.id}"),
                now, incident=found.incident.id, consultation=c.id, unit=c.unit_id,
                expert=found.expert.code, n=c.advice, count=count, text=body)
    await notices.advised(uow, c, found.incident, found.expert, found.asker, body,
                          actor.display_name, count, now)
    await notices.mark(uow, found.incident, now)
    return Advice(found, c.advice, count)


async def remind_silent(uow: ConsultUnitOfWork, clock: Clock) -> int:
    """An expert silent for T1 is reminded once, its head and duty officer mentioned, as a
    silent force's order is; running it again changes nothing."""
    now = clock.now()
    acted = 0
    for c in await uow.consultations.reminders_due(now):
        assert c.id is not None
        found = await _found(uow, c.id)
        if not found.incident.is_open or not await uow.consultations.claim_reminder(c.id, now):
            continue
        c.reminded_at = now
        mentions = await people_mentions(uow, c.unit_id, T1_ROLES)
        assert found.incident.id is not None
        await audit(uow, None, "consult.reminded", subject(found.incident.id, f"consult:{c.id}"),
                    now, incident=found.incident.id, consultation=c.id, unit=c.unit_id,
                    expert=found.expert.code, mentioned=[m.tg_id for m in mentions])
        await notices.reminded(uow, c, found.incident, found.expert, found.asker, mentions)
        await notices.mark(uow, found.incident, now)
        acted += 1
    return acted



EXPERT_TEMPLATES = frozenset({"consult.request", "consult.remind"})


async def consult_undeliverable(uow: UnitOfWork, notice: Notice, reason: str) -> None:
    """A request or reminder that never reached the expert's chat: the requester is told, so
    they call the expert another way. (A lost word to the requester's own chat is only the
    administrators' business, as for any notice.)"""
    cuow = cast(ConsultUnitOfWork, uow)
    ref = notice.subject.split(":")[1]
    c = await cuow.consultations.get(int(ref)) if ref.isdigit() else None
    if c is None or notice.template not in EXPERT_TEMPLATES or notice.unit_id != c.unit_id:
        return
    found = await _found(cuow, int(ref))
    await notices.undelivered(cuow, c, found.incident, found.expert, reason)
