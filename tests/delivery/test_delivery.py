"""The delivery worker against the sandbox's errors: nothing committed is lost or sent twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.app import App, build_app
from bot.settings import Settings
from core.clock import ControllableClock
from core.notices import Priority
from demo.world import SandboxCounty
from sandbox import Sandbox
from tests.conftest import REGISTRY_ADMIN, TOKEN, start_app, stop_app
from tests.delivery_helpers import commit_notices, hello, notice_rows, unit_id


async def wait_until(predicate, within: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(within / 0.05)):
        if await predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached")


async def all_done(app: App) -> bool:
    return all(r.status != "pending" for r in await notice_rows(app))


@pytest.fixture
def settings(settings: Settings) -> Settings:
    delivery = settings.delivery.model_copy(update={"backoff_base_seconds": 0.05})
    return settings.model_copy(update={"delivery": delivery})


async def test_fan_out_reaches_every_chat_once(app: App, county: SandboxCounty,
                                               sandbox: Sandbox) -> None:
    codes = ["f-gas", "f-water", "f-police", "f-health"]
    chats = await county.bind_all(codes)
    await commit_notices(app, [hello(await unit_id(app, c), who=f"扇出{c}") for c in codes])
    await wait_until(lambda: all_done(app))
    for code in codes:
        assert sum(f"扇出{code}" in t for t in sandbox.bot_texts(chats[code])) == 1
    assert all(r.status == "sent" and r.message_ids for r in await notice_rows(app) if r.unit_id)


async def test_429_waits_and_retries_never_drops(app: App, county: SandboxCounty,
                                                 sandbox: Sandbox) -> None:
    gid = await county.bind("f-gas")
    await wait_until(lambda: all_done(app))  # the admins' binding notices are out of the way
    sandbox.faults.rate_limit_next(2, retry_after=1)
    await commit_notices(app, [hello(await unit_id(app, "f-gas"), who="限流")])
    await sandbox.wait_for(gid, "限流", timeout=15)
    await wait_until(lambda: all_done(app))
    (row,) = [r for r in await notice_rows(app) if r.unit_id]
    assert row.status == "sent" and row.attempts == 3


async def test_server_errors_back_off_then_deliver(app: App, county: SandboxCounty,
                                                   sandbox: Sandbox) -> None:
    gid = await county.bind("f-gas")
    sandbox.faults.fail_next(3, status=502, method="sendMessage")
    await commit_notices(app, [hello(await unit_id(app, "f-gas"), who="五百")])
    await sandbox.wait_for(gid, "五百", timeout=15)
    assert sum("五百" in t for t in sandbox.bot_texts(gid)) == 1


async def test_upgraded_group_gets_the_notice_and_keeps_its_binding(
    app: App, county: SandboxCounty, sandbox: Sandbox
) -> None:
    gid = await county.bind("f-gas")
    sandbox.faults.upgrade_on_next_send(gid)
    await commit_notices(app, [hello(await unit_id(app, "f-gas"), who="升级")])
    await wait_until(lambda: all_done(app))
    async with app.uow() as uow:
        unit = await uow.units.by_code("f-gas")
    assert unit is not None and unit.chat_id not in (None, gid)
    assert any("升级" in t for t in sandbox.bot_texts(unit.chat_id))
    assert not any("升级" in t for t in sandbox.bot_texts(gid))


async def test_kicked_bot_marks_unit_unbound_and_tells_admins(
    app: App, county: SandboxCounty, sandbox: Sandbox
) -> None:
    gid = await county.bind("f-gas")
    sandbox.faults.kick_on_next_send(gid)
    await commit_notices(app, [hello(await unit_id(app, "f-gas"), who="踢出")])
    await sandbox.wait_for(REGISTRY_ADMIN, "【未送达】")
    await sandbox.wait_for(REGISTRY_ADMIN, "【失联】")
    rows = [r for r in await notice_rows(app) if r.unit_id]
    assert rows[0].status == "failed" and rows[0].last_error == "kicked"
    async with app.uow() as uow:
        unit = await uow.units.by_code("f-gas")
    assert unit is not None and unit.chat_id is None


async def test_unbound_unit_is_reported_not_retried_forever(
    app: App, county: SandboxCounty, sandbox: Sandbox
) -> None:
    await sandbox.send_message(REGISTRY_ADMIN, REGISTRY_ADMIN, "/start")
    await commit_notices(app, [hello(await unit_id(app, "f-gas"), who="未绑定")])
    reply = await sandbox.wait_for(REGISTRY_ADMIN, "【未送达】", timeout=15)
    assert "没有绑定的群" in reply["text"]


async def test_long_text_is_split_not_refused(app: App, county: SandboxCounty,
                                              sandbox: Sandbox) -> None:
    gid = await county.bind("f-gas")
    long = "\n".join(f"第{i}行 " + "很长的名字" * 20 for i in range(100))
    await commit_notices(app, [hello(await unit_id(app, "f-gas"), who=long)])
    await wait_until(lambda: all_done(app))
    parts = [m for m in sandbox.transcript(gid) if m["is_bot"] and "很长的名字" in m["text"]]
    assert len(parts) >= 2 and all(len(p["text"]) <= 4096 for p in parts)
    assert "第99行" in parts[-1]["text"]


async def test_edits_of_one_message_collapse_and_not_modified_is_done(
    app: App, county: SandboxCounty, sandbox: Sandbox
) -> None:
    gid = await county.bind("f-gas")
    unit = await unit_id(app, "f-gas")
    await commit_notices(app, [hello(unit, who="看板v1", edit_key="board:1")])
    await sandbox.wait_for(gid, "看板v1")
    await commit_notices(app, [hello(unit, who=f"看板v{i}", edit_key="board:1")
                               for i in range(2, 7)])
    await sandbox.wait_for(gid, "看板v6")
    board = [m for m in sandbox.transcript(gid) if m["is_bot"] and "看板" in m["text"]]
    assert len(board) == 1 and board[0]["edits"] == 1
    await commit_notices(app, [hello(unit, who="看板v6", edit_key="board:1")])
    await wait_until(lambda: all_done(app))
    statuses = [r.status for r in await notice_rows(app) if r.edit_key]
    assert statuses.count("superseded") == 4 and statuses.count("sent") == 3


async def test_deleted_board_is_posted_again(app: App, county: SandboxCounty,
                                             sandbox: Sandbox) -> None:
    gid = await county.bind("f-gas")
    unit = await unit_id(app, "f-gas")
    await commit_notices(app, [hello(unit, who="板A", edit_key="board:2")])
    first = await sandbox.wait_for(gid, "板A")
    sandbox.chats[gid].messages[first["message_id"]].deleted = True
    await commit_notices(app, [hello(unit, who="板B", edit_key="board:2")])
    again = await sandbox.wait_for(gid, "板B")
    assert again["message_id"] != first["message_id"]


async def test_notice_stuck_too_long_is_flagged_to_admins(
    app: App, county: SandboxCounty, sandbox: Sandbox, clock: ControllableClock
) -> None:
    gid = await county.bind("f-gas")
    await wait_until(lambda: all_done(app))
    sandbox.faults.rate_limit_next(1, retry_after=1000)  # Telegram says: come back in 16 min
    await commit_notices(app, [hello(await unit_id(app, "f-gas"), who="卡住")])
    await wait_until(lambda: has_attempt(app))
    clock.advance(timedelta(minutes=6))
    flagged = await sandbox.wait_for(REGISTRY_ADMIN, "【延迟】", timeout=15)
    assert "1 条" in flagged["text"]
    assert not any("卡住" in t for t in sandbox.bot_texts(gid))
    clock.advance(timedelta(minutes=11))
    await sandbox.wait_for(gid, "卡住", timeout=15)


async def has_attempt(app: App) -> bool:
    return any(r.attempts for r in await notice_rows(app) if r.unit_id)


@pytest.fixture
async def slow_app(
    settings: Settings, sandbox: Sandbox, clock: ControllableClock, county: SandboxCounty
) -> AsyncIterator[App]:
    delivery = settings.delivery.model_copy(update={"global_per_second": 2})
    application = build_app(settings.model_copy(update={"delivery": delivery}), TOKEN, clock)
    task = await start_app(application, sandbox)
    yield application
    await stop_app(application, task)


async def test_urgent_notices_overtake_routine_ones(slow_app: App, county: SandboxCounty,
                                                    sandbox: Sandbox) -> None:
    chats = await county.bind_all(["f-gas", "f-water", "f-police", "f-health", "f-airfield"])
    routine = [hello(await unit_id(slow_app, c), who=f"例行{c}", priority=Priority.LOW)
               for c in ["f-gas", "f-water", "f-police", "f-health"]]
    urgent = hello(await unit_id(slow_app, "f-airfield"), who="紧急", priority=Priority.CRITICAL)
    await commit_notices(slow_app, routine)
    await asyncio.sleep(0.05)
    await commit_notices(slow_app, [urgent])
    await wait_until(lambda: all_done(slow_app), within=20)
    sends = sandbox.stats.sends
    urgent_at = max(sends[chats["f-airfield"]])
    routine_at = sorted(max(sends[chats[c]]) for c in ["f-gas", "f-water", "f-police",
                                                        "f-health"])
    assert urgent_at < routine_at[-1]
