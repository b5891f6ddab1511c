"""Several real bot processes (`python -m bot run`) on one PostgreSQL and one Redis, measured
delivering one notice to N groups: the claims share the chats, Redis shares Telegram's limits.

The sandbox runs in the benchmark's process; the bots talk to it over HTTP, as they would to
Telegram. The database is emptied and migrated for each row; the token's pacing keys in Redis
are removed, so no row inherits another's windows.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from pathlib import Path

from sqlalchemy import text

from bench.world import TEXT, TOKEN, Run, outcome, sandbox_with_groups, settle
from core.clock import SystemClock
from core.notices import Notice, Priority
from core.registry import ForceCategory, Unit, UnitKind
from sandbox import Sandbox
from storage import migrate
from storage.db import make_engine, make_sessionmaker
from storage.uow import UnitOfWorkFactory

ROOT = Path(__file__).resolve().parents[1]


async def _fresh_database(url: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await migrate.upgrade(engine)
    await engine.dispose()


async def _clean_redis(url: str) -> None:
    from redis.asyncio import Redis

    r = Redis.from_url(url)
    keys = [k async for k in r.scan_iter(match="rescuebot:pace:*")]
    if keys:
        await r.delete(*keys)
    await r.aclose()


async def _spawn(sb: Sandbox, database_url: str, redis_url: str) -> asyncio.subprocess.Process:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "RESCUEBOT_TOKEN": TOKEN,
        "RESCUEBOT_API_URL": sb.base_url,
        "RESCUEBOT_DATABASE_URL": database_url,
        "RESCUEBOT_REDIS_URL": redis_url,
        "RESCUEBOT_LOG_LEVEL": "ERROR",
        "RESCUEBOT_DATA__REMINDERS": "false",
        "RESCUEBOT_ASSESS__MONTHLY_DAY": "0",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)


async def _until_up(sb: Sandbox, processes: int, within: float = 120.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        if sb.stats.calls.get("getUpdates", 0) >= processes:
            return
        await asyncio.sleep(0.05)


async def run_processes(processes: int, chats: int, database_url: str, redis_url: str) -> Run:
    sb, groups = await sandbox_with_groups(chats)
    await _fresh_database(database_url)
    await _clean_redis(redis_url)
    engine = make_engine(database_url)
    uow = UnitOfWorkFactory(make_sessionmaker(engine), SystemClock())
    units: list[int] = []
    async with uow() as u:
        for i, gid in enumerate(groups):
            added = await u.units.add(Unit(f"f-{i}", UnitKind.FORCE, f"force {i}",
                                           category=ForceCategory.SOCIAL, chat_id=gid))
            assert added.id is not None
            units.append(added.id)
        await u.commit()
    bots = []
    try:
        for _ in range(processes):
            bots.append(await _spawn(sb, database_url, redis_url))
            await _until_up(sb, len(bots))
        await asyncio.sleep(1.0)  # every process polling, its worker idle
        sb.stats.reset()
        async with uow() as u:
            for unit in units:
                await u.outbox.add(Notice("error.usage", {"usage": TEXT}, unit_id=unit,
                                          priority=Priority.CRITICAL))
            await u.commit()
        started = time.monotonic()
        await settle(sb, groups, within=chats / 10 + 60)
        await asyncio.sleep(0.5)  # a duplicate, if any, would show now
        run = outcome(sb, groups, f"ours, {processes} process(es) on PostgreSQL + Redis",
                      started)
        first = min((min(sb.stats.sends[g]) for g in groups if sb.stats.sends.get(g)),
                    default=started)
        run.extra["first_send_ms"] = round((first - started) * 1000, 1)
        run.extra["processes"] = processes
    finally:
        for proc in bots:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
        await engine.dispose()
        await sb.stop()
    return run
