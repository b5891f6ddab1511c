"""Traffic support (交通运输保障) through the sandbox: when a plan's orders go out, public security
and transport each get one notice with the forces and their vehicles; their answers reach the
brigade's board, the brigade's chat and the incident's timeline; refusals change nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from storage.tables import AuditRow, UnitRow
from storage.tables_traffic import TrafficRequestRow
from tests.chain import Chain

HEAD = "【交通保障】"
TRAFFIC = ("dept-police", "dept-transport")


async def _orders_out(chain: Chain, bind_transport: bool = True) -> tuple[int, int]:
    if bind_transport:
        await chain.county.bind_all(["dept-transport"])
    incident = await chain.incident()
    plan = await chain.plan(incident)
    await chain.approve(plan)
    return incident, plan


async def _rows(chain: Chain) -> list[tuple[int, str, str]]:
    async with chain.app.uow() as uow:
        rows = await uow.session.execute(
            select(TrafficRequestRow.department_id, TrafficRequestRow.state,
                   TrafficRequestRow.need).order_by(TrafficRequestRow.id))
        return [(r[0], r[1], r[2]) for r in rows]


async def _actions(chain: Chain) -> list[str]:
    async with chain.app.uow() as uow:
        return list(await uow.session.scalars(
            select(AuditRow.action).where(AuditRow.action.like("traffic.%"))
            .order_by(AuditRow.id)))


def _count(chain: Chain, code: str, text: str) -> int:
    return sum(text in m for m in chain.sb.bot_texts(chain.chat(code)))


async def test_each_traffic_department_gets_one_notice_with_forces_and_vehicles(
        chain: Chain) -> None:
    sb = chain.sb
    incident, plan = await _orders_out(chain)
    for code in TRAFFIC:
        notice = await sb.wait_for(chain.chat(code), HEAD, since=0)
        text = notice["text"]
        for part in (f"事件 #{incident}", "城关镇", f"调用方案 #{plan}", "3 支力量",
                     chain.county.unit("f-police").name, "警车×6",
                     chain.county.unit("f-water").name, "冲锋舟×3",
                     chain.county.unit("f-health").name, "负压救护车×2", "普通救护车×4",
                     "登记车辆共 15 台", "集结地点：未指定"):
            assert part in text, (code, part, text)
        # Not vehicles: a drone, pumps, sandbags.
        for part in ("警用无人机", "排涝泵", "编织袋", "担架"):
            assert part not in text, (code, part)
        assert notice["buttons"] == [["已安排", "需协调"]]
    await chain.settle()
    for code in TRAFFIC:
        assert _count(chain, code, HEAD) == 1
    assert _count(chain, "dept-water", HEAD) == 0  # a supervising department, not traffic
    assert len(await _rows(chain)) == 2
    assert await _actions(chain) == ["traffic.requested", "traffic.requested"]
    board = await sb.wait_for(chain.chat("brigade"), "🚦 交通保障", since=0)
    assert "青川县公安局 待回复" in board["text"] and "青川县交通运输局 待回复" in board["text"]


async def test_needs_coordination_then_arranged_reach_board_chat_and_timeline(
        chain: Chain) -> None:
    sb = chain.sb
    incident, plan = await _orders_out(chain)
    police = chain.county.unit("dept-police")
    member = chain.county.person("dept-police", "member")
    await sb.wait_for(chain.chat("dept-police"), HEAD, since=0)
    toast = await chain.press("dept-police", member, "需协调", HEAD)
    assert "回复" in str(toast["text"])
    question = await sb.wait_for(chain.chat("dept-police"), "需要协调什么")
    assert question["force_reply"]
    need = "G212 线 K35 处塌方，需交通局调装载机清障"
    sent = await sb.send_message(chain.chat("dept-police"), member, need,
                                 reply_to=question["message_id"])
    done = await sb.wait_for(chain.chat("dept-police"),
                             lambda m: m["reply_to"] == sent["message_id"])
    assert "已告知" in done["text"]
    told = await sb.wait_for(chain.chat("brigade"), "【交通保障·需协调】", since=0)
    for part in (need, police.name, f"调用方案 #{plan}", f"事件 #{incident}"):
        assert part in told["text"], part
    assert chain.dispatcher in told["mentions"]
    board = await sb.wait_for(chain.chat("brigade"),
                              lambda m: "🚦" in m["text"] and "需协调：G212" in m["text"], since=0)
    assert "青川县交通运输局 待回复" in board["text"]
    await sb.wait_for(chain.chat("dept-police"),
                      lambda m: HEAD in m["text"] and "⚠️ 需协调：G212" in m["text"], since=0)

    head = chain.county.person("dept-police", "head")
    answer = await chain.press("dept-police", head, "已安排", HEAD)
    assert "已安排" in str(answer["text"])
    await sb.wait_for(chain.chat("brigade"),
                      lambda m: "🚦" in m["text"] and "青川县公安局 已安排" in m["text"], since=0)
    await sb.wait_for(chain.chat("bureau"),
                      lambda m: "🚦" in m["text"] and "青川县公安局 已安排" in m["text"], since=0)
    await sb.wait_for(chain.chat("dept-police"),
                      lambda m: HEAD in m["text"] and "✅ 已安排" in m["text"], since=0)
    again = await chain.press("dept-police", member, "已安排", HEAD)
    assert "无需重复" in str(again["text"])
    await chain.settle()
    assert _count(chain, "brigade", "【交通保障·需协调】") == 1

    log = str((await chain.say("brigade", chain.dispatcher, f"/log {incident}"))["text"])
    for part in ("发出交通保障通知", "交通保障需协调", need, "交通保障已安排", police.name):
        assert part in log, (part, log)
    assert sorted(r[1:] for r in await _rows(chain)) == [("arranged", ""), ("pending", "")]
    assert await _actions(chain) == ["traffic.requested", "traffic.requested",
                                     "traffic.needs", "traffic.arranged"]


async def test_the_wrong_person_gets_the_reason_and_nothing_changes(chain: Chain) -> None:
    sb = chain.sb
    await _orders_out(chain)
    await sb.wait_for(chain.chat("dept-police"), HEAD, since=0)
    outsider = chain.county.members("f-police")[0]  # a police force's man, not the department's
    sb.add_member(chain.chat("dept-police"), outsider)
    for label in ("已安排", "需协调"):
        answer: dict[str, Any] = await chain.press("dept-police", outsider, label, HEAD)
        assert answer["show_alert"] and "人员名单" in str(answer["text"]), answer
    await chain.settle()
    assert "需要协调什么" not in sb.format_transcript(chain.chat("dept-police"))
    assert {state for _, state, _ in await _rows(chain)} == {"pending"}
    assert await _actions(chain) == ["traffic.requested", "traffic.requested"]


async def test_a_tap_after_the_incident_closed_is_stale(chain: Chain) -> None:
    sb = chain.sb
    incident, _ = await _orders_out(chain)
    await sb.wait_for(chain.chat("dept-transport"), HEAD, since=0)
    await chain.say("brigade", chain.dispatcher, f"/close {incident}")
    member = chain.county.person("dept-transport", "member")
    for label in ("已安排", "需协调"):
        answer = await chain.press("dept-transport", member, label, HEAD)
        assert "已失效" in str(answer["text"]), answer
    await chain.settle()
    assert {state for _, state, _ in await _rows(chain)} == {"pending"}
    assert "traffic.arranged" not in await _actions(chain)


async def test_without_traffic_departments_the_dispatcher_is_told_once(chain: Chain) -> None:
    sb = chain.sb
    async with chain.app.uow() as uow:
        await uow.session.execute(update(UnitRow).where(UnitRow.code.in_(TRAFFIC))
                                  .values(sector="other"))
        await uow.commit()
    incident, plan = await _orders_out(chain, bind_transport=False)
    told = await sb.wait_for(chain.chat("brigade"), "没有公安或交通运输部门", since=0)
    assert f"调用方案 #{plan}" in told["text"] and chain.dispatcher in told["mentions"]
    await sb.wait_for(chain.chat("brigade"),
                      lambda m: "【调度看板】" in m["text"] and "未发通知" in m["text"], since=0)
    await chain.settle()
    assert _count(chain, "brigade", "没有公安或交通运输部门") == 1
    assert _count(chain, "dept-police", HEAD) == 0
    async with chain.app.uow() as uow:
        rows = await uow.session.scalar(select(func.count()).select_from(TrafficRequestRow))
    assert rows == 0
    assert await _actions(chain) == ["traffic.no_department"]
    log = str((await chain.say("brigade", chain.dispatcher, f"/log {incident}"))["text"])
    assert "未发交通保障通知" in log


async def test_a_reinforcement_plan_also_asks_for_lanes(chain: Chain) -> None:
    """An approved cross-region reinforcement is a plan whose orders go out: the detachment's
    vehicles need lanes too."""
    sb = chain.sb
    for code in ("upper", "detachment"):
        await chain.county.bind(code)
    incident = await chain.incident("重大 龙泉镇 森林火灾")
    await chain.say("bureau", chain.approver, f"/reinforce {incident} 森林灭火专业队两支")
    await sb.wait_for(chain.chat("upper"), "跨区域增援申请", since=0)
    await chain.press("upper", chain.county.person("upper", "approver"), "批准", "跨区域增援申请")
    notice = await sb.wait_for(chain.chat("dept-police"), HEAD, since=0)
    assert f"事件 #{incident}" in notice["text"] and "龙泉镇" in notice["text"]
    assert chain.county.unit("detachment").name in notice["text"]
    await chain.settle()
    assert _count(chain, "dept-police", HEAD) == 1


async def test_a_too_long_need_is_refused_and_an_unknown_notice_named(chain: Chain) -> None:
    sb = chain.sb
    await _orders_out(chain)
    notice = await sb.wait_for(chain.chat("dept-police"), HEAD, since=0)
    member = chain.county.person("dept-police", "member")
    await chain.press("dept-police", member, "需协调", HEAD)
    question = await sb.wait_for(chain.chat("dept-police"), "需要协调什么")
    sent = await sb.send_message(chain.chat("dept-police"), member, "路" * 5000,
                                 reply_to=question["message_id"])
    refused = await sb.wait_for(chain.chat("dept-police"),
                                lambda m: m["reply_to"] == sent["message_id"])
    assert "最多 500 字" in refused["text"], refused["text"]
    cq = await sb.press_callback(chain.chat("dept-police"), member, notice["message_id"],
                                 f"v1:{'tn'}:999999")
    answer = await sb.wait_callback_answer(cq)
    assert "没有编号为 999999" in str(answer["text"]), answer
    await chain.settle()
    assert {state for _, state, _ in await _rows(chain)} == {"pending"}
    assert _count(chain, "brigade", "【交通保障·需协调】") == 0


async def test_a_department_without_a_bound_chat_is_reported_to_the_dispatcher(
        chain: Chain) -> None:
    sb = chain.sb
    _, plan = await _orders_out(chain, bind_transport=False)  # dept-transport has no group
    lost = await sb.wait_for(chain.chat("brigade"), "【交通保障未送达】", since=0)
    assert chain.county.unit("dept-transport").name in lost["text"]
    assert f"调用方案 #{plan}" in lost["text"] and chain.dispatcher in lost["mentions"]
    await sb.wait_for(chain.chat("dept-police"), HEAD, since=0)
    await chain.settle()
    assert _count(chain, "brigade", "【交通保障未送达】") == 1


async def test_two_taps_at_once_count_once(chain: Chain) -> None:
    sb = chain.sb
    await _orders_out(chain)
    await sb.wait_for(chain.chat("dept-police"), HEAD, since=0)
    head = chain.county.person("dept-police", "head")
    member = chain.county.person("dept-police", "member")
    taps = [await sb.press_button(chain.chat("dept-police"), who, "已安排", text_contains=HEAD)
            for who in (head, member)]
    answers = [str((await sb.wait_callback_answer(cq))["text"]) for cq in taps]
    assert sum("无需重复" in a for a in answers) == 1, answers
    await chain.settle()
    assert (await _actions(chain)).count("traffic.arranged") == 1
