"""Every message a consultation produces: the request in the expert's chat (edited once
answered), the reminder, the word to the requester, each piece of advice to the requester and
the HQ, and the experts' line on the incident's boards."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.consult.model import Consultation, ConsultStatus
from core.consult.ports import ConsultUnitOfWork
from core.dispatch.marks import set_mark
from core.dispatch.model import Incident
from core.dispatch.notify.common import drill
from core.notices import Action, Button, Mention, Notice, Priority, moment, text
from core.registry import Unit

MARK_KEY = "experts"


def _params(c: Consultation, incident: Incident, expert: Unit, asker: Unit) -> dict[str, Any]:
    return {"id": c.id, "incident": incident.id, "title": incident.title,
            "drill": drill(incident), "expert": expert.name, "question": c.question,
            "by": c.asked_by_name, "from": asker.name, "at": moment(c.asked_at)}


def _buttons(c: Consultation) -> tuple[tuple[Button, ...], ...]:
    assert c.id is not None
    return ((Button("consult.btn.accept", Action.CONSULT_ACCEPT, c.id),
             Button("consult.btn.decline", Action.CONSULT_DECLINE, c.id)),)


def _state(c: Consultation) -> Any:
    if c.status is ConsultStatus.ASKED:
        return ""
    assert c.answered_at is not None
    return text(f"consult.card.{c.status}", by=c.answered_by_name, at=moment(c.answered_at),
                reason=c.reason)


async def _card(uow: ConsultUnitOfWork, c: Consultation, incident: Incident, expert: Unit,
                asker: Unit, mentions: tuple[Mention, ...] = (), reminder: bool = False
                ) -> None:
    """The request in the expert's chat; with buttons while unanswered. The reminder is a
    message of its own (it mentions people), edited like the request once answered."""
    template = "consult.remind" if reminder else "consult.request"
    key = f"consult:{c.id}:r" if reminder else f"consult:{c.id}"
    await uow.outbox.add(Notice(
        template, {**_params(c, incident, expert, asker), "state": _state(c)},
        unit_id=expert.id, buttons=_buttons(c) if c.silent else (), priority=Priority.HIGH,
        edit_key=key, mentions=mentions, subject=f"consult:{c.id}"))


async def asked(uow: ConsultUnitOfWork, c: Consultation, incident: Incident, expert: Unit,
                asker: Unit) -> None:
    await _card(uow, c, incident, expert, asker)


async def reminded(uow: ConsultUnitOfWork, c: Consultation, incident: Incident, expert: Unit,
                   asker: Unit, mentions: tuple[Mention, ...]) -> None:
    await _card(uow, c, incident, expert, asker, mentions, reminder=True)


async def answered(uow: ConsultUnitOfWork, c: Consultation, incident: Incident, expert: Unit,
                   asker: Unit) -> None:
    """The request (and its reminder, if one went out) loses its buttons and says who
    answered; the requester's chat hears it, with the reason of a decline."""
    await _card(uow, c, incident, expert, asker)
    if c.reminded_at is not None:
        await _card(uow, c, incident, expert, asker, reminder=True)
    await uow.outbox.add(Notice(
        f"consult.{c.status}", {**_params(c, incident, expert, asker),
                                "who": c.answered_by_name, "reason": c.reason},
        unit_id=c.asked_unit_id, priority=Priority.HIGH, subject=f"consult:{c.id}"))


async def advised(uow: ConsultUnitOfWork, c: Consultation, incident: Incident, expert: Unit,
                  asker: Unit, advice: str, who: str, count: int, now: datetime) -> None:
    """Each piece of advice to the requester's chat and to the HQ's (if another chat)."""
    params = {**_params(c, incident, expert, asker), "advice": advice, "who": who,
              "n": c.advice, "count": count, "when": moment(now)}
    to = [c.asked_unit_id]
    if incident.hq_unit_id is not None and incident.hq_unit_id != c.asked_unit_id:
        to.append(incident.hq_unit_id)
    for unit_id in to:
        await uow.outbox.add(Notice("consult.advice", params, unit_id=unit_id,
                                    priority=Priority.HIGH, subject=f"consult:{c.id}"))


async def mark(uow: ConsultUnitOfWork, incident: Incident, now: datetime) -> None:
    """The experts' line on the incident's boards: each consultation's expert and state."""
    assert incident.id is not None
    items = []
    for c in await uow.consultations.for_incident(incident.id):
        expert = await uow.units.get(c.unit_id)
        state = ("consult.state.advised" if c.status is ConsultStatus.ACCEPTED and c.advice
                 else f"consult.state.{c.status}")
        reminded = text("consult.mark.reminded") if c.silent and c.reminded_at else ""
        items.append(text("consult.mark.item", id=c.id, expert=expert.name if expert else "?",
                          state=text(state, n=c.advice), reminded=reminded))
    await set_mark(uow, incident, MARK_KEY, text("consult.mark", experts=items), now)


async def undelivered(uow: ConsultUnitOfWork, c: Consultation, incident: Incident,
                      expert: Unit, reason: str) -> None:
    """The request never reached the expert: the requester must call them another way."""
    await uow.outbox.add(Notice(
        "consult.undeliverable", {"id": c.id, "incident": incident.id, "title": incident.title,
                                  "drill": drill(incident),
                                  "expert": expert.name, "reason": text(f"reason.{reason}")},
        unit_id=c.asked_unit_id, priority=Priority.HIGH,
        mentions=(Mention(c.asked_by, c.asked_by_name),), subject=f"consult:{c.id}"))
