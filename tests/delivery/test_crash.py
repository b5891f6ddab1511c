"""Real process kills: `python -m bot run` killed with SIGKILL mid-work loses nothing committed.

The sandbox runs in this test process; the bot is a separate process talking to it over HTTP.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select

from core.clock import SystemClock
from core.notices import Notice, Priority
from core.registry import ForceCategory, Unit, UnitKind
from sandbox import Sandbox
from storage import migrate
from storage.db import make_engine, make_sessionmaker
from storage.tables import AuditRow, ChatRow, NoticeRow
from storage.uow import UnitOfWorkFactory
from tests.conftest import ROOT, TOKEN, started_sandbox

FORCES = 100


class BotProcess:
    def __init__(self, sandbox: Sandbox, database_url: str) -> None:
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "RESCUEBOT_TOKEN": TOKEN,
            "RESCUEBOT_API_URL": sandbox.base_url,
            "RESCUEBOT_DATABASE_URL": database_url,
            "RESCUEBOT_LOG_LEVEL": "WARNING",
            "RESCUEBOT_SWEEP_SECONDS": "1",
            "RESCUEBOT_DELIVERY__POLL_SECONDS": "0.2",
            # The example county's data is stale: its reminders would be counted as fan-out.
            "RESCUEBOT_DATA__REMINDERS": "false",
        }
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self, sandbox: Sandbox) -> None:
        before = sandbox.stats.calls.get("getUpdates", 0)
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=ROOT, env=self.env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )
        await until(lambda: sandbox.stats.calls.get("getUpdates", 0) > before, 60)

    def kill(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()


async def until(probe: Any, within: float = 30.0) -> None:
    for _ in range(int(within / 0.05)):
        value = probe()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached in time")


@pytest.fixture
async def uow(database_url: str) -> AsyncIterator[UnitOfWorkFactory]:
    engine = make_engine(database_url)
    await migrate.upgrade(engine)
    yield UnitOfWorkFactory(make_sessionmaker(engine), SystemClock())
    await engine.dispose()


@pytest.fixture
async def limited_sandbox() -> AsyncIterator[Sandbox]:
    sb = await started_sandbox(limits=True)
    yield sb
    await sb.stop()


async def bound_forces(sb: Sandbox, uow: UnitOfWorkFactory, count: int) -> dict[int, int]:
    """``count`` forces, each with a group the bot is in; returns unit id -> chat id."""
    sb.add_user(1, "队员")
    chats = {}
    async with uow() as u:
        for i in range(count):
            gid = sb.create_group(f"力量{i}", [1])
            sb.add_bot_to_group(gid, by_user=1)
            unit = await u.units.add(Unit(f"f-{i}", UnitKind.FORCE, f"力量{i}",
                                          category=ForceCategory.SOCIAL, township="城关镇",
                                          chat_id=gid))
            assert unit.id is not None
            chats[unit.id] = gid
        await u.commit()
    return chats


async def sent_count(uow: UnitOfWorkFactory) -> int:
    async with uow() as u:
        return await u.session.scalar(
            select(func.count()).select_from(NoticeRow).where(NoticeRow.status == "sent")
        ) or 0


async def test_kill_mid_fan_out_loses_nothing(limited_sandbox: Sandbox, uow: UnitOfWorkFactory,
                                              database_url: str) -> None:
    sb = limited_sandbox
    chats = await bound_forces(sb, uow, FORCES)
    bot = BotProcess(sb, database_url)
    await bot.start(sb)
    try:
        # The join updates are handled: every group got its greeting. Counting sends from before
        # that would count greetings as the fan-out, and kill the bot before it began.
        await until(lambda: all(sb.bot_texts(c) for c in chats.values()), 60)
        sends_before = sum(len(v) for v in sb.stats.sends.values())
        async with uow() as u:
            for unit in chats:
                await u.outbox.add(Notice("admin.chat_bound", {"unit": "出动", "code": "x",
                                                               "by": "y"},
                                          unit_id=unit, priority=Priority.CRITICAL))
            await u.commit()
        await until(lambda: sum(len(v) for v in sb.stats.sends.values())
                    - sends_before >= FORCES // 2, 60)
        bot.kill()
        await bot.proc.wait()  # type: ignore[union-attr]
        accepted = sum(1 for c in chats.values() if any("出动" in t for t in sb.bot_texts(c)))
        recorded = await sent_count(uow)
        in_flight = accepted - recorded
        assert 0 < accepted < FORCES, "the kill must land mid fan-out"
        await bot.start(sb)
        await until(lambda: sent_count(uow), 5)
        await until(lambda: all_sent(uow), 60)
    finally:
        await bot.stop()
    copies = {c: sum("出动" in t for t in sb.bot_texts(c)) for c in chats.values()}
    duplicates = sum(n - 1 for n in copies.values())
    print(f"\nkilled after {accepted} of {FORCES}; recorded {recorded}; in flight {in_flight};"
          f" duplicates {duplicates}; 429s {sb.stats.too_many_requests}")
    assert min(copies.values()) == 1, "every force got its notice"
    assert duplicates <= in_flight


async def all_sent(uow: UnitOfWorkFactory) -> bool:
    return await sent_count(uow) >= FORCES


async def test_kill_while_handling_updates_loses_no_command(
    sandbox: Sandbox, uow: UnitOfWorkFactory, database_url: str
) -> None:
    chats = await bound_forces(sandbox, uow, 10)
    bot = BotProcess(sandbox, database_url)
    await bot.start(sandbox)
    try:
        await until(lambda: sandbox.bot(TOKEN).updates == [], 30)
        # Commands keep coming while the bot is killed: handling no longer waits for
        # Telegram, so the kill lands mid-stream, not mid-send; some are handled, some stored,
        # some still at Telegram.
        sending = asyncio.create_task(send_spaced(sandbox, list(chats.values()), "/lang en"))
        await until(lambda: at_least(uow, 3), 30)
        bot.kill()
        await bot.proc.wait()  # type: ignore[union-attr]
        handled_before = await language_changes(uow)
        await sending
        await bot.start(sandbox)
        await until(lambda: all_english(uow, len(chats)), 60)
        await asyncio.sleep(1.5)  # time enough for any double handling to show
    finally:
        await bot.stop()
    assert handled_before < len(chats), "the kill must land mid-way"
    assert await language_changes(uow) == len(chats), "each command handled exactly once"


async def send_spaced(sandbox: Sandbox, chats: list[int], text: str) -> None:
    for gid in chats:
        await sandbox.send_message(gid, 1, text)
        await asyncio.sleep(0.3)


async def at_least(uow: UnitOfWorkFactory, count: int) -> bool:
    return await language_changes(uow) >= count


async def language_changes(uow: UnitOfWorkFactory) -> int:
    async with uow() as u:
        return await u.session.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.action == "chat.language")
        ) or 0


async def all_english(uow: UnitOfWorkFactory, count: int) -> bool:
    async with uow() as u:
        rows = (await u.session.scalars(select(ChatRow.locale))).all()
    return rows.count("en") == count
