"""The outbox: notices written with the state change that caused them, read by the worker."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.notices import Action, Button, Mention, Notice, Priority
from core.ports import Delivery, Queued
from core.redact import scrub
from storage.repos.chats import _jsonable
from storage.tables import ChatRow, MessageKeyRow, NoticeRow, PinRefusalRow, UnitRow

PENDING, SENT, SUPERSEDED, FAILED = "pending", "sent", "superseded", "failed"


def _notice(row: NoticeRow) -> Notice:
    buttons = tuple(
        tuple(Button(b["label"], Action(b["action"]), int(b["ref"])) for b in line)
        for line in row.buttons or []
    )
    return Notice(
        template=row.template,
        params=dict(row.params or {}),
        unit_id=row.unit_id,
        person_tg_id=row.person_tg_id,
        buttons=buttons,
        priority=Priority(row.priority),
        edit_key=row.edit_key,
        mentions=tuple(Mention(int(m["id"]), str(m["name"])) for m in row.mentions or []),
        subject=row.subject,
        pin=bool(row.pin),
        photo=row.photo or "",
        document=row.document,
        id=row.id,
        created_at=row.created_at,
    )


class SqlOutboxRepo:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.s = session
        self.clock = clock
        self.added = 0

    async def add(self, notice: Notice) -> None:
        created = notice.created_at or self.clock.now()
        self.added += 1
        self.s.add(NoticeRow(
            unit_id=notice.unit_id,
            person_tg_id=notice.person_tg_id,
            template=notice.template,
            params=_jsonable(notice.params),
            buttons=[[{"label": b.label, "action": b.action.value, "ref": b.ref} for b in line]
                     for line in notice.buttons],
            mentions=[{"id": m.tg_id, "name": m.name} for m in notice.mentions],
            priority=int(notice.priority),
            edit_key=notice.edit_key,
            subject=notice.subject,
            pin=notice.pin,
            photo=notice.photo or None,
            document=notice.document,
            status=PENDING,
            created_at=created,
            next_attempt_at=created,
        ))
        # No flush: the notices of one transaction go in together, in one INSERT, at commit
        # (a plan of 1,000 forces adds 1,000 orders and holds the write lock meanwhile).

    async def due(self, now: datetime, limit: int) -> Sequence[Delivery]:
        return await self._deliveries(
            select(NoticeRow, UnitRow.chat_id)
            .outerjoin(UnitRow, UnitRow.id == NoticeRow.unit_id)
            .where(NoticeRow.status == PENDING, NoticeRow.next_attempt_at <= now)
            .order_by(NoticeRow.priority, NoticeRow.id)
            .limit(limit)
        )

    async def queued(self, now: datetime, limit: int,
                     chats: Collection[int] | None = None) -> Sequence[Queued]:
        """Every due notice, light: ids, chats and keys only, no parameters decoded. With
        ``chats``, only those chats' (0: the notices of units without a chat)."""
        query = self._light().where(NoticeRow.status == PENDING,
                                    NoticeRow.next_attempt_at <= now)
        if chats is not None:
            if not chats:
                return []
            query = query.where(func.coalesce(NoticeRow.person_tg_id, UnitRow.chat_id, 0)
                                .in_(sorted(chats)))
        rows = (await self.s.execute(
            query.order_by(NoticeRow.priority, NoticeRow.id).limit(limit))).all()
        return [Queued(i, p, c, k, m is not None) for i, p, c, k, m in rows]

    async def fresh(self, after_id: int, now: datetime, limit: int) -> Sequence[Queued]:
        """Due notices committed since the worker last looked, light (by id, oldest first)."""
        rows = (await self.s.execute(
            self._light().where(NoticeRow.id > after_id, NoticeRow.status == PENDING,
                                NoticeRow.next_attempt_at <= now)
            .order_by(NoticeRow.id).limit(limit))).all()
        return [Queued(i, p, c, k, m is not None) for i, p, c, k, m in rows]

    async def last_id(self) -> int:
        return int(await self.s.scalar(select(func.max(NoticeRow.id))) or 0)

    @staticmethod
    def _light() -> Any:
        chat = func.coalesce(NoticeRow.person_tg_id, UnitRow.chat_id)
        return (
            select(NoticeRow.id, NoticeRow.priority, chat, NoticeRow.edit_key,
                   MessageKeyRow.message_id)
            .outerjoin(UnitRow, UnitRow.id == NoticeRow.unit_id)
            .outerjoin(MessageKeyRow, and_(MessageKeyRow.chat_id == chat,
                                           MessageKeyRow.edit_key == NoticeRow.edit_key))
        )

    async def newer(self, after_id: int, now: datetime, limit: int) -> Sequence[Delivery]:
        """Due notices committed since the worker last looked (by id, oldest first)."""
        return await self._deliveries(
            select(NoticeRow, UnitRow.chat_id)
            .outerjoin(UnitRow, UnitRow.id == NoticeRow.unit_id)
            .where(NoticeRow.id > after_id, NoticeRow.status == PENDING,
                   NoticeRow.next_attempt_at <= now)
            .order_by(NoticeRow.id)
            .limit(limit)
        )

    async def pending(self, notice_ids: Sequence[int]) -> Sequence[Delivery]:
        return await self._deliveries(
            select(NoticeRow, UnitRow.chat_id)
            .outerjoin(UnitRow, UnitRow.id == NoticeRow.unit_id)
            .where(NoticeRow.id.in_(notice_ids), NoticeRow.status == PENDING)
        )

    async def _deliveries(self, query: Any) -> list[Delivery]:
        rows = (await self.s.execute(query)).all()
        chats = {row.person_tg_id if row.person_tg_id is not None else chat for row, chat in rows}
        chats.discard(None)
        locales = dict((await self.s.execute(
            select(ChatRow.chat_id, ChatRow.locale).where(ChatRow.chat_id.in_(chats))
        )).all()) if chats else {}
        out = []
        for row, unit_chat in rows:
            chat = row.person_tg_id if row.person_tg_id is not None else unit_chat
            out.append(Delivery(
                notice=_notice(row),
                chat_id=chat,
                locale=locales.get(chat) if chat is not None else None,
                attempts=row.attempts,
            ))
        return out

    async def message_for(self, chat_id: int, edit_key: str) -> list[int]:
        """The messages that carry the text under this key, in the order of its parts."""
        row = await self.s.get(MessageKeyRow, (chat_id, edit_key))
        if row is None:
            return []
        return list(row.message_ids or [row.message_id])

    async def next_due_at(self) -> datetime | None:
        value: datetime | None = await self.s.scalar(
            select(func.min(NoticeRow.next_attempt_at)).where(NoticeRow.status == PENDING)
        )
        return value

    async def mark_sent(
        self, notice_id: int, chat_id: int, message_ids: Sequence[int], at: datetime
    ) -> None:
        row = await self.s.get(NoticeRow, notice_id)
        if row is None:
            return
        row.status, row.chat_id, row.done_at = SENT, chat_id, at
        row.message_ids = list(message_ids)
        row.attempts += 1
        if row.edit_key and message_ids:
            # message_ids come with the buttons' message first; the key keeps the parts in order.
            parts = list(reversed(message_ids))
            key = await self.s.get(MessageKeyRow, (chat_id, row.edit_key))
            if key is None:
                self.s.add(MessageKeyRow(chat_id=chat_id, edit_key=row.edit_key,
                                         message_id=message_ids[0], message_ids=parts))
            else:
                key.message_id, key.message_ids = message_ids[0], parts
        await self.s.flush()

    async def mark_superseded(self, notice_ids: Sequence[int], by: int) -> None:
        await self.s.execute(
            update(NoticeRow).where(NoticeRow.id.in_(notice_ids), NoticeRow.status == PENDING)
            .values(status=SUPERSEDED, last_error=f"superseded by {by}")
        )

    async def retry_later(self, notice_id: int, at: datetime, error: str) -> None:
        await self.s.execute(
            update(NoticeRow).where(NoticeRow.id == notice_id)
            .values(next_attempt_at=at, last_error=scrub(error)[:500],
                    attempts=NoticeRow.attempts + 1)
        )

    async def mark_failed(self, notice_id: int, error: str, at: datetime) -> None:
        await self.s.execute(
            update(NoticeRow).where(NoticeRow.id == notice_id)
            .values(status=FAILED, last_error=scrub(error)[:500], done_at=at,
                    attempts=NoticeRow.attempts + 1)
        )

    async def overdue(self, created_before: datetime) -> Sequence[Notice]:
        rows = await self.s.scalars(
            select(NoticeRow).where(NoticeRow.status == PENDING, NoticeRow.flagged.is_(False),
                                    NoticeRow.created_at < created_before)
            .order_by(NoticeRow.id)
        )
        return [_notice(r) for r in rows]

    async def mark_flagged(self, notice_ids: Sequence[int]) -> None:
        await self.s.execute(
            update(NoticeRow).where(NoticeRow.id.in_(notice_ids)).values(flagged=True)
        )

    async def status(self, notice_id: int) -> dict[str, Any]:
        row = await self.s.get(NoticeRow, notice_id)
        if row is None:
            return {}
        return {"status": row.status, "attempts": row.attempts, "chat_id": row.chat_id,
                "message_ids": row.message_ids, "last_error": row.last_error}

    async def pin_refused(self, chat_id: int, at: datetime) -> bool:
        """Remember that the bot may not pin in this chat; True the first time (tell them)."""
        if await self.s.get(PinRefusalRow, chat_id) is not None:
            return False
        self.s.add(PinRefusalRow(chat_id=chat_id, told_at=at))
        await self.s.flush()
        return True

    async def pin_allowed(self, chat_id: int) -> None:
        """The bot pinned here: should it lose the right again, the chat is told again."""
        await self.s.execute(delete(PinRefusalRow).where(PinRefusalRow.chat_id == chat_id))
