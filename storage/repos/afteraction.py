"""After-action report versions and lessons; the warnings of a period, for the report."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.afteraction.model import Lesson, Reason, ReportRequest
from core.warnings.model import Warning
from storage.repos.warnings import _warning
from storage.tables_afteraction import LessonRow, ReportVersionRow
from storage.tables_alerts import WarningRow

_FIELDS = ("incident_id", "version", "requested_at", "due_at", "requested_by_name",
           "built_at", "file_id")
_LESSON = ("incident_id", "unit_id", "tg_id", "name", "text", "at")


def _request(row: ReportVersionRow) -> ReportRequest:
    return ReportRequest(row.incident_id, row.version, Reason(row.reason), row.requested_at,
                         row.due_at, row.requested_by_name, row.built_at, row.file_id, row.id)


class SqlAfterActionRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, request: ReportRequest) -> ReportRequest | None:
        row = ReportVersionRow(**{f: getattr(request, f) for f in _FIELDS},
                               reason=request.reason.value)
        try:
            # In a savepoint: of two asking at once, the second finds the version taken and
            # the rest of its transaction goes on.
            async with self.s.begin_nested():
                self.s.add(row)
                await self.s.flush()
        except IntegrityError:
            return None
        request.id = row.id
        return request

    async def get(self, request_id: int) -> ReportRequest | None:
        row = await self.s.get(ReportVersionRow, request_id, populate_existing=True)
        return _request(row) if row is not None else None

    async def update(self, request: ReportRequest) -> None:
        await self.s.execute(
            update(ReportVersionRow).where(ReportVersionRow.id == request.id)
            .values(due_at=request.due_at).execution_options(synchronize_session=False))

    async def latest(self, incident_id: int) -> ReportRequest | None:
        row = await self.s.scalar(
            select(ReportVersionRow).where(ReportVersionRow.incident_id == incident_id)
            .order_by(ReportVersionRow.version.desc()).limit(1))
        return _request(row) if row is not None else None

    async def due(self, now: datetime) -> list[ReportRequest]:
        rows = await self.s.scalars(
            select(ReportVersionRow)
            .where(ReportVersionRow.built_at.is_(None), ReportVersionRow.due_at <= now)
            .order_by(ReportVersionRow.id))
        return [_request(r) for r in rows]

    async def mark_built(self, request_id: int, at: datetime) -> bool:
        done = await self.s.execute(
            update(ReportVersionRow)
            .where(ReportVersionRow.id == request_id, ReportVersionRow.built_at.is_(None))
            .values(built_at=at)
            .execution_options(synchronize_session=False))
        return bool(getattr(done, "rowcount", 0))

    async def attach(self, request_id: int, file_id: int) -> None:
        await self.s.execute(
            update(ReportVersionRow).where(ReportVersionRow.id == request_id)
            .values(file_id=file_id).execution_options(synchronize_session=False))

    async def add_lesson(self, lesson: Lesson) -> Lesson:
        row = LessonRow(**{f: getattr(lesson, f) for f in _LESSON})
        self.s.add(row)
        await self.s.flush()
        lesson.id = row.id
        return lesson

    async def lessons(self, incident_id: int) -> list[Lesson]:
        rows = await self.s.scalars(
            select(LessonRow).where(LessonRow.incident_id == incident_id)
            .order_by(LessonRow.id))
        return [Lesson(**{f: getattr(r, f) for f in _LESSON}, id=r.id) for r in rows]

    async def warnings_between(self, start: datetime, end: datetime) -> list[Warning]:
        rows = await self.s.scalars(
            select(WarningRow).where(WarningRow.issued_at >= start, WarningRow.issued_at <= end)
            .order_by(WarningRow.issued_at, WarningRow.id))
        return [_warning(r) for r in rows]
