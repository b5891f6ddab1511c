"""Invitations, chat preferences, the audit log and the inbox of received updates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditEntry
from core.invites import Invite
from storage.repos import identity
from storage.tables import AuditRow, ChatRow, InboxRow, InviteRow, MessageKeyRow


class SqlInviteRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, invite: Invite) -> None:
        self.s.add(InviteRow(**vars(invite)))
        await self.s.flush()

    async def get(self, code: str) -> Invite | None:
        row = await self.s.get(InviteRow, code)
        if row is None:
            return None
        return Invite(row.code, row.unit_id, row.created_by, row.created_at, row.expires_at,
                      row.used_at, row.used_in_chat)

    async def update(self, invite: Invite) -> None:
        row = await self.s.get(InviteRow, invite.code)
        if row is None:
            raise LookupError(invite.code)
        row.used_at, row.used_in_chat = invite.used_at, invite.used_in_chat
        await self.s.flush()


class SqlChatRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def locale(self, chat_id: int) -> str | None:
        row = await self.s.get(ChatRow, chat_id)
        return row.locale if row else None

    async def locales(self) -> dict[int, str]:
        rows = await self.s.execute(select(ChatRow.chat_id, ChatRow.locale))
        return {chat_id: locale for chat_id, locale in rows}

    async def identity_version(self) -> int | None:
        return await identity.version(self.s)

    async def set_locale(self, chat_id: int, locale: str) -> None:
        row = await self.s.get(ChatRow, chat_id)
        if row is None:
            self.s.add(ChatRow(chat_id=chat_id, locale=locale))
        else:
            row.locale = locale
        await self.s.flush()
        await identity.bump(self.s)

    async def move(self, old_chat_id: int, new_chat_id: int) -> None:
        old = await self.s.get(ChatRow, old_chat_id)
        if old is not None and await self.s.get(ChatRow, new_chat_id) is None:
            self.s.add(ChatRow(chat_id=new_chat_id, locale=old.locale))
        # Messages in the old group are gone from the new one: live boards start afresh.
        await self.s.execute(delete(MessageKeyRow).where(MessageKeyRow.chat_id == old_chat_id))
        await self.s.flush()
        await identity.bump(self.s)


class SqlAuditRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def append(self, entry: AuditEntry) -> None:
        self.s.add(AuditRow(at=entry.at, actor_tg_id=entry.actor_tg_id, chat_id=entry.chat_id,
                            action=entry.action, subject=entry.subject,
                            details=_jsonable(entry.details)))
        await self.s.flush()

    async def for_subject(self, prefix: str) -> list[AuditEntry]:
        rows = await self.s.scalars(
            select(AuditRow).where(AuditRow.subject.startswith(prefix)).order_by(AuditRow.id)
        )
        return [AuditEntry(r.action, r.subject, r.at, r.actor_tg_id, r.chat_id, r.details, r.id)
                for r in rows]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


class SqlInboxRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add_new(self, batch: list[tuple[int, dict[str, Any]]], at: datetime) -> list[int]:
        """Store the updates not stored yet (one query to find them); return their ids."""
        ids = [i for i, _ in batch]
        known = set(await self.s.scalars(
            select(InboxRow.update_id).where(InboxRow.update_id.in_(ids)))) if ids else set()
        fresh = [(i, p) for i, p in batch if i not in known]
        self.s.add_all([InboxRow(update_id=i, payload=p, received_at=at) for i, p in fresh])
        await self.s.flush()
        return [i for i, _ in fresh]

    async def pending(self, limit: int, after: int = -1) -> list[tuple[int, dict[str, Any]]]:
        rows = await self.s.scalars(
            select(InboxRow).where(InboxRow.handled_at.is_(None), InboxRow.update_id > after)
            .order_by(InboxRow.update_id).limit(limit)
        )
        return [(r.update_id, r.payload) for r in rows]

    async def last_id(self) -> int | None:
        value: int | None = await self.s.scalar(select(func.max(InboxRow.update_id)))
        return value

    async def mark_handled(self, update_id: int, at: datetime) -> bool:
        """True for the one caller that marks it first: only that one handles the update."""
        result = await self.s.execute(
            update(InboxRow).where(InboxRow.update_id == update_id,
                                   InboxRow.handled_at.is_(None)).values(handled_at=at)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def prune(self, handled_before: datetime) -> int:
        # The newest row stays: it is where polling resumes after a restart.
        newest = select(func.max(InboxRow.update_id)).scalar_subquery()
        result = await self.s.execute(
            delete(InboxRow).where(InboxRow.handled_at < handled_before,
                                   InboxRow.update_id < newest)
            .execution_options(synchronize_session=False))
        return int(result.rowcount)  # type: ignore[attr-defined]
