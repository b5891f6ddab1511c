"""The unit of work: one session, one transaction, every repository over it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import Clock
from storage.repos.afteraction import SqlAfterActionRepo
from storage.repos.assessment import SqlAssessmentRepo
from storage.repos.chats import SqlAuditRepo, SqlChatRepo, SqlInboxRepo, SqlInviteRepo
from storage.repos.compensation import SqlCompensationRepo
from storage.repos.consult import SqlConsultationRepo
from storage.repos.dispatch import (
    SqlConcurrenceRepo,
    SqlIncidentRepo,
    SqlOrderRepo,
    SqlPeriodRepo,
    SqlPlanRepo,
    SqlPromptRepo,
    SqlReinforcementRepo,
)
from storage.repos.files import SqlFileRepo
from storage.repos.find import SqlFindRepo
from storage.repos.marks import SqlIncidentMarkRepo
from storage.repos.mydata import SqlDataReminderRepo
from storage.repos.outbox import SqlOutboxRepo
from storage.repos.registry import SqlPersonRepo, SqlUnitRepo
from storage.repos.reports import SqlReportRepo
from storage.repos.response import SqlResponseRepo
from storage.repos.rollcall import SqlRollCallRepo
from storage.repos.sitrep import SqlSitrepRepo
from storage.repos.traffic import SqlTrafficRepo
from storage.repos.warnings import SqlWarningRepo


class SerialLock:
    """A first-come-first-served lock that refuses a second unit of work in the same task,
    which could only wait for itself."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None

    async def acquire(self) -> None:
        me = asyncio.current_task()
        if me is not None and me is self._owner:
            raise RuntimeError("a unit of work opened inside another in the same task")
        await self._lock.acquire()
        self._owner = me

    def release(self) -> None:
        self._owner = None
        self._lock.release()


class SqlUnitOfWork:
    def __init__(
        self,
        sessions: async_sessionmaker[Any],
        clock: Clock,
        on_commit: Callable[[], None] | None = None,
        serial: SerialLock | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._on_commit = on_commit
        self._serial = serial

    async def __aenter__(self) -> SqlUnitOfWork:
        if self._serial is not None:
            await self._serial.acquire()
        self.session: AsyncSession = self._sessions()
        s = self.session
        self.units = SqlUnitRepo(s)
        self.people = SqlPersonRepo(s)
        self.invites = SqlInviteRepo(s)
        self.chats = SqlChatRepo(s)
        self.audit = SqlAuditRepo(s)
        self.outbox = SqlOutboxRepo(s, self._clock)
        self.inbox = SqlInboxRepo(s)
        self.files = SqlFileRepo(s)
        # Each feature's repositories: a new feature adds its lines here.
        self.incidents = SqlIncidentRepo(s)
        self.plans = SqlPlanRepo(s)
        self.orders = SqlOrderRepo(s)
        self.concurrences = SqlConcurrenceRepo(s)
        self.periods = SqlPeriodRepo(s)
        self.reinforcements = SqlReinforcementRepo(s)
        self.prompts = SqlPromptRepo(s)
        self.marks = SqlIncidentMarkRepo(s)
        self.warnings = SqlWarningRepo(s)
        self.rollcalls = SqlRollCallRepo(s)
        self.reports = SqlReportRepo(s)
        self.traffic = SqlTrafficRepo(s)
        self.find = SqlFindRepo(s)
        self.consultations = SqlConsultationRepo(s)
        self.sitreps = SqlSitrepRepo(s)
        self.responses = SqlResponseRepo(s)
        self.afteraction = SqlAfterActionRepo(s)
        self.assessment = SqlAssessmentRepo(s)
        self.data_reminders = SqlDataReminderRepo(s)
        self.compensation = SqlCompensationRepo(s)
        return self

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
            try:
                await self.session.close()
            finally:
                if self._serial is not None:
                    self._serial.release()

    async def commit(self) -> None:
        await self.session.commit()
        if self._on_commit is not None and self.outbox.added:
            self.outbox.added = 0
            self._on_commit()

    async def rollback(self) -> None:
        await self.session.rollback()

    @asynccontextmanager
    async def trial(self) -> AsyncIterator[None]:
        """A savepoint rolled back at the end: what the work inside would do, undone."""
        nested = await self.session.begin_nested()
        try:
            yield
        finally:
            if nested.is_active:
                await nested.rollback()
            # Objects read inside may hold the undone values: read them again next time.
            self.session.expire_all()


class UnitOfWorkFactory:
    """Opens units of work; the delivery worker is woken after each commit."""

    def __init__(self, sessions: async_sessionmaker[Any], clock: Clock) -> None:
        self.sessions = sessions
        self.clock = clock
        self.listeners: list[Callable[[], None]] = []
        # SQLite has one writer at a time and its busy handler is not fair: with many units of
        # work waiting, some starve past the busy timeout. In one process they queue here
        # instead, first come first served; the busy timeout is left for other processes.
        bind = sessions.kw.get("bind")
        sqlite = bind is not None and bind.dialect.name == "sqlite"
        self._serial = SerialLock() if sqlite else None

    def _committed(self) -> None:
        for listener in self.listeners:
            listener()

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions, self.clock, self._committed, self._serial)
