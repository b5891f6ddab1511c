"""The figures /metrics and /healthz read from the database at request time.

Read-only and small: a handful of aggregate queries over indexed columns, run with a short
timeout by the caller (bot/metrics.py), so a slow database shows as `rescuebot_database_up 0`,
not as a scrape that hangs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.tables import AuditRow, NoticeRow, UnitRow

PENDING = "pending"
FORCE = "force"
# Audit actions of what the sweep fires: order.escalated_t1/_t2, response.escalated;
# plan.reminded_*, warning.reminded, consult.reminded, response.order_reminded.
ESCALATED = "%escalated%"
REMINDED = "%reminded%"


@dataclass
class Figures:
    pending_by_priority: dict[int, int] = field(default_factory=dict)
    oldest_pending: datetime | None = None
    forces: int = 0
    forces_bound: int = 0
    escalations: int = 0
    reminders: int = 0


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def read_figures(engine: AsyncEngine) -> Figures:
    found = Figures()
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(NoticeRow.priority, func.count(), func.min(NoticeRow.created_at))
            .where(NoticeRow.status == PENDING).group_by(NoticeRow.priority))
        for priority, count, oldest in rows:
            found.pending_by_priority[int(priority)] = int(count)
            if oldest is not None and (found.oldest_pending is None
                                       or oldest < found.oldest_pending):
                found.oldest_pending = oldest
        forces = await conn.execute(
            select(func.count(), func.count(UnitRow.chat_id)).where(UnitRow.kind == FORCE))
        found.forces, found.forces_bound = (int(v) for v in forces.one())
        found.escalations = int(await conn.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.action.like(ESCALATED)))
            or 0)
        found.reminders = int(await conn.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.action.like(REMINDED)))
            or 0)
    return found
