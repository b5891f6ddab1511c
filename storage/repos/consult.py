"""Expert consultations, the messages advice answers, and the experts' tallies. Answers and
reminders are written with a conditional UPDATE, so of two simultaneous taps only one wins;
counts are raised in the database, so two pieces of advice at once both count."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from core.consult.model import Consultation, ConsultStatus
from storage.tables_consult import ConsultationRow, ConsultThreadRow, ExpertTallyRow
from storage.tables_dispatch import IncidentRow

_FIELDS = ("incident_id", "unit_id", "question", "asked_by", "asked_by_name", "asked_unit_id",
           "asked_at", "remind_due_at", "answered_by", "answered_by_name", "answered_at",
           "reason", "reminded_at", "advice")
_ANSWER = ("status", "answered_by", "answered_by_name", "answered_at", "reason")


def _model(row: ConsultationRow) -> Consultation:
    return Consultation(**{f: getattr(row, f) for f in _FIELDS},
                        status=ConsultStatus(row.status), id=row.id)


class SqlConsultationRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, item: Consultation) -> Consultation:
        row = ConsultationRow(**{f: getattr(item, f) for f in _FIELDS},
                              status=item.status.value)
        self.s.add(row)
        await self.s.flush()
        item.id = row.id
        return item

    async def get(self, item_id: int) -> Consultation | None:
        row = await self.s.get(ConsultationRow, item_id, populate_existing=True)
        return _model(row) if row is not None else None

    async def for_incident(self, incident_id: int) -> list[Consultation]:
        rows = await self.s.scalars(
            select(ConsultationRow).where(ConsultationRow.incident_id == incident_id)
            .order_by(ConsultationRow.id).execution_options(populate_existing=True))
        return [_model(r) for r in rows]

    async def save(self, item: Consultation, expected: str) -> bool:
        values: dict[str, Any] = {f: getattr(item, f) for f in _ANSWER}
        values["status"] = item.status.value
        done = await self.s.execute(
            update(ConsultationRow)
            .where(ConsultationRow.id == item.id, ConsultationRow.status == expected)
            .values(values).execution_options(synchronize_session=False))
        return bool(getattr(done, "rowcount", 0))

    async def reminders_due(self, now: datetime) -> list[Consultation]:
        rows = await self.s.scalars(
            select(ConsultationRow)
            .join(IncidentRow, IncidentRow.id == ConsultationRow.incident_id)
            .where(ConsultationRow.status == ConsultStatus.ASKED.value,
                   ConsultationRow.remind_due_at <= now,
                   ConsultationRow.reminded_at.is_(None), IncidentRow.closed_at.is_(None))
            .order_by(ConsultationRow.id))
        return [_model(r) for r in rows]

    async def claim_reminder(self, item_id: int, now: datetime) -> bool:
        done = await self.s.execute(
            update(ConsultationRow)
            .where(ConsultationRow.id == item_id, ConsultationRow.reminded_at.is_(None),
                   ConsultationRow.status == ConsultStatus.ASKED.value)
            .values(reminded_at=now).execution_options(synchronize_session=False))
        return bool(getattr(done, "rowcount", 0))

    async def count_advice(self, item_id: int) -> int:
        await self.s.execute(
            update(ConsultationRow).where(ConsultationRow.id == item_id)
            .values(advice=ConsultationRow.advice + 1)
            .execution_options(synchronize_session=False))
        return int(await self.s.scalar(
            select(ConsultationRow.advice).where(ConsultationRow.id == item_id)) or 0)

    async def tally(self, incident_id: int, unit_id: int) -> int:
        dialect = postgresql if self.s.get_bind().dialect.name == "postgresql" else sqlite
        await self.s.execute(
            dialect.insert(ExpertTallyRow)
            .values(incident_id=incident_id, unit_id=unit_id, advice=0)
            .on_conflict_do_nothing())
        where = (ExpertTallyRow.incident_id == incident_id, ExpertTallyRow.unit_id == unit_id)
        await self.s.execute(
            update(ExpertTallyRow).where(*where).values(advice=ExpertTallyRow.advice + 1)
            .execution_options(synchronize_session=False))
        return int(await self.s.scalar(select(ExpertTallyRow.advice).where(*where)) or 0)

    async def tallies(self, incident_id: int) -> dict[int, int]:
        rows = await self.s.execute(
            select(ExpertTallyRow.unit_id, ExpertTallyRow.advice)
            .where(ExpertTallyRow.incident_id == incident_id))
        return {int(u): int(n) for u, n in rows.all()}

    async def thread(self, item_id: int, chat_id: int) -> int:
        row = ConsultThreadRow(consultation_id=item_id, chat_id=chat_id)
        self.s.add(row)
        await self.s.flush()
        return row.id

    async def thread_sent(self, thread_id: int, message_id: int) -> None:
        await self.s.execute(update(ConsultThreadRow).where(ConsultThreadRow.id == thread_id)
                             .values(message_id=message_id))

    async def threaded(self, chat_id: int, message_id: int, replies_to_bot: bool
                       ) -> int | None:
        found = await self.s.scalar(
            select(ConsultThreadRow.consultation_id)
            .where(ConsultThreadRow.chat_id == chat_id,
                   ConsultThreadRow.message_id == message_id))
        if found is None and replies_to_bot:
            lost = await self.s.scalar(
                select(ConsultThreadRow).where(ConsultThreadRow.chat_id == chat_id,
                                               ConsultThreadRow.message_id.is_(None))
                .order_by(ConsultThreadRow.id.desc()).limit(1))
            if lost is not None:  # now it is known which message it was
                lost.message_id = message_id
                found = lost.consultation_id
        return int(found) if found is not None else None
