"""Console commands of the county's IT officer: migrate, import, export and convert the
registry, make invites."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.configs import mechanism_config
from bot.i18n import Texts, Translator
from bot.registry_read import RegistryReadError, read_registry
from bot.registry_texts import console, problems_text
from bot.registry_write import WRITERS, write_atomically, writer_for
from bot.settings import Settings
from bot.views.registry import import_report_text
from core.actor import Actor
from core.clock import Clock, SystemClock
from core.errors import DomainError
from core.registry_file import RegistryFile, RegistryFileError, parse_registry
from core.usecases.binding import create_invite
from core.usecases.registry_export import counts, export_registry
from core.usecases.registry_import import ImportReport, import_registry
from storage import migrate
from storage.db import make_engine, make_sessionmaker
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)
T = TypeVar("T")
CONSOLE = Actor(tg_id=0, chat_id=0, is_settings_admin=True, display_name="console")


class CliError(SystemExit):
    """A refusal at the console: one message, exit status 2, nothing changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.code = 2
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass
class Busy:
    """How long to wait for a database another process is writing to."""

    attempts: int = 6
    timeout_ms: int = 5000
    backoff: float = 1.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


def _sqlite_immediate(engine: AsyncEngine, busy_ms: int) -> None:
    """How long the import waits for a running bot's write. The engine already takes SQLite's
    write lock when a transaction begins (storage.db): a transaction that read first could not
    wait for the bot at all; taken up front, the lock is waited for and then held only for the
    few bulk statements of the import."""

    def connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cursor.close()

    event.listen(engine.sync_engine, "connect", connect)


def _locked(error: OperationalError) -> bool:
    return "locked" in str(error.orig).lower() or "busy" in str(error.orig).lower()


async def _retrying(busy: Busy, waiting: str, work: Callable[[], Awaitable[T]]) -> T:
    for attempt in range(1, busy.attempts + 1):
        try:
            return await work()
        except OperationalError as e:
            if not _locked(e) or attempt == busy.attempts:
                raise
            if attempt == 1:
                log.warning("%s", waiting)
            await busy.sleep(min(busy.backoff * 2 ** (attempt - 1), 30.0))
    raise AssertionError("unreachable")


async def _apply(settings: Settings, parsed: RegistryFile, clock: Clock, busy: Busy,
                 waiting: str) -> ImportReport:
    engine = make_engine(settings.database_url)
    try:
        await _retrying(busy, waiting, lambda: migrate.upgrade(engine))
    finally:
        await engine.dispose()
    engine = make_engine(settings.database_url)
    if engine.dialect.name == "sqlite":
        _sqlite_immediate(engine, busy.timeout_ms)
    uow = UnitOfWorkFactory(make_sessionmaker(engine), clock)

    async def once() -> ImportReport:
        async with uow() as u:
            report = await import_registry(u, parsed, clock)
            await u.commit()
            return report

    try:
        return await _retrying(busy, waiting, once)
    finally:
        await engine.dispose()


async def import_file(settings: Settings, path: Path, clock: Clock | None = None, *,
                      locale: str | None = None, busy: Busy | None = None) -> str:
    locale = locale or settings.locale
    t = Translator(locale, settings.zone).for_locale(locale)
    try:
        raw = read_registry(path)
    except RegistryReadError as e:
        raise CliError(console(t(e.code, path=str(path), **e.params))) from None
    try:
        parsed = parse_registry(raw.data)
    except RegistryFileError as e:
        raise CliError(problems_text(t, str(path), e)) from None
    busy = busy or Busy()
    waiting = console(t("registry.db_busy", attempts=busy.attempts))
    try:
        report = await _apply(settings, parsed, clock or SystemClock(), busy, waiting)
    except OperationalError as e:
        key = "registry.db_locked" if _locked(e) else "registry.db_failed"
        raise CliError(console(t(key, attempts=busy.attempts, why=_first_line(e)))) from None
    except (SQLAlchemyError, OSError) as e:
        raise CliError(console(t("registry.db_failed", why=_first_line(e)))) from None
    text = import_report_text(t, report)
    if raw.encoding != "UTF-8":
        text += "\n" + t("registry.read_as", encoding=raw.encoding)
    return console(text)


def _first_line(error: BaseException) -> str:
    orig = getattr(error, "orig", None) or error
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0][:200]


async def make_invite(settings: Settings, unit_code: str, clock: Clock | None = None) -> str:
    t = Translator(settings.locale, settings.zone)
    engine = make_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        clock = clock or SystemClock()
        uow = UnitOfWorkFactory(make_sessionmaker(engine), clock)
        async with uow() as u:
            try:
                invite, unit = await create_invite(u, CONSOLE, unit_code, clock,
                                                   mechanism_config(settings))
                await u.commit()
            except DomainError as e:
                raise CliError(t(settings.locale, f"error.{e.code}", **e.params)) from None
    finally:
        await engine.dispose()
    return t(settings.locale, "invite.created", unit=unit.name, code=invite.code,
             expires=t.moment(invite.expires_at))


async def run_migrations(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()


def _writer(t: Texts, path: Path) -> Callable[[RegistryFile, str], bytes]:
    writer = writer_for(path.name)
    if writer is None:
        raise CliError(console(t("registry.export.unknown_type", path=str(path),
                                 known=" ".join(WRITERS))))
    return writer


def _write(t: Texts, path: Path, registry: RegistryFile,
           writer: Callable[[RegistryFile, str], bytes]) -> None:
    try:
        write_atomically(path, writer(registry, console(t("registry.xlsx.notes"))))
    except OSError as e:
        raise CliError(console(t("registry.export.write_failed", path=str(path),
                                 why=e.strerror or str(e)))) from None


async def export_file(settings: Settings, path: Path, *, locale: str | None = None) -> str:
    """The whole registry from the database, as a workbook or a YAML file."""
    locale = locale or settings.locale
    t = Translator(locale, settings.zone).for_locale(locale)
    writer = _writer(t, path)
    engine = make_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        uow = UnitOfWorkFactory(make_sessionmaker(engine), SystemClock())
        async with uow() as u:
            registry = await export_registry(u, settings.report.county)
    except (SQLAlchemyError, OSError) as e:
        raise CliError(console(t("registry.db_failed", why=_first_line(e)))) from None
    finally:
        await engine.dispose()
    _write(t, path, registry, writer)
    units, people = counts(registry)
    return console(t("registry.export.done", units=units, people=people, path=str(path)))


def convert_file(settings: Settings, source: Path, target: Path, *,
                 locale: str | None = None) -> str:
    """A registry file in the other format (YAML <-> workbook), checked on the way; no
    database is opened."""
    locale = locale or settings.locale
    t = Translator(locale, settings.zone).for_locale(locale)
    writer = _writer(t, target)
    try:
        raw = read_registry(source)
    except RegistryReadError as e:
        raise CliError(console(t(e.code, path=str(source), **e.params))) from None
    try:
        parsed = parse_registry(raw.data)
    except RegistryFileError as e:
        raise CliError(problems_text(t, str(source), e)) from None
    _write(t, target, parsed, writer)
    units, people = counts(parsed)
    return console(t("registry.convert.done", src=str(source), path=str(target), units=units,
                     people=people))


__all__ = ["Busy", "CliError", "convert_file", "export_file", "import_file", "make_invite",
           "run_migrations"]
