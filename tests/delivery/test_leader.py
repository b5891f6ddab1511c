"""Several bot processes on one PostgreSQL: one leads (sweeps and polls), another takes over
within seconds when it dies, and no deadline fires twice across the takeover.

Real processes (`python -m bot run`) against the sandbox, as in test_crash.py; PostgreSQL only
(SQLite keeps one process per file: test_one_bot.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from core.dispatch.model import Incident, Level, Order, Plan, PlanForce, PlanStatus
from sandbox import Sandbox
from storage import migrate
from storage.db import make_engine
from storage.leader import LEADER_KEY, AdvisoryLeadership
from storage.sweep_lock import serialized
from storage.tables import AuditRow, NoticeRow
from storage.tables_dispatch import OrderRow
from storage.uow import UnitOfWorkFactory
from tests.conftest import ROOT
from tests.delivery.test_crash import BotProcess, bound_forces, until

PERSON = 556001
ORDERS = 12
TAKEOVER_BOUND = 30.0  # generous: the design says within 10 s; a loaded machine is slower


@pytest.fixture
def pg_url(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes need PostgreSQL: set RESCUEBOT_TEST_POSTGRES")
    return database_url


class LoggedBot(BotProcess):
    """A bot process whose log is kept, so the test can tell a follower has started."""

    def __init__(self, sandbox: Sandbox, database_url: str, log: Path) -> None:
        super().__init__(sandbox, database_url)
        self.env["RESCUEBOT_LOG_LEVEL"] = "INFO"
        self.env["RESCUEBOT_DISPATCH__ESCALATE_T2_SECONDS"] = "100000"
        self.log = log

    async def launch(self) -> None:
        with self.log.open("wb") as out:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=ROOT, env=self.env,
                stdout=out, stderr=out)

    async def start(self, sandbox: Sandbox) -> None:
        before = sandbox.stats.calls.get("getUpdates", 0)
        await self.launch()
        await until(lambda: sandbox.stats.calls.get("getUpdates", 0) > before, 120)

    def said(self, words: str) -> bool:
        return words in self.log.read_text("utf-8", "replace") if self.log.exists() else False


async def idle_polls(sandbox: Sandbox, seconds: float) -> int:
    """getUpdates calls in a quiet spell. One poller long-polls (one call per 20 s); two
    would cut each other's long poll short (as Telegram does) and call many times a second."""
    before = sandbox.stats.calls.get("getUpdates", 0)
    await asyncio.sleep(seconds)
    return sandbox.stats.calls.get("getUpdates", 0) - before


async def help_answered(sandbox: Sandbox) -> None:
    await sandbox.send_message(PERSON, PERSON, "/help")
    await sandbox.wait_for(PERSON, lambda entry: bool(entry["text"]), timeout=60)
    await asyncio.sleep(1.0)  # time enough for a second answer to show


def bot_replies(sandbox: Sandbox) -> int:
    if PERSON not in sandbox.chats:
        return 0  # the private chat begins with the first message
    return sum(1 for m in sandbox.transcript(PERSON) if m["is_bot"])


async def issue_orders(uow: UnitOfWorkFactory, units: list[int], first_due: datetime,
                       step: timedelta) -> None:
    now = datetime.now(UTC)
    async with uow() as u:
        incident = await u.incidents.add(Incident("火灾", "fire", "城关镇", Level.GENERAL, now,
                                                  1, "调度员", is_drill=True))
        plan = await u.plans.add(Plan(incident.id, 1, "调度员", "任务", now,
                                      status=PlanStatus.APPROVED,
                                      forces=tuple(PlanForce(unit, "任务") for unit in units)))
        for i, unit in enumerate(units):
            await u.orders.add(Order(plan.id, unit, "任务", now, first_due + step * i,
                                     now + timedelta(days=1)))
        await u.commit()


async def escalated(uow: UnitOfWorkFactory) -> int:
    async with uow() as u:
        return await u.session.scalar(select(func.count()).select_from(OrderRow)
                                      .where(OrderRow.escalated_t1_at.is_not(None))) or 0


async def counts(uow: UnitOfWorkFactory) -> tuple[int, int]:
    """(audit entries of a T1 escalation, resend notices queued): one each per order."""
    async with uow() as u:
        audits = await u.session.scalar(select(func.count()).select_from(AuditRow)
                                        .where(AuditRow.action == "order.escalated_t1"))
        resent = await u.session.scalar(select(func.count()).select_from(NoticeRow)
                                        .where(NoticeRow.template == "dispatch.order.resend"))
    return int(audits or 0), int(resent or 0)


@pytest.fixture
async def pg_uow(pg_url: str) -> AsyncIterator[UnitOfWorkFactory]:
    from core.clock import SystemClock
    from storage.db import make_sessionmaker

    engine = make_engine(pg_url)
    await migrate.upgrade(engine)
    yield UnitOfWorkFactory(make_sessionmaker(engine), SystemClock())
    await engine.dispose()


