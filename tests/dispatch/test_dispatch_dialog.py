"""The /dispatch dialog, tapped through as a dispatcher would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from storage.tables_dispatch import IncidentRow, PlanRow
from tests.chain import PLAN_RE, Chain


def has_button(label: str) -> Callable[[dict[str, Any]], bool]:
    return lambda message: any(label in row for row in message["buttons"])


async def to_step_2(chain: Chain) -> dict[str, Any]:
    """A new incident, /dispatch, the incident picked: the menu now asks for a category."""
    sb, brigade, me = chain.sb, chain.chat("brigade"), chain.dispatcher
    incident = await chain.incident()
    await sb.send_message(brigade, me, "/dispatch")
    menu = await sb.wait_for(brigade, "第 1 步")
    await sb.press_button(brigade, me, f"#{incident} 城关镇化工厂火灾",
                          message_id=menu["message_id"])
    await sb.wait_for(brigade, "第 2 步")
    return menu


async def test_dialog_drafts_a_plan(chain: Chain) -> None:
    sb, brigade, me = chain.sb, chain.chat("brigade"), chain.dispatcher
    menu = await to_step_2(chain)
    other = chain.county.person("brigade", "commander")
    cq = await sb.press_button(brigade, other, "政府", message_id=menu["message_id"])
    assert "其他调度员" in str((await sb.wait_callback_answer(cq))["text"])
    await sb.press_button(brigade, me, "政府", message_id=menu["message_id"])
    forces = await sb.wait_for(brigade, "类力量")
    assert "✓ 青川县公安局特警大队" in forces["text"] and "✗" in forces["text"]
    assert "—" not in forces["text"] and "点名：" not in forces["text"]  # never called
    for name in ("☐ 青川县公安局特警大队", "☐ 青川县水利局防汛抢险突击队"):
        await sb.press_button(brigade, me, name, message_id=menu["message_id"])
        await sb.wait_for(brigade, has_button(name.replace("☐", "☑")))
    cq = await sb.press_button(brigade, me, "☐ 青川县交通运输局公路应急保障中队",
                               message_id=menu["message_id"])
    assert "尚未绑定" in str((await sb.wait_callback_answer(cq))["text"])
    await sb.press_button(brigade, me, "完成（已选 2）", message_id=menu["message_id"])
    ask = await sb.wait_for(brigade, "第 3 步")
    assert ask["force_reply"]
    await sb.send_message(brigade, me, "封控化工厂周边道路，转移群众", reply_to=ask["message_id"])
    ask = await sb.wait_for(brigade, "第 4 步")
    await sb.send_message(brigade, me, "城关镇政府广场", reply_to=ask["message_id"])
    confirm = await sb.wait_for(brigade, "确认调用方案")
    assert "城关镇政府广场" in confirm["text"]
    await sb.press_button(brigade, me, "提交审批", message_id=confirm["message_id"])
    await sb.wait_for(brigade, "已提交")
    card = await sb.wait_for(chain.chat("bureau"), "待审批", since=0)
    assert "城关镇政府广场" in card["text"] and "封控化工厂周边道路" in card["text"]
    async with chain.app.uow() as uow:
        row = await uow.session.scalar(select(PlanRow))
        assert row is not None
        saved = (row.rendezvous, len(row.forces), row.task)
    assert saved == ("城关镇政府广场", 2, "封控化工厂周边道路，转移群众")


async def test_dialog_shows_each_forces_last_rollcall_answer(chain: Chain) -> None:
    sb, brigade, me = chain.sb, chain.chat("brigade"), chain.dispatcher
    await sb.send_message(brigade, me, "/rollcall force:f-police,f-water")
    police = chain.chat("f-police")
    await sb.wait_for(police, "【值班点名】", since=0)
    await sb.press_button(police, chain.county.person("f-police", "duty_officer"), "在岗")
    await sb.wait_for(police, "应答在岗", since=0)
    menu = await to_step_2(chain)
    await sb.press_button(brigade, me, "政府", message_id=menu["message_id"])
    forces = (await sb.wait_for(brigade, "类力量"))["text"]
    police_line = next(line for line in forces.splitlines() if "公安局特警大队" in line)
    water_line = next(line for line in forces.splitlines() if "防汛抢险突击队" in line)
    assert "点名：2026-" in police_line  # answered: when
    assert "点名：2026-" not in water_line  # asked, silent so far


async def test_dialog_sets_a_task_per_force(chain: Chain) -> None:
    sb, brigade, me = chain.sb, chain.chat("brigade"), chain.dispatcher
    menu = await to_step_2(chain)
    await sb.press_button(brigade, me, "政府", message_id=menu["message_id"])
    for name in ("☐ 青川县公安局特警大队", "☐ 青川县水利局防汛抢险突击队"):
        await sb.wait_for(brigade, has_button(name), since=0)
        await sb.press_button(brigade, me, name, message_id=menu["message_id"])
        await sb.wait_for(brigade, has_button(name.replace("☐", "☑")))
    await sb.press_button(brigade, me, "完成（已选 2）", message_id=menu["message_id"])
    ask = await sb.wait_for(brigade, "第 3 步")
    assert "f-police：" in ask["text"]  # the example names a chosen force
    # Only one force given a task, and no line for the rest: refused, the question stays open.
    await sb.send_message(brigade, me, "f-police：封控化工厂周边道路", reply_to=ask["message_id"])
    refusal = await sb.wait_for(brigade, "还没有任务")
    assert "防汛抢险突击队" in refusal["text"]
    await sb.send_message(brigade, me, "f-police：封控化工厂周边道路\nF-Water: 架设排涝泵组",
                          reply_to=ask["message_id"])
    ask = await sb.wait_for(brigade, "第 4 步")
    await sb.send_message(brigade, me, "化工厂东门", reply_to=ask["message_id"])
    confirm = await sb.wait_for(brigade, "确认调用方案")
    assert "特警大队：封控化工厂周边道路" in confirm["text"]
    assert "突击队：架设排涝泵组" in confirm["text"]
    await sb.press_button(brigade, me, "提交审批", message_id=confirm["message_id"])
    plan = await sb.wait_for(brigade, "已提交")
    await chain.approve(int(PLAN_RE.search(plan["text"]).group(1)))  # type: ignore[union-attr]
    police = await sb.wait_for(chain.chat("f-police"), "【出动指令】", since=0)
    water = await sb.wait_for(chain.chat("f-water"), "【出动指令】", since=0)
    assert "封控化工厂周边道路" in police["text"] and "排涝" not in police["text"]
    assert "架设排涝泵组" in water["text"] and "封控" not in water["text"]


async def test_button_of_a_cancelled_dialog_is_refused(chain: Chain) -> None:
    sb, brigade, me = chain.sb, chain.chat("brigade"), chain.dispatcher
    incident = await chain.incident()
    await sb.send_message(brigade, me, "/dispatch")
    menu = await sb.wait_for(brigade, "第 1 步")
    await sb.press_button(brigade, me, "取消", message_id=menu["message_id"])
    await sb.wait_for(brigade, "已取消")
    cq = await sb.press_callback(brigade, me, menu["message_id"], f"d1:i:{incident}")
    assert "请发送 /dispatch" in str((await sb.wait_callback_answer(cq))["text"])
    async with chain.app.uow() as uow:
        assert await uow.session.scalar(select(PlanRow)) is None
    assert "第 2 步" not in sb.transcript(brigade)[-1]["text"]


async def test_dialog_opens_a_new_incident(chain: Chain) -> None:
    sb, brigade, me = chain.sb, chain.chat("brigade"), chain.dispatcher
    await sb.send_message(brigade, me, "/dispatch")  # no incident open yet
    menu = await sb.wait_for(brigade, "第 1 步")
    await sb.press_button(brigade, me, "＋ 新事件", message_id=menu["message_id"])
    ask = await sb.wait_for(brigade, "登记新事件：")
    assert ask["force_reply"]
    await sb.send_message(brigade, me, "老街着火了", reply_to=ask["message_id"])
    await sb.wait_for(brigade, "用法")  # refused with the form; the question stays open
    await sb.send_message(brigade, me, "一般 城关镇 老街民房火灾 演练", reply_to=ask["message_id"])
    opened = await sb.wait_for(brigade, "第 2 步")
    assert "已登记事件" in opened["text"]
    await sb.wait_for(chain.chat("bureau"), "老街民房火灾", since=0)  # the incident report
    await sb.press_button(brigade, me, "政府", message_id=opened["message_id"])
    name = "☐ 青川县公安局特警大队"
    await sb.wait_for(brigade, has_button(name), since=0)
    await sb.press_button(brigade, me, name, message_id=opened["message_id"])
    await sb.wait_for(brigade, has_button(name.replace("☐", "☑")))
    await sb.press_button(brigade, me, "完成（已选 1）", message_id=opened["message_id"])
    ask = await sb.wait_for(brigade, "第 3 步")
    await sb.send_message(brigade, me, "疏散老街住户", reply_to=ask["message_id"])
    ask = await sb.wait_for(brigade, "第 4 步")
    await sb.send_message(brigade, me, "老街口", reply_to=ask["message_id"])
    confirm = await sb.wait_for(brigade, "确认调用方案")
    await sb.press_button(brigade, me, "提交审批", message_id=confirm["message_id"])
    await sb.wait_for(brigade, "已提交")
    async with chain.app.uow() as uow:
        incidents = [(i.id, i.title, i.is_drill)
                     for i in await uow.session.scalars(select(IncidentRow))]
        plans = list(await uow.session.scalars(select(PlanRow.incident_id)))
    assert [i[1:] for i in incidents] == [("老街民房火灾", True)]
    assert plans == [incidents[0][0]]
