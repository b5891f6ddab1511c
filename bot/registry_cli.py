"""Console commands of the county's IT officer: migrate, import the registry, make invites."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.app import mechanism_config
from bot.i18n import Translator
from bot.settings import Settings
from bot.views.registry import import_report_text, problem_text
from core.actor import Actor
from core.clock import Clock, SystemClock
from core.errors import DomainError
from core.registry_file import Problem, RegistryFileError, parse_registry
from core.usecases.binding import create_invite
from core.usecases.registry_import import import_registry
from storage import migrate
from storage.db import make_engine, make_sessionmaker
from storage.uow import UnitOfWorkFactory

CONSOLE = Actor(tg_id=0, chat_id=0, is_settings_admin=True, display_name="console")


class CliError(SystemExit):
    """A refusal at the console: one message, exit status 2, nothing changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.code = 2
        self.message = message

    def __str__(self) -> str:
        return self.message


def read_registry_file(path: Path, t: Translator, locale: str) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise CliError(t(locale, "registry.unreadable", path=str(path), why=e.strerror)) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        raise CliError(t(locale, "registry.not_yaml", path=str(path), line=line)) from None


async def import_file(settings: Settings, path: Path, clock: Clock | None = None) -> str:
    t = Translator(settings.locale, settings.zone)
    locale = settings.locale
    raw = read_registry_file(path, t, locale)
    try:
        parsed = parse_registry(raw)
    except RegistryFileError as e:
        lines = [t(locale, "registry.invalid", path=str(path), count=len(e.problems))]
        lines += [problem_text(t.for_locale(locale), p) for p in e.problems]
        raise CliError("\n".join(lines)) from None
    engine = make_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        uow = UnitOfWorkFactory(make_sessionmaker(engine), clock or SystemClock())
        async with uow() as u:
            report = await import_registry(u, parsed, clock or SystemClock())
    finally:
        await engine.dispose()
    return import_report_text(t.for_locale(locale), report)


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


__all__ = ["CliError", "Problem", "import_file", "make_invite", "run_migrations"]