async def test_one_leads_and_another_takes_over_without_firing_twice(
        sandbox: Sandbox, pg_uow: UnitOfWorkFactory, pg_url: str, tmp_path: Path) -> None:
    chats = await bound_forces(sandbox, pg_uow, ORDERS)
    sandbox.add_user(PERSON, "县信息科")
    first = LoggedBot(sandbox, pg_url, tmp_path / "first.log")
    second = LoggedBot(sandbox, pg_url, tmp_path / "second.log")
    try:
        await first.start(sandbox)  # it polls: it leads
        await second.launch()
        await until(lambda: second.said("another process leads"), 120)
        assert first.said("this process leads") and not second.said("this process leads")
        polls = await idle_polls(sandbox, 3.0)
        assert polls <= 2, f"{polls} getUpdates calls in 3 quiet seconds: more than one poller"
        for _ in range(3):
            await help_answered(sandbox)
        assert bot_replies(sandbox) == 3, "each command answered exactly once"

        # Deadlines one a second, from 3 s on; the leader dies after a few have fired.
        await issue_orders(pg_uow, list(chats), datetime.now(UTC) + timedelta(seconds=3),
                           timedelta(seconds=1))
        await until(lambda: _at_least(pg_uow, 3), 60)
        polls_before = sandbox.stats.calls.get("getUpdates", 0)
        first.kill()
        killed = time.monotonic()
        await first.proc.wait()  # type: ignore[union-attr]
        fired_by_first = await escalated(pg_uow)
        await until(lambda: sandbox.stats.calls.get("getUpdates", 0) > polls_before,
                    TAKEOVER_BOUND)
        took_over = time.monotonic() - killed
        print(f"\ntakeover: the follower polled {took_over:.1f} s after the leader's SIGKILL; "
              f"{fired_by_first} of {ORDERS} deadlines fired by the first leader")
        assert second.said("this process leads")
        await help_answered(sandbox)  # the new leader polls
        assert bot_replies(sandbox) == 4
        await until(lambda: _at_least(pg_uow, ORDERS), 60)
        await asyncio.sleep(3.0)  # three more sweeps: a repeated escalation would show
    finally:
        await first.stop()
        await second.stop()
    assert fired_by_first < ORDERS, "the kill must land before every deadline has fired"
    assert await counts(pg_uow) == (ORDERS, ORDERS), "each deadline fired exactly once"


async def _at_least(uow: UnitOfWorkFactory, count: int) -> bool:
    return await escalated(uow) >= count


async def test_leadership_passes_when_the_leaders_connection_dies(pg_url: str) -> None:
    first, second = AdvisoryLeadership(pg_url), AdvisoryLeadership(pg_url)
    first_terms, second_terms = first.lead(), second.lead()
    try:
        term = await asyncio.wait_for(anext(first_terms), 30)
        assert first.is_leader
        following = asyncio.ensure_future(anext(second_terms))
        await asyncio.sleep(3.0)  # a try or two: the lead is taken
        assert not following.done() and not second.is_leader
        engine = make_engine(pg_url)
        async with engine.begin() as conn:
            await conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                "AND objid::bigint = (:key & 4294967295) AND granted"), {"key": LEADER_KEY})
        await engine.dispose()
        cut = time.monotonic()
        await asyncio.wait_for(term.wait_ended(), TAKEOVER_BOUND)
        assert not first.is_leader
        noticed = time.monotonic() - cut
        await asyncio.wait_for(following, TAKEOVER_BOUND)
        print(f"\nthe leader noticed in {noticed:.2f} s; the follower led "
              f"{time.monotonic() - cut:.1f} s after the cut")
        assert second.is_leader
        # The old leader campaigns again and now follows.
        again = asyncio.ensure_future(anext(first_terms))
        await asyncio.sleep(3.0)
        assert not again.done()
        again.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await again
    finally:
        await first_terms.aclose()
        await second_terms.aclose()


async def test_migrations_from_several_processes_at_once(pg_url: str) -> None:
    engines = [make_engine(pg_url) for _ in range(3)]
    try:
        await asyncio.gather(*(migrate.upgrade(e) for e in engines))
        async with engines[0].connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
    finally:
        for e in engines:
            await e.dispose()
    assert sorted(v for (v,) in versions) == sorted(_heads())


def _heads() -> list[str]:
    from alembic.script import ScriptDirectory

    return list(ScriptDirectory.from_config(migrate.alembic_config()).get_heads())



async def test_sweep_transactions_wait_for_each_other(pg_uow: UnitOfWorkFactory) -> None:
    """An old leader's sweep still under way and the new leader's: the second waits."""
    sweeps = serialized(pg_uow)

    async def second_sweep() -> None:
        async with sweeps() as u:
            await u.session.execute(text("SELECT 1"))
            await u.commit()

    async with sweeps() as first:
        await first.session.execute(text("SELECT 1"))
        waiting = asyncio.ensure_future(second_sweep())
        await asyncio.sleep(1.0)
        assert not waiting.done(), "the second sweep waits for the first to commit"
        async with pg_uow() as other:  # work outside the sweep does not wait
            await asyncio.wait_for(other.session.execute(text("SELECT 1")), 10)
        await first.commit()
    await asyncio.wait_for(waiting, 10)
