"""The dispatch chain end to end, as the people would do it, through the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from core.clock import ControllableClock
from storage.tables import AuditRow
from storage.tables_dispatch import OrderRow, PlanRow
from tests.chain import FORCES, Chain


def arrived(count: int) -> Callable[[dict[str, Any]], bool]:
    def match(message: dict[str, Any]) -> bool:
        return "【调度看板】" in message["text"] and message["text"].count("已到达") == count

    return match


async def test_plan_approved_and_every_force_answers(chain: Chain) -> None:
    sb = chain.sb
    incident = await chain.incident()
    await sb.wait_for(chain.chat("bureau"), "【事件通报】", since=0)
    plan = await chain.plan(incident)
    await chain.approve(plan)
    for code in FORCES:
        order = await sb.wait_for(chain.chat(code), "【出动指令】", since=0)
        assert order["buttons"] == [["收到", "已出发"], ["已到达", "无法出动"]]
    await sb.wait_for(chain.chat("dept-water"), "【报备】", since=0)
    await sb.wait_for(chain.chat("bureau"), "已批准", since=0)
    for i, code in enumerate(FORCES):
        member = chain.county.members(code)[-1]
        answer = await chain.press(code, member, "收到", "【出动指令】")
        assert "已收到" in str(answer["text"])
        await chain.press(code, member, "已到达", "【出动指令】")
        board = await sb.wait_for(chain.chat("brigade"), arrived(i + 1), since=0)
    assert "已等待" not in board["text"]
    final = await sb.wait_for(chain.chat("bureau"), arrived(3), since=0)
    assert final["edits"] >= 1
    async with chain.app.uow() as uow:
        rows = [(r.status, r.received_at, r.on_scene_at, r.answered_by)
                for r in await uow.session.scalars(select(OrderRow).order_by(OrderRow.id))]
        actions = (await uow.session.scalars(select(AuditRow.action))).all()
    assert {status for status, *_ in rows} == {"on_scene"}
    assert all(received and on_scene for _, received, on_scene, _ in rows)
    answered = [by["received"][0] for *_, by in rows]
    assert answered == [chain.county.members(code)[-1] for code in FORCES]
    assert actions.count("order.on_scene") == 3 and "plan.approved" in actions


async def test_non_approver_gets_a_toast_and_nothing_changes(chain: Chain) -> None:
    plan = await chain.plan(await chain.incident())
    await chain.sb.wait_for(chain.chat("bureau"), "待审批", since=0)
    deputy = chain.county.person("bureau", "member")
    answer = await chain.press("bureau", deputy, "批准", f"#{plan} ")
    assert answer["show_alert"] and "审批人" in str(answer["text"])
    async with chain.app.uow() as uow:
        status = await uow.session.scalar(select(PlanRow.status).where(PlanRow.id == plan))
        orders = await uow.session.scalar(select(func.count()).select_from(OrderRow))
    assert status == "awaiting_approval" and orders == 0


async def test_rejection_asks_a_reason_and_tells_the_dispatcher(chain: Chain) -> None:
    sb = chain.sb
    plan = await chain.plan(await chain.incident())
    first = await sb.wait_for(chain.chat("bureau"), "待审批", since=0)
    await chain.press("bureau", chain.approver, "驳回", f"#{plan} ")
    question = await sb.wait_for(chain.chat("bureau"), "驳回理由")
    assert question["force_reply"]
    other = chain.second_approver
    await sb.send_message(chain.chat("bureau"), other, "不是我被问的",
                          reply_to=question["message_id"])
    await sb.send_message(chain.chat("bureau"), chain.approver, "力量配置不足，请补充医疗力量",
                          reply_to=question["message_id"])
    told = await sb.wait_for(chain.chat("brigade"), "【方案驳回】")
    assert "补充医疗力量" in told["text"] and "不是我被问的" not in told["text"]
    card = await sb.wait_for(chain.chat("bureau"), "已驳回", since=0)
    assert card["buttons"] == []
    approve = next(b["callback_data"] for row in first["reply_markup"]["inline_keyboard"]
                   for b in row if b["text"] == "批准")
    cq = await sb.press_callback(chain.chat("bureau"), chain.approver, card["message_id"],
                                 approve)
    assert "已驳回" in str((await sb.wait_callback_answer(cq))["text"])
    async with chain.app.uow() as uow:
        row = await uow.session.scalar(select(PlanRow).where(PlanRow.id == plan))
        assert row is not None
        decided = (row.status, row.reason, row.decided_by)
        orders = await uow.session.scalar(select(func.count()).select_from(OrderRow))
    assert decided == ("rejected", "力量配置不足，请补充医疗力量", chain.approver)
    assert orders == 0


async def test_second_tap_says_who_decided(chain: Chain) -> None:
    sb = chain.sb
    plan = await chain.plan(await chain.incident())
    card = await sb.wait_for(chain.chat("bureau"), "待审批", since=0)
    await chain.approve(plan)
    data = next(b["callback_data"] for row in card["reply_markup"]["inline_keyboard"]
                for b in row if b["text"] == "批准")
    other = chain.second_approver
    cq = await sb.press_callback(chain.chat("bureau"), other, card["message_id"], data)
    answer = await sb.wait_callback_answer(cq)
    assert "王建国" in str(answer["text"])
    assert "不能重复决定" in str(answer["text"])
    async with chain.app.uow() as uow:
        orders = await uow.session.scalar(select(func.count()).select_from(OrderRow))
    assert orders == len(FORCES)


async def test_special_period_department_refuses(chain: Chain) -> None:
    sb = chain.sb
    await chain.say("bureau", chain.approver, "/period 48 主汛期应急响应")
    await sb.wait_for(chain.chat("brigade"), "【特殊时期】")
    plan = await chain.plan(await chain.incident())
    await chain.approve(plan)
    ask = await sb.wait_for(chain.chat("dept-water"), "征求同意", since=0)
    assert ask["buttons"] == [["同意", "不同意"]]
    assert not any("【出动指令】" in m["text"] for m in sb.transcript(chain.chat("f-water")))
    await chain.press("dept-police", chain.county.person("dept-police", "approver"), "同意",
                      "征求同意")
    head = chain.county.person("dept-water", "head")
    await chain.press("dept-water", head, "不同意", "征求同意")
    question = await sb.wait_for(chain.chat("dept-water"), "不同意的理由")
    await sb.send_message(chain.chat("dept-water"), head, "突击队正在水库值守",
                          reply_to=question["message_id"])
    back = await sb.wait_for(chain.chat("brigade"), "【方案退回】")
    assert "突击队正在水库值守" in back["text"] and "青川县水利局" in back["text"]
    assert back["mentions"]
    await chain.settle()
    for code in FORCES:
        assert not any("【出动指令】" in m["text"] for m in sb.transcript(chain.chat(code)))
    async with chain.app.uow() as uow:
        status = await uow.session.scalar(select(PlanRow.status).where(PlanRow.id == plan))
    assert status == "returned"


async def test_flood_season_all_agree_then_orders(chain: Chain, clock: ControllableClock
                                                  ) -> None:
    clock.set(datetime(2026, 7, 15, 2, 0, tzinfo=UTC))
    sb = chain.sb
    plan = await chain.plan(await chain.incident(), forces="f-water,f-health")
    await chain.approve(plan)
    for dept in ("dept-water", "dept-health"):
        await sb.wait_for(chain.chat(dept), "征求同意", since=0)
        await chain.press(dept, chain.county.person(dept, "approver"), "同意", "征求同意")
    for code in ("f-water", "f-health"):
        await sb.wait_for(chain.chat(code), "【出动指令】", since=0)
    await sb.wait_for(chain.chat("dept-water"), "【报备】", since=0)


async def test_two_simultaneous_taps_one_decision(chain: Chain) -> None:
    sb = chain.sb
    plan = await chain.plan(await chain.incident())
    card = await sb.wait_for(chain.chat("bureau"), "待审批", since=0)
    taps = [await sb.press_button(chain.chat("bureau"), who, label,
                                  message_id=card["message_id"])
            for who, label in ((chain.approver, "批准"), (chain.second_approver, "批准"))]
    answers = [str((await sb.wait_callback_answer(cq))["text"]) for cq in taps]
    assert sum("已批准方案" in a for a in answers) == 1
    assert sum("不能重复决定" in a for a in answers) == 1
    async with chain.app.uow() as uow:
        orders = await uow.session.scalar(select(func.count()).select_from(OrderRow))
        actions = (await uow.session.scalars(select(AuditRow.action))).all()
    assert orders == len(FORCES) and actions.count("plan.approved") == 1
    assert plan == 1
