"""The /dispatch dialog's search by equipment or capability: a word asked with a ForceReply,
/find's ranked list to tick, back to the categories; stale buttons change nothing."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select

from core.registry import Item
from storage.tables_dispatch import PlanRow
from tests.chain import Chain
from tests.dispatch.test_dispatch_dialog import has_button, to_step_2

SEARCH = "🔍 按装备/能力查找"


async def _equip(chain: Chain, code: str, *items: Item) -> int:
    async with chain.app.uow() as uow:
        unit = await uow.units.by_code(code)
        assert unit is not None and unit.id is not None
        await uow.units.update(dataclasses.replace(unit, equipment=items))
        await uow.commit()
        return unit.id


async def _search(chain: Chain, message_id: int, word: str, label: str = SEARCH
                  ) -> dict[str, Any]:
    sb, brigade, me = chain.sb, chain.chat("brigade"), chain.dispatcher
    await sb.press_button(brigade, me, label, message_id=message_id)
    ask = await sb.wait_for(brigade, "要找的装备")
    assert ask["force_reply"]
    sent = await sb.send_message(brigade, me, word, reply_to=ask["message_id"])
    return await sb.wait_for(brigade, lambda m: m["reply_to"] == sent["message_id"])


async def test_search_tick_and_the_plan_has_the_forces(chain: Chain) -> None:
    sb, brigade, me = chain.sb, chain.chat("brigade"), chain.dispatcher
    water = await _equip(chain, "f-water", Item("冲锋舟", 3, "艘"))
    health = await _equip(chain, "f-health", Item("橡皮艇", 10, "艘"))
    menu = await to_step_2(chain)
    found = await _search(chain, menu["message_id"], "冲锋舟")
    assert "查找“冲锋舟”" in found["text"], found  # the county has other boats too
    assert "橡皮艇 10" in found["text"] and "冲锋舟 3" in found["text"]
    names = [chain.county.unit(c).name for c in ("f-health", "f-water")]
    assert found["text"].index(names[0]) < found["text"].index(names[1])  # /find's ranking
    for name in names:
        await sb.press_button(brigade, me, f"☐ {name}", message_id=found["message_id"])
        await sb.wait_for(brigade, has_button(f"☑ {name}"))
    await sb.press_button(brigade, me, "完成（已选 2）", message_id=found["message_id"])
    ask = await sb.wait_for(brigade, "第 3 步")
    await sb.send_message(brigade, me, "水上搜救", reply_to=ask["message_id"])
    ask = await sb.wait_for(brigade, "第 4 步")
    await sb.send_message(brigade, me, "-", reply_to=ask["message_id"])
    confirm = await sb.wait_for(brigade, "确认调用方案")
    assert all(n in confirm["text"] for n in names)
    await sb.press_button(brigade, me, "提交审批", message_id=confirm["message_id"])
    await sb.wait_for(brigade, "已提交")
    async with chain.app.uow() as uow:
        row = await uow.session.scalar(select(PlanRow))
        assert row is not None
        forces = {f[0] for f in row.forces}  # [unit id, task]
    assert forces == {water, health}


async def test_no_match_then_back_to_the_categories(chain: Chain) -> None:
    sb, brigade, me = chain.sb, chain.chat("brigade"), chain.dispatcher
    menu = await to_step_2(chain)
    found = await _search(chain, menu["message_id"], "潜水钟")
    assert "没有找到有“潜水钟”" in found["text"], found
    assert not any(label.startswith("☐") for row in found["buttons"] for label in row)
    await sb.press_button(brigade, me, "« 返回分类列表", message_id=found["message_id"])
    back = await sb.wait_for(brigade, "第 2 步")
    assert has_button("完成（已选 0）")(back) and has_button(SEARCH)(back)


async def test_a_stale_search_button_changes_nothing(chain: Chain) -> None:
    sb, brigade, me = chain.sb, chain.chat("brigade"), chain.dispatcher
    await _equip(chain, "f-water", Item("冲锋舟", 3, "艘"))
    name = chain.county.unit("f-water").name
    menu = await to_step_2(chain)
    found = await _search(chain, menu["message_id"], "冲锋舟")
    # Another word: the first list's buttons are now stale.
    again = await _search(chain, found["message_id"], "潜水钟", label="🔍 换个词查找")
    assert "没有找到" in again["text"]
    cq = await sb.press_button(brigade, me, f"☐ {name}", message_id=found["message_id"])
    assert "此按钮现在无效" in str((await sb.wait_callback_answer(cq))["text"])
    other = chain.county.person("brigade", "commander")
    cq = await sb.press_button(brigade, other, SEARCH, message_id=menu["message_id"])
    assert "其他调度员" in str((await sb.wait_callback_answer(cq))["text"])
    await sb.press_button(brigade, me, "取消", message_id=menu["message_id"])
    await sb.wait_for(brigade, "已取消")
    cq = await sb.press_button(brigade, me, f"☐ {name}", message_id=found["message_id"])
    assert "不是您正在进行的对话" in str((await sb.wait_callback_answer(cq))["text"])
    async with chain.app.uow() as uow:
        assert await uow.session.scalar(select(PlanRow)) is None
