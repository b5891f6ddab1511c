"""Our bot measured as it runs: notices committed in one transaction, the real worker."""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import tempfile
import time
from pathlib import Path

from bench.world import TEXT, TOKEN, Run, outcome, sandbox_with_groups, settle
from bot.app import App, build_app
from bot.settings import load_settings
from core.clock import SystemClock
from core.notices import Notice, Priority
from core.registry import ForceCategory, Unit, UnitKind
from storage import migrate

TEMPLATE = "bench.fanout"


async def _app(base_url: str, folder: Path) -> App:
    settings = load_settings(token=TOKEN, api_url=base_url,
                             database_url=f"sqlite+aiosqlite:///{folder / 'bench.db'}",
                             log_level="WARNING")
    app = build_app(settings, TOKEN, SystemClock())
    await migrate.upgrade(app.engine)
    return app


async def _units(app: App, groups: list[int]) -> list[int]:
    ids = []
    async with app.uow() as uow:
        for i, gid in enumerate(groups):
            unit = await uow.units.add(Unit(f"f-{i}", UnitKind.FORCE, f"force {i}",
                                            category=ForceCategory.SOCIAL, chat_id=gid))
            assert unit.id is not None
            ids.append(unit.id)
        await uow.commit()
    return ids


async def _commit(app: App, units: list[int], priority: Priority = Priority.CRITICAL) -> float:
    async with app.uow() as uow:
        for unit in units:
            await uow.outbox.add(Notice("error.usage", {"usage": TEXT}, unit_id=unit,
                                        priority=priority))
        await uow.commit()
    return time.monotonic()


async def ours(chats: int) -> Run:
    sb, groups = await sandbox_with_groups(chats)
    with tempfile.TemporaryDirectory() as folder:
        app = await _app(sb.base_url, Path(folder))
        units = await _units(app, groups)
        task = asyncio.create_task(app.run())
        await asyncio.sleep(1.0)  # polling and the worker are up; the join updates handled
        sb.stats.reset()
        started = await _commit(app, units)
        await settle(sb, groups, within=chats / 10 + 30)
        await asyncio.sleep(0.5)  # a duplicate, if any, would show now
        run = outcome(sb, groups, "ours (outbox + paced worker)", started)
        first = min((min(sb.stats.sends[g]) for g in groups if sb.stats.sends.get(g)),
                    default=started)
        run.extra["first_send_ms"] = round((first - started) * 1000, 1)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        await app.close()
    await sb.stop()
    return run


async def commit_to_send_latency(samples: int = 50, pending: int = 0) -> dict[str, float]:
    """From an urgent notice's commit to its send reaching Telegram: on an idle bot, or with
    ``pending`` routine notices waiting (a county-wide roll-call going out, say)."""
    sb, groups = await sandbox_with_groups(samples + pending)
    delays = []
    with tempfile.TemporaryDirectory() as folder:
        app = await _app(sb.base_url, Path(folder))
        units = await _units(app, groups)
        task = asyncio.create_task(app.run())
        await asyncio.sleep(1.0)
        if pending:
            await _commit(app, units[samples:], Priority.LOW)
            await asyncio.sleep(1.0)  # the backlog is read and going out at Telegram's pace
        sb.stats.reset()
        for unit, gid in zip(units[:samples], groups[:samples], strict=True):
            committed = await _commit(app, [unit])
            while not sb.stats.sends.get(gid):  # noqa: ASYNC110 - polling is the measurement
                await asyncio.sleep(0.0005)
            delays.append(sb.stats.sends[gid][0] - committed)
            await asyncio.sleep(0.05)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        await app.close()
    await sb.stop()
    delays.sort()
    return {
        "median_ms": round(statistics.median(delays) * 1000, 2),
        "p99_ms": round(delays[min(len(delays) - 1, int(len(delays) * 0.99))] * 1000, 2),
        "samples": len(delays),
        "pending": pending,
    }


__all__ = ["TEXT", "commit_to_send_latency", "ours"]
