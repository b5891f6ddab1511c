"""Early warnings end to end: issue, confirm, remind, report the silent, upgrade, cancel."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from core.clock import ControllableClock
from core.warnings.model import WarningTarget
from demo.world import SandboxCounty
from sandbox import Sandbox
from storage.repos.warnings import SqlWarningRepo
from storage.tables import MessageKeyRow, NoticeRow
from storage.tables_alerts import WarningRow

FORCES = ["f-town-chengguan", "f-town-shiqiao", "f-police", "f-water"]
METEO_ISSUER = 400032  # 唐晓燕, chief forecaster


async def bind(county: SandboxCounty, codes: list[str]) -> dict[str, int]:
    await county.bind_all(["brigade", "dept-meteo", *codes])
    return county.chats


async def targets(app: App) -> dict[int, WarningTarget]:
    async with app.uow() as uow:
        wid = (await uow.session.scalars(select(WarningRow.id))).one()
        return {t.unit_id: t for t in await SqlWarningRepo(uow.session).targets(wid)}


async def recorded(app: App, chat: int, key: str) -> int:
    """Wait until the bot has recorded the message sent under ``key``, so edits find it."""
    for _ in range(200):
        async with app.uow() as uow:
            found = await uow.session.scalar(select(MessageKeyRow.message_id).where(
                MessageKeyRow.chat_id == chat, MessageKeyRow.edit_key == key))
        if found is not None:
            return int(found)
        await asyncio.sleep(0.02)
    raise AssertionError(f"no message recorded under {key} in {chat}")


async def unit_id(app: App, code: str) -> int:
    async with app.uow() as uow:
        unit = await uow.units.by_code(code)
    assert unit is not None and unit.id is not None
    return unit.id


async def test_red_warning_confirmed_reminded_and_silent_reported(
    app: App, county: SandboxCounty, sandbox: Sandbox, clock: ControllableClock
) -> None:
    chats = await bind(county, FORCES)
    await sandbox.send_message(chats["dept-meteo"], METEO_ISSUER,
                               "/warn red 暴雨 category:government 12 今夜有特大暴雨，请做好防范")
    reply = await sandbox.wait_for(chats["dept-meteo"], "已发布")
    assert "发往 4 支力量" in reply["text"] and "未能送达" in reply["text"]
    cards = {}
    for code in FORCES:
        cards[code] = card = await sandbox.wait_for(chats[code], "今夜有特大暴雨")
        assert "红色暴雨预警" in card["text"] and card["buttons"] == [["已收到"]]
    for code in ("dept-meteo", "brigade"):
        assert "0/4" in (await sandbox.wait_for(chats[code], "已确认"))["text"]

    duty = county.person("f-town-chengguan", "duty_officer")
    cq = await sandbox.press_button(chats["f-town-chengguan"], duty, "已收到")
    assert "已确认收到" in (await sandbox.wait_callback_answer(cq))["text"]
    await sandbox.wait_for(chats["f-town-chengguan"], "钱慧")  # the card shows who confirmed
    await sandbox.wait_for(chats["brigade"], lambda m: "1/4" in m["text"])
    card = cards["f-town-chengguan"]  # its button is gone now; a tap raced with the first
    again = await sandbox.press_callback(
        chats["f-town-chengguan"], county.members("f-town-chengguan")[2], card["message_id"],
        card["reply_markup"]["inline_keyboard"][0][0]["callback_data"])
    assert "已由 钱慧" in (await sandbox.wait_callback_answer(again))["text"]
    cq = await sandbox.press_button(chats["f-police"], county.person("f-police", "head"), "已收到")
    await sandbox.wait_callback_answer(cq)
    await sandbox.wait_for(chats["dept-meteo"], lambda m: "2/4" in m["text"])

    for n in (1, 2, 3):
        mark = sandbox.mark()
        clock.advance(timedelta(minutes=5, seconds=1))
        for code in ("f-town-shiqiao", "f-water"):
            await sandbox.wait_for(chats[code], f"第 {n} 次提醒", since=mark)
    report = await sandbox.wait_for(chats["brigade"], "经 3 次提醒仍未确认")
    assert "石桥镇" in report["text"] and "水利" in report["text"]
    assert "城关镇" not in report["text"] and "公安" not in report["text"]
    clock.advance(timedelta(minutes=5, seconds=1))
    async with app.sweep.running:  # a whole sweep at this time, after any under way
        await app.sweep._steps()
    assert not any("第 4 次提醒" in t for t in sandbox.bot_texts(chats["f-water"]))
    mark = sandbox.mark()
    clock.advance(timedelta(minutes=55))  # once told, the brigade's silent get hourly reminders
    await sandbox.wait_for(chats["f-water"], "第 4 次提醒", since=mark)
    await sandbox.wait_delivered()
    async with app.uow() as uow:
        reports = (await uow.session.scalars(
            select(NoticeRow.id).where(NoticeRow.template == "warnings.silent_report"))).all()
    assert len(reports) == 1  # told once
    for code in ("f-town-chengguan", "f-police"):
        assert not any("提醒" in t for t in sandbox.bot_texts(chats[code]))

    await sandbox.send_message(chats["brigade"], county.person("brigade", "head"), "/warnings")
    table = (await sandbox.wait_for(chats["brigade"], "预警确认记录"))["text"]
    assert table.count("收到 1，确认 1（100%）") == 2 and table.count("收到 1，确认 0（0%）") == 2
    # The issuing department oversees no force, yet sees how its own warning was confirmed.
    await sandbox.send_message(chats["dept-meteo"], METEO_ISSUER, "/warnings")
    issued = (await sandbox.wait_for(chats["dept-meteo"], "本单位发布的预警"))["text"]
    assert issued.count("收到 1，确认 1（100%）") == 2
    assert issued.count("收到 1，确认 0（0%）") == 2
    assert "预警确认记录" not in issued
    await sandbox.send_message(chats["dept-meteo"], METEO_ISSUER, "/warnings f-water")
    one = (await sandbox.wait_for(chats["dept-meteo"], "本单位发布的预警"))["text"]
    assert "水利" in one and one.count("收到 1") == 1
    rows = await targets(app)
    chengguan = rows[await unit_id(app, "f-town-chengguan")]
    assert chengguan.confirmed_by == duty and chengguan.confirmed_at is not None
    assert rows[await unit_id(app, "f-water")].reminders == 4


async def test_upgrade_and_cancel_refer_to_the_original(
    app: App, county: SandboxCounty, sandbox: Sandbox, clock: ControllableClock
) -> None:
    chats = await bind(county, ["f-town-chengguan", "f-police", "f-water"])
    meteo = chats["dept-meteo"]
    await sandbox.send_message(meteo, METEO_ISSUER, "/warn 黄 大风 township:城关镇 6 午后阵风8级")
    await sandbox.wait_for(meteo, "发往 2 支力量")
    await sandbox.wait_for(chats["f-police"], "午后阵风8级")
    async with app.uow() as uow:
        wid = (await uow.session.scalars(select(WarningRow.id))).one()

    brigade_issuer = county.person("brigade", "warning_issuer")
    await sandbox.send_message(chats["brigade"], brigade_issuer, f"/warn_upgrade {wid} red")
    await sandbox.wait_for(chats["brigade"], "只能由发布单位")
    await sandbox.send_message(meteo, METEO_ISSUER, f"/warn_upgrade {wid} blue")
    await sandbox.wait_for(meteo, "升级须提高级别")
    await sandbox.send_message(meteo, METEO_ISSUER, f"/warn_upgrade {wid} 橙")
    await sandbox.wait_for(meteo, "已升级为橙色")
    for code in ("f-town-chengguan", "f-police"):
        upgraded = await sandbox.wait_for(chats[code], f"升级：预警 #{wid}")
        assert "由黄色升级为橙色" in upgraded["text"] and upgraded["buttons"] == [["已收到"]]
    assert not any(f"#{wid}" in t for t in sandbox.bot_texts(chats["f-water"]))
    mark = sandbox.mark()
    clock.advance(timedelta(minutes=10, seconds=1))  # orange: every 10 minutes, fresh cycle
    await sandbox.wait_for(chats["f-police"], "第 1 次提醒", since=mark)

    await sandbox.send_message(meteo, METEO_ISSUER, f"/warn_cancel {wid}")
    await sandbox.wait_for(meteo, f"预警 #{wid} 已解除")
    cancelled = await sandbox.wait_for(chats["f-police"], f"解除：预警 #{wid}")
    assert "无需再确认" in cancelled["text"]
    await sandbox.wait_for(chats["brigade"],
                           lambda m: "已解除" in m["text"] and "0/2" in m["text"])
    cq = await sandbox.press_button(chats["f-police"], county.person("f-police", "head"), "已收到")
    assert "已解除或已过期" in (await sandbox.wait_callback_answer(cq))["text"]
    mark = sandbox.mark()
    clock.advance(timedelta(minutes=30))
    await sandbox.wait_delivered()
    await sandbox.send_message(meteo, METEO_ISSUER, f"/warn_cancel {wid}")
    await sandbox.wait_for(meteo, "已解除或已过期")
    assert not any("第 2 次提醒" in t for t in sandbox.bot_texts(chats["f-police"]))
    assert all(r.confirmed_at is None and r.next_reminder_at is None
               for r in (await targets(app)).values())


async def test_expired_warning_stops_reminding(
    app: App, county: SandboxCounty, sandbox: Sandbox, clock: ControllableClock
) -> None:
    chats = await bind(county, ["f-water"])
    await sandbox.send_message(chats["dept-meteo"], METEO_ISSUER,
                               "/warn red 洪水 force:f-water 1 河道水位上涨")
    card = await sandbox.wait_for(chats["f-water"], "河道水位上涨")
    data = card["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    water = await unit_id(app, "f-water")
    message_id = await recorded(app, chats["f-water"], f"warning:1:f:{water}")
    mark = sandbox.mark()
    clock.advance(timedelta(minutes=61))  # past its hour of validity
    board = await sandbox.wait_for(chats["brigade"], "已过有效期", since=mark)
    assert "0/1" in board["text"]
    edited = await sandbox.wait_for(chats["f-water"], "已过有效期", since=mark)
    assert edited["message_id"] == message_id and edited["buttons"] == []
    cq = await sandbox.press_callback(chats["f-water"], county.person("f-water", "head"),
                                      card["message_id"], data)
    assert "已解除或已过期" in (await sandbox.wait_callback_answer(cq))["text"]
    clock.advance(timedelta(minutes=20))
    await sandbox.send_message(chats["f-water"], county.person("f-water", "head"), "/warnings")
    record = await sandbox.wait_for(chats["f-water"], "预警确认记录")
    assert "收到 1，确认 0" in record["text"]
    assert not any("提醒" in t for t in sandbox.bot_texts(chats["f-water"]))


async def test_issuer_board_buttons_raise_and_cancel(
    app: App, county: SandboxCounty, sandbox: Sandbox
) -> None:
    chats = await bind(county, ["f-police"])
    meteo = chats["dept-meteo"]
    await sandbox.send_message(meteo, METEO_ISSUER, "/warn blue 大风 force:f-police 24 阵风7级")
    board = await sandbox.wait_for(meteo, "预警确认看板")
    assert board["buttons"] == [["升级一级", "解除"]]
    brigade_board = await sandbox.wait_for(chats["brigade"], "预警确认看板")
    assert brigade_board["buttons"] == []
    data = board["reply_markup"]["inline_keyboard"][0][1]["callback_data"]
    forged = await sandbox.press_callback(chats["brigade"], county.person("brigade",
                                          "warning_issuer"), brigade_board["message_id"], data)
    assert "只能由发布单位" in (await sandbox.wait_callback_answer(forged))["text"]
    cq = await sandbox.press_button(meteo, 400031, "升级一级")  # 宋明辉, same department
    assert "黄色" in (await sandbox.wait_callback_answer(cq))["text"]
    upgraded = await sandbox.wait_for(chats["f-police"], "升级：预警")
    assert "由蓝色升级为黄色" in upgraded["text"]
    await sandbox.wait_for(meteo, lambda m: "黄色大风预警" in m["text"] and "看板" in m["text"])
    cq = await sandbox.press_button(meteo, METEO_ISSUER, "解除")
    assert "已解除" in (await sandbox.wait_callback_answer(cq))["text"]
    await sandbox.wait_for(chats["f-police"], "解除：预警")
    final = await sandbox.wait_for(meteo, lambda m: "看板" in m["text"] and "已解除" in m["text"])
    assert final["buttons"] == []
