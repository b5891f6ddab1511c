"""What `python -m bot run` checks before it starts, each failure said in one line.

In order: the database answers (which URL, without its password, and what went wrong); Redis
answers PING when REDIS_URL is set (dialogs live there); on SQLite
no other bot runs on the file (storage/lock.py; on PostgreSQL several may, one of them leading:
storage/leader.py); Telegram accepts the token (getMe: a refused token stops the
start, an unreachable Telegram or proxy is retried with a growing pause and one line each time).
The settings themselves were checked when they were loaded (bot/settings.py); `run --webhook`
also needs the webhook's URL and secret (check_webhook, before anything else).
"""

from __future__ import annotations

import asyncio
import logging
import re
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
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from bot.session import ProxyRefused
from bot.setting_values import safe_url
from bot.settings import Settings
from core.leadership import Alone, Leadership
from core.redact import scrub
from storage import lock
from storage.db import make_engine
from storage.leader import AdvisoryLeadership

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


def leadership_for(url: str) -> Leadership:
    """Who leads: on PostgreSQL an advisory lock among any number of processes; on SQLite this
    process alone (the file lock has kept every other bot out)."""
    if make_url(url).get_backend_name() == "postgresql":
        return AdvisoryLeadership(url)
    return Alone()


def check_webhook(settings: Settings) -> None:
    """`run --webhook` needs where Telegram posts and the secret it repeats; said in one line."""
    hook = settings.webhook
    missing = [name for name, value in (("RESCUEBOT_WEBHOOK__URL", hook.url),
                                        ("RESCUEBOT_WEBHOOK__SECRET", hook.secret))
               if not value or (isinstance(value, SecretStr) and not value.get_secret_value())]
    if missing:
        raise StartRefused(f"run --webhook needs {' and '.join(missing)} (the public https URL "
                           "Telegram posts to, and a secret of 1-256 letters, digits, _ or -)")
    assert hook.url is not None and hook.secret is not None
    if not hook.url.startswith(("https://", "http://")):
        raise StartRefused(f"RESCUEBOT_WEBHOOK__URL must be an https:// URL, not {hook.url!r}")
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", hook.secret.get_secret_value()):
        raise StartRefused("RESCUEBOT_WEBHOOK__SECRET may hold only 1-256 letters, digits, _ "
                           "and - (Telegram's rule for secret_token)")


async def run_bot(settings: Settings, token: str, webhook: bool = False) -> None:
    """Checks, takes the SQLite file lock (PostgreSQL needs none), and runs until cancelled."""
    log.info(database_line(settings))
    await check_database(settings.database_url)
    await check_redis(settings.redis_url)
    try:
        async with lock.hold(settings.database_url):
            await _run(settings, token, leadership_for(settings.database_url), webhook)
    except lock.AlreadyRunning as e:
        raise StartRefused(f"{e}; one bot per SQLite file: stop it first, or use PostgreSQL "
                           "to run several") from None


async def _run(settings: Settings, token: str, leadership: Leadership,
               webhook: bool = False) -> None:
    from bot.app import build_app

    app = build_app(settings, token, leadership=leadership)
    try:
        me = await check_token(app.bot, settings)
        log.info("Telegram: @%s (id %s) %s", me.username, me.id, _route(settings))
        await app.run(webhook)
    finally:
        await app.close()
