"""Situation updates and their numbering."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.sitrep.model import Sitrep
from storage.tables_sitrep import SitrepCounterRow, SitrepRow

_FIELDS = ("incident_id", "number", "unit_id", "text", "posted_by", "posted_by_name",
           "posted_at")


class SqlSitrepRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def next_number(self, incident_id: int) -> int:
        # INSERT … ON CONFLICT DO UPDATE … RETURNING: one statement, so PostgreSQL's row lock
        # (and SQLite's write lock) puts two posters one after the other, each with its number.
        bind: Any = self.s.bind
        insert = pg_insert if bind.dialect.name == "postgresql" else sqlite_insert
        first = insert(SitrepCounterRow).values(incident_id=incident_id, last=1)
        statement = first.on_conflict_do_update(
            index_elements=[SitrepCounterRow.incident_id],
            set_={"last": SitrepCounterRow.last + 1},
        ).returning(SitrepCounterRow.last)
        return int((await self.s.execute(statement)).scalar_one())

    async def add(self, sitrep: Sitrep) -> Sitrep:
        row = SitrepRow(**{f: getattr(sitrep, f) for f in _FIELDS})
        self.s.add(row)
        await self.s.flush()
        sitrep.id = row.id
        return sitrep

    async def for_incident(self, incident_id: int) -> list[Sitrep]:
        rows = await self.s.scalars(select(SitrepRow).where(SitrepRow.incident_id == incident_id)
                                    .order_by(SitrepRow.number))
        return [Sitrep(**{f: getattr(r, f) for f in _FIELDS}, id=r.id) for r in rows]
