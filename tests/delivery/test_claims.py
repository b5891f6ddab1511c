"""Chat claims: a chat's queue is delivered by the one process that holds its claim; a claim
left by a dead process is taken over when its lease ends; a chat's notices keep their order.

Runs on SQLite by default and on PostgreSQL with RESCUEBOT_TEST_POSTGRES (SKIP LOCKED there).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from core.clock import ControllableClock
from core.notices import Priority
from demo.world import SandboxCounty
from sandbox import Sandbox
from storage.tables_claims import ChatClaimRow
from tests.delivery_helpers import commit_notices, hello, notice_rows, unit_id

LEASE = 10.0  # the setting's default, which the test settings keep


async def wait_until(predicate, within: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(within / 0.05)):
        if await predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached")


async def claims(app: App) -> dict[int, tuple[str, object]]:
    async with app.uow() as uow:
        rows = (await uow.session.execute(
            select(ChatClaimRow.chat_id, ChatClaimRow.owner, ChatClaimRow.lease_until))).all()
    return {c: (o, u) for c, o, u in rows}


async def test_two_owners_never_hold_one_chat_and_a_lapsed_lease_is_taken(
        app: App, clock: ControllableClock) -> None:
    now = clock.now()
    until = now + timedelta(seconds=LEASE)
    async with app.uow() as uow:
        assert await uow.claims.claim([-1001, -1002], "a", now, until) == {-1001, -1002}
        await uow.commit()
    async with app.uow() as uow:
        # Held and alive: b gets nothing of a's, and a chat nobody holds.
        assert await uow.claims.claim([-1001, -1002, -1003], "b", now, until) == {-1003}
        await uow.commit()
    later = now + timedelta(seconds=LEASE + 1)
    async with app.uow() as uow:
        assert await uow.claims.claim([-1001], "b", later, later + timedelta(seconds=LEASE)) \
            == {-1001}
        await uow.commit()
    async with app.uow() as uow:
        # a wakes up: -1001 is b's now, -1002 (lapsed, untaken) is still a's to renew.
        assert await uow.claims.renew([-1001, -1002], "a", later + timedelta(seconds=LEASE)) \
            == {-1002}
        await uow.claims.release([-1002], "a")
        await uow.commit()
    held = await claims(app)
    assert held[-1001][0] == "b" and -1002 not in held


async def test_a_dead_processes_chat_is_delivered_after_its_lease_in_order(
        app: App, county: SandboxCounty, sandbox: Sandbox, clock: ControllableClock) -> None:
    chats = await county.bind_all(["f-gas", "f-water"])
    await wait_until(lambda: _all_done(app))
    gas, water = chats["f-gas"], chats["f-water"]
    # Another process claimed f-gas's chat and died: its lease runs for LEASE more seconds.
    async with app.uow() as uow:
        now = clock.now()
        await uow.claims.claim([gas], "dead process", now, now + timedelta(seconds=LEASE))
        await uow.commit()
    gas_unit, water_unit = await unit_id(app, "f-gas"), await unit_id(app, "f-water")
    # Mixed priorities in one chat: sent most urgent first, then in the order committed.
    await commit_notices(app, [hello(gas_unit, who=f"第{i}条", priority=p) for i, p in
                               enumerate([Priority.NORMAL, Priority.CRITICAL, Priority.NORMAL,
                                          Priority.NORMAL])])
    await commit_notices(app, [hello(water_unit, who="旁边")])
    await sandbox.wait_for(water, "旁边", timeout=15)
    # The other chat went out; the claimed one waits for its owner, whose lease still runs.
    for _ in range(5):
        await asyncio.sleep(0.1)  # a few of the worker's passes (poll_seconds 0.05)
    assert not [t for t in sandbox.bot_texts(gas) if "第" in t]
    assert (await claims(app))[gas][0] == "dead process"

    clock.advance(timedelta(seconds=LEASE + 1))
    await wait_until(lambda: _count_async(sandbox, gas))
    texts = [t for t in sandbox.bot_texts(gas) if "第" in t]
    order = [next(i for i in range(4) if f"第{i}条" in t) for t in texts]
    assert order == [1, 0, 2, 3]
    # Emptied: the chat's claim is given back for any process to take next time.
    await wait_until(lambda: _unclaimed(app, gas))


async def test_an_idle_worker_holds_no_claims(app: App, county: SandboxCounty,
                                              sandbox: Sandbox) -> None:
    chats = await county.bind_all(["f-gas"])
    await commit_notices(app, [hello(await unit_id(app, "f-gas"), who="一条")])
    await sandbox.wait_for(chats["f-gas"], "一条", timeout=15)
    await wait_until(lambda: _all_done(app))
    await wait_until(lambda: _no_claims(app))


async def _all_done(app: App) -> bool:
    return all(r.status != "pending" for r in await notice_rows(app))


def _count(sandbox: Sandbox, chat: int) -> int:
    return sum("第" in t for t in sandbox.bot_texts(chat))


async def _count_async(sandbox: Sandbox, chat: int) -> bool:
    return _count(sandbox, chat) == 4


async def _unclaimed(app: App, chat: int) -> bool:
    return chat not in await claims(app)


async def _no_claims(app: App) -> bool:
    return not await claims(app)
