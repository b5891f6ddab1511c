"""Sweep.stop(): a process that stops leading starts no sweep and ends the one under way after
the step at work, so the new leader is not doing the same steps beside it."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from core.clock import ControllableClock
from core.config import MechanismConfig
from scheduler.jobs import Sweep
from storage import migrate
from storage.db import make_engine, make_sessionmaker
from storage.uow import UnitOfWorkFactory


async def test_stop_ends_the_sweep_after_the_step_at_work(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 's.db'}")
    await migrate.upgrade(engine)
    clock = ControllableClock()
    uow = UnitOfWorkFactory(make_sessionmaker(engine), clock)
    ran: list[str] = []
    inside, go_on = asyncio.Event(), asyncio.Event()

    async def slow(_uow: Any, _clock: Any, _config: Any) -> None:
        ran.append("slow")
        inside.set()
        await go_on.wait()
        ran.append("slow done")

    async def after(_uow: Any, _clock: Any, _config: Any) -> None:
        ran.append("after")

    sweep = Sweep(uow, clock, MechanismConfig(), timedelta(minutes=5), [slow, after])
    try:
        under_way = asyncio.create_task(sweep.run())
        await asyncio.wait_for(inside.wait(), 10)
        sweep.stop()
        go_on.set()
        await asyncio.wait_for(under_way, 10)
        await sweep.finish()
        assert ran == ["slow", "slow done"], "the step at work finished; no later step began"
        await sweep.run()
        assert ran == ["slow", "slow done"], "a stopped sweep does not start"
        sweep.start()  # leading again
        await sweep.run()
        assert ran == ["slow", "slow done", "slow", "slow done", "after"]
    finally:
        await engine.dispose()
