"""Input at the edge: odd numbers, forged buttons, taps on old messages, out-of-step dialog taps.

Each is refused with a clear answer in the chat's language (or, for a tap on an old message,
simply works), and the bot's log shows no traceback.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from storage.tables_alerts import WarningRow, WarningTargetRow
from storage.tables_dispatch import PeriodRow, PlanRow
from tests.chain import Chain

METEO_ISSUER = 400032  # 唐晓燕, meteorology


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not bad, bad


async def count(chain: Chain, table: type) -> int:
    async with chain.app.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(table)) or 0)


async def test_numbers_are_read_as_ascii_digits_within_range(
    chain: Chain, caplog: pytest.LogCaptureFixture
) -> None:
    await chain.county.bind("dept-meteo")
    incident = await chain.incident()
    await chain.plan(incident)
    me, approver = chain.dispatcher, chain.approver
    huge = "99999999999999999999"
    for code, who, line, expected in (
        ("brigade", me, "/standdown ²", "用法：/standdown"),
        ("brigade", me, "/withdraw ³", "用法：/withdraw"),
        ("brigade", me, f"/withdraw {huge}", f"没有编号为 {huge} 的方案"),
        ("brigade", me, f"/standdown #{huge} f-police", f"没有编号为 {huge} 的方案"),
        ("brigade", me, f"/log {huge}", f"没有编号为 {huge} 的事件"),
        ("brigade", me, "/close ²", "没有编号为 ² 的事件"),
        ("brigade", me, f"/dispatch {huge} f-police 前往", f"没有编号为 {huge} 的事件"),
        ("brigade", me, "/sensitive ²", "请填 0–366 之间的整数"),
        ("brigade", me, "/sensitive 367", "请填 0–366 之间的整数"),
        ("bureau", approver, "/period 99999999999 防汛特别时期", "请填 1–8784 之间的整数"),
        ("bureau", approver, "/period -3 防汛特别时期", "请填 1–8784 之间的整数"),
        ("bureau", approver, f"/reinforce {huge} 需要冲锋舟", f"没有编号为 {huge} 的事件"),
        ("dept-meteo", METEO_ISSUER, "/warn blue 暴雨 all 1e-9 注意防范", "有效时长“1e-9”无效"),
        ("dept-meteo", METEO_ISSUER, "/warn blue 暴雨 all 1.5 注意防范", "有效时长“1.5”无效"),
        ("dept-meteo", METEO_ISSUER, "/warn blue 暴雨 all 169 注意防范", "有效时长“169”无效"),
        ("dept-meteo", METEO_ISSUER, f"/warn_cancel {huge}", f"没有编号为 #{huge} 的预警"),
        ("dept-meteo", METEO_ISSUER, "/warn_upgrade ³ red", "用法：/warn_upgrade"),
    ):
        reply = await chain.say(code, who, line)
        assert expected in str(reply["text"]), (line, reply["text"])
    assert await count(chain, WarningRow) == 0
    assert await count(chain, PeriodRow) == 0
    assert await count(chain, PlanRow) == 1
    reply = await chain.say("dept-meteo", METEO_ISSUER, "/warn blue 暴雨 all 12小时 注意防范")
    assert "已发布" in str(reply["text"])  # whole hours with a unit still read
    no_tracebacks(caplog)


async def test_forged_refs_get_the_stale_answer(
    chain: Chain, caplog: pytest.LogCaptureFixture
) -> None:
    plan = await chain.plan(await chain.incident())
    bureau = chain.chat("bureau")
    card = await chain.sb.wait_for(bureau, f"调用方案 #{plan} 待审批", since=0)
    for data in ("v1:pa:99999999999999999999", "v1:pa:²", "v1:pa:-1", "v1:pa:0", "v1:wc:1_0"):
        cq = await chain.sb.press_callback(bureau, chain.approver, card["message_id"], data)
        answer = await chain.sb.wait_callback_answer(cq)
        assert "此按钮已失效" in str(answer["text"]), data
    async with chain.app.uow() as uow:
        assert await uow.session.scalar(select(PlanRow.status)) == "awaiting_approval"
    no_tracebacks(caplog)


async def test_a_tap_on_an_old_message_still_confirms_the_warning(
    chain: Chain, caplog: pytest.LogCaptureFixture
) -> None:
    await chain.county.bind("dept-meteo")
    await chain.say("dept-meteo", METEO_ISSUER, "/warn red 暴雨 force:f-police 168 特大暴雨")
    police = chain.chat("f-police")
    card = await chain.sb.wait_for(police, "特大暴雨", since=0)
    # Telegram shows the bot an old message as inaccessible: chat and id only, date 0.
    chain.sb.make_inaccessible(police, card["message_id"])
    duty = chain.county.person("f-police", "duty_officer")
    cq = await chain.sb.press_button(police, duty, "已收到", message_id=card["message_id"])
    assert "已确认收到" in str((await chain.sb.wait_callback_answer(cq))["text"])
    async with chain.app.uow() as uow:
        assert await uow.session.scalar(select(WarningTargetRow.confirmed_by)) == duty
    no_tracebacks(caplog)


async def test_dispatch_dialog_refuses_taps_it_did_not_offer(
    chain: Chain, caplog: pytest.LogCaptureFixture
) -> None:
    sb, brigade, me = chain.sb, chain.chat("brigade"), chain.dispatcher
    incident = await chain.incident()
    await sb.send_message(brigade, me, "/dispatch")
    menu = await sb.wait_for(brigade, "第 1 步")

    async def tap(data: str) -> str:
        cq = await sb.press_callback(brigade, me, menu["message_id"], data)
        return str((await sb.wait_callback_answer(cq))["text"])

    # Step 1 offers incidents, "new" and "cancel": nothing else, and only open incidents.
    for data in ("d1:c:99", "d1:c:0", "d1:s:0", "d1:d:0", "d1:f:1", "d1:i:99", "d1:i:0"):
        assert "此按钮现在无效" in await tap(data), data
    assert "此按钮已失效" in await tap("d1:i:99999999999999999999")
    await tap(f"d1:i:{incident}")
    await sb.wait_for(brigade, "第 2 步")
    for data in ("d1:c:99", "d1:s:0", "d1:f:1", "d1:i:1", "d1:n:0"):
        assert "此按钮现在无效" in await tap(data), data
    # Nothing changed: the dialog goes on from where it was.
    await sb.press_button(brigade, me, "政府", message_id=menu["message_id"])
    forces = await sb.wait_for(brigade, "类力量")
    assert any("完成（已选 0）" in row for row in forces["buttons"])
    assert "此按钮现在无效" in await tap("d1:f:2147483647")  # not a force the list showed
    no_tracebacks(caplog)


async def test_warning_dialog_refuses_values_it_did_not_offer(
    chain: Chain, caplog: pytest.LogCaptureFixture
) -> None:
    sb = chain.sb
    meteo = await chain.county.bind("dept-meteo")
    await sb.send_message(meteo, METEO_ISSUER, "/warn")
    menu = await sb.wait_for(meteo, "请选择灾种")

    async def tap(data: str) -> str:
        cq = await sb.press_callback(meteo, METEO_ISSUER, menu["message_id"], data)
        return str((await sb.wait_callback_answer(cq))["text"])

    assert "此按钮现在无效" in await tap("wd1:hz:" + "x" * 40)
    assert "此按钮已失效" in await tap("wd1:hr:12")  # a later step's button
    await sb.press_button(meteo, METEO_ISSUER, "暴雨")
    await sb.wait_for(meteo, "预警级别")
    assert "此按钮现在无效" in await tap("wd1:lv:purple")
    await sb.press_button(meteo, METEO_ISSUER, "🔵蓝色")
    await sb.wait_for(meteo, "发给哪些力量")
    assert "此按钮现在无效" in await tap("wd1:tg:township.nowhere")
    await sb.press_button(meteo, METEO_ISSUER, "全部力量")
    await sb.wait_for(meteo, "有效时长")
    for data in ("wd1:hr:1e-9", "wd1:hr:0", "wd1:hr:99999999999"):
        assert "此按钮现在无效" in await tap(data), data
    await sb.press_button(meteo, METEO_ISSUER, "6 小时")
    await sb.wait_for(meteo, "预警区域")
    no_tracebacks(caplog)
