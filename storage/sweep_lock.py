"""One sweep transaction at a time across every process on a PostgreSQL database.

Only the leader sweeps, but during a takeover the old leader may still be inside a sweep step
when the new one begins (it lost the lock but its pool's connections still work). Each
transaction opened by the sweep first takes ``pg_advisory_xact_lock``: the second sweep waits
for the first to commit, and since PostgreSQL's READ COMMITTED reads afresh for each statement,
it then sees what the first one claimed (an escalation stamped, a reminder recorded) and does
not do it again. The lock is released by the commit or rollback itself, so a killed process
never leaves it behind. SQLite needs none of this: one process per file, one writer at a time.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import Session

from storage.uow import UnitOfWorkFactory

# "rb-sweep"; advisory lock keys are per database.
SWEEP_KEY = int.from_bytes(b"rb-sweep", "big") & 0x7FFF_FFFF_FFFF_FFFF


class SweepSession(Session):
    """A session whose every transaction first waits for the sweep lock."""


@event.listens_for(SweepSession, "after_begin")
def _take_sweep_lock(session: Session, transaction: Any, connection: Any) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SWEEP_KEY})


def serialized(uow: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """The same units of work as ``uow``, each transaction serialized with every other
    process's sweep on PostgreSQL; ``uow`` itself on other databases."""
    bind = uow.sessions.kw.get("bind")
    if bind is None or bind.dialect.name != "postgresql":
        return uow
    sessions = async_sessionmaker(bind, expire_on_commit=False, sync_session_class=SweepSession)
    factory = UnitOfWorkFactory(sessions, uow.clock)
    factory.listeners = uow.listeners  # the delivery worker is woken by the sweep's notices too
    return factory
