"""Engine and session factory; SQLite gets WAL, foreign keys, a busy timeout and write locks
taken at BEGIN."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

log = logging.getLogger(__name__)
BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own implicit BEGIN is turned off: _begin_immediate issues ours.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_immediate(conn: Any) -> None:
    # A deferred transaction that reads and then writes cannot wait for another writer: SQLite
    # refuses the upgrade at once ("database is locked") without using the busy timeout. Taking
    # the write lock at BEGIN makes concurrent units of work queue in the busy handler instead.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, pool_size=10, max_overflow=10, pool_timeout=60)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
        return engine
    return create_async_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10,
                               pool_timeout=60)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[Any]:
    return async_sessionmaker(engine, expire_on_commit=False)


_TRANSIENT_WORDS = ("database is locked", "database table is locked", "busy",
                    "connection", "terminating", "shutting down", "starting up",
                    "recovery", "closed", "timeout", "could not connect", "refused")


def is_transient(error: BaseException) -> bool:
    """A database error that waiting may cure: a lock held by another writer, a server that
    restarts, a connection that dropped. Anything else is a fault to report, not to retry."""
    if isinstance(error, PoolTimeout):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, OperationalError | DBAPIError):
        text = str(error.orig if getattr(error, "orig", None) is not None else error).lower()
        return any(w in text for w in _TRANSIENT_WORDS)
    if isinstance(error, ConnectionError | OSError):
        return True
    name = type(error).__name__
    # asyncpg raises its own classes outside SQLAlchemy when a pooled connection dies mid-use.
    return name in {"ConnectionDoesNotExistError", "CannotConnectNowError",
                    "AdminShutdownError", "InterfaceError", "ConnectionFailureError"}
