"""The assessment's reads: one query per kind of row over a period, whatever the forces."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from core.assessment.figures import OrderRows, RollCallRows, WarningRows
from core.dispatch.model import Order, OrderStatus
from storage.repos.dispatch import _build
from storage.repos.rollcall import _answer, _rollcall
from storage.repos.warnings import _target, _warning
from storage.tables_alerts import (
    RollCallAnswerRow,
    RollCallRow,
    WarningRow,
    WarningTargetRow,
)
from storage.tables_assessment import AssessmentSentRow
from storage.tables_dispatch import IncidentRow, OrderRow, PlanRow


class SqlAssessmentRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def rollcall_answers(self, start: datetime, end: datetime) -> RollCallRows:
        rows = await self.s.execute(
            select(RollCallRow, RollCallAnswerRow)
            .join(RollCallAnswerRow, RollCallAnswerRow.rollcall_id == RollCallRow.id)
            .where(RollCallRow.opened_at >= start, RollCallRow.opened_at < end))
        return [(_rollcall(r), _answer(a)) for r, a in rows]

    async def warning_targets(self, start: datetime, end: datetime) -> WarningRows:
        rows = await self.s.execute(
            select(WarningRow, WarningTargetRow)
            .join(WarningTargetRow, WarningTargetRow.warning_id == WarningRow.id)
            .where(WarningRow.issued_at >= start, WarningRow.issued_at < end))
        return [(_warning(w), _target(t)) for w, t in rows]

    async def orders(self, start: datetime, end: datetime) -> OrderRows:
        rows = await self.s.execute(
            select(OrderRow, IncidentRow.is_drill)
            .join(PlanRow, PlanRow.id == OrderRow.plan_id)
            .join(IncidentRow, IncidentRow.id == PlanRow.incident_id)
            .where(OrderRow.issued_at >= start, OrderRow.issued_at < end))
        return [(_build(Order, o, OrderStatus), bool(drill)) for o, drill in rows]

    async def monthly_sent(self, period: str) -> bool:
        return await self.s.get(AssessmentSentRow, period) is not None

    async def record_monthly(self, period: str, at: datetime, file_id: int | None) -> bool:
        """Insert-if-absent, so of two processes' sweeps only one sends."""
        dialect = postgresql if self.s.get_bind().dialect.name == "postgresql" else sqlite
        done = await self.s.execute(
            dialect.insert(AssessmentSentRow)
            .values(period=period, sent_at=at, file_id=file_id)
            .on_conflict_do_nothing())
        return bool(getattr(done, "rowcount", 0))
