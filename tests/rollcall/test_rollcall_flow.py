"""Duty roll-calls end to end: scheduled and ad hoc, on time / late / missing, downtime."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.app import App, build_app
from bot.settings import Settings
from core.clock import ControllableClock
from demo.world import SandboxCounty
from sandbox import Sandbox
from storage.tables import NoticeRow
from storage.tables_alerts import RollCallAnswerRow, RollCallRow
from tests.conftest import TOKEN, start_app, stop_app

FORCES = ["f-town-chengguan", "f-police", "f-water"]
DEC_SLOT = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 1 Dec 09:00 in Asia/Shanghai


async def rollcalls(app: App) -> int:
    async with app.uow() as uow:
        return int(await uow.session.scalar(select(func.count(RollCallRow.id))) or 0)


async def call_notices(app: App) -> list[int]:
    """The unit each roll-call card notice went to."""
    async with app.uow() as uow:
        units = (await uow.session.scalars(
            select(NoticeRow.unit_id).where(NoticeRow.template == "rollcall.call"))).all()
    return [u for u in units if u is not None]


def calls(sandbox: Sandbox, chat: int) -> list[str]:
    return [t for t in sandbox.bot_texts(chat) if "【值班点名】" in t]


async def test_scheduled_rollcall_on_time_late_missing(
    app: App, county: SandboxCounty, sandbox: Sandbox, clock: ControllableClock
) -> None:
    chats = await county.bind_all(["brigade", *FORCES])
    clock.set(DEC_SLOT + timedelta(seconds=30))
    for code in FORCES:
        card = await sandbox.wait_for(chats[code], "【值班点名】", since=0)
        assert "10 分钟内" in card["text"] and card["buttons"] == [["在岗"]]
    await sandbox.wait_for(chats["brigade"], "【定时点名】", since=0)

    duty = county.person("f-town-chengguan", "duty_officer")
    cq = await sandbox.press_button(chats["f-town-chengguan"], duty, "在岗")
    assert "按时" in (await sandbox.wait_callback_answer(cq))["text"]
    await sandbox.wait_for(chats["f-town-chengguan"], "钱慧 于")
    mark = sandbox.mark()
    clock.advance(timedelta(minutes=10))
    summary = await sandbox.wait_for(chats["brigade"], "【点名结果】", since=mark)
    assert "按时 1，迟到 0，未应答 2" in summary["text"] and "钱慧" in summary["text"]
    for code in ("f-police", "f-water"):
        called = await sandbox.wait_for(chats[code], "【点名未应答】", since=mark)
        assert county.person(code, "head") in called["mentions"]
    cq = await sandbox.press_button(chats["f-police"], county.person("f-police", "duty_officer"),
                                    "在岗")
    assert "迟到" in (await sandbox.wait_callback_answer(cq))["text"]
    edited = await sandbox.wait_for(chats["brigade"], lambda m: "迟到 1" in m["text"])
    assert "按时 1，迟到 1，未应答 1" in edited["text"] and "杨帆" in edited["text"]
    again = await sandbox.press_button(chats["f-water"], county.person("f-water", "head"), "在岗")
    await sandbox.wait_callback_answer(again)
    async with app.uow() as uow:
        rows = (await uow.session.execute(
            select(RollCallAnswerRow.on_time, RollCallAnswerRow.answered_by))).all()
    assert sorted(r.on_time for r in rows) == [False, False, True]
    assert await rollcalls(app) == 1

    await sandbox.send_message(chats["brigade"], county.person("brigade", "dispatcher"), "/duty")
    table = await sandbox.wait_for(chats["brigade"], "值班点名记录")
    assert table["text"].count("点名 1，") == 3 and "按时 1（100%）" in table["text"]
    brigade_head = county.person("brigade", "head")
    await sandbox.send_message(chats["brigade"], brigade_head, "/duty f-police")
    one = await sandbox.wait_for(chats["brigade"], "值班点名记录")
    assert "公安" in one["text"] and "迟到 1" in one["text"] and "城关镇" not in one["text"]
    await sandbox.send_message(chats["f-water"], county.person("f-water", "head"), "/duty")
    own = await sandbox.wait_for(chats["f-water"], "值班点名记录")
    assert "按时 0（0%），迟到 1" in own["text"] and "公安" not in own["text"]


async def test_adhoc_rollcall_by_scope(
    app: App, county: SandboxCounty, sandbox: Sandbox, clock: ControllableClock
) -> None:
    chats = await county.bind_all(["brigade", *FORCES])
    await sandbox.send_message(chats["brigade"], county.person("brigade", "commander"),
                               "/rollcall township:城关镇")
    reply = await sandbox.wait_for(chats["brigade"], "【临时点名】")
    assert "2 支力量" in reply["text"]
    await sandbox.wait_for(chats["f-police"], "【值班点名】")
    await sandbox.wait_for(chats["f-town-chengguan"], "【值班点名】")
    assert calls(sandbox, chats["f-water"]) == []


async def test_rollcall_due_during_downtime_runs_once_at_start(
    settings: Settings, county: SandboxCounty, sandbox: Sandbox, clock: ControllableClock
) -> None:
    first = build_app(settings, TOKEN, clock)
    task = await start_app(first, sandbox)
    chats = await county.bind_all(["brigade", *FORCES])
    await stop_app(first, task)
    clock.set(DEC_SLOT + timedelta(minutes=30))  # the slot passed while the bot was down
    for _ in range(2):
        again = build_app(settings, TOKEN, clock)
        task = await start_app(again, sandbox)
        for code in FORCES:
            await sandbox.wait_for(chats[code], "【值班点名】", since=0)
        await asyncio.sleep(0.5)  # several sweeps
        count, cards = await rollcalls(again), await call_notices(again)
        await stop_app(again, task)
        assert count == 1
        assert sorted(cards) == sorted(set(cards)) and len(cards) == len(FORCES)
        assert all(len(calls(sandbox, chats[code])) == 1 for code in FORCES)


async def test_slot_older_than_grace_is_not_run(
    settings: Settings, county: SandboxCounty, sandbox: Sandbox, clock: ControllableClock
) -> None:
    clock.set(DEC_SLOT + timedelta(hours=3))
    app = build_app(settings, TOKEN, clock)
    task = await start_app(app, sandbox)
    try:
        chats = await county.bind_all(["brigade", "f-police"])
        await asyncio.sleep(0.5)
        assert await rollcalls(app) == 0
        assert calls(sandbox, chats["f-police"]) == []
    finally:
        await stop_app(app, task)


async def test_sensitive_period_makes_rollcalls_daily(
    app: App, county: SandboxCounty, sandbox: Sandbox, clock: ControllableClock
) -> None:
    chats = await county.bind_all(["brigade", "f-police"])
    dispatcher = county.person("brigade", "dispatcher")
    await sandbox.send_message(chats["brigade"], dispatcher, "/sensitive 3")
    await sandbox.wait_for(chats["brigade"], "每日一次")
    await sandbox.wait_for(chats["f-police"], "【值班点名】#1")  # today's 09:00 is within grace
    clock.set(datetime(2026, 11, 3, 1, 0, 30, tzinfo=UTC))
    await sandbox.wait_for(chats["f-police"], "【值班点名】#2", since=0)
    await sandbox.send_message(chats["brigade"], dispatcher, "/sensitive 0")
    await sandbox.wait_for(chats["brigade"], "敏感时期已结束")
    clock.set(datetime(2026, 11, 4, 1, 0, 30, tzinfo=UTC))
    await asyncio.sleep(0.5)  # several sweeps
    assert await rollcalls(app) == 2


async def test_bureau_special_period_makes_rollcalls_daily(
    app: App, county: SandboxCounty, sandbox: Sandbox
) -> None:
    chats = await county.bind_all(["bureau", "brigade", "f-police"])
    await sandbox.send_message(chats["bureau"], county.person("bureau", "approver"),
                               "/period 48 防汛应急响应")
    await sandbox.wait_for(chats["f-police"], "【值班点名】#1", since=0)
