"""The compensation record: social forces' deployments in a period, in one query, and the
number of people each order sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.compensation.model import Deployment
from core.registry import ForceCategory
from storage.tables import UnitRow
from storage.tables_compensation import CompensationPeopleRow
from storage.tables_dispatch import IncidentRow, OrderRow, PlanRow


class SqlCompensationRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def deployments(self, start: datetime, end: datetime) -> list[Deployment]:
        # A force that tapped 已到达 without 已出发 went out all the same: from its arrival.
        started = func.coalesce(OrderRow.en_route_at, OrderRow.on_scene_at)
        rows = await self.s.execute(
            select(OrderRow.id, OrderRow.unit_id, UnitRow.name, UnitRow.code,
                   IncidentRow.id, IncidentRow.title, OrderRow.en_route_at,
                   OrderRow.on_scene_at, OrderRow.stood_down_at, IncidentRow.closed_at,
                   CompensationPeopleRow.people)
            .join(PlanRow, PlanRow.id == OrderRow.plan_id)
            .join(IncidentRow, IncidentRow.id == PlanRow.incident_id)
            .join(UnitRow, UnitRow.id == OrderRow.unit_id)
            .outerjoin(CompensationPeopleRow, CompensationPeopleRow.order_id == OrderRow.id)
            .where(UnitRow.category == ForceCategory.SOCIAL.value,
                   IncidentRow.is_drill.is_(False), started.is_not(None),
                   started >= start, started < end)
            .order_by(OrderRow.id))
        found = []
        for r in rows:
            start_at = r[6] or r[7]
            assert start_at is not None  # the query asked for a start
            found.append(Deployment(order_id=r[0], unit_id=r[1], force=r[2], force_code=r[3],
                                    incident_id=r[4], incident_title=r[5], started_at=start_at,
                                    stood_down_at=r[8], closed_at=r[9], people=r[10]))
        return found

    async def record_people(self, order_id: int, people: int, tg_id: int, name: str,
                            at: datetime) -> bool:
        if await self.s.get(CompensationPeopleRow, order_id) is not None:
            return False
        try:
            async with self.s.begin_nested():
                self.s.add(CompensationPeopleRow(order_id=order_id, people=people, by=tg_id,
                                                 by_name=name[:100], at=at))
        except IntegrityError:  # the same answer, written by a concurrent reply
            return False
        return True
