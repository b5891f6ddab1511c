"""Traffic-support requests and their answers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.registry import Item
from core.traffic.model import ForceVehicles, TrafficRequest, TrafficState
from storage.tables_traffic import TrafficRequestRow

_ANSWER = ("state", "by", "by_name", "at", "need", "revision")


def _forces_json(forces: tuple[ForceVehicles, ...]) -> list[Any]:
    return [[f.force, [[i.name, i.count, i.unit] for i in f.vehicles]] for f in forces]


def _forces(raw: Any) -> tuple[ForceVehicles, ...]:
    return tuple(ForceVehicles(str(name), tuple(Item(str(n), int(c), str(u))
                                                for n, c, u in items))
                 for name, items in raw or [])


def _request(row: TrafficRequestRow) -> TrafficRequest:
    return TrafficRequest(row.plan_id, row.incident_id, row.department_id, row.sent_at,
                          TrafficState(row.state), row.by, row.by_name, row.at, row.need,
                          row.revision, _forces(row.forces), row.id)


class SqlTrafficRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, request: TrafficRequest) -> TrafficRequest:
        row = TrafficRequestRow(
            plan_id=request.plan_id, incident_id=request.incident_id,
            department_id=request.department_id, sent_at=request.sent_at,
            state=request.state.value, by=request.by, by_name=request.by_name, at=request.at,
            need=request.need, revision=request.revision,
            forces=_forces_json(request.forces))
        self.s.add(row)
        await self.s.flush()
        request.id = row.id
        return request

    async def get(self, request_id: int) -> TrafficRequest | None:
        row = await self.s.get(TrafficRequestRow, request_id, populate_existing=True)
        return _request(row) if row is not None else None

    async def for_incident(self, incident_id: int) -> list[TrafficRequest]:
        rows = await self.s.scalars(
            select(TrafficRequestRow).where(TrafficRequestRow.incident_id == incident_id)
            .order_by(TrafficRequestRow.id).execution_options(populate_existing=True))
        return [_request(r) for r in rows]

    async def answer(self, request: TrafficRequest, expected_revision: int) -> bool:
        values = {f: getattr(request, f) for f in _ANSWER}
        values["state"] = request.state.value
        done = await self.s.execute(
            update(TrafficRequestRow)
            .where(TrafficRequestRow.id == request.id,
                   TrafficRequestRow.revision == expected_revision)
            .values(**values).execution_options(synchronize_session=False))
        return bool(getattr(done, "rowcount", 0))
