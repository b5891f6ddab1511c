"""The leader of several bot processes on one PostgreSQL: whoever holds a session advisory lock.

The lock lives on a connection of its own (not the pool's), in autocommit, so no idle open
transaction holds back vacuum. PostgreSQL drops a session lock when its connection ends, however
the process ended: a leader killed with SIGKILL frees the lock as soon as the server notices the
closed socket (at once on one machine; a dead host takes TCP keepalive's time).

Processes that do not lead try ``pg_try_advisory_lock`` every ``retry_seconds`` (2 s), so one
of them leads again within a few seconds of the leader's death. A leader checks its connection
every ``check_seconds`` (1 s) and is told at once by the driver when the socket closes; either
way its term ends the moment the lock can no longer be vouched for, and it campaigns afresh on
a new connection. Between the server dropping the lock and the old leader noticing, two
processes may both think they lead for up to ``check_seconds``: the work they share is made
harmless by the database itself (sweeps serialized by storage/sweep_lock.py and idempotent,
updates handled once through the inbox), the lock only keeps them from doing it twice over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from core.leadership import Term

log = logging.getLogger(__name__)

# Advisory lock keys are per database; this one spells "rbleader".
LEADER_KEY = int.from_bytes(b"rbleader", "big") & 0x7FFF_FFFF_FFFF_FFFF
RETRY_SECONDS = 2.0
CHECK_SECONDS = 1.0
TIMEOUT_SECONDS = 5.0


class AdvisoryLeadership:
    def __init__(self, url: str, retry_seconds: float = RETRY_SECONDS,
                 check_seconds: float = CHECK_SECONDS,
                 timeout_seconds: float = TIMEOUT_SECONDS) -> None:
        self.url = url
        self.retry_seconds = retry_seconds
        self.check_seconds = check_seconds
        self.timeout_seconds = timeout_seconds
        self._term: Term | None = None

    @property
    def is_leader(self) -> bool:
        return self._term is not None and not self._term.ended.is_set()

    async def lead(self) -> AsyncGenerator[Term, None]:
        engine = create_async_engine(self.url, poolclass=NullPool)
        try:
            while True:
                conn = await self._campaign(engine)
                term = Term()
                self._term = term
                self._on_close(conn, term)
                watch = asyncio.create_task(self._watch(conn, term), name="leader-watch")
                try:
                    yield term
                finally:
                    # Asked for the next term (this one ended) or closed: either way let go.
                    term.ended.set()
                    watch.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await watch
                    await self._close(conn)
        finally:
            await engine.dispose()

    async def _campaign(self, engine: AsyncEngine) -> AsyncConnection:
        """A connection that holds the lock; tries every ``retry_seconds`` until it does."""
        said_waiting = said_failing = False
        while True:
            conn: AsyncConnection | None = None
            try:
                async with asyncio.timeout(self.timeout_seconds):
                    conn = await engine.connect()
                    await conn.execution_options(isolation_level="AUTOCOMMIT")
                while True:
                    async with asyncio.timeout(self.timeout_seconds):
                        taken = await conn.scalar(text("SELECT pg_try_advisory_lock(:key)"),
                                                  {"key": LEADER_KEY})
                    if taken:
                        return conn
                    if not said_waiting:
                        log.info("another process leads; trying for the lead every %.0f s",
                                 self.retry_seconds)
                        said_waiting = True
                    await asyncio.sleep(self.retry_seconds)
            except asyncio.CancelledError:
                if conn is not None:
                    await self._close(conn)
                raise
            except Exception as e:
                if not said_failing:
                    log.warning("cannot try for the lead (%s); again every %.0f s", _why(e),
                                self.retry_seconds)
                    said_failing = True
                if conn is not None:
                    await self._close(conn)
                await asyncio.sleep(self.retry_seconds)

    async def _watch(self, conn: AsyncConnection, term: Term) -> None:
        try:
            while not term.ended.is_set():
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.check_seconds):
                        await term.ended.wait()
                if term.ended.is_set():
                    return
                async with asyncio.timeout(self.timeout_seconds):
                    await conn.execute(text("SELECT 1"))
        except asyncio.CancelledError:
            raise
        except Exception as e:
            self._lost(term, _why(e))

    def _on_close(self, conn: AsyncConnection, term: Term) -> None:
        """asyncpg tells us the moment the socket closes: the term ends then, not a check later."""
        with contextlib.suppress(Exception):
            raw: Any = conn.sync_connection.connection.driver_connection  # type: ignore[union-attr]
            raw.add_termination_listener(lambda _c: self._lost(term, "connection closed"))

    def _lost(self, term: Term, why: str) -> None:
        if not term.ended.is_set():
            log.warning("lost the leader lock (%s): this process stops leading", why)
            term.ended.set()

    async def _close(self, conn: AsyncConnection) -> None:
        # Closing the connection ends the session and with it the lock; a broken connection is
        # thrown away rather than waited for.
        try:
            async with asyncio.timeout(self.timeout_seconds):
                await conn.close()
        except Exception:
            with contextlib.suppress(Exception):
                await conn.invalidate()


def _why(e: BaseException) -> str:
    orig = getattr(e, "orig", None)
    return (f"{type(e).__name__}: {orig if orig is not None else e}".splitlines() or [""])[0]
