"""`python -m bot check`: is this installation ready to run? One line per check, ✓ or ✗.

Settings, the database answers, its migrations are at head, Telegram accepts the token
(getMe), the webhook as Telegram knows it (getWebhookInfo), and Redis when configured. It
changes nothing (no migration, no webhook set or deleted) and takes no lock, so it may run
beside the bot; exit status 1 if any check failed. Each Telegram call is tried once, with a
timeout: a check reports, it does not wait for an outage to pass.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramNotFound,
    TelegramUnauthorizedError,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.preflight import StartRefused, check_database, check_redis
from bot.setting_values import safe_url
from bot.settings import Settings
from core.redact import scrub
from storage.db import make_engine

TELEGRAM_TIMEOUT = 15


@dataclass
class Line:
    ok: bool
    what: str
    detail: str

    def __str__(self) -> str:
        return scrub(f"{'✓' if self.ok else '✗'} {self.what}: {self.detail}")


async def run_checks(settings: Settings) -> list[Line]:
    lines = [Line(True, "settings", f"read (database {safe_url(settings.database_url)}, "
                                    f"locale {settings.locale}, {len(settings.admins)} admins "
                                    "in settings)")]
    database = await _database(settings)
    lines.append(database)
    lines.append(await _migrations(settings) if database.ok
                 else Line(False, "migrations", "not checked: the database does not answer"))
    lines.extend(await _telegram(settings))
    lines.append(await _redis(settings))
    return lines


async def _database(settings: Settings) -> Line:
    try:
        await check_database(settings.database_url)
    except StartRefused as e:
        return Line(False, "database", e.message.removeprefix("database "))
    return Line(True, "database", f"{safe_url(settings.database_url)} answers")


async def _migrations(settings: Settings) -> Line:
    engine = make_engine(settings.database_url)
    try:
        current, heads = await _revisions(engine)
    except Exception as e:
        return Line(False, "migrations", f"{type(e).__name__}: {e}".splitlines()[0])
    finally:
        await engine.dispose()
    if current == heads:
        return Line(True, "migrations", f"at head ({', '.join(sorted(heads))})")
    at = ", ".join(sorted(current)) or "none applied"
    return Line(False, "migrations", f"at {at}, head is {', '.join(sorted(heads))}: "
                                     "`python -m bot migrate` (or the next start) applies them")


async def _revisions(engine: AsyncEngine) -> tuple[set[str], set[str]]:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    async with engine.connect() as conn:
        current = await conn.run_sync(
            lambda sync: set(MigrationContext.configure(sync).get_current_heads()))
    return current, heads


async def _telegram(settings: Settings) -> list[Line]:
    token = settings.token.get_secret_value().strip() if settings.token else ""
    if not token:
        return [Line(False, "token", "RESCUEBOT_TOKEN is not set (the bot's token from "
                                     "@BotFather)"),
                Line(False, "webhook", "not checked: no token")]
    from bot.app import make_bot

    bot = make_bot(token, settings.api_url, settings.proxy)
    try:
        try:
            me = await bot.get_me(request_timeout=TELEGRAM_TIMEOUT)
        except TelegramUnauthorizedError:
            return [Line(False, "token", "refused by Telegram (401 Unauthorized); check "
                                         "RESCUEBOT_TOKEN with @BotFather"),
                    Line(False, "webhook", "not checked: the token was refused")]
        except Exception as e:
            return [Line(False, "token", f"getMe at {settings.api_url} failed: {_why(e)}"),
                    Line(False, "webhook", "not checked: Telegram did not answer getMe")]
        token_line = Line(True, "token", f"accepted: @{me.username} (id {me.id})")
        return [token_line, await _webhook(bot, settings)]
    finally:
        await bot.session.close()


async def _webhook(bot: Bot, settings: Settings) -> Line:
    wanted = settings.webhook.url
    try:
        info = await bot.get_webhook_info(request_timeout=TELEGRAM_TIMEOUT)
    except TelegramNotFound:
        # A Bot API server without webhooks (a local one, a stand-in): there is none to mind.
        return Line(True, "webhook", "none (the server has no getWebhookInfo); polling works")
    except Exception as e:
        return Line(False, "webhook", f"getWebhookInfo failed: {_why(e)}")
    if not info.url:
        mode = ("none yet; `run --webhook` sets it to " + wanted) if wanted else \
            "none; polling works"
        return Line(True, "webhook", mode)
    pending = f"{info.pending_update_count} updates pending"
    if info.last_error_message:
        return Line(False, "webhook", f"{info.url}: Telegram's last delivery failed "
                                      f"({info.last_error_message}); {pending}")
    if wanted and info.url != wanted:
        return Line(True, "webhook", f"{info.url} ({pending}); `run --webhook` changes it to "
                                     f"{wanted}")
    if not wanted:
        return Line(True, "webhook", f"{info.url} ({pending}); `run` without --webhook "
                                     "removes it and polls")
    return Line(True, "webhook", f"{info.url} ({pending})")


async def _redis(settings: Settings) -> Line:
    if not settings.redis_url:
        return Line(True, "redis", "not set: dialogs in memory (one process)")
    try:
        await check_redis(settings.redis_url)
    except StartRefused as e:
        return Line(False, "redis", e.message.removeprefix("redis "))
    return Line(True, "redis", f"{safe_url(settings.redis_url)} answers")


def _why(e: BaseException) -> str:
    if isinstance(e, TimeoutError | asyncio.TimeoutError):
        return f"no answer within {TELEGRAM_TIMEOUT} s"
    message = e.message if isinstance(e, TelegramAPIError) else str(e)
    return f"{type(e).__name__}: {message}".splitlines()[0]
