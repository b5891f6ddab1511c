"""Several real `python -m bot run` processes on one PostgreSQL and one Redis share delivery:
a 300-force fan-out reaches every chat exactly once, with no 429 from the sandbox (Telegram's
limits on) to our sends; one process killed with SIGKILL mid-way loses nothing, and repeats at
most the sends it had in flight.

The sandbox runs in this test process; the bots talk to it over HTTP. Until the leader election
lands, every process also polls and sweeps: these tests look only at notices committed to the
database, not at commands.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from core.notices import Notice, Priority
from sandbox import Sandbox
from storage.tables import NoticeRow, UnitRow
from storage.uow import UnitOfWorkFactory
from tests.delivery.test_crash import BotProcess, bound_forces
from tests.delivery.test_crash import limited_sandbox as limited_sandbox
from tests.delivery.test_crash import uow as uow

PG = os.environ.get("RESCUEBOT_TEST_POSTGRES", "")
REDIS = os.environ.get("RESCUEBOT_TEST_REDIS", "")
pytestmark = [
    pytest.mark.skipif(not PG, reason="RESCUEBOT_TEST_POSTGRES is unset: several processes "
                                      "share one PostgreSQL (SQLite is one process)"),
    pytest.mark.skipif(not REDIS, reason="RESCUEBOT_TEST_REDIS is unset: the processes share "
                                         "Telegram's limits through Redis"),
]
FORCES = 300
WORD = "多进程扇出"
LEASE = "3"


class SharingBot(BotProcess):
    def __init__(self, sandbox: Sandbox, database_url: str) -> None:
        super().__init__(sandbox, database_url)
        self.env.update({
            "RESCUEBOT_REDIS_URL": REDIS,
            "RESCUEBOT_DELIVERY__LEASE_SECONDS": LEASE,
            "RESCUEBOT_DELIVERY__CLAIM_CHATS": "60",
            "RESCUEBOT_DELIVERY__POLL_SECONDS": "0.2",
        })


@pytest.fixture
async def clean_redis() -> AsyncIterator[None]:
    """The token's windows start empty (an earlier run's slots would only slow this one)."""
    from redis.asyncio import Redis

    r = Redis.from_url(REDIS)
    keys = [k async for k in r.scan_iter(match="rescuebot:pace:*")]
    if keys:
        await r.delete(*keys)
    yield
    await r.aclose()


async def fan_out(uow: UnitOfWorkFactory, chats: dict[int, int]) -> None:
    """A warning to every force, committed at once as the warning use case does."""
    async with uow() as u:
        for unit in chats:
            await u.outbox.add(Notice("error.usage", {"usage": f"{WORD} {unit}"}, unit_id=unit,
                                      priority=Priority.HIGH))
        await u.commit()


async def until(probe: Any, within: float) -> None:
    """Look twice a second: the sandbox shares this process's event loop, and a busy loop
    here would delay its handling of the bots' sends, bunching them into a 429 the bots never
    caused (the sandbox stamps a send when it handles it)."""
    for _ in range(int(within / 0.5)):
        value = probe()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return
        await asyncio.sleep(0.5)
    raise AssertionError("condition not reached in time")


def copies(sb: Sandbox, chats: dict[int, int]) -> dict[int, int]:
    return {gid: sum(WORD in t for t in sb.bot_texts(gid)) for gid in chats.values()}


async def all_sent(uow: UnitOfWorkFactory) -> bool:
    async with uow() as u:
        statuses = (await u.session.scalars(
            select(NoticeRow.status).where(NoticeRow.template == "error.usage"))).all()
    return bool(statuses) and all(s == "sent" for s in statuses)


async def start_all(sb: Sandbox, database_url: str, n: int) -> list[SharingBot]:
    bots = [SharingBot(sb, database_url) for _ in range(n)]
    for bot in bots:
        await bot.start(sb)
    await asyncio.sleep(2.0)  # every process is up: its join updates handled, claims empty
    return bots


@pytest.mark.parametrize("processes", [2, 3])
async def test_processes_deliver_a_fan_out_once(limited_sandbox: Sandbox,
                                                uow: UnitOfWorkFactory,
                                                database_url: str, clean_redis: None,
                                                processes: int) -> None:
    sb = limited_sandbox
    chats = await bound_forces(sb, uow, FORCES)
    bots = await start_all(sb, database_url, processes)
    try:
        sb.stats.reset()
        await fan_out(uow, chats)
        await until(lambda: all(n >= 1 for n in copies(sb, chats).values()), 120)
        await until(lambda: all_sent(uow), 30)
        await asyncio.sleep(1.0)  # a duplicate, if any, would arrive now
    finally:
        for bot in bots:
            await bot.stop()
    assert set(copies(sb, chats).values()) == {1}
    assert sb.stats.too_many_requests == 0


async def test_a_killed_process_leaves_nothing_undelivered(limited_sandbox: Sandbox,
                                                           uow: UnitOfWorkFactory,
                                                           database_url: str,
                                                           clean_redis: None) -> None:
    sb = limited_sandbox
    chats = await bound_forces(sb, uow, FORCES)
    bots = await start_all(sb, database_url, 2)
    try:
        sb.stats.reset()
        await fan_out(uow, chats)
        await until(lambda: sum(n >= 1 for n in copies(sb, chats).values()) >= FORCES // 3, 60)
        bots[0].kill()
        assert bots[0].proc is not None
        await bots[0].proc.wait()
        # What the dead process may have sent without writing it down: chats the sandbox
        # answered whose notice is still pending (the survivor's own unrecorded sends count
        # here too, so this bounds the in-flight sends from above).
        received = {gid for gid, n in copies(sb, chats).items() if n}
        async with uow() as u:
            pending = set((await u.session.scalars(
                select(UnitRow.chat_id).join(NoticeRow, NoticeRow.unit_id == UnitRow.id)
                .where(NoticeRow.template == "error.usage", NoticeRow.status == "pending")
            )).all())
        in_flight = len(received & pending)
        await until(lambda: all(n >= 1 for n in copies(sb, chats).values()), 120)
        await until(lambda: all_sent(uow), 30)
        await asyncio.sleep(1.0)
    finally:
        for bot in bots:
            await bot.stop()
    counts = copies(sb, chats)
    assert min(counts.values()) == 1  # nothing lost
    duplicates = sum(n - 1 for n in counts.values())
    assert duplicates <= in_flight, (duplicates, in_flight)
    twice = {gid for gid, n in counts.items() if n > 1}
    assert sb.stats.too_many_requests == 0, (dict(sb.stats.too_many_requests_by_chat), twice,
                                             in_flight)
