"""The unit of work: one session, one transaction, every repository over it."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import Clock
from storage.repos.chats import SqlAuditRepo, SqlChatRepo, SqlInboxRepo, SqlInviteRepo
from storage.repos.outbox import SqlOutboxRepo
from storage.repos.registry import SqlPersonRepo, SqlUnitRepo


class SqlUnitOfWork:
    def __init__(
        self,
        sessions: async_sessionmaker[Any],
        clock: Clock,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._on_commit = on_commit

    async def __aenter__(self) -> SqlUnitOfWork:
        self.session: AsyncSession = self._sessions()
        s = self.session
        self.units = SqlUnitRepo(s)
        self.people = SqlPersonRepo(s)
        self.invites = SqlInviteRepo(s)
        self.chats = SqlChatRepo(s)
        self.audit = SqlAuditRepo(s)
        self.outbox = SqlOutboxRepo(s, self._clock)
        self.inbox = SqlInboxRepo(s)
        self._extend(s)
        return self

    def _extend(self, session: AsyncSession) -> None:
        """Feature repositories attach here (see storage.features)."""
        from storage.features import attach

        attach(self, session)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self.session.in_transaction():
                await self.session.rollback()
        finally:
            await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()
        if self._on_commit is not None and self.outbox.added:
            self.outbox.added = 0
            self._on_commit()

    async def rollback(self) -> None:
        await self.session.rollback()


class UnitOfWorkFactory:
    """Opens units of work; the delivery worker is woken after each commit."""

    def __init__(self, sessions: async_sessionmaker[Any], clock: Clock) -> None:
        self.sessions = sessions
        self.clock = clock
        self.listeners: list[Callable[[], None]] = []

    def _committed(self) -> None:
        for listener in self.listeners:
            listener()

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions, self.clock, self._committed)
