"""Information reports (信息报送, 抄报): filed from any bound unit, received by the county
government, the bureau and the brigade at once; linked to an incident, or opened as one, from
the copies; refusals change nothing."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from core.registry import Role
from storage.tables import AuditRow
from storage.tables_dispatch import IncidentRow
from storage.tables_reports import ReportRow
from tests.chain import Chain

REPORT_RE = re.compile(r"信息 #(\d+)")


async def _counts(chain: Chain) -> tuple[int, int, int]:
    async with chain.app.uow() as uow:
        s = uow.session
        return (int(await s.scalar(select(func.count()).select_from(ReportRow)) or 0),
                int(await s.scalar(select(func.count()).select_from(IncidentRow)) or 0),
                int(await s.scalar(select(func.count()).select_from(AuditRow)
                                   .where(AuditRow.action.like("report.%"))) or 0))


async def _report(chain: Chain, code: str, text: str) -> int:
    member = chain.county.members(code)[0]
    reply = await chain.say(code, member, f"/report {text}")
    found = REPORT_RE.search(str(reply["text"]))
    assert found and "抄报" in str(reply["text"]), reply["text"]
    return int(found.group(1))


async def test_a_forces_report_reaches_government_bureau_and_brigade(chain: Chain) -> None:
    sb = chain.sb
    member = chain.county.members("f-police")[0]
    report = await _report(chain, "f-police", "城关镇 城关大桥桥面出现裂缝，已封闭交通")
    name = chain.county.unit("f-police").name
    person = next(p.name for p in chain.county.unit("f-police").people if p.tg_id == member)
    gov = await sb.wait_for(chain.chat("gov"), f"【信息报送】#{report}", since=0)
    for text in ("城关镇", "城关大桥桥面出现裂缝", name, person):
        assert text in gov["text"], (text, gov["text"])
    assert not gov["buttons"]
    for code in ("bureau", "brigade"):
        copy = await sb.wait_for(chain.chat(code), f"【信息抄报】#{report}", since=0)
        for text in ("城关镇", "城关大桥桥面出现裂缝", name, person):
            assert text in copy["text"], (code, text)
        assert re.search(r"\d{2}:\d{2}", copy["text"]), copy["text"]  # when
        assert copy["buttons"] == [["关联事件", "立为事件"]]
    assert await _counts(chain) == (1, 0, 1)


async def test_refusals_change_nothing(chain: Chain) -> None:
    sb = chain.sb
    gid = chain.county.make_group("f-gas")  # a force whose group is not bound
    member = chain.county.members("f-gas")[0]
    sent = await sb.send_message(gid, member, "/report 城关镇 燃气管道泄漏")
    refused = await sb.wait_for(gid, lambda m: m["reply_to"] == sent["message_id"])
    assert "未绑定" in refused["text"]
    police = chain.county.members("f-police")[0]
    for line, says in (("/report 城关镇", "发生了什么"),
                       ("/report 城关镇   ", "发生了什么"),
                       ("/report 桃源镇 山洪", "本县没有“桃源镇”"),
                       ("/report 城关镇 " + "水" * 1001, "最多 1000 字")):
        reply = await chain.say("f-police", police, line)
        assert says in str(reply["text"]), (line, reply["text"])
    unknown = await chain.say("f-police", police, "/report 桃源镇 山洪")
    assert "河口镇" in str(unknown["text"]) and "城关镇" in str(unknown["text"])
    await chain.settle()
    assert await _counts(chain) == (0, 0, 0)
    for code in ("gov", "bureau", "brigade"):
        assert "【信息" not in sb.format_transcript(chain.chat(code))


async def test_open_as_incident_then_link_a_second_report_and_log(chain: Chain) -> None:
    sb = chain.sb
    first = await _report(chain, "f-water", "河口镇 河口镇上游水位暴涨，两户被困")
    await sb.wait_for(chain.chat("brigade"), f"【信息抄报】#{first}", since=0)
    answer = await chain.press("brigade", chain.dispatcher, "立为事件", f"#{first} ")
    found = re.search(r"事件 #(\d+)", str(answer["text"]))
    assert found, answer
    incident = int(found.group(1))
    await sb.wait_for(chain.chat("bureau"), f"【事件通报】#{incident}", since=0)
    async with chain.app.uow() as uow:
        row = await uow.session.get(IncidentRow, incident)
        assert row is not None
        assert (row.level, row.township, row.title) == ("general", "河口镇",
                                                        "河口镇上游水位暴涨，两户被困")
    for code in ("bureau", "brigade"):
        await sb.wait_for(chain.chat(code), lambda m: f"#{first} " in m["text"]
                          and f"已立为事件 #{incident}" in m["text"], since=0)
    await sb.wait_for(chain.chat("f-water"), f"已关联事件 #{incident}", since=0)

    second = await _report(chain, "dept-water", "河口镇 水利局：上游水库开始泄洪")
    await sb.wait_for(chain.chat("bureau"), f"【信息抄报】#{second}", since=0)
    answer = await chain.press("bureau", chain.approver, "关联事件", f"#{second} ")
    assert "选择" in str(answer["text"])
    await sb.wait_for(chain.chat("bureau"), f"信息 #{second} 关联到哪个事件", since=0)
    choice = f"#{incident} 河口镇上游水位暴涨，两户被困（河口镇，一般）"
    answer = await chain.press("bureau", chain.approver, choice, f"信息 #{second} 关联到哪个事件")
    assert f"已关联事件 #{incident}" in str(answer["text"]), answer
    await sb.wait_for(chain.chat("brigade"), lambda m: f"#{second} " in m["text"]
                      and f"已关联事件 #{incident}" in m["text"], since=0)

    log = str((await chain.say("f-police", chain.county.members("f-police")[0],
                               f"/log {incident}"))["text"])
    for text in (f"信息 #{first}", f"信息 #{second}", "上游水库开始泄洪", "关联报送信息",
                 chain.county.unit("dept-water").name):
        assert text in log, (text, log)
    async with chain.app.uow() as uow:
        linked = list(await uow.session.scalars(select(ReportRow.incident_id)
                                                .order_by(ReportRow.id)))
    assert linked == [incident, incident]


async def test_without_the_role_a_toast_and_a_second_tap_names_the_incident(chain: Chain
                                                                            ) -> None:
    sb = chain.sb
    report = await _report(chain, "f-health", "白沙镇 白沙镇中学食物中毒，二十余人送医")
    await sb.wait_for(chain.chat("brigade"), f"【信息抄报】#{report}", since=0)
    duty = chain.county.person("brigade", Role.DUTY_OFFICER.value)
    for label in ("立为事件", "关联事件"):
        answer = await chain.press("brigade", duty, label, f"#{report} ")
        assert "调度员" in str(answer["text"]) or "指挥员" in str(answer["text"]), answer
    assert await _counts(chain) == (1, 0, 1)
    answer = await chain.press("brigade", chain.dispatcher, "关联事件", f"#{report} ")
    assert "没有进行中的事件" in str(answer["text"])
    answer = await chain.press("brigade", chain.dispatcher, "立为事件", f"#{report} ")
    incident = int(re.search(r"事件 #(\d+)", str(answer["text"])).group(1))  # type: ignore[union-attr]
    await chain.settle()
    for label in ("立为事件", "关联事件"):
        again = await chain.press("bureau", chain.approver, label, f"#{report} ")
        assert "已由" in str(again["text"]) and f"事件 #{incident}" in str(again["text"]), again
    assert await _counts(chain) == (1, 1, 2)
