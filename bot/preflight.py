"""What `python -m bot run` checks before it starts, each failure said in one line.

In order: the database answers (which URL, without its password, and what went wrong); Redis
answers PING when REDIS_URL is set (dialogs live there); no other bot runs on the database
(storage/lock.py); Telegram accepts the token (getMe: a refused token stops the start, an
unreachable Telegram or proxy is retried with a growing pause and one line each time).
The settings themselves were checked when they were loaded (bot/settings.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import User
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.session import ProxyRefused
from bot.setting_values import safe_url
from bot.settings import Settings
from core.redact import scrub
from storage import lock
from storage.db import make_engine

log = logging.getLogger(__name__)
RETRY_MAX_SECONDS = 60.0
DATABASE_TIMEOUT_SECONDS = 20.0


class StartRefused(Exception):
    """A start check failed; the message is the one line to show."""

    def __init__(self, message: str) -> None:
        super().__init__(scrub(message))
        self.message = scrub(message)


def database_line(settings: Settings) -> str:
    return f"database: {safe_url(settings.database_url)}"


async def check_database(url: str) -> None:
    """Connects once; a database that is missing, refuses or cannot be created stops here."""
    try:
        engine = make_engine(url)
    except OSError as e:
        raise StartRefused(f"database {safe_url(url)}: {_why(e)}") from None
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT_SECONDS), engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as e:
        raise StartRefused(f"database {safe_url(url)}: {_why(e)}") from None
    finally:
        await engine.dispose()


async def check_redis(url: str | None) -> None:
    """With REDIS_URL set, Redis must answer PING: dialogs live there (bot/dialog_store.py)."""
    if not url:
        return
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT_SECONDS):
            await client.ping()
    except Exception as e:
        raise StartRefused(f"redis {safe_url(url)}: {_why(e)} (RESCUEBOT_REDIS_URL; unset it "
                           "to keep dialogs in memory)") from None
    finally:
        await client.aclose()


def _why(e: BaseException) -> str:
    if isinstance(e, DBAPIError) and e.orig is not None:
        return str(e.orig).splitlines()[0]
    if isinstance(e, TimeoutError):
        return f"no answer within {DATABASE_TIMEOUT_SECONDS:.0f} s"
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return (f"{type(e).__name__}: {e}".splitlines() or [""])[0]


async def check_token(bot: Bot, settings: Settings,
                      sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> User:
    """getMe until Telegram answers; a refused token or a wrong server stops the start."""
    delay = 1.0
    where = _route(settings)
    while True:
        try:
            return await bot.get_me(request_timeout=30)
        except TelegramUnauthorizedError:
            raise StartRefused("the token was refused by Telegram (401 Unauthorized); "
                               "check RESCUEBOT_TOKEN with @BotFather") from None
        except TelegramNotFound:
            raise StartRefused(f"{where} answered 404 to getMe: the token is malformed or "
                               "RESCUEBOT_API_URL is not a Bot API server") from None
        except ClientDecodeError:
            raise StartRefused(f"{where} answered getMe with something other than the Bot "
                               "API's JSON: RESCUEBOT_API_URL is not a Bot API server") from None
        except ProxyRefused as e:
            raise StartRefused(f"cannot reach Telegram {where}: {e.message}") from None
        except (TelegramNetworkError, TelegramServerError, TimeoutError, OSError) as e:
            log.warning("cannot reach Telegram %s (%s); trying again in %.0f s",
                        where, _network_why(e), delay)
        except TelegramAPIError as e:
            raise StartRefused(f"{where} refused getMe: {e.message}") from None
        await sleep(delay)
        delay = min(RETRY_MAX_SECONDS, delay * 2)


def _route(settings: Settings) -> str:
    through = f" through the proxy {safe_url(settings.proxy)}" if settings.proxy else ""
    return f"at {settings.api_url}{through}"


def _network_why(e: BaseException) -> str:
    message = e.message if isinstance(e, TelegramAPIError) else str(e)
    return f"{type(e).__name__}: {message}".splitlines()[0]


async def run_bot(settings: Settings, token: str) -> None:
    """Checks, takes the database lock, and runs the bot until cancelled or the lock is lost."""
    log.info(database_line(settings))
    await check_database(settings.database_url)
    await check_redis(settings.redis_url)
    try:
        async with lock.hold(settings.database_url) as guard:
            await _run_alone(settings, token, guard)
    except lock.AlreadyRunning as e:
        raise StartRefused(f"{e}; one bot per database: stop it first") from None
    except lock.LockLost as e:
        raise StartRefused(f"lost the lock on the database ({e}); stopping, since another bot "
                           "may now run on it") from None


async def _run_alone(settings: Settings, token: str, guard: lock.DatabaseLock) -> None:
    from bot.app import build_app

    app = build_app(settings, token)
    try:
        me = await check_token(app.bot, settings)
        log.info("Telegram: @%s (id %s) %s", me.username, me.id, _route(settings))
        await _until_first_ends(app.run(), guard.watch())
    finally:
        await app.close()


async def _until_first_ends(*jobs: Awaitable[None]) -> None:
    tasks = [asyncio.ensure_future(j) for j in jobs]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for t in tasks:
            t.cancel()
        for t in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t
    for t in done:
        t.result()
