"""Wording people notice: forces are counted with 支, a value nobody gave is left out rather
than shown as "—", and a duration under a minute reads "at once", not "0 minutes"."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bot.i18n import load_catalog
from core.clock import ControllableClock
from storage.tables_dispatch import PlanRow
from tests.chain import Chain

# A force (一支力量, 一支队伍) is never 个, 家, 名 or 只.
WRONG_MEASURE = re.compile(r"[个家名只座]\s*(?:应急)?(?:救援)?(?:力量|队伍|救援队)")
ZERO_MINUTES = re.compile(r"(?<![\d.])0 ?分钟")


def zh_texts() -> dict[str, str]:
    return load_catalog("zh_Hans")


def test_forces_are_counted_with_zhi() -> None:
    texts = zh_texts()
    wrong = {key: text for key, text in texts.items() if WRONG_MEASURE.search(text)}
    assert not wrong
    counted = [t for t in texts.values() if re.search(r"\{(?:count|total)\} 支力量", t)]
    assert len(counted) >= 5


def lines_of(message: dict[str, object]) -> list[str]:
    return str(message["text"]).splitlines()


async def test_a_plan_without_rendezvous_shows_no_dash(chain: Chain,
                                                       clock: ControllableClock) -> None:
    sb = chain.sb
    incident = await chain.incident("一般 城关镇 城关镇化工厂火灾")  # no type= given
    report = await sb.wait_for(chain.chat("bureau"), "【事件通报】", since=0)
    assert "类型" not in report["text"] and "—" not in report["text"]
    plan = await chain.plan(incident, forces="f-police", task="封控路口")  # no rendezvous
    card = await sb.wait_for(chain.chat("bureau"), f"调用方案 #{plan} 待审批", since=0)
    assert "—" not in card["text"] and "集结地点" not in card["text"]
    assert any(line.startswith("调度员：") for line in lines_of(card))
    await chain.approve(plan)
    order = await sb.wait_for(chain.chat("f-police"), "【出动指令】", since=0)
    assert "—" not in order["text"] and "集结地点" not in order["text"]
    assert "状态：已下达，待确认" in lines_of(order)
    board = await sb.wait_for(chain.chat("brigade"), "【调度看板】", since=0)
    assert "刚刚下达" in board["text"] and not ZERO_MINUTES.search(board["text"])
    member = chain.county.members("f-police")[0]
    await chain.press("f-police", member, "收到", "【出动指令】")
    board = await sb.wait_for(chain.chat("brigade"),
                              lambda m: "【调度看板】" in m["text"] and "已收到" in m["text"],
                              since=0)
    assert "指令后不到 1 分钟" in board["text"] and not ZERO_MINUTES.search(board["text"])
    clock.advance(timedelta(minutes=2))
    await chain.press("f-police", member, "已到达", "【出动指令】")
    await chain.settle()
    reply = await chain.say("brigade", chain.dispatcher, f"/close {incident}")
    assert "已结束" in str(reply["text"])
    summary = await sb.wait_for(chain.chat("brigade"), "【事件总结】", since=0)
    assert "随即响应" in summary["text"] and "2 分钟后到达现场" in summary["text"]
    assert not ZERO_MINUTES.search(summary["text"])


async def test_a_dash_answers_the_dialogs_rendezvous_with_none(chain: Chain) -> None:
    sb, brigade, me = chain.sb, chain.chat("brigade"), chain.dispatcher
    incident = await chain.incident()
    await sb.send_message(brigade, me, "/dispatch")
    menu = await sb.wait_for(brigade, "第 1 步")
    await sb.press_button(brigade, me, f"#{incident} 城关镇化工厂火灾",
                          message_id=menu["message_id"])
    await sb.wait_for(brigade, "第 2 步")
    await sb.press_button(brigade, me, "政府", message_id=menu["message_id"])
    await sb.wait_for(brigade, "类力量")
    await sb.press_button(brigade, me, "☐ 青川县公安局特警大队", message_id=menu["message_id"])
    await sb.wait_for(brigade, lambda m: any("完成（已选 1）" in b for row in m["buttons"]
                                             for b in row))
    await sb.press_button(brigade, me, "完成（已选 1）", message_id=menu["message_id"])
    ask = await sb.wait_for(brigade, "第 3 步")
    await sb.send_message(brigade, me, "封控路口", reply_to=ask["message_id"])
    ask = await sb.wait_for(brigade, "第 4 步")
    assert "“-”" in ask["text"]
    await sb.send_message(brigade, me, "-", reply_to=ask["message_id"])
    confirm = await sb.wait_for(brigade, "确认调用方案")
    assert "集结地点" not in confirm["text"] and not confirm["text"].rstrip().endswith("-")
    await sb.press_button(brigade, me, "提交审批", message_id=confirm["message_id"])
    card = await sb.wait_for(chain.chat("bureau"), "待审批", since=0)
    assert "集结地点" not in card["text"]
    async with chain.app.uow() as uow:
        assert await uow.session.scalar(select(PlanRow.rendezvous)) == ""
