"""The lines other features keep on an incident's boards."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.tables_dispatch import IncidentMarkRow


class SqlIncidentMarkRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def put(self, incident_id: int, key: str, value: Any) -> None:
        row = await self.s.get(IncidentMarkRow, (incident_id, key))
        if row is None:
            self.s.add(IncidentMarkRow(incident_id=incident_id, key=key, value=value))
        else:
            row.value = value
        await self.s.flush()

    async def of(self, incident_id: int) -> dict[str, Any]:
        rows = await self.s.scalars(
            select(IncidentMarkRow).where(IncidentMarkRow.incident_id == incident_id)
            .execution_options(populate_existing=True))
        return {row.key: row.value for row in rows}
