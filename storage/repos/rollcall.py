"""Roll-calls, their per-force answers, and declared sensitive periods."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.rollcall.model import Answer, RollCall, RollCallKind, SensitivePeriod
from storage.tables_alerts import RollCallAnswerRow, RollCallRow, SensitivePeriodRow

_ANSWER_FIELDS = ("answered_by", "answered_by_name", "answered_at", "on_time")


def _rollcall(row: RollCallRow) -> RollCall:
    return RollCall(RollCallKind(row.kind), row.scope, row.opened_at, row.deadline_at,
                    row.slot_at, row.opened_by, row.closed_at, row.id, row.seed,
                    row.incident_id)


def _answer(row: RollCallAnswerRow) -> Answer:
    return Answer(row.rollcall_id, row.unit_id, **{f: getattr(row, f) for f in _ANSWER_FIELDS})


class SqlRollCallRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, rollcall: RollCall, answers: list[Answer]) -> RollCall:
        row = RollCallRow(kind=rollcall.kind.value, slot_at=rollcall.slot_at,
                          scope=rollcall.scope, opened_by=rollcall.opened_by,
                          opened_at=rollcall.opened_at, deadline_at=rollcall.deadline_at,
                          closed_at=rollcall.closed_at, seed=rollcall.seed,
                          incident_id=rollcall.incident_id)
        self.s.add(row)
        await self.s.flush()
        rollcall.id = row.id
        for a in answers:
            a.rollcall_id = row.id
        self.s.add_all(RollCallAnswerRow(rollcall_id=row.id, unit_id=a.unit_id,
                                         **{f: getattr(a, f) for f in _ANSWER_FIELDS})
                       for a in answers)
        await self.s.flush()
        return rollcall

    async def get(self, rollcall_id: int) -> RollCall | None:
        row = await self.s.get(RollCallRow, rollcall_id)
        return _rollcall(row) if row else None

    async def by_slot(self, slot_at: datetime) -> RollCall | None:
        row = await self.s.scalar(select(RollCallRow).where(RollCallRow.slot_at == slot_at))
        return _rollcall(row) if row else None

    async def update(self, rollcall: RollCall) -> None:
        row = await self.s.get(RollCallRow, rollcall.id)
        if row is None:
            raise LookupError(f"roll-call {rollcall.id} vanished")
        row.closed_at, row.deadline_at = rollcall.closed_at, rollcall.deadline_at
        await self.s.flush()

    async def answers(self, rollcall_id: int) -> list[Answer]:
        rows = await self.s.scalars(select(RollCallAnswerRow)
                                    .where(RollCallAnswerRow.rollcall_id == rollcall_id)
                                    .order_by(RollCallAnswerRow.unit_id))
        return [_answer(r) for r in rows]

    async def answer_of(self, rollcall_id: int, unit_id: int) -> Answer | None:
        # Read afresh: after a lost race this says who answered first, not what was cached.
        row = await self.s.get(RollCallAnswerRow, (rollcall_id, unit_id), populate_existing=True)
        return _answer(row) if row is not None else None

    async def with_answer(self, rollcall_id: int,
                          unit_id: int) -> tuple[RollCall | None, Answer | None]:
        found = (await self.s.execute(
            select(RollCallRow, RollCallAnswerRow)
            .outerjoin(RollCallAnswerRow, and_(RollCallAnswerRow.rollcall_id == RollCallRow.id,
                                               RollCallAnswerRow.unit_id == unit_id))
            .where(RollCallRow.id == rollcall_id))).first()
        if found is None:
            return None, None
        rc, answer = found
        return _rollcall(rc), _answer(answer) if answer is not None else None

    async def record_answer(self, answer: Answer) -> bool:
        """Write a force's answer unless one is there already; True if this one was written."""
        result = await self.s.execute(
            update(RollCallAnswerRow)
            .where(RollCallAnswerRow.rollcall_id == answer.rollcall_id,
                   RollCallAnswerRow.unit_id == answer.unit_id,
                   RollCallAnswerRow.answered_at.is_(None))
            .values({f: getattr(answer, f) for f in _ANSWER_FIELDS})
            .execution_options(synchronize_session=False))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def due_to_close(self, now: datetime) -> list[RollCall]:
        rows = await self.s.scalars(
            select(RollCallRow)
            .where(RollCallRow.closed_at.is_(None), RollCallRow.deadline_at <= now)
            .order_by(RollCallRow.id)
            .with_for_update(skip_locked=True)
        )
        return [_rollcall(r) for r in rows]

    async def answers_since(self, since: datetime) -> list[tuple[RollCall, Answer]]:
        rows = await self.s.execute(
            select(RollCallRow, RollCallAnswerRow)
            .join(RollCallAnswerRow, RollCallAnswerRow.rollcall_id == RollCallRow.id)
            .where(RollCallRow.opened_at >= since)
            .order_by(RollCallRow.id)
        )
        return [(_rollcall(r), _answer(a)) for r, a in rows]

    async def add_period(self, period: SensitivePeriod) -> None:
        row = SensitivePeriodRow(starts_at=period.starts_at, ends_at=period.ends_at,
                                 declared_by=period.declared_by)
        self.s.add(row)
        await self.s.flush()
        period.id = row.id

    async def period_at(self, moment: datetime) -> SensitivePeriod | None:
        row = await self.s.scalar(
            select(SensitivePeriodRow)
            .where(SensitivePeriodRow.starts_at <= moment, SensitivePeriodRow.ends_at > moment)
            .order_by(SensitivePeriodRow.ends_at.desc())
        )
        if row is None:
            return None
        return SensitivePeriod(row.starts_at, row.ends_at, row.declared_by, row.id)

    async def end_periods(self, at: datetime) -> int:
        result = await self.s.execute(
            update(SensitivePeriodRow).where(SensitivePeriodRow.ends_at > at)
            .values(ends_at=at)
        )
        await self.s.flush()
        return int(getattr(result, "rowcount", 0) or 0)
