"""Rolling assessment (滚动研判): /sitrep posts 第N次研判 to the HQ, the brigade, the bureau, the
county government and every force still out; the latest is pinned in the brigade's and the
HQ's groups, and where the bot may not pin it says so once; refusals change nothing."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

from sqlalchemy import func, select

from storage.tables import AuditRow, NoticeRow
from storage.tables_sitrep import SitrepRow
from tests.chain import Chain
from tests.conftest import TOKEN

BOT_ID = int(TOKEN.split(":")[0])
REFUSED = "无权在本群置顶"


async def _numbers(chain: Chain) -> list[int]:
    async with chain.app.uow() as uow:
        return list(await uow.session.scalars(select(SitrepRow.number).order_by(SitrepRow.id)))


def _audited_pins(chain: Chain) -> int:
    """pinChatMessage calls the sandbox answered (accepted or refused)."""
    return int(chain.sb.stats.calls["pinChatMessage"])


async def _audited(chain: Chain) -> int:
    async with chain.app.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(AuditRow)
                                            .where(AuditRow.action.like("sitrep.%"))) or 0)


async def _eventually(check: Callable[[], bool], seconds: float = 10.0) -> None:
    """A pin follows its message's send (and the record of it): wait for it as a person
    would look again."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not check():
        assert loop.time() < deadline, "not within the time"
        await asyncio.sleep(0.02)


def _refusals(chain: Chain, code: str) -> int:
    return len([m for m in chain.sb.transcript(chain.chat(code)) if REFUSED in str(m["text"])])


def _update(chain: Chain, code: str, n: int) -> list[dict[str, object]]:
    return [m for m in chain.sb.transcript(chain.chat(code))
            if m["is_bot"] and f"第{n}次研判" in str(m["text"])
            and "【滚动研判】" in str(m["text"])]


async def _out_on_incident(chain: Chain) -> int:
    """A larger incident commanded by the city fire detachment as its HQ; three forces
    ordered out, then f-health stood down."""
    await chain.county.bind("detachment")
    incident = await chain.incident("较大 城关镇 化工厂火灾")
    reply = await chain.say("bureau", chain.approver, f"/hq {incident} detachment")
    assert "现场指挥部" in str(reply["text"])
    plan = await chain.plan(incident)
    await chain.approve(plan)
    reply = await chain.say("brigade", chain.dispatcher, f"/standdown {plan} f-health")
    await chain.settle()
    return incident


async def _reply_to(chain: Chain, code: str, asked: int) -> dict[str, object]:
    return await chain.sb.wait_for(chain.chat(code), lambda m: bool(m["reply_to"] == asked))


