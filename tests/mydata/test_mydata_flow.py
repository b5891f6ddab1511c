"""A force keeps its own data from its group: /mydata shows it, /update changes it (audited old
→ new, the data date stamped), its department sees it, nobody else does; /stale lists the
forces whose data is old, for the brigade and bureau all of them, for a department its own."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from core.clock import ControllableClock
from core.registry import Item, Unit
from storage.repos.registry import unit_from_row
from storage.tables import AuditRow, UnitRow
from tests.chain import Chain


async def _unit(chain: Chain, code: str) -> Unit:
    async with chain.app.uow() as uow:
        row = await uow.session.scalar(select(UnitRow).where(UnitRow.code == code))
        assert row is not None
        return unit_from_row(row)


async def _audits(chain: Chain) -> list[tuple[int | None, str, dict[str, Any]]]:
    async with chain.app.uow() as uow:
        rows = await uow.session.scalars(
            select(AuditRow).where(AuditRow.action == "mydata.updated").order_by(AuditRow.id))
        return [(r.actor_tg_id, r.subject, dict(r.details)) for r in rows]


async def test_mydata_shows_the_forces_data(chain: Chain) -> None:
    member = chain.county.person("f-police", "member")
    shown = str((await chain.say("f-police", member, "/mydata"))["text"])
    for part in ("青川县公安局特警大队", "韩卫国（负责人）", "值班员", "交通管制", "警车：6",
                 "警戒带：2000米", "2026-11-02", "青川县公安局"):
        assert part in shown, (part, shown)


async def test_update_one_line_forms_are_audited_and_date_the_data(
        chain: Chain, clock: ControllableClock) -> None:
    clock.advance(timedelta(days=10))
    head = chain.county.person("f-police", "head")
    duty = chain.county.person("f-police", "duty_officer")
    for who, line, says in (
            (head, "/update 装备 警车 8", "警车」6 → 8"),
            (duty, "/update 装备 冲锋舟 3", "冲锋舟」0 → 3"),
            (duty, "/update 物资 沙袋 500 袋", "沙袋」0 → 500袋"),
            (head, "/update 能力 +水域救援", "增加能力「水域救援」"),
            (head, "/update 能力 -交通管制", "去掉能力「交通管制」"),
            (duty, "/update 在岗人数 12", "— → 12"),
            (head, "/update 装备 警用无人机 0", "警用无人机」2 → 0")):
        reply = str((await chain.say("f-police", who, line))["text"])
        assert says in reply and "2026-11-12" in reply, (line, reply)
    row = await _unit(chain, "f-police")
    assert row.data_updated == date(2026, 11, 12)
    assert row.on_duty == 12 and row.on_duty_on == date(2026, 11, 12)
    assert "水域救援" in row.capabilities and "交通管制" not in row.capabilities
    equipment = {i.name: i.count for i in row.equipment}
    assert equipment == {"警车": 8, "移动照明灯组": 2, "冲锋舟": 3}
    assert Item("沙袋", 500, "袋") in row.materials
    audits = await _audits(chain)
    assert len(audits) == 7
    by, subject, details = audits[0]
    assert by == head and subject == "unit:f-police"
    assert (details["field"], details["name"], details["old"], details["new"]) == (
        "equipment", "警车", 6, 8)
    assert audits[5][2]["old"] is None and audits[5][2]["new"] == 12
    shown = str((await chain.say("f-police", head, "/mydata"))["text"])
    assert "冲锋舟：3" in shown and "12 人" in shown and "2026-11-12" in shown


async def test_refusals_change_nothing(chain: Chain) -> None:
    member = chain.county.person("f-police", "member")
    head = chain.county.person("f-police", "head")
    before = await _unit(chain, "f-police")
    for who, line, says in (
            (member, "/update 装备 警车 8", "负责人"),
            (head, "/update 装备 警车", "/update 装备"),
            (head, "/update 装备 警车 -3", "不是有效数量"),
            (head, "/update 装备 警车 3.5", "不是有效数量"),
            (head, "/update 装备 警车 99999999999", "不是有效数量"),
            (head, "/update 在岗人数 十二", "不是有效数量"),
            (head, "/update 能力 水域救援", "/update 能力"),
            (head, "/update 能力 +交通管制", "已有能力"),
            (head, "/update 能力 -高空救援", "没有能力"),
            (head, "/update 装备 " + "舟" * 40 + " 3", "最多 32 字"),
            (head, "/update 装备 " + "舟" * 5000 + " 3", "最多 200 字"),
            (head, "/update 飞船 火箭 1", "/update 装备")):
        reply = str((await chain.say("f-police", who, line))["text"])
        assert says in reply, (line, reply)
    # A department's head is no force's head: /update is refused in its group.
    dept = chain.county.person("dept-police", "head")
    reply = str((await chain.say("dept-police", dept, "/update 装备 警车 8"))["text"])
    assert "负责人" in reply, reply
    after = await _unit(chain, "f-police")
    assert (after.equipment, after.capabilities, after.data_updated) == (
        before.equipment, before.capabilities, before.data_updated)
    assert await _audits(chain) == []


async def test_a_department_sees_its_own_forces_only(chain: Chain) -> None:
    dept = chain.county.person("dept-police", "member")
    shown = str((await chain.say("dept-police", dept, "/mydata f-police"))["text"])
    assert "青川县公安局特警大队" in shown and "警车：6" in shown
    for line, says in (("/mydata f-water", "不归"), ("/mydata", "不是队伍"),
                       ("/mydata nosuch", "没有代码为“nosuch”"),
                       ("/mydata " + "x" * 5000, "没有代码为")):
        reply = str((await chain.say("dept-police", dept, line))["text"])
        assert says in reply and len(reply) < 400, (line, reply)
    water = chain.county.members("f-water")[0]
    reply = str((await chain.say("f-water", water, "/mydata f-police"))["text"])
    assert "不归" in reply, reply
    own = str((await chain.say("f-water", water, "/mydata f-water"))["text"])
    assert "f-water" in own


async def test_stale_lists_old_forces_by_scope(chain: Chain, clock: ControllableClock) -> None:
    clock.advance(timedelta(days=100))  # 2027-02-10: f-police (2026-11-02) is 100 days old
    head = chain.county.person("f-police", "head")
    await chain.say("f-police", head, "/update 在岗人数 9")  # fresh again
    brigade = str((await chain.say("brigade", chain.dispatcher, "/stale"))["text"])
    assert "数据超过 90 天未更新" in brigade and "f-water" in brigade, brigade
    assert "f-police" not in brigade
    dept = chain.county.person("dept-water", "head")
    own = str((await chain.say("dept-water", dept, "/stale"))["text"])
    assert "f-water" in own and "f-health" not in own, own
    member = chain.county.person("f-water", "member")
    refused = str((await chain.say("f-water", member, "/stale"))["text"])
    assert "f-water（" not in refused, refused


async def test_update_dialog(chain: Chain, clock: ControllableClock) -> None:
    sb, gid = chain.sb, chain.chat("f-police")
    clock.advance(timedelta(days=3))
    head = chain.county.person("f-police", "head")
    duty = chain.county.person("f-police", "duty_officer")
    await sb.send_message(gid, head, "/update")
    await sb.wait_for(gid, "要更新本队伍的哪项数据")
    answer = await chain.press("f-police", duty, "装备数量", "哪项数据")  # not their dialog
    assert "不是您发起的" in str(answer["text"]), answer
    await chain.press("f-police", head, "装备数量", "哪项数据")
    ask = (await sb.wait_for(gid, "装备名称和数量"))["message_id"]
    await sb.send_message(gid, head, "冲锋舟 三", reply_to=ask)  # refused: asked again
    await sb.wait_for(gid, "不是有效数量")
    await sb.send_message(gid, head, "冲锋舟 3", reply_to=ask)
    done = await sb.wait_for(gid, "冲锋舟」0 → 3")
    assert "2026-11-05" in done["text"], done
    row = await _unit(chain, "f-police")
    assert Item("冲锋舟", 3) in row.equipment and row.data_updated == date(2026, 11, 5)
    assert len(await _audits(chain)) == 1
    # Cancelled: nothing changes.
    await sb.send_message(gid, head, "/update")
    await sb.wait_for(gid, "要更新本队伍的哪项数据", since=0)
    await chain.press("f-police", head, "今日在岗人数", "哪项数据")
    ask = (await sb.wait_for(gid, "今天可出动的人数"))["message_id"]
    await sb.send_message(gid, head, "取消", reply_to=ask)
    await sb.wait_for(gid, "已取消")
    assert (await _unit(chain, "f-police")).on_duty is None
    # A member cannot start it.
    member = chain.county.person("f-police", "member")
    refused = str((await chain.say("f-police", member, "/update"))["text"])
    assert "负责人" in refused, refused
