"""A response level started together (灾情联合研判、应急响应同时启动): either side proposes, only
the other side's agreement starts it, and then one announcement goes out to everyone
concerned; a refusal's reason reaches the proposer."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.tables import NoticeRow
from storage.tables_alerts import RollCallRow
from tests.chain import Chain
from tests.response.helpers import (
    audited,
    commander,
    count_announcements,
    level_of,
    propose,
    statuses,
)

# Bound by the test beyond the chain: more forces of 城关镇, one of another township.
TOWNSHIP = ("f-town-chengguan", "f-natres", "f-gas")  # all in 城关镇
ELSEWHERE = ("f-water",)  # 白沙镇


async def _rollcalls(chain: Chain, kind: str = "adhoc") -> int:
    async with chain.app.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(RollCallRow)
                                            .where(RollCallRow.kind == kind)) or 0)


async def test_brigade_proposes_bureau_agrees_and_the_township_hears_at_once(chain: Chain
                                                                             ) -> None:
    sb = chain.sb
    await chain.county.bind_all(list(TOWNSHIP))
    incident = await chain.incident()
    proposal = await propose(chain, "brigade", incident, "Ⅳ")
    own = await sb.wait_for(chain.chat("brigade"), f"【应急响应提议】#{proposal} ", since=0)
    assert not own["buttons"] and "已送青川县应急管理局确认" in own["text"], own
    await chain.settle()
    # One side alone never starts a level.
    assert await level_of(chain, incident) is None
    assert count_announcements(chain, "f-police") == 0 and await _rollcalls(chain) == 0

    answer = await chain.press("bureau", chain.approver, "同意启动", f"#{proposal} ")
    assert "Ⅳ级" in str(answer["text"]), answer
    await chain.settle()
    assert await level_of(chain, incident) == 4
    async with chain.app.uow() as uow:  # the announcement: one run of notices, one commit
        ids = list(await uow.session.scalars(
            select(NoticeRow.id).where(NoticeRow.template == "response.announce")
            .order_by(NoticeRow.id)))
    assert ids == list(range(ids[0], ids[0] + 11)), ids  # 5 forces, 3 depts, gov, 2 sides
    for code in ("f-police", "f-health", *TOWNSHIP, "dept-police", "dept-water", "dept-health",
                 "gov", "bureau", "brigade"):
        said = await sb.wait_for(chain.chat(code), "【应急响应】启动Ⅳ级应急响应", since=0)
        assert f"事件 #{incident}" in said["text"] and "同时启动" in said["text"], (code, said)
        assert count_announcements(chain, code) == 1, code
    assert count_announcements(chain, "f-water") == 0  # 白沙镇 is not concerned by Ⅳ
    # The level's effects: an ad hoc roll-call of the township's forces.
    assert await _rollcalls(chain) == 1
    assert await _rollcalls(chain, "scheduled") == 0  # Ⅳ asks for no daily roll-call
    await sb.wait_for(chain.chat("f-gas"), "在岗", since=0)
    for code in ("bureau", "brigade"):  # both cards say it started, without buttons
        card = await sb.wait_for(chain.chat(code), lambda m: f"#{proposal} " in m["text"]
                                 and "已同时启动" in m["text"], since=0)
        assert not card["buttons"]
    assert await audited(chain) == ["response.proposed", "response.agreed", "response.started"]
    log = str((await chain.say("brigade", chain.dispatcher, f"/log {incident}"))["text"])
    for words in ("提议应急响应", "同意启动应急响应", "应急响应同时启动", "Ⅳ级"):
        assert words in log, (words, log)


async def test_bureau_proposes_brigade_commander_agrees(chain: Chain) -> None:
    incident = await chain.incident()
    proposal = await propose(chain, "bureau", incident, "4")
    answer = await chain.press("brigade", commander(chain), "同意启动", f"#{proposal} ")
    assert "Ⅳ级" in str(answer["text"]), answer
    await chain.sb.wait_for(chain.chat("gov"), "【应急响应】启动Ⅳ级应急响应", since=0)
    assert await level_of(chain, incident) == 4


async def test_not_now_asks_a_reason_that_reaches_the_proposer(chain: Chain) -> None:
    sb = chain.sb
    incident = await chain.incident()
    proposal = await propose(chain, "brigade", incident, "III")
    answer = await chain.press("bureau", chain.approver, "暂不启动", f"#{proposal} ")
    assert "回复" in str(answer["text"]), answer
    question = await sb.wait_for(chain.chat("bureau"), "暂不启动的理由")
    await sb.send_message(chain.chat("bureau"), chain.approver, "灾情尚在可控范围，先观察一小时",
                          reply_to=question["message_id"])
    told = await sb.wait_for(chain.chat("brigade"), f"提议 #{proposal} 暂不启动", since=0)
    assert "灾情尚在可控范围" in told["text"], told
    assert told["text"].endswith(chain.county.unit("brigade").people[0].name)  # mentioned
    await sb.wait_for(chain.chat("bureau"), lambda m: f"#{proposal} " in m["text"]
                      and "⛔" in m["text"] and not m["buttons"], since=0)
    await chain.settle()
    assert await level_of(chain, incident) is None
    assert await statuses(chain) == ["refused"]
    assert count_announcements(chain, "f-police") == 0
    log = str((await chain.say("brigade", chain.dispatcher, f"/log {incident}"))["text"])
    assert "暂不启动应急响应" in log and "先观察一小时" in log, log


async def test_raise_to_two_reaches_the_county_then_end(chain: Chain) -> None:
    sb = chain.sb
    await chain.county.bind_all(list(ELSEWHERE))
    incident = await chain.incident()
    first = await propose(chain, "brigade", incident, "Ⅳ")
    await chain.press("bureau", chain.approver, "同意启动", f"#{first} ")
    await chain.settle()
    assert count_announcements(chain, "f-water") == 0

    raised = await propose(chain, "bureau", incident, "Ⅱ")
    await chain.press("brigade", commander(chain), "同意启动", f"#{raised} ")
    said = await sb.wait_for(chain.chat("f-water"), "应急响应由Ⅳ级提升为Ⅱ级", since=0)
    assert "每日点名" in said["text"] and "5 分钟" in said["text"], said
    assert await level_of(chain, incident) == 2
    # The schedule is a sweep step: run one now rather than wait for the next (the sweep's
    # other steps may take a while on a busy machine).
    await chain.app.sweep.run()
    await chain.settle()
    assert await _rollcalls(chain) == 2  # started, then raised: each calls the roll
    # Ⅱ asks for daily roll-calls: the schedule runs daily now, today's 09:00 at once.
    assert await _rollcalls(chain, "scheduled") == 1

    ended = await propose(chain, "brigade", incident, "终止")
    await chain.press("bureau", chain.approver, "同意启动", f"#{ended} ")
    said = await sb.wait_for(chain.chat("f-water"), "终止Ⅱ级应急响应", since=0)
    assert "恢复日常值守" in said["text"]
    assert await level_of(chain, incident) == 0
    await chain.settle()
    assert await _rollcalls(chain) == 2
    assert (await audited(chain)).count("response.changed") == 1
    assert (await audited(chain))[-1] == "response.ended"
    again = await chain.say("brigade", commander(chain), f"/respond {incident} end")
    assert "没有启动应急响应" in str(again["text"])


async def test_the_level_shows_on_the_incidents_board(chain: Chain) -> None:
    sb = chain.sb
    incident = await chain.incident()
    plan = await chain.plan(incident)
    await chain.approve(plan)
    proposal = await propose(chain, "bureau", incident, "Ⅲ")
    await chain.press("brigade", commander(chain), "同意启动", f"#{proposal} ")
    for code in ("brigade", "bureau"):
        shown = await sb.wait_for(chain.chat(code), lambda m: "应急响应：Ⅲ级" in m["text"]
                                  and "【调度看板】" in m["text"], since=0)
        assert shown["edits"], shown  # the board, edited in place
    ended = await propose(chain, "brigade", incident, "end")
    await chain.press("bureau", chain.approver, "同意启动", f"#{ended} ")
    await sb.wait_for(chain.chat("brigade"), lambda m: "应急响应：已终止" in m["text"]
                      and "【调度看板】" in m["text"], since=0)
