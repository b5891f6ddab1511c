"""What the report use cases need from storage. Reports are linked to the dispatch chain's
incidents, so their unit of work is the dispatch chain's with the reports added."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.dispatch.ports import DispatchUnitOfWork
from core.reports.model import Report


class ReportRepo(Protocol):
    async def add(self, report: Report) -> Report: ...
    async def get(self, report_id: int) -> Report | None: ...

    async def link(self, report_id: int, incident_id: int, by: int, by_name: str,
                   at: datetime) -> bool:
        """Link the report if it is not linked yet; False if someone linked it first."""
        ...


class ReportUnitOfWork(DispatchUnitOfWork, Protocol):
    @property
    def reports(self) -> ReportRepo: ...
