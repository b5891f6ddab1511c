"""The repositories on a real database: conditional writes let only one decision win."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text as sql

from core.clock import ControllableClock
from core.dispatch.model import (
    Incident,
    Level,
    Order,
    OrderStatus,
    Plan,
    PlanForce,
    PlanStatus,
    Prompt,
    PromptKind,
)
from core.registry import Unit, UnitKind
from storage import migrate
from storage.db import make_engine, make_sessionmaker
from storage.uow import UnitOfWorkFactory

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


async def test_only_the_first_decision_is_written(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'd.db'}")
    await migrate.upgrade(engine)
    factory: Any = UnitOfWorkFactory(make_sessionmaker(engine), ControllableClock(T0))
    try:
        async with factory() as uow:
            incident = await uow.incidents.add(Incident("火灾", "", "城关镇", Level.MAJOR, T0, 1,
                                                        "甲", is_drill=True))
            plan = await uow.plans.add(Plan(incident.id, 1, "甲", "任务", T0,
                                            status=PlanStatus.AWAITING_APPROVAL,
                                            forces=(PlanForce(1, "任务"),)))
            await uow.prompts.add(Prompt(-5, 9, PromptKind.REJECT, plan.id, 7, T0))
            unsent = await uow.prompts.add(Prompt(-5, None, PromptKind.REJECT, plan.id, 7, T0))
            await uow.commit()
        # Both deciders read the plan as undecided; the second writes after the first committed.
        async with factory() as first:
            a = await first.plans.get(plan.id)
        async with factory() as second:
            b = await second.plans.get(plan.id)
        a.status, a.decided_by_name = PlanStatus.APPROVED, "甲"
        b.status, b.decided_by_name = PlanStatus.REJECTED, "乙"
        async with factory() as first:
            assert await first.plans.save(a, PlanStatus.AWAITING_APPROVAL)
            await first.commit()
        async with factory() as second:
            assert not await second.plans.save(b, PlanStatus.AWAITING_APPROVAL)
            await second.commit()
        async with factory() as uow:
            stored = await uow.plans.get(plan.id)
            found = await uow.incidents.get(incident.id)
            await uow.prompts.sent_as(unsent, 10)
            prompts = await uow.prompts.open_for(-5, 7)
            # The column holds what it held before PlanForce, so older databases read the same.
            raw = await uow.session.scalar(sql("select forces from dispatch_plans"))
        assert (stored.status, stored.decided_by_name) == (PlanStatus.APPROVED, "甲")
        assert raw == '[[1, "\\u4efb\\u52a1"]]', raw
        assert stored.forces == (PlanForce(1, "任务"),)
        assert found.is_drill and found.level is Level.MAJOR
        assert [(p.message_id, p.ref) for p in prompts] == [(10, plan.id), (9, plan.id)]
    finally:
        await engine.dispose()


async def test_escalation_stamp_is_claimed_once(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'd.db'}")
    await migrate.upgrade(engine)
    factory: Any = UnitOfWorkFactory(make_sessionmaker(engine), ControllableClock(T0))
    try:
        async with factory() as uow:
            force = await uow.units.add(Unit("f-x", UnitKind.FORCE, "力量"))
            incident = await uow.incidents.add(Incident("火灾", "", "镇", Level.GENERAL, T0, 1,
                                                        "甲"))
            plan = await uow.plans.add(Plan(incident.id, 1, "甲", "任务", T0))
            order = await uow.orders.add(Order(plan.id, force.id, "任务", T0,
                                               T0 + timedelta(minutes=3),
                                               T0 + timedelta(minutes=10)))
            await uow.commit()
        later = T0 + timedelta(minutes=4)
        async with factory() as uow:
            assert [o.id for o in await uow.orders.t1_due(later)] == [order.id]
            assert await uow.orders.claim(order.id, "escalated_t1_at", later, "issued")
            assert not await uow.orders.claim(order.id, "escalated_t1_at", later, "issued")
            await uow.commit()
            assert await uow.orders.t1_due(later) == []
            moved = replace(await uow.orders.get(order.id))
            moved.move(OrderStatus.RECEIVED, 5, "丙", later)
            assert await uow.orders.save(moved, "issued")
            assert not await uow.orders.save(moved, "issued")
            await uow.commit()
            got = await uow.orders.get(order.id)
        assert got.by == {"received": [5, "丙"]} and got.escalated_t1_at == later
    finally:
        await engine.dispose()
