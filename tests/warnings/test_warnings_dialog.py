"""The /warn dialog, driven as an issuer would: buttons, then two replies, then Publish."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from demo.world import SandboxCounty
from sandbox import Sandbox
from storage.tables_alerts import WarningRow

ISSUER = 400032  # 唐晓燕, meteorology


async def test_dialog_issues_a_warning(app: App, county: SandboxCounty,
                                       sandbox: Sandbox) -> None:
    chats = await county.bind_all(["brigade", "dept-meteo", "f-police", "f-water"])
    meteo = chats["dept-meteo"]
    await sandbox.send_message(meteo, ISSUER, "/warn")
    await sandbox.wait_for(meteo, "请选择灾种")
    cq = await sandbox.press_button(meteo, 400031, "暴雨")  # not the one who asked
    assert "失效" in (await sandbox.wait_callback_answer(cq))["text"]
    await sandbox.press_button(meteo, ISSUER, "暴雨")
    await sandbox.wait_for(meteo, "预警级别")
    await sandbox.press_button(meteo, ISSUER, "🔴红色")
    await sandbox.wait_for(meteo, "发给哪些力量")
    await sandbox.press_button(meteo, ISSUER, "城关镇")
    await sandbox.wait_for(meteo, "有效时长")
    await sandbox.press_button(meteo, ISSUER, "12 小时")
    ask = await sandbox.wait_for(meteo, "预警区域")
    assert ask["force_reply"]
    await sandbox.send_message(meteo, ISSUER, "城关镇沿河一带", reply_to=ask["message_id"])
    ask = await sandbox.wait_for(meteo, "预警内容")
    await sandbox.send_message(meteo, ISSUER, "今夜有特大暴雨，请立即备勤",
                               reply_to=ask["message_id"])
    preview = await sandbox.wait_for(meteo, "请核对后发布")
    assert "township:城关镇" in preview["text"] and "城关镇沿河一带" in preview["text"]
    await sandbox.press_button(meteo, ISSUER, "发布")
    await sandbox.wait_for(meteo, "已发布")
    card = await sandbox.wait_for(chats["f-police"], "今夜有特大暴雨")
    assert "区域：城关镇沿河一带" in card["text"] and "红色暴雨预警" in card["text"]
    assert not any("今夜有特大暴雨" in t for t in sandbox.bot_texts(chats["f-water"]))


async def test_dialog_can_be_cancelled(app: App, county: SandboxCounty,
                                       sandbox: Sandbox) -> None:
    chats = await county.bind_all(["dept-meteo", "f-police"])
    meteo = chats["dept-meteo"]
    await sandbox.send_message(meteo, ISSUER, "/warn")
    await sandbox.wait_for(meteo, "请选择灾种")
    await sandbox.press_button(meteo, ISSUER, "其他…")
    ask = await sandbox.wait_for(meteo, "写明灾种")
    await sandbox.send_message(meteo, ISSUER, "山洪", reply_to=ask["message_id"])
    await sandbox.wait_for(meteo, "预警级别")
    await sandbox.press_button(meteo, ISSUER, "🟡黄色")
    await sandbox.wait_for(meteo, "发给哪些力量")
    await sandbox.press_button(meteo, ISSUER, "全部力量")
    await sandbox.wait_for(meteo, "有效时长")
    await sandbox.press_button(meteo, ISSUER, "6 小时")
    ask = await sandbox.wait_for(meteo, "预警区域")
    await sandbox.send_message(meteo, ISSUER, "-", reply_to=ask["message_id"])
    ask = await sandbox.wait_for(meteo, "预警内容")
    await sandbox.send_message(meteo, ISSUER, "注意山洪", reply_to=ask["message_id"])
    assert "黄色山洪预警" in (await sandbox.wait_for(meteo, "请核对后发布"))["text"]
    cq = await sandbox.press_button(meteo, ISSUER, "取消")
    assert "未发布" in (await sandbox.wait_callback_answer(cq))["text"]
    async with app.uow() as uow:
        assert (await uow.session.scalars(select(WarningRow.id))).all() == []
    assert not any("注意山洪" in t for t in sandbox.bot_texts(chats["f-police"]))
