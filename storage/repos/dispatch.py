"""Repositories of the dispatch chain. Decisions are written with a conditional UPDATE, so that
of two simultaneous taps only one wins."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.dispatch.model import (
    Concurrence,
    ConcurrenceStatus,
    Incident,
    Level,
    Order,
    OrderStatus,
    Period,
    Plan,
    PlanForce,
    PlanStatus,
    Prompt,
    PromptKind,
    Reinforcement,
    ReinforcementStatus,
)
from storage.repos.board import orders_with_names
from storage.tables import Base
from storage.tables_dispatch import (
    ConcurrenceRow,
    IncidentRow,
    OrderRow,
    PeriodRow,
    PlanRow,
    PromptRow,
    ReinforcementRow,
)

T = TypeVar("T")
ENUMS: dict[str, Any] = {"level": Level}
RENAMED = {"by": "answered_by"}  # Order.by is a dict of who pressed what


def _stored_forces(forces: tuple[PlanForce, ...]) -> list[list[object]]:
    """A plan's forces as the column has always held them: [[force unit id, task], ...]."""
    return [[f.unit_id, f.task] for f in forces]


def _read_forces(stored: list[list[object]]) -> tuple[PlanForce, ...]:
    return tuple(PlanForce(int(str(unit_id)), str(task)) for unit_id, task in stored)


def _values(obj: Any, row_cls: type[Base]) -> dict[str, Any]:
    columns = row_cls.__table__.columns.keys()
    out: dict[str, Any] = {}
    for f in fields(obj):
        column = RENAMED.get(f.name, f.name) if isinstance(obj, Order) else f.name
        if f.name != "id" and column in columns:
            value = getattr(obj, f.name)
            if isinstance(obj, Plan) and f.name == "forces":
                value = _stored_forces(value)
            out[column] = value.value if hasattr(value, "value") else value
    return out


def _build(cls: type[T], row: Any, status: Any = None) -> T:
    kwargs: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        column = RENAMED.get(f.name, f.name) if cls is Order else f.name
        value = getattr(row, column)
        if f.name == "status" and status is not None:
            value = status(value)
        elif f.name in ENUMS:
            value = ENUMS[f.name](value)
        elif cls is Plan and f.name == "forces":
            value = _read_forces(value)
        kwargs[f.name] = value
    return cls(**kwargs)


class _Repo:
    row: type[Any]
    model: type[Any]
    status: Any = None

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, obj: Any) -> Any:
        row = self.row(**_values(obj, self.row))
        self.s.add(row)
        await self.s.flush()
        obj.id = row.id
        return obj

    async def get(self, obj_id: int) -> Any:
        row = await self.s.scalar(select(self.row).where(self.row.id == obj_id)
                                  .execution_options(populate_existing=True))
        return _build(self.model, row, self.status) if row else None

    async def _many(self, query: Any) -> list[Any]:
        rows = await self.s.scalars(query.execution_options(populate_existing=True))
        return [_build(self.model, r, self.status) for r in rows]

    async def update(self, obj: Any) -> None:
        await self.s.execute(update(self.row).where(self.row.id == obj.id)
                             .values(**_values(obj, self.row))
                             .execution_options(synchronize_session=False))

    async def save(self, obj: Any, expected: str) -> bool:
        result = await self.s.execute(
            update(self.row).where(self.row.id == obj.id, self.row.status == str(expected))
            .values(**_values(obj, self.row)).execution_options(synchronize_session=False))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def claim(self, obj_id: int, stamp: str, now: datetime, expected: str,
                    **also: Any) -> bool:
        """Set ``stamp`` once: only the first of two concurrent sweeps gets True."""
        column = getattr(self.row, stamp)
        result = await self.s.execute(
            update(self.row).where(self.row.id == obj_id, column.is_(None),
                                   self.row.status == expected)
            .values({stamp: now, **also}).execution_options(synchronize_session=False))
        return bool(result.rowcount)  # type: ignore[attr-defined]


