"""Posting a situation update (第N次研判) on an open incident."""

from __future__ import annotations

from dataclasses import dataclass

from core.actor import Actor
from core.clock import Clock
from core.dispatch.incidents import HQ_KINDS, get_incident, subject
from core.dispatch.marks import set_mark
from core.dispatch.model import Incident
from core.errors import DomainError, NotAllowed
from core.notices import text
from core.registry import Unit, UnitKind
from core.sitrep import notices
from core.sitrep.model import Sitrep
from core.sitrep.policies import ASSESSING_SECTORS, POST_SITREP
from core.sitrep.ports import SitrepUnitOfWork
from core.usecases.common import audit

SITREP_USAGE = text("usage.sitrep")
TEXT_CHARS = 2000  # an assessment is longer than a report, and still one message with its head


@dataclass(frozen=True)
class Posted:
    sitrep: Sitrep
    incident: Incident
    recipients: list[Unit]


def parse_sitrep(args: str) -> tuple[str, str]:
    """``<incident> <text>``: the text may span lines."""
    words = args.strip().split(maxsplit=1)
    if not words:
        raise DomainError("usage", usage=SITREP_USAGE)
    body = words[1].strip() if len(words) > 1 else ""
    if not body:
        raise DomainError("sitrep_empty", incident=words[0])
    if len(body) > TEXT_CHARS:
        raise DomainError("too_long", field=text("field.sitrep"), limit=TEXT_CHARS,
                          length=len(body))
    return words[0], body


def require_poster(actor: Actor, incident: Incident | None = None) -> Unit:
    """Let in the roles of POST_SITREP; a department only of an assessing sector, an HQ only
    for the incident it commands."""
    here = actor.chat_unit
    if here is not None and here.kind is UnitKind.DEPARTMENT \
            and here.sector not in ASSESSING_SECTORS:
        actor.require_person()
        raise NotAllowed("sitrep_sector", unit=here.name)
    unit = POST_SITREP.require(actor)
    if incident is not None and unit.kind in HQ_KINDS and unit.id != incident.hq_unit_id:
        raise NotAllowed("sitrep_not_hq", unit=unit.name, incident=incident.id)
    return unit


async def post_sitrep(uow: SitrepUnitOfWork, actor: Actor, args: str, clock: Clock) -> Posted:
    require_poster(actor)
    raw, body = parse_sitrep(args)
    incident = await get_incident(uow, raw)
    unit = require_poster(actor, incident)
    assert incident.id is not None and unit.id is not None
    now = clock.now()
    number = await uow.sitreps.next_number(incident.id)
    sitrep = await uow.sitreps.add(Sitrep(incident.id, number, unit.id, body, actor.tg_id or 0,
                                          actor.display_name, now))
    # Under the incident's subject, so /log shows it in the incident's timeline.
    await audit(uow, actor, "sitrep.posted", subject(incident.id, f"sitrep:{number}"), now,
                incident=incident.id, n=number, unit=unit.code, text=body)
    to = await notices.sitrep_posted(uow, sitrep, incident, unit)
    await set_mark(uow, incident, "sitrep", notices.board_line(sitrep, unit), now)
    return Posted(sitrep, incident, to)