async def test_numbered_updates_reach_everyone_out_and_the_latest_is_pinned(chain: Chain
                                                                           ) -> None:
    sb = chain.sb
    incident = await _out_on_incident(chain)
    sb.set_admin(chain.chat("brigade"), BOT_ID)  # the brigade let the bot pin; the HQ did not
    commander = chain.county.person("brigade", "commander")
    line = f"/sitrep {incident} 火势已控制，东侧储罐持续冷却\n下风向 500 米疏散完毕"
    reply = await chain.say("brigade", commander, line)
    assert f"事件 #{incident}" in str(reply["text"]) and "第1次研判" in str(reply["text"])
    assert "送 6 个单位" in str(reply["text"]), reply["text"]
    await chain.settle()
    person = chain.county.unit("brigade").people[0].name
    for code in ("detachment", "brigade", "bureau", "gov", "f-police", "f-water"):
        [update] = _update(chain, code, 1)
        for part in ("火势已控制", "下风向 500 米疏散完毕", "青川县消防救援大队", person,
                     "化工厂火灾"):
            assert part in str(update["text"]), (code, part, update["text"])
    for code in ("f-health", "dept-water", "dept-police"):  # stood down; not on the incident
        assert not _update(chain, code, 1), code
    brigade_first = _update(chain, "brigade", 1)[0]["message_id"]
    await _eventually(lambda: sb.chat(chain.chat("brigade"))["pinned_message_id"]
                      == brigade_first)
    await sb.wait_for(chain.chat("detachment"), REFUSED, since=0)
    assert sb.pinned(chain.chat("detachment")) == []

    reply = await chain.say("bureau", chain.approver,
                            f"/sitrep {incident} 储罐温度回落，拟撤除警戒")
    assert "第2次研判" in str(reply["text"])
    await chain.settle()
    second = _update(chain, "brigade", 2)[0]["message_id"]
    await _eventually(lambda: sb.chat(chain.chat("brigade"))["pinned_message_id"] == second)
    assert "青川县应急管理局" in str(_update(chain, "gov", 2)[0]["text"])
    await _eventually(lambda: _audited_pins(chain) == 4)  # brigade and HQ, twice
    await chain.settle()
    assert _refusals(chain, "detachment") == 1  # said once, not again for the second update
    assert len(_update(chain, "detachment", 2)) == 1  # and the update still arrived
    # Every board of the incident shows the latest update.
    await sb.wait_for(chain.chat("bureau"), lambda m: "【调度看板】" in m["text"]
                      and "第2次研判" in m["text"], since=0)
    await sb.wait_for(chain.chat("detachment"), lambda m: "【调度看板】" in m["text"]
                      and "第2次研判" in m["text"], since=0)
    log = str((await chain.say("f-police", chain.county.members("f-police")[0],
                               f"/log {incident}"))["text"])
    for part in ("发布滚动研判", "第1次研判（青川县消防救援大队）",
                 "第2次研判（青川县应急管理局）", "拟撤除警戒"):
        assert part in log, (part, log)
    async with chain.app.uow() as uow:
        pinned = list(await uow.session.scalars(select(NoticeRow.status)
                                                .where(NoticeRow.pin.is_(True))))
    assert pinned == ["sent"] * 4  # a refused pin leaves the notice delivered
    assert await _numbers(chain) == [1, 2]


async def test_after_the_right_is_given_updates_are_pinned(chain: Chain) -> None:
    sb = chain.sb
    incident = await chain.incident()
    gid = chain.chat("brigade")
    await chain.say("brigade", chain.dispatcher, f"/sitrep {incident} 第一次研判")
    await chain.settle()
    await sb.wait_for(gid, REFUSED, since=0)
    assert sb.pinned(gid) == []
    sb.set_admin(gid, BOT_ID, can_pin_messages=False)  # an admin, but not allowed to pin
    await chain.say("brigade", chain.dispatcher, f"/sitrep {incident} 第二次研判")
    await _eventually(lambda: sb.stats.errors[400] >= 2)  # the second pin refused too
    await chain.settle()
    assert sb.pinned(gid) == [] and _refusals(chain, "brigade") == 1
    sb.set_admin(gid, BOT_ID)
    await chain.say("brigade", chain.dispatcher, f"/sitrep {incident} 第三次研判")
    await chain.settle()
    await _eventually(lambda: sb.pinned(gid) == [_update(chain, "brigade", 3)[0]["message_id"]])
    assert _refusals(chain, "brigade") == 1
    # Allowed once, the memory is cleared: should the right be taken away, they hear it again.
    sb.set_admin(gid, BOT_ID, admin=False)
    await chain.say("brigade", chain.dispatcher, f"/sitrep {incident} 第四次研判")
    await _eventually(lambda: _refusals(chain, "brigade") == 2)
    assert await _numbers(chain) == [1, 2, 3, 4]


