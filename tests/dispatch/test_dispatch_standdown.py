"""/standdown: one named force, or what is left of the plan; a wrong name changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from storage.tables import UnitRow
from storage.tables_dispatch import OrderRow
from tests.chain import Chain


async def states(chain: Chain) -> dict[str, str]:
    async with chain.app.uow() as uow:
        rows = await uow.session.execute(
            select(UnitRow.code, OrderRow.status).join(UnitRow, UnitRow.id == OrderRow.unit_id))
        return {code: status for code, status in rows.all()}


async def test_stand_down_one_force_then_the_rest(chain: Chain) -> None:
    plan = await chain.plan(await chain.incident())
    await chain.approve(plan)
    for code in ("f-police", "f-water"):
        await chain.sb.wait_for(chain.chat(code), "【出动指令】", since=0)
    before = await states(chain)
    assert set(before.values()) == {"issued"}

    reply = await chain.say("brigade", chain.dispatcher, f"/standdown {plan} f-gas")
    assert "不在方案" in str(reply["text"])
    reply = await chain.say("brigade", chain.dispatcher, f"/standdown {plan} f-water,nosuch")
    assert "没有代码为 nosuch 的单位" in str(reply["text"])
    assert await states(chain) == before

    reply = await chain.say("brigade", chain.dispatcher, f"/standdown {plan} F-Water")
    assert "1 支力量已解除" in str(reply["text"])
    await chain.sb.wait_for(chain.chat("f-water"),
                            lambda m: "已撤回/解除" in m["text"] and not m["buttons"], since=0)
    assert await states(chain) == {**before, "f-water": "stood_down"}
    police = await chain.sb.wait_for(chain.chat("f-police"), "【出动指令】", since=0)
    assert police["buttons"]  # the others still have their order and its buttons

    reply = await chain.say("brigade", chain.dispatcher, f"/standdown {plan} f-water")
    assert "没有需要解除的力量" in str(reply["text"])
    reply = await chain.say("brigade", chain.dispatcher, f"/standdown {plan}")
    assert "2 支力量已解除" in str(reply["text"])
    assert set((await states(chain)).values()) == {"stood_down"}


async def test_after_the_close_an_order_tap_is_refused_and_the_record_stays(chain: Chain
                                                                           ) -> None:
    incident = await chain.incident()
    plan = await chain.plan(incident)
    await chain.approve(plan)
    await chain.sb.wait_for(chain.chat("f-police"), "【出动指令】", since=0)
    reply = await chain.say("brigade", chain.dispatcher, f"/close {incident}")
    assert "已结束" in str(reply["text"]) or "结束" in str(reply["text"]), reply
    before = await states(chain)
    who = chain.county.members("f-police")[-1]
    answer = await chain.press("f-police", who, "收到", "【出动指令】")
    assert f"事件 {incident} 已于" in str(answer["text"]), answer
    assert await states(chain) == before
