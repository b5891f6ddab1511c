"""Chat claims: which process delivers which chat's queue, for how long.

A process takes free rows with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL): two
processes asking at once get different chats and neither waits for the other. SQLite has one
writer at a time and renders no ``FOR UPDATE``; the same statements run there unchanged.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.tables import NoticeRow, UnitRow
from storage.tables_claims import ChatClaimRow

PENDING = "pending"
FREE = datetime(1970, 1, 1, tzinfo=UTC)  # a fresh row's lease: over, so anyone may take it


class SqlClaimRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    def _dialect(self) -> str:
        bind = self.s.get_bind()
        return bind.dialect.name

    async def candidates(self, now: datetime, limit: int,
                         among: Collection[int] | None = None) -> list[int]:
        """Chats with a due notice and no live claim, the most urgent first."""
        chat = func.coalesce(NoticeRow.person_tg_id, UnitRow.chat_id, 0)
        query = (
            select(chat)
            .select_from(NoticeRow)
            .outerjoin(UnitRow, UnitRow.id == NoticeRow.unit_id)
            .outerjoin(ChatClaimRow, ChatClaimRow.chat_id == chat)
            .where(NoticeRow.status == PENDING, NoticeRow.next_attempt_at <= now,
                   or_(ChatClaimRow.chat_id.is_(None), ChatClaimRow.lease_until < now))
            .group_by(chat)
            .order_by(func.min(NoticeRow.priority), func.min(NoticeRow.id))
            .limit(limit)
        )
        if among is not None:
            query = query.where(chat.in_(list(among)))
        return [int(c) for c in (await self.s.scalars(query)).all()]

    async def claim(self, chats: Sequence[int], owner: str, now: datetime,
                    until: datetime) -> set[int]:
        """Take those of ``chats`` that are free (or already ours); returns the ones taken."""
        if not chats:
            return set()
        ordered = sorted(set(chats))  # one order for every process: inserts never deadlock
        insert = (postgresql.insert if self._dialect() == "postgresql" else sqlite.insert)
        await self.s.execute(
            insert(ChatClaimRow)
            .values([{"chat_id": c, "owner": "", "lease_until": FREE} for c in ordered])
            .on_conflict_do_nothing(index_elements=["chat_id"])
        )
        free = (await self.s.scalars(
            select(ChatClaimRow.chat_id)
            .where(ChatClaimRow.chat_id.in_(ordered),
                   or_(ChatClaimRow.lease_until < now, ChatClaimRow.owner == owner))
            .order_by(ChatClaimRow.chat_id)
            .with_for_update(skip_locked=True)
        )).all()
        taken = set(free)
        if taken:
            await self.s.execute(
                update(ChatClaimRow).where(ChatClaimRow.chat_id.in_(sorted(taken)))
                .values(owner=owner, lease_until=until)
            )
        return taken

    async def renew(self, chats: Collection[int], owner: str, until: datetime) -> set[int]:
        """Extend our leases; returns the chats still ours (another may have taken one whose
        lease ran out)."""
        if not chats:
            return set()
        ordered = sorted(chats)
        await self.s.execute(
            update(ChatClaimRow)
            .where(ChatClaimRow.owner == owner, ChatClaimRow.chat_id.in_(ordered))
            .values(lease_until=until)
        )
        return set((await self.s.scalars(
            select(ChatClaimRow.chat_id)
            .where(ChatClaimRow.owner == owner, ChatClaimRow.chat_id.in_(ordered))
        )).all())

    async def release(self, chats: Collection[int], owner: str) -> None:
        if chats:
            await self.s.execute(
                delete(ChatClaimRow)
                .where(ChatClaimRow.owner == owner, ChatClaimRow.chat_id.in_(sorted(chats)))
            )

    async def held(self) -> dict[int, tuple[str, datetime]]:
        """Every claim: chat -> (owner, lease end). For tests and the console."""
        rows = (await self.s.execute(
            select(ChatClaimRow.chat_id, ChatClaimRow.owner, ChatClaimRow.lease_until)
        )).all()
        return {c: (o, u) for c, o, u in rows}
