"""The two facts the resource search ranks by, each in one query over every force."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.dispatch.model import OrderStatus
from storage.tables_alerts import RollCallAnswerRow, RollCallRow
from storage.tables_dispatch import IncidentRow, OrderRow, PlanRow

_DONE = (OrderStatus.STOOD_DOWN.value, OrderStatus.UNABLE.value)


class SqlFindRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def answered_since(self, since: datetime) -> set[int]:
        rows = await self.s.scalars(
            select(RollCallAnswerRow.unit_id).distinct()
            .join(RollCallRow, RollCallRow.id == RollCallAnswerRow.rollcall_id)
            .where(RollCallRow.opened_at >= since, RollCallAnswerRow.answered_at.is_not(None)))
        return set(rows)

    async def on_order(self) -> set[int]:
        rows = await self.s.scalars(
            select(OrderRow.unit_id).distinct()
            .join(PlanRow, PlanRow.id == OrderRow.plan_id)
            .join(IncidentRow, IncidentRow.id == PlanRow.incident_id)
            .where(IncidentRow.closed_at.is_(None), OrderRow.status.not_in(_DONE)))
        return set(rows)
