"""Asking for an after-action report (on /close, or /report <incident>), building it in the
sweep, and the lessons (问题与改进) asked after the close.

A version of the report is a row written where it is asked for; the sweep reads its facts in
one unit of work, builds the document outside any (in a thread), then stores the file, marks
the version built and queues the notices in one more. A crash in between leaves the row
unbuilt, and the next sweep builds it again."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from core.actor import Actor
from core.afteraction import notices
from core.afteraction.model import (
    AfterActionConfig,
    Facts,
    ForceRow,
    Lesson,
    Reason,
    ReportRequest,
)
from core.afteraction.policies import ASK_REPORT, LESSON_ROLES_BRIGADE, LESSON_ROLES_FORCE
from core.afteraction.ports import AfterActionUnitOfWork
from core.audit import AuditEntry
from core.clock import Clock
from core.dispatch.hooks import Asked, CloseHook, Question
from core.dispatch.incidents import get_incident, subject
from core.dispatch.model import Incident, Prompt, PromptKind
from core.dispatch.notify.common import commander_name, drill
from core.dispatch.ports import DispatchUnitOfWork
from core.dispatch.timeline import named_timeline
from core.errors import Conflict, DomainError, NotAllowed
from core.limits import within
from core.registry import Role, Unit, UnitKind
from core.usecases.common import audit
from core.warnings.model import Warning

LESSONS = frozenset({PromptKind.LESSONS})
MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def incident_ref(args: str | None) -> int | None:
    """``/report <digits>`` and nothing else: an incident's number. A township is never all
    ASCII digits (the registry refuses one), so this never takes an information report."""
    raw = (args or "").strip()
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) <= 12 else None


async def _next(uow: AfterActionUnitOfWork, incident: Incident, reason: Reason, now: datetime,
                due: datetime, by: str) -> ReportRequest | None:
    """The next version, or None if someone asked for it at the same moment."""
    assert incident.id is not None
    latest = await uow.afteraction.latest(incident.id)
    request = await uow.afteraction.add(ReportRequest(
        incident.id, (latest.version + 1) if latest else 1, reason, now, due, by))
    if request is None:
        return None
    await audit(uow, None, "afteraction.requested",
                subject(incident.id, f"afteraction:{request.id}"), now, incident=incident.id,
                version=request.version, reason=reason.value, by=by or None)
    return request


async def ask_report(uow: AfterActionUnitOfWork, actor: Actor, incident_id: int, clock: Clock
                     ) -> ReportRequest:
    """/report <incident>: a new version now, or the one already on its way."""
    unit = ASK_REPORT.require(actor)
    incident = await get_incident(uow, incident_id, open_only=False)
    assert incident.id is not None
    if unit.kind in (UnitKind.HQ, UnitKind.DETACHMENT) and incident.hq_unit_id != unit.id:
        raise NotAllowed("afteraction_not_commander", id=incident.id, unit=unit.name)
    now = clock.now()
    latest = await uow.afteraction.latest(incident.id)
    if latest is not None and latest.built_at is None:
        if latest.due_at <= now:
            raise Conflict("afteraction_pending", id=incident.id, version=latest.version)
        # A version waiting for its day (late lessons) is asked for now: it is built at once.
        latest.due_at = now
        await uow.afteraction.update(latest)
        return latest
    request = await _next(uow, incident, Reason.ASKED, now, now, actor.display_name)
    if request is None:
        version = (latest.version + 1) if latest else 1
        raise Conflict("afteraction_pending", id=incident.id, version=version)
    return request


def after_close(config: AfterActionConfig) -> CloseHook:
    """The close hook: the first version is asked for, and the lessons questions are written
    down (the handler sends them with a ForceReply after the commit)."""

    async def closed(uow: DispatchUnitOfWork, incident: Incident, now: datetime
                     ) -> list[Question]:
        # The storage unit of work carries every feature's repositories (core.county).
        county = cast(AfterActionUnitOfWork, uow)
        await _next(county, incident, Reason.CLOSED, now, now, "")
        return await _ask_lessons(county, incident, now, config)

    return closed


async def _ask_lessons(uow: AfterActionUnitOfWork, incident: Incident, now: datetime,
                       config: AfterActionConfig) -> list[Question]:
    assert incident.id is not None and incident.closed_at is not None
    asked: list[tuple[Unit, frozenset[Role]]] = [
        (u, LESSON_ROLES_BRIGADE) for u in (await uow.units.list(UnitKind.BRIGADE))[:1]]
    seen: set[int] = set()
    for plan in await uow.plans.for_incident(incident.id):
        assert plan.id is not None
        for order in await uow.orders.for_plan(plan.id):
            if order.unit_id in seen:
                continue
            seen.add(order.unit_id)
            force = await uow.units.get(order.unit_id)
            if force is not None:
                asked.append((force, LESSON_ROLES_FORCE))
    until = incident.closed_at + config.lessons_window
    questions = []
    for unit, roles in asked:
        if unit.chat_id is None or unit.id is None:
            continue  # an unbound unit has no chat to be asked in
        people = [m.person for m in await uow.people.members(unit.id) if m.roles & roles]
        found = []
        for person in people:
            prompt_id = await uow.prompts.add(Prompt(unit.chat_id, None, PromptKind.LESSONS,
                                                     incident.id, person.tg_id, now))
            found.append(Asked(person.tg_id, person.name, prompt_id))
        if found:
            questions.append(Question(unit.chat_id, tuple(found), "afteraction.lessons.ask",
                                      dict(id=incident.id, title=incident.title,
                                           drill=drill(incident),
                                           hours=int(config.lessons_window.total_seconds()
                                                     // 3600), until=until)))
    await audit(uow, None, "afteraction.lessons_asked", subject(incident.id, "afteraction:"),
                now, incident=incident.id,
                asked=sum(len(q.asked) for q in questions))
    return questions


async def answer_lesson(uow: AfterActionUnitOfWork, actor: Actor, incident_id: int, raw: str,
                        clock: Clock, config: AfterActionConfig
                        ) -> tuple[Lesson, ReportRequest | None]:
    """An answer to 问题与改进: kept for the report within the window; the first answers
    after a version went out ask for a new version, at most one a day."""
    incident = await get_incident(uow, incident_id, open_only=False)
    assert incident.id is not None and incident.closed_at is not None
    now = clock.now()
    until = incident.closed_at + config.lessons_window
    if now > until:
        raise Conflict("lessons_closed", id=incident.id, until=until)
    unit = actor.chat_unit
    if unit is None or unit.id is None or actor.tg_id is None:
        raise NotAllowed("report_unbound_chat")  # the chat was unbound since it was asked
    body = within("lesson", raw.strip())
    if not body:
        raise DomainError("lesson_empty", id=incident.id)
    lesson = await uow.afteraction.add_lesson(Lesson(
        incident.id, unit.id, actor.tg_id, actor.display_name, body, now))
    await audit(uow, actor, "afteraction.lesson", subject(incident.id, "afteraction:"), now,
                incident=incident.id, unit=unit.code, text=lesson.text)
    latest = await uow.afteraction.latest(incident.id)
    if latest is None or latest.built_at is None:
        return lesson, None  # the version on its way reads every lesson when it is built
    due = max(now, latest.built_at + config.version_gap)
    return lesson, await _next(uow, incident, Reason.LESSONS, now, due, "")


async def due_reports(uow: AfterActionUnitOfWork, now: datetime) -> list[ReportRequest]:
    return await uow.afteraction.due(now)


async def gather(uow: AfterActionUnitOfWork, request: ReportRequest, config: AfterActionConfig,
                 t1: timedelta, now: datetime) -> Facts:
    """Every record the report shows, read in one unit of work."""
    incident = await get_incident(uow, request.incident_id, open_only=False)
    assert incident.id is not None
    entries = await uow.audit.for_subject(subject(incident.id))
    timeline = await named_timeline(uow, incident, entries)
    plans = await uow.plans.for_incident(incident.id)
    forces: list[ForceRow] = []
    for plan in plans:
        assert plan.id is not None
        forces += [ForceRow(order, name or "?", plan.id)
                   for order, name in await uow.orders.named_for_plan(plan.id)]
    end = incident.closed_at or now
    warnings = [w for w in await uow.afteraction.warnings_between(incident.opened_at, end)
                if concerns(w, incident.township, config.county)]
    consults = [(c, timeline.unit(c.unit_id)) for c in
                await uow.consultations.for_incident(incident.id)]
    traffic = [(r, timeline.unit(r.department_id)) for r in
               await uow.traffic.for_incident(incident.id)]
    lessons = [(lesson, timeline.unit(lesson.unit_id)) for lesson in
               await uow.afteraction.lessons(incident.id)]
    return Facts(incident, request.version, now, config.county,
                 await commander_name(uow, incident), response_level(entries), plans, forces,
                 timeline, warnings, await uow.sitreps.for_incident(incident.id), consults,
                 traffic, lessons, t1.total_seconds() / 60)


# Areas meaning the whole county, whatever township the incident is in.
AREA_WIDE = frozenset({"", "-", "—", "全县", "全域", "county", "county-wide", "all"})


def concerns(warning: Warning, township: str, county: str = "") -> bool:
    """A warning issued for the incident's area: one naming its township (in the area or in
    whom it went to), or one for the whole county (no area, or the county's name, and not
    sent to other townships only)."""
    area = warning.area.strip()
    if township and (township in area or township in warning.targets):
        return True
    if area not in AREA_WIDE and not (county and county in area):
        return False
    return "township:" not in warning.targets


def response_level(entries: list[AuditEntry]) -> int | None:
    """The gravest joint response level started on the incident (Ⅰ is gravest), if any."""
    levels = [int(e.details.get("level") or 0) for e in entries
              if e.action in ("response.started", "response.changed")]
    levels = [n for n in levels if n > 0]
    return min(levels) if levels else None


def file_name(incident: Incident, version: int) -> str:
    drill = "演练-" if incident.is_drill else ""
    suffix = f"-v{version}" if version > 1 else ""
    return f"事后评估报告-{drill}{incident.id}{suffix}.docx"


async def deliver(uow: AfterActionUnitOfWork, request: ReportRequest, content: bytes,
                  now: datetime) -> bool:
    """Mark the version built, store the document and queue its notices, in one transaction;
    False (nothing written) if another sweep delivered it first."""
    assert request.id is not None
    if not await uow.afteraction.mark_built(request.id, now):
        return False
    incident = await get_incident(uow, request.incident_id, open_only=False)
    file_id = await uow.files.add(file_name(incident, request.version), MIME, content, now)
    await uow.afteraction.attach(request.id, file_id)
    request.built_at, request.file_id = now, file_id
    chats = await notices.report_sent(uow, incident, request, file_id)
    await audit(uow, None, "afteraction.sent",
                subject(request.incident_id, f"afteraction:{request.id}"), now,
                incident=request.incident_id, version=request.version, chats=chats,
                bytes=len(content))
    return True
