"""/find through the real bot: ranked lines with what matched, the count, the data's age and the
on-order mark; refusals change nothing."""

from __future__ import annotations

import dataclasses
from datetime import date

from core.registry import Item
from tests.chain import Chain


async def _equip(chain: Chain, code: str, *items: Item, township: str = "",
                 updated: date | None = None, unbind: bool = False) -> None:
    async with chain.app.uow() as uow:
        unit = await uow.units.by_code(code)
        assert unit is not None
        unit = dataclasses.replace(unit, equipment=items, township=township or unit.township,
                                   data_updated=updated)
        if unbind:
            unit.chat_id = None
        await uow.units.update(unit)
        await uow.commit()


async def test_find_ranks_bound_then_count_and_marks_orders(chain: Chain) -> None:
    await _equip(chain, "f-water", Item("冲锋舟", 3, "艘"), updated=date(2026, 1, 1))
    await _equip(chain, "f-health", Item("橡皮艇", 10, "艘"))
    await _equip(chain, "f-police", Item("救生艇", 50, "艘"), unbind=True)
    reply = await chain.say("brigade", chain.dispatcher, "/find 冲锋舟")
    text = str(reply["text"])
    names = [chain.county.unit(c).name for c in ("f-health", "f-water", "f-police")]
    positions = [text.index(n) for n in names]
    assert positions == sorted(positions), text  # bound first, then the larger count
    assert "橡皮艇 10" in text and "冲锋舟 3" in text and "救生艇 50" in text
    assert "数据更新时间不详" in text and "天前更新" in text
    assert "正在执行任务" not in text

    incident = await chain.incident()
    plan = await chain.plan(incident, "f-water")
    await chain.approve(plan)
    reply = await chain.say("brigade", chain.dispatcher, "/find 橡皮艇")
    line = next(ln for ln in str(reply["text"]).splitlines()
                if chain.county.unit("f-water").name in ln)
    assert "正在执行任务" in line, reply["text"]


async def test_find_synonym_and_refusals(chain: Chain) -> None:
    await _equip(chain, "f-water", Item("发电车", 2, "辆"))
    reply = await chain.say("bureau", chain.approver, "/find 发电机")
    assert chain.county.unit("f-water").name in str(reply["text"])
    reply = await chain.say("bureau", chain.approver, "/find")
    assert "请写出要找的" in str(reply["text"])
    reply = await chain.say("bureau", chain.approver, "/find " + "舟" * 5000)
    assert "太长" in str(reply["text"]) or "过长" in str(reply["text"]), reply["text"]
    member = chain.county.members("f-water")[0]
    reply = await chain.say("f-water", member, "/find 冲锋舟")
    assert "发电车" not in str(reply["text"]), reply["text"]
