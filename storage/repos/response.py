"""Response proposals, decided once each (a conditional update), and the level in force."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.response.model import Level, Proposal, Response, Side, Status
from storage.tables_dispatch import IncidentRow
from storage.tables_response import (
    ResponseLevelRow,
    ResponseOrderReminderRow,
    ResponseProposalRow,
)

_OPEN = Status.PROPOSED.value
_FIELDS = ("incident_id", "proposed_by", "proposed_by_name", "proposed_at", "due_at",
           "decided_by", "decided_by_name", "decided_at", "reason", "escalated_at",
           "superseded_by")


def _proposal(row: ResponseProposalRow) -> Proposal:
    return Proposal(level=Level(row.level), from_level=Level(row.from_level), side=Side(row.side),
                    status=Status(row.status), id=row.id,
                    **{f: getattr(row, f) for f in _FIELDS})


def _response(row: ResponseLevelRow) -> Response:
    return Response(row.incident_id, Level(row.level), row.since, row.proposal_id,
                    row.daily_rollcall, row.order_remind_minutes, row.rollcall_id)


class SqlResponseRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, proposal: Proposal) -> Proposal:
        row = ResponseProposalRow(level=proposal.level.value,
                                  from_level=proposal.from_level.value,
                                  side=proposal.side.value, status=proposal.status.value,
                                  **{f: getattr(proposal, f) for f in _FIELDS})
        self.s.add(row)
        await self.s.flush()
        proposal.id = row.id
        return proposal

    async def get(self, proposal_id: int) -> Proposal | None:
        row = await self.s.get(ResponseProposalRow, proposal_id, populate_existing=True)
        return _proposal(row) if row is not None else None

    async def open_for(self, incident_id: int) -> list[Proposal]:
        rows = await self.s.scalars(
            select(ResponseProposalRow)
            .where(ResponseProposalRow.incident_id == incident_id,
                   ResponseProposalRow.status == _OPEN)
            .order_by(ResponseProposalRow.id))
        return [_proposal(r) for r in rows]

    async def decide(self, proposal: Proposal, status: Status) -> bool:
        done = await self._update(
            proposal.id or 0, status=status.value, decided_by=proposal.decided_by,
            decided_by_name=proposal.decided_by_name, decided_at=proposal.decided_at,
            reason=proposal.reason, superseded_by=proposal.superseded_by)
        return done

    async def due(self, now: datetime) -> list[Proposal]:
        rows = await self.s.scalars(
            select(ResponseProposalRow)
            .where(ResponseProposalRow.status == _OPEN, ResponseProposalRow.due_at <= now,
                   ResponseProposalRow.escalated_at.is_(None))
            .order_by(ResponseProposalRow.id))
        return [_proposal(r) for r in rows]

    async def claim_escalation(self, proposal_id: int, at: datetime) -> bool:
        return await self._update(proposal_id, ResponseProposalRow.escalated_at.is_(None),
                                  escalated_at=at)

    async def _update(self, proposal_id: int, *more: Any, **values: Any) -> bool:
        done = await self.s.execute(
            update(ResponseProposalRow)
            .where(ResponseProposalRow.id == proposal_id, ResponseProposalRow.status == _OPEN,
                   *more)
            .values(**values)
            .execution_options(synchronize_session=False))
        return bool(getattr(done, "rowcount", 0))

    async def current(self, incident_id: int) -> Response | None:
        row = await self.s.get(ResponseLevelRow, incident_id, populate_existing=True)
        return _response(row) if row is not None else None

    async def put_current(self, response: Response) -> None:
        row = await self.s.get(ResponseLevelRow, response.incident_id)
        if row is None:
            row = ResponseLevelRow(incident_id=response.incident_id)
            self.s.add(row)
        row.level, row.since = response.level.value, response.since
        row.proposal_id, row.daily_rollcall = response.proposal_id, response.daily_rollcall
        row.order_remind_minutes = response.order_remind_minutes
        row.rollcall_id = response.rollcall_id
        await self.s.flush()

    async def reminding(self) -> list[Response]:
        rows = await self.s.scalars(
            select(ResponseLevelRow)
            .join(IncidentRow, IncidentRow.id == ResponseLevelRow.incident_id)
            .where(ResponseLevelRow.level > 0, ResponseLevelRow.order_remind_minutes > 0,
                   IncidentRow.closed_at.is_(None))
            .order_by(ResponseLevelRow.incident_id))
        return [_response(r) for r in rows]

    async def reminded(self, order_ids: list[int]) -> dict[int, datetime]:
        if not order_ids:
            return {}
        rows = await self.s.execute(
            select(ResponseOrderReminderRow.order_id, ResponseOrderReminderRow.reminded_at)
            .where(ResponseOrderReminderRow.order_id.in_(order_ids)))
        return {order_id: at for order_id, at in rows}

    async def claim_reminder(self, order_id: int, last: datetime | None, at: datetime) -> bool:
        if last is None:
            self.s.add(ResponseOrderReminderRow(order_id=order_id, reminded_at=at, count=1))
            await self.s.flush()
            return True
        done = await self.s.execute(
            update(ResponseOrderReminderRow)
            .where(ResponseOrderReminderRow.order_id == order_id,
                   ResponseOrderReminderRow.reminded_at == last)
            .values(reminded_at=at, count=ResponseOrderReminderRow.count + 1)
            .execution_options(synchronize_session=False))
        return bool(getattr(done, "rowcount", 0))

    async def daily_rollcall_at(self) -> bool:
        found = await self.s.scalar(select(exists().where(
            ResponseLevelRow.daily_rollcall.is_(True), ResponseLevelRow.level > 0,
            IncidentRow.id == ResponseLevelRow.incident_id, IncidentRow.closed_at.is_(None))))
        return bool(found)
