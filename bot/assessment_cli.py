"""`python -m bot stats`: the county's assessment over a year or a month, written as an Excel
workbook (.xlsx) and/or a Word document (.docx) for the bureau and the county government."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.i18n import Translator
from bot.registry_cli import CliError
from bot.settings import Settings
from bot.views.assessment import say_plain
from core.assessment.config import AssessConfig
from core.assessment.model import Assessment, Period
from core.assessment.usecases import county_assessment, parse_period
from core.clock import Clock, SystemClock
from core.errors import DomainError
from storage import migrate
from storage.db import make_engine, make_sessionmaker
from storage.uow import UnitOfWorkFactory

SUFFIXES = (".xlsx", ".docx")


def period_of(year: int | None, month: str | None, clock: Clock, cfg: AssessConfig) -> Period:
    """--month 2026-11, --year 2026, or else the current year."""
    if month is not None and year is not None:
        raise CliError("--year and --month: give one of them")
    try:
        if month is not None:
            found = parse_period(month)
            if found is None or found.month is None:
                raise CliError(f"--month {month}: write the month as YYYY-MM, e.g. 2026-11")
            return found
        if year is not None:
            found = parse_period(f"{year:04d}")
            if found is None:
                raise CliError(f"--year {year}: write a year such as 2026")
            return found
    except DomainError:
        raise CliError(f"{month or year}: not a period between 2000 and 2100") from None
    return Period(clock.now().astimezone(cfg.zone).year)


async def read_assessment(settings: Settings, cfg: AssessConfig, period: Period, drill: bool,
                          clock: Clock) -> Assessment:
    engine = make_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        uow = UnitOfWorkFactory(make_sessionmaker(engine), clock)
        async with uow() as u:
            return await county_assessment(u, period, clock, cfg, drill)
    finally:
        await engine.dispose()


def write_files(a: Assessment, paths: list[Path], locale: str, cfg: AssessConfig) -> None:
    from documents.assessment_docx import assessment_document
    from documents.assessment_xlsx import assessment_workbook

    say = say_plain(Translator(locale, cfg.zone).for_locale(locale))
    for path in paths:
        build = assessment_workbook if path.suffix.lower() == ".xlsx" else assessment_document
        path.write_bytes(build(a, say))


async def export(settings: Settings, paths: list[Path], *, year: int | None = None,
                 month: str | None = None, drill: bool = False, locale: str | None = None,
                 clock: Clock | None = None) -> str:
    if not paths:
        raise CliError("nothing to write: give --out FILE.xlsx and/or --docx FILE.docx")
    for path in paths:
        if path.suffix.lower() not in SUFFIXES:
            raise CliError(f"{path}: the file must end in .xlsx or .docx")
        if not path.parent.is_dir():
            raise CliError(f"{path}: the folder {path.parent} does not exist")
    clock = clock or SystemClock()
    cfg = AssessConfig(settings.zone, settings.assess.monthly_day, settings.locale)
    period = period_of(year, month, clock, cfg)
    found = await read_assessment(settings, cfg, period, drill, clock)
    # The documents are CPU work: a thread, so the console command is built like the bot's.
    await asyncio.to_thread(write_files, found, paths, locale or settings.locale, cfg)
    g = found.total
    kind = "drill " if drill else ""
    return (f"{kind}assessment {period.label}: {g.forces} forces, connection "
            f"{g.bound}/{g.forces}; written: {', '.join(str(p) for p in paths)}")
