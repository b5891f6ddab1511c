"""Information reports and their link to an incident."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from core.reports.model import Report
from storage.tables_reports import ReportRow

_FIELDS = ("unit_id", "township", "text", "reported_by", "reported_by_name", "reported_at",
           "incident_id", "linked_by", "linked_by_name", "linked_at")


class SqlReportRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, report: Report) -> Report:
        row = ReportRow(**{f: getattr(report, f) for f in _FIELDS}, photo=report.photo or None)
        self.s.add(row)
        await self.s.flush()
        report.id = row.id
        return report

    async def get(self, report_id: int) -> Report | None:
        row = await self.s.get(ReportRow, report_id, populate_existing=True)
        if row is None:
            return None
        return Report(**{f: getattr(row, f) for f in _FIELDS}, photo=row.photo or "", id=row.id)

    async def link(self, report_id: int, incident_id: int, by: int, by_name: str,
                   at: datetime) -> bool:
        done = await self.s.execute(
            update(ReportRow)
            .where(ReportRow.id == report_id, ReportRow.incident_id.is_(None))
            .values(incident_id=incident_id, linked_by=by, linked_by_name=by_name,
                    linked_at=at)
            .execution_options(synchronize_session=False))
        return bool(getattr(done, "rowcount", 0))
