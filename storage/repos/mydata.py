"""The freshness reminders already sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.tables_mydata import DataReminderRow


class SqlDataReminderRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def remember(self, key: str, at: datetime) -> bool:
        """Insert-if-absent, so of two processes' sweeps only one reminds."""
        dialect = postgresql if self.s.get_bind().dialect.name == "postgresql" else sqlite
        done = await self.s.execute(
            dialect.insert(DataReminderRow).values(key=key, sent_at=at).on_conflict_do_nothing())
        return bool(getattr(done, "rowcount", 0))
