"""One bot per database: a lock held for the life of the process.

Two bots on one database both poll, both deliver and both sweep, so commands run twice and
notices arrive twice. Until several processes are designed for, the second one refuses to start.

- SQLite: an OS file lock (``flock``) on ``<database file>.lock`` beside the database. The OS
  drops it when the process ends however it ends, so a killed bot never leaves a stale lock.
- PostgreSQL: a session advisory lock on a connection of its own, held open. PostgreSQL drops it
  when that connection ends. If the connection is lost the process can no longer prove it is
  alone (another bot may have taken the lock meanwhile), so ``watch`` raises ``LockLost`` and
  the bot stops; a supervisor starts it again, and the fresh start takes the lock anew or
  refuses. Re-taking in place was not chosen: it would need the same care as a fresh start.

Consoles (``migrate``, ``registry import``, ``invite``) take no lock: they are not a second bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

# Any constant works; this one spells "rescuebt". Advisory locks are per database, so bots on
# other databases of the same server do not collide.
ADVISORY_KEY = int.from_bytes(b"rescuebt", "big") & 0x7FFF_FFFF_FFFF_FFFF


class AlreadyRunning(Exception):
    """Another bot holds the lock on this database."""


class LockLost(Exception):
    """The connection holding the PostgreSQL lock is gone: this process may no longer be alone."""


class DatabaseLock(Protocol):
    async def watch(self) -> None:
        """Returns never; raises LockLost when the lock can no longer be vouched for."""


class _Held:
    async def watch(self) -> None:
        await asyncio.Event().wait()


@contextlib.asynccontextmanager
async def hold(url: str, check_seconds: float = 10.0) -> AsyncIterator[DatabaseLock]:
    """Takes the lock for ``url`` or raises AlreadyRunning; releases it on exit."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        # Several processes share one PostgreSQL (issue 14): delivery is shared through chat
        # claims. The leader election for polling and the sweep replaces this at merge.
        yield _Held()
    elif parsed.database and parsed.database != ":memory:":
        with _file_lock(Path(parsed.database)):
            yield _Held()
    else:
        yield _Held()  # an in-memory database is this process's own


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


@contextlib.contextmanager
def _file_lock(database: Path) -> Iterator[None]:
    path = lock_path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip()
            raise AlreadyRunning(f"another bot{_pid(holder)} is already running on this "
                                 f"database (it holds {path})") from None
        f.seek(0)
        f.truncate()
        f.write(f"{os.getpid()}\n")
        f.flush()
        try:
            yield
        finally:
            f.truncate(0)
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _pid(holder: str) -> str:
    return f" (process {holder})" if holder.isdigit() else ""


class _Advisory:
    def __init__(self, conn: AsyncConnection, check_seconds: float) -> None:
        self.conn = conn
        self.check_seconds = check_seconds

    async def watch(self) -> None:
        while True:
            await asyncio.sleep(self.check_seconds)
            try:
                async with asyncio.timeout(max(30.0, self.check_seconds)):
                    await self.conn.execute(text("SELECT 1"))
            except Exception as e:
                raise LockLost(f"{type(e).__name__}: {e}".splitlines()[0]) from None


@contextlib.asynccontextmanager
async def _advisory(url: str, check_seconds: float) -> AsyncIterator[_Advisory]:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        # Autocommit: an idle open transaction would hold back vacuum and may be killed by
        # idle_in_transaction_session_timeout, taking the lock with it.
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            taken = await conn.scalar(text("SELECT pg_try_advisory_lock(:key)"),
                                      {"key": ADVISORY_KEY})
            if not taken:
                holder = await conn.scalar(text(
                    "SELECT a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.granted "
                    "AND l.objid::bigint = (:key & 4294967295) AND a.datname = current_database() "
                    "LIMIT 1"), {"key": ADVISORY_KEY})
                who = f" (PostgreSQL backend {holder})" if holder else ""
                raise AlreadyRunning(f"another bot is already running on this database{who}")
            try:
                yield _Advisory(conn, check_seconds)
            finally:
                with contextlib.suppress(Exception):
                    await conn.execute(text("SELECT pg_advisory_unlock(:key)"),
                                       {"key": ADVISORY_KEY})
    finally:
        await engine.dispose()
