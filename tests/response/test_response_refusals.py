"""What must not start a level: a lapsed proposal is escalated (once) but starts nothing; taps
by the wrong side, unit or role, stale buttons, bad arguments are refused with the reason and
change nothing."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from core.clock import ControllableClock
from tests.chain import Chain
from tests.response.helpers import (
    audit_count,
    audited,
    commander,
    count_announcements,
    level_of,
    propose,
    statuses,
)


async def test_a_lapsed_proposal_calls_the_other_sides_leaders_once(
        chain: Chain, clock: ControllableClock) -> None:
    sb = chain.sb
    incident = await chain.incident()
    proposal = await propose(chain, "brigade", incident, "Ⅲ")
    clock.advance(timedelta(seconds=299))
    await asyncio.sleep(0.5)  # several sweeps: not due yet
    assert "【应急响应待确认】" not in sb.format_transcript(chain.chat("bureau"))
    clock.advance(timedelta(seconds=2))
    called = await sb.wait_for(chain.chat("bureau"), "【应急响应待确认】", since=0)
    assert f"提议 #{proposal} 已等待 5 分钟" in called["text"], called
    bureau = chain.county.unit("bureau").people
    leaders = [p.name for p in bureau if {r.value for r in p.roles} & {"head", "approver"}]
    others = [p.name for p in bureau if p.name not in leaders]
    assert len(leaders) == 2
    for name in leaders:
        assert name in called["text"], (name, called["text"])
    for name in others:
        assert name not in called["text"]
    clock.advance(timedelta(minutes=30))
    await asyncio.sleep(0.5)
    await chain.settle()
    assert sb.format_transcript(chain.chat("bureau")).count("【应急响应待确认】") == 1
    assert await level_of(chain, incident) is None  # lapsing never starts anything
    assert await audited(chain) == ["response.proposed", "response.escalated"]
    # Still open: agreeing late works.
    await chain.press("bureau", chain.approver, "同意启动", f"#{proposal} ")
    await sb.wait_for(chain.chat("f-police"), "启动Ⅲ级应急响应", since=0)


async def test_a_bureau_proposal_lapsed_calls_the_brigade_commanders(
        chain: Chain, clock: ControllableClock) -> None:
    incident = await chain.incident()
    await propose(chain, "bureau", incident, "Ⅰ")
    clock.advance(timedelta(seconds=301))
    called = await chain.sb.wait_for(chain.chat("brigade"), "【应急响应待确认】", since=0)
    for p in chain.county.unit("brigade").people:  # 周海涛, the commander, only
        assert (p.name in called["text"]) == ("commander" in {r.value for r in p.roles}), p


async def test_wrong_side_unit_or_role_gets_a_toast_and_nothing_changes(chain: Chain) -> None:
    sb = chain.sb
    incident = await chain.incident()
    proposal = await propose(chain, "brigade", incident, "Ⅳ")
    before = await audit_count(chain)
    bureau = {p.tg_id: {r.value for r in p.roles} for p in chain.county.unit("bureau").people}
    member = next(t for t, roles in bureau.items() if roles == {"member"})
    duty = next(t for t, roles in bureau.items() if roles == {"duty_officer"})
    taps = [
        ("bureau", member, "同意启动", "审批人"),  # the bureau, without the role
        ("bureau", duty, "暂不启动", "审批人"),
        ("bureau", commander(chain), "同意启动", "须由县应急管理局确认"),  # the proposing side
        ("bureau", chain.dispatcher, "暂不启动", "须由县应急管理局确认"),
        ("bureau", chain.county.members("f-police")[0], "同意启动", "审批人"),  # another unit
    ]
    for code, who, label, says in taps:
        answer = await chain.press(code, who, label, f"#{proposal} ")
        assert says in str(answer["text"]), (who, label, answer)
    # The proposal's own chat has no buttons; forged data from there is the proposer's side.
    own = await sb.wait_for(chain.chat("brigade"), f"【应急响应提议】#{proposal} ", since=0)
    cq = await sb.press_callback(chain.chat("brigade"), commander(chain), own["message_id"],
                                 f"v1:ja:{proposal}")
    answer = await sb.wait_callback_answer(cq)
    assert "须由县应急管理局确认" in str(answer["text"]), answer
    await chain.settle()
    assert await statuses(chain) == ["proposed"]
    assert await audit_count(chain) == before
    assert await level_of(chain, incident) is None
    assert "暂不启动的理由" not in sb.format_transcript(chain.chat("bureau"))
    # Proposing needs the role too: a dispatcher is not a commander.
    reply = await chain.say("brigade", chain.dispatcher, f"/respond {incident} Ⅳ")
    assert "指挥员" in str(reply["text"]), reply


async def test_stale_buttons_say_why(chain: Chain) -> None:
    sb = chain.sb
    incident = await chain.incident()
    first = await propose(chain, "brigade", incident, "Ⅳ")
    newer = await propose(chain, "bureau", incident, "Ⅲ")  # supersedes the open one
    for code in ("bureau", "brigade"):
        await sb.wait_for(chain.chat(code), lambda m: f"#{first} " in m["text"]
                          and f"已被新的提议 #{newer} 取代" in m["text"] and not m["buttons"],
                          since=0)
    # The old card lost its buttons; a tap that was on its way still gets the reason.
    old = await sb.wait_for(chain.chat("bureau"), f"【应急响应提议】#{first} ", since=0)
    cq = await sb.press_callback(chain.chat("bureau"), chain.approver, old["message_id"],
                                 f"v1:ja:{first}")
    assert f"已被新的提议 #{newer} 取代" in str((await sb.wait_callback_answer(cq))["text"])
    # Two taps at once on the newer one: one decision.
    card = await sb.wait_for(chain.chat("brigade"), f"【应急响应提议】#{newer} ", since=0)
    taps = [await sb.press_callback(chain.chat("brigade"), commander(chain), card["message_id"],
                                    f"v1:ja:{newer}") for _ in range(2)]
    answers = [str((await sb.wait_callback_answer(cq))["text"]) for cq in taps]
    assert sum("Ⅲ级" in a and "已同意" in a for a in answers) == 1, answers
    assert any("已由" in a for a in answers), answers
    await chain.settle()
    assert await statuses(chain) == ["superseded", "agreed"]
    assert count_announcements(chain, "f-police") == 1
    # A proposal on a closed incident: the buttons say the incident is closed.
    pending = await propose(chain, "bureau", incident, "Ⅱ")
    closed = await chain.say("brigade", chain.dispatcher, f"/close {incident}")
    assert "结束" in str(closed["text"]) or "关闭" in str(closed["text"]), closed
    answer = await chain.press("brigade", commander(chain), "同意启动", f"#{pending} ")
    assert "已于" in str(answer["text"]) and "结束" in str(answer["text"]), answer
    assert await level_of(chain, incident) == 3


async def test_bad_arguments_are_refused_clearly(chain: Chain) -> None:
    incident = await chain.incident()
    boss = commander(chain)
    cases = [
        ("/respond", "用法"),
        (f"/respond {incident}", "用法"),
        ("/respond 999 Ⅳ", "没有编号为 999 的事件"),
        ("/respond abc Ⅳ", "没有编号为"),
        (f"/respond {incident} Ⅴ", "不是响应级别"),
        (f"/respond {incident} 5", "不是响应级别"),
        (f"/respond {incident} " + "Ⅳ" * 5000, "不是响应级别"),
        ("/respond " + "9" * 5000 + " Ⅳ", "没有编号为"),
        (f"/respond {incident} Ⅳ " + "水" * 5000, "用法"),
        (f"/respond {incident} 终止", "没有启动应急响应"),
    ]
    for line, says in cases:
        reply = str((await chain.say("brigade", boss, line))["text"])
        assert says in reply, (line[:40], reply)
        assert len(reply) < 600, (line[:40], len(reply))  # a long argument is quoted short
    closed = await chain.incident("一般 河口镇 河口镇山洪")
    await chain.say("brigade", chain.dispatcher, f"/close {closed}")
    reply = str((await chain.say("bureau", chain.approver, f"/respond {closed} Ⅳ"))["text"])
    assert "已于" in reply and "结束" in reply, reply
    await chain.settle()
    assert await statuses(chain) == []
    assert await audited(chain) == []
