"""Warnings and their per-force confirmations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.warnings.model import Level, Warning, WarningStatus, WarningTarget
from storage.tables_alerts import WarningRow, WarningTargetRow

_REMINDER_FIELDS = ("reminders", "next_reminder_at", "reported")
_CONFIRM_FIELDS = ("confirmed_by", "confirmed_by_name", "confirmed_at", "next_reminder_at")
_TARGET_FIELDS = (*_CONFIRM_FIELDS[:3], *_REMINDER_FIELDS)


def _open(row: type[WarningRow]) -> Any:
    return and_(row.status == WarningStatus.ACTIVE.value, row.closed_at.is_(None))


def _warning(row: WarningRow) -> Warning:
    return Warning(
        issuer_unit_id=row.issuer_unit_id, issued_by=row.issued_by,
        issued_by_name=row.issued_by_name, hazard=row.hazard, level=Level(row.level),
        area=row.area, text=row.text, targets=row.targets, issued_at=row.issued_at,
        valid_until=row.valid_until, status=WarningStatus(row.status),
        initial_level=Level(row.initial_level), closed_at=row.closed_at, id=row.id,
    )


def _target(row: WarningTargetRow) -> WarningTarget:
    return WarningTarget(row.warning_id, row.unit_id,
                         **{f: getattr(row, f) for f in _TARGET_FIELDS})


class SqlWarningRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, warning: Warning, targets: list[WarningTarget]) -> Warning:
        row = WarningRow(
            issuer_unit_id=warning.issuer_unit_id, issued_by=warning.issued_by,
            issued_by_name=warning.issued_by_name, hazard=warning.hazard,
            level=warning.level.value,
            initial_level=(warning.initial_level or warning.level).value, area=warning.area,
            text=warning.text, targets=warning.targets, issued_at=warning.issued_at,
            valid_until=warning.valid_until, status=warning.status.value,
            closed_at=warning.closed_at,
        )
        self.s.add(row)
        await self.s.flush()
        warning.id = row.id
        self.s.add_all(WarningTargetRow(warning_id=row.id, unit_id=t.unit_id,
                                        **{f: getattr(t, f) for f in _TARGET_FIELDS})
                       for t in targets)
        await self.s.flush()
        return warning

    async def get(self, warning_id: int) -> Warning | None:
        row = await self.s.get(WarningRow, warning_id)
        return _warning(row) if row else None

    async def update(self, warning: Warning, was: Level) -> bool:
        # Conditional, so that an upgrade read before a cancel cannot re-open the warning.
        result = await self.s.execute(
            update(WarningRow).where(WarningRow.id == warning.id, _open(WarningRow),
                                     WarningRow.level == was.value)
            .values(level=warning.level.value, status=warning.status.value,
                    closed_at=warning.closed_at, valid_until=warning.valid_until)
            .execution_options(synchronize_session=False))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def targets(self, warning_id: int) -> list[WarningTarget]:
        rows = await self.s.scalars(select(WarningTargetRow)
                                    .where(WarningTargetRow.warning_id == warning_id)
                                    .order_by(WarningTargetRow.unit_id))
        return [_target(r) for r in rows]

    async def target(self, warning_id: int, unit_id: int) -> WarningTarget | None:
        # Read afresh: after a lost race this says who confirmed first, not what was cached.
        row = await self.s.get(WarningTargetRow, (warning_id, unit_id), populate_existing=True)
        return _target(row) if row is not None else None

    async def update_target(self, target: WarningTarget) -> bool:
        return await self._unconfirmed(target, _REMINDER_FIELDS)

    async def confirm_target(self, target: WarningTarget) -> bool:
        # A press read before a cancel must not record a confirmation of a cancelled warning.
        still_open = exists().where(WarningRow.id == target.warning_id, _open(WarningRow))
        return await self._unconfirmed(target, _CONFIRM_FIELDS, still_open)

    async def _unconfirmed(self, target: WarningTarget, fields: tuple[str, ...],
                           *also: Any) -> bool:
        """Write ``fields`` only while the target is unconfirmed: a sweep's snapshot taken
        before a confirmation must not remind or re-open it, and a force confirms once."""
        result = await self.s.execute(
            update(WarningTargetRow)
            .where(WarningTargetRow.warning_id == target.warning_id,
                   WarningTargetRow.unit_id == target.unit_id,
                   WarningTargetRow.confirmed_at.is_(None), *also)
            .values({f: getattr(target, f) for f in fields})
            .execution_options(synchronize_session=False))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def due_reminders(self, now: datetime) -> list[WarningTarget]:
        rows = await self.s.scalars(
            select(WarningTargetRow)
            .where(WarningTargetRow.next_reminder_at <= now,
                   WarningTargetRow.confirmed_at.is_(None))
            .order_by(WarningTargetRow.warning_id, WarningTargetRow.unit_id)
            .with_for_update(skip_locked=True)
        )
        return [_target(r) for r in rows]

    async def expired_open(self, now: datetime) -> list[Warning]:
        rows = await self.s.scalars(
            select(WarningRow)
            .where(WarningRow.status == WarningStatus.ACTIVE.value,
                   WarningRow.closed_at.is_(None), WarningRow.valid_until <= now)
            .order_by(WarningRow.id)
        )
        return [_warning(r) for r in rows]

    async def targets_since(self, since: datetime) -> list[tuple[Warning, WarningTarget]]:
        rows = await self.s.execute(
            select(WarningRow, WarningTargetRow)
            .join(WarningTargetRow, WarningTargetRow.warning_id == WarningRow.id)
            .where(WarningRow.issued_at >= since)
            .order_by(WarningRow.id)
        )
        return [(_warning(w), _target(t)) for w, t in rows]
