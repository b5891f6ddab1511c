"""A database that is busy (a writer holds it) or gone (nobody may connect), on SQLite and
PostgreSQL, for the webhook's 503 and /healthz."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator

from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine


@contextlib.asynccontextmanager
async def database_held(url: str) -> AsyncIterator[None]:
    """Another writer holds the database: writes (and, on SQLite, every transaction, since
    ours begin IMMEDIATE) wait until the block ends."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        holder = sqlite3.connect(str(parsed.database), isolation_level=None, timeout=30,
                                 check_same_thread=False)
        # In a thread: the bot may be in the middle of a write, which it finishes only if the
        # event loop runs while we wait for it.
        await asyncio.to_thread(holder.execute, "BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            holder.rollback()
            holder.close()
        return
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("LOCK TABLE inbox IN ACCESS EXCLUSIVE MODE"))
            try:
                yield
            finally:
                await conn.rollback()
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def database_gone(url: str) -> AsyncIterator[None]:
    """The database cannot be reached. SQLite: a writer holds it for good (an open file cannot
    be taken away from a process that has it open). PostgreSQL: connections are refused and the
    open ones are ended, as when the database is dropped or the server is stopped."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        async with database_held(url):
            yield
        return
    name = parsed.database
    admin = create_async_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            await conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE datname = :n"), {"n": name})
        try:
            yield
        finally:
            async with admin.connect() as conn:
                await conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
    finally:
        await admin.dispose()
