"""Refusals: the one-line form with each kind of error, stale and forged buttons."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.tables_dispatch import OrderRow, PlanRow
from tests.chain import Chain
from tests.conftest import REGISTRY_ADMIN


async def plans_and_orders(chain: Chain) -> tuple[int, int]:
    async with chain.app.uow() as uow:
        plans = await uow.session.scalar(select(func.count()).select_from(PlanRow))
        orders = await uow.session.scalar(select(func.count()).select_from(OrderRow))
    return int(plans or 0), int(orders or 0)


async def test_one_line_errors_are_explained_and_nothing_is_created(chain: Chain) -> None:
    incident = await chain.incident()
    cases = [
        (f"/dispatch {incident} f-police,f-nope 赶赴现场", "f-nope"),
        (f"/dispatch {incident} f-police,f-gas 赶赴现场", "尚未绑定"),
        ("/dispatch 99 f-police 赶赴现场", "没有编号为 99 的事件"),
        (f"/dispatch {incident} f-police", "用法"),
        ("/dispatch abc f-police 赶赴现场", "没有编号为 abc 的事件"),
        (f"/dispatch {incident} bureau 赶赴现场", "bureau"),
    ]
    for text, expected in cases:
        reply = await chain.say("brigade", chain.dispatcher, text)
        assert expected in str(reply["text"]), (text, reply["text"])
    issuer = next(p.tg_id for p in chain.county.unit("brigade").people
                  if {r.value for r in p.roles} == {"warning_issuer"})
    reply = await chain.say("brigade", issuer, f"/dispatch {incident} f-police 赶赴现场")
    assert "调度员" in str(reply["text"])
    reply = await chain.say("bureau", chain.approver, f"/dispatch {incident} f-police 赶赴现场")
    assert "调度员" in str(reply["text"])
    assert await plans_and_orders(chain) == (0, 0)


async def test_incident_errors(chain: Chain) -> None:
    reply = await chain.say("brigade", chain.dispatcher, "/incident 巨大 城关镇 火灾")
    assert "用法" in str(reply["text"])
    member = chain.county.person("f-police", "member")
    reply = await chain.say("f-police", member, "/incident 一般 城关镇 火灾")
    assert "调度员" in str(reply["text"])


async def test_forged_and_stale_buttons(chain: Chain) -> None:
    sb = chain.sb
    plan = await chain.plan(await chain.incident())
    card = await sb.wait_for(chain.chat("bureau"), "待审批", since=0)
    for data, expected in (("v1:pa:999", "没有编号为 999"), ("v9:pa:1", "已失效"),
                           ("garbage", "已失效"), ("v1:zz:1", "已失效")):
        cq = await sb.press_callback(chain.chat("bureau"), chain.approver, card["message_id"],
                                     data)
        answer = await sb.wait_callback_answer(cq)
        assert expected in str(answer["text"]), (data, answer)
    await chain.approve(plan)
    police = await sb.wait_for(chain.chat("f-police"), "【出动指令】", since=0)
    water = await sb.wait_for(chain.chat("f-water"), "【出动指令】", since=0)
    received = next(b["callback_data"] for row in police["reply_markup"]["inline_keyboard"]
                    for b in row if b["text"] == "收到")
    # The police order's button, forged into the water team's chat.
    cq = await sb.press_callback(chain.chat("f-water"), chain.county.members("f-water")[0],
                                 water["message_id"], received)
    answer = await sb.wait_callback_answer(cq)
    assert "只有被调用力量的群成员" in str(answer["text"])
    # Stood down, then an old "on scene" button pressed: refused, state unchanged.
    on_scene = next(b["callback_data"] for row in police["reply_markup"]["inline_keyboard"]
                    for b in row if b["text"] == "已到达")
    reply = await chain.say("brigade", chain.dispatcher, f"/standdown {plan}")
    assert "解除" in str(reply["text"])
    await sb.wait_for(chain.chat("f-police"), lambda m: "已撤回/解除" in m["text"]
                      and not m["buttons"], since=0)
    cq = await sb.press_callback(chain.chat("f-police"), chain.county.members("f-police")[0],
                                 police["message_id"], on_scene)
    answer = await sb.wait_callback_answer(cq)
    assert "已撤回/解除" in str(answer["text"])
    async with chain.app.uow() as uow:
        states = set((await uow.session.scalars(select(OrderRow.status))).all())
    assert states == {"stood_down"}


async def test_withdrawn_plan_cannot_be_approved(chain: Chain) -> None:
    sb = chain.sb
    plan = await chain.plan(await chain.incident())
    card = await sb.wait_for(chain.chat("bureau"), "待审批", since=0)
    reply = await chain.say("brigade", chain.dispatcher, f"/withdraw {plan}")
    assert "已撤回" in str(reply["text"])
    await sb.wait_for(chain.chat("bureau"), lambda m: "已撤回" in m["text"]
                      and not m["buttons"], since=0)
    approve = next(b["callback_data"] for row in card["reply_markup"]["inline_keyboard"]
                   for b in row if b["text"] == "批准")
    cq = await sb.press_callback(chain.chat("bureau"), chain.approver, card["message_id"],
                                 approve)
    assert "已撤回" in str((await sb.wait_callback_answer(cq))["text"])
    assert await plans_and_orders(chain) == (1, 0)


async def test_order_that_cannot_be_delivered_is_reported_to_the_dispatcher(
    chain: Chain,
) -> None:
    sb = chain.sb
    await sb.send_message(REGISTRY_ADMIN, REGISTRY_ADMIN, "/start")
    plan = await chain.plan(await chain.incident(), forces="f-water")
    sb.faults.kick_on_next_send(chain.chat("f-water"))  # the bot was removed from that group
    await chain.approve(plan)
    alarm = await sb.wait_for(chain.chat("brigade"), "【指令未送达】", since=0)
    assert "青川县水利局防汛抢险突击队" in alarm["text"] and "电话" in alarm["text"]
    assert chain.dispatcher in alarm["mentions"]
    await sb.wait_for(REGISTRY_ADMIN, "【失联】", since=0)
    async with chain.app.uow() as uow:
        unit = await uow.units.by_code("f-water")
    assert unit is not None and unit.chat_id is None
