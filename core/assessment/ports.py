"""What the assessment needs from storage: each kind of row over a period in one query."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.assessment.figures import OrderRows, RollCallRows, WarningRows
from core.ports import UnitOfWork


class AssessmentRepo(Protocol):
    async def rollcall_answers(self, start: datetime, end: datetime) -> RollCallRows:
        """Every force's answer row of every roll-call opened in [start, end)."""
    async def warning_targets(self, start: datetime, end: datetime) -> WarningRows:
        """Every force a warning issued in [start, end) went to."""
    async def orders(self, start: datetime, end: datetime) -> OrderRows:
        """Every order issued in [start, end), with whether its incident is a drill."""
    async def monthly_sent(self, period: str) -> bool: ...
    async def record_monthly(self, period: str, at: datetime, file_id: int | None) -> bool:
        """Write down that ``period``'s document went to the bureau; False if it already had."""


class AssessmentUnitOfWork(UnitOfWork, Protocol):
    @property
    def assessment(self) -> AssessmentRepo: ...
