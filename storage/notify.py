"""Wake-ups across processes: PostgreSQL's LISTEN/NOTIFY on the channel ``rescuebot_outbox``.

A unit of work that added notices sends ``NOTIFY rescuebot_outbox`` inside its transaction;
PostgreSQL delivers it to every listening connection when (and only if) the transaction
commits. Each bot process listens on a connection of its own and wakes its delivery worker,
so a notice committed by one process starts going out from whichever process claims its chat
within milliseconds, not at the next poll. A notification lost (the listening connection
dropped) costs only latency: the poll interval still finds every notice. SQLite has one
process and no NOTIFY; there the commit wakes the worker in-process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger(__name__)
CHANNEL = "rescuebot_outbox"


def is_postgresql(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


async def announce(session: AsyncSession) -> None:
    """Tell every listening process, on commit, that notices were added."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text(f"NOTIFY {CHANNEL}"))


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class OutboxListener:
    """Listens on ``rescuebot_outbox`` and calls ``wake`` for each notification; reconnects
    after a lost connection (and wakes then: something may have been missed)."""

    def __init__(self, url: str, wake: Callable[[], None], check_seconds: float = 5.0) -> None:
        self.url = url
        self.wake = wake
        self.check_seconds = check_seconds

    async def run(self) -> None:
        import asyncpg  # type: ignore[import-untyped]  # only PostgreSQL needs the driver here

        pause = 0.5
        while True:
            conn: Any = None
            try:
                conn = await asyncpg.connect(_dsn(self.url), timeout=10)
                await conn.add_listener(CHANNEL, self._notified)
                log.info("listening for new notices on %s", CHANNEL)
                pause = 0.5
                self.wake()
                while not conn.is_closed():
                    await asyncio.sleep(self.check_seconds)
                    await asyncio.wait_for(conn.execute("SELECT 1"), self.check_seconds * 2)
            except asyncio.CancelledError:
                raise
            except Exception as e:
                log.warning("listening for new notices failed (%s); again in %.1f s",
                            type(e).__name__, pause)
            finally:
                if conn is not None and not conn.is_closed():
                    try:
                        await asyncio.wait_for(conn.close(), 2)
                    except Exception:
                        conn.terminate()
            await asyncio.sleep(pause)
            pause = min(pause * 2, 10.0)

    def _notified(self, *_args: Any) -> None:
        self.wake()