class SqlIncidentRepo(_Repo):
    row, model = IncidentRow, Incident

    async def open(self) -> list[Incident]:
        return await self._many(select(IncidentRow).where(IncidentRow.closed_at.is_(None))
                                .order_by(IncidentRow.id))


class SqlPlanRepo(_Repo):
    row, model, status = PlanRow, Plan, PlanStatus

    async def for_incident(self, incident_id: int) -> list[Plan]:
        return await self._many(select(PlanRow).where(PlanRow.incident_id == incident_id)
                                .order_by(PlanRow.id))

    async def reminders_due(self, now: datetime) -> list[Plan]:
        return await self._many(select(PlanRow).where(
            PlanRow.status == PlanStatus.AWAITING_APPROVAL.value,
            or_(and_(PlanRow.reminded_at.is_(None), PlanRow.remind_due_at <= now),
                and_(PlanRow.reminded_at.is_not(None), PlanRow.deputies_at.is_(None),
                     PlanRow.deputies_due_at <= now))).order_by(PlanRow.id))


class SqlOrderRepo(_Repo):
    row, model, status = OrderRow, Order, OrderStatus

    async def for_plan(self, plan_id: int) -> list[Order]:
        return await self._many(select(OrderRow).where(OrderRow.plan_id == plan_id)
                                .order_by(OrderRow.id))

    async def named_for_plan(self, plan_id: int) -> list[tuple[Order, str | None]]:
        return await orders_with_names(self.s, plan_id)

    async def t1_due(self, now: datetime) -> list[Order]:
        return await self._many(select(OrderRow).where(
            OrderRow.status == OrderStatus.ISSUED.value, OrderRow.escalated_t1_at.is_(None),
            OrderRow.t1_due_at <= now).order_by(OrderRow.id))

    async def t2_due(self, now: datetime) -> list[Order]:
        return await self._many(select(OrderRow).where(
            OrderRow.status == OrderStatus.ISSUED.value, OrderRow.escalated_t2_at.is_(None),
            OrderRow.t2_due_at <= now).order_by(OrderRow.id))


class SqlConcurrenceRepo(_Repo):
    row, model, status = ConcurrenceRow, Concurrence, ConcurrenceStatus

    async def for_plan(self, plan_id: int) -> list[Concurrence]:
        return await self._many(select(ConcurrenceRow).where(ConcurrenceRow.plan_id == plan_id)
                                .order_by(ConcurrenceRow.id))


class SqlPeriodRepo(_Repo):
    row, model = PeriodRow, Period

    async def active(self, now: datetime) -> Period | None:
        found = await self._many(select(PeriodRow).where(
            PeriodRow.starts_at <= now, PeriodRow.ends_at > now).order_by(PeriodRow.id.desc()))
        return found[0] if found else None


class SqlReinforcementRepo(_Repo):
    row, model, status = ReinforcementRow, Reinforcement, ReinforcementStatus


class SqlPromptRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, prompt: Prompt) -> int:
        values = {k: v for k, v in vars(prompt).items() if k != "id"}
        row = PromptRow(**values | {"kind": prompt.kind.value})
        self.s.add(row)
        await self.s.flush()
        return row.id

    async def sent_as(self, prompt_id: int, message_id: int) -> None:
        await self.s.execute(update(PromptRow).where(PromptRow.id == prompt_id)
                             .values(message_id=message_id))

    async def open_for(self, chat_id: int, tg_id: int) -> list[Prompt]:
        rows = await self.s.scalars(
            select(PromptRow).where(PromptRow.chat_id == chat_id, PromptRow.tg_id == tg_id)
            .order_by(PromptRow.id.desc()))
        return [Prompt(r.chat_id, r.message_id, PromptKind(r.kind), r.ref, r.tg_id, r.created_at,
                       r.id) for r in rows]

    async def remove_like(self, prompt: Prompt) -> None:
        await self.s.execute(delete(PromptRow).where(
            PromptRow.chat_id == prompt.chat_id, PromptRow.tg_id == prompt.tg_id,
            PromptRow.kind == prompt.kind, PromptRow.ref == prompt.ref))
