"""/stats and the county's assessment: who sees which forces, over which period."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.actor import Actor
from core.assessment.config import AssessConfig
from core.assessment.figures import assess
from core.assessment.model import Assessment, Period
from core.assessment.notices import monthly_document
from core.assessment.ports import AssessmentUnitOfWork
from core.audit import AuditEntry
from core.clock import Clock
from core.errors import DomainError, NotAllowed, NotFound
from core.registry import Unit, UnitKind
from core.warnings.records import COUNTY_WIDE

DRILL_WORDS = frozenset({"drill", "演练"})
_YEAR = re.compile(r"^([0-9]{4})$")  # ASCII digits only (core/parse.py says why)
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{1,2})$")
USAGE = "/stats [YYYY-MM | YYYY] [force code] [drill]"
MAX_ARGS = 3


@dataclass(frozen=True)
class StatsRequest:
    period: Period
    code: str = ""
    drill: bool = False


def parse_period(word: str) -> Period | None:
    """"2026" or "2026-11"; None if the word is not a period."""
    if found := _YEAR.match(word):
        year, month = int(found[1]), None
    elif found := _MONTH.match(word):
        year, month = int(found[1]), int(found[2])
        if not 1 <= month <= 12:
            raise DomainError("stats_bad_period", value=word)
    else:
        return None
    if not 2000 <= year <= 2100:
        raise DomainError("stats_bad_period", value=word)
    return Period(year, month)


def parse_request(args: str, current: Period) -> StatsRequest:
    """``[YYYY-MM | YYYY] [force code] [drill]`` in any order; the current month by default."""
    words = args.split()
    if len(words) > MAX_ARGS:
        raise DomainError("usage", usage=USAGE)
    period, code, drill = None, "", False
    for word in words:
        if word.lower() in DRILL_WORDS:
            drill = True
            continue
        found = parse_period(word)
        if found is not None and period is None:
            period = found
        elif found is None and not code and len(word) <= 64:
            code = word.lower()
        else:
            raise DomainError("usage", usage=USAGE)
    return StatsRequest(period or current, code, drill)


async def visible(uow: AssessmentUnitOfWork, actor: Actor, code: str) -> tuple[list[Unit], bool]:
    """The forces this chat may see the figures of, and whether it sees the county's."""
    unit = actor.chat_unit
    if unit is None:
        raise NotAllowed("stats_unbound_chat")
    forces = await uow.units.list(UnitKind.FORCE)
    county = unit.kind in COUNTY_WIDE
    if county:
        seen = forces
    elif unit.kind is UnitKind.DEPARTMENT:
        seen = [f for f in forces if f.department_id == unit.id]
    elif unit.kind is UnitKind.FORCE:
        seen = [f for f in forces if f.id == unit.id]
    else:
        raise NotAllowed("stats_not_overseen", unit=unit.name)
    if code:
        found = [f for f in seen if f.code == code]
        if not found:
            if not any(f.code == code for f in forces):
                raise NotFound("unknown_unit", code=code)
            if unit.kind is UnitKind.FORCE:
                raise NotAllowed("stats_other_force", unit=unit.name)
            raise NotAllowed("stats_not_your_force", unit=unit.name, code=code)
        seen = found
    return seen, county and not code


async def _assessment(uow: AssessmentUnitOfWork, forces: list[Unit], period: Period,
                      clock: Clock, cfg: AssessConfig, drill: bool,
                      county_wide: bool) -> Assessment:
    start, end = period.bounds(cfg.zone)
    return assess(forces, await uow.assessment.rollcall_answers(start, end),
                  await uow.assessment.warning_targets(start, end),
                  await uow.assessment.orders(start, end), period, cfg.zone, clock.now(),
                  drill, county_wide)


async def stats(uow: AssessmentUnitOfWork, actor: Actor, args: str, clock: Clock,
                cfg: AssessConfig) -> Assessment:
    """The figures this chat may see, over the period it asked for (this month by default)."""
    request = parse_request(args, Period.month_of(clock.now(), cfg.zone))
    forces, county = await visible(uow, actor, request.code)
    return await _assessment(uow, forces, request.period, clock, cfg, request.drill, county)


async def county_assessment(uow: AssessmentUnitOfWork, period: Period, clock: Clock,
                            cfg: AssessConfig, drill: bool = False) -> Assessment:
    """Every force, for the console and the monthly document."""
    forces = await uow.units.list(UnitKind.FORCE)
    return await _assessment(uow, forces, period, clock, cfg, drill, True)


async def monthly_due(uow: AssessmentUnitOfWork, clock: Clock,
                      cfg: AssessConfig) -> Period | None:
    """The previous month, once its day has come and its document has not gone yet."""
    now = clock.now().astimezone(cfg.zone)
    if not cfg.monthly_day or now.day < cfg.monthly_day:
        return None
    period = Period(now.year, now.month).previous_month()
    if await uow.assessment.monthly_sent(period.label):
        return None
    return period


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def bureaus(uow: AssessmentUnitOfWork) -> list[Unit]:
    """Who gets the monthly document: the bureau (县应急管理局)."""
    return await uow.units.list(UnitKind.BUREAU)


async def send_monthly(uow: AssessmentUnitOfWork, a: Assessment, name: str, content: bytes,
                       clock: Clock) -> bool:
    """Store the month's document and tell the bureau, writing down that the month is done;
    False (nothing written: the caller rolls back) if a concurrent sweep did it first."""
    now = clock.now()
    file_id = await uow.files.add(name, DOCX, content, now)
    if not await uow.assessment.record_monthly(a.period.label, now, file_id):
        return False
    for bureau in await bureaus(uow):
        await uow.outbox.add(monthly_document(bureau, a, file_id))
    await uow.audit.append(AuditEntry("assessment.monthly", f"assessment:{a.period.label}",
                                      now, details={"file_id": file_id, "name": name}))
    return True
