"""A drill end to end through the sandbox (seed §3b-3): /drill with its roll-call, a response
level, /dispatch, approval, orders answered, T1 and T2, traffic support, /sitrep, /consult,
stand-down and /close with the muster figures. Every message the drill sends says 演练 in its
first line; the drill's roll-calls stay out of /duty."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from sqlalchemy import select

from core.clock import ControllableClock
from storage.tables import AuditRow
from storage.tables_alerts import RollCallRow
from storage.tables_dispatch import IncidentRow
from tests.chain import Chain
from tests.conftest import TOKEN

ID_RE = re.compile(r"#(\d+)")
MARK = ("演练", "DRILL")
BOT_ID = int(TOKEN.split(":")[0])
EXTRA = ("dept-transport", "f-expert-geohazard", "dept-natres")


def commander(chain: Chain) -> int:
    return chain.county.person("brigade", "commander")


async def sweeps(chain: Chain, count: int = 2) -> None:
    for _ in range(count):
        await chain.app.sweep.run()
    await asyncio.sleep(0.2)
    await chain.settle()


def last_ids(chain: Chain) -> dict[str, int]:
    return {code: max((m["message_id"] for m in chain.sb.transcript(chat)), default=0)
            for code, chat in chain.county.chats.items()}


def drill_messages(chain: Chain, before: dict[str, int]) -> list[tuple[str, str]]:
    """(chat, text) of every message the bot sent on its own in any chat since the drill
    began: notices, boards, roll-call cards and results. Direct replies to the person's own
    command are left out (they answer what that person just typed)."""
    found = []
    for code, chat in chain.county.chats.items():
        for m in chain.sb.transcript(chat):
            if m["message_id"] <= before.get(code, 0):
                continue
            if m["is_bot"] and m["text"] and m["reply_to"] is None:
                found.append((code, str(m["text"])))
    return found


async def test_a_drill_walks_the_whole_chain_and_every_message_says_drill(
        chain: Chain, clock: ControllableClock) -> None:
    sb = chain.sb
    await chain.county.bind_all(list(EXTRA))
    sb.set_admin(chain.chat("brigade"), BOT_ID)  # the brigade lets the bot pin the sitrep
    boss = commander(chain)
    await chain.settle()
    before = last_ids(chain)
    reply = await chain.say("brigade", boss,
                            "/drill 城关镇 防汛应急演练 force:f-police,f-water,f-health")
    text = str(reply["text"])
    assert text.startswith("【演练】") and "演练点名" in text and "3 支力量" in text, text
    incident = int(ID_RE.findall(text)[0])
    await sb.wait_for(chain.chat("bureau"), "【事件通报】", since=0)

    # The drill roll-call: one force answers, two are called out at the deadline.
    card = await sb.wait_for(chain.chat("f-police"), "【值班点名】", since=0)
    assert card["text"].startswith("【演练】") and card["buttons"] == [["在岗"]]
    await chain.press("f-police", chain.county.members("f-police")[-1], "在岗", "【值班点名】")
    clock.advance(timedelta(minutes=11))
    result = await sb.wait_for(chain.chat("brigade"), "【点名结果】", since=0)
    assert "演练点名" in result["text"].split("\n")[0], result["text"]
    await sb.wait_for(chain.chat("f-water"), "【点名未应答】", since=0)

    # A response level on the drill: both sides agree; its own roll-call is a drill one too.
    sent = await chain.say("brigade", boss, f"/respond {incident} Ⅳ")
    proposal = int(re.findall(r"提议 #(\d+)", str(sent["text"]))[0])
    await sb.wait_for(chain.chat("bureau"), f"【应急响应提议】#{proposal} ", since=0)
    await chain.press("bureau", chain.approver, "同意启动", f"【应急响应提议】#{proposal} ")
    await sb.wait_for(chain.chat("dept-water"), "【应急响应】", since=0)

    # Dispatch, approval, orders: one force answers every step, one only 收到, one is silent.
    plan = await chain.plan(incident)
    await chain.approve(plan)
    for code in ("f-police", "f-water", "f-health"):
        await sb.wait_for(chain.chat(code), "【出动指令】", since=0)
    for code in ("dept-police", "dept-transport"):
        await sb.wait_for(chain.chat(code), "【交通保障】", since=0)
    police, water = chain.county.members("f-police")[-1], chain.county.members("f-water")[-1]
    clock.advance(timedelta(minutes=1))
    await chain.press("f-police", police, "收到", "【出动指令】")
    clock.advance(timedelta(minutes=1))
    await chain.press("f-police", police, "已出发", "【出动指令】")
    await chain.press("f-water", water, "收到", "【出动指令】")
    await chain.settle()
    clock.advance(timedelta(minutes=1, seconds=30))  # past T1 (3 min): the silent one again
    await sb.wait_for(chain.chat("f-health"), "再次提醒", since=0)
    clock.advance(timedelta(minutes=7))  # past T2: the chain hears who is silent
    await sb.wait_for(chain.chat("brigade"), "【未响应力量】", since=0)
    health = chain.county.person("f-health", "head")
    await chain.press("f-health", health, "无法出动", "【出动指令】")
    question = await sb.wait_for(chain.chat("f-health"), lambda m: m["force_reply"], since=0)
    assert "演练" in question["text"].split("\n")[0], question["text"]
    await sb.send_message(chain.chat("f-health"), health, "救护车正在转运病人",
                          reply_to=question["message_id"])
    await sb.wait_for(chain.chat("brigade"), "救护车正在转运病人", since=0)
    clock.advance(timedelta(minutes=4))
    await chain.press("f-police", police, "已到达", "【出动指令】")
    await chain.settle()

    # The rolling assessment and an expert consulted, on the drill incident.
    await chain.say("brigade", chain.dispatcher, f"/sitrep {incident} 演练第一次研判：水位上涨")
    await sb.wait_for(chain.chat("bureau"), "【滚动研判】", since=0)
    await chain.say("brigade", boss, f"/consult {incident} f-expert-geohazard 后山有滑坡风险？")
    await sb.wait_for(chain.chat("f-expert-geohazard"), "【专家会商】", since=0)

    # Stand-down and close: the summary carries the muster figures.
    await chain.say("brigade", chain.dispatcher, f"/standdown {plan}")
    await chain.settle()
    closed = await chain.say("brigade", chain.dispatcher, f"/close {incident}")
    assert f"#{incident}" in str(closed["text"])
    summary = await sb.wait_for(chain.chat("gov"), "【事件总结】", since=0)
    body = summary["text"]
    assert "集结用时" in body, body
    police_name = chain.county.unit("f-police").name
    water_name = chain.county.unit("f-water").name
    health_name = chain.county.unit("f-health").name
    assert f"{police_name}：收到 1 分钟，出发 2 分钟，到达 14.5 分钟" in body, body
    assert f"{water_name}：收到 2 分钟，出发 未报告，到达 未报告" in body, body
    assert f"{health_name}：无法出动" in body, body
    muster = await chain.say("brigade", chain.dispatcher, f"/muster {incident}")
    assert str(muster["text"]).startswith("【演练】") and "到达 14.5 分钟" in str(muster["text"])

    await chain.settle()
    messages = drill_messages(chain, before)
    chats = {code for code, _ in messages}
    assert {"bureau", "brigade", "gov", "f-police", "f-water", "f-health", "dept-water",
            "dept-police", "dept-transport", "f-expert-geohazard"} <= chats, chats
    unmarked = [(code, text.split("\n")[0]) for code, text in messages
                if not any(word in text.split("\n")[0] for word in MARK)]
    assert unmarked == [], unmarked
    # The close's lessons question and the after-action report are among them.
    assert any("问题与改进" in text for _, text in messages), messages
    assert any("事后评估报告" in text for _, text in messages), messages

    async with chain.app.uow() as uow:
        kinds = list(await uow.session.scalars(select(RollCallRow.kind)))
        linked = set(await uow.session.scalars(select(RollCallRow.incident_id)))
        row = await uow.session.get(IncidentRow, incident)
        assert row is not None
        drill = (row.is_drill, row.closed_at is not None)
        actions = list(await uow.session.scalars(select(AuditRow.action)))
    assert kinds == ["drill", "drill"] and linked == {incident}
    log = str((await chain.say("brigade", chain.dispatcher, f"/log {incident}"))["text"])
    assert log.startswith("【演练】") and "登记为演练" in log and "发起演练点名" in log, log
    assert drill == (True, True)
    assert "drill.opened" in actions and "order.on_scene" in actions

    # The drill's roll-calls are not duty: /duty shows no roll-call for the forces.
    await sb.send_message(chain.chat("brigade"), chain.dispatcher, "/duty")
    duty = str((await sb.wait_for(chain.chat("brigade"), "值班点名记录"))["text"])
    assert "近 12 个月没有点名记录" in duty, duty


async def test_drill_refusals_change_nothing(chain: Chain) -> None:
    boss = commander(chain)
    police = chain.county.members("f-police")[-1]
    cases = [
        ("brigade", chain.dispatcher, "/drill 城关镇 防汛演练", "指挥员"),
        ("f-police", police, "/drill 城关镇 防汛演练", "审批人"),
        ("brigade", boss, "/drill", "用法"),
        ("brigade", boss, "/drill 城关镇", "用法"),
        ("brigade", boss, "/drill 城关镇 " + "演" * 5000, "太长"),
        ("brigade", boss, "/drill 城关镇 防汛演练 force:nope", "没有已接入的力量"),
        ("brigade", boss, "/drill 城关镇 防汛演练 galaxy:far", "无法识别的发送范围"),
        ("brigade", boss, "/muster", "用法"),
        ("brigade", boss, "/muster 99", "没有编号为 99 的事件"),
        ("brigade", boss, "/muster " + "9" * 5000, "没有"),
    ]
    for code, who, line, why in cases:
        reply = str((await chain.say(code, who, line))["text"])
        assert why in reply and len(reply) < 1000, (line[:40], reply)
    async with chain.app.uow() as uow:
        assert list(await uow.session.scalars(select(IncidentRow.id))) == []
        assert list(await uow.session.scalars(select(RollCallRow.id))) == []


async def test_a_bureau_approver_opens_a_drill_and_a_real_incident_has_no_muster_lines(
        chain: Chain) -> None:
    reply = str((await chain.say("bureau", chain.approver, "/drill 较大 石桥镇 森林火灾综合演练"))
                ["text"])
    assert reply.startswith("【演练】") and "演练点名" not in reply, reply
    report = await chain.sb.wait_for(chain.chat("brigade"), "【事件通报】", since=0)
    assert report["text"].startswith("【演练】") and "较大" in report["text"]
    real = await chain.incident()
    plan = await chain.plan(real, forces="f-police")
    await chain.approve(plan)
    await chain.press("f-police", chain.county.members("f-police")[-1], "收到", "【出动指令】")
    await chain.say("brigade", chain.dispatcher, f"/close {real}")
    summary = await chain.sb.wait_for(chain.chat("bureau"), f"【事件总结】#{real}", since=0)
    assert "集结用时" not in summary["text"] and "演练" not in summary["text"]
    muster = str((await chain.say("brigade", chain.dispatcher, f"/muster {real}"))["text"])
    assert "集结用时" in muster and "收到 0 分钟" in muster and "演练" not in muster, muster
