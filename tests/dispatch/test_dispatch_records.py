"""An order's history is append-only: a stand-down or a close never rewrites an earlier answer."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select

from core.clock import ControllableClock
from core.dispatch.decisions import approve_plan
from core.dispatch.model import Order, OrderStatus
from core.dispatch.orders import stand_down
from core.errors import Conflict
from core.registry import Role
from storage.tables import UnitRow
from storage.tables_dispatch import OrderRow
from tests.chain import Chain
from tests.dispatch.test_dispatch_core import CFG, T0, actor, county, planned

REASON = "车辆正在检修"


async def unable(chain: Chain, code: str, reason: str = REASON) -> None:
    member = chain.county.members(code)[-1]
    await chain.press(code, member, "无法出动", "【出动指令】")
    question = await chain.sb.wait_for(chain.chat(code), lambda m: m["force_reply"])
    await chain.sb.send_message(chain.chat(code), member, reason,
                                reply_to=question["message_id"])
    await chain.sb.wait_for(chain.chat("brigade"), reason, since=0)


async def orders(chain: Chain) -> dict[str, dict[str, Any]]:
    async with chain.app.uow() as uow:
        rows = await uow.session.execute(
            select(UnitRow.code, OrderRow).join(UnitRow, UnitRow.id == OrderRow.unit_id))
        return {code: {c.key: getattr(row, c.key) for c in OrderRow.__table__.columns}
                for code, row in rows.all()}


def name(chain: Chain, code: str) -> str:
    return chain.county.unit(code).name


async def test_unable_survives_stand_down_and_close(chain: Chain) -> None:
    sb = chain.sb
    incident = await chain.incident()
    plan = await chain.plan(incident)
    await chain.approve(plan)
    await chain.press("f-police", chain.county.members("f-police")[-1], "收到", "【出动指令】")
    await unable(chain, "f-water")
    before = (await orders(chain))["f-water"]
    assert before["status"] == "unable" and before["unable_at"] is not None

    reply = await chain.say("brigade", chain.dispatcher, f"/standdown {plan}")
    # f-police (received) and f-health (silent, maybe on its way) are told; f-water is not
    assert "2 支力量已解除" in str(reply["text"]), reply["text"]
    assert "无法出动" in str(reply["text"])
    after = await orders(chain)
    assert after["f-water"]["status"] == "unable"
    assert after["f-water"]["unable_at"] == before["unable_at"]
    assert after["f-water"]["reason"] == REASON
    assert after["f-water"]["stood_down_at"] is None
    assert after["f-police"]["status"] == "stood_down" and after["f-police"]["received_at"]
    await chain.settle()

    water = name(chain, "f-water")
    board = await sb.wait_for(chain.chat("brigade"),
                              lambda m: "【调度看板】" in m["text"] and "已撤回" in m["text"],
                              since=0)
    line = next(x for x in board["text"].splitlines() if water in x)
    assert "无法出动" in line and REASON in line, board["text"]

    reply = await chain.say("brigade", chain.dispatcher, f"/standdown {plan} f-water")
    assert "无法出动" in str(reply["text"]) and "没有需要解除" in str(reply["text"])

    await chain.say("brigade", chain.dispatcher, f"/close {incident}")
    summary = await sb.wait_for(chain.chat("bureau"), "【事件总结】", since=0)
    line = next(x for x in summary["text"].splitlines() if water in x)
    assert "无法出动" in line and REASON in line and "始终未响应" not in line, summary["text"]
    police = next(x for x in summary["text"].splitlines()
                  if name(chain, "f-police") in x)
    assert "解除" in police, summary["text"]

    log = await chain.say("brigade", chain.dispatcher, f"/log {incident}")
    lines = str(log["text"]).splitlines()
    unable_lines = [x for x in lines if "无法出动" in x]
    assert unable_lines and REASON in unable_lines[0] and water in unable_lines[0], log["text"]
    stood = [x for x in lines if "解除出动" in x]
    assert len(stood) == 2 and not any(REASON in x for x in stood), log["text"]



async def test_a_force_answering_during_a_stand_down_keeps_its_answer() -> None:
    uow, clock = county(), ControllableClock(T0, ticking=False)
    plan_id = await planned(uow, clock)
    await approve_plan(uow, actor(uow, 1, 11, Role.APPROVER), plan_id, clock, CFG)
    brigade = actor(uow, 2, 21, Role.DISPATCHER)
    stale = await uow.orders.for_plan(plan_id)
    (order_id,) = uow.orders.rows

    async def read_before_the_answer(_: int) -> list[Order]:
        return [replace(o, by=dict(o.by)) for o in stale]

    uow.orders.for_plan = read_before_the_answer
    on_way = uow.orders.rows[order_id]
    on_way.move(OrderStatus.EN_ROUTE, 44, "值班员", T0)  # written between read and write
    done = await stand_down(uow, brigade, plan_id, clock)
    assert done.stood_down == ["突击队"]
    stored = uow.orders.rows[order_id]
    assert stored.status is OrderStatus.STOOD_DOWN and stored.en_route_at == T0
    assert stored.by["en_route"] == [44, "值班员"]

    uow2 = county()
    plan_id = await planned(uow2, clock)
    await approve_plan(uow2, actor(uow2, 1, 11, Role.APPROVER), plan_id, clock, CFG)
    stale = await uow2.orders.for_plan(plan_id)
    uow2.orders.for_plan = read_before_the_answer
    cannot = uow2.orders.rows[order_id]
    cannot.move(OrderStatus.UNABLE, 44, "值班员", T0)
    cannot.reason = "车辆检修"
    with pytest.raises(Conflict, match="nothing_out") as refused:
        await stand_down(uow2, actor(uow2, 2, 21, Role.DISPATCHER), plan_id, clock)
    assert "突击队" in str(refused.value.params["others"])
    assert uow2.orders.rows[order_id].status is OrderStatus.UNABLE
    assert uow2.orders.rows[order_id].reason == "车辆检修"
