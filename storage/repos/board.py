"""The rows of a plan's live board: each order with its force's name, in one query."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.dispatch.model import Order, OrderStatus
from storage.tables import UnitRow
from storage.tables_dispatch import OrderRow


async def orders_with_names(session: AsyncSession, plan_id: int) -> list[tuple[Order, str | None]]:
    from storage.repos.dispatch import _build  # the one mapping of rows to orders

    rows = (await session.execute(
        select(OrderRow, UnitRow.name).outerjoin(UnitRow, UnitRow.id == OrderRow.unit_id)
        .where(OrderRow.plan_id == plan_id).order_by(OrderRow.id)
        .execution_options(populate_existing=True)
    )).all()
    return [(_build(Order, row, OrderStatus), name) for row, name in rows]
