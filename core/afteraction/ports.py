"""What after-action reports need from storage: their own requests and lessons, and the other
features' records of an incident (the storage unit of work carries them all)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.afteraction.model import Lesson, ReportRequest
from core.consult.ports import ConsultUnitOfWork
from core.response.ports import ResponseUnitOfWork
from core.sitrep.ports import SitrepUnitOfWork
from core.traffic.ports import TrafficUnitOfWork
from core.warnings.model import Warning


class AfterActionRepo(Protocol):
    async def add(self, request: ReportRequest) -> ReportRequest | None:
        """The new version; None if that version of the incident was just asked for by
        someone else (two asking at once)."""
        ...
    async def get(self, request_id: int) -> ReportRequest | None: ...
    async def update(self, request: ReportRequest) -> None: ...

    async def latest(self, incident_id: int) -> ReportRequest | None:
        """The incident's highest version, built or not."""
        ...

    async def due(self, now: datetime) -> list[ReportRequest]:
        """Versions not built yet whose time has come, oldest first."""
        ...

    async def mark_built(self, request_id: int, at: datetime) -> bool:
        """Record the version as built if nobody did; False if another sweep was first."""
        ...

    async def attach(self, request_id: int, file_id: int) -> None:
        """The document of a version just marked built."""
        ...

    async def add_lesson(self, lesson: Lesson) -> Lesson: ...
    async def lessons(self, incident_id: int) -> list[Lesson]: ...

    async def warnings_between(self, start: datetime, end: datetime) -> list[Warning]:
        """Warnings issued in the period, oldest first."""
        ...


# The bases in the order core.county lists them, so the county's protocol can be resolved.
class AfterActionUnitOfWork(ResponseUnitOfWork, SitrepUnitOfWork, TrafficUnitOfWork,
                            ConsultUnitOfWork, Protocol):
    @property
    def afteraction(self) -> AfterActionRepo: ...
