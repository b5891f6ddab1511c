"""Files the bot made, kept until the notices carrying them are sent (and after, for the
record: a report sent is a report the county may ask for again)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from core.files import StoredFile
from storage.tables import FileRow


class SqlFileRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, name: str, mime: str, content: bytes, at: datetime) -> int:
        row = FileRow(name=name, mime=mime, content=content, made_at=at)
        self.s.add(row)
        await self.s.flush()
        return row.id

    async def get(self, file_id: int) -> StoredFile | None:
        row = await self.s.get(FileRow, file_id)
        if row is None:
            return None
        return StoredFile(row.name, row.mime, bytes(row.content), row.made_at, row.id)

    async def delete(self, file_id: int) -> bool:
        result = await self.s.execute(delete(FileRow).where(FileRow.id == file_id))
        return bool(getattr(result, "rowcount", 0))
