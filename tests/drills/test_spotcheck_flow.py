"""Unannounced inspections (seed §5(三)) through the sandbox: /spotcheck draws N forces (or
departments) at random with a recorded seed, their chats get a roll-call marked 抽查 with the
shorter answer time, the result is marked as a spot-check and /duty counts it apart."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from core.clock import ControllableClock
from core.drills.draw import draw
from core.drills.usecases import redraw
from core.registry import UnitKind
from storage.tables import AuditRow
from storage.tables_alerts import RollCallRow
from tests.chain import FORCES, Chain

ID_RE = re.compile(r"#(\d+)")
DEPTS = ("dept-police", "dept-water", "dept-health")


def cards(chain: Chain, code: str) -> list[str]:
    return [t for t in chain.sb.bot_texts(chain.chat(code)) if "【值班点名】" in t]


async def rollcalls(chain: Chain) -> list[tuple[str, str, int | None, float]]:
    async with chain.app.uow() as uow:
        rows = await uow.session.scalars(select(RollCallRow).order_by(RollCallRow.id))
        return [(r.kind, r.scope, r.seed, (r.deadline_at - r.opened_at).total_seconds())
                for r in rows]


async def spot_audits(chain: Chain) -> list[dict[str, object]]:
    async with chain.app.uow() as uow:
        rows = await uow.session.scalars(select(AuditRow).where(
            AuditRow.action == "rollcall.spotcheck").order_by(AuditRow.id))
        return [dict(r.details) for r in rows]


async def test_spotcheck_draws_at_random_reproducibly_and_counts_apart(
        chain: Chain, clock: ControllableClock) -> None:
    sb = chain.sb
    reply = str((await chain.say("brigade", chain.dispatcher, "/spotcheck 2"))["text"])
    assert reply.startswith("【抽查点名】#1") and "5 分钟" in reply and "随机种子" in reply, reply
    [(kind, scope, seed, window)] = await rollcalls(chain)
    assert (kind, scope, window) == ("spotcheck", "all", 300.0) and seed is not None
    assert str(seed) in reply
    [audit] = await spot_audits(chain)
    assert audit["seed"] == seed and audit["asked"] == 2 and audit["pool"] == 3
    drawn = list(audit["drawn"])  # type: ignore[call-overload]
    assert len(drawn) == 2 and set(drawn) <= set(FORCES)

    # Anyone may draw again from the recorded seed and get the same forces.
    async with chain.app.uow() as uow:
        forces = [u for u in await uow.units.list(UnitKind.FORCE) if u.is_bound]
        assert [u.code for u in draw(forces, 2, seed)] == drawn
        assert [u.code for u in await redraw(uow, 1)] == drawn

    await chain.settle()
    for code in FORCES:
        got = cards(chain, code)
        if code in drawn:
            assert len(got) == 1 and got[0].startswith("【抽查】"), got
        else:
            assert got == [], (code, got)
    first = drawn[0]
    await chain.press(first, chain.county.members(first)[-1], "在岗", "【值班点名】")
    clock.advance(timedelta(minutes=5, seconds=5))
    result = await sb.wait_for(chain.chat("brigade"), "【点名结果】", since=0)
    assert "抽查点名 #1" in result["text"].split("\n")[0], result["text"]
    missing = await sb.wait_for(chain.chat(drawn[1]), "【点名未应答】", since=0)
    assert missing["text"].startswith("【抽查】")

    # /duty: no routine roll-call yet, the spot-checks as their own figure.
    await sb.send_message(chain.chat("brigade"), chain.dispatcher, "/duty")
    duty = str((await sb.wait_for(chain.chat("brigade"), "值班点名记录"))["text"])
    name = chain.county.unit(first).name
    line = next(x for x in duty.split("\n") if x.startswith(name))
    assert "点名 0" in line and "另抽查 1 次，按时应答 1 次" in line, duty
    other = chain.county.unit(drawn[1]).name
    assert "另抽查 1 次，按时应答 0 次" in next(x for x in duty.split("\n")
                                           if x.startswith(other))


async def test_more_than_the_scope_takes_the_whole_scope_and_says_so(chain: Chain) -> None:
    reply = str((await chain.say("brigade", chain.county.person("brigade", "commander"),
                                 "/spotcheck 50 category:government"))["text"])
    assert "要求抽取 50 个，范围内只有 3 个，已全部抽查" in reply, reply
    await chain.settle()
    assert all(len(cards(chain, code)) == 1 for code in FORCES)
    [(_, scope, _, _)] = await rollcalls(chain)
    assert scope == "category:government"


async def test_departments_duty_is_spot_checked_the_same_way(chain: Chain) -> None:
    sb = chain.sb
    reply = str((await chain.say("brigade", chain.dispatcher, "/spotcheck dept 2"))["text"])
    assert "各部门" in reply and "已接入 3 个" in reply, reply
    [audit] = await spot_audits(chain)
    drawn = list(audit["drawn"])  # type: ignore[call-overload]
    assert len(drawn) == 2 and set(drawn) <= set(DEPTS)
    async with chain.app.uow() as uow:
        assert [u.code for u in await redraw(uow, 1)] == drawn
    await chain.settle()
    assert not any(cards(chain, code) for code in FORCES)
    dept = drawn[0]
    card = await sb.wait_for(chain.chat(dept), "【值班点名】", since=0)
    assert card["text"].startswith("【抽查】") and card["buttons"] == [["在岗"]]
    toast = await chain.press(dept, chain.county.person(dept, "approver"), "在岗", "【值班点名】")
    assert "按时" in str(toast["text"]), toast
    await sb.wait_for(chain.chat(dept), "应答在岗", since=0)


async def test_refusals_change_nothing(chain: Chain) -> None:
    cases = [
        ("bureau", chain.approver, "/spotcheck 2", "调度员"),
        ("f-police", chain.county.members("f-police")[-1], "/spotcheck 2", "调度员"),
        ("brigade", chain.dispatcher, "/spotcheck", "用法"),
        ("brigade", chain.dispatcher, "/spotcheck 0", "1–99999"),
        ("brigade", chain.dispatcher, "/spotcheck -3", "1–99999"),
        ("brigade", chain.dispatcher, "/spotcheck 两个", "1–99999"),
        ("brigade", chain.dispatcher, "/spotcheck " + "9" * 5000, "1–99999"),
        ("brigade", chain.dispatcher, "/spotcheck 2 " + "x" * 5000, "太长"),
        ("brigade", chain.dispatcher, "/spotcheck 2 township:不存在镇", "没有已接入的力量"),
        ("brigade", chain.dispatcher, "/spotcheck 2 galaxy:far", "无法识别的发送范围"),
        ("brigade", chain.dispatcher, "/spotcheck dept 2 all", "用法"),
        ("brigade", chain.dispatcher, "/spotcheck dept", "用法"),
    ]
    for code, who, line, why in cases:
        reply = str((await chain.say(code, who, line))["text"])
        assert why in reply and len(reply) < 1000, (line[:40], reply)
    assert await rollcalls(chain) == []
    async with chain.app.uow() as uow:
        audits = await uow.session.scalar(select(func.count()).select_from(AuditRow).where(
            AuditRow.action.like("rollcall.%")))
    assert audits == 0


async def test_a_stale_or_foreign_tap_on_a_spot_check_is_refused(chain: Chain) -> None:
    await chain.say("brigade", chain.dispatcher, "/spotcheck 3")
    card = await chain.sb.wait_for(chain.chat("f-water"), "【值班点名】", since=0)
    member = chain.county.members("f-water")[-1]
    await chain.press("f-water", member, "在岗", "【值班点名】")
    data = next(b["callback_data"] for row in card["reply_markup"]["inline_keyboard"]
                for b in row)
    cq = await chain.sb.press_callback(chain.chat("f-water"), chain.county.members("f-water")[0],
                                       card["message_id"], data)
    again = await chain.sb.wait_callback_answer(cq)
    assert "已由" in str(again["text"]), again