async def test_assessing_departments_post_marked_with_their_unit(chain: Chain) -> None:
    sb = chain.sb
    await chain.county.bind("dept-natres")
    incident = await chain.incident("一般 石桥镇 山体滑坡")
    member = chain.county.person("dept-natres", "warning_issuer")
    forecaster = [p.tg_id for p in chain.county.unit("dept-natres").people][1]
    reply = await chain.say("dept-natres", forecaster,
                            f"/sitrep {incident} 滑坡体后缘裂缝仍在扩展，建议扩大警戒范围")
    assert "第1次研判" in str(reply["text"]), reply["text"]
    await chain.settle()
    copy = str(_update(chain, "brigade", 1)[0]["text"])
    assert "研判单位：青川县自然资源局（县林业局）" in copy, copy
    assert "扩大警戒范围" in copy
    del member
    # A department of another sector, a role without the right, a force: refused, nothing kept.
    for code, who, says in (
            ("dept-police", chain.county.person("dept-police", "head"), "不参与滚动研判"),
            ("brigade", chain.county.person("brigade", "duty_officer"), "没有"),
            ("bureau", chain.county.person("bureau", "member"), "没有"),
            ("f-police", chain.county.person("f-police", "head"), "此操作需要")):
        refused = str((await chain.say(code, who, f"/sitrep {incident} 越权研判"))["text"])
        assert says in refused and "第" not in refused.split("研判")[0], (code, refused)
    await chain.settle()
    assert await _numbers(chain) == [1]
    assert not any("越权研判" in m["text"] for m in sb.transcript(chain.chat("gov")))


async def test_an_hq_posts_only_for_its_own_incident(chain: Chain) -> None:
    await chain.county.bind("detachment")
    mine = await chain.incident("较大 城关镇 化工厂火灾")
    other = await chain.incident("一般 河口镇 民房火灾")
    await chain.say("bureau", chain.approver, f"/hq {mine} detachment")
    chief = chain.county.person("detachment", "commander")
    refused = str((await chain.say("detachment", chief, f"/sitrep {other} 现场情况"))["text"])
    assert "不是事件" in refused and f"#{other}" in refused, refused
    line = f"/sitrep {mine} 支队已接管现场指挥"
    reply = str((await chain.say("detachment", chief, line))["text"])
    assert "第1次研判" in reply, reply
    await chain.settle()
    assert await _numbers(chain) == [1]


async def test_refusals_change_nothing(chain: Chain) -> None:
    incident = await chain.incident()
    closed = await chain.incident("一般 河口镇 民房火灾")
    await chain.say("brigade", chain.dispatcher, f"/close {closed}")
    for line, says in (("/sitrep", "用法"), (f"/sitrep {incident}", "请写明"),
                       (f"/sitrep {incident}    ", "请写明"),
                       ("/sitrep 999 现场情况", "没有编号为 999 的事件"),
                       ("/sitrep 火灾 现场情况", "没有编号为"),
                       (f"/sitrep {closed} 现场情况", "已于"),
                       (f"/sitrep {incident} " + "研" * 5000, "最多 2000 字")):
        reply = await chain.say("brigade", chain.dispatcher, line)
        assert says in str(reply["text"]), (line, reply["text"])
    await chain.settle()
    assert await _numbers(chain) == []
    assert await _audited(chain) == 0
    assert not _update(chain, "gov", 1)


async def test_two_posted_at_once_get_two_numbers(chain: Chain) -> None:
    sb = chain.sb
    incident = await chain.incident()
    commander = chain.county.person("brigade", "commander")
    sent = await asyncio.gather(
        sb.send_message(chain.chat("brigade"), commander, f"/sitrep {incident} 大队研判"),
        sb.send_message(chain.chat("bureau"), chain.approver, f"/sitrep {incident} 应急局研判"))
    replies = []
    for code, s in zip(("brigade", "bureau"), sent, strict=True):
        replies.append(await _reply_to(chain, code, int(s["message_id"])))
    numbers = sorted(int(re.search(r"第(\d+)次研判", str(r["text"])).group(1))  # type: ignore[union-attr]
                     for r in replies)
    assert numbers == [1, 2]
    await chain.settle()
    assert sorted(await _numbers(chain)) == [1, 2]
