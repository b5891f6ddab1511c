"""A force's confirmation is written once and never undone by a reminder read before it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from core.clock import ControllableClock
from core.registry import Unit, UnitKind
from core.warnings.model import Level, Warning, WarningTarget
from storage import migrate
from storage.db import make_engine, make_sessionmaker
from storage.uow import UnitOfWorkFactory

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


async def test_stale_reminder_does_not_touch_a_confirmed_target(database_url: str) -> None:
    engine = make_engine(database_url)
    await migrate.upgrade(engine)
    factory: Any = UnitOfWorkFactory(make_sessionmaker(engine), ControllableClock(T0))
    try:
        async with factory() as uow:
            dept = await uow.units.add(Unit("dept-m", UnitKind.DEPARTMENT, "气象局"))
            force = await uow.units.add(Unit("f-x", UnitKind.FORCE, "力量"))
            w = await uow.warnings.add(
                Warning(dept.id, 1, "甲", "暴雨", Level.RED, "城关镇", "大暴雨", "all", T0,
                        T0 + timedelta(hours=6)),
                [WarningTarget(0, force.id, next_reminder_at=T0 + timedelta(minutes=5))])
            await uow.commit()
        later = T0 + timedelta(minutes=6)
        async with factory() as uow:  # the sweep's snapshot: due, unconfirmed
            (stale,) = await uow.warnings.due_reminders(later)
        async with factory() as uow:  # meanwhile the force confirms
            mine = replace(stale, confirmed_by=7, confirmed_by_name="乙", confirmed_at=later,
                           next_reminder_at=None)
            assert await uow.warnings.confirm_target(mine)
            assert not await uow.warnings.confirm_target(replace(mine, confirmed_by=8))
            await uow.commit()
        async with factory() as uow:  # the sweep writes its reminder from the old snapshot
            reminded = replace(stale, reminders=1, next_reminder_at=later + timedelta(minutes=5))
            assert not await uow.warnings.update_target(reminded)
            await uow.commit()
            (stored,) = await uow.warnings.targets(w.id)
        assert (stored.confirmed_by, stored.confirmed_at, stored.reminders) == (7, later, 0)
        assert stored.next_reminder_at is None
    finally:
        await engine.dispose()
