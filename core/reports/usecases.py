"""Filing an information report; linking it to an open incident, or opening one from it."""

from __future__ import annotations

from datetime import datetime

from core.actor import Actor
from core.clock import Clock
from core.dispatch.incidents import IncidentLine, get_incident, start_incident, subject
from core.dispatch.model import Incident, Level
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.limits import within
from core.notices import text
from core.registry import Unit
from core.reports import notices
from core.reports.model import Report
from core.reports.policies import LINK_REPORT
from core.reports.ports import ReportUnitOfWork
from core.usecases.common import audit

REPORT_USAGE = text("usage.report")
TITLE_CHARS = 20  # an incident opened from a report is titled by the report's first words
CHOICES = 8  # open incidents offered to link a report to, newest first


def parse_report(args: str) -> tuple[str, str]:
    """``<township> <what happened>``: the text may span lines."""
    words = args.strip().split(maxsplit=1)
    if not words:
        raise DomainError("usage", usage=REPORT_USAGE)
    township = within("township", words[0])
    return township, report_body(township, words[1] if len(words) > 1 else "")


def report_body(township: str, raw: str) -> str:
    body = raw.strip()
    if not body:
        raise DomainError("report_empty", township=township)
    return within("report", body)


def title_of(body: str) -> str:
    first = body.strip().splitlines()[0].strip()
    return first if len(first) <= TITLE_CHARS else first[:TITLE_CHARS] + "…"


async def known_townships(uow: ReportUnitOfWork) -> list[str]:
    return sorted({u.township for u in await uow.units.list() if u.township})


def reporting_unit(actor: Actor) -> Unit:
    """Any bound unit reports: the unit of the chat, or why not."""
    actor.require_person()
    unit = actor.chat_unit
    if unit is None or unit.id is None:
        raise NotAllowed("report_unbound_chat")
    return unit


async def check_township(uow: ReportUnitOfWork, raw: str) -> str:
    """A township some unit of the registry names (a registry naming none takes any)."""
    township = within("township", raw.strip())
    if not township:
        raise DomainError("usage", usage=REPORT_USAGE)
    known = await known_townships(uow)
    if known and township not in known:
        raise DomainError("report_unknown_township", township=township, known=known)
    return township


async def file_report(uow: ReportUnitOfWork, actor: Actor, args: str, clock: Clock,
                      photo: str = "") -> Report:
    """``/report <township> <what happened>``, perhaps as a photo's caption."""
    reporting_unit(actor)
    township, body = parse_report(args)
    return await submit_report(uow, actor, township, body, clock, photo)


async def submit_report(uow: ReportUnitOfWork, actor: Actor, township: str, body: str,
                        clock: Clock, photo: str = "") -> Report:
    """File a report (from the one-line form or the dialog), with a photo's file_id if one
    came with it; the copies carry the photo."""
    unit = reporting_unit(actor)
    assert unit.id is not None
    township = await check_township(uow, township)
    body = report_body(township, body)
    now = clock.now()
    report = await uow.reports.add(Report(unit.id, township, body, actor.tg_id or 0,
                                          actor.display_name, now, photo=photo))
    await audit(uow, actor, "report.filed", f"report:{report.id}", now, report=report.id,
                unit=unit.code, township=township, text=body, photo=bool(photo))
    await notices.report_filed(uow, report, unit)
    return report


async def _unlinked(uow: ReportUnitOfWork, report_id: int) -> tuple[Report, Unit]:
    report = await uow.reports.get(report_id)
    if report is None:
        raise NotFound("report_unknown", id=report_id)
    if report.incident_id is not None:
        await _already_linked(uow, report)
    unit = await uow.units.get(report.unit_id)
    assert unit is not None
    return report, unit


async def _already_linked(uow: ReportUnitOfWork, report: Report) -> None:
    incident = await uow.incidents.get(report.incident_id or 0)
    raise Conflict("report_linked", id=report.id, incident=report.incident_id,
                   title=incident.title if incident else "—", by=report.linked_by_name,
                   at=report.linked_at)


async def link_choices(uow: ReportUnitOfWork, actor: Actor, report_id: int
                       ) -> tuple[Report, list[Incident]]:
    """The open incidents a report may be linked to, newest first."""
    LINK_REPORT.require(actor)
    report, _ = await _unlinked(uow, report_id)
    incidents = sorted(await uow.incidents.open(), key=lambda i: i.id or 0, reverse=True)
    if not incidents:
        raise Conflict("report_no_open_incident", id=report.id)
    return report, incidents[:CHOICES]


async def link_report(uow: ReportUnitOfWork, actor: Actor, report_id: int, incident_id: int,
                      clock: Clock) -> Incident:
    LINK_REPORT.require(actor)
    report, unit = await _unlinked(uow, report_id)
    incident = await get_incident(uow, incident_id)
    await _link(uow, actor, report, unit, incident, clock.now(), opened=False)
    return incident


async def open_from_report(uow: ReportUnitOfWork, actor: Actor, report_id: int, clock: Clock
                           ) -> Incident:
    """立为事件: a general (一般) incident in the report's township, titled by its first words.
    Of two such taps at once the second finds the report linked and opens nothing."""
    LINK_REPORT.require(actor)
    report, unit = await _unlinked(uow, report_id)
    line = IncidentLine(Level.GENERAL, report.township, title_of(report.text))
    incident = await start_incident(uow, actor, line, clock)
    await _link(uow, actor, report, unit, incident, clock.now(), opened=True)
    return incident


async def _link(uow: ReportUnitOfWork, actor: Actor, report: Report, unit: Unit,
                incident: Incident, now: datetime, opened: bool) -> None:
    assert report.id is not None and incident.id is not None
    if not await uow.reports.link(report.id, incident.id, actor.tg_id or 0,
                                  actor.display_name, now):
        fresh = await uow.reports.get(report.id)
        assert fresh is not None
        await _already_linked(uow, fresh)
    report.incident_id, report.linked_at = incident.id, now
    report.linked_by, report.linked_by_name = actor.tg_id, actor.display_name
    # Under the incident's subject, so /log shows the report in the incident's timeline.
    await audit(uow, actor, "report.linked", subject(incident.id, f"report:{report.id}"), now,
                report=report.id, incident=incident.id, unit=unit.code,
                reporter=report.reported_by_name, reported_at=report.reported_at,
                township=report.township, text=report.text, opened=opened)
    await notices.report_linked(uow, report, unit, incident, opened)
