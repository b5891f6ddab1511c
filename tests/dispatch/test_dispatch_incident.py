"""Unable with a reason, the drill marker, stand-down, close with its summary, /log, the HQ,
and cross-region reinforcement."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.tables_dispatch import IncidentRow, OrderRow, ReinforcementRow
from tests.chain import Chain


async def test_drill_unable_close_and_log(chain: Chain) -> None:
    sb = chain.sb
    incident = await chain.incident("一般 河口镇 危化品车辆侧翻 演练")
    report = await sb.wait_for(chain.chat("bureau"), "【事件通报】", since=0)
    assert report["text"].startswith("【演练】")
    plan = await chain.plan(incident, forces="f-police,f-water")
    await chain.approve(plan)
    order = await sb.wait_for(chain.chat("f-water"), "【出动指令】", since=0)
    assert order["text"].startswith("【演练】")
    member = chain.county.members("f-water")[-1]
    await chain.press("f-water", member, "无法出动", "【出动指令】")
    question = await sb.wait_for(chain.chat("f-water"), "无法出动的原因")
    assert question["force_reply"] and member in question["mentions"]
    await sb.send_message(chain.chat("f-water"), member, "冲锋舟送修",
                          reply_to=question["message_id"])
    await sb.wait_for(chain.chat("brigade"), lambda m: "冲锋舟送修" in m["text"]
                      and "【调度看板】" in m["text"], since=0)
    await chain.press("f-police", chain.county.members("f-police")[0], "已出发", "【出动指令】")
    await chain.press("f-police", chain.county.members("f-police")[0], "已到达", "【出动指令】")
    await chain.settle()
    reply = await chain.say("brigade", chain.dispatcher, f"/close {incident}")
    assert "已结束" in str(reply["text"])
    for code in ("bureau", "brigade", "gov"):
        summary = await sb.wait_for(chain.chat(code), "【事件总结】", since=0)
        assert summary["text"].startswith("【演练】")
        assert "无法出动（冲锋舟送修）" in summary["text"]
        assert "随即到达现场" in summary["text"]  # the clock stood still: not "0 分钟后"
    log = await chain.say("brigade", chain.dispatcher, f"/log {incident}")
    text = str(log["text"])
    for step in ("登记事件", "提交调用方案", "批准方案", "下达指令", "无法出动", "已到达",
                 "结束事件"):
        assert step in text, step
    async with chain.app.uow() as uow:
        drill = await uow.session.scalar(select(IncidentRow.is_drill))
        unable = await uow.session.scalar(select(OrderRow).where(OrderRow.status == "unable"))
        assert unable is not None
        who = (unable.reason, unable.answered_by["unable"][0])
    assert drill is True and who == ("冲锋舟送修", member)
    again = await chain.say("brigade", chain.dispatcher, f"/dispatch {incident} f-police 再去")
    assert "已于" in str(again["text"])


async def test_hq_commands_larger_incidents(chain: Chain) -> None:
    sb = chain.sb
    await chain.county.bind("detachment")
    incident = await chain.incident("较大 石桥镇 山体滑坡")
    reply = await chain.say("bureau", chain.approver, f"/hq {incident} detachment")
    assert "现场指挥部" in str(reply["text"])
    await sb.wait_for(chain.chat("detachment"), "【现场指挥部】", since=0)
    plan = await chain.plan(incident, forces="f-police")
    await chain.approve(plan)
    order = await sb.wait_for(chain.chat("f-police"), "【出动指令】", since=0)
    assert "指挥：江州市消防救援支队" in order["text"]
    await sb.wait_for(chain.chat("detachment"), "【调度看板】", since=0)


async def test_reinforcement_approved_orders_the_detachment(chain: Chain) -> None:
    sb = chain.sb
    await chain.county.bind("upper")
    await chain.county.bind("detachment")
    incident = await chain.incident("重大 龙泉镇 森林火灾")
    member = chain.county.person("bureau", "member")
    refused = await chain.say("bureau", member, f"/reinforce {incident} 森林灭火专业队两支")
    assert "审批人" in str(refused["text"])
    reply = await chain.say("bureau", chain.approver, f"/reinforce {incident} 森林灭火专业队两支")
    assert "已报上级" in str(reply["text"])
    upper = chain.county.person("upper", "approver")
    ask = await sb.wait_for(chain.chat("upper"), "跨区域增援申请", since=0)
    assert ask["buttons"] == [["批准", "驳回"]]
    answer = await chain.press("upper", upper, "批准", "跨区域增援申请")
    assert "已批准" in str(answer["text"])
    for code in ("bureau", "brigade"):
        await sb.wait_for(chain.chat(code), "【增援批复】", since=0)
    order = await sb.wait_for(chain.chat("detachment"), "【出动指令】", since=0)
    assert "森林灭火专业队两支" in order["text"]
    # The request's buttons go once it is decided (an edit, delivered after the urgent order).
    await sb.wait_for(chain.chat("upper"),
                      lambda m: "跨区域增援申请" in m["text"] and not m["buttons"], since=0)
    assert not any(m["buttons"] for m in sb.transcript(chain.chat("upper")))


async def test_reinforcement_refused_with_a_reason(chain: Chain) -> None:
    sb = chain.sb
    await chain.county.bind("upper")
    await chain.county.bind("detachment")
    incident = await chain.incident("较大 龙泉镇 森林火灾")
    await chain.say("bureau", chain.approver, f"/reinforce {incident} 森林灭火专业队两支")
    upper = chain.county.person("upper", "approver")
    await sb.wait_for(chain.chat("upper"), "跨区域增援申请", since=0)
    not_approver = 600999  # a clerk in the upper level's chat, not in the registry
    sb.add_user(not_approver, "市局文书")
    sb.add_member(chain.chat("upper"), not_approver)
    toast = await chain.press("upper", not_approver, "驳回", "跨区域增援申请")
    assert "审批人" in str(toast["text"])
    await chain.press("upper", upper, "驳回", "跨区域增援申请")
    question = await sb.wait_for(chain.chat("upper"), "不同意增援的理由")
    assert question["force_reply"]
    await sb.send_message(chain.chat("upper"), upper, "市级力量已全部投入另一火场",
                          reply_to=question["message_id"])
    assert "已驳回" in (await sb.wait_for(chain.chat("upper"), "已转告"))["text"]
    for code in ("bureau", "brigade"):
        answer = await sb.wait_for(chain.chat(code), "【增援批复】", since=0)
        assert "已驳回" in answer["text"] and "另一火场" in answer["text"]
    await sb.wait_for(chain.chat("upper"), lambda m: "决定人" in m["text"]
                      and "另一火场" in m["text"] and not m["buttons"], since=0)
    async with chain.app.uow() as uow:
        row = await uow.session.scalar(select(ReinforcementRow))
        assert row is not None
        decided = (row.status, row.reason, row.decided_by)
        orders = await uow.session.scalar(select(func.count()).select_from(OrderRow))
    assert decided == ("rejected", "市级力量已全部投入另一火场", upper)
    assert orders == 0
    assert not any("出动指令" in m["text"] for m in sb.transcript(chain.chat("detachment")))


async def test_anyone_in_the_force_chat_may_answer_and_is_recorded(chain: Chain) -> None:
    sb = chain.sb
    plan = await chain.plan(await chain.incident(), forces="f-police")
    await chain.approve(plan)
    stranger = 399999  # a team member the registry does not list
    sb.add_user(stranger, "临时队员小李")
    sb.add_member(chain.chat("f-police"), stranger)
    answer = await chain.press("f-police", stranger, "收到", "【出动指令】")
    assert "已收到" in str(answer["text"])
    order = await sb.wait_for(chain.chat("f-police"), "临时队员小李", since=0)
    assert "已收到" in order["text"]
    outsider = chain.county.members("f-water")[0]
    sb.add_member(chain.chat("f-police"), outsider)  # in the chat, but of another force
    answer = await chain.press("f-police", outsider, "已出发", "【出动指令】")
    assert "已出发" in str(answer["text"])
    async with chain.app.uow() as uow:
        row = await uow.session.scalar(select(OrderRow))
        assert row is not None
        by = row.answered_by
    assert by["received"] == [stranger, "临时队员小李"] and by["en_route"][0] == outsider


async def test_once_an_hq_is_set_its_commanders_dispatch(chain: Chain) -> None:
    sb = chain.sb
    hq_chat = await chain.county.bind("detachment")  # the county names it the on-site HQ
    incident = await chain.incident("较大 龙泉镇 龙泉镇山林火灾")
    commander = chain.county.person("detachment", "commander")
    early = await chain.say("detachment", commander, f"/dispatch {incident} f-police 警戒")
    assert "调度员" in str(early["text"])  # not yet: the brigade commands until the HQ is set
    await chain.say("bureau", chain.approver, f"/hq {incident} detachment")
    plain = chain.county.person("bureau", "member")  # in the HQ's chat, not its commander
    sb.add_member(hq_chat, plain)
    refused = await chain.say("detachment", plain, f"/dispatch {incident} f-police 警戒")
    assert "指挥员" in str(refused["text"])
    reply = await chain.say("detachment", commander, f"/dispatch {incident} f-police 现场警戒")
    assert "审批" in str(reply["text"])
    card = await sb.wait_for(chain.chat("bureau"), "待审批", since=0)
    assert "现场警戒" in card["text"]
