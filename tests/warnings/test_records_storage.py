"""A later write never undoes an earlier one: a cancelled warning stays cancelled, a roll-call
answer stays the first one, even when the later step read the record before the earlier one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.clock import ControllableClock
from core.errors import Conflict
from core.registry import Unit, UnitKind
from core.rollcall.model import Answer, RollCall, RollCallKind
from core.warnings.config import WarningConfig
from core.warnings.model import Level, Warning, WarningStatus, WarningTarget
from core.warnings.request import parse_warn_line
from core.warnings.usecases import cancel_warning, issue_warning, upgrade_warning
from storage import migrate
from storage.db import make_engine, make_sessionmaker
from storage.uow import UnitOfWorkFactory
from tests.warnings.test_alerts_core import issuer, make_uow

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


async def test_an_upgrade_read_before_a_cancel_does_not_reopen_it() -> None:
    uow, clock = make_uow(), ControllableClock(T0, ticking=False)
    req = parse_warn_line("yellow 大风 all 24 text")
    w = (await issue_warning(uow, issuer(uow), req, clock, WarningConfig())).warning
    stale = replace(w)
    await cancel_warning(uow, issuer(uow), w.id or 0, clock)

    async def read_before_cancel(warning_id: int) -> Warning:
        return replace(stale)

    uow.warnings.get = read_before_cancel
    with pytest.raises(Conflict, match="warning_inactive"):
        await upgrade_warning(uow, issuer(uow), w.id or 0, Level.RED, clock, WarningConfig())
    stored = uow.warnings.rows[w.id]
    assert (stored.status, stored.level) == (WarningStatus.CANCELLED, Level.YELLOW)
    assert all(t.next_reminder_at is None for t in await uow.warnings.targets(w.id or 0))


async def test_stale_writes_leave_the_first_record(database_url: str) -> None:
    engine = make_engine(database_url)
    await migrate.upgrade(engine)
    factory: Any = UnitOfWorkFactory(make_sessionmaker(engine), ControllableClock(T0))
    later = T0 + timedelta(minutes=6)
    try:
        async with factory() as uow:
            dept = await uow.units.add(Unit("dept-m", UnitKind.DEPARTMENT, "气象局"))
            force = await uow.units.add(Unit("f-x", UnitKind.FORCE, "力量"))
            w = await uow.warnings.add(
                Warning(dept.id, 1, "甲", "暴雨", Level.ORANGE, "", "大暴雨", "all", T0,
                        T0 + timedelta(hours=6)), [WarningTarget(0, force.id)])
            rc = await uow.rollcalls.add(
                RollCall(RollCallKind.ADHOC, "all", T0, T0 + timedelta(minutes=10)),
                [Answer(0, force.id)])
            await uow.commit()
        async with factory() as uow:  # both read while the warning is open
            stale = await uow.warnings.get(w.id)
            (target,) = await uow.warnings.targets(w.id)
        async with factory() as uow:
            assert await uow.warnings.update(
                replace(stale, status=WarningStatus.CANCELLED, closed_at=later), Level.ORANGE)
            await uow.commit()
        async with factory() as uow:
            assert not await uow.warnings.update(replace(stale, level=Level.RED), Level.ORANGE)
            assert not await uow.warnings.confirm_target(
                replace(target, confirmed_by=7, confirmed_by_name="乙", confirmed_at=later))
            await uow.commit()
        async with factory() as uow:
            stored = await uow.warnings.get(w.id)
            (kept,) = await uow.warnings.targets(w.id)
        assert (stored.status, stored.level, stored.closed_at) == (
            WarningStatus.CANCELLED, Level.ORANGE, later)
        assert kept.confirmed_at is None

        first = Answer(rc.id, force.id, 7, "乙", later, True)
        async with factory() as uow:
            assert await uow.rollcalls.record_answer(first)
            assert not await uow.rollcalls.record_answer(
                replace(first, answered_by=8, answered_by_name="丙",
                        answered_at=later + timedelta(seconds=1)))
            await uow.commit()
        async with factory() as uow:
            (answer,) = await uow.rollcalls.answers(rc.id)
        assert (answer.answered_by, answer.answered_at) == (7, later)
    finally:
        await engine.dispose()
